package benchmarkpdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc"
)

// Title is the document title on the cover and in the PDF metadata.
const Title = "Wellbeing benchmark report"

// Band tints: light so the words printed in them stay readable; the words
// carry the meaning, the colour only helps.
var bandTint = map[figure.Band]pdfdoc.RGB{
	figure.BandBelow20: pdfdoc.Hex("#f6d7d2"),
	figure.Band20To50:  pdfdoc.Hex("#fce4cf"),
	figure.Band50To80:  pdfdoc.Hex("#e6efd3"),
	figure.BandAbove80: pdfdoc.Hex("#cce2d8"),
}

var (
	barColour    = pdfdoc.Blue
	rangeColour  = pdfdoc.Hex("#d6dadd")
	medianColour = pdfdoc.Black
)

// Render writes the report as a PDF.
func Render(r Report) ([]byte, error) {
	author := r.Author
	if author == "" {
		author = "National Police Wellbeing Service"
	}
	d := pdfdoc.New(pdfdoc.Meta{
		Title:   Title + ": " + r.Organisation + ", " + r.Cycle,
		Subject: "Benchmark against the " + r.FrameworkEdition,
		Author:  author,
		Creator: "Blue Light Wellbeing Toolkit",
		Lang:    r.Lang,
		Created: r.Produced,
	})
	cover(d, r)
	findings(d, r)
	summary(d, r)
	chart(d, r)
	standards(d, r)
	changes(d, r)
	provision(d, r)
	heatMap(d, r)
	traumaGroups(d, r)
	method(d, r)
	return d.Bytes()
}

func cover(d *pdfdoc.Doc, r Report) {
	d.AddPage()
	d.SetY(70)
	d.SetFont(pdfdoc.Family, "B", 26)
	d.Ink(pdfdoc.DarkBlue)
	d.Tagged("H1", func() { d.MultiCell(pdfdoc.ContentWidth, 12, Title, "", "L", false) })
	d.Ln(4)
	d.SetFont(pdfdoc.Family, "B", 20)
	d.Ink(pdfdoc.Black)
	d.Tagged("P", func() { d.MultiCell(pdfdoc.ContentWidth, 10, r.Organisation, "", "L", false) })
	d.Ln(8)
	d.SetFont(pdfdoc.Family, "", 12)
	for _, kv := range [][2]string{
		{"Assessment cycle", r.Cycle},
		{"Framework", r.FrameworkEdition},
		{"National group", r.NationalGroup},
		{"Comparison group", r.PeerGroup},
		{"Produced", r.Produced.Format("2 January 2006")},
	} {
		if kv[1] == "" {
			continue
		}
		d.Tagged("P", func() {
			y := d.GetY()
			d.SetFont(pdfdoc.Family, "B", 12)
			d.CellFormat(45, 7, kv[0]+" ", "", 0, "L", false, 0, "")
			d.SetFont(pdfdoc.Family, "", 12)
			d.SetXY(pdfdoc.Margin+45, y)
			d.MultiCell(pdfdoc.ContentWidth-45, 7, kv[1], "", "L", false)
		})
	}
	if len(r.Notices) > 0 {
		d.Ln(6)
		d.Notices(r.Notices)
	}
}

func bandCell(b figure.Band) pdfdoc.Cell {
	return pdfdoc.Cell{Text: b.String(), Fill: bandTint[b]}
}

func summary(d *pdfdoc.Doc, r Report) {
	d.AddPage()
	d.Heading(1, "Maturity by area")
	d.Para(fmt.Sprintf("Mean maturity level of %s for the overall framework and each area, on the framework's scale, compared with the median of the national group and of %s. The band says where %s falls among each group.", r.Organisation, r.ComparatorPhrase(), r.Organisation))
	cols := []pdfdoc.Column{
		{Header: "Area", Width: 45},
		{Header: "Our level", Width: 20, Align: "R"},
		{Header: "National median", Width: 22, Align: "R"},
		{Header: "Against national", Width: 34},
		{Header: r.ComparatorWord() + " median", Width: 22, Align: "R"},
		{Header: r.AgainstComparator(), Width: 37},
	}
	var rows [][]pdfdoc.Cell
	for i, a := range append([]Result{r.Overall}, r.Areas...) {
		title := a.Title
		if i == 0 && title == "" {
			title = "Overall"
		}
		rows = append(rows, []pdfdoc.Cell{
			{Text: title, Bold: i == 0},
			{Text: a.Value.Format(1), Bold: i == 0},
			{Text: a.National.Median.Format(1)},
			bandCell(a.NationalBand),
			{Text: a.Peer.Median.Format(1)},
			bandCell(a.PeerBand),
		})
	}
	d.Table(cols, rows)
	d.Heading(2, "Reading the bands")
	d.Bullets([]string{
		"below 20th percentile: at least 80% of the group scored higher",
		"20th to 50th percentile: below the group median",
		"50th to 80th percentile: at or above the group median",
		"above 80th percentile: at or above the level of the top fifth of the group",
		"no band: the figure or the group's figures were withheld or there is no figure, or the group has fewer than 10 organisations (the 20th and 80th percentiles are not published for smaller groups)",
	})
	if len(r.Scale) > 0 {
		d.Heading(2, "The maturity scale")
		var items []string
		for _, l := range r.Scale {
			items = append(items, fmt.Sprintf("%d  %s", l.Value, l.Label))
		}
		d.Bullets(items)
	}
}

// chart draws every area as a row: the peer group's interquartile range as
// a grey box, the peer median as a solid line, the national median as a
// dashed line and the organisation's level as a blue bar.
func chart(d *pdfdoc.Doc, r Report) {
	d.AddPage()
	d.Heading(1, "Areas compared with "+r.ComparatorPhrase())
	d.Para("Each bar is our level. The grey box spans the middle half of " + r.ComparatorPhrase() + " (25th to 75th percentile), the solid line is its median and the dashed line the national median.")
	lo, hi := 0.0, 4.0
	if len(r.Scale) > 1 {
		lo, hi = float64(r.Scale[0].Value), float64(r.Scale[len(r.Scale)-1].Value)
	}
	const labelW, rowH, barH = 50.0, 13.0, 5.0
	x0 := pdfdoc.Margin + labelW
	plotW := pdfdoc.ContentWidth - labelW - 15
	xOf := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return x0 + (v-lo)/(hi-lo)*plotW
	}
	// The paragraph above says what the key shows.
	d.Artifact(func() { legend(d, r.ComparatorWord()) })
	rows := append([]Result{r.Overall}, r.Areas...)
	d.NeedSpace(float64(len(rows))*rowH + 15)
	d.Figure(areasAlt(rows, r.ComparatorWord()), func() { drawAreas(d, rows, lo, hi, xOf, x0, plotW, r.ComparatorWord()) })
	d.SetFont(pdfdoc.Family, "", 10)
}

// areasAlt says in words what the areas chart shows.
func areasAlt(rows []Result, comparator string) string {
	var parts []string
	for i, a := range rows {
		title := a.Title
		if i == 0 && title == "" {
			title = "Overall"
		}
		s := title + ": our level " + a.Value.Format(1) + ", " + strings.ToLower(comparator) + " median " + a.Peer.Median.Format(1)
		if a.Peer.Q1.Ok() && a.Peer.Q3.Ok() {
			s += " (middle half " + a.Peer.Q1.Format(1) + " to " + a.Peer.Q3.Format(1) + ")"
		}
		s += ", national median " + a.National.Median.Format(1)
		parts = append(parts, s)
	}
	return "Bar chart of our maturity level overall and in each area against the peer group and the national group. " + strings.Join(parts, "; ") + "."
}

func drawAreas(d *pdfdoc.Doc, rows []Result, lo, hi float64, xOf func(float64) float64, x0, plotW float64, comparator string) {
	const labelW, rowH, barH = 50.0, 13.0, 5.0
	top := d.GetY() + 2
	d.SetLineWidth(0.2)
	// Grid lines at each level of the scale, labelled below.
	bottom := top + float64(len(rows))*rowH
	d.SetFont(pdfdoc.Family, "", 8)
	for v := lo; v <= hi; v++ {
		d.Draw(pdfdoc.MidGrey)
		d.Line(xOf(v), top, xOf(v), bottom)
		d.SetXY(xOf(v)-5, bottom+1)
		d.CellFormat(10, 4, fmt.Sprintf("%g", v), "", 0, "C", false, 0, "")
	}
	d.SetXY(x0, bottom+5)
	d.CellFormat(plotW, 4, "Maturity level", "", 0, "C", false, 0, "")
	for i, a := range rows {
		y := top + float64(i)*rowH
		title := a.Title
		if i == 0 && title == "" {
			title = "Overall"
		}
		d.SetFont(pdfdoc.Family, "B", 8.5)
		d.SetXY(pdfdoc.Margin, y+1)
		d.MultiCell(labelW-2, 4, title, "", "L", false)
		d.SetFont(pdfdoc.Family, "", 7.5)
		d.Ink(pdfdoc.Grey)
		d.SetXY(pdfdoc.Margin, y+rowH-5)
		d.CellFormat(labelW-2, 4, bandLabel(comparator)+": "+a.PeerBand.String(), "", 0, "L", false, 0, "")
		d.Ink(pdfdoc.Black)
		if a.Peer.Q1.Ok() && a.Peer.Q3.Ok() {
			d.Fill(rangeColour)
			d.Rect(xOf(a.Peer.Q1.V), y+1.5, math.Max(xOf(a.Peer.Q3.V)-xOf(a.Peer.Q1.V), 0.6), rowH-3, "F")
		}
		mid := y + rowH/2
		var lines []float64
		if a.Peer.Median.Ok() {
			lines = append(lines, xOf(a.Peer.Median.V))
		}
		if a.National.Median.Ok() {
			lines = append(lines, xOf(a.National.Median.V))
		}
		if a.Value.Ok() {
			end := xOf(a.Value.V)
			d.Fill(barColour)
			d.Rect(x0, mid-barH/2, math.Max(end-x0, 0.4), barH, "F")
			d.SetFont(pdfdoc.Family, "B", 8)
			label := a.Value.Format(1)
			x, inside := labelX(end, x0, x0+plotW+14, d.GetStringWidth(label), lines)
			if inside {
				d.Ink(pdfdoc.White)
			}
			d.Text(x, mid+1.1, label)
			d.Ink(pdfdoc.Black)
		} else {
			d.SetXY(x0+1, mid-2)
			d.SetFont(pdfdoc.Family, "", 8)
			d.CellFormat(40, 4, "our level "+a.Value.Format(1), "", 0, "L", false, 0, "")
		}
		if a.Peer.Median.Ok() {
			d.Draw(medianColour)
			d.SetLineWidth(0.7)
			d.Line(xOf(a.Peer.Median.V), y+1, xOf(a.Peer.Median.V), y+rowH-1)
		}
		if a.National.Median.Ok() {
			d.Draw(medianColour)
			d.SetLineWidth(0.35)
			d.SetDashPattern([]float64{1, 0.8}, 0)
			d.Line(xOf(a.National.Median.V), y+0.5, xOf(a.National.Median.V), y+rowH-0.5)
			d.SetDashPattern(nil, 0)
		}
		d.SetLineWidth(0.2)
		var missing []string
		if !a.Peer.Median.Ok() {
			missing = append(missing, strings.ToLower(comparator)+" median "+a.Peer.Median.Format(1))
		}
		if !a.National.Median.Ok() {
			missing = append(missing, "national median "+a.National.Median.Format(1))
		}
		if len(missing) > 0 {
			d.SetFont(pdfdoc.Family, "", 7)
			d.Ink(pdfdoc.Grey)
			d.SetXY(x0+plotW/2, y+rowH-4.5)
			d.CellFormat(plotW/2, 3.5, join(missing), "", 0, "R", false, 0, "")
			d.Ink(pdfdoc.Black)
		}
	}
	d.SetXY(pdfdoc.Margin, bottom+12)
}

// labelX places a bar's value label of width w clear of the median lines
// at lines: just past the bar's end if that is clear, else inside the
// bar's end (in white), else just past the last line that is in the way.
// It returns the label's left edge and whether it sits inside the bar.
func labelX(end, start, limit, w float64, lines []float64) (float64, bool) {
	const gap, clearance = 1.2, 0.8
	clear := func(x float64) bool {
		for _, l := range lines {
			if l > x-clearance && l < x+w+clearance {
				return false
			}
		}
		return true
	}
	if x := end + gap; clear(x) && x+w <= limit {
		return x, false
	}
	if x := end - gap - w; x >= start+gap && clear(x) {
		return x, true
	}
	x := end + gap
	for range lines {
		for _, l := range lines {
			if l > x-clearance && l < x+w+clearance {
				x = l + clearance + 0.2
			}
		}
	}
	if x+w > limit {
		x = end + gap // nowhere clear: keep it by the bar
	}
	return x, false
}

// legend keys the areas chart: the bar, the peer range and the two
// median lines, drawn as the chart draws them.
func legend(d *pdfdoc.Doc, comparator string) {
	d.ChartLegend(46, 7,
		pdfdoc.LegendKey{Mark: d.BarMark(barColour), Label: "Our level"},
		pdfdoc.LegendKey{Mark: d.BoxMark(rangeColour), Label: comparator + " 25th to 75th percentile"},
		pdfdoc.LegendKey{Mark: func(x, y float64) {
			d.Draw(medianColour)
			d.SetLineWidth(0.7)
			d.Line(x+3.5, y, x+3.5, y+4)
			d.SetLineWidth(0.2)
		}, Label: comparator + " median"},
		pdfdoc.LegendKey{Mark: func(x, y float64) {
			d.Draw(medianColour)
			d.SetLineWidth(0.35)
			d.SetDashPattern([]float64{1, 0.8}, 0)
			d.Line(x+3.5, y, x+3.5, y+4)
			d.SetDashPattern(nil, 0)
			d.SetLineWidth(0.2)
		}, Label: "National median"},
	)
}

func join(s []string) string {
	out := ""
	for i, p := range s {
		if i > 0 {
			out += "; "
		}
		out += p
	}
	return out
}

func standards(d *pdfdoc.Doc, r Report) {
	if len(r.Standards) == 0 {
		return
	}
	d.AddPage()
	d.Heading(1, "Every standard")
	d.Para("Our current and target levels for each standard, with the national and " + strings.ToLower(r.ComparatorWord()) + " medians. The band places our level among the national group.")
	cols := []pdfdoc.Column{
		{Header: "Standard", Width: 18},
		{Header: "Statement", Width: 68},
		{Header: "Level", Width: 13, Align: "R"},
		{Header: "Target", Width: 13, Align: "R"},
		{Header: "National median", Width: 18, Align: "R"},
		{Header: r.ComparatorWord() + " median", Width: 18, Align: "R"},
		{Header: "Band against national", Width: 32},
	}
	var rows [][]pdfdoc.Cell
	area := ""
	for _, s := range r.Standards {
		if s.Area != area && s.Area != "" {
			area = s.Area
			// The area's name spans the row, so it never breaks
			// inside a word in the narrow Standard column.
			rows = append(rows, []pdfdoc.Cell{{Text: area, Bold: true, Fill: pdfdoc.LightGrey, Span: len(cols)}})
		}
		rows = append(rows, []pdfdoc.Cell{
			{Text: s.ID}, {Text: s.Statement},
			{Text: s.Level.Format(0)}, {Text: s.Target.Format(0)},
			{Text: s.NationalMedian.Format(1)}, {Text: s.PeerMedian.Format(1)},
			bandCell(s.Band),
		})
	}
	d.Table(cols, rows)
}

// Change is Current minus Previous as printed: a signed number, or why
// there is none. It is the difference of the two figures as the reader sees
// them, each rounded to decimals first, so 1.7 to 1.8 reads +0.1 whatever
// the figures were before rounding.
func Change(c ChangeRow, decimals int) string {
	switch {
	case c.NotComparable:
		return "not comparable"
	case c.Previous.State == figure.Suppressed || c.Current.State == figure.Suppressed:
		return "suppressed"
	case !c.Previous.Ok() || !c.Current.Ok():
		return "no figure"
	}
	diff := figure.Rounded(c.Current.V, decimals) - figure.Rounded(c.Previous.V, decimals)
	s := figure.Number(diff, decimals)
	if s == figure.Number(0, decimals) {
		return "no change"
	}
	if diff > 0 {
		return "+" + s
	}
	return s
}

func changes(d *pdfdoc.Doc, r Report) {
	if len(r.Changes) == 0 {
		return
	}
	d.NeedSpace(60)
	d.Heading(1, "Change since last cycle")
	prev := r.PreviousCycle
	if prev == "" {
		prev = "Last cycle"
	}
	d.Para(fmt.Sprintf("Mean maturity level in %s and in %s. \"Not comparable\" marks a figure whose definition changed between the two cycles.", prev, r.Cycle))
	cols := []pdfdoc.Column{
		{Header: "Figure", Width: 55},
		{Header: prev, Width: 22, Align: "R"},
		{Header: r.Cycle, Width: 22, Align: "R"},
		{Header: "Change", Width: 25, Align: "R"},
		{Header: "Note", Width: 56},
	}
	var rows [][]pdfdoc.Cell
	for _, c := range r.Changes {
		rows = append(rows, pdfdoc.Cells(c.Label, c.Previous.Format(1), c.Current.Format(1), Change(c, 1), note(c.Note, c.Previous, c.Current)))
	}
	d.Table(cols, rows)
}

// note joins a row's own note with the reasons its figures are hidden.
func note(own string, vs ...figure.Value) string {
	out := own
	seen := map[string]bool{own: true}
	for _, v := range vs {
		if !v.Ok() && v.Note != "" && !seen[v.Note] {
			seen[v.Note] = true
			if out != "" {
				out += "; "
			}
			out += v.Note
		}
	}
	return out
}

func provision(d *pdfdoc.Doc, r Report) {
	if len(r.Provision) == 0 {
		return
	}
	d.NeedSpace(60)
	d.Heading(1, "Provision compared with "+r.ComparatorPhrase())
	cols := []pdfdoc.Column{
		{Header: "Indicator", Width: 52},
		{Header: "Ours", Width: 20, Align: "R"},
		{Header: r.ComparatorWord() + " median", Width: 20, Align: "R"},
		{Header: "Unit", Width: 22},
		{Header: "Band " + strings.ToLower(r.AgainstComparator()), Width: 31},
		{Header: "Note", Width: 35},
	}
	var rows [][]pdfdoc.Cell
	for _, p := range r.Provision {
		rows = append(rows, []pdfdoc.Cell{
			{Text: p.Label}, {Text: p.Value.Format(p.Decimals)}, {Text: p.GroupMedian.Format(p.Decimals)},
			{Text: p.Unit}, bandCell(p.Band), {Text: note(p.Note, p.Value, p.GroupMedian)},
		})
	}
	d.Table(cols, rows)
}

func heatMap(d *pdfdoc.Doc, r Report) {
	h := r.HeatMap
	if h == nil || len(h.Likelihood) == 0 || len(h.Severity) == 0 {
		return
	}
	const labelW, cellH = 34.0, 15.0
	cellW := (pdfdoc.ContentWidth - labelW - 8) / float64(len(h.Severity))
	// The map, its axes and the list of roles by band after it share a
	// page, so the short list is never left alone on the next one.
	bands := map[string]bool{}
	for _, row := range h.Cells {
		for _, c := range row {
			bands[c.Band] = true
		}
	}
	d.NeedSpace(float64(len(h.Likelihood))*cellH + 60 + 15 + 6*float64(len(bands)))
	d.Heading(1, "High-risk roles: risk heat map")
	if h.Basis != "" {
		d.Para(h.Basis)
	}
	d.Para("Each cell gives the number of roles rated at that likelihood and severity of psychological harm, and the risk band in words. Most likely is at the top, most severe on the right.")
	d.Figure(heatAlt(h), func() { drawHeat(d, h, labelW, cellH, cellW) })
	d.SetFont(pdfdoc.Family, "", 10)
	heatBands(d, h)
}

// traumaGroups prints the high-risk roles by the trauma guidance's three
// groups.
func traumaGroups(d *pdfdoc.Doc, r Report) {
	if len(r.TraumaGroups) == 0 {
		return
	}
	d.NeedSpace(50)
	d.Heading(2, "High-risk roles by trauma group")
	d.Para("Roles banded high or very high on the register by the trauma guidance's three groups (Responding to Trauma in Policing), with the people in them and their screening compliance. A count of people under 5 is shown as \"fewer than 5\", and compliance resting on fewer than 5 people is withheld.")
	cols := []pdfdoc.Column{{Header: "Group", Width: 70}, {Header: "Roles", Width: 25, Align: "R"}, {Header: "People", Width: 35, Align: "R"}, {Header: "Screening compliance", Width: 50, Align: "R"}}
	var rows [][]pdfdoc.Cell
	for _, g := range r.TraumaGroups {
		rows = append(rows, pdfdoc.Cells(g.Label, g.Roles, g.People, g.Compliance))
	}
	d.Table(cols, rows)
}

// heatAlt says in words what the heat map shows: each cell with roles in
// it, most likely and most severe first.
func heatAlt(h *HeatMap) string {
	var parts []string
	for l := len(h.Likelihood) - 1; l >= 0; l-- {
		for sv := len(h.Severity) - 1; sv >= 0; sv-- {
			if l < len(h.Cells) && sv < len(h.Cells[l]) && h.Cells[l][sv].Count > 0 {
				c := h.Cells[l][sv]
				parts = append(parts, fmt.Sprintf("likelihood %s, severity %s: %s (%s)", h.Likelihood[l], h.Severity[sv], figure.Count(float64(c.Count), "role", "roles"), c.Band))
			}
		}
	}
	if len(parts) == 0 {
		return "Risk heat map of roles by likelihood and severity of psychological harm: no roles in any cell."
	}
	return "Risk heat map of roles by likelihood and severity of psychological harm. " + strings.Join(parts, "; ") + "."
}

func drawHeat(d *pdfdoc.Doc, h *HeatMap, labelW, cellH, cellW float64) {
	top := d.GetY() + 2
	x0 := pdfdoc.Margin + 8 + labelW
	d.SetLineWidth(0.3)
	d.Draw(pdfdoc.White)
	for row := len(h.Likelihood) - 1; row >= 0; row-- {
		y := top + float64(len(h.Likelihood)-1-row)*cellH
		d.SetFont(pdfdoc.Family, "", 8)
		d.SetXY(pdfdoc.Margin+8, y+cellH/2-2)
		d.CellFormat(labelW-2, 4, h.Likelihood[row], "", 0, "R", false, 0, "")
		for col := range h.Severity {
			var c HeatCell
			if row < len(h.Cells) && col < len(h.Cells[row]) {
				c = h.Cells[row][col]
			}
			fill := pdfdoc.Hex(c.Colour)
			x := x0 + float64(col)*cellW
			d.Fill(fill)
			d.Rect(x, y, cellW, cellH, "FD")
			ink := pdfdoc.White
			if fill.Light() {
				ink = pdfdoc.Black
			}
			d.Ink(ink)
			d.SetFont(pdfdoc.Family, "B", 12)
			d.SetXY(x, y+2)
			d.CellFormat(cellW, 6, fmt.Sprint(c.Count), "", 0, "C", false, 0, "")
			d.SetFont(pdfdoc.Family, "", 7.5)
			d.SetXY(x, y+9)
			d.CellFormat(cellW, 4, c.Band, "", 0, "C", false, 0, "")
			d.Ink(pdfdoc.Black)
		}
	}
	bottom := top + float64(len(h.Likelihood))*cellH
	d.SetFont(pdfdoc.Family, "", 8)
	for col, s := range h.Severity {
		d.SetXY(x0+float64(col)*cellW, bottom+1)
		d.MultiCell(cellW, 3.5, s, "", "C", false)
	}
	d.SetFont(pdfdoc.Family, "B", 9)
	d.SetXY(x0, bottom+9)
	d.CellFormat(cellW*float64(len(h.Severity)), 5, "Severity of harm", "", 0, "C", false, 0, "")
	label := "Likelihood of harm"
	cx, cy := pdfdoc.Margin+4, top+float64(len(h.Likelihood))*cellH/2
	d.TransformBegin()
	d.TransformRotate(90, cx, cy)
	d.Text(cx-d.GetStringWidth(label)/2, cy+1.5, label)
	d.TransformEnd()
	d.SetXY(pdfdoc.Margin, bottom+17)
}

// heatBands lists the roles in each risk band.
func heatBands(d *pdfdoc.Doc, h *HeatMap) {
	// List the bands from the least to the most severe corner.
	counts := map[string]int{}
	var bandOrder []string
	for l, row := range h.Cells {
		for s := range row {
			c := h.Cells[l][s]
			if _, ok := counts[c.Band]; !ok {
				bandOrder = append(bandOrder, c.Band)
			}
			counts[c.Band] += c.Count
		}
	}
	var items []string
	for _, b := range bandOrder {
		noun := "roles"
		if counts[b] == 1 {
			noun = "role"
		}
		items = append(items, fmt.Sprintf("%s: %d %s", b, counts[b], noun))
	}
	d.Heading(2, "Roles by risk band")
	d.Bullets(items)
}

func method(d *pdfdoc.Doc, r Report) {
	d.AddPage()
	d.Heading(1, "How these figures were computed")
	if r.Method != "" {
		d.Para(r.Method)
	}
	d.Heading(2, "What was suppressed")
	if len(r.Suppressed) == 0 {
		d.Para("Nothing in this report was suppressed.")
		return
	}
	d.Para("These figures are printed as \"suppressed\" and never as a number:")
	d.Bullets(r.Suppressed)
}

// bandLabel introduces the band under each area of the chart: "peers",
// "sector".
func bandLabel(comparator string) string {
	if comparator == "Peer" {
		return "peers"
	}
	return strings.ToLower(comparator)
}

package nationalpdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc"
)

// Title is the document title on the cover and in the PDF metadata.
const Title = "National wellbeing benchmark summary"

// Render writes the summary as a PDF. It returns an error naming the table
// and row when the input does not fit together.
func Render(s Summary) ([]byte, error) {
	if err := check(s); err != nil {
		return nil, err
	}
	title := Title
	if s.Cycle != "" {
		title += ": " + s.Cycle
	}
	d := pdfdoc.New(pdfdoc.Meta{
		Title:   title,
		Subject: "National benchmark against the " + s.Edition,
		Author:  "National Police Wellbeing Service",
		Creator: "Blue Light Wellbeing Toolkit",
		Lang:    s.Lang,
		Created: s.Produced,
	})
	cover(d, s)
	keyMessages(d, s.KeyMessages)
	submission(d, s.Submission)
	charts(d, s.Groups)
	tables(d, "Medians by group", s.Groups)
	tables(d, "Provision and risk indicators", s.Provision)
	traumaGroups(d, s.TraumaGroups)
	method(d, s)
	return d.Bytes()
}

// traumaGroups prints the high-risk roles by the trauma guidance's three
// groups.
func traumaGroups(d *pdfdoc.Doc, rows []TraumaGroupRow) {
	if len(rows) == 0 {
		return
	}
	// A short section: heading, paragraph and its few rows stay on one
	// page, rather than leave a page holding two rows before the method.
	d.NeedSpace(60 + 8*float64(len(rows)+1))
	d.Heading(1, "High-risk roles by trauma group")
	d.Para("Roles banded high or very high on the registers of every organisation by the trauma guidance's three groups (Responding to Trauma in Policing), with the people in them and their screening compliance. A group resting on too few organisations is suppressed; a count of people under 5 is shown as \"fewer than 5\", and compliance resting on fewer than 5 people is withheld.")
	cols := []pdfdoc.Column{{Header: "Group", Width: 70}, {Header: "Roles", Width: 25, Align: "R"}, {Header: "People", Width: 35, Align: "R"}, {Header: "Screening compliance", Width: 50, Align: "R"}}
	var cells [][]pdfdoc.Cell
	for _, g := range rows {
		cells = append(cells, pdfdoc.Cells(g.Label, g.Roles, g.People, g.Compliance))
	}
	d.Table(cols, cells)
}

func check(s Summary) error {
	for i, r := range s.Submission {
		if sum := r.Submitted + r.InProgress + r.NotStarted; sum != r.Organisations || min(r.Submitted, r.InProgress, r.NotStarted) < 0 {
			return fmt.Errorf("nationalpdf: submission row %d (%q): %d submitted + %d in progress + %d not started = %d, not %d organisations",
				i+1, r.Sector, r.Submitted, r.InProgress, r.NotStarted, sum, r.Organisations)
		}
	}
	for _, tabs := range [][]GroupTable{s.Groups, s.Provision} {
		for _, t := range tabs {
			n := len(t.Metrics)
			for i, r := range t.Rows {
				where := fmt.Sprintf("nationalpdf: table %q row %d (%q)", t.Title, i+1, r.Group)
				if len(r.Medians) != n {
					return fmt.Errorf("%s: %d medians for %d metrics", where, len(r.Medians), n)
				}
				if (r.Q1 != nil && len(r.Q1) != n) || (r.Q3 != nil && len(r.Q3) != n) {
					return fmt.Errorf("%s: Q1 and Q3 need %d values each (or none), got %d and %d", where, n, len(r.Q1), len(r.Q3))
				}
			}
		}
	}
	return nil
}

func cover(d *pdfdoc.Doc, s Summary) {
	d.AddPage()
	d.SetY(70)
	d.SetFont(pdfdoc.Family, "B", 26)
	d.Ink(pdfdoc.DarkBlue)
	d.Tagged("H1", func() { d.MultiCell(pdfdoc.ContentWidth, 12, Title, "", "L", false) })
	d.Ink(pdfdoc.Black)
	d.Ln(8)
	for _, kv := range [][2]string{
		{"Assessment cycle", s.Cycle},
		{"Framework", s.Edition},
		{"Produced", s.Produced.Format("2 January 2006")},
		{"Published by", "National Police Wellbeing Service"},
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
	d.Ln(10)
	d.Notices(s.Notices)
	d.Para("This summary names no organisation. Every figure describes a group of organisations, and a figure resting on too few organisations, or one that would let such a figure be worked out, is printed as \"suppressed\". The rule and the list of suppressed figures are at the end.")
}

func submission(d *pdfdoc.Doc, rows []SubmissionRow) {
	d.AddPage()
	d.Heading(1, "Who took part")
	d.Para("Organisations in each sector by where their self-assessment for the cycle stands. Only submitted and validated assessments count towards the figures that follow.")
	if len(rows) == 0 {
		d.Para("No submission figures were given.")
		return
	}
	cols := []pdfdoc.Column{
		{Header: "Sector", Width: 50},
		{Header: "Organisations", Width: 24, Align: "R"},
		{Header: "Submitted or validated", Width: 30, Align: "R"},
		{Header: "Draft or returned", Width: 28, Align: "R"},
		{Header: "Not started", Width: 24, Align: "R"},
		{Header: "Share submitted", Width: 24, Align: "R"},
	}
	var total SubmissionRow
	var out [][]pdfdoc.Cell
	line := func(r SubmissionRow, bold bool) []pdfdoc.Cell {
		share := "none"
		if r.Organisations > 0 {
			share = figure.Number(100*float64(r.Submitted)/float64(r.Organisations), 0) + "%"
		}
		texts := []string{figure.SectorName(r.Sector), fmt.Sprint(r.Organisations), fmt.Sprint(r.Submitted), fmt.Sprint(r.InProgress), fmt.Sprint(r.NotStarted), share}
		cells := pdfdoc.Cells(texts...)
		for i := range cells {
			cells[i].Bold = bold
		}
		return cells
	}
	for _, r := range rows {
		out = append(out, line(r, false))
		total.Organisations += r.Organisations
		total.Submitted += r.Submitted
		total.InProgress += r.InProgress
		total.NotStarted += r.NotStarted
	}
	total.Sector = "All sectors"
	out = append(out, line(total, true))
	d.Table(cols, out)
}

// decimals is how many places column i of t prints.
func decimals(t GroupTable, i int) int {
	if i < len(t.Decimals) {
		return t.Decimals[i]
	}
	return 1
}

// Table layout: the group column takes what the metric columns leave,
// but never less than groupMinW; each metric column is at least as wide
// as its longest header word and its longest figure, so words never break.
const (
	groupMinW  = 30.0
	nW         = 9.0
	metricMinW = 12.0
	maxMetricW = 28.0
	fontSize   = 8.5 // pdfdoc.Table's cell font
	// cellSlack is what pdfdoc.Table takes from a column for padding
	// (1.2 mm each side), and a little more for rounding.
	cellSlack = 2.6
)

// columnWidth is the narrowest column that shows header and texts with no
// word broken.
func columnWidth(d *pdfdoc.Doc, header string, texts []string) float64 {
	w := metricMinW
	d.SetFont(pdfdoc.Family, "B", fontSize)
	for _, word := range strings.Fields(header) {
		w = math.Max(w, d.GetStringWidth(word)+cellSlack)
	}
	d.SetFont(pdfdoc.Family, "", fontSize)
	for _, t := range texts {
		w = math.Max(w, d.GetStringWidth(t)+cellSlack)
	}
	return w
}

// parts packs the metric columns, in order, into runs that fit across the
// page beside the group and N columns, and spreads each run's spare width
// over its columns. Each part is [from, to) with the widths of its columns.
type part struct {
	from, to int
	widths   []float64
}

func layout(needs []float64) []part {
	if len(needs) == 0 {
		return []part{{}}
	}
	room := pdfdoc.ContentWidth - groupMinW - nW
	fit := func(from, to int) bool {
		used := 0.0
		for _, w := range needs[from:to] {
			used += w
		}
		return to-from == 1 || used <= room
	}
	// Greedy packing gives the fewest parts; then, if it fits, the same
	// number of parts with the columns shared out evenly (4 and 4 rather
	// than 7 and 1).
	var cuts []int
	for from := 0; from < len(needs); {
		to := from + 1
		for to < len(needs) && fit(from, to+1) {
			to++
		}
		cuts = append(cuts, to)
		from = to
	}
	size := (len(needs) + len(cuts) - 1) / len(cuts)
	var even []int
	ok := true
	for from := 0; from < len(needs); from += size {
		to := min(from+size, len(needs))
		ok = ok && fit(from, to)
		even = append(even, to)
	}
	if ok && len(even) == len(cuts) {
		cuts = even
	}
	var out []part
	from := 0
	for _, to := range cuts {
		p := part{from: from, to: to}
		used := 0.0
		for _, w := range needs[from:to] {
			w = math.Min(w, room) // one over-wide column gets the whole room
			used += w
			p.widths = append(p.widths, w)
		}
		// Spread the spare width over the metric columns, none wider than
		// maxMetricW; the group column gets what is left.
		spare := (room - used) / float64(len(p.widths))
		for i, w := range p.widths {
			p.widths[i] = w + math.Min(spare, math.Max(0, maxMetricW-w))
		}
		out = append(out, p)
		from = to
	}
	return out
}

func tables(d *pdfdoc.Doc, heading string, tabs []GroupTable) {
	if len(tabs) == 0 {
		return
	}
	d.AddPage()
	d.Heading(1, heading)
	d.Para("Each figure is the median over the organisations in the group that submitted; N is how many organisations that is.")
	for _, t := range tabs {
		d.Heading(2, t.Title)
		if t.Note != "" {
			d.Para(t.Note)
		}
		texts := make([][]string, len(t.Metrics))
		for _, r := range t.Rows {
			for i := range t.Metrics {
				texts[i] = append(texts[i], r.Medians[i].Format(decimals(t, i)))
			}
		}
		needs := make([]float64, len(t.Metrics))
		for i, m := range t.Metrics {
			needs[i] = columnWidth(d, m, texts[i])
		}
		ps := layout(needs)
		for n, p := range ps {
			if len(ps) > 1 {
				// Named in full, as a part may start a page.
				d.NeedSpace(30)
				d.SetFont(pdfdoc.Family, "B", 9)
				d.Tagged("P", func() {
					d.MultiCell(pdfdoc.ContentWidth, 5, fmt.Sprintf("%s, part %d of %d", t.Title, n+1, len(ps)), "", "L", false)
				})
				d.SetFont(pdfdoc.Family, "", 10)
			}
			groupW := pdfdoc.ContentWidth - nW
			for _, w := range p.widths {
				groupW -= w
			}
			cols := []pdfdoc.Column{{Header: "Group", Width: groupW}, {Header: "N", Width: nW, Align: "R"}}
			for i := p.from; i < p.to; i++ {
				cols = append(cols, pdfdoc.Column{Header: t.Metrics[i], Width: p.widths[i-p.from], Align: "R"})
			}
			var rows [][]pdfdoc.Cell
			for _, r := range t.Rows {
				cells := pdfdoc.Cells(figure.Capitalise(r.Group), fmt.Sprint(r.N))
				for i := p.from; i < p.to; i++ {
					cells = append(cells, pdfdoc.Cell{Text: texts[i][len(rows)]})
				}
				rows = append(rows, cells)
			}
			d.Table(cols, rows)
		}
	}
}

func method(d *pdfdoc.Doc, s Summary) {
	d.AddPage()
	d.Heading(1, "How the figures were computed")
	if strings.TrimSpace(s.Method) != "" {
		d.Para(s.Method)
	}
	d.Heading(2, "Disclosure control")
	rule := s.SuppressionRule
	if strings.TrimSpace(rule) == "" {
		rule = "No rule was given."
	}
	d.Para(rule)
	d.Para("A suppressed figure is printed as \"suppressed\" and never as a number; in the charts it is a labelled gap. \"no figure\" means the figure could not be worked out, for the reason given beside it. No organisation is named in this summary.")
	d.Heading(2, "What was suppressed")
	if len(s.Suppressed) == 0 {
		d.Para("Nothing in this summary was suppressed.")
		return
	}
	d.Bullets(s.Suppressed)
}

// keyMessages prints the key messages, straight after the cover.
func keyMessages(d *pdfdoc.Doc, messages []string) {
	if len(messages) == 0 {
		return
	}
	d.AddPage()
	d.Heading(1, "Key messages")
	d.Bullets(messages)
}

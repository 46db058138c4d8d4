package gapanalysis

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/actionstatus"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxtext"
)

var (
	riskHeader  = []string{"Role", "Headcount", "Overall risk band", "Next review", "Next screening", "Overdue"}
	benchHeader = []string{"Metric", "Group", "N", "Median", "Q1 (25th)", "Q3 (75th)", "P20", "P80"}
)

// comparator is the comparison group in a column heading ("Peer median",
// "Sector median"), and after "against" ("peers", "sector").
func (w Workbook) comparator() (heading, against string) {
	if w.Comparator == "" || w.Comparator == "Peer" {
		return "Peer", "peers"
	}
	return w.Comparator, strings.ToLower(w.Comparator)
}

// Build writes the workbook.
func Build(w Workbook) ([]byte, error) {
	b := &builder{Writer: xlsxdoc.New()}
	defer b.Close()
	b.SetProperties(xlsxdoc.Properties{Title: "Gap analysis: " + w.Organisation + ", " + w.Cycle,
		Subject: w.Edition, Company: w.Organisation, Produced: w.Produced})
	b.header = b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3F2F1"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.wrap = b.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.level = b.NumberStyle(xlsxdoc.FormatLevel)
	b.count = b.NumberStyle(xlsxdoc.FormatCount)
	b.dateStyle = b.NumberStyle(xlsxdoc.FormatDate)
	b.summary(w)
	b.gaps(w)
	b.risks(w)
	b.provision(w)
	b.benchmarks(w)
	b.notes(w)
	footer := w.Organisation + " · gap analysis · " + w.Cycle
	for _, s := range []string{SheetGaps, SheetRisks, SheetProvision, SheetBenchmarks} {
		b.SetPrintLayout(s, xlsxdoc.PrintLayout{Landscape: true, TitleRows: 1, Footer: footer})
	}
	b.SetPrintLayout(SheetSummary, xlsxdoc.PrintLayout{Landscape: true, Footer: footer}) // the chart is wide
	b.SetPrintLayout(SheetNotes, xlsxdoc.PrintLayout{Footer: footer})
	b.SetActiveSheet(0)
	return b.Bytes()
}

// builder writes through an xlsxdoc.Writer, which keeps the first error,
// so the layout code reads straight through.
type builder struct {
	*xlsxdoc.Writer
	header, wrap, dateStyle, level, count int
}

// str writes text, quote-prefixed if it looks like a formula.
func (b *builder) str(sheet string, col, row int, v string) {
	b.SetCellText(sheet, xlsxdoc.Cell(col, row), v)
}

// num writes a figure as a number in style, or leaves the cell blank with
// a comment saying why there is none.
func (b *builder) num(sheet string, col, row int, v figure.Value, style int) {
	b.scaled(sheet, col, row, v, 1, style)
}

// scaled is num with the figure multiplied by scale (see
// xlsxdoc.MetricFormat).
func (b *builder) scaled(sheet string, col, row int, v figure.Value, scale float64, style int) {
	cell := xlsxdoc.Cell(col, row)
	b.SetCellStyle(sheet, cell, cell, style)
	if !v.Ok() {
		why := v.Format(0)
		if v.Note != "" {
			why += ": " + v.Note
		}
		b.AddComment(sheet, excelize.Comment{Cell: cell, Author: "Toolkit", Text: why})
		return
	}
	b.SetCellFloat(sheet, cell, v.V*scale, -1, 64)
}

// metric writes a metric's figure in its unit's format.
func (b *builder) metric(sheet string, col, row int, v figure.Value, unit string, decimals int) {
	format, scale := xlsxdoc.MetricFormat(unit, decimals)
	b.scaled(sheet, col, row, v, scale, b.NumberStyle(format))
}

// date writes a date; zero leaves the cell blank, still formatted as a
// date for whoever types one in.
func (b *builder) date(sheet string, col, row int, t time.Time) {
	b.SetCellStyle(sheet, xlsxdoc.Cell(col, row), xlsxdoc.Cell(col, row), b.dateStyle)
	if !t.IsZero() {
		b.SetCellValue(sheet, xlsxdoc.Cell(col, row), t)
	}
}

// table starts a sheet with a bold, frozen header row and an autofilter
// over rows rows, names the table after its sheet ("RiskRegister"), and
// sets column widths.
func (b *builder) table(sheet string, header []string, rows int, widths []float64) {
	b.NewSheet(sheet)
	for i, h := range header {
		b.str(sheet, i+1, 1, h)
		if i < len(widths) {
			col, _ := excelize.ColumnNumberToName(i + 1)
			b.SetColWidth(sheet, col, col, widths[i])
		}
	}
	var cells []xlsxdoc.WrappedCell
	for i := range min(len(header), len(widths)) {
		cells = append(cells, xlsxdoc.WrappedCell{Width: widths[i], Text: header[i]})
	}
	b.FitRowHeight(sheet, 1, cells...)
	last := xlsxdoc.Cell(len(header), 1)
	b.SetCellStyle(sheet, "A1", last, b.header)
	b.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	area := "A1:" + xlsxdoc.Cell(len(header), max(rows, 1)+1)
	b.AutoFilter(sheet, area, nil)
	b.NameRange(tableName(sheet), sheet, area)
}

// tableName is a sheet's name as a defined name: "Risk register" is
// "RiskRegister".
func tableName(sheet string) string {
	var name strings.Builder
	for _, word := range strings.Fields(sheet) {
		name.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return name.String()
}

func (b *builder) summary(w Workbook) {
	const s = SheetSummary
	b.SetSheetName("Sheet1", s)
	title := b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	b.str(s, 1, 1, "Gap analysis: "+w.Organisation)
	b.SetCellStyle(s, "A1", "A1", title)
	b.str(s, 1, 2, "Cycle: "+w.Cycle)
	b.str(s, 1, 3, "Framework: "+w.Edition)
	b.str(s, 1, 4, "Produced: "+w.Produced.Format("2 January 2006"))
	high, medium := 0, 0
	for _, g := range w.Gaps {
		_, _, band, _ := Priority(g.Current, g.Target, g.PeerMedian)
		switch band {
		case PriorityHigh:
			high++
		case PriorityMedium:
			medium++
		}
	}
	b.str(s, 1, 5, "Standards with high priority gaps: "+itoa(high)+"; medium: "+itoa(medium))
	if len(w.Notices) > 0 {
		b.str(s, 1, 6, strings.Join(w.Notices, " "))
	}

	// The chart reads this table: a suppressed or missing figure is a blank
	// cell, which the chart leaves as a gap rather than drawing a zero.
	const top = 7
	heading, _ := w.comparator()
	for i, h := range []string{"Area", "Our level", "National median", heading + " median"} {
		b.str(s, i+1, top, h)
	}
	b.SetCellStyle(s, xlsxdoc.Cell(1, top), xlsxdoc.Cell(4, top), b.header)
	for i, a := range w.Areas {
		row := top + 1 + i
		b.str(s, 1, row, a.Title)
		for j, v := range []figure.Value{a.Value, a.NationalMedian, a.PeerMedian} {
			b.num(s, 2+j, row, v, b.level)
		}
	}
	b.SetColWidth(s, "A", "A", 32)
	b.SetColWidth(s, "B", "D", 16)
	if len(w.Areas) == 0 {
		return
	}
	last := top + len(w.Areas)
	b.NameRange("AreaLevels", s, xlsxdoc.Cell(1, top)+":"+xlsxdoc.Cell(4, last))
	cats := "'" + s + "'!$A$" + itoa(top+1) + ":$A$" + itoa(last)
	var series []excelize.ChartSeries
	for j, colour := range []string{"1D70B8", "505A5F", "F47738"} {
		col, _ := excelize.ColumnNumberToName(2 + j)
		series = append(series, excelize.ChartSeries{
			Name:       "'" + s + "'!$" + col + "$" + itoa(top),
			Categories: cats,
			Values:     "'" + s + "'!$" + col + "$" + itoa(top+1) + ":$" + col + "$" + itoa(last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		})
	}
	maxLevel := 4.0
	b.AddChart(s, xlsxdoc.Cell(1, last+2), &excelize.Chart{
		Type:         excelize.Col,
		Series:       series,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Maturity by area: ours, national median and " + strings.ToLower(heading) + " median"}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{MajorGridLines: true, Minimum: new(0.0), Maximum: &maxLevel, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Mean maturity level"}}}},
		ShowBlanksAs: "gap",
		// Short enough to print on the first page with the table above it.
		Dimension: excelize.ChartDimension{Width: 820, Height: 240},
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func (b *builder) gaps(w Workbook) {
	const s = SheetGaps
	const statementWidth, actionsWidth = 50, 50
	heading, _ := w.comparator()
	gapHeader := []string{"Standard", "Area", "Statement", "Current level", "Target level", "National median", heading + " median", "Gap", "Priority score", "Priority", "Actions", "Owner", "Due date", "Status"}
	b.table(s, gapHeader, len(w.Gaps), []float64{12, 22, statementWidth, 10, 10, 11, 11, 8, 10, 11, actionsWidth, 20, 12, 14})
	for i, g := range w.Gaps {
		row := i + 2
		b.str(s, 1, row, g.StandardID)
		b.str(s, 2, row, g.Area)
		b.str(s, 3, row, g.Statement)
		for j, v := range []figure.Value{g.Current, g.Target, g.NationalMedian, g.PeerMedian} {
			b.num(s, 4+j, row, v, b.level)
		}
		gap, score, band, ok := Priority(g.Current, g.Target, g.PeerMedian)
		if ok {
			b.num(s, 8, row, figure.Of(gap), b.level)
			b.num(s, 9, row, figure.Of(score), b.level)
		} else {
			b.num(s, 8, row, figure.MissingValue("not rated: the current or target level is not set"), b.level)
			b.num(s, 9, row, figure.MissingValue("not rated: the current or target level is not set"), b.level)
		}
		b.str(s, 10, row, band)
		b.str(s, 11, row, g.Actions)
		b.str(s, 12, row, g.Owner)
		b.date(s, 13, row, g.Due)
		status := g.Status
		if status == "" && g.Actions == "" {
			status = actionstatus.NoActions
		}
		b.str(s, 14, row, status)
		b.FitRowHeight(s, row, xlsxdoc.WrappedCell{Width: statementWidth, Text: g.Statement}, xlsxdoc.WrappedCell{Width: actionsWidth, Text: g.Actions})
	}
	last := itoa(max(len(w.Gaps), 1) + 1)
	// Every text cell of a row at the top, as the figures are, so a tall
	// row reads across.
	for _, col := range []string{"A", "B", "C", "J", "K", "L", "N"} {
		b.SetCellStyle(s, col+"2", col+last, b.wrap)
	}

	dv := excelize.NewDataValidation(true)
	dv.Sqref = "N2:N" + last
	b.Keep(dv.SetDropList(append(slices.Clone(Statuses), actionstatus.NoActions)))
	dv.SetError(excelize.DataValidationErrorStyleStop, "Status", "Choose a status from the list: "+strings.Join(Statuses, ", ")+
		" (or "+actionstatus.NoActions+" for a standard with none)")
	b.AddDataValidation(s, dv)

	// Gap as a data bar; priority coloured, the word still in the cell.
	b.SetConditionalFormat(s, "H2:H"+last, []excelize.ConditionalFormatOptions{
		{Type: "data_bar", Criteria: "=", MinType: "num", MinValue: "0", MaxType: "num", MaxValue: "4", BarColor: "#1D70B8"},
	})
	var rules []excelize.ConditionalFormatOptions
	for _, p := range []struct{ band, fill, font string }{
		{PriorityHigh, "F6D7D2", "942514"}, {PriorityMedium, "FCE4CF", "6F3A00"}, {PriorityLow, "CCE2D8", "005A30"},
	} {
		id := b.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: p.font, Bold: p.band == PriorityHigh},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{p.fill}}})
		rules = append(rules, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: `"` + p.band + `"`, Format: &id})
	}
	b.SetConditionalFormat(s, "J2:J"+last, rules)
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func (b *builder) risks(w Workbook) {
	const s = SheetRisks
	b.table(s, riskHeader, len(w.Risks), []float64{40, 11, 16, 14, 14, 10})
	for i, r := range w.Risks {
		row := i + 2
		b.str(s, 1, row, r.Role)
		b.num(s, 2, row, r.Headcount, b.count)
		b.str(s, 3, row, r.Band)
		b.date(s, 4, row, r.NextReview)
		b.date(s, 5, row, r.NextScreening)
		b.str(s, 6, row, yesNo(r.Overdue))
	}
	last := itoa(max(len(w.Risks), 1) + 1)
	id := b.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "942514", Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F6D7D2"}}})
	b.SetConditionalFormat(s, "F2:F"+last, []excelize.ConditionalFormatOptions{{Type: "cell", Criteria: "==", Value: `"yes"`, Format: &id}})
}

func (b *builder) provision(w Workbook) {
	const s = SheetProvision
	heading, against := w.comparator()
	provisionHeader := []string{"Indicator", "Unit", "Value", heading + " median", "National median", "Band against " + against, "Note"}
	b.table(s, provisionHeader, len(w.Provision), []float64{40, 16, 10, 12, 14, 24, 36})
	for i, p := range w.Provision {
		row := i + 2
		b.str(s, 1, row, p.Label)
		b.str(s, 2, row, p.Unit)
		for j, v := range []figure.Value{p.Value, p.PeerMedian, p.NationalMedian} {
			b.metric(s, 3+j, row, v, p.Unit, p.Decimals)
		}
		b.str(s, 6, row, p.Band.String())
		note := p.Note
		for _, v := range []figure.Value{p.Value, p.PeerMedian, p.NationalMedian} {
			if !v.Ok() && v.Note != "" && !strings.Contains(note, v.Note) {
				note = strings.TrimPrefix(note+"; "+v.Note, "; ")
			}
		}
		b.str(s, 7, row, note)
	}
}

func (b *builder) benchmarks(w Workbook) {
	const s = SheetBenchmarks
	b.table(s, benchHeader, len(w.Benchmarks), []float64{36, 40, 6, 10, 10, 10, 10, 10})
	for i, m := range w.Benchmarks {
		row := i + 2
		b.str(s, 1, row, m.Metric)
		b.str(s, 2, row, m.Group)
		b.num(s, 3, row, figure.Of(float64(m.N)), b.count)
		for j, v := range []figure.Value{m.Median, m.Q1, m.Q3, m.P20, m.P80} {
			b.metric(s, 4+j, row, v, m.Unit, m.Decimals)
		}
	}
}

func (b *builder) notes(w Workbook) {
	const s, notesWidth = SheetNotes, 110
	b.NewSheet(s)
	bold := b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	row := 1
	section := func(title, text string) {
		b.str(s, 1, row, title)
		b.SetCellStyle(s, xlsxdoc.Cell(1, row), xlsxdoc.Cell(1, row), bold)
		row++
		for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
			b.str(s, 1, row, strings.TrimSpace(p))
			b.SetCellStyle(s, xlsxdoc.Cell(1, row), xlsxdoc.Cell(1, row), b.wrap)
			b.FitRowHeight(s, row, xlsxdoc.WrappedCell{Width: notesWidth, Text: strings.TrimSpace(p)})
			row++
		}
		row++
	}
	method := w.Method
	if method == "" {
		method = "Not given."
	}
	rule := w.SuppressionRule
	if rule == "" {
		rule = "Not given."
	}
	if len(w.Notices) > 0 {
		section("About this content", strings.Join(w.Notices, "\n\n"))
	}
	section("Method", method)
	section("Suppression rule", rule+"\n\nA suppressed figure, or one that could not be worked out, leaves its cell blank, never a number; a comment on the cell says why (\"suppressed\" or \"no figure\", with the reason).")
	section("Priority rule", PriorityRule)
	section("Percentile bands", "Bands compare a figure with the group's 20th, 50th and 80th percentiles: below 20th percentile, 20th to 50th percentile, 50th to 80th percentile, above 80th percentile. A figure on a cut point goes in the upper band.")
	section("Text from users", xlsxtext.Rule)
	b.SetColWidth(s, "A", "A", notesWidth)
}

package nationalbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
)

// Title is the workbook's document title, followed by the cycle.
const Title = "National wellbeing benchmark workbook"

// maxDecimals bounds Metric.Decimals: Excel shows at most 15 significant
// digits, and no figure here needs more than a few places.
const maxDecimals = 6

// Build writes the workbook. It returns an error naming the organisation
// or metric when the input does not fit together (values not aligned with
// the metrics, an unknown status, a repeated column label).
func Build(w Workbook) ([]byte, error) {
	if err := check(w); err != nil {
		return nil, err
	}
	b := &builder{Writer: xlsxdoc.New()}
	defer b.Close()
	b.SetProperties(xlsxdoc.Properties{Title: Title + ": " + w.Cycle, Subject: w.Edition,
		Category: "Named: for national admins only", Produced: w.Produced})
	b.header = b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F3F2F1"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.wrap = b.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.date = b.NumberStyle(xlsxdoc.FormatDate)
	b.SetSheetName("Sheet1", SheetOrganisations)
	for _, s := range []string{SheetDistributions, SheetSubmission, SheetNotes} {
		b.NewSheet(s)
	}
	// The streamed sheets' before their streams start, which write the
	// page setup flag first; the others' after their content, since
	// excelize's AutoFilter replaces that flag.
	footer := Title + " · " + w.Cycle + " · names organisations: national team only"
	table := xlsxdoc.PrintLayout{Landscape: true, TitleRows: 1, Footer: footer}
	b.SetPrintLayout(SheetOrganisations, table)
	b.SetPrintLayout(SheetDistributions, table)
	b.organisations(w)
	b.distributions(w)
	b.submission(w)
	b.notes(w)
	b.SetPrintLayout(SheetSubmission, table)
	b.SetPrintLayout(SheetNotes, xlsxdoc.PrintLayout{Footer: footer})
	// No SetActiveSheet: the first sheet is already active, and the call
	// would read every streamed sheet back into memory.
	data, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return canonical(data)
}

// orgHeader is the fixed part of the Organisations sheet's header; the
// metric labels follow.
var orgHeader = []string{"Organisation", "Sector", "Nation", "Region", "Peer group", "Status", "Workforce"}

// suppressedColumn ends the Distributions table: it names the figures of
// the row that the publication rule withholds, whose cells are blank. The
// Organisations sheet withholds nothing: it is the national team's own
// named view.
const suppressedColumn = "Withheld when published"

// check rejects input that would give a wrong or unreadable workbook.
func check(w Workbook) error {
	seen := map[string]string{}
	for _, h := range append(orgHeader, suppressedColumn) {
		seen[strings.ToLower(h)] = "a fixed column"
	}
	for i, m := range w.Metrics {
		where := fmt.Sprintf("metric %d (key %q)", i+1, m.Key)
		if strings.TrimSpace(m.Label) == "" {
			return fmt.Errorf("nationalbook: %s: label is empty", where)
		}
		// Excel tables need unique column names, compared without case.
		if other, ok := seen[strings.ToLower(m.Label)]; ok {
			return fmt.Errorf("nationalbook: %s: label %q repeats %s", where, m.Label, other)
		}
		seen[strings.ToLower(m.Label)] = where
		if m.Decimals < 0 || m.Decimals > maxDecimals {
			return fmt.Errorf("nationalbook: %s: decimals %d, want 0 to %d", where, m.Decimals, maxDecimals)
		}
	}
	for i, o := range w.Orgs {
		where := fmt.Sprintf("organisation %d (%q)", i+1, o.Name)
		if len(o.Values) != len(w.Metrics) {
			return fmt.Errorf("nationalbook: %s: %d values for %d metrics", where, len(o.Values), len(w.Metrics))
		}
		if statusIndex(o.Status) < 0 {
			return fmt.Errorf("nationalbook: %s: status %q is not one of %s", where, o.Status, strings.Join(Statuses, ", "))
		}
	}
	return nil
}

func statusIndex(s string) int {
	for i, st := range Statuses {
		if s == st {
			return i
		}
	}
	return -1
}

// builder writes through an xlsxdoc.Writer, which keeps the first error,
// so the layout code reads straight through.
type builder struct {
	*xlsxdoc.Writer
	header, wrap, date int
}

// metricStyle is the style a metric's figures take, and the factor to
// write them with (see xlsxdoc.MetricFormat).
func (b *builder) metricStyle(m Metric) (style int, scale float64) {
	format, scale := xlsxdoc.MetricFormat(m.Unit, m.Decimals)
	return b.NumberStyle(format), scale
}

// value is what a figure becomes in a cell: the number times scale, or
// nothing at all when it is missing or withheld (the row's last cell names
// the withheld ones).
func value(v figure.Value, scale float64) any {
	if !v.Ok() {
		return nil
	}
	return v.V * scale
}

// suppressed names, joined, the figures in vs that are suppressed.
func suppressed(names []string, vs []figure.Value) string {
	var hidden []string
	for i, v := range vs {
		if v.State == figure.Suppressed {
			hidden = append(hidden, names[i])
		}
	}
	return strings.Join(hidden, ", ")
}

// headerRow is a header of escaped, styled text cells.
func (b *builder) headerRow(labels []string) []any {
	row := make([]any, len(labels))
	for i, l := range labels {
		row[i] = b.Text(b.header, l)
	}
	return row
}

// organisations writes one row per organisation, streamed: a frozen header
// row and name column, and an Excel table for the filter buttons.
func (b *builder) organisations(w Workbook) {
	sw := b.NewStreamWriter(SheetOrganisations, len(orgHeader)+len(w.Metrics), len(w.Orgs)+1)
	fixed := len(orgHeader)
	for i, width := range []float64{40, 11, 16, 24, 28, 12, 11} {
		sw.SetColWidth(i+1, i+1, width)
	}
	sw.SetColStyle(fixed, fixed, b.NumberStyle(xlsxdoc.FormatCount))
	scales := make([]float64, len(w.Metrics))
	if n := len(w.Metrics); n > 0 {
		sw.SetColWidth(fixed+1, fixed+n, 14)
		for i, m := range w.Metrics {
			var style int
			style, scales[i] = b.metricStyle(m)
			sw.SetColStyle(fixed+1+i, fixed+1+i, style)
		}
	}
	sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}})
	labels := append([]string(nil), orgHeader...)
	for _, m := range w.Metrics {
		labels = append(labels, m.Label)
	}
	sw.SetRow("A1", b.headerRow(labels), excelize.RowOpts{Height: 60})
	row := make([]any, len(labels))
	for i, o := range w.Orgs {
		for j, s := range []string{o.Name, o.Sector, o.Nation, o.Region, o.PeerGroup, o.Status} {
			row[j] = b.Text(0, s)
		}
		row[fixed-1] = value(o.Workforce, 1)
		for j, v := range o.Values {
			row[fixed+j] = value(v, scales[j])
		}
		sw.SetRow(xlsxdoc.Cell(1, i+2), row)
	}
	sw.AddTable(&excelize.Table{Range: "A1:" + xlsxdoc.Cell(len(labels), max(len(w.Orgs), 1)+1), Name: "OrganisationsTable", StyleName: "TableStyleLight1"})
	sw.Flush()
}

var distHeader = []string{"Group", "Metric", "Unit", "N", "Mean", "Median", "Q1 (25th)", "Q3 (75th)", "P20", "P80", "Min", "Max", suppressedColumn}

// distributions writes one row per group and metric, streamed. Figures
// take the decimals of the metric with the same label.
func (b *builder) distributions(w Workbook) {
	sw := b.NewStreamWriter(SheetDistributions, len(distHeader), len(w.Distributions)+1)
	byLabel := map[string]Metric{}
	for _, m := range w.Metrics {
		byLabel[m.Label] = m
	}
	for i, width := range []float64{32, 36, 16, 6, 10, 10, 10, 10, 10, 10, 10, 10, 30} {
		sw.SetColWidth(i+1, i+1, width)
	}
	sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	sw.SetRow("A1", b.headerRow(distHeader), excelize.RowOpts{Height: 30})
	row := make([]any, len(distHeader))
	count := b.NumberStyle(xlsxdoc.FormatCount)
	for i, d := range w.Distributions {
		m, known := byLabel[d.Metric]
		style, scale := 0, 1.0 // General: the full number, when the metric is not one of the columns
		if known {
			style, scale = b.metricStyle(m)
		}
		row[0], row[1], row[2], row[3] = b.Text(0, d.Group), b.Text(0, d.Metric), b.Text(0, m.Unit), excelize.Cell{StyleID: count, Value: d.N}
		figures := []figure.Value{d.Mean, d.Median, d.Q1, d.Q3, d.P20, d.P80, d.Min, d.Max}
		for j, v := range figures {
			row[4+j] = excelize.Cell{StyleID: style, Value: value(v, scale)}
		}
		row[len(row)-1] = b.Text(0, suppressed(distHeader[4:len(distHeader)-1], figures))
		sw.SetRow(xlsxdoc.Cell(1, i+2), row)
	}
	sw.AddTable(&excelize.Table{Range: "A1:" + xlsxdoc.Cell(len(distHeader), max(len(w.Distributions), 1)+1), Name: "DistributionsTable", StyleName: "TableStyleLight1"})
	sw.Flush()
}

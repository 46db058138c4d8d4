package nationalbook

import (
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
)

// statusTint colours the status cells; the word stays in the cell, so the
// colour is never the only signal.
var statusTint = map[string]struct{ fill, font string }{
	"validated":   {"CCE2D8", "005A30"},
	"submitted":   {"D2E2F1", "003078"},
	"returned":    {"F6D7D2", "942514"},
	"draft":       {"FFF7BF", "594D00"},
	"not started": {"F3F2F1", "505A5F"},
}

// countColumn is where the count by status and sector starts, one blank
// column to the right of the organisation list.
const countColumn = 7

// submission lists every organisation's status, with the count by status
// in each sector beside it. At one row per organisation and five columns
// it is small enough for excelize's normal mode, which conditional
// formatting needs.
func (b *builder) submission(w Workbook) {
	const s = SheetSubmission
	for i, h := range []string{"Organisation", "Sector", "Region", "Status", "Submitted on"} {
		b.SetCellStr(s, xlsxdoc.Cell(i+1, 1), h)
	}
	b.SetCellStyle(s, "A1", "E1", b.header)
	for i, o := range w.Orgs {
		row := i + 2
		for j, v := range []string{o.Name, o.Sector, o.Region, o.Status} {
			b.SetCellText(s, xlsxdoc.Cell(j+1, row), v)
		}
		if !o.SubmittedOn.IsZero() {
			b.SetCellValue(s, xlsxdoc.Cell(5, row), o.SubmittedOn)
		}
	}
	last := max(len(w.Orgs), 1) + 1
	b.SetCellStyle(s, "E2", xlsxdoc.Cell(5, last), b.date)
	// A slice, not a map: the order of the calls shows in the file, and
	// the same input must give the same bytes.
	for i, width := range []float64{40, 12, 24, 13, 13, 3, 16, 11, 11, 11, 11, 11, 12} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		b.SetColWidth(s, col, col, width)
	}
	b.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
	b.AutoFilter(s, "A1:"+xlsxdoc.Cell(5, last), nil)

	var rules []excelize.ConditionalFormatOptions
	for _, st := range Statuses {
		t := statusTint[st]
		id := b.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: t.font, Bold: st == "returned"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{t.fill}}})
		rules = append(rules, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: `"` + st + `"`, Format: &id})
	}
	b.SetConditionalFormat(s, "D2:"+xlsxdoc.Cell(4, last), rules)
	b.counts(w)
}

// counts writes the number of organisations in each status, one row per
// sector (alphabetical) and a total row.
func (b *builder) counts(w Workbook) {
	const s = SheetSubmission
	counts := map[string][]int{}
	total := make([]int, len(Statuses))
	for _, o := range w.Orgs {
		c := counts[o.Sector]
		if c == nil {
			c = make([]int, len(Statuses))
			counts[o.Sector] = c
		}
		c[statusIndex(o.Status)]++
		total[statusIndex(o.Status)]++
	}
	sectors := make([]string, 0, len(counts))
	for sector := range counts {
		sectors = append(sectors, sector)
	}
	slices.Sort(sectors)

	header := append(append([]string{"Sector"}, Statuses...), "All statuses")
	for i, h := range header {
		b.SetCellStr(s, xlsxdoc.Cell(countColumn+i, 1), h)
	}
	b.SetCellStyle(s, xlsxdoc.Cell(countColumn, 1), xlsxdoc.Cell(countColumn+len(header)-1, 1), b.header)
	row := 2
	put := func(label string, c []int) {
		b.SetCellText(s, xlsxdoc.Cell(countColumn, row), label)
		sum := 0
		for i, n := range c {
			b.SetCellInt(s, xlsxdoc.Cell(countColumn+1+i, row), int64(n))
			sum += n
		}
		b.SetCellInt(s, xlsxdoc.Cell(countColumn+1+len(c), row), int64(sum))
		row++
	}
	for _, sector := range sectors {
		put(sector, counts[sector])
	}
	put("All sectors", total)
	bold := b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	b.SetCellStyle(s, xlsxdoc.Cell(countColumn, row-1), xlsxdoc.Cell(countColumn+len(header)-1, row-1), bold)
	b.SetCellStr(s, xlsxdoc.Cell(countColumn, row+1), "Organisations in each status, by sector. The list on the left names each organisation with its status.")
}

package nationalbook

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxtext"
)

// notes writes what the workbook is, how its figures were computed, the
// suppression rule and list, and a key to the metric columns.
func (b *builder) notes(w Workbook) {
	const s = SheetNotes
	bold := b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	row := 1
	line := func(text string, style int) {
		b.SetCellText(s, xlsxdoc.Cell(1, row), text)
		b.SetCellStyle(s, xlsxdoc.Cell(1, row), xlsxdoc.Cell(1, row), style)
		row++
	}
	section := func(title, text string) {
		line(title, bold)
		for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
			line(strings.TrimSpace(p), b.wrap)
		}
		row++
	}
	orNot := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "Not given."
		}
		return s
	}
	about := ""
	for _, n := range w.Notices {
		about += "\n\n" + n
	}
	section(Title, "Cycle: "+orNot(w.Cycle)+"\n\nFramework: "+orNot(w.Edition)+about+"\n\nProduced: "+w.Produced.Format("2 January 2006")+
		"\n\nFor national admins only. This workbook names every organisation and shows each one's own figures in full; it must not be published or shared outside the national team. The national summary PDF is the version fit to publish.")
	section("Method", orNot(w.Method))
	section("Publication rule", orNot(w.SuppressionRule)+
		"\n\nThe Organisations sheet withholds nothing. The Distributions sheet shows each group's figures as they would be published: a figure the rule withholds leaves its cell blank, and the row's last column, Withheld when published, names it. Any other blank cell where a number belongs means the figure could not be worked out (for example no workforce figure, or no answer).")
	line("Withheld when published", bold)
	if len(w.Suppressed) == 0 {
		line("Nothing would be withheld.", b.wrap)
	}
	for _, item := range w.Suppressed {
		line(item, b.wrap)
	}
	row++
	if len(w.TraumaGroups) > 0 {
		line("High-risk roles by trauma group, as published", bold)
		for i, h := range []string{"Group", "Roles", "People", "Screening compliance"} {
			b.SetCellStr(s, xlsxdoc.Cell(i+1, row), h)
		}
		b.SetCellStyle(s, xlsxdoc.Cell(1, row), xlsxdoc.Cell(4, row), b.header)
		row++
		for _, g := range w.TraumaGroups {
			for i, v := range []string{g.Label, g.Roles, g.People, g.Compliance} {
				b.SetCellText(s, xlsxdoc.Cell(i+1, row), v)
			}
			row++
		}
		row++
	}
	section("Submission status", "validated: submitted and checked by the national team; submitted: waiting to be checked; returned: sent back to the organisation with comments; draft: started, not submitted; not started: no assessment for the cycle. The status is written as the word, and coloured as well.")
	section("Text from users", xlsxtext.Rule)

	line("Metric columns of the Organisations sheet", bold)
	for i, h := range []string{"Label", "Key", "Unit", "Decimals shown"} {
		b.SetCellStr(s, xlsxdoc.Cell(i+1, row), h)
	}
	b.SetCellStyle(s, xlsxdoc.Cell(1, row), xlsxdoc.Cell(4, row), b.header)
	row++
	for _, m := range w.Metrics {
		for i, v := range []string{m.Label, m.Key, m.Unit} {
			b.SetCellText(s, xlsxdoc.Cell(i+1, row), v)
		}
		b.SetCellInt(s, xlsxdoc.Cell(4, row), int64(m.Decimals))
		row++
	}
	b.SetColWidth(s, "A", "A", 110)
	b.SetColWidth(s, "B", "C", 20)
	b.SetColWidth(s, "D", "D", 14)
}

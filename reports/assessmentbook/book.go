// Package assessmentbook writes an organisation's self-assessment as an
// Excel workbook to fill in offline, and reads a filled one back, checking
// every cell. It knows nothing of the database or the web: plain structs in,
// bytes out.
package assessmentbook

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/actionstatus"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
)

// Sheet names. The order is the order in the workbook.
const (
	SheetInstructions = "Instructions"
	SheetResponses    = "Responses"
	SheetActions      = "Actions"
	SheetMeta         = "Meta"
)

// FormatVersion changes when the layout changes, so old files are refused.
// Version 2 stores formula-like text as it is, in a quote-prefixed cell;
// version 1 added an apostrophe to the text, which Parse still removes
// from a version 1 file, so a workbook filled in offline before the change
// is still read.
const FormatVersion = "2"

// legacyFormatVersion is the older layout Parse still reads.
const legacyFormatVersion = "1"

// blankActionRows are offered for new actions below the existing ones.
const blankActionRows = 200

var (
	responseHeader = []string{"Standard id", "Area", "Statement", "Level", "Target level", "Evidence narrative", "Evidence links (one per line)"}
	actionHeader   = []string{"Standard id", "What will be done", "Owner", "Due date (YYYY-MM-DD)", "Status"}
	metaKeys       = []string{"assessment id", "edition key", "edition version", "edition sha256", "format version"}
)

// Level is one step of the maturity scale.
type Level struct {
	Value int
	Label string
}

func (l Level) text() string { return strconv.Itoa(l.Value) + " " + l.Label }

// Identity ties a workbook to one assessment and framework edition.
type Identity struct {
	AssessmentID                            int64
	EditionKey, EditionVersion, EditionHash string
}

// Standard is one row of the Responses sheet, in framework order.
type Standard struct{ ID, Area, Statement string }

// Response is an answer to one standard.
type Response struct {
	StandardID      string
	Level, Target   *int
	Evidence, Links string
}

// Action is an improvement action.
type Action struct {
	StandardID, What, Owner string
	Due                     string // YYYY-MM-DD or ""
	Status                  string
}

// ActionStatuses are the statuses an action may have: the one list the
// web forms and every workbook share.
var ActionStatuses = actionstatus.Statuses

// Workbook is everything Build writes.
type Workbook struct {
	Organisation, Cycle, Edition string
	// Notices say whose wording the framework's standards are
	// (frameworks.Set.ContentNotices); on the Instructions sheet under the
	// framework's name.
	Notices   []string
	Identity  Identity
	Scale     []Level
	Standards []Standard
	Responses map[string]Response
	Actions   []Action
}

func levelText(scale []Level, v *int) string {
	if v == nil {
		return ""
	}
	for _, l := range scale {
		if l.Value == *v {
			return l.text()
		}
	}
	return strconv.Itoa(*v)
}

// Build writes the workbook.
func Build(w Workbook) ([]byte, error) {
	b := &builder{Writer: xlsxdoc.New()}
	defer b.Close()
	b.SetProperties(xlsxdoc.Properties{Title: "Self-assessment: " + w.Organisation + ", " + w.Cycle,
		Subject: w.Edition, Company: w.Organisation})
	b.instructions(w)
	b.responses(w)
	b.actions(w)
	b.meta(w.Identity)
	footer := w.Organisation + " · self-assessment · " + w.Cycle
	b.SetPrintLayout(SheetInstructions, xlsxdoc.PrintLayout{Footer: footer})
	for _, s := range []string{SheetResponses, SheetActions} {
		b.SetPrintLayout(s, xlsxdoc.PrintLayout{Landscape: true, TitleRows: 1, Footer: footer})
	}
	return b.Bytes()
}

// builder writes through an xlsxdoc.Writer, which keeps the first error,
// so the layout code reads straight through.
type builder struct {
	*xlsxdoc.Writer
}

func (b *builder) str(sheet string, col, row int, v string) {
	cell, err := excelize.CoordinatesToCellName(col, row)
	b.Keep(err)
	text := encodeCellText(v)
	if utf16Len(text) > excelize.TotalCellChars {
		// excelize would cut it short without a word; refuse instead.
		b.Keep(fmt.Errorf("%s!%s: the text is longer than a spreadsheet cell can hold (%d characters)", sheet, cell, excelize.TotalCellChars))
		return
	}
	b.SetCellText(sheet, cell, text)
}

func (b *builder) instructions(w Workbook) {
	const s = SheetInstructions
	b.SetSheetName("Sheet1", s)
	lines := []string{
		"Self-assessment: " + w.Organisation + ", " + w.Cycle,
		"Framework: " + w.Edition,
	}
	lines = append(lines, w.Notices...)
	lines = append(lines,
		"",
		"1. On the Responses sheet, choose a Level for every standard from the drop-down list, and a Target level for next year if you have one.",
		"2. Write your evidence narrative, and your evidence links one per line.",
		"3. On the Actions sheet, add one row per improvement action: the standard id, what will be done, the owner, the due date (YYYY-MM-DD) and the status.",
		"4. Do not change the Standard id, Area or Statement columns, or the hidden Meta sheet: they tie the workbook to your assessment.",
		"5. Upload the workbook on your assessment's page. You will see every change before anything is saved, and nothing is saved if any cell has a problem.",
		"",
		"Levels:",
	)
	for _, l := range w.Scale {
		lines = append(lines, "  "+l.text())
	}
	for i, line := range lines {
		b.str(s, 1, i+1, line)
	}
	b.SetColWidth(s, "A", "A", 120)
	b.SetCellStyle(s, "A1", "A1", b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}))
}

func (b *builder) responses(w Workbook) {
	const s = SheetResponses
	b.NewSheet(s)
	bold := b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	locked := b.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Protection: &excelize.Protection{Locked: true}})
	open := b.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Protection: &excelize.Protection{Locked: false}})
	for i, h := range responseHeader {
		b.str(s, i+1, 1, h)
	}
	b.SetCellStyle(s, "A1", "G1", bold)
	for i, st := range w.Standards {
		row := i + 2
		r := w.Responses[st.ID]
		for col, v := range []string{st.ID, st.Area, st.Statement, levelText(w.Scale, r.Level), levelText(w.Scale, r.Target), r.Evidence, r.Links} {
			b.str(s, col+1, row, v)
		}
	}
	last := strconv.Itoa(len(w.Standards) + 1)
	b.SetCellStyle(s, "A2", "C"+last, locked)
	b.SetCellStyle(s, "D2", "G"+last, open)
	b.NameRange("Responses", s, "A1:G"+last)
	for col, width := range map[string]float64{"A": 12, "B": 22, "C": 60, "D": 18, "E": 18, "F": 60, "G": 40} {
		b.SetColWidth(s, col, col, width)
	}
	var levels []string
	for _, l := range w.Scale {
		levels = append(levels, l.text())
	}
	for _, col := range []string{"D", "E"} {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = col + "2:" + col + last
		b.Keep(dv.SetDropList(levels))
		dv.SetError(excelize.DataValidationErrorStyleStop, "Not on the scale", "Choose a level from the list.")
		b.AddDataValidation(s, dv)
	}
	b.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	b.ProtectSheet(s, &excelize.SheetProtectionOptions{
		FormatColumns: true, FormatRows: true, SelectLockedCells: true, SelectUnlockedCells: true,
	})
}

func (b *builder) actions(w Workbook) {
	const s = SheetActions
	b.NewSheet(s)
	for i, h := range actionHeader {
		b.str(s, i+1, 1, h)
	}
	b.SetCellStyle(s, "A1", "E1", b.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}))
	for i, a := range w.Actions {
		for col, v := range []string{a.StandardID, a.What, a.Owner, a.Due, a.Status} {
			b.str(s, col+1, i+2, v)
		}
	}
	last := strconv.Itoa(len(w.Actions) + blankActionRows + 1)
	b.NameRange("Actions", s, "A1:E"+last) // with the blank rows left for new actions
	ids := excelize.NewDataValidation(true)
	ids.Sqref = "A2:A" + last
	ids.SetSqrefDropList(fmt.Sprintf("%s!$A$2:$A$%d", SheetResponses, len(w.Standards)+1))
	b.AddDataValidation(s, ids)
	status := excelize.NewDataValidation(true)
	status.Sqref = "E2:E" + last
	b.Keep(status.SetDropList(ActionStatuses))
	b.AddDataValidation(s, status)
	for col, width := range map[string]float64{"A": 12, "B": 60, "C": 24, "D": 20, "E": 14} {
		b.SetColWidth(s, col, col, width)
	}
	b.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func (b *builder) meta(id Identity) {
	const s = SheetMeta
	b.NewSheet(s)
	for i, v := range []string{strconv.FormatInt(id.AssessmentID, 10), id.EditionKey, id.EditionVersion, id.EditionHash, FormatVersion} {
		b.str(s, 1, i+1, metaKeys[i])
		b.str(s, 2, i+1, v)
	}
	b.SetSheetVisible(s, false, true)
	b.ProtectSheet(s, &excelize.SheetProtectionOptions{})
	b.SetActiveSheet(0)
}

// Package xlsxdoc holds the workbook writer the XLSX reports share: an
// excelize file that keeps the first error met while writing it, so layout
// code reads straight through and checks once, in Bytes. It holds no
// report content. Text that a spreadsheet could take for a formula
// (xlsxtext.LooksLikeFormula) is written in a cell marked with Excel's quote
// prefix, so the text stays exactly what the user typed.
package xlsxdoc

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxtext"
)

// Number formats the workbooks share, so a level, a count, a sum of money
// or a date reads the same in every workbook and as the PDFs print it.
const (
	FormatLevel = "0.0"        // a maturity level, as the reports print it: 1.8
	FormatCount = "#,##0"      // a count of people or organisations: 1,234
	FormatMoney = "£#,##0"     // a sum of money in whole pounds: £12,500
	FormatDate  = "d mmm yyyy" // a date: 30 Sep 2026
)

// FormatDecimals shows a number with thousands separators and d decimal
// places (0 or less: none), the way figure.Number prints it.
func FormatDecimals(d int) string {
	if d <= 0 {
		return FormatCount
	}
	return FormatCount + "." + strings.Repeat("0", d)
}

// FormatPercent shows a fraction as a percentage with d decimal places:
// 0.853 reads 85% (d = 0) or 85.3% (d = 1). Write the fraction, not the
// percentage.
func FormatPercent(d int) string {
	if d <= 0 {
		return "0%"
	}
	return "0." + strings.Repeat("0", d) + "%"
}

// Writer is an excelize workbook with a sticky error. Each write method
// is excelize's method of the same name without the error result: it
// does nothing once an error is kept, and keeps the error it meets.
// Methods that make something (a sheet, a style) return the zero value
// once an error is kept.
type Writer struct {
	f       *excelize.File
	err     error
	formats map[string]int // number format -> style, for NumberStyle
	quoted  map[int]int    // style -> the same with the quote prefix
	// quoteCells are the cells SetCellText wrote formula-like text to;
	// Bytes marks them with the quote prefix over whatever style they
	// have by then.
	quoteCells []sheetCell
	// used is the bottom-right corner (column, row) of what each sheet
	// written cell by cell holds; Bytes sets the sheets' dimensions from it,
	// which excelize leaves at A1.
	used map[string][2]int
}

type sheetCell struct{ sheet, cell string }

// New starts an empty workbook (one sheet, "Sheet1"). Close it when done.
func New() *Writer { return &Writer{f: excelize.NewFile()} }

// Keep keeps err unless an earlier error is kept. Layout code uses it for
// its own checks and for calls the Writer does not wrap.
func (w *Writer) Keep(err error) {
	if w.err == nil {
		w.err = err
	}
}

// Err is the first error kept, or nil.
func (w *Writer) Err() error { return w.err }

// do runs write unless an error is kept, and keeps the error it returns.
func (w *Writer) do(write func() error) {
	if w.err == nil {
		w.err = write()
	}
}

// Bytes writes the workbook out, or returns the first error kept.
func (w *Writer) Bytes() ([]byte, error) {
	for _, c := range w.quoteCells {
		var style int
		w.do(func() (err error) { style, err = w.f.GetCellStyle(c.sheet, c.cell); return err })
		w.SetCellStyle(c.sheet, c.cell, c.cell, w.QuotePrefixed(style))
	}
	w.quoteCells = nil
	for sheet, end := range w.used {
		w.do(func() error { return w.f.SetSheetDimension(sheet, "A1:"+Cell(end[0], end[1])) })
	}
	if w.err != nil {
		return nil, w.err
	}
	buf, err := w.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Close frees the workbook's temporary files.
func (w *Writer) Close() error { return w.f.Close() }

// Cell names the cell in column col and row row, both counted from 1:
// Cell(2, 3) is "B3". Out of range it is "".
func Cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// Creator is the workbooks' author and application in their properties.
const Creator = "Blue Light Wellbeing Toolkit"

// Properties are what a workbook says about itself (File > Properties).
type Properties struct {
	// Title, e.g. "Gap analysis: Heddlu Gwent, 2025/26"; Subject, e.g. the
	// framework edition; Company, the organisation the workbook is about
	// (empty for a workbook about many); Category, e.g. who may see it.
	Title, Subject, Company, Category string
	// Produced is written as the created and modified dates; zero leaves
	// them unset, so the same input gives the same file.
	Produced time.Time
}

// SetProperties sets the document and application properties, with
// Creator as the author and the application.
func (w *Writer) SetProperties(p Properties) {
	var stamp string
	if !p.Produced.IsZero() {
		stamp = p.Produced.UTC().Format(time.RFC3339)
	}
	w.do(func() error {
		return w.f.SetDocProps(&excelize.DocProperties{Title: p.Title, Subject: p.Subject, Category: p.Category,
			Creator: Creator, LastModifiedBy: Creator, Language: "en-GB", Created: stamp, Modified: stamp})
	})
	w.do(func() error {
		return w.f.SetAppProps(&excelize.AppProperties{Application: Creator, Company: p.Company})
	})
}

// note widens sheet's used range to hold cell.
func (w *Writer) note(sheet, cell string) {
	col, row, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		return // the write itself reports it
	}
	if w.used == nil {
		w.used = map[string][2]int{}
	}
	end := w.used[sheet]
	w.used[sheet] = [2]int{max(end[0], col), max(end[1], row)}
}

// SetSheetName renames a sheet.
func (w *Writer) SetSheetName(source, target string) {
	w.do(func() error { return w.f.SetSheetName(source, target) })
}

// NewSheet adds a sheet and returns its index.
func (w *Writer) NewSheet(sheet string) int {
	var i int
	w.do(func() (err error) { i, err = w.f.NewSheet(sheet); return err })
	return i
}

// SetActiveSheet sets the sheet the workbook opens on.
func (w *Writer) SetActiveSheet(index int) {
	w.do(func() error { w.f.SetActiveSheet(index); return nil })
}

// SetSheetVisible shows or hides a sheet.
func (w *Writer) SetSheetVisible(sheet string, visible bool, veryHidden ...bool) {
	w.do(func() error { return w.f.SetSheetVisible(sheet, visible, veryHidden...) })
}

// ProtectSheet protects a sheet.
func (w *Writer) ProtectSheet(sheet string, opts *excelize.SheetProtectionOptions) {
	w.do(func() error { return w.f.ProtectSheet(sheet, opts) })
}

// NewStyle adds a cell style and returns its id.
func (w *Writer) NewStyle(s *excelize.Style) int {
	var id int
	w.do(func() (err error) { id, err = w.f.NewStyle(s); return err })
	return id
}

// MetricFormat is the number format for a metric in unit with decimals
// places, and the factor to multiply its figures by before writing them: a
// unit of "%" holds percentages (85.3), which Excel shows as a fraction
// (0.853) formatted as 85.3%.
func MetricFormat(unit string, decimals int) (format string, scale float64) {
	if unit == "%" {
		return FormatPercent(decimals), 0.01
	}
	return FormatDecimals(decimals), 1
}

// NumberStyle is the style showing numbers in format (one of the Format
// values above, or another custom number format), aligned to the top like
// the wrapped text beside it. Each format is added once.
func (w *Writer) NumberStyle(format string) int {
	if id, ok := w.formats[format]; ok {
		return id
	}
	id := w.NewStyle(&excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top"}})
	if w.err == nil {
		if w.formats == nil {
			w.formats = map[string]int{}
		}
		w.formats[format] = id
	}
	return id
}

// AddComment adds a note to a cell, such as why a figure is missing.
func (w *Writer) AddComment(sheet string, c excelize.Comment) {
	w.do(func() error { return w.f.AddComment(sheet, c) })
}

// NewConditionalStyle adds a style for conditional formats and returns
// its id.
func (w *Writer) NewConditionalStyle(s *excelize.Style) int {
	var id int
	w.do(func() (err error) { id, err = w.f.NewConditionalStyle(s); return err })
	return id
}

// SetCellStr writes text as it is; write user text with SetCellText.
func (w *Writer) SetCellStr(sheet, cell, value string) {
	w.note(sheet, cell)
	w.do(func() error { return w.f.SetCellStr(sheet, cell, value) })
}

// SetCellText writes text exactly as it is; if a spreadsheet could take it
// for a formula, the cell gets Excel's quote prefix when the workbook is
// written, whatever style it is given meanwhile.
func (w *Writer) SetCellText(sheet, cell, text string) {
	w.SetCellStr(sheet, cell, text)
	if xlsxtext.LooksLikeFormula(text) && w.err == nil {
		w.quoteCells = append(w.quoteCells, sheetCell{sheet, cell})
	}
}

// Text is text for a streamed row in style: a formula-like text gets the
// style with the quote prefix.
func (w *Writer) Text(style int, text string) excelize.Cell {
	if xlsxtext.LooksLikeFormula(text) {
		style = w.QuotePrefixed(style)
	}
	return excelize.Cell{StyleID: style, Value: text}
}

// QuotePrefixed is style with Excel's quote prefix set: the cell's text is
// text, even when edited, and no apostrophe is added to it. excelize
// v2.11.0's Style has no such option, so the cell format is copied with the
// flag set; excelize's own matching of styles ignores the flag and finds
// the original first, so later NewStyle calls never return the copy.
func (w *Writer) QuotePrefixed(style int) int {
	if id, ok := w.quoted[style]; ok {
		return id
	}
	w.do(func() error { _, err := w.f.GetStyle(style); return err }) // loads the style sheet and checks the id
	if w.err != nil {
		return 0
	}
	xfs := w.f.Styles.CellXfs
	xf := xfs.Xf[style]
	yes := true
	xf.QuotePrefix = &yes
	xfs.Xf = append(xfs.Xf, xf)
	xfs.Count = len(xfs.Xf)
	if w.quoted == nil {
		w.quoted = map[int]int{}
	}
	w.quoted[style] = len(xfs.Xf) - 1
	return len(xfs.Xf) - 1
}

// SetCellFloat writes a number.
func (w *Writer) SetCellFloat(sheet, cell string, value float64, precision, bitSize int) {
	w.note(sheet, cell)
	w.do(func() error { return w.f.SetCellFloat(sheet, cell, value, precision, bitSize) })
}

// SetCellInt writes a whole number.
func (w *Writer) SetCellInt(sheet, cell string, value int64) {
	w.note(sheet, cell)
	w.do(func() error { return w.f.SetCellInt(sheet, cell, value) })
}

// SetCellValue writes any value excelize knows, such as a time.
func (w *Writer) SetCellValue(sheet, cell string, value any) {
	w.note(sheet, cell)
	w.do(func() error { return w.f.SetCellValue(sheet, cell, value) })
}

// SetCellStyle styles a range of cells.
func (w *Writer) SetCellStyle(sheet, topLeft, bottomRight string, styleID int) {
	w.note(sheet, bottomRight)
	w.do(func() error { return w.f.SetCellStyle(sheet, topLeft, bottomRight, styleID) })
}

// SetColWidth sets the width of columns startCol to endCol ("A", "C").
func (w *Writer) SetColWidth(sheet, startCol, endCol string, width float64) {
	w.do(func() error { return w.f.SetColWidth(sheet, startCol, endCol, width) })
}

// FitRowHeight makes a row tall enough for its wrapped cells: each given as
// the column's width (in characters) and its text. Spreadsheet programs do
// not all grow a row for wrapped text when they open a file, so without it
// long statements print over the rows below.
func (w *Writer) FitRowHeight(sheet string, row int, cells ...WrappedCell) {
	lines := 1
	for _, c := range cells {
		n := 0
		for _, para := range strings.Split(c.Text, "\n") {
			// A character of the default font is about one unit of column
			// width; words wrap early, so allow a tenth more.
			n += max(1, int(math.Ceil(float64(utf8.RuneCountInString(para))*1.1/max(c.Width, 1))))
		}
		lines = max(lines, n)
	}
	if lines > 1 {
		// A row can be at most 409 points high (the spreadsheet format's
		// limit): longer text scrolls within its cell.
		w.do(func() error { return w.f.SetRowHeight(sheet, row, min(409, 15*float64(lines))) })
	}
}

// WrappedCell is a cell whose text wraps within its column.
type WrappedCell struct {
	Width float64
	Text  string
}

// SetPanes freezes or splits panes.
func (w *Writer) SetPanes(sheet string, panes *excelize.Panes) {
	w.do(func() error { return w.f.SetPanes(sheet, panes) })
}

// AutoFilter adds filter buttons over a range.
func (w *Writer) AutoFilter(sheet, rangeRef string, opts []excelize.AutoFilterOptions) {
	w.do(func() error { return w.f.AutoFilter(sheet, rangeRef, opts) })
}

// NameRange gives a range a workbook-wide name ("Gaps"), so a reader can
// go to a table by name and formulas elsewhere can refer to it.
func (w *Writer) NameRange(name, sheet, rangeRef string) {
	from, to, _ := strings.Cut(rangeRef, ":")
	abs := func(cell string) string {
		col, row, err := excelize.SplitCellName(cell)
		if err != nil {
			return cell // SetDefinedName refuses it, and the error is kept
		}
		return "$" + col + "$" + strconv.Itoa(row)
	}
	ref := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + abs(from)
	if to != "" {
		ref += ":" + abs(to)
	}
	w.do(func() error { return w.f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: ref}) })
}

// AddChart adds a chart at cell.
func (w *Writer) AddChart(sheet, cell string, chart *excelize.Chart, combo ...*excelize.Chart) {
	w.do(func() error { return w.f.AddChart(sheet, cell, chart, combo...) })
}

// AddDataValidation adds a data validation rule.
func (w *Writer) AddDataValidation(sheet string, dv *excelize.DataValidation) {
	w.do(func() error { return w.f.AddDataValidation(sheet, dv) })
}

// SetConditionalFormat adds conditional formats over a range.
func (w *Writer) SetConditionalFormat(sheet, rangeRef string, opts []excelize.ConditionalFormatOptions) {
	w.do(func() error { return w.f.SetConditionalFormat(sheet, rangeRef, opts) })
}

// PrintLayout is how a sheet prints: on A4, one page wide (as many pages
// long as it needs), the header rows on every page, and a footer naming
// what it is with the page number.
type PrintLayout struct {
	// Landscape turns the page for a wide sheet.
	Landscape bool
	// TitleRows is how many rows at the top repeat on every page (0: none).
	TitleRows int
	// Footer is printed at the bottom left of every page, e.g.
	// "Heddlu Gwent · gap analysis · 2025/26"; the page number goes right.
	Footer string
}

// maxFooter keeps a footer within the 255 characters Excel allows, with
// room for the page number and the codes around it.
const maxFooter = 200

// SetPrintLayout sets how sheet prints. For a streamed sheet, call it
// before NewStreamWriter; for another, after its AutoFilter, which drops
// the fit-to-page flag.
func (w *Writer) SetPrintLayout(sheet string, p PrintLayout) {
	orientation, a4, one, tall := "portrait", 9, 1, 0
	if p.Landscape {
		orientation = "landscape"
	}
	fit := true
	w.do(func() error { return w.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}) })
	w.do(func() error {
		return w.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &tall})
	})
	footer := []rune(p.Footer)
	if len(footer) > maxFooter {
		footer = append(footer[:maxFooter-1], '…')
	}
	// In header and footer codes & starts a code; && is a literal &.
	text := strings.ReplaceAll(string(footer), "&", "&&")
	w.do(func() error {
		return w.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L" + text + "&RPage &P of &N"})
	})
	if p.TitleRows > 0 {
		rows := "$1:$" + strconv.Itoa(p.TitleRows)
		w.do(func() error {
			return w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
				RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + rows})
		})
	}
}

// Stream writes one sheet row by row with excelize's stream writer,
// sharing its Writer's sticky error. Its methods are the stream writer's
// of the same name without the error result.
type Stream struct {
	w  *Writer
	sw *excelize.StreamWriter
}

// NewStreamWriter starts streaming sheet, which must exist and be empty,
// and will hold cols columns and rows rows: the stream writes the sheet's
// dimension, and its page setup (SetPrintLayout), when it starts, so set
// them first. Flush the stream when its rows are written.
func (w *Writer) NewStreamWriter(sheet string, cols, rows int) *Stream {
	s := &Stream{w: w}
	w.do(func() error { return w.f.SetSheetDimension(sheet, "A1:"+Cell(max(cols, 1), max(rows, 1))) })
	w.do(func() (err error) { s.sw, err = w.f.NewStreamWriter(sheet); return err })
	return s
}

// SetColWidth sets the width of columns first to last, counted from 1.
func (s *Stream) SetColWidth(first, last int, width float64) {
	s.w.do(func() error { return s.sw.SetColWidth(first, last, width) })
}

// SetColStyle styles columns first to last, counted from 1.
func (s *Stream) SetColStyle(first, last, styleID int) {
	s.w.do(func() error { return s.sw.SetColStyle(first, last, styleID) })
}

// SetPanes freezes or splits panes.
func (s *Stream) SetPanes(panes *excelize.Panes) {
	s.w.do(func() error { return s.sw.SetPanes(panes) })
}

// SetRow writes a row starting at cell; rows must come in order.
func (s *Stream) SetRow(cell string, values []any, opts ...excelize.RowOpts) {
	s.w.do(func() error { return s.sw.SetRow(cell, values, opts...) })
}

// AddTable adds an Excel table.
func (s *Stream) AddTable(t *excelize.Table) {
	s.w.do(func() error { return s.sw.AddTable(t) })
}

// Flush ends the stream.
func (s *Stream) Flush() { s.w.do(func() error { return s.sw.Flush() }) }

// HasQuotePrefix reports whether a cell of an opened workbook is marked
// with Excel's quote prefix, for checking a workbook read back.
func HasQuotePrefix(f *excelize.File, sheet, cell string) bool {
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil || f.Styles == nil || f.Styles.CellXfs == nil || id >= len(f.Styles.CellXfs.Xf) {
		return false
	}
	q := f.Styles.CellXfs.Xf[id].QuotePrefix
	return q != nil && *q
}

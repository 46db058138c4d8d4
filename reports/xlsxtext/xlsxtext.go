// Package xlsxtext guards text written to spreadsheet cells. It is shared
// by the workbook renderers so they all treat user text the same way.
package xlsxtext

import "strings"

// LooksLikeFormula reports whether a spreadsheet could take s for a
// formula once someone edits its cell: it starts with = + - @, a tab or a
// carriage return. Such text is written as it is, in a cell marked with
// Excel's quote prefix (xlsxdoc.Writer.SetCellText), never with an
// apostrophe added to the text itself.
func LooksLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// Rule says in words how such text is written, for a workbook's notes.
const Rule = "Text typed by users that starts with =, +, -, @, a tab or a carriage return is stored as text in a cell marked with Excel's quote prefix (an apostrophe shows in the formula bar, not in the cell or the text), so that a spreadsheet never runs it as a formula, even when the cell is edited."

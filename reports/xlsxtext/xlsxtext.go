// Package xlsxtext guards text written to spreadsheet cells. It is shared
// by the workbook renderers so they all escape user text the same way.
package xlsxtext

import "strings"

// Escape stops a spreadsheet treating text as a formula: text starting
// with = + - @, a tab or a carriage return gets a leading apostrophe (the
// same rule as reports/assessmentbook, where the apostrophe is removed on
// the way back in). excelize v2.11.0 has no quotePrefix style option.
func Escape(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Rule says in words what Escape does, for a workbook's notes.
const Rule = "Text typed by users that starts with =, +, -, @, a tab or a carriage return is written with a leading apostrophe, so that a spreadsheet never runs it as a formula."

// Package xlsxtest checks, in tests, what the workbooks written through
// xlsxdoc must all get right, read back with excelize: every sheet's
// dimension, the document properties and the print setup.
package xlsxtest

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
)

// Dimensions checks that every sheet declares a used range holding every
// cell with a value, and that the sheets in want declare exactly theirs.
func Dimensions(t *testing.T, f *excelize.File, want map[string]string) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		dim, err := f.GetSheetDimension(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if w, ok := want[sheet]; ok && dim != w {
			t.Errorf("%s declares its size as %q, want %q", sheet, dim, w)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		cols := 0
		for _, r := range rows {
			cols = max(cols, len(r))
		}
		if len(rows) == 0 {
			continue
		}
		_, end, _ := strings.Cut(dim, ":")
		col, row, err := excelize.CellNameToCoordinates(end)
		if err != nil || !strings.HasPrefix(dim, "A1:") || col < cols || row < len(rows) {
			t.Errorf("%s declares its size as %q, but holds values to %s", sheet, dim, xlsxdoc.Cell(cols, len(rows)))
		}
	}
}

// Properties checks the document and application properties.
func Properties(t *testing.T, f *excelize.File, title, company string) {
	t.Helper()
	doc, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != title || doc.Creator != xlsxdoc.Creator || doc.Subject == "" {
		t.Errorf("document properties %+v, want title %q, creator %q and a subject", doc, title, xlsxdoc.Creator)
	}
	app, err := f.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if app.Company != company || app.Application != xlsxdoc.Creator {
		t.Errorf("application properties %+v, want company %q", app, company)
	}
}

package assessmentbook

import (
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc/xlsxtest"
)

// A full-size self-assessment workbook (60 standards, 100 actions) opens in
// LibreOffice and prints its standards and actions, as a wellbeing lead who
// fills it in offline will see it.
func TestWorkbookOpensInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice takes seconds a workbook")
	}
	w := benchWorkbook()
	b, err := Build(w)
	if err != nil {
		t.Fatal(err)
	}
	pdf := xlsxtest.LibreOffice(t, b)
	if info := pdftest.Info(t, pdf); info["Pages"] == "" || info["Pages"] == "0" {
		t.Fatal("LibreOffice printed no pages")
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{w.Standards[0].ID, w.Standards[59].ID, "An action"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed workbook does not show %q", want)
		}
	}
}

package server_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// sheetText is every cell of a workbook's sheet, joined by spaces.
func sheetText(t *testing.T, data, sheet string) string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader([]byte(data)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, r...)
	}
	return strings.Join(strings.Fields(strings.Join(all, " ")), " ")
}

// TestReportsSayWhoseWordingTheyShow: every PDF and workbook that shows the
// framework's or the risk model's wording prints the edition's notice, the
// same words as the register page, read back from the file itself.
func TestReportsSayWhoseWordingTheyShow(t *testing.T) {
	set := builtinFrameworks(t)
	framework := set.Edition("blwf", "2024").ContentNotice()
	model := set.CurrentRiskModel().ContentNotice()
	if framework == "" || model == "" || !strings.Contains(model, set.CurrentRiskModel().Version) {
		t.Fatalf("the built-in editions have no notice: %q %q", framework, model)
	}
	both := []string{framework, model}
	has := func(t *testing.T, what, text string, want []string) {
		t.Helper()
		for _, n := range want {
			if !strings.Contains(text, n) {
				t.Errorf("%s lacks the notice %q", what, n)
			}
		}
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		owner := f.signedIn(f.people["A owner"])
		pdfText := func(pdf string) string { return strings.Join(strings.Fields(pdftest.Text(t, []byte(pdf))), " ") }

		if _, reg := owner.get("/risk"); !strings.Contains(reg, model) {
			t.Errorf("the register's notice is not the edition's: want %q", model)
		}
		welfare := set.CurrentWelfarePolicy().ContentNotice()
		if _, ok9 := owner.get("/provision/ok9"); welfare == "" || !strings.Contains(ok9, welfare) || !strings.Contains(ok9, "These limits are the toolkit's defaults") {
			t.Errorf("the OK9 page does not say the welfare limits are toolkit defaults an organisation can change")
		}
		_, pdf := owner.get(f.path("/benchmark.pdf"))
		has(t, "the benchmark PDF", pdfText(pdf), both)
		_, pdf = owner.get(f.path("/business-case.pdf"))
		has(t, "the business case PDF", pdfText(pdf), both)
		_, book := owner.get(f.path("/gap-analysis.xlsx"))
		has(t, "the gap workbook's Summary", sheetText(t, book, "Summary"), both)
		has(t, "the gap workbook's Notes", sheetText(t, book, "Notes"), append([]string{"About this content"}, both...))

		admin := f.signedIn(f.people["admin"])
		base := "/national/" + itoa(f.cycle.ID)
		_, pdf = admin.get(base + "/summary.pdf")
		has(t, "the national summary PDF", pdfText(pdf), both)
		_, book = admin.get(base + "/workbook.xlsx")
		has(t, "the national workbook's Notes", sheetText(t, book, "Notes"), both)

		// The self-assessment workbook shows the framework's wording only.
		as := f.startAssessment(f.orgB, "2026/27")
		_, book = f.signedIn(f.people["B owner"]).get("/assessments/" + itoa(as.ID) + "/workbook.xlsx")
		instructions := sheetText(t, book, "Instructions")
		has(t, "the self-assessment workbook", instructions, []string{framework})
		if strings.Contains(instructions, model) {
			t.Error("the self-assessment workbook claims the risk model's wording")
		}
	})
}

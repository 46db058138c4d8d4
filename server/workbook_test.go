package server_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestWorkbookRoundTrip(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		aPath := "/assessments/" + itoa(as.ID)
		owner := f.signedIn(f.people["A owner"])

		// A viewer may download the workbook; it opens in excelize.
		resp, body := f.signedIn(f.people["A viewer"]).get(aPath + "/workbook.xlsx")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "self-assessment-alpha-2026-27.xlsx") {
			t.Fatalf("download = %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		wb, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := wb.GetCellValue("Responses", "A2"); id != "LEAD-01" {
			t.Fatalf("first standard = %q", id)
		}
		wb.SetCellStr("Responses", "D2", "3 Embedded")
		wb.SetCellStr("Responses", "F2", "=Board minutes, March")
		wb.SetCellStr("Actions", "A2", "LEAD-01")
		wb.SetCellStr("Actions", "B2", "Review the strategy")
		wb.SetCellStr("Actions", "D2", "2027-03-31")
		buf, _ := wb.WriteToBuffer()
		filled := buf.Bytes()

		// Contributors cannot upload.
		if resp, _ := f.signedIn(f.people["A contributor"]).upload(aPath+"/upload", "workbook", "a.xlsx", filled); resp.StatusCode != 403 {
			t.Errorf("contributor upload = %d", resp.StatusCode)
		}
		owner.get(aPath + "/upload")
		resp, body = owner.upload(aPath+"/upload", "workbook", "filled.xlsx", filled)
		if resp.StatusCode != 200 || !strings.Contains(body, "3 Embedded") || !strings.Contains(body, "Review the strategy") {
			t.Fatalf("preview = %d\n%s", resp.StatusCode, body)
		}
		if rs, _ := st.Responses(ctx, store.AllOrganisations(), as.ID); rs[0].Level != nil {
			t.Fatal("the preview saved something")
		}
		apply := regexp.MustCompile(`action="(/assessments/\d+/upload/\d+/apply)"`).FindStringSubmatch(body)
		if apply == nil {
			t.Fatal("no confirm form")
		}
		if resp, _ := owner.post(apply[1], url.Values{}); resp.StatusCode != 303 {
			t.Fatalf("apply = %d", resp.StatusCode)
		}
		rs, _ := st.Responses(ctx, store.AllOrganisations(), as.ID)
		if rs[0].Level == nil || *rs[0].Level != 3 || rs[0].Evidence != "=Board minutes, March" {
			t.Errorf("LEAD-01 after upload = %+v", rs[0])
		}
		acts, _ := st.Actions(ctx, store.AllOrganisations(), as.ID)
		if len(acts) != 1 || acts[0].DueOn == nil || acts[0].DueOn.Format("2006-01-02") != "2027-03-31" {
			t.Errorf("actions after upload = %+v", acts)
		}
		// A preview can be applied once.
		if resp, _ := owner.post(apply[1], url.Values{}); resp.StatusCode != 404 {
			t.Errorf("second apply = %d", resp.StatusCode)
		}
	})
}

func TestWorkbookUploadRejections(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		aPath := "/assessments/" + itoa(as.ID)
		owner := f.signedIn(f.people["A owner"])
		_, body := owner.get(aPath + "/workbook.xlsx")
		original := []byte(body)
		owner.get(aPath + "/upload")

		wb, _ := excelize.OpenReader(bytes.NewReader(original))
		wb.SetCellStr("Responses", "D3", "Superb")
		wb.SetCellFormula("Responses", "E4", "1+1")
		buf, _ := wb.WriteToBuffer()
		resp, body := owner.upload(aPath+"/upload", "workbook", "bad.xlsx", buf.Bytes())
		for _, want := range []string{"2 cells have problems", "D3", `level &#34;Superb&#34; is not on the scale`, "E4", "formulas are not allowed"} {
			if !strings.Contains(body, want) {
				t.Errorf("bad workbook page lacks %q", want)
			}
		}
		if resp.StatusCode != 422 {
			t.Errorf("bad workbook = %d", resp.StatusCode)
		}
		resp, body = owner.upload(aPath+"/upload", "workbook", "notes.pdf", []byte("%PDF-1.7"))
		if resp.StatusCode != 422 || !strings.Contains(body, "not an Excel .xlsx workbook") {
			t.Errorf("pdf upload = %d", resp.StatusCode)
		}

		// Someone saves between preview and confirmation: nothing is applied.
		wb, _ = excelize.OpenReader(bytes.NewReader(original))
		wb.SetCellStr("Responses", "D2", "2")
		wb.SetCellStr("Responses", "D3", "2")
		buf, _ = wb.WriteToBuffer()
		_, body = owner.upload(aPath+"/upload", "workbook", "ok.xlsx", buf.Bytes())
		apply := regexp.MustCompile(`action="(/assessments/\d+/upload/\d+/apply)"`).FindStringSubmatch(body)
		if apply == nil {
			t.Fatalf("no preview:\n%s", body)
		}
		other := f.signedIn(f.people["A contributor"])
		other.get(stdPath(as, "LEAD-01"))
		if resp, _ := other.post(stdPath(as, "LEAD-01"), url.Values{"level": {"4"}, "version": {"1"}}); resp.StatusCode != 303 {
			t.Fatal("contributor save failed")
		}
		resp, _ = owner.post(apply[1], url.Values{})
		if resp.StatusCode != 409 {
			t.Errorf("stale apply = %d", resp.StatusCode)
		}
		rs, _ := st.Responses(context.Background(), store.AllOrganisations(), as.ID)
		if *rs[0].Level != 4 || rs[1].Level != nil {
			t.Errorf("a stale upload was partly applied: %+v %+v", rs[0], rs[1])
		}
	})
}

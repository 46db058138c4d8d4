package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestDateInputThreeFields: dates are entered as day, month and year (the
// GOV.UK date input), whatever the browser's locale; a wrong date names the
// field and the part, keeps every part typed and saves nothing; a right one
// is stored as that day, shown back in the three fields, and the API still
// gives it as YYYY-MM-DD.
func TestDateInputThreeFields(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		owner := f.signedIn(f.people["A owner"])
		_, body := owner.get("/provision/ok9/dogs/new")
		for _, want := range []string{`class="govuk-date-input"`, `<legend class="govuk-fieldset__legend">Next welfare check due on</legend>`,
			"For example, 27 3 2026", `id="welfare_check" name="welfare_check-day"`, `id="welfare_check-month" name="welfare_check-month"`, `id="welfare_check-year" name="welfare_check-year"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the dog form lacks %s\n%s", want, body)
			}
		}
		if strings.Contains(body, `type="date"`) {
			t.Error("the dog form still has a browser date field")
		}

		form := url.Values{"call_name": {"Bramble"}, "status": {"active"},
			"assessed-day": {"10"}, "assessed-month": {"1"}, "assessed-year": {"2026"},
			"welfare_check-day": {"29"}, "welfare_check-month": {"2"}, "welfare_check-year": {"2027"}}
		resp, body := owner.post("/provision/ok9/dogs", form)
		if resp.StatusCode == 303 || !strings.Contains(body, "The date of the next welfare check must be a real date: February 2027 has 28 days") ||
			!strings.Contains(body, `href="#welfare_check"`) || !strings.Contains(body, `name="welfare_check-day" type="text" inputmode="numeric" value="29"`) ||
			!strings.Contains(body, `name="assessed-month" type="text" inputmode="numeric" value="1"`) {
			t.Fatalf("29 February 2027 = %d, want the field and the part named, with what was typed\n%s", resp.StatusCode, body)
		}
		// Only the part that is wrong is marked.
		if !strings.Contains(body, `govuk-input--width-2 govuk-input--error" id="welfare_check" name="welfare_check-day"`) ||
			!strings.Contains(body, `govuk-input--width-2" id="welfare_check-month"`) || !strings.Contains(body, `govuk-input--width-4" id="welfare_check-year"`) {
			t.Errorf("the wrong day is not the only part marked\n%s", body)
		}
		form.Del("welfare_check-year")
		_, body = owner.post("/provision/ok9/dogs", form)
		if !strings.Contains(body, "The date of the next welfare check must include a year") {
			t.Errorf("a missing year is not named\n%s", body)
		}
		// The error summary's link lands on the part to fix: the year.
		if !strings.Contains(body, `href="#welfare_check"`) || !strings.Contains(body, `id="welfare_check" name="welfare_check-year"`) ||
			!strings.Contains(body, `id="welfare_check-day" name="welfare_check-day"`) {
			t.Errorf("the link to the missing year does not land on the year\n%s", body)
		}
		if dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgA.ID); len(dogs) != 0 {
			t.Fatalf("a wrong date saved a dog: %+v", dogs)
		}

		form.Set("welfare_check-day", "28")
		form.Set("welfare_check-year", "2027")
		if resp, body := owner.post("/provision/ok9/dogs", form); resp.StatusCode != 303 {
			t.Fatalf("a right date = %d\n%s", resp.StatusCode, body)
		}
		dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgA.ID)
		if len(dogs) != 1 || dogs[0].NextWelfareCheckOn == nil || dogs[0].NextWelfareCheckOn.Format("2006-01-02") != "2027-02-28" ||
			dogs[0].AssessmentPassedOn == nil || dogs[0].AssessmentPassedOn.Format("2006-01-02") != "2026-01-10" {
			t.Fatalf("stored dog: %+v", dogs)
		}
		_, body = owner.get("/provision/ok9/dogs/" + itoa(dogs[0].ID))
		if !strings.Contains(body, `name="welfare_check-day" type="text" inputmode="numeric" value="28"`) || !strings.Contains(body, `name="welfare_check-month" type="text" inputmode="numeric" value="2"`) {
			t.Errorf("the stored date is not shown in the three fields\n%s", body)
		}
		_, raw := (&client{f: f, cookies: map[string]string{}, bearer: f.apiToken(f.people["A owner"])}).get("/api/v1/provision/ok9/dogs/" + itoa(dogs[0].ID))
		if !strings.Contains(raw, `"next_welfare_check_on":"2027-02-28`) {
			t.Errorf("the API does not give the date as YYYY-MM-DD: %s", raw)
		}

		// The audit filter, a GET form, reads the three fields too.
		_, body = f.signedIn(f.people["admin"]).get("/audit?from-day=1&from-month=&from-year=2026")
		if !strings.Contains(body, "Date from must include a month") {
			t.Errorf("the audit filter does not name the missing month\n%s", body)
		}
	})
}

package server_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var (
	benchInput    = regexp.MustCompile(`<input\b[^>]*>`)
	benchSelect   = regexp.MustCompile(`(?s)<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	benchSelected = regexp.MustCompile(`<option\b[^>]*value="([^"]*)"[^>]*\bselected\b`)
	benchTextarea = regexp.MustCompile(`(?s)<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	benchAttr     = regexp.MustCompile(`\b(name|value|type)="([^"]*)"`)
)

// scrapeForm reads the fields of a page's forms as a browser would post
// them unchanged: text and hidden inputs, checked radios and boxes, the
// selected option of each select and each textarea. It does not depend on
// the form's field names, so the same benchmark runs on any version of it.
func scrapeForm(body string) url.Values {
	v := url.Values{}
	for _, tag := range benchInput.FindAllString(body, -1) {
		attrs := map[string]string{}
		for _, m := range benchAttr.FindAllStringSubmatch(tag, -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		name := attrs["name"]
		if name == "" || attrs["type"] == "submit" {
			continue
		}
		if (attrs["type"] == "radio" || attrs["type"] == "checkbox") && !strings.Contains(tag, " checked") {
			continue
		}
		v.Add(name, attrs["value"])
	}
	for _, m := range benchSelect.FindAllStringSubmatch(body, -1) {
		if s := benchSelected.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], html.UnescapeString(s[1]))
		} else {
			v.Set(m[1], "")
		}
	}
	for _, m := range benchTextarea.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	return v
}

// fillReview completes a scraped review form: counts, the sign-off and
// every control the form offers in place.
func fillReview(v url.Values, csrf string) url.Values {
	v.Set("_csrf", csrf)
	for name, val := range map[string]string{"headcount": "40", "exposed": "35", "screened": "30", "interviews": "6", "referrals": "2", "signed_off_by": "Jo Bloggs, Head of Wellbeing"} {
		if _, ok := v[name]; ok && v.Get(name) == "" {
			v.Set(name, val)
		}
	}
	for name := range v {
		if strings.HasSuffix(name, "_status") && strings.Contains(name, "_c") {
			v.Set(name, "in place")
		}
	}
	return v
}

func benchPost(b *testing.B, cl *client, path string, form url.Values) {
	b.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range cl.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := cl.f.srv.App().Test(req, -1)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("POST %s: %v %v", path, err, resp)
	}
	resp.Body.Close()
}

// BenchmarkRiskRegister times, on each database, an owner saving a role
// review through the page (the form as shown, posted back, to the
// redirect) and reading the register page with every role of the
// organisation's sector assessed:
//
//	go test -run XXX -bench RiskRegister -benchmem -benchtime 100x ./server/
func BenchmarkRiskRegister(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		f := newFixture(b, storetest.Open(b, dialect))
		owner := f.signedIn(f.people["A owner"])
		m := builtinFrameworks(b).CurrentRiskModel().RiskModel
		var first string
		for _, r := range m.Roles {
			if !containsString(r.Sectors, f.orgA.Sector) {
				continue
			}
			_, body := owner.get("/risk/roles/" + r.ID + "/review")
			benchPost(b, owner, "/risk/roles/"+r.ID, fillReview(scrapeForm(body), owner.csrf))
			if first == "" {
				first = r.ID
			}
		}
		_, body := owner.get("/risk/roles/" + first + "/review")
		form := fillReview(scrapeForm(body), owner.csrf)
		b.Run(dialect+"/save-review", func(b *testing.B) {
			for b.Loop() {
				benchPost(b, owner, "/risk/roles/"+first, form)
			}
		})
		b.Run(dialect+"/register-page", func(b *testing.B) {
			for b.Loop() {
				benchGet(b, owner, "/risk")
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// BenchmarkSaveStandard times an owner saving one answer through the page,
// from the form post to the redirect, on each database: LEAD-01 is a plain
// standard, MH-06 one that offers evidence from the risk register.
//
//	go test -run XXX -bench SaveStandard -benchmem ./server/
func BenchmarkSaveStandard(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		for _, standard := range []string{"LEAD-01", "MH-06"} {
			b.Run(dialect+"/"+standard, func(b *testing.B) {
				f := newFixture(b, storetest.Open(b, dialect))
				f.openCycle("2026/27")
				as := f.startAssessment(f.orgA, "2026/27")
				owner := f.signedIn(f.people["A owner"])
				path := "/assessments/" + itoa(as.ID) + "/standards/" + standard
				version := 1
				for b.Loop() {
					form := url.Values{"_csrf": {owner.csrf}, "level": {strconv.Itoa(version % 5)}, "version": {strconv.Itoa(version)},
						"evidence": {"Evidence text of a typical length for one standard."}}
					req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					for k, v := range owner.cookies {
						req.AddCookie(&http.Cookie{Name: k, Value: v})
					}
					resp, err := f.srv.App().Test(req, -1)
					if err != nil || resp.StatusCode != http.StatusSeeOther {
						b.Fatalf("save %s version %d: %v %v", standard, version, err, resp)
					}
					resp.Body.Close()
					version++
				}
			})
		}
	}
}

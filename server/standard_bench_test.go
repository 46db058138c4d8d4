package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

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

// BenchmarkStandardPageWithEvidence times showing a standard that offers
// records as evidence, on each database: PROT-07 (ok9, peer-support) reads
// the OK9 scheme, dogs, handlers, the peer support returns and the risk
// register; LEAD-01 offers nothing, for comparison.
//
//	go test -run XXX -bench StandardPageWithEvidence -benchmem ./server/
func BenchmarkStandardPageWithEvidence(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		for _, standard := range []string{"LEAD-01", "PROT-07"} {
			b.Run(dialect+"/"+standard, func(b *testing.B) {
				st := storetest.Open(b, dialect)
				f := newFixture(b, st)
				f.openCycle("2026/27")
				as := f.startAssessment(f.orgA, "2026/27")
				ctx, sys, all := context.Background(), store.SystemActor("bench"), store.AllOrganisations()
				passed := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
				if _, err := st.SaveOK9Scheme(ctx, sys, all, store.OK9Scheme{OrganisationID: f.orgA.ID, SLASignedOn: &passed}); err != nil {
					b.Fatal(err)
				}
				for i := range 6 {
					dog, err := st.SaveOK9Dog(ctx, sys, all, store.OK9Dog{OrganisationID: f.orgA.ID, CallName: "Dog " + itoa(int64(i)), Status: store.DogActive, AssessmentPassedOn: &passed})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := st.SaveOK9Handler(ctx, sys, all, store.OK9Handler{OrganisationID: f.orgA.ID, DisplayName: "PC " + itoa(int64(i)), PeerSupporterTrainedOn: &passed, DogIDs: []int64{dog.ID}}); err != nil {
						b.Fatal(err)
					}
				}
				for y := 2024; y <= 2026; y++ {
					if _, err := st.SavePeerSupportReturn(ctx, sys, all, store.PeerSupportReturn{OrganisationID: f.orgA.ID, Year: y, PeerSupporters: 60, TrainedTrainers: 6}); err != nil {
						b.Fatal(err)
					}
				}
				owner := f.signedIn(f.people["A owner"])
				path := "/assessments/" + itoa(as.ID) + "/standards/" + standard
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					for k, v := range owner.cookies {
						req.AddCookie(&http.Cookie{Name: k, Value: v})
					}
					resp, err := f.srv.App().Test(req, -1)
					if err != nil || resp.StatusCode != http.StatusOK {
						b.Fatalf("show %s: %v %v", standard, err, resp)
					}
					resp.Body.Close()
				}
			})
		}
	}
}

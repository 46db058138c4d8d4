package server_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// benchNational fills a store with the large synthetic data set (1,000
// organisations unless BENCH_ORGS says otherwise, 3 cycles;
// BENCH_DIALECT=postgres for PostgreSQL) and returns a national admin's client, the newest cycle and one organisation.
func benchNational(b *testing.B) (*client, store.Cycle, store.Organisation) {
	b.Helper()
	dialect := os.Getenv("BENCH_DIALECT")
	if dialect == "" {
		dialect = store.DialectSQLite
	}
	st := storetest.Open(b, dialect)
	ctx := context.Background()
	size := 1000
	if n, err := strconv.Atoi(os.Getenv("BENCH_ORGS")); err == nil && n > 0 {
		size = n // e.g. to see the batch's memory stay flat as it grows
	}
	if err := seed.Synthetic(ctx, st, builtinFrameworks(b), size, 3, time.Now()); err != nil {
		b.Fatal(err)
	}
	f := &fixture{t: b, st: st, srv: newServer(b, st), people: map[string]store.User{}}
	admin, err := st.CreateUser(ctx, store.SystemActor("bench"), store.AllOrganisations(), store.User{Role: store.RoleNationalAdmin, Email: "bench@npws.example", DisplayName: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	cycles, _ := st.Cycles(ctx)
	orgs, _ := st.ListOrganisations(ctx, store.AllOrganisations())
	return f.signedIn(admin), cycles[0], orgs[len(orgs)/2]
}

func benchGet(b *testing.B, cl *client, path string) {
	b.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range cl.cookies {
		req.Header.Add("Cookie", k+"="+v)
	}
	resp, err := cl.f.srv.App().Test(req, -1)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("GET %s: %v %v", path, err, resp)
	}
	resp.Body.Close()
}

// BenchmarkReports times each report end to end (queries, group figures,
// rendering) on 1,000 organisations:
//
//	go test -run XXX -bench Reports -benchtime 10x ./server/
func BenchmarkReports(b *testing.B) {
	cl, cy, org := benchNational(b)
	cycle, q := "/"+itoa(cy.ID), "?org="+itoa(org.ID)
	for _, bc := range []struct{ name, path string }{
		{"national-page", "/national" + cycle},
		{"benchmark-page", "/reports" + cycle + "/benchmark" + q},
		{"benchmark-pdf", "/reports" + cycle + "/benchmark.pdf" + q},
		{"gap-analysis-xlsx", "/reports" + cycle + "/gap-analysis.xlsx" + q},
		{"business-case-pdf", "/reports" + cycle + "/business-case.pdf" + q},
		{"national-workbook", "/national" + cycle + "/workbook.xlsx"},
		{"national-summary-pdf", "/national" + cycle + "/summary.pdf"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				benchGet(b, cl, bc.path)
			}
		})
	}
	// An owner's home page, which opens on the latest benchmark's headline.
	owner, err := cl.f.st.CreateUser(context.Background(), store.SystemActor("bench"), store.AllOrganisations(), store.User{Role: store.RoleOwner, OrganisationID: &org.ID, Email: "owner@bench.example", DisplayName: "Owner"})
	if err != nil {
		b.Fatal(err)
	}
	home := cl.f.signedIn(owner)
	b.Run("home-owner", func(b *testing.B) {
		for b.Loop() {
			benchGet(b, home, "/")
		}
	})
	// Cold: a change before each request (a workforce figure, in the audit
	// trail) makes the group figures be worked out again from the database.
	b.Run("benchmark-page-cold", func(b *testing.B) {
		ctx, n := context.Background(), 0
		for b.Loop() {
			n++
			if err := cl.f.st.SetWorkforce(ctx, store.SystemActor("bench"), store.AllOrganisations(), store.Workforce{OrganisationID: org.ID, Year: 2000, Officers: n}); err != nil {
				b.Fatal(err)
			}
			benchGet(b, cl, "/reports"+cycle+"/benchmark"+q)
		}
	})
}

// BenchmarkBatch times the zip of 1,000 benchmark PDFs:
//
//	go test -run XXX -bench Batch -benchtime 1x ./server/
func BenchmarkBatch(b *testing.B) {
	cl, cy, _ := benchNational(b)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak, stop := sampleHeap()
	var batchPeak uint64
	var download time.Duration
	for b.Loop() {
		resp, _ := cl.do("POST", "/national/"+itoa(cy.ID)+"/batch", url.Values{"_csrf": {cl.csrf}})
		if resp.StatusCode != 303 {
			b.Fatalf("start batch = %d", resp.StatusCode)
		}
		loc := resp.Header.Get("Location")
		for {
			_, page := cl.get(loc)
			if strings.Contains(page, "reports ready") {
				break
			}
			if strings.Contains(page, "did not finish") {
				b.Fatal(page)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// The heap peak is the batch's: the test client holds the whole
		// zip several times over, which a real client does not.
		batchPeak = max(batchPeak, peak())
		start := time.Now()
		if resp, zip := cl.get(loc + "/download"); resp.StatusCode != 200 || !strings.HasPrefix(zip, "PK") {
			b.Fatalf("download = %d, %d bytes", resp.StatusCode, len(zip))
		}
		download += time.Since(start)
	}
	stop()
	b.ReportMetric(float64(before.HeapInuse)/(1<<20), "heap-before-MB")
	b.ReportMetric(float64(batchPeak)/(1<<20), "heap-peak-MB")
	b.ReportMetric(float64(download.Milliseconds())/float64(b.N), "download-ms")
}

// sampleHeap records the peak heap in use every 10 ms until stopped.
func sampleHeap() (peak func() uint64, stop func()) {
	var max atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > max.Load() {
					max.Store(ms.HeapInuse)
				}
			}
		}
	}()
	return max.Load, func() { close(done) }
}

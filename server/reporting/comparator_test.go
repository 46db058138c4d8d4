package reporting

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// The attacker tests load the demo and a synthetic national picture with
// many small groups into SQLite only: the attack is on the figures, which
// are the same whatever the database, and the demo is slow to load twice.

var demoNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func loadFrameworks(t *testing.T) *frameworks.Set {
	t.Helper()
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// cyclesWithFigures are the store's cycles with their figures, leaving out
// any whose national group is too small to publish anything.
func cyclesWithFigures(t *testing.T, rs *Service, st *store.Store) []*CycleFigures {
	t.Helper()
	ctx := context.Background()
	cycles, err := st.Cycles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*CycleFigures
	for _, c := range cycles {
		f, err := rs.Figures(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if f.Result.Stats(benchmark.National(), MetricOverall).N >= f.Result.MinGroup() {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no cycle with figures")
	}
	return out
}

// demoFigures loads the demo into SQLite and gives its newest cycle with
// figures.
func demoFigures(t *testing.T) (*store.Store, *Service, *CycleFigures) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	set := loadFrameworks(t)
	if _, err := seed.Demo(context.Background(), st, set, demoNow); err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	return st, rs, cyclesWithFigures(t, rs, st)[0]
}

// TestEveryoneHasAComparator: on the demo, every organisation is compared
// with a group whose figures are published, and is told why when it is not
// its own peer group.
func TestEveryoneHasAComparator(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	set := loadFrameworks(t)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, st, set, demoNow); err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	fellBack := 0
	for _, f := range cyclesWithFigures(t, rs, st) {
		for _, o := range f.Orgs {
			g, why := Comparator(f.Result, o.Organisation)
			n := f.Result.Stats(g, MetricOverall)
			if n.N < f.Result.MinGroup() || !n.Median.Ok() {
				t.Errorf("%s, %s: compared with %s of %d, median %+v", f.Cycle.Name, o.Name, g.Label(), n.N, n.Median)
			}
			if why != "" {
				fellBack++
				r, err := rs.OrgReport(ctx, o.Organisation, f)
				if err != nil {
					t.Fatal(err)
				}
				if rep := rs.BenchmarkReport(r); !strings.Contains(rep.PeerGroup, why) || !strings.Contains(rep.Method, why) {
					t.Errorf("%s: the report does not say why it compares with %s: %q", o.Name, g.Label(), rep.PeerGroup)
				}
				if w := rs.gapWorkbook(r); !strings.Contains(w.Method, why) {
					t.Errorf("%s: the gap analysis does not say why it compares with %s", o.Name, g.Label())
				}
				// Headings name the group compared with, never "Peer".
				if rep, w := rs.BenchmarkReport(r), rs.gapWorkbook(r); rep.Comparator != ComparatorWord(g) || w.Comparator != ComparatorWord(g) || ComparatorWord(g) == "Peer" {
					t.Errorf("%s: compared with %s, headings say %q (PDF) and %q (workbook)", o.Name, g.Label(), rep.Comparator, w.Comparator)
				}
			}
		}
	}
	if fellBack == 0 {
		t.Error("no organisation of the demo fell back from its peer group: the test shows nothing")
	}
}

package reporting_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestFiguresAreCachedUntilTheDataMoves: a cycle's figures are worked out
// once and shared while nothing they draw on changes; a new workforce figure
// makes the next request work them out again, with the new figure in them.
func TestFiguresAreCachedUntilTheDataMoves(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := seed.Synthetic(ctx, st, set, 8, 2, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		cycles, err := st.Cycles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rs := reporting.New(st, set)
		first, err := rs.Figures(ctx, cycles[0])
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := rs.Figures(ctx, cycles[0]); again != first {
			t.Fatal("the figures were worked out again although nothing changed")
		}
		org := first.Orgs[0]
		workforce := 123456
		if err := st.SetWorkforce(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Workforce{OrganisationID: org.ID, Year: first.Year, Officers: workforce}); err != nil {
			t.Fatal(err)
		}
		moved, err := rs.Figures(ctx, cycles[0])
		if err != nil {
			t.Fatal(err)
		}
		if moved == first {
			t.Fatal("the cached figures were kept after the workforce changed")
		}
		if pc := moved.Provision[org.ID]; pc == nil || pc.Workforce == nil || *pc.Workforce < workforce {
			t.Errorf("the new workforce figure is not in the figures: %+v", pc)
		}

		// The organisation's report is drawn from those figures, and its
		// PDF names the organisation and the cycle.
		r, err := rs.OrgReport(ctx, org.Organisation, moved)
		if err != nil {
			t.Fatal(err)
		}
		if r.Figures != moved || r.Org.ID != org.ID {
			t.Fatalf("the report is not of %s on the figures asked for", org.Name)
		}
		pdf, err := rs.OrgBenchmarkPDF(ctx, org.Organisation, moved)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("batch step gave %d bytes that are not a PDF", len(pdf))
		}
		if name := reporting.BenchmarkFileName(org.Organisation, cycles[0]); !strings.Contains(name, org.Slug) || !strings.HasSuffix(name, ".pdf") {
			t.Errorf("the PDF is named %q, without the organisation %s", name, org.Slug)
		}
		if text := pdftest.Text(t, pdf); !bytes.Contains([]byte(text), []byte(org.Name)) {
			t.Errorf("the PDF does not name %s", org.Name)
		}
	})
}

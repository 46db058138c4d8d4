package reporting

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// checkFindings checks every sentence of an organisation's summary against
// the figures the body of its report shows.
func checkFindings(t *testing.T, rs *Service, r *OrgReport) benchmarkpdf.Report {
	t.Helper()
	ctx := context.Background()
	rep := rs.BenchmarkReport(r)
	k := rep.Findings
	name := r.Org.Name
	if k == nil {
		t.Fatalf("%s: no summary", name)
	}
	// Headline: the overall figure, its change and the comparator median,
	// each as the body prints it.
	if v := rep.Overall.Value; v.Ok() && !strings.Contains(k.Headline, " is "+v.Format(1)) {
		t.Errorf("%s: headline %q lacks the overall level %s", name, k.Headline, v.Format(1))
	}
	if m := rep.Overall.Peer.Median; m.Ok() && rep.Overall.Value.Ok() && !strings.Contains(k.Headline, "median of") {
		t.Errorf("%s: headline %q does not set the level against the comparator median %s", name, k.Headline, m.Format(1))
	} else if m.Ok() && rep.Overall.Value.Ok() && !strings.Contains(k.Headline, ", "+m.Format(1)) {
		t.Errorf("%s: headline %q lacks the comparator median %s", name, k.Headline, m.Format(1))
	}
	if len(rep.Changes) > 0 {
		switch ch := benchmarkpdf.Change(rep.Changes[0], 1); {
		case ch == "no change" && !strings.Contains(k.Headline, "unchanged since"),
			strings.HasPrefix(ch, "+") && !strings.Contains(k.Headline, "up "+ch[1:]+" since"),
			strings.HasPrefix(ch, "-") && !strings.Contains(k.Headline, "down "+ch[1:]+" since"):
			t.Errorf("%s: headline %q does not say the change %s", name, k.Headline, ch)
		}
	} else if !strings.Contains(k.Headline, "no earlier submitted assessment") {
		t.Errorf("%s: headline %q does not say there is nothing to compare with", name, k.Headline)
	}
	// Strengths and gaps: at most three, each above (below) both medians.
	rows := map[string]benchmarkpdf.StandardRow{}
	for _, row := range rep.Standards {
		rows[row.ID] = row
	}
	if len(k.Strengths) > 3 || len(k.Gaps) > 3 {
		t.Errorf("%s: %d strengths and %d gaps", name, len(k.Strengths), len(k.Gaps))
	}
	for _, f := range k.Strengths {
		row := rows[f.ID]
		if !(row.Level.V > row.PeerMedian.V && row.Level.V > row.NationalMedian.V) || f.Statement != strings.TrimSuffix(row.Statement, ".") {
			t.Errorf("%s: strength %s at level %v, medians %v and %v", name, f.ID, row.Level.V, row.PeerMedian.V, row.NationalMedian.V)
		}
	}
	for _, f := range k.Gaps {
		row := rows[f.ID]
		if !(row.Level.V < row.PeerMedian.V && row.Level.V < row.NationalMedian.V) || !strings.Contains(f.Why, "level "+row.Level.Format(0)) {
			t.Errorf("%s: gap %s at level %v, medians %v and %v (%s)", name, f.ID, row.Level.V, row.PeerMedian.V, row.NationalMedian.V, f.Why)
		}
	}
	// Provision: each sentence carries the provision table's own figure.
	for _, line := range k.Provision[:len(k.Provision)-1] {
		found := false
		for _, p := range rep.Provision {
			if strings.HasPrefix(line, p.Label+": ") {
				found = true
				if p.Value.Ok() && !strings.HasPrefix(line, p.Label+": "+p.Value.Format(p.Decimals)) {
					t.Errorf("%s: %q, the table shows %s", name, line, p.Value.Format(p.Decimals))
				}
				if !p.Value.Ok() && !strings.Contains(line, p.Value.Note) {
					t.Errorf("%s: %q, the table says %q", name, line, p.Value.Note)
				}
			}
		}
		if !found {
			t.Errorf("%s: provision line %q matches no row of the provision table", name, line)
		}
	}
	// Risk: the register's own counts.
	high := 0
	for _, row := range r.Register {
		if row.OverallBand == "high" || row.OverallBand == "very_high" {
			high++
		}
	}
	switch {
	case len(r.Register) == 0 && !strings.Contains(k.Risk[0], "No role has been risk-assessed"),
		len(r.Register) > 0 && high == 0 && !strings.HasPrefix(k.Risk[0], "No role is banded"),
		high == 1 && !strings.HasPrefix(k.Risk[0], "1 role is banded"),
		high > 1 && !strings.HasPrefix(k.Risk[0], strconv.Itoa(high)+" roles are banded"):
		t.Errorf("%s: %d roles banded high or very high, summary says %q", name, high, k.Risk[0])
	}
	// What next: the business case's own ask.
	as, _, err := rs.Assumptions(ctx, r.Org)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := rs.BusinessCase(ctx, r, as)
	if err != nil {
		t.Fatal(err)
	}
	if k.Next != doc.AskSentence() {
		t.Errorf("%s: next %q, business case asks %q", name, k.Next, doc.AskSentence())
	}
	return rep
}

// TestSummaryOpensTheDemoReports: Avon and Somerset, Devon and Somerset
// fire and South Western Ambulance each open with a summary in their own
// sector's words, every figure the body's, and the PDF's second page is it.
func TestSummaryOpensTheDemoReports(t *testing.T) {
	st, rs, f := demoFigures(t)
	ctx := context.Background()
	for slug, chief := range map[string]string{"avon-somerset": "chief constable", "dsfrs": "chief fire officer", "swast": "chief executive"} {
		org, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), slug)
		if err != nil {
			t.Fatal(err)
		}
		r, err := rs.OrgReport(ctx, org, f)
		if err != nil {
			t.Fatal(err)
		}
		rep := checkFindings(t, rs, r)
		if !strings.Contains(rep.Findings.Next, chief) {
			t.Errorf("%s: next step %q does not name the %s", slug, rep.Findings.Next, chief)
		}
		words := strings.ToLower(strings.Join(append(rep.Findings.Provision, rep.Findings.Headline, rep.Findings.Next), " "))
		if police := regexp.MustCompile(`chief constable|\bforces?\b|policing`).FindString(words); slug != "avon-somerset" && police != "" {
			t.Errorf("%s: summary says %q", slug, police)
		}
		pdf, err := rs.BenchmarkPDF(r)
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(pdftest.Text(t, pdf), "\f")
		page2 := strings.Join(strings.Fields(pages[1]), " ")
		for _, want := range []string{"Summary", "Strengths", "Priority gaps", "Provision", "Risk in high-risk roles", "What to do next",
			strings.Join(strings.Fields(rep.Findings.Headline), " ")[:60]} {
			if !strings.Contains(page2, want) {
				t.Errorf("%s: PDF page 2 lacks %q:\n%s", slug, want, page2)
			}
		}
	}
}

// TestSummaryWithoutFigures: an organisation with no comparator, no
// earlier cycle, no OK9 scheme and no high-risk roles gets a summary that
// says so, on both databases.
func TestSummaryWithoutFigures(t *testing.T) {
	set := loadFrameworks(t)
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := seed.Synthetic(ctx, st, set, 3, 1, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		rs := New(st, set)
		cycles, err := st.Cycles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		orgs, err := st.ListOrganisations(ctx, store.AllOrganisations())
		if err != nil {
			t.Fatal(err)
		}
		// The first has no OK9 scheme and no register; the second a register
		// with no role banded high or very high.
		o, low := orgs[0], orgs[1]
		for _, table := range []string{"ok9_deployments", "ok9_handlers", "ok9_dogs", "ok9_schemes", "role_assessments"} {
			if err := st.DB().Exec("DELETE FROM "+table+" WHERE organisation_id = ?", o.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := st.DB().Exec("UPDATE role_assessments SET overall_band = 'low' WHERE organisation_id = ?", low.ID).Error; err != nil {
			t.Fatal(err)
		}
		f, err := rs.Figures(ctx, cycles[0])
		if err != nil {
			t.Fatal(err)
		}
		r, err := rs.OrgReport(ctx, o, f)
		if err != nil {
			t.Fatal(err)
		}
		rep := checkFindings(t, rs, r)
		k := rep.Findings
		if !strings.Contains(k.Headline, "There is no median to compare it with") || !strings.Contains(k.Headline, "no earlier submitted assessment") {
			t.Errorf("headline %q", k.Headline)
		}
		if len(k.Strengths)+len(k.Gaps) != 0 {
			t.Errorf("strengths %v and gaps %v without any median", k.Strengths, k.Gaps)
		}
		if !strings.Contains(k.Risk[0], "No role has been risk-assessed") {
			t.Errorf("risk %q", k.Risk)
		}
		for _, line := range k.Provision {
			if strings.Contains(line, "percentile") {
				t.Errorf("a band with no comparator: %q", line)
			}
		}
		if !strings.Contains(k.Provision[0], "no OK9 scheme") {
			t.Errorf("OK9 with no scheme: %q", k.Provision[0])
		}
		r, err = rs.OrgReport(ctx, low, f)
		if err != nil {
			t.Fatal(err)
		}
		if k := checkFindings(t, rs, r).Findings; !strings.HasPrefix(k.Risk[0], "No role is banded high or very high") {
			t.Errorf("a register with no high-risk role: %q", k.Risk)
		}
	})
}

package server_test

import (
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestHomeTasksByRole: each role is pointed at its own next steps, in the
// order of what presses most, and at nothing it may not do.
func TestHomeTasksByRole(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		inOrder := func(who string, want []string, not ...string) {
			t.Helper()
			_, home := f.signedIn(f.people[who]).get("/")
			at := -1
			for _, w := range want {
				i := strings.Index(home, w)
				if i < 0 || i < at {
					t.Errorf("%s's home: %q missing or out of order", who, w)
				}
				at = i
			}
			for _, n := range not {
				if strings.Contains(home, n) {
					t.Errorf("%s's home offers %q", who, n)
				}
			}
		}
		inOrder("A owner", []string{"Record your workforce figures", "Review who has access", "Read your benchmark report", "Create an API token"},
			"See the national benchmarks", "Manage organisations", "Add your team")
		// The chief officer (viewer) is given nothing they cannot do, and no
		// technical tables.
		inOrder("A viewer", []string{"What you can read", "Read your benchmark report"}, "Record your workforce figures", "Add your team",
			"Create an API token", "Frameworks and risk models", "What to do next")
		inOrder("admin", []string{"Manage organisations", "Add people", "See the national benchmarks", "Create an API token", `href="/frameworks"`},
			"Read your benchmark report", "Add the first organisation")
		// The national admin sees each open cycle's progress.
		f.openCycle("2026/27")
		f.startAssessment(f.orgA, "2026/27")
		inOrder("admin", []string{"2026/27 self-assessments", "Submitted", "0 of 2 organisations", "In progress", "Not started"})
		// The contributor is told which sections are theirs (area LEAD).
		inOrder("A contributor", []string{"Your sections", "Leadership", "0 of "}, "Create an API token", "Mental Health</a>")
		if resp, body := f.signedIn(f.people["admin"]).get("/frameworks"); resp.StatusCode != 200 || !strings.Contains(body, "<td class=\"govuk-table__cell\">") {
			t.Errorf("the frameworks page for admins = %d", resp.StatusCode)
		}
		if resp, _ := f.signedIn(f.people["A viewer"]).get("/frameworks"); resp.StatusCode != 403 {
			t.Errorf("the frameworks page for a viewer = %d, want 403", resp.StatusCode)
		}
	})
}

// TestHomeWithoutFiguresShowsNoBenchmark: before any cycle has submitted
// figures, a home page promises no benchmark.
func TestHomeWithoutFiguresShowsNoBenchmark(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if _, body := f.signedIn(f.people["A viewer"]).get("/"); strings.Contains(body, "Your benchmark for") {
			t.Error("a home page shows a benchmark before any cycle has figures")
		}
	})
}

// TestHomeShowsTheLatestBenchmark: an organisation's home opens on the
// headline of its benchmark report in the newest cycle with submitted
// figures, word for word as the report's summary, with a link to it.
func TestHomeShowsTheLatestBenchmark(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		bf := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		viewer := bf.signedIn(bf.people["A viewer"])
		_, report := viewer.get(bf.path("/benchmark"))
		const open = `<p class="govuk-body-l">`
		at := strings.Index(report, open)
		if at < 0 {
			t.Fatal("the benchmark page has no summary headline")
		}
		headline := report[at+len(open) : at+strings.Index(report[at:], "</p>")]
		_, home := viewer.get("/")
		if !strings.Contains(home, "Your benchmark for "+bf.cycle.Name) || !strings.Contains(home, headline) ||
			!strings.Contains(home, `href="`+bf.path("/benchmark")+`"`) {
			t.Errorf("home lacks the benchmark headline %q and its link:\n%s", headline, home)
		}
	})
}

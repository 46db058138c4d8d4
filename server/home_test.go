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
		inOrder("A viewer", []string{"Read your benchmark report", "Create an API token"}, "Record your workforce figures", "Add your team")
		inOrder("admin", []string{"Manage organisations", "Add people", "See the national benchmarks", "Create an API token"},
			"Read your benchmark report", "Add the first organisation")
	})
}

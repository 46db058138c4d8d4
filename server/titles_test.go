package server_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var reTitle = regexp.MustCompile(`<title>([^<]*)</title>`)

// TestTitlesNameTheOrganisation: a national admin looking at another
// organisation's provision and risk pages is told in the page title
// whose they are, so two tabs, or a screen reader's list of windows, tell
// them apart.
func TestTitlesNameTheOrganisation(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.signedIn(f.people["admin"])
		q := "?org=" + itoa(f.orgB.ID)
		dog, err := st.SaveOK9Dog(t.Context(), store.SystemActor("test"), store.AllOrganisations(), store.OK9Dog{OrganisationID: f.orgB.ID, CallName: "Juno", Status: store.DogTraining})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/provision", "/provision/trauma", "/provision/ok9", "/provision/vans", "/provision/peer-support", "/risk", "/risk/heatmap", "/provision/ok9/dogs/" + itoa(dog.ID)} {
			resp, body := admin.get(p + q)
			m := reTitle.FindStringSubmatch(body)
			if resp.StatusCode != 200 || m == nil || !strings.Contains(html.UnescapeString(m[1]), f.orgB.Name) {
				t.Errorf("%s: %d, title %q does not name %s", p, resp.StatusCode, m, f.orgB.Name)
			}
		}
	})
}

package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestDoneURLKeepsQueryAndFragment(t *testing.T) {
	for _, c := range []struct{ path, key, want string }{
		{"/provision/ok9", "dog", "/provision/ok9?done=dog"},
		{"/provision/vans?year=2026", "van-requested", "/provision/vans?year=2026&done=van-requested"},
		{"/assessments/3/standards/LEAD-01#actions", "saved", "/assessments/3/standards/LEAD-01?done=saved#actions"},
		{"/risk/roles/R1?org=4", "saved", "/risk/roles/R1?org=4&done=saved"},
	} {
		if got := server.DoneURL(c.path, c.key); got != c.want {
			t.Errorf("DoneURL(%q, %q) = %q, want %q", c.path, c.key, got, c.want)
		}
	}
}

// TestBannerAfterAChange: a change sends the person back with ?done=, and
// the page says what happened; a ?done= that means nothing shows nothing.
func TestBannerAfterAChange(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.signedIn(f.people["admin"])
		orgPath := "/organisations/" + itoa(f.orgA.ID)
		admin.get(orgPath)
		resp, _ := admin.post(orgPath+"/workforce", url.Values{"year": {"2026"}, "officers": {"3000"}, "staff": {"1200"}, "volunteers": {"40"}})
		next := resp.Header.Get("Location")
		if resp.StatusCode != 303 || next != orgPath+"?done=changes" {
			t.Fatalf("saving workforce figures: %d to %q", resp.StatusCode, next)
		}
		if _, page := admin.get(next); !strings.Contains(page, "Changes saved.") {
			t.Error("the organisation page does not say the changes were saved")
		}
		if _, page := admin.get(orgPath + "?done=%3Cscript%3E"); strings.Contains(page, "govuk-notification-banner--success") || strings.Contains(page, "<script>") {
			t.Error("an unknown ?done= showed a banner")
		}
	})
}

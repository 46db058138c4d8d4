package server_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// The CSRF token counts only from the form body or the X-CSRF-Token header:
// one in the query string is ignored.
func TestCSRFTokenNotTakenFromTheQueryString(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		me := f.people["A viewer"]
		cl := f.signedIn(me)
		token := cl.csrf
		cl.csrf = "" // the client adds no token to the body
		if resp, _ := cl.post("/tokens?_csrf="+url.QueryEscape(token), url.Values{"name": {"From a link"}}); resp.StatusCode != 403 {
			t.Errorf("token in the query string = %d, want 403", resp.StatusCode)
		}
		if toks, _ := st.ListAPITokens(context.Background(), me.ID); len(toks) != 0 {
			t.Fatal("a token was created with the CSRF token in the query string")
		}
		if resp, _ := cl.doWith("POST", "/tokens", url.Values{"name": {"By header"}}, map[string]string{"X-CSRF-Token": token}); resp.StatusCode != 200 {
			t.Errorf("token in the header = %d, want 200", resp.StatusCode)
		}
		if resp, _ := cl.post("/tokens", url.Values{"name": {"In the form"}, "_csrf": {token}}); resp.StatusCode != 200 {
			t.Errorf("token in the form = %d, want 200", resp.StatusCode)
		}
	})
}

package server_test

import (
	"context"
	"html"
	"maps"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestStandardFormErrors: a wrong answer or action comes back on the full
// standard page with what was typed, and a person who may not change the
// standard is refused before their form is looked at.
func TestStandardFormErrors(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		p := stdPath(as, "MH-06")
		owner.get(p)

		resp, body := owner.post(p, url.Values{"level": {"9"}, "version": {"1"}, "evidence": {"Typed but not saved"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Choose the maturity level") || !strings.Contains(body, "Typed but not saved") ||
			!strings.Contains(body, "Examples of evidence") || strings.Contains(body, `action="`+p+`/actions"`) {
			t.Errorf("wrong answer = %d; want the standard page (one form) with the error and what was typed\n%s", resp.StatusCode, body)
		}

		if resp, _ := owner.post(p, url.Values{"level": {"2"}, "version": {"1"}, "evidence": {"Saved evidence"}}); resp.StatusCode != 303 {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		resp, body = owner.post(p+"/actions", url.Values{"what": {""}, "owner": {"HR"}, "status": {store.ActionStatuses[0]}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Describe the action") || !strings.Contains(body, "Saved evidence") || !strings.Contains(body, `value="HR"`) {
			t.Errorf("action without a description = %d; want the page with the saved answer and the action as typed\n%s", resp.StatusCode, body)
		}

		contrib := f.signedIn(f.people["A contributor"]) // LEAD only
		contrib.get(p)
		if resp, _ := contrib.post(p, url.Values{"level": {"9"}, "version": {"2"}}); resp.StatusCode != 403 {
			t.Errorf("a wrong answer outside the contributor's area = %d, want 403", resp.StatusCode)
		}
		if resp, _ := contrib.post(p+"/actions", url.Values{"what": {""}}); resp.StatusCode != 403 {
			t.Errorf("a wrong action outside the contributor's area = %d, want 403", resp.StatusCode)
		}
	})
}

var reWas = regexp.MustCompile(`name="was" value="([^"]*)"`)

func storedAnswer(t *testing.T, st *store.Store, as store.Assessment, sid string) (store.Response, []store.Action) {
	t.Helper()
	_, rs, acts, err := st.AssessmentWithAnswers(context.Background(), store.AllOrganisations(), as.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Action
	for _, a := range acts {
		if a.StandardID == sid {
			out = append(out, a)
		}
	}
	for _, r := range rs {
		if r.StandardID == sid {
			return r, out
		}
	}
	t.Fatalf("no response for %s", sid)
	return store.Response{}, nil
}

// TestStandardOneForm: the standard page is one form, so "Add action" keeps
// (and saves) the level and evidence typed beside it; a wrong action keeps
// everything typed and saves nothing; an action can be added before any
// level is chosen; an action's status changes from the same form.
func TestStandardOneForm(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		p := stdPath(as, "LEAD-01")
		_, body := owner.get(p)
		if strings.Count(body, `<form method="post" action="/assessments/`) != 1 {
			t.Fatalf("the standard page should have one form for answer and actions\n%s", body)
		}
		was := regexWas(t, body)

		// A wrong action: nothing saved, everything typed shown again.
		typed := url.Values{"level": {"3"}, "version": {"1"}, "was": {was}, "evidence": {"Board minutes, March"}, "then": {"add-action"}, "what": {""}, "owner": {"Head of HR"}, "status": {store.ActionStatuses[0]}}
		resp, body := owner.post(p, typed)
		if resp.StatusCode != 422 || !strings.Contains(body, "Describe the action") || !strings.Contains(body, "Board minutes, March") || !strings.Contains(body, `value="Head of HR"`) || !strings.Contains(body, `value="3" checked`) {
			t.Fatalf("wrong action = %d; want the page with the level, evidence and action as typed\n%s", resp.StatusCode, body)
		}
		if r, acts := storedAnswer(t, st, as, "LEAD-01"); r.Level != nil || r.Evidence != "" || len(acts) != 0 {
			t.Fatalf("a wrong action changed something: %+v %+v", r, acts)
		}

		// Add action with the answer typed: both are saved.
		typed.Set("what", "Publish a wellbeing strategy")
		resp, _ = owner.post(p, typed)
		if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "#actions") {
			t.Fatalf("add action = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		r, acts := storedAnswer(t, st, as, "LEAD-01")
		if r.Level == nil || *r.Level != 3 || r.Evidence != "Board minutes, March" || len(acts) != 1 || acts[0].What != "Publish a wellbeing strategy" || acts[0].Owner != "Head of HR" {
			t.Fatalf("after add action: answer %+v, actions %+v", r, acts)
		}
		_, body = owner.get(resp.Header.Get("Location"))
		if !strings.Contains(body, "Board minutes, March") || !strings.Contains(body, "Publish a wellbeing strategy") {
			t.Fatal("the page after adding an action does not show the answer and the action")
		}

		// An action before any level is chosen: the untouched answer is not
		// checked, and stays unanswered.
		p2 := stdPath(as, "LEAD-02")
		_, body = owner.get(p2)
		if resp, body := owner.post(p2, url.Values{"version": {"1"}, "was": {regexWas(t, body)}, "then": {"add-action"}, "what": {"Train managers"}, "status": {store.ActionStatuses[0]}}); resp.StatusCode != 303 {
			t.Fatalf("action before a level = %d\n%s", resp.StatusCode, body)
		}
		if r, acts := storedAnswer(t, st, as, "LEAD-02"); r.Level != nil || len(acts) != 1 {
			t.Fatalf("action before a level: %+v %+v", r, acts)
		}

		// Update an action's status from the same form, answer untouched.
		_, body = owner.get(p)
		id := itoa(acts[0].ID)
		last := store.ActionStatuses[len(store.ActionStatuses)-1]
		form := url.Values{"level": {"3"}, "version": {itoa(int64(r.Version))}, "was": {regexWas(t, body)}, "evidence": {"Board minutes, March"}, "update": {id}, "status-" + id: {last}, "status": {store.ActionStatuses[0]}}
		if resp, body := owner.post(p, form); resp.StatusCode != 303 {
			t.Fatalf("update action = %d\n%s", resp.StatusCode, body)
		}
		r2, acts := storedAnswer(t, st, as, "LEAD-01")
		if acts[0].Status != last || r2.Version != r.Version {
			t.Errorf("update: status %q (want %q), answer version %d (want %d, unchanged)", acts[0].Status, last, r2.Version, r.Version)
		}
	})
}

func regexWas(t *testing.T, body string) string {
	t.Helper()
	m := reWas.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no answer fingerprint on the page\n%s", body)
	}
	return m[1]
}

// TestIdleSessionKeepsTypedText: a save sent after the idle limit asks the
// person to sign in again, carrying what they typed; after signing in it is
// shown back on its page, unsaved. Someone else signing in does not get it,
// and a form not from the idle session is still refused.
func TestIdleSessionKeepsTypedText(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		u := f.people["A owner"]
		setPassword(t, f, u)
		owner := f.signedIn(u)
		p := stdPath(as, "LEAD-01")
		_, body := owner.get(p)
		if !strings.Contains(body, `id="app-timeout"`) || !strings.Contains(body, "you are signed out after 30 minutes") {
			t.Error("the standard page has no timeout warning or note")
		}
		later := time.Now().UTC().Add(31 * time.Minute)
		st.Now = func() time.Time { return later }
		typed := url.Values{"level": {"2"}, "version": {"1"}, "was": {regexWas(t, body)}, "evidence": {"Typed over half an hour & more"}}

		stranger := f.anonymous()
		stranger.cookies = maps.Clone(owner.cookies)
		if resp, _ := stranger.post(p, url.Values{"evidence": {"x"}, "_csrf": {"not-the-session-token-not-the-session-token"}}); resp.StatusCode != 403 {
			t.Errorf("a form with the wrong token after the idle limit = %d, want 403", resp.StatusCode)
		}

		resp, body := owner.post(p, typed)
		if resp.StatusCode != 401 || !strings.Contains(body, "Sign in again") || !strings.Contains(body, `name="held" value="evidence=Typed`) {
			t.Fatalf("save after the idle limit = %d; want sign in again, carrying the text\n%s", resp.StatusCode, body)
		}
		held := regexpFind(body, `name="held" value="([^"]*)"`)
		heldUser := regexpFind(body, `name="held_user" value="([^"]*)"`)
		signin := url.Values{"email": {u.Email}, "password": {testPassword}, "next": {p}, "held": {html.UnescapeString(held)}, "held_user": {heldUser}}

		// Someone else signing in on this browser is not offered it.
		other := f.people["A contributor"]
		setPassword(t, f, other)
		b := f.anonymous()
		b.get("/sign-in")
		otherForm := maps.Clone(signin)
		otherForm.Set("email", other.Email)
		if resp, body := b.post("/sign-in", otherForm); resp.StatusCode != 303 || strings.Contains(body, "Typed over") {
			t.Errorf("another person signing in with the held form = %d, want a plain redirect", resp.StatusCode)
		}

		resp, body = owner.post("/sign-in", signin)
		if resp.StatusCode != 200 || !strings.Contains(body, "You are signed in again") || !strings.Contains(body, `action="`+p+`"`) {
			t.Fatalf("sign in again = %d; want the page offering the text back\n%s", resp.StatusCode, body)
		}
		back := url.Values{}
		for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
			back.Add(m[1], html.UnescapeString(m[2]))
		}
		resp, body = owner.post(p, back)
		if resp.StatusCode != 200 || !strings.Contains(body, "Not saved yet") || !strings.Contains(body, "Typed over half an hour &amp; more") || !regexp.MustCompile(`value="2" checked`).MatchString(body) {
			t.Fatalf("the text offered back = %d\n%s", resp.StatusCode, body)
		}
		if r, _ := storedAnswer(t, st, as, "LEAD-01"); r.Level != nil || r.Evidence != "" {
			t.Fatalf("the held text was saved before the person checked it: %+v", r)
		}
		// Save from the page shown back: now it is saved.
		save := url.Values{"level": {"2"}, "version": {"1"}, "was": {regexWas(t, body)}, "evidence": {"Typed over half an hour & more"}}
		if resp, _ := owner.post(p, save); resp.StatusCode != 303 {
			t.Fatalf("save after signing in again = %d", resp.StatusCode)
		}
		if r, _ := storedAnswer(t, st, as, "LEAD-01"); r.Evidence != "Typed over half an hour & more" {
			t.Fatalf("saved %+v", r)
		}
	})
}

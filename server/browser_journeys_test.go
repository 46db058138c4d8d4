package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/bluelight-wellbeing/toolkit/server/browsertest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// journey is one Chromium tab on the app, with the steps the journeys
// below share.
type journey struct {
	t    *testing.T
	b    *browsertest.Browser
	base string
	js   bool
}

// axe checks the page as shown with axe-core, which needs scripts to run:
// without JavaScript they are allowed only while axe runs, after the page
// was built without them.
func (j *journey) axe(name string) {
	j.t.Helper()
	if !j.js {
		j.scripts(true)
		defer j.scripts(false)
	}
	j.b.CheckAccessibility(j.t, name)
}

func (j *journey) scripts(on bool) {
	j.b.Do(j.t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

func newJourney(t *testing.T, f *fixture, js bool, onNewDocument string) *journey {
	t.Helper()
	b := browsertest.New(t)
	j := &journey{t: t, b: b, base: browsertest.ServeFiber(t, f.srv.App()), js: js}
	b.Do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if !js {
			if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				return err
			}
		}
		if onNewDocument != "" {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: onNewDocument})
			return err
		}
		return nil
	}))
	return j
}

func (j *journey) path() string {
	u, _ := url.Parse(browsertest.Run(j.t, j.b, chromedp.Location()))
	return u.Path
}

func (j *journey) visit(p string) { j.b.Do(j.t, chromedp.Navigate(j.base+p)) }

func (j *journey) set(sel, v string) { j.b.Do(j.t, chromedp.SetValue(chromedp.CSS(sel), v)) }

// click clicks sel where it stands once its box has stopped moving: a
// click aimed while the page reflows (after a viewport change, say) can
// land beside it and do nothing.
func (j *journey) click(sel string) {
	j.t.Helper()
	box := `JSON.stringify(document.querySelector(` + jsString(sel) + `)?.getBoundingClientRect()) ?? ""`
	last := ""
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		now := browsertest.Run(j.t, j.b, chromedp.Evaluate[string](box))
		if now != "" && now == last {
			break
		}
		last = now
	}
	j.b.Do(j.t, chromedp.Click(chromedp.CSS(sel)))
}

func (j *journey) text() string {
	return browsertest.Run(j.t, j.b, chromedp.Text(chromedp.CSS("main")))
}

func (j *journey) value(sel string) string {
	return browsertest.Run(j.t, j.b, chromedp.Value(chromedp.CSS(sel)))
}

func (j *journey) checked(sel string) bool {
	return browsertest.Run(j.t, j.b, chromedp.Evaluate[bool](`!!document.querySelector(`+jsString(sel)+`)?.checked`))
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// submit clicks a button or link and waits for a new page whose path
// matches want (a form shown back at its own address counts).
func (j *journey) submit(sel, want string) {
	j.t.Helper()
	browsertest.Run(j.t, j.b, chromedp.Evaluate[string](`document.body.dataset.page = "old"`))
	j.click(sel)
	re := regexp.MustCompile(want)
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(j.b.Ctx(), 5*time.Second)
		fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.body.dataset.page !== "old"`))
		loc, err2 := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if u, perr := url.Parse(loc); err == nil && err2 == nil && perr == nil && fresh && re.MatchString(u.Path) {
			return
		}
		if time.Now().After(deadline) {
			j.t.Fatalf("after clicking %s: at %s, want %s", sel, j.path(), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (j *journey) signIn(u store.User) {
	j.t.Helper()
	j.visit("/sign-in")
	j.set("#email", u.Email)
	j.set("#password", testPassword)
	j.submit("main form button", "^/$")
}

// noWiderThanViewport fails if the page scrolls sideways.
func (j *journey) noWiderThanViewport(name string) {
	j.t.Helper()
	if wide := browsertest.Run(j.t, j.b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); wide {
		j.t.Errorf("%s is wider than the viewport", name)
	}
}

// TestBrowserNoLostWork: with and without JavaScript, typed evidence and
// the chosen level survive "Add action"; a save after the idle session has
// ended asks for sign-in and then offers the text back; with JavaScript the
// timeout warning opens and "Stay signed in" keeps the session.
func TestBrowserNoLostWork(t *testing.T) {
	withAndWithoutJS(t, func(t *testing.T, js bool) {
		var offset atomic.Int64 // the server's clock runs this far ahead
		st := storetest.Open(t, store.DialectSQLite)
		st.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner := f.people["A owner"]
		setPassword(t, f, owner)
		// Long timers fire at once, so the timeout warning opens on the
		// first page; the session itself is not shortened.
		hurry := ""
		if js {
			hurry = `if (location.search === "?hurry") { const st = window.setTimeout; window.setTimeout = (f, ms, ...a) => st(f, ms > 60000 ? 50 : ms, ...a) }`
		}
		j := newJourney(t, f, js, hurry)
		j.signIn(owner)
		p := stdPath(as, "LEAD-01")

		if js {
			j.visit("/?hurry")
			j.b.Do(t, chromedp.WaitVisible(chromedp.CSS("#app-timeout .app-timeout__stay")))
			if !strings.Contains(browsertest.Run(t, j.b, chromedp.Text(chromedp.CSS("#app-timeout"))), "You are about to be signed out") {
				t.Error("the timeout warning does not say what it is")
			}
			j.axe("timeout warning")
			j.click("#app-timeout .app-timeout__stay")
			time.Sleep(500 * time.Millisecond)
			// Renewed: the warning starts counting again, and never says
			// the person has been signed out.
			if ended := browsertest.Run(t, j.b, chromedp.Evaluate[bool](`!document.querySelector("#app-timeout .app-timeout__ended").hidden`)); ended {
				t.Error("Stay signed in did not renew the session")
			}
		}

		j.visit(p)
		if !strings.Contains(j.text(), "signed out after 30 minutes") {
			t.Errorf("the standard page does not say when the session ends: %s", j.text())
		}
		j.click(`input[name=level][value="3"]`)
		j.set("#evidence", "Board minutes of March, typed before adding an action.")
		j.set("#what", "Publish a wellbeing strategy")
		j.submit(`button[name=then][value=add-action]`, `/standards/LEAD-01$`)
		if got := j.value("#evidence"); got != "Board minutes of March, typed before adding an action." {
			t.Errorf("evidence after Add action = %q", got)
		}
		if !j.checked(`input[name=level][value="3"]`) {
			t.Error("the chosen level was lost when adding an action")
		}
		if !strings.Contains(j.text(), "Publish a wellbeing strategy") {
			t.Errorf("the action was not added: %s", j.text())
		}
		j.axe("standard after adding an action")

		// The session ends while the person types.
		j.set("#evidence", "A long answer typed over lunch.")
		offset.Store(int64(31 * time.Minute))
		j.submit(`main form button[type=submit]`, `/standards/LEAD-01$`)
		if !strings.Contains(j.text(), "Sign in again") || !strings.Contains(j.text(), "has not been lost") {
			t.Fatalf("save after the idle limit: %s", j.text())
		}
		j.axe("sign in again")
		j.set("#password", testPassword)
		j.submit("main form button", "^/sign-in$")
		if !strings.Contains(j.text(), "You are signed in again") {
			t.Fatalf("after signing in again: %s", j.text())
		}
		j.axe("signed in again")
		j.submit("main form button", `/standards/LEAD-01$`)
		if got := j.value("#evidence"); got != "A long answer typed over lunch." {
			t.Errorf("evidence offered back = %q", got)
		}
		if !strings.Contains(j.text(), "Not saved yet") {
			t.Errorf("the page does not say the text is not saved yet: %s", j.text())
		}
		r, _ := storedAnswer(t, st, as, "LEAD-01")
		if r.Evidence == "A long answer typed over lunch." {
			t.Fatal("the held text was saved before the person checked it")
		}
		j.submit(`main form button[type=submit]`, `/standards/LEAD-01$`)
		if r, _ := storedAnswer(t, st, as, "LEAD-01"); r.Evidence != "A long answer typed over lunch." {
			t.Errorf("after saving the text offered back: %+v", r)
		}
		for _, w := range []int64{375, 1280} {
			j.b.Do(t, chromedp.EmulateViewport(w, 900))
			j.noWiderThanViewport("the standard page at " + itoa(w) + " px")
		}
	})
}

// TestBrowserBlockersToSubmit: answers carried in with one standard below
// its target and no action; the task list marks it, the blocker links to
// it, the standard page says why, an action clears it, then check your
// answers, the declaration and the confirmation.
func TestBrowserBlockersToSubmit(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newFixture(t, st)
	f.openCycle("2026/27")
	as := f.startAssessment(f.orgA, "2026/27")
	ctx := context.Background()
	two, three := 2, 3
	blocked := ""
	for i, sid := range f.frameworkStandards(t, as) {
		r := store.Response{StandardID: sid, Level: &two, Evidence: "Carried in"}
		if i == 4 {
			r.Target, blocked = &three, sid
		}
		if _, err := st.SaveResponse(ctx, store.SystemActor("test"), store.AllOrganisations(), as.ID, r, 1); err != nil {
			t.Fatal(err)
		}
	}
	owner := f.people["A owner"]
	setPassword(t, f, owner)
	j := newJourney(t, f, true, "")
	j.signIn(owner)
	aPath := "/assessments/" + itoa(as.ID)
	j.visit(aPath)
	item := browsertest.Run(t, j.b, chromedp.Text(chromedp.CSS(`a[href="`+stdPath(as, blocked)+`"].govuk-task-list__link`)))
	status := browsertest.Run(t, j.b, chromedp.Text(chromedp.CSS("#status-"+blocked)))
	if !strings.Contains(status, "Needs an action") || !strings.Contains(item, blocked) {
		t.Errorf("task list status of %s = %q", blocked, status)
	}
	if strings.Contains(j.text(), "Check your answers") {
		t.Error("check your answers offered while a standard is blocked")
	}
	j.axe("task list with a blocker")
	j.submit(`#missing a[href="`+stdPath(as, blocked)+`"]`, `/standards/`+blocked+`$`)
	if !strings.Contains(j.text(), "stops the assessment being submitted") {
		t.Errorf("the standard page does not say what blocks it: %s", j.text())
	}
	j.set("#what", "Commission a trauma support review")
	j.submit(`button[name=then][value=add-action]`, `/standards/`+blocked+`$`)
	if strings.Contains(j.text(), "stops the assessment being submitted") {
		t.Errorf("the blocker is still shown after adding an action")
	}
	j.visit(aPath)
	j.submit(`main a[href$="/check"]`, `/check$`)
	if !strings.Contains(j.text(), "signed off by the chief constable") {
		t.Errorf("the declaration does not name who signs off for police: %s", j.text())
	}
	j.axe("check your answers")
	for _, w := range []int64{375, 1280} {
		j.b.Do(t, chromedp.EmulateViewport(w, 900))
		j.noWiderThanViewport("check your answers at " + itoa(w) + " px")
	}
	j.set("#signoff_name", "A Chief")
	j.set("#signoff_role", "Deputy Chief Constable")
	j.submit(`form[action$="/submit"] button`, `/submitted$`)
	if !strings.Contains(j.text(), "Self-assessment submitted") || !strings.Contains(j.text(), "What happens next") {
		t.Fatalf("confirmation: %s", j.text())
	}
	j.axe("submitted")
	got, _ := st.AssessmentByID(ctx, store.AllOrganisations(), as.ID)
	if got.Status != store.StatusSubmitted || got.SignedOffRole != "Deputy Chief Constable" {
		t.Errorf("assessment after the journey: %s, signed off as %q", got.Status, got.SignedOffRole)
	}
}

// withAndWithoutJS runs a browser journey twice, as a subtest each: with
// JavaScript and without it, for pages that must work either way.
func withAndWithoutJS(t *testing.T, journey func(t *testing.T, js bool)) {
	for _, js := range []bool{true, false} {
		name := "without JavaScript"
		if js {
			name = "with JavaScript"
		}
		t.Run(name, func(t *testing.T) { journey(t, js) })
	}
}

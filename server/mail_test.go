package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/bluelight-wellbeing/toolkit/server/mail/mailtest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// mailClock is the store's clock in these tests: a Tuesday, ahead of the
// real date so cookies set by the app are not already expired.
type mailClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *mailClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *mailClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// mailSetup is the fixture served over real HTTP on loopback, sending
// through a real SMTP relay on loopback.
type mailSetup struct {
	*fixture
	relay *mailtest.Relay
	clock *mailClock
	base  string // http://127.0.0.1:port
}

func newMailSetup(t *testing.T, st *store.Store) *mailSetup {
	t.Helper()
	clock := &mailClock{now: time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)}
	st.Now = clock.Now
	relay := mailtest.Start(t, config.SMTPStartTLS, "toolkit", "relay password 1")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := newFixtureWith(t, st, func(d *server.Deps) { d.Mail, d.PublicURL = relay.Sender(), base })
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { defer close(served); f.srv.Serve(ctx, ln, time.Second) }()
	t.Cleanup(func() { cancel(); <-served }) // before the fixture closes the server
	return &mailSetup{fixture: f, relay: relay, clock: clock, base: base}
}

func (m *mailSetup) run(t *testing.T) {
	t.Helper()
	if _, err := m.srv.Reminders().RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// subjects lists the subjects of the messages that reached addr.
func (m *mailSetup) subjects(addr string) []string {
	var out []string
	for _, msg := range m.relay.To(addr) {
		out = append(out, msg.Header.Get("Subject"))
	}
	slices.Sort(out)
	return out
}

// httpGet fetches a link over real HTTP, as a mail program's reader would,
// optionally with a session cookie.
func httpGet(t *testing.T, client *http.Client, link, session string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, link, nil)
	if err != nil {
		t.Fatal(err)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "session", Value: session})
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var (
	reSettingsLink = regexp.MustCompile(`https?://[^\s"]+/email-settings/[0-9a-f]{48}`)
	reURL          = regexp.MustCompile(`https?://[^\s"<>]+`)
	reSetPassword  = regexp.MustCompile(`https?://[^\s"]+/set-password/[A-Za-z0-9_-]+`)
)

// seedDue records, for organisation A, one of each thing that is due: a
// role whose review is overdue and whose screening is due within 30 days,
// OK9 insurance expiring and a dog's welfare check overdue, a cycle
// closing within 14 days, and a mutual-aid offer waiting for A's answer.
func seedDue(t *testing.T, m *mailSetup) {
	t.Helper()
	ctx, a, sc := context.Background(), store.SystemActor("test"), store.AllOrganisations()
	now := m.st.Now()
	day := func(d int) *time.Time {
		v := time.Date(now.Year(), now.Month(), now.Day()+d, 0, 0, 0, 0, time.UTC)
		return &v
	}
	if _, err := m.st.SaveRoleAssessment(ctx, a, sc, store.RoleAssessment{
		OrganisationID: m.orgA.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2026.1", ModelSHA256: "x",
		Headcount: 137, PeopleScreened: 41, Referrals: 9, OverallBand: "high",
		ReviewedOn: *day(-400), NextReviewOn: *day(-3), NextScreeningOn: *day(20), SignedOffBy: "A's risk lead",
		Hazards: []store.HazardRating{{HazardID: "HZ-01", InherentL: 4, InherentS: 4, ResidualL: 3, ResidualS: 3, Rationale: "A rationale"}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.st.SaveOK9Scheme(ctx, a, sc, store.OK9Scheme{OrganisationID: m.orgA.ID, SPOC: "A's OK9 lead", InsuranceExpiresOn: day(10), RiskAssessmentReviewedOn: day(-100)}); err != nil {
		t.Fatal(err)
	}
	passed := day(-90)
	dog, err := m.st.SaveOK9Dog(ctx, a, sc, store.OK9Dog{OrganisationID: m.orgA.ID, CallName: "Bramble", Status: store.DogActive, AssessmentPassedOn: passed, NextWelfareCheckOn: day(-2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.st.CreateCycle(ctx, a, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: *day(-60), ClosesOn: *day(10)}); err != nil {
		t.Fatal(err)
	}
	req, err := m.st.CreateAidRequest(ctx, a, sc, store.AidRequest{OrganisationID: m.orgB.ID, Incident: "Flooding", Location: "Borchester", StartsOn: *day(2), EndsOn: *day(5), DogsNeeded: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.st.OfferAid(ctx, store.SystemActor("national team"), req.ID, m.orgA.ID, []int64{dog.ID}, "fixture: standing is not under test", nil); err != nil {
		t.Fatal(err)
	}
}

func TestRemindersAreEmailedOnceWithWorkingLinks(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		m := newMailSetup(t, st)
		seedDue(t, m)
		m.run(t)

		aOwner := m.people["A owner"].Email
		got := m.subjects(aOwner)
		want := []string{
			"OK9 insurance expires on 12 March 2027",
			"Overdue: the risk review of " + roleName(t, m),
			"Overdue: welfare check for Bramble",
			"Screening for " + roleName(t, m) + " is due on 22 March 2027",
			"The 2026/27 self-assessment is due on 12 March 2027",
			"The national team asks to borrow your OK9 dogs for Borchester",
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("A's owner received:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// The contributor answers an area of the framework only; the viewer
		// changes nothing, so is reminded of nothing.
		if got := m.subjects(m.people["A contributor"].Email); !slices.Equal(got, []string{"The 2026/27 self-assessment is due on 12 March 2027"}) {
			t.Errorf("A's contributor received %q", got)
		}
		if got := m.subjects(m.people["A viewer"].Email); len(got) != 0 {
			t.Errorf("A's viewer received %q", got)
		}
		// B hears of its own cycle only: nothing of A's register or dogs.
		if got := m.subjects(m.people["B owner"].Email); !slices.Equal(got, []string{"The 2026/27 self-assessment is due on 12 March 2027"}) {
			t.Errorf("B's owner received %q", got)
		}
		if got := m.subjects(m.people["admin"].Email); !slices.Equal(got, []string{"OK9 mutual aid requested for Borchester"}) {
			t.Errorf("the national admin received %q", got)
		}

		// Every message is in both parts, names no figures about people, and
		// links to the person's email settings.
		for _, msg := range m.relay.Messages() {
			if msg.ContentType != "multipart/alternative" || msg.Text == "" || msg.HTML == "" {
				t.Errorf("%q: %s with text %d bytes, HTML %d bytes", msg.Header.Get("Subject"), msg.ContentType, len(msg.Text), len(msg.HTML))
			}
			words := reURL.ReplaceAllString(msg.Text+msg.HTML, " ") // tokens and ports are not figures
			for _, figure := range []string{"137", "41", "9"} {
				if regexp.MustCompile(`\b` + figure + `\b`).MatchString(words) {
					t.Errorf("%q carries the figure %q:\n%s", msg.Header.Get("Subject"), figure, msg.Text)
				}
			}
			if !reSettingsLink.MatchString(msg.Text) || !reSettingsLink.MatchString(msg.HTML) || !strings.HasPrefix(msg.Header.Get("List-Unsubscribe"), "<"+m.base+"/email-settings/") {
				t.Errorf("%q lacks the email settings link:\n%s", msg.Header.Get("Subject"), msg.Text)
			}
		}

		// The link to the item opens it for the person signed in.
		ownerMail := m.relay.To(aOwner)
		var welfare mailtest.Received
		for _, msg := range ownerMail {
			if strings.HasPrefix(msg.Header.Get("Subject"), "Overdue: welfare check") {
				welfare = msg
			}
		}
		itemLink := regexp.MustCompile(regexp.QuoteMeta(m.base) + `/provision/ok9/dogs/[0-9]+`).FindString(welfare.Text)
		if itemLink == "" {
			t.Fatalf("no link to the dog in:\n%s", welfare.Text)
		}
		session := m.signedIn(m.people["A owner"]).cookies["session"]
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if resp, body := httpGet(t, noRedirect, itemLink, session); resp.StatusCode != 200 || !strings.Contains(body, "Bramble") {
			t.Errorf("GET %s = %d", itemLink, resp.StatusCode)
		}

		// Nothing is sent twice, however often the scan runs.
		before := len(m.relay.Messages())
		m.run(t)
		m.clock.set(m.clock.Now().Add(time.Hour))
		m.run(t)
		if n := len(m.relay.Messages()); n != before {
			t.Errorf("%d messages after scanning again, want %d", n, before)
		}

		// The settings link works signed out, over real HTTP: A's owner asks
		// for role risk reminders weekly and OK9 ones never.
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar}
		settings := reSettingsLink.FindString(ownerMail[0].Text)
		resp, body := httpGet(t, browser, settings, "")
		if resp.StatusCode != 200 || !strings.Contains(body, aOwner) || !strings.Contains(body, "Role risk reviews and screening") {
			t.Fatalf("GET %s = %d\n%s", settings, resp.StatusCode, body)
		}
		csrf := reCSRF.FindStringSubmatch(body)
		if csrf == nil {
			t.Fatalf("no CSRF token on the settings page")
		}
		form := url.Values{"_csrf": {csrf[1]}, "risk": {store.MailWeekly}, "ok9": {store.MailOff}, "annual_return": {store.MailImmediate}, "mutual_aid": {"hourly"}}
		resp, err := browser.PostForm(settings, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 422 || !strings.Contains(string(b), "Choose how often to receive emails about OK9 mutual aid") {
			t.Errorf("a bad frequency: %d\n%s", resp.StatusCode, b)
		}
		if prefs, _ := m.st.MailPreferences(context.Background(), m.people["A owner"].ID); prefs["risk"] != store.MailImmediate {
			t.Errorf("a refused form changed the settings: %v", prefs)
		}
		form.Set("mutual_aid", store.MailImmediate)
		resp, err = browser.PostForm(settings, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "Changes saved.") {
			t.Errorf("saving settings: %d\n%s", resp.StatusCode, b)
		}
		prefs, err := m.st.MailPreferences(context.Background(), m.people["A owner"].ID)
		if err != nil || prefs["risk"] != store.MailWeekly || prefs["ok9"] != store.MailOff || prefs["mutual_aid"] != store.MailImmediate {
			t.Errorf("settings saved as %v, %v", prefs, err)
		}

		// New reminders follow the new choice: the OK9 one is skipped, the
		// risk one waits for Monday's summary.
		ctx := context.Background()
		cut := m.clock.Now()
		if _, err := m.st.SaveOK9Dog(ctx, store.SystemActor("test"), store.AllOrganisations(), store.OK9Dog{OrganisationID: m.orgA.ID, CallName: "Hazel", Status: store.DogActive, AssessmentPassedOn: ptr(cut.AddDate(0, -2, 0)), NextWelfareCheckOn: ptr(cut.AddDate(0, 0, 5))}); err != nil {
			t.Fatal(err)
		}
		if _, err := m.st.SaveRoleAssessment(ctx, store.SystemActor("test"), store.AllOrganisations(), store.RoleAssessment{
			OrganisationID: m.orgA.ID, RoleID: "RL-02", ModelKey: "psych-risk", ModelVersion: "2026.1", ModelSHA256: "x", Headcount: 5, OverallBand: "medium",
			ReviewedOn: cut, NextReviewOn: cut.AddDate(0, 0, 7), NextScreeningOn: cut.AddDate(1, 0, 0), SignedOffBy: "A's risk lead",
			Hazards: []store.HazardRating{{HazardID: "HZ-01", InherentL: 3, InherentS: 3, ResidualL: 2, ResidualS: 2, Rationale: "A rationale"}},
		}); err != nil {
			t.Fatal(err)
		}
		before = len(m.relay.To(aOwner))
		m.run(t)
		if n := len(m.relay.To(aOwner)); n != before {
			t.Errorf("A's owner received %d more on Tuesday; the new reminders are weekly or off", n-before)
		}
		m.clock.set(time.Date(2027, 3, 8, 7, 0, 0, 0, time.UTC)) // Monday
		m.run(t)
		m.run(t)
		digests := m.relay.To(aOwner)[before:]
		if len(digests) != 1 || digests[0].Header.Get("Subject") != "Your weekly summary: 1 reminder" ||
			!strings.Contains(digests[0].Text, "is due on 9 March 2027") || strings.Contains(digests[0].Text, "Hazel") {
			for _, d := range digests {
				t.Logf("%s\n%s", d.Header.Get("Subject"), d.Text)
			}
			t.Errorf("A's owner got %d messages on Monday, want one summary of the risk review", len(digests))
		}
		log, err := m.st.MailFor(ctx, m.people["A owner"].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range log {
			if row.Kind == "ok9.welfare_due" && row.Status != store.MailSkipped {
				t.Errorf("Hazel's reminder is %s, want skipped", row.Status)
			}
		}
	})
}

func roleName(t *testing.T, m *mailSetup) string {
	t.Helper()
	r, ok := builtinFrameworks(t).RiskModel("psych-risk", "2026.1").Role("RL-01")
	if !ok {
		t.Fatal("no role RL-01")
	}
	return r.Name
}

// A relay that refuses leaves the reminder queued with its error, the app
// carries on, and the next scan after the relay is back sends it once.
func TestRefusedRemindersStayQueued(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		m := newMailSetup(t, st)
		ctx := context.Background()
		m.relay.Refuse(true)
		if _, err := m.st.CreateAidRequest(ctx, store.SystemActor("test"), store.AllOrganisations(), store.AidRequest{OrganisationID: m.orgB.ID, Incident: "Fire", Location: "Ambridge", StartsOn: m.clock.Now(), EndsOn: m.clock.Now(), DogsNeeded: 1}); err != nil {
			t.Fatal(err)
		}
		res, err := m.srv.Reminders().RunOnce(ctx)
		if err != nil || res.Queued != 1 || res.Sent != 0 || res.Failed != 1 {
			t.Fatalf("run with the relay refusing: %+v, %v", res, err)
		}
		admin := m.people["admin"]
		log, _ := m.st.MailFor(ctx, admin.ID)
		if len(log) != 1 || log[0].Status != store.MailQueued || log[0].Attempts != 1 || !strings.Contains(log[0].LastError, "451") || !log[0].NextAttemptAt.After(m.clock.Now()) {
			t.Fatalf("sent-log after a refusal: %+v", log)
		}
		// The rest of the app is unaffected.
		if resp, _ := m.signedIn(admin).get("/mutual-aid"); resp.StatusCode != 200 {
			t.Errorf("mutual aid page = %d while the relay refuses", resp.StatusCode)
		}
		// Not before its retry time, even with the relay back.
		m.relay.Refuse(false)
		m.run(t)
		if n := len(m.relay.Messages()); n != 0 {
			t.Fatalf("%d sent before the retry time", n)
		}
		m.clock.set(log[0].NextAttemptAt.Add(time.Second))
		m.run(t)
		m.run(t)
		if got := m.subjects(admin.Email); !slices.Equal(got, []string{"OK9 mutual aid requested for Ambridge"}) {
			t.Errorf("after the retry the admin has %q", got)
		}
		log, _ = m.st.MailFor(ctx, admin.ID)
		if log[0].Status != store.MailSent || log[0].Attempts != 2 || log[0].SentAt == nil || log[0].LastError != "" {
			t.Errorf("sent-log after the retry: %+v", log[0])
		}
	})
}

// An owner who adds a person sends them the set-password link by email; the
// link in it works over HTTP. When the relay refuses, the owner is shown
// the link to hand over instead.
func TestSetPasswordLinkIsEmailed(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		m := newMailSetup(t, st)
		owner := m.signedIn(m.people["A owner"])
		resp, body := owner.post("/people", url.Values{"email": {"robin.new@alpha.example"}, "name": {"Robin New"}, "role": {store.RoleViewer}})
		if resp.StatusCode != 200 || !strings.Contains(body, "We have emailed Robin New a link") || strings.Contains(body, "/set-password/") {
			t.Fatalf("add person = %d\n%s", resp.StatusCode, body)
		}
		got := m.relay.To("robin.new@alpha.example")
		if len(got) != 1 {
			t.Fatalf("%d emails to the new person", len(got))
		}
		msg := got[0]
		if msg.Header.Get("Subject") != "Set your password for the Blue Light Wellbeing Toolkit" || !strings.Contains(msg.Text, "A owner person has given you access") {
			t.Errorf("email: %s\n%s", msg.Header.Get("Subject"), msg.Text)
		}
		link := reSetPassword.FindString(msg.Text)
		if link == "" || !strings.Contains(msg.HTML, `href="`+link+`"`) {
			t.Fatalf("no set-password link in both parts:\n%s\n%s", msg.Text, msg.HTML)
		}
		if resp, body := httpGet(t, http.DefaultClient, link, ""); resp.StatusCode != 200 || !strings.Contains(body, "robin.new@alpha.example") {
			t.Errorf("GET %s = %d", link, resp.StatusCode)
		}
		if resp, _ := httpGet(t, http.DefaultClient, reSettingsLink.FindString(msg.Text), ""); resp.StatusCode != 200 {
			t.Errorf("the settings link in the set-password email = %d", resp.StatusCode)
		}

		m.relay.Refuse(true)
		resp, body = owner.post("/people", url.Values{"email": {"kit.other@alpha.example"}, "name": {"Kit Other"}, "role": {store.RoleViewer}})
		if resp.StatusCode != 200 || !strings.Contains(body, "could not be sent") || !strings.Contains(body, m.base+"/set-password/") {
			t.Errorf("add person with the relay refusing = %d\n%s", resp.StatusCode, body)
		}
	})
}

// Without a relay the copy-the-link page stays, and reminders go to the log.
func TestWithoutARelayLinksAreShown(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		var logged strings.Builder
		var mu sync.Mutex
		f := newFixtureWith(t, st, func(d *server.Deps) { d.Log = newTestLogger(&logged, &mu) })
		owner := f.signedIn(f.people["A owner"])
		resp, body := owner.post("/people", url.Values{"email": {"robin.new@alpha.example"}, "name": {"Robin New"}, "role": {store.RoleViewer}})
		if resp.StatusCode != 200 || !strings.Contains(body, "/set-password/") || strings.Contains(body, "We have emailed") {
			t.Fatalf("add person = %d\n%s", resp.StatusCode, body)
		}
		if _, err := st.CreateAidRequest(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.AidRequest{OrganisationID: f.orgB.ID, Incident: "Fire", Location: "Ambridge", StartsOn: st.Now(), EndsOn: st.Now(), DogsNeeded: 1}); err != nil {
			t.Fatal(err)
		}
		res, err := f.srv.Reminders().RunOnce(context.Background())
		if err != nil || res.Sent != 1 {
			t.Fatalf("run: %+v %v", res, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if !strings.Contains(logged.String(), "email not sent (no SMTP_HOST)") || !strings.Contains(logged.String(), "OK9 mutual aid requested for Ambridge") {
			t.Errorf("log:\n%s", logged.String())
		}
	})
}

// lockedWriter lets the server's log be read while it writes.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newTestLogger(w io.Writer, mu *sync.Mutex) *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{mu: mu, w: w}, nil))
}

// A cycle opening tells every organisation that has not submitted; the
// national team returning an assessment tells that organisation once.
func TestAnnualReturnNotices(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		m := newMailSetup(t, st)
		ctx := context.Background()
		now := m.clock.Now()
		if _, err := m.st.CreateCycle(ctx, store.SystemActor("test"), store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024",
			OpensOn: now.AddDate(0, 0, -2), ClosesOn: now.AddDate(0, 0, 60)}); err != nil {
			t.Fatal(err)
		}
		b := m.startAssessment(m.orgB, "2026/27")
		if _, err := m.st.SubmitAssessment(ctx, store.SystemActor("test"), store.Scope{OrgID: m.orgB.ID}, b.ID, "Chief", "Chief Fire Officer"); err != nil {
			t.Fatal(err)
		}
		m.run(t)
		open := "The 2026/27 self-assessment is open"
		if got := m.subjects(m.people["A owner"].Email); !slices.Equal(got, []string{open}) {
			t.Errorf("A's owner received %q", got)
		}
		if got := m.subjects(m.people["B owner"].Email); len(got) != 0 {
			t.Errorf("B submitted, yet its owner received %q", got)
		}
		admin := m.signedIn(m.people["admin"])
		if resp, body := admin.post("/assessments/"+itoa(b.ID)+"/return", url.Values{"comment": {"Please add evidence for LEAD-01."}}); resp.StatusCode != 303 {
			t.Fatalf("return = %d\n%s", resp.StatusCode, body)
		}
		m.run(t)
		m.run(t)
		returned := "The national team has returned your 2026/27 self-assessment"
		if got := m.subjects(m.people["B owner"].Email); !slices.Equal(got, []string{returned}) {
			t.Errorf("B's owner received %q", got)
		}
		msg := m.relay.To(m.people["B owner"].Email)[0]
		if strings.Contains(msg.Text, "LEAD-01") || !strings.Contains(msg.Text, m.base+"/assessments/"+itoa(b.ID)) {
			t.Errorf("the returned notice should link to the assessment and keep the comments in the app:\n%s", msg.Text)
		}
		if got := m.subjects(m.people["A owner"].Email); !slices.Equal(got, []string{open}) {
			t.Errorf("A's owner received %q", got)
		}
	})
}

// The scan is a periodic job: it runs on start and Close waits for it.
func TestReminderScanStopsWithTheServer(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	relay := mailtest.Start(t, config.SMTPNone, "", "")
	f := newFixture(t, st)
	f.srv.Close() // so the server below leads the job queue at once, as the only instance
	if _, err := st.CreateAidRequest(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.AidRequest{OrganisationID: f.orgB.ID, Incident: "Fire", Location: "Ambridge", StartsOn: st.Now(), EndsOn: st.Now(), DogsNeeded: 1}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{Store: st, Frameworks: builtinFrameworks(t), Log: slog.New(slog.DiscardHandler), Mail: relay.Sender(), ReminderInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(relay.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	srv.Close()
	if got := relay.Messages(); len(got) != 1 || got[0].Header.Get("Subject") != "OK9 mutual aid requested for Ambridge" {
		t.Fatalf("the scan on start sent %d messages", len(got))
	}
	srv.Close() // twice is harmless
}

// A mutual-aid request is emailed to the national team at once, by a scan
// queued as it is made, not at the next interval (an hour here).
func TestMutualAidIsEmailedAtOnce(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		relay := mailtest.Start(t, config.SMTPNone, "", "")
		f := newFixtureWith(t, st, func(d *server.Deps) { d.Mail, d.ReminderInterval = relay.Sender(), time.Hour })
		// The scan made on start is over, so only the request's own can send it.
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			var done int64
			if err := st.DB().Raw("SELECT count(*) FROM river_job WHERE kind = 'reminder_scan' AND state = 'completed'").Scan(&done).Error; err != nil {
				t.Fatal(err)
			}
			if done > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the scan on start did not run")
			}
		}
		day := st.Now().Format("2006-01-02")
		ask := `{"incident":"Fatal collision","location":"Ambridge","starts_on":"` + day + `","ends_on":"` + day + `","dogs_needed":1}`
		if code := apiCall(t, f, f.apiToken(f.people["A owner"]), http.MethodPost, "/api/v1/mutual-aid", ask, nil); code != http.StatusCreated {
			t.Fatalf("ask = %d", code)
		}
		admin := f.people["admin"].Email
		for deadline := time.Now().Add(15 * time.Second); len(relay.To(admin)) == 0; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the national team was not emailed within 15 seconds of the request")
			}
		}
		if got := relay.To(admin)[0].Header.Get("Subject"); got != "OK9 mutual aid requested for Ambridge" {
			t.Errorf("the national team was sent %q", got)
		}
	})
}

package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/server/browsertest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// pageNotChecked lists GET routes that serve no HTML page to check.
var pageNotChecked = map[string]string{
	"/audit.csv":                        "a CSV download",
	"/risk/assess":                      "redirects to a role's form",
	"/risk/bands.css":                   "a stylesheet",
	"/assessments/:id/workbook.xlsx":    "an Excel download",
	"/reports/:cycle/benchmark.pdf":     "a PDF download",
	"/reports/:cycle/gap-analysis.xlsx": "an Excel download",
	"/reports/:cycle/business-case.pdf": "a PDF download",
	"/national/:cycle/workbook.xlsx":    "an Excel download",
	"/national/:cycle/summary.pdf":      "a PDF download",
	"/national/batches/:batch/download": "a zip download",
	"/assets/*":                         "static files",
	"/healthz":                          "JSON",
	"/readyz":                           "JSON",
	"/session/keep-alive":               "no content: the timeout warning's Stay signed in",
}

// TestBrowserJourney drives the real app in Chromium the way a national
// admin and then a new organisation owner would, and checks every page on
// the way with axe-core. It fails if any HTML page of the app was not checked.
func TestBrowserJourney(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newFixture(t, st)
	admin := f.people["admin"]
	setPassword(t, f, admin)
	b := browsertest.New(t)
	base := browsertest.ServeFiber(t, f.srv.App())

	checked := map[string]bool{}
	check := func(route, name string) {
		t.Helper()
		b.CheckAccessibility(t, name)
		checked[route] = true
	}
	path := func() string {
		loc := browsertest.Run(t, b, chromedp.Location())
		u, _ := url.Parse(loc)
		return u.Path
	}
	// submit clicks a button or link and waits for the browser to land on a
	// new page whose path matches want.
	submit := func(button, want string) {
		t.Helper()
		// Mark the current document, to tell it from the next one.
		browsertest.Run(t, b, chromedp.Evaluate[string](`document.body.dataset.page = "old"`))
		b.Do(t, chromedp.Click(chromedp.CSS(button)))
		re := regexp.MustCompile(want)
		deadline := time.Now().Add(10 * time.Second)
		for {
			// Errors while the page is being replaced are expected: poll on.
			ctx, cancel := context.WithTimeout(b.Ctx(), 5*time.Second)
			fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.body.dataset.page !== "old"`))
			loc, err2 := chromedp.Run(ctx, chromedp.Location())
			cancel()
			if u, perr := url.Parse(loc); err == nil && err2 == nil && perr == nil && fresh && re.MatchString(u.Path) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after clicking %s: at %s, want %s", button, path(), want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	text := func() string { return browsertest.Run(t, b, chromedp.Text(chromedp.CSS("main"))) }
	visit := func(p string) { b.Do(t, chromedp.Navigate(base+p)) }
	set := func(sel, v string) { b.Do(t, chromedp.SetValue(chromedp.CSS(sel), v)) }

	visit("/")
	if path() != "/sign-in" {
		t.Fatalf("signed-out home went to %s", path())
	}
	check("/sign-in", "sign in")
	for _, p := range []string{"/accessibility", "/privacy", "/cookies", "/help"} {
		visit(p)
		check(p, p[1:]+" page")
	}
	visit("/sign-in")
	submit("main form button", "^/sign-in$")
	if !strings.Contains(text(), "Enter your email address") {
		t.Fatalf("empty sign-in shows no error: %s", text())
	}
	check("/sign-in", "sign in with errors")
	set("#email", admin.Email)
	set("#password", testPassword)
	submit("main form button", "^/$")
	check("/", "home, national admin")
	visit("/frameworks")
	check("/frameworks", "frameworks and risk models")

	visit("/assessments")
	check("/assessments", "self-assessments, national admin")
	set("#name", "2026/27")
	b.Do(t, chromedp.SetValue(chromedp.CSS("#framework"), "blwf/2024"))
	b.SetDate(t, "opens", time.Now().AddDate(0, 0, -1))
	b.SetDate(t, "closes", time.Now().AddDate(0, 3, 0))
	submit(`form[action="/cycles"] button`, "^/assessments$")
	if !strings.Contains(text(), "0 organisations have started") {
		t.Fatalf("cycle not opened: %s", text())
	}

	visit("/organisations/new")
	check("/organisations/new", "add organisation")
	set("#name", "Casterbridge Ambulance Service")
	set("#slug", "casterbridge")
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=sector][value=ambulance]`)))
	submit("main form button", `^/organisations/\d+$`)
	check("/organisations/:id", "organisation")
	orgPath := path()
	set("#year", "2026")
	set("#officers", "1,200")
	set("#staff", "300")
	set("#volunteers", "40")
	submit(`form[action$="/workforce"] button`, `^/organisations/\d+$`)
	if !strings.Contains(text(), "1200") {
		t.Errorf("workforce not shown after saving: %s", text())
	}
	visit("/organisations")
	check("/organisations", "organisations")
	visit(orgPath + "/sign-in")
	check("/organisations/:id/sign-in", "sign-in settings, no key")

	visit("/people/new")
	check("/people/new", "add person")
	submit("main form button", "^/people$")
	check("/people/new", "add person with errors")
	set("#name", "Dana Owner")
	set("#email", "dana@casterbridge.example")
	b.Do(t, chromedp.SetValue(chromedp.CSS("#organisation"), strings.TrimPrefix(orgPath, "/organisations/")))
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=role][value=owner]`)))
	submit("main form button", "^/people$")
	check("/people", "set-password link")
	link := browsertest.Run(t, b, chromedp.Text(chromedp.CSS("main .app-token a")))
	if !strings.Contains(link, "/set-password/") {
		t.Fatalf("no set-password link shown: %s", text())
	}

	visit("/people")
	check("/people", "people")
	submit(`main a[href^="/people/"]:not([href="/people/new"])`, `^/people/\d+$`)
	check("/people/:id", "person")
	if browsertest.Run(t, b, chromedp.Evaluate[bool](`!!document.querySelector('main a[href$="/disable"]')`)) {
		submit(`main a[href$="/disable"]`, `^/people/\d+/disable$`)
		check("/people/:id/disable", "disable an account: confirm")
		submit(`main a[href^="/people/"]`, `^/people/\d+$`) // keep the account
	} else {
		visit("/people/" + itoa(f.people["A viewer"].ID) + "/disable")
		check("/people/:id/disable", "disable an account: confirm")
	}

	visit("/tokens")
	check("/tokens", "API tokens")
	set("#name", "Force HR system")
	submit("main form button", "^/tokens$")
	if !strings.Contains(text(), "Token created") {
		t.Fatalf("token not shown: %s", text())
	}
	check("/tokens", "API token created")
	visit("/tokens")
	submit(`main a[href$="/revoke"]`, `^/tokens/\d+/revoke$`)
	check("/tokens/:id/revoke", "revoke a token: confirm")
	submit(`main form button`, "^/tokens$")
	if !strings.Contains(text(), "Revoked") {
		t.Fatalf("token not revoked after confirming: %s", text())
	}

	visit("/email-settings")
	check("/email-settings", "email settings")
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=risk][value=weekly]`)))
	submit(`main form button`, "^/email-settings$")
	if !strings.Contains(text(), "Changes saved") {
		t.Fatalf("email settings not saved: %s", text())
	}
	mailToken, err := f.st.MailSettingsToken(context.Background(), admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	visit("/email-settings/" + mailToken) // the link in every email
	check("/email-settings/:token", "email settings by the link in an email")

	visit("/audit")
	check("/audit", "audit trail")
	visit("/no-such-page")
	check("(404)", "page not found")

	submit(".app-sign-out button", "^/sign-in$")
	if !strings.Contains(text(), "You have signed out") {
		t.Errorf("no sign-out message: %s", text())
	}
	visit("/sign-in/oidc/callback")
	check("/sign-in/oidc/callback", "sign-in return refused")

	// The new owner sets a password through the link and signs in.
	linkURL, _ := url.Parse(link)
	visit(linkURL.Path)
	check("/set-password/:token", "set password")
	set("#password", testPassword)
	set("#confirm", testPassword)
	submit("main form button", "^/sign-in$")
	set("#email", "dana@casterbridge.example")
	set("#password", testPassword)
	submit("main form button", "^/$")
	if !strings.Contains(text(), "Casterbridge Ambulance Service") {
		t.Errorf("owner's home does not name their organisation: %s", text())
	}
	check("/", "home, owner")

	// The owner completes the whole self-assessment and submits it.
	visit("/assessments")
	check("/assessments", "self-assessments, owner")
	submit(`form[action="/assessments"] button`, `^/assessments/\d+$`)
	check("/assessments/:id", "assessment task list")
	assessmentPath := path()
	visit(assessmentPath + "/upload")
	check("/assessments/:id/upload", "upload a workbook")
	// A workbook with a bad cell, then a good one: the problem list and the
	// preview are pages too.
	wbBase64 := browsertest.Run(t, b, chromedp.Evaluate[string](`fetch(location.pathname.replace(/upload$/, "workbook.xlsx")).then(r => r.arrayBuffer()).then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s) })`, chromedp.EvalAwaitPromise))
	raw, err := base64.StdEncoding.DecodeString(wbBase64)
	if err != nil {
		t.Fatal(err)
	}
	writeBook := func(name, cell, level string) string {
		wb, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		wb.SetCellStr("Responses", cell, level)
		p := filepath.Join(t.TempDir(), name)
		if err := wb.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	b.Do(t, chromedp.SetUploadFiles(chromedp.CSS("#workbook"), []string{writeBook("bad.xlsx", "D2", "Superb")}))
	submit("main form button", "/upload$")
	if !strings.Contains(text(), "Problems to correct") {
		t.Fatalf("no problem list: %s", text())
	}
	check("/assessments/:id/upload", "upload with problems")
	b.Do(t, chromedp.SetUploadFiles(chromedp.CSS("#workbook"), []string{writeBook("good.xlsx", "D3", "1 Developing")}))
	submit("main form button", "/upload$")
	if !strings.Contains(text(), "Check the changes") {
		t.Fatalf("no preview: %s", text())
	}
	check("/assessments/:id/upload", "upload preview")
	submit(`form[action$="/apply"] button`, `^/assessments/\d+$`)
	visit(assessmentPath)
	submit("main .govuk-task-list__link", `/standards/`)
	submit(`main form button[type=submit]`, `/standards/`)
	if !strings.Contains(text(), "Choose the maturity level") {
		t.Fatalf("saving without a level shows no error: %s", text())
	}
	check("/assessments/:id/standards/:sid", "standard with errors")
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=level][value="2"]`)))
	set("#evidence", "Wellbeing strategy approved by the chief officer team.")
	submit(`button[name=then][value=next]`, `/standards/`)
	check("/assessments/:id/standards/:sid", "standard")
	// An action added, then removed after its confirmation page.
	set("#what", "Journey action to remove")
	submit(`button[name=then][value=add-action]`, `/standards/`)
	submit(`button[name=remove]`, `^/assessments/\d+/actions/\d+/remove$`)
	check("/assessments/:id/actions/:aid/remove", "remove an action: confirm")
	submit(`main form button`, `/standards/`)
	if strings.Contains(text(), "Journey action to remove") {
		t.Fatalf("action not removed after confirming: %s", text())
	}
	for i := 0; i < 200; i++ {
		b.Do(t, chromedp.Click(chromedp.CSS(`input[name=level][value="2"]`)))
		hasNext := browsertest.Run(t, b, chromedp.Evaluate[bool](`!!document.querySelector("button[name=then][value=next]")`))
		if !hasNext {
			submit(`main form button[type=submit]`, `/standards/`)
			break
		}
		submit(`button[name=then][value=next]`, `/standards/`)
	}
	visit(assessmentPath + "/peer-review")
	check("/assessments/:id/peer-review", "ask for a peer review")
	visit(assessmentPath)
	submit(`main a[href$="/check"]`, `/check$`)
	check("/assessments/:id/check", "check your answers")
	set("#signoff_name", "Dana Owner")
	set("#signoff_role", "Director of People")
	submit(`form[action$="/submit"] button`, `^/assessments/\d+/submitted$`)
	if !strings.Contains(text(), "Self-assessment submitted") {
		t.Fatalf("assessment not submitted: %s", text())
	}
	check("/assessments/:id/submitted", "assessment submitted")
	visit(assessmentPath)
	check("/assessments/:id", "submitted assessment")
	visit(assessmentPath + "/history")
	check("/assessments/:id/history", "year on year")

	// The owner assesses a high-risk role and looks at the register.
	visit("/risk")
	check("/risk", "role risk register, empty")
	submit(`form[action="/risk/assess"] button`, `^/risk/roles/[^/]+/review$`)
	check("/risk/roles/:rid/review", "role assessment form")
	for field, v := range map[string]string{"#headcount": "25", "#exposed": "20", "#screened": "18", "#interviews": "4", "#referrals": "1", "#signed_off_by": "Dana Owner"} {
		set(field, v)
	}
	submit(`main form button[type=submit]`, `^/risk/roles/[^/]+$`)
	check("/risk/roles/:rid", "role")
	submit(`main a.govuk-button`, `/review$`) // review it again
	set("#headcount", "30")
	submit(`main form button[type=submit]`, `^/risk/roles/[^/]+$`)
	submit(`main a[href*="/compare"]`, `/compare$`)
	if !strings.Contains(text(), "People in the role") {
		t.Errorf("compare page does not show the headcount change: %s", text())
	}
	check("/risk/roles/:rid/compare", "compare versions")
	visit("/risk")
	check("/risk", "role risk register")
	visit("/risk/heatmap")
	if !strings.Contains(text(), "1 role") {
		t.Errorf("heat map empty: %s", text())
	}
	check("/risk/heatmap", "heat map")

	// The owner records OK9 provision: scheme, a dog, a handler, and a
	// deployment refused for the welfare limits, then made with a reason.
	visit("/provision")
	check("/provision", "provision summary")
	visit("/provision/ok9")
	check("/provision/ok9", "OK9, empty")
	set("#spoc", "Insp Dana Owner")
	b.SetDate(t, "sla", time.Now().AddDate(0, -2, 0))
	submit(`form[action="/provision/ok9/scheme"] button`, "^/provision/ok9$")
	if !strings.Contains(text(), "Scheme details saved") {
		t.Fatalf("scheme not saved: %s", text())
	}
	visit("/provision/ok9/dogs/new")
	check("/provision/ok9/dogs/new", "add a dog")
	set("#call_name", "Bramble")
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=status][value=active]`)))
	submit("main form button", "^/provision/ok9/dogs$")
	if !strings.Contains(text(), "suitability assessment") {
		t.Fatalf("active dog without assessment accepted: %s", text())
	}
	check("/provision/ok9/dogs/new", "add a dog with errors")
	b.SetDate(t, "assessed", time.Now().AddDate(0, -1, 0))
	b.SetDate(t, "welfare_check", time.Now().AddDate(0, 2, 0))
	submit("main form button", "^/provision/ok9$")
	submit(`main a[href^="/provision/ok9/dogs/"]:not([href$="/new"])`, `^/provision/ok9/dogs/\d+$`)
	check("/provision/ok9/dogs/:dog", "change a dog")
	visit("/provision/ok9/handlers/new")
	check("/provision/ok9/handlers/new", "add a handler")
	set("#display_name", "PC 4521")
	b.SetDate(t, "peer_trained", time.Now().AddDate(-1, 0, 0))
	// A handler is deployed only after passing the suitability assessment
	// with their dog (the OK9 gates).
	b.SetDate(t, "suitability_on", time.Now().AddDate(0, -2, 0))
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=suitability_outcome][value=passed]`)))
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=dogs]`)))
	submit("main form button", "^/provision/ok9$")
	submit(`main a[href^="/provision/ok9/handlers/"]:not([href$="/new"])`, `^/provision/ok9/handlers/\d+$`)
	check("/provision/ok9/handlers/:handler", "change a handler")
	logDeployment := func(minutes string) {
		visit("/provision/ok9/deployments/new")
		check("/provision/ok9/deployments/new", "log a deployment")
		b.Do(t, chromedp.Click(chromedp.CSS(`input[name=dogs]`)))
		b.Do(t, chromedp.SetValue(chromedp.CSS("#handler"), browsertest.Run(t, b, chromedp.Evaluate[string](`document.querySelector("#handler option:nth-child(2)").value`))))
		b.Do(t, chromedp.Click(chromedp.CSS(`input[name=kind][value=team_visit]`)))
		set("#people", "14")
		set("#minutes", minutes)
		submit("main form button", "^/provision/ok9")
	}
	logDeployment("120")
	if !strings.Contains(text(), "Deployment logged") || !strings.Contains(text(), "Team visit") {
		t.Fatalf("deployment not logged: %s", text())
	}
	logDeployment("90") // a second session the same day: 3 h 30 min is over the limit
	if !strings.Contains(text(), "would break the welfare limits") || !strings.Contains(text(), "Bramble: would work 3 h 30 min") {
		t.Fatalf("welfare breach not shown: %s", text())
	}
	check("/provision/ok9/deployments/new", "deployment refused for welfare limits")
	set("#override_reason", "Critical incident debrief; no other dog in the county")
	submit("main form button", "^/provision/ok9$")
	if !strings.Contains(text(), "Beyond the welfare limits: Critical incident debrief") {
		t.Fatalf("override not recorded: %s", text())
	}
	visit("/provision/peer-support")
	check("/provision/peer-support", "peer support return")
	set("#supporters", "35")
	set("#demob", "12")
	for _, q := range []string{"coordinator", "oh_clinician", "estip_lead", "supervision", "confidentiality"} {
		b.Do(t, chromedp.Click(chromedp.CSS(`input[name=`+q+`][value=yes]`)))
	}
	submit(`main form[method="post"] button`, "^/provision/peer-support$")
	if !strings.Contains(text(), "Answer yes or no: Is the coordinator full time?") {
		t.Fatalf("unanswered question not flagged: %s", text())
	}
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=coordinator_full_time][value=no]`)))
	submit(`main form[method="post"] button`, "^/provision/peer-support$")
	if !strings.Contains(text(), "Peer support return saved") {
		t.Fatalf("return not saved: %s", text())
	}
	// Saving over the year's return asks first, showing what will change.
	set("#champions", "3")
	submit(`main form[method="post"] button`, "^/provision/peer-support$")
	if !strings.Contains(text(), "Replace the") || !strings.Contains(text(), "Peer champions") {
		t.Fatalf("replacing a return did not ask first: %s", text())
	}
	check("/provision/peer-support (replace)", "peer support replace confirmation")
	submit(`main form[method="post"] button.govuk-button--warning`, "^/provision/peer-support$")
	if !strings.Contains(text(), "Peer support return saved") {
		t.Fatalf("confirmed return not saved: %s", text())
	}
	visit("/provision/vans")
	check("/provision/vans", "wellbeing vans")
	b.SetDate(t, "starts_on", time.Now())
	b.SetDate(t, "ends_on", time.Now())
	set("#place", "Dorchester station")
	set("#attendance", "60")
	set("#contact", "Wellbeing lead")
	submit("main form button", "^/provision/vans$")
	visit("/provision")
	if !strings.Contains(text(), "Peer supporters") || !strings.Contains(text(), "23.3") { // 35 per 1,500 workforce
		t.Errorf("indicators not shown: %s", text())
	}
	visit("/provision/trauma")
	check("/provision/trauma", "TRiM and trauma support returns")

	// Mutual aid end to end: the owner asks, the national team offers
	// organisation A's dog, A's owner agrees, and the deployment is in both logs.
	aDog, err := st.SaveOK9Dog(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.OK9Dog{OrganisationID: f.orgA.ID, CallName: "Pero", Status: store.DogActive, AssessmentPassedOn: ptr(time.Now().AddDate(0, -3, 0))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveOK9Handler(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.OK9Handler{OrganisationID: f.orgA.ID, DisplayName: "PS 77", MHFATrainedOn: ptr(time.Now().AddDate(-1, 0, 0)),
		SuitabilityAssessedOn: ptr(time.Now().AddDate(0, -2, 0)), SuitabilityOutcome: store.SuitabilityPassed, DogIDs: []int64{aDog.ID}}); err != nil {
		t.Fatal(err)
	}
	visit("/mutual-aid")
	check("/mutual-aid", "mutual aid, owner")
	visit("/mutual-aid/new")
	check("/mutual-aid/new", "ask for mutual aid")
	set("#incident", "Fatal collision on the A35 involving a crewed ambulance")
	set("#location", "Dorchester")
	b.SetDate(t, "starts_on", time.Now().AddDate(0, 0, 2))
	b.SetDate(t, "ends_on", time.Now().AddDate(0, 0, 3))
	// A month that is no month: the error names the date and the part, and
	// every part typed is shown again.
	set(`[name="ends_on-month"]`, "13")
	submit("main form button", `^/mutual-aid$`)
	if !strings.Contains(text(), "The last day support is needed must be a real date: the month must be a number from 1 to 12") ||
		browsertest.Run(t, b, chromedp.Evaluate[string](`document.querySelector('[name="ends_on-month"]').value`)) != "13" ||
		browsertest.Run(t, b, chromedp.Evaluate[string](`document.querySelector('[name="starts_on-year"]').value`)) != strconv.Itoa(time.Now().AddDate(0, 0, 2).Year()) {
		t.Fatalf("a wrong month is not named, or what was typed is lost: %s", text())
	}
	check("/mutual-aid/new", "ask for mutual aid, wrong date")
	b.SetDate(t, "ends_on", time.Now().AddDate(0, 0, 3))
	submit("main form button", `^/mutual-aid/\d+$`)
	check("/mutual-aid/:request", "mutual-aid request, requester")
	requestPath := path()
	signInAs := func(email string) {
		submit(".app-sign-out button", "^/sign-in$")
		set("#email", email)
		set("#password", testPassword)
		submit("main form button", "^/$")
	}
	signInAs(admin.Email)
	visit("/mutual-aid")
	check("/mutual-aid", "mutual aid, national admin")
	visit("/national/ok9")
	check("/national/ok9", "national OK9 register")
	// The van fleet: add a van, book it for the request made above, and
	// record what the visit delivered.
	visit("/national/vans")
	check("/national/vans", "wellbeing van fleet")
	set("#name", "Oscar Kilo 1")
	submit(`form[action="/national/vans"] button`, "^/national/vans$")
	submit(`table a[href^="/national/vans/requests/"]`, `^/national/vans/requests/\d+$`)
	check("/national/vans/requests/:request", "van request, national admin")
	browsertest.Run(t, b, chromedp.Evaluate[int](`(() => { const s = document.querySelector('#van'); s.selectedIndex = 1; return s.selectedIndex })()`))
	submit(`form[action$="/schedule"] button`, `^/national/vans/requests/\d+$`)
	if !strings.Contains(text(), "Van booked for the request") {
		t.Fatalf("van not booked: %s", text())
	}
	for sel, v := range map[string]string{"#health_checks": "20", "#fatigue": "8", "#trauma": "2", "#advice": "11", "#referrals": "1"} {
		set(sel, v)
	}
	submit(`form[action$="/delivery"] button`, `^/national/vans/requests/\d+$`)
	if !strings.Contains(text(), "Visit recorded as delivered") {
		t.Fatalf("delivery not recorded: %s", text())
	}
	check("/national/vans/requests/:request", "van request delivered, national admin")
	visit("/mutual-aid")
	visit(requestPath)
	if !strings.Contains(text(), "Pero") || !strings.Contains(text(), f.orgA.Name) {
		t.Fatalf("candidate dog not offered to the national team: %s", text())
	}
	check("/mutual-aid/:request", "mutual-aid request, national admin")
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name^="dogs-"]`)))
	// A scheme whose standing is not set up here lends only with a reason.
	browsertest.Run(t, b, chromedp.Evaluate[bool](`(() => { const r = document.querySelector('textarea[name^="override_reason-"]'); if (r) { r.value = "Journey test: the scheme's standing is not under test"; } return !!r })()`))
	submit(`form[action$="/offers"] button`, `^/mutual-aid/\d+$`)
	if !strings.Contains(text(), "Offer sent") {
		t.Fatalf("offer not sent: %s", text())
	}
	setPassword(t, f, f.people["A owner"])
	signInAs(f.people["A owner"].Email)
	visit("/provision/ok9")
	submit(`.govuk-notification-banner a`, `^/mutual-aid/\d+$`)
	b.Do(t, chromedp.Click(chromedp.CSS(`input[name=decision][value=accept]`)))
	b.Do(t, chromedp.SetValue(chromedp.CSS("#handler"), browsertest.Run(t, b, chromedp.Evaluate[string](`document.querySelector("#handler option:nth-child(2)").value`))))
	set("#minutes", "120")
	submit(`form[action^="/mutual-aid/offers/"] button`, `^/mutual-aid/offers/\d+$`)
	check("/mutual-aid/offers/:offer", "answer a mutual-aid offer: confirm")
	submit(`main form button:not([name=change])`, `^/mutual-aid/\d+$`)
	if !strings.Contains(text(), "both organisations' logs") || !strings.Contains(text(), "agreed to lend the dogs") {
		t.Fatalf("offer not accepted: %s", text())
	}
	check("/mutual-aid/:request", "mutual-aid request, agreed")
	signInAs("dana@casterbridge.example")
	visit(requestPath + "/close")
	check("/mutual-aid/:request/close", "close a mutual-aid request")
	visit("/provision/ok9")
	if !strings.Contains(text(), "Lent by "+f.orgA.Name) {
		t.Errorf("the lent dog's deployment is not in the requester's log: %s", text())
	}

	ctx := context.Background()
	if _, err := st.UserByEmail(ctx, "dana@casterbridge.example"); err != nil {
		t.Fatal(err)
	}

	// Reports: each one opens or downloads as the owner of A, and the
	// national outputs as the national admin.
	cycles, err := st.Cycles(ctx)
	if err != nil || len(cycles) == 0 {
		t.Fatalf("no cycle for the reports: %v", err)
	}
	reportBase := "/reports/" + itoa(cycles[0].ID)
	download := func(p, wantType string) {
		t.Helper()
		got := browsertest.Run(t, b, chromedp.Evaluate[string](`fetch("`+p+`").then(r => r.status + " " + r.headers.get("content-type") + " " + r.headers.get("content-disposition"))`, chromedp.EvalAwaitPromise))
		if !strings.HasPrefix(got, "200 "+wantType+" attachment") {
			t.Errorf("download %s: %s", p, got)
		}
	}
	signInAs(f.people["A owner"].Email)
	visit("/reports")
	check("/reports", "reports list")
	submit(`a[href="`+reportBase+`/benchmark"]`, `^/reports/\d+/benchmark$`)
	if !strings.Contains(text(), "How the figures were computed") || !strings.Contains(text(), f.orgA.Name) {
		t.Fatalf("benchmark page: %s", text())
	}
	check("/reports/:cycle/benchmark", "benchmark report")
	download(reportBase+"/benchmark.pdf", "application/pdf")
	download(reportBase+"/gap-analysis.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	download(reportBase+"/business-case.pdf", "application/pdf")
	visit(reportBase + "/business-case")
	check("/reports/:cycle/business-case", "business case")
	set("#value-working_day_cost", "lots")
	submit(`form[action$="/business-case"] button`, `^/reports/\d+/business-case$`)
	if !strings.Contains(text(), "enter a number of zero or more") {
		t.Fatalf("bad assumption not refused: %s", text())
	}
	check("/reports/:cycle/business-case", "business case with errors")

	signInAs(admin.Email)
	visit("/national")
	check("/national", "national benchmarks list")
	submit(`a[href="/national/`+itoa(cycles[0].ID)+`"]`, `^/national/\d+$`)
	check("/national/:cycle", "national benchmarks")
	download("/national/"+itoa(cycles[0].ID)+"/workbook.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	download("/national/"+itoa(cycles[0].ID)+"/summary.pdf", "application/pdf")
	submit(`form[action$="/batch"] button`, `^/national/batches/[\w-]+$`)
	check("/national/batches/:batch", "batch progress")
	for i := 0; i < 100 && !strings.Contains(text(), "reports ready"); i++ {
		time.Sleep(100 * time.Millisecond)
		visit(path())
	}
	if !strings.Contains(text(), "reports ready") {
		t.Fatalf("batch did not finish: %s", text())
	}
	check("/national/batches/:batch", "batch done")
	download(path()+"/download", "application/zip")
	for _, r := range f.srv.App().GetRoutes(true) {
		if r.Method != fiber.MethodGet || strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		if _, ok := pageNotChecked[r.Path]; ok {
			continue
		}
		if !checked[r.Path] {
			t.Errorf("page %s was not checked with axe-core: add it to this journey", r.Path)
		}
	}
}

func ptr[T any](v T) *T { return &v }

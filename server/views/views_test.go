package views

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/static"
)

func newViews(t *testing.T) *Views {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// render renders a page and checks its markup.
func render(t *testing.T, page string, p Page) string {
	t.Helper()
	html := renderRaw(t, page, p)
	checkMarkup(t, page, html)
	return html
}

func renderRaw(t *testing.T, page string, p Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := newViews(t).Render(&b, page, p); err != nil {
		t.Fatalf("render %s: %v", page, err)
	}
	return b.String()
}

var signedIn = Page{
	User:      &User{Name: "Jo Bloggs", RoleLabel: "Organisation owner", OrgName: "Casterbridge Fire and Rescue"},
	CSRFToken: "tok123",
	Nav:       []NavItem{{Label: "Home", Href: "/", Current: true}, {Label: "People", Href: "/people"}},
	RequestID: "req-42",
}

func with(p Page, title string, data any) Page {
	p.Title, p.Data = title, data
	return p
}

// The pages this package defines, each with sample data, signed in and out.
var samplePages = map[string]Page{
	"signin":       {Title: "Sign in", CSRFToken: "tok123", Data: SignIn{Email: "jo@example.org", Next: "/people"}},
	"set_password": {Title: "Set your password", CSRFToken: "tok123", Data: SetPassword{Token: "abc123", Email: "jo@example.org"}},
	"error":        {Title: "Page not found", Data: ErrorPage{Status: 404, Heading: "Page not found", Message: "Check the address."}},
	"home": with(signedIn, "Home", map[string]any{
		"Organisation": nil, "Organisations": 3, "People": 12, "Editions": []struct{ Title, Kind, Version, Status string }{{"Blue Light Wellbeing Framework", "framework", "2024", "released"}},
		"Tasks": []struct{ Label, Href, Hint string }{{"Add people", "/people/new", "Invite your team."}},
	}),
}

func TestSamplePagesRender(t *testing.T) {
	for name, p := range samplePages {
		html := render(t, name, p)
		if !strings.Contains(html, "<title>"+p.Title+" – Blue Light Wellbeing Toolkit</title>") {
			t.Errorf("%s: wrong title", name)
		}
		if strings.Count(html, "<h1") != 1 {
			t.Errorf("%s: want exactly one h1", name)
		}
	}
	html := render(t, "signin", samplePages["signin"])
	for _, want := range []string{
		`<form method="post" action="/sign-in" novalidate>`,
		`<input type="hidden" name="_csrf" value="tok123">`,
		`<input type="hidden" name="next" value="/people">`,
		`<input class="govuk-input" id="email" name="email" type="email" spellcheck="false" value="jo@example.org" autocomplete="username">`,
		`<input class="govuk-input" id="password" name="password" type="password" spellcheck="false" autocomplete="current-password" autocapitalize="none">`,
		`<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("sign-in page lacks %s", want)
		}
	}
	html = render(t, "set_password", samplePages["set_password"])
	for _, want := range []string{
		`<form method="post" action="/set-password/abc123" novalidate>`,
		`Use at least 12 characters. A long passphrase of three or more random words is easier to remember`,
		`id="password" name="password" type="password" spellcheck="false" aria-describedby="password-hint" autocomplete="new-password"`,
		`id="confirm" name="confirm" type="password" spellcheck="false" autocomplete="new-password"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("set-password page lacks %s", want)
		}
	}
}

func TestLayout(t *testing.T) {
	html := render(t, "home", samplePages["home"])
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`^<!DOCTYPE html>\n<html lang="en-GB" class="govuk-template">`),
		regexp.MustCompile(`<link rel="stylesheet" href="/assets/app\.[0-9a-f]{10}\.css">`),
		regexp.MustCompile(`<script type="module" src="/assets/app\.[0-9a-f]{10}\.js"></script>\n</body>`),
		regexp.MustCompile(`<link rel="icon" sizes="48x48" href="/assets/images/favicon\.[0-9a-f]{10}\.ico">`),
		regexp.MustCompile(`<body class="govuk-template__body">\s*<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>`),
		regexp.MustCompile(`<a href="/" class="govuk-generic-header__homepage-link">Blue Light Wellbeing Toolkit</a>`),
		regexp.MustCompile(`<a class="govuk-service-navigation__link" href="/" aria-current="page"><strong class="govuk-service-navigation__active-fallback">Home</strong></a>`),
		regexp.MustCompile(`<a class="govuk-service-navigation__link" href="/people">People</a>`),
		regexp.MustCompile(`Signed in as </span>Jo Bloggs<span class="app-header__role">, Organisation owner, Casterbridge Fire and Rescue`),
		regexp.MustCompile(`<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>`),
		regexp.MustCompile(`<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>`),
		regexp.MustCompile(`<main class="govuk-main-wrapper" id="main-content">`),
		regexp.MustCompile(`<footer class="govuk-template__footer">\s*<div class="govuk-footer">`),
	} {
		if !want.MatchString(html) {
			t.Errorf("layout lacks %s", want)
		}
	}
	if !strings.Contains(html, static.Path("app.css")) || !strings.Contains(html, static.Path("app.js")) {
		t.Error("layout does not link the current hashed assets")
	}
	if strings.Count(html, `aria-current="page"`) != 1 {
		t.Error("want exactly one current navigation item")
	}
	// Not a GOV.UK service: no crown, no GOV.UK logo, no licence or copyright.
	for _, banned := range []string{"govuk-header", "govuk-logo", "crown", "Crown", "Open Government Licence", "GOV.UK"} {
		if strings.Contains(html, banned) {
			t.Errorf("layout contains %q", banned)
		}
	}
}

func TestSignOutCarriesCSRFToken(t *testing.T) {
	html := render(t, "home", samplePages["home"])
	form := regexp.MustCompile(`(?s)<form method="post" action="/sign-out" class="app-sign-out">(.*?)</form>`).FindStringSubmatch(html)
	if form == nil {
		t.Fatal("no sign-out form")
	}
	if !strings.Contains(form[1], `<input type="hidden" name="_csrf" value="tok123">`) || !strings.Contains(form[1], `<button type="submit" class="app-link-button app-header__link">Sign out</button>`) {
		t.Errorf("sign-out form: %s", form[1])
	}
	out := render(t, "signin", samplePages["signin"])
	if strings.Contains(out, "/sign-out") || strings.Contains(out, "govuk-service-navigation") {
		t.Error("a signed-out page offers navigation or sign out")
	}
}

func TestErrorsAreSummarisedAndLinked(t *testing.T) {
	p := samplePages["signin"]
	p.Errors = []FieldError{{Field: "email", Message: "Enter your email address"}, {Field: "password", Message: "Enter your password"}}
	html := render(t, "signin", p)
	for _, want := range []string{
		"<title>Error: Sign in – Blue Light Wellbeing Toolkit</title>",
		`<div class="govuk-error-summary" data-module="govuk-error-summary" tabindex="-1" autofocus>`,
		`<div role="alert">`,
		`<h2 class="govuk-error-summary__title">There is a problem</h2>`,
		`<li><a href="#email">Enter your email address</a></li>`,
		`<li><a href="#password">Enter your password</a></li>`,
		`<div class="govuk-form-group govuk-form-group--error">`,
		`<p id="email-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your email address</p>`,
		`<input class="govuk-input govuk-input--error" id="email" name="email" type="email" spellcheck="false" value="jo@example.org" aria-describedby="email-error" autocomplete="username">`,
		`<input class="govuk-input govuk-input--error" id="password" name="password" type="password" spellcheck="false" aria-describedby="password-error" autocomplete="current-password" autocapitalize="none">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(render(t, "signin", samplePages["signin"]), "govuk-error-summary") {
		t.Error("error summary without errors")
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	p := signedIn
	p.User = &User{Name: `<b>Jo</b>`, OrgName: `"><i>`}
	p.Flash = `<script>alert(1)</script>`
	p.Errors = []FieldError{{Field: `x" onmouseover="alert(1)`, Message: "<em>bad</em>"}}
	html := renderRaw(t, "error", with(p, "<Title>", ErrorPage{Status: 404, Heading: "<h1>", Message: `"><img src=x>`}))
	for _, bad := range []string{"<script>alert", "<img src=x>", "<b>Jo</b>", "<i>", "<em>bad", `onmouseover="alert`, "<Title>", "<h1><h1>"} {
		if strings.Contains(html, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
	for _, want := range []string{
		`<p class="govuk-notification-banner__heading">&lt;script&gt;alert(1)&lt;/script&gt;</p>`,
		`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="govuk-notification-banner-title" data-module="govuk-notification-banner">`,
		`&lt;b&gt;Jo&lt;/b&gt;`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestServerErrorShowsNoInternals(t *testing.T) {
	p := with(signedIn, "Sorry, there is a problem with the service", ErrorPage{Status: 500, Heading: "Sorry, there is a problem with the service", Message: "pq: relation users does not exist"})
	html := render(t, "error", p)
	if strings.Contains(html, "pq:") {
		t.Error("the error page shows the internal error")
	}
	if !strings.Contains(html, "quote this reference to your administrator: <span class=\"app-token\">req-42</span>") {
		t.Error("the error page gives no reference")
	}
}

func TestBackLink(t *testing.T) {
	p := samplePages["set_password"]
	p.BackLink = "/people/3"
	if html := render(t, "set_password", p); !strings.Contains(html, `<a href="/people/3" class="govuk-back-link">Back</a>`) {
		t.Error("no back link")
	}
	if html := render(t, "set_password", samplePages["set_password"]); strings.Contains(html, "govuk-back-link") {
		t.Error("back link without BackLink")
	}
}

func TestChoicesMarkup(t *testing.T) {
	opts := []Option{{Value: "owner", Label: "Owner", Hint: "Manages people"}, {Value: "viewer", Label: "Viewer", Selected: true}, {Value: "contributor", Label: "Contributor"}}
	html := render(t, "person_new", with(Page{CSRFToken: "t"}, "Add a person", map[string]any{
		"RoleOptions": opts, "SectionOptions": opts, "OrgOptions": opts, "Name": "", "Email": "",
	}))
	for _, want := range []string{
		`<fieldset class="govuk-fieldset" aria-describedby="role-hint">`,
		`<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend>`,
		`<div class="govuk-radios" data-module="govuk-radios">`,
		`<input class="govuk-radios__input" id="role" name="role" type="radio" value="owner" aria-describedby="role-item-hint">`,
		`<div id="role-item-hint" class="govuk-hint govuk-radios__hint">Manages people</div>`,
		`<input class="govuk-radios__input" id="role-2" name="role" type="radio" value="viewer" checked>`,
		`<label class="govuk-label govuk-radios__label" for="role-2">Viewer</label>`,
		`id="role-3" name="role" type="radio" value="contributor">`,
		`<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">`,
		`<input class="govuk-checkboxes__input" id="sections-2" name="sections" type="checkbox" value="viewer" checked>`,
		`<select class="govuk-select" id="organisation" name="organisation" aria-describedby="organisation-hint">`,
		`<option value="viewer" selected>Viewer</option>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	html = render(t, "person_new", with(Page{CSRFToken: "t", Errors: []FieldError{{Field: "role", Message: "Choose a role"}}}, "Add a person", map[string]any{
		"RoleOptions": opts, "SectionOptions": opts, "OrgOptions": nil, "Name": "", "Email": "",
	}))
	for _, want := range []string{
		`<div class="govuk-form-group govuk-form-group--error">
  <fieldset class="govuk-fieldset" aria-describedby="role-hint role-error">`,
		`<p id="role-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Choose a role</p>`,
		`<li><a href="#role">Choose a role</a></li>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// renderContent renders content written for the test inside the layout.
func renderContent(t *testing.T, content string, p Page) (string, error) {
	t.Helper()
	tpl, err := newViews(t).pages["signin"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.Parse(`{{define "content"}}` + content + `{{end}}`); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = tpl.ExecuteTemplate(&b, layoutFile, p)
	return b.String(), err
}

func TestPartialNeedsPage(t *testing.T) {
	_, err := renderContent(t, `{{template "input" dict "Name" "x" "Label" "X"}}`, Page{})
	if err == nil || !strings.Contains(err.Error(), `"Page" must be the page`) {
		t.Errorf("got %v, want an error naming the missing Page", err)
	}
}

func TestOtherPartials(t *testing.T) {
	p := Page{CSRFToken: "t", Errors: []FieldError{{Field: "pw", Message: "Enter a password"}, {Field: "notes", Message: "Too long"}},
		Data: []Option{{Value: "", Label: "Any"}, {Value: "red", Label: "Red", Selected: true}}}
	html, err := renderContent(t, `<form method="post" action="/x">
{{template "password" dict "Page" $ "Name" "pw" "Label" "Password" "Hint" "12 or more" "Toggle" true}}
{{template "textarea" dict "Page" $ "Name" "notes" "Label" "Notes" "Value" "<b>hi</b>" "Rows" 3 "LabelClass" "govuk-label--m"}}
{{template "select" dict "Page" $ "Name" "band" "Label" "Band" "Options" .Data}}
{{template "button" dict "Text" "Save and next" "Name" "then" "Value" "next" "Class" "govuk-button--secondary"}}
</form>`, p)
	if err != nil {
		t.Fatal(err)
	}
	checkMarkup(t, "partials", html)
	for _, want := range []string{
		// GOV.UK Frontend's password input, error state.
		`<div class="govuk-form-group govuk-form-group--error govuk-password-input" data-module="govuk-password-input">
  <label class="govuk-label" for="pw">Password</label>
  <div id="pw-hint" class="govuk-hint">12 or more</div>
  <p id="pw-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter a password</p>
  <div class="govuk-input__wrapper govuk-password-input__wrapper">
    <input class="govuk-input govuk-password-input__input govuk-js-password-input-input govuk-input--error" id="pw" name="pw" type="password" spellcheck="false" aria-describedby="pw-hint pw-error" autocomplete="current-password" autocapitalize="none">
    <button type="button" class="govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle" data-module="govuk-button" aria-controls="pw" aria-label="Show password" hidden>Show</button>
  </div>
</div>`,
		`<label class="govuk-label govuk-label--m" for="notes">Notes</label>`,
		`<textarea class="govuk-textarea govuk-textarea--error" id="notes" name="notes" rows="3" aria-describedby="notes-error">&lt;b&gt;hi&lt;/b&gt;</textarea>`,
		`<select class="govuk-select" id="band" name="band">
    <option value="">Any</option>
    <option value="red" selected>Red</option>
  </select>`,
		`<button type="submit" name="then" value="next" class="govuk-button govuk-button--secondary" data-module="govuk-button">Save and next</button>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("partials lack\n%s", want)
		}
	}
}

func TestPagesParsed(t *testing.T) {
	v := newViews(t)
	for name := range samplePages {
		if !slices.Contains(v.Pages(), name) {
			t.Errorf("no page %s", name)
		}
	}
	if slices.Contains(v.Pages(), "layout") || slices.Contains(v.Pages(), "partials") {
		t.Error("layout or partials listed as a page")
	}
	var b bytes.Buffer
	if err := v.Render(&b, "no-such-page", Page{}); err == nil || b.Len() > 0 {
		t.Error("unknown page rendered")
	}
	// A failing page writes nothing, so the error page can replace it.
	if err := v.Render(&b, "signin", Page{Data: 42}); err == nil || b.Len() > 0 {
		t.Errorf("a failed render wrote %d bytes (err %v)", b.Len(), err)
	}
}

func TestDates(t *testing.T) {
	at := time.Date(2026, 3, 7, 9, 5, 0, 0, time.UTC)
	date := funcs["date"].(func(time.Time) string)
	datetime := funcs["datetime"].(func(time.Time) string)
	if got := date(at); got != "7 March 2026" {
		t.Errorf("date = %q", got)
	}
	if got := datetime(at); got != "7 March 2026 09:05" {
		t.Errorf("datetime = %q", got)
	}
	if date(time.Time{}) != "" {
		t.Error("a zero time is not blank")
	}
}

var (
	tagRE   = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>`)
	idRE    = regexp.MustCompile(`\sid="([^"]+)"`)
	refRE   = regexp.MustCompile(`\s(?:for|aria-describedby|aria-controls|aria-labelledby)="([^"]+)"|href="#([^"]+)"`)
	inlineJ = regexp.MustCompile(`<script(?:\s+type="module")?>|\son[a-z]+="|\sstyle="|javascript:`)
	void    = map[string]bool{"meta": true, "link": true, "input": true, "br": true, "hr": true, "img": true}
)

// checkMarkup catches what would make the page invalid or inaccessible:
// unbalanced elements, duplicate ids, references to ids that are not there,
// and inline script or style, which the Content-Security-Policy would block.
func checkMarkup(t *testing.T, page, html string) {
	t.Helper()
	var stack []string
	for _, m := range tagRE.FindAllStringSubmatch(html, -1) {
		name := strings.ToLower(m[2])
		switch {
		case void[name]:
		case m[1] == "":
			stack = append(stack, name)
		case len(stack) == 0 || stack[len(stack)-1] != name:
			t.Fatalf("%s: </%s> closes <%s>", page, name, strings.Join(stack, "><"))
		default:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		t.Errorf("%s: unclosed <%s>", page, strings.Join(stack, "><"))
	}
	ids := map[string]bool{"main-content": true}
	for _, m := range idRE.FindAllStringSubmatch(html, -1) {
		if ids[m[1]] && m[1] != "main-content" {
			t.Errorf("%s: duplicate id %q", page, m[1])
		}
		ids[m[1]] = true
	}
	for _, m := range refRE.FindAllStringSubmatch(html, -1) {
		for _, id := range strings.Fields(m[1] + " " + m[2]) {
			if !ids[id] {
				t.Errorf("%s: refers to id %q, which is not on the page", page, id)
			}
		}
	}
	if m := inlineJ.FindString(html); m != "" {
		t.Errorf("%s: inline script or style %q breaks the Content-Security-Policy", page, m)
	}
}

package views

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

type option struct {
	Value, Label, Hint string
	Selected           bool
}

func render(t *testing.T, page string, p Page) string {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := v.Render(&b, page, p); err != nil {
		t.Fatalf("render %s: %v", page, err)
	}
	return b.String()
}

func TestLayoutLinksHashedAssetsAndSignOut(t *testing.T) {
	html := render(t, "signin", Page{Title: "Sign in", CSRFToken: "tok123", User: &User{Name: "Jo", RoleLabel: "Viewer", OrgName: "Org"},
		Nav: []NavItem{{Label: "Home", Href: "/", Current: true}}, Data: SignIn{Next: "/"}})
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`<link rel="stylesheet" href="/assets/app\.[0-9a-f]{10}\.css">`),
		regexp.MustCompile(`<script type="module" src="/assets/app\.[0-9a-f]{10}\.js"></script>`),
		regexp.MustCompile(`<form method="post" action="/sign-out" class="app-sign-out">\s*<input type="hidden" name="_csrf" value="tok123">`),
		regexp.MustCompile(`aria-current="page"`),
		regexp.MustCompile(`<html lang="en-GB" class="govuk-template">`),
		regexp.MustCompile(`<title>Sign in – Blue Light Wellbeing Toolkit</title>`),
	} {
		if !want.MatchString(html) {
			t.Errorf("layout lacks %s", want)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, " style=") || strings.Contains(html, "onclick") {
		t.Error("inline script or style would break the Content-Security-Policy")
	}
}

func TestErrorsAreSummarisedAndLinked(t *testing.T) {
	html := render(t, "signin", Page{Title: "Sign in", Errors: []FieldError{{Field: "email", Message: "Enter your email address"}}, Data: SignIn{Email: "x@y.example"}})
	for _, want := range []string{
		"<title>Error: Sign in",
		`<a href="#email">Enter your email address</a>`,
		`govuk-form-group govuk-form-group--error`,
		`<span class="govuk-visually-hidden">Error:</span> Enter your email address`,
		`aria-describedby="email-error"`,
		`value="x@y.example"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	html := render(t, "error", Page{Title: "x", Flash: `<script>alert(1)</script>`, Data: ErrorPage{Status: 404, Heading: "Page not found", Message: `"><img src=x>`}})
	if strings.Contains(html, "<script>alert") || strings.Contains(html, "<img src=x>") {
		t.Fatal("user-supplied text was not escaped")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("flash message missing")
	}
}

func TestChoicesMarkup(t *testing.T) {
	opts := []option{{Value: "owner", Label: "Owner"}, {Value: "viewer", Label: "Viewer", Selected: true}}
	html := render(t, "person_new", Page{Title: "Add", Errors: []FieldError{{Field: "role", Message: "Choose a role"}}, Data: map[string]any{
		"RoleOptions": opts, "SectionOptions": opts, "OrgOptions": nil, "Name": "", "Email": "",
	}})
	for _, want := range []string{
		`id="role" name="role" type="radio" value="owner"`,
		`id="role-1" name="role" type="radio" value="viewer" checked`,
		`<label class="govuk-label govuk-radios__label" for="role-1">Viewer</label>`,
		`id="sections" name="sections" type="checkbox" value="owner"`,
		`<p id="role-error" class="govuk-error-message">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestPagesParsed(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if len(v.pages) < 10 {
		t.Fatalf("only %d pages parsed", len(v.pages))
	}
	if err := v.Render(&bytes.Buffer{}, "no-such-page", Page{}); err == nil {
		t.Error("unknown page rendered")
	}
}

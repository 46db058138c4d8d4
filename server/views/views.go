// Package views renders the server-side HTML pages with html/template and
// GOV.UK Frontend markup. Every page works without JavaScript.
package views

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/static"
)

//go:embed templates/*.html
var files embed.FS

// Page is what every page template gets; Data is the page's own content.
type Page struct {
	Title     string
	User      *User // nil when signed out
	CSRFToken string
	Nav       []NavItem
	Flash     string // success message shown in a notification banner
	Errors    []FieldError
	BackLink  string
	RequestID string
	Data      any
}

// User is the signed-in person as the layout shows them.
type User struct{ Name, RoleLabel, OrgName string }

// NavItem is one link in the service navigation.
type NavItem struct {
	Label, Href string
	Current     bool
}

// FieldError is one problem with a form; Field is the id of the input that
// the error summary links to.
type FieldError struct{ Field, Message string }

// ErrorFor returns the message for a field, or "".
func (p Page) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// HasErrors reports whether the page shows an error summary.
func (p Page) HasErrors() bool { return len(p.Errors) > 0 }

// Data of the pages this package defines.
type (
	SignIn      struct{ Email, Next string }
	SetPassword struct{ Token, Email string }
	ErrorPage   struct {
		Status           int
		Heading, Message string
	}
)

// Views holds every page, each parsed with the layout and partials.
type Views struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"asset":    static.Path,
	"date":     func(t time.Time) string { return t.Format("2 January 2006") },
	"datetime": func(t time.Time) string { return t.Format("2 January 2006 15:04") },
	// bandClass is the GOV.UK tag colour for a RAG rating; the tag always
	// shows the band's name too, so colour is never the only signal.
	"bandClass": func(rag string) string {
		switch rag {
		case "red":
			return "govuk-tag--red"
		case "amber":
			return "govuk-tag--orange"
		case "green":
			return "govuk-tag--green"
		}
		return "govuk-tag--grey"
	},
	"list": func(v ...any) []any { return v },
	"sub":  func(a, b int) int { return a - b },
	// dict builds the argument of a partial: dict "Name" "email" "Label" "Email".
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs pairs, got %d values", len(kv))
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// New parses every template once.
func New() (*Views, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(files, "templates")
	if err != nil {
		return nil, err
	}
	v := &Views{pages: map[string]*template.Template{}}
	for _, e := range entries {
		name := e.Name()
		if name == "layout.html" || name == "partials.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, "templates/"+name)
		if err != nil {
			return nil, err
		}
		v.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return v, nil
}

// Render writes the named page in the layout.
func (v *Views) Render(w io.Writer, page string, p Page) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("views: no page %q", page)
	}
	return t.ExecuteTemplate(w, "layout.html", p)
}

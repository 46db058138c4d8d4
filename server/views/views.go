// Package views renders the server-side HTML pages with html/template and
// GOV.UK Frontend markup. Every page works without JavaScript, and no page
// has inline script or style (the Content-Security-Policy allows neither).
//
// templates/layout.html is the page around every page; templates/partials.html
// holds the form fields (its opening comment documents their arguments); each
// other file is one page that defines "content" and, optionally, "title".
package views

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/bluelight-wellbeing/toolkit/server/input/datefield"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/static"
)

//go:embed templates/*.html
var files embed.FS

// Page is what every page template gets; Data is the page's own content.
type Page struct {
	Title     string // the page's name, also in the <title>
	User      *User  // nil when signed out
	CSRFToken string
	Nav       []NavItem
	Flash     string // success message shown in a notification banner
	Errors    []FieldError
	BackLink  string // href of a Back link above the content, if any
	RequestID string
	// SessionEnds is when the signed-in session ends if nothing more is
	// sent ("15:04" UK time), and SessionSeconds how long that is from now:
	// the timeout warning's and the no-JavaScript note's.
	SessionEnds        string
	SessionSeconds     int
	SessionIdleMinutes int // the idle limit
	// HeldBack: the page shows, unsaved, what was typed before the session
	// ended (a held form sent back after signing in again).
	HeldBack bool
	Data     any
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

// Option is one choice of a select, radios or checkboxes partial. Any struct
// or map with these fields does as well.
type Option struct {
	Value, Label, Hint string
	Selected           bool
}

// Data of the pages this package defines.
type (
	// SignIn is the sign-in page's: the email address to show again after a
	// failed attempt, and where to go afterwards. Step is "email" when the
	// page asks for the email first (some organisation signs in through its
	// own provider), "password" for the password after that, and "" for
	// both at once. ProviderLogout is the organisation provider's sign-out
	// address, offered after signing out. Held is a form sent after the
	// session ended while idle (URL-encoded), carried through sign-in to be
	// offered back to HeldUser.
	SignIn struct {
		Email, Next, Step       string
		ProviderLogout, OrgName string
		Held                    string
		HeldUser                int64
		IdleMinutes             int
	}
	// SetPassword is the set-password page's: the link's token and whose
	// account it is.
	SetPassword struct{ Token, Email string }
	// ErrorPage is the error page's. For a status of 500 or more the page
	// shows a fixed message and the request's reference, never Message.
	ErrorPage struct {
		Status           int
		Heading, Message string
	}
)

// Views holds every page, each parsed with the layout and partials.
type Views struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"asset": static.Path,
	"date":  func(t time.Time) string { return formatTime(t, "2 January 2006") },
	// dateParts splits a date field's value (YYYY-MM-DD, or what was typed)
	// for the partial "date-input".
	"dateParts": func(v any) map[string]string {
		s, _ := v.(string)
		d, m, y := datefield.Split(s)
		parts := map[string]string{"Day": d, "Month": m, "Year": y}
		parts["First"] = "day" // the part the error summary's link lands on
		for i, w := range datefield.Wrong(s) {
			parts["Wrong"] += " " + w // the fields to mark when the date has an error
			if i == 0 {
				parts["First"] = w
			}
		}
		return parts
	},
	"datetime": func(t time.Time) string { return formatTime(t, "2 January 2006 15:04") },
	// decimal writes a figure with one decimal place, e.g. 23.3.
	"decimal": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	"dict":    dict,
	// errorFor, describedBy and itemID are for the partials.
	"errorFor": func(page any, field string) (string, error) {
		p, ok := page.(Page)
		if !ok {
			return "", fmt.Errorf("partial for field %q: \"Page\" must be the page ($), not %T", field, page)
		}
		return p.ErrorFor(field), nil
	},
	"describedBy": func(name string, hint any, err string) string {
		var ids []string
		if h, _ := hint.(string); h != "" {
			ids = append(ids, name+"-hint")
		}
		if err != "" {
			ids = append(ids, name+"-error")
		}
		return strings.Join(ids, " ")
	},
	// itemID numbers radios and checkboxes as GOV.UK Frontend does: the
	// first is the bare name, so the error summary can link to it.
	"itemID": func(name string, i int) string {
		if i == 0 {
			return name
		}
		return name + "-" + strconv.Itoa(i+1)
	},
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
	// percentileClass is the GOV.UK tag colour for a percentile band (its
	// words, e.g. "above 80th percentile"); the tag always shows the words.
	"percentileClass": func(band fmt.Stringer) string {
		switch band.String() {
		case "below 20th percentile":
			return "govuk-tag--red"
		case "20th to 50th percentile":
			return "govuk-tag--orange"
		case "50th to 80th percentile":
			return "govuk-tag--blue"
		case "above 80th percentile":
			return "govuk-tag--green"
		}
		return "govuk-tag--grey"
	},
	"list":     func(v ...any) []any { return v },
	"lower":    strings.ToLower,
	"contains": strings.Contains,
	"inc":      func(i int) int { return i + 1 },
	// money writes pounds with no pence, e.g. £84,300; num a plain number
	// with thousands separators and no trailing zeros.
	"money": figure.Money,
	// count writes a whole number with thousands separators, e.g. 4,828.
	"count": func(n int) string { return figure.Number(float64(n), 0) },
	"num": func(v float64) string {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		whole, frac, _ := strings.Cut(s, ".")
		n, _ := strconv.ParseFloat(whole, 64)
		if frac != "" {
			return figure.Number(n, 0) + "." + frac
		}
		return figure.Number(n, 0)
	},
	// prepend puts one item before a slice: prepend $first $rest.
	"prepend": func(first any, rest any) []any {
		out := []any{first}
		rv := reflect.ValueOf(rest)
		for i := 0; rv.Kind() == reflect.Slice && i < rv.Len(); i++ {
			out = append(out, rv.Index(i).Interface())
		}
		return out
	},
	// reverseIndex counts down from n-1 to 0, for grids drawn top down.
	"reverseIndex": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = n - 1 - i
		}
		return out
	},
	// paragraphs splits text on blank lines.
	"paragraphs": func(text string) []string {
		var out []string
		for _, p := range strings.Split(text, "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	},
	"sub":  func(a, b int) int { return a - b },
	"subf": func(a, b float64) float64 { return a - b },
}

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// dict builds the argument of a partial: dict "Page" $ "Name" "email".
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key and value pairs, got %d values", len(kv))
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
}

const (
	layoutFile   = "layout.html"
	partialsFile = "partials.html"
)

// New parses every template once: the layout and partials, then each page
// in a clone of them.
func New() (*Views, error) {
	base, err := template.New(layoutFile).Funcs(funcs).ParseFS(files, "templates/"+layoutFile, "templates/"+partialsFile)
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
		if name == layoutFile || name == partialsFile || !strings.HasSuffix(name, ".html") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(files, "templates/"+name); err != nil {
			return nil, err
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("views: %s defines no \"content\"", name)
		}
		v.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return v, nil
}

// Pages lists the names of the pages, for tests.
func (v *Views) Pages() []string {
	return slices.Sorted(maps.Keys(v.pages))
}

// Render writes the named page in the layout. The page is rendered in full
// before anything is written, so a template error never leaves half a page.
func (v *Views) Render(w io.Writer, page string, p Page) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("views: no page %q", page)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, layoutFile, p); err != nil {
		return fmt.Errorf("views: %s: %w", page, err)
	}
	_, err := b.WriteTo(w)
	return err
}

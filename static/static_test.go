package static

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestPathIsServedWithTheSameBytes(t *testing.T) {
	for _, name := range []string{"app.css", "app.js", "govuk-frontend.min.js", "images/favicon.ico"} {
		p := Path(name)
		if !regexp.MustCompile(`^/assets/.+\.[0-9a-f]{10}\.[a-z]+$`).MatchString(p) {
			t.Errorf("Path(%q) = %q, not a hashed name", name, p)
		}
		data, ct, immutable, ok := Lookup(strings.TrimPrefix(p, Prefix))
		plain, _, plainImmutable, _ := Lookup(name)
		if !ok || !immutable || plainImmutable || !bytes.Equal(data, plain) || ct == "" {
			t.Errorf("Lookup(%q): ok=%v immutable=%v type=%q", p, ok, immutable, ct)
		}
	}
	if _, _, _, ok := Lookup("nope.css"); ok {
		t.Error("an unknown file was found")
	}
}

func TestUnknownPathPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Path of an unknown file did not panic")
		}
	}()
	Path("missing.css")
}

// TestStylesheetURLsResolve guards against 404s for images the stylesheet
// names. The GOV.UK crest is deliberately not shipped: this is not a GOV.UK
// service, and no page uses the crest.
func TestStylesheetURLsResolve(t *testing.T) {
	css, _, _, _ := Lookup("app.css")
	urls := regexp.MustCompile(`url\("?([^")]+)"?\)`).FindAllStringSubmatch(string(css), -1)
	if len(urls) == 0 {
		t.Fatal("no url() found: has the stylesheet been built?")
	}
	for _, u := range urls {
		name := strings.TrimPrefix(u[1], Prefix)
		if name == "images/govuk-crest.svg" {
			continue
		}
		if _, _, _, ok := Lookup(name); !ok {
			t.Errorf("stylesheet refers to %s, which is not served", u[1])
		}
	}
	if bytes.Contains(css, []byte("GDS Transport")) {
		t.Error("the stylesheet uses the GDS Transport font, which is only for GOV.UK services")
	}
}

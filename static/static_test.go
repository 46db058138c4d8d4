package static

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestPathIsServedWithTheSameBytes(t *testing.T) {
	hashedPath := regexp.MustCompile(`^/assets/[a-z0-9./-]+\.[0-9a-f]{10}\.[a-z0-9]+$`)
	for name, wantType := range map[string]string{
		"app.css":               "text/css; charset=utf-8",
		"app.js":                "text/javascript; charset=utf-8",
		"govuk-frontend.min.js": "text/javascript; charset=utf-8",
		"images/favicon.ico":    "image/x-icon",
		"images/favicon.svg":    "image/svg+xml",
	} {
		p := Path(name)
		if !hashedPath.MatchString(p) {
			t.Errorf("Path(%q) = %q, not a hashed name", name, p)
			continue
		}
		data, ct, immutable, ok := Lookup(strings.TrimPrefix(p, Prefix))
		if !ok || !immutable || ct != wantType || len(data) == 0 {
			t.Errorf("Lookup(%q) = %d bytes, %q, immutable %v, ok %v", p, len(data), ct, immutable, ok)
		}
		plain, plainType, plainImmutable, ok := Lookup(name)
		if !ok || plainImmutable || plainType != ct || !bytes.Equal(data, plain) {
			t.Errorf("Lookup(%q) by plain name: ok %v, immutable %v, same bytes %v", name, ok, plainImmutable, bytes.Equal(data, plain))
		}
		if Path(name) != p {
			t.Errorf("Path(%q) is not stable", name)
		}
	}
	for _, name := range []string{"nope.css", "", "dist/app.css", "../static.go", "/app.css"} {
		if _, _, _, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) found a file", name)
		}
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a, b := hashedName("app.css", []byte("a")), hashedName("app.css", []byte("b"))
	if a == b || !strings.HasPrefix(a, "app.") || !strings.HasSuffix(a, ".css") || len(a) != len("app.0123456789.css") {
		t.Errorf("hashedName gave %q and %q", a, b)
	}
	if got := hashedName("images/favicon.ico", nil); !regexp.MustCompile(`^images/favicon\.[0-9a-f]{10}\.ico$`).MatchString(got) {
		t.Errorf("hashedName kept no folder: %q", got)
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

// The module script imports GOV.UK Frontend by its hashed name, so the pair
// can be cached for a year and never mismatch.
func TestAppScriptImportsHashedFrontend(t *testing.T) {
	js, _, _, _ := Lookup(strings.TrimPrefix(Path("app.js"), Prefix))
	dep := strings.TrimPrefix(Path("govuk-frontend.min.js"), Prefix)
	if !bytes.Contains(js, []byte(`from './`+dep+`'`)) {
		t.Fatalf("app.js does not import ./%s:\n%s", dep, js)
	}
	if _, _, immutable, ok := Lookup(dep); !ok || !immutable {
		t.Errorf("the module app.js imports is not served")
	}
	for _, want := range []string{"initAll()", "govuk-frontend-supported", "js-enabled"} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("app.js lacks %s", want)
		}
	}
}

// TestStylesheetURLsResolve guards against 404s for anything the stylesheet
// names with url(): each must be served under /assets/.
func TestStylesheetURLsResolve(t *testing.T) {
	css, _, _, ok := Lookup("app.css")
	if !ok || !bytes.Contains(css, []byte(".govuk-button")) {
		t.Fatal("app.css is missing or not GOV.UK Frontend: run static/build.sh")
	}
	for _, u := range regexp.MustCompile(`url\(\s*['"]?([^'")]*)['"]?\s*\)`).FindAllSubmatch(css, -1) {
		ref := string(u[1])
		if strings.HasPrefix(ref, "data:") {
			continue
		}
		name, found := strings.CutPrefix(ref, Prefix)
		if !found {
			t.Errorf("app.css refers to %s, outside %s", ref, Prefix)
			continue
		}
		if _, _, _, ok := Lookup(name); !ok {
			t.Errorf("app.css refers to %s, which is not served", ref)
		}
	}
}

// This is not a GOV.UK service: no GDS Transport font, no crown or Royal Arms.
func TestNoGOVUKBranding(t *testing.T) {
	css, _, _, _ := Lookup("app.css")
	for _, banned := range []string{"GDS Transport", "govuk-crest", "/fonts/"} {
		if bytes.Contains(css, []byte(banned)) {
			t.Errorf("app.css contains %q", banned)
		}
	}
	if !bytes.Contains(css, []byte(`font-family:system-ui,`)) {
		t.Error("app.css does not use the system font stack")
	}
	for name := range byName {
		if strings.Contains(name, "govuk-") && name != "govuk-frontend.min.js" {
			t.Errorf("GOV.UK branded file %s is shipped", name)
		}
	}
}

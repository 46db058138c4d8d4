package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/auth"
)

// TestExportImportCommands backs an organisation up with `export`, restores
// it with `import` into an empty embedded database and, when
// TEST_DATABASE_URL is set, into PostgreSQL, and exports it again there.
func TestExportImportCommands(t *testing.T) {
	source := t.TempDir()
	fx := prepareSaves(t, "", source)
	cli := func(settings map[string]string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, envOf(settings), nil, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	from := map[string]string{"DATA_DIR": source}
	file := filepath.Join(t.TempDir(), "faults.json")
	code, out, errOut := cli(from, "export", "-org", "faults", "-o", file)
	if code != 0 || !strings.Contains(out, "exported faults: 1 people, 1 assessments") {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", info, err)
	}
	doc, _ := os.ReadFile(file)
	for _, secret := range []string{"$argon2id$", fx.token, auth.HashToken(fx.token), "password_hash"} {
		if bytes.Contains(doc, []byte(secret)) {
			t.Errorf("the export contains %q", secret)
		}
	}
	if code, _, errOut := cli(from, "export", "-org", "nope"); code != 1 || !strings.Contains(errOut, "There is no such organisation with the short name nope") {
		t.Errorf("export of an unknown organisation: %d %s", code, errOut)
	}
	if code, _, errOut := cli(from, "export"); code != 2 || !strings.Contains(errOut, "export needs -org SLUG") {
		t.Errorf("export without -org: %d %s", code, errOut)
	}

	exportedAt := regexp.MustCompile(`"exported_at": "[^"]+"`)
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			to := map[string]string{"DATABASE_URL": dbURL(t), "DATA_DIR": t.TempDir()}
			code, out, errOut := cli(to, "import", file)
			if code != 0 || !strings.Contains(out, "imported Faults Constabulary (faults): 1 people, 1 assessments") ||
				!strings.Contains(out, "opened the cycles it needed: 2026/27") || !strings.Contains(out, "Imported people have no password") {
				t.Fatalf("import: %d\n%s%s", code, out, errOut)
			}
			code, again, errOut := cli(to, "export", "-org", "faults")
			if code != 0 {
				t.Fatalf("export after import: %d %s", code, errOut)
			}
			// The clock moved on between the two exports; nothing else may differ.
			if exportedAt.ReplaceAllString(again, "") != exportedAt.ReplaceAllString(string(doc), "") {
				t.Errorf("the export after import differs from the original:\n%s", again)
			}
			if code, out, _ := cli(to, "user", "reset", "-email", fx.email, "-link"); code != 0 || !strings.Contains(out, "/set-password/") {
				t.Errorf("set-password link for an imported person: %d %s", code, out)
			}
			code, _, errOut = cli(to, "import", file)
			if code != 1 || !strings.Contains(errOut, "nothing was imported") || !strings.Contains(errOut, `organisation.slug: this database already has an organisation with the short name \"faults\"`) {
				t.Errorf("second import: %d %s", code, errOut)
			}
		})
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format": "bluelight-toolkit-export/1", "exported_at": "2026-11-23T08:00:00Z", "notes": [], "organisation": {"slug": "x", "colour": "blue"}}`), 0o600)
	code, _, errOut = cli(map[string]string{"DATA_DIR": t.TempDir()}, "import", bad)
	if code != 1 || !strings.Contains(errOut, "organisation.name: is missing") {
		t.Errorf("import of a bad file: %d %s", code, errOut)
	}
	if code, _, errOut := cli(from, "import"); code != 2 || !strings.Contains(errOut, "import needs exactly one export file") {
		t.Errorf("import without a file: %d %s", code, errOut)
	}
}

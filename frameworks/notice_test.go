package frameworks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The toolkit's own editions carry the notice, with the edition's name; the
// same file loaded from a folder of the organisation's (as a licensed
// edition would be) carries none.
func TestContentNotice(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	want := "Blue Light Wellbeing Framework 2024: toolkit demonstration content, not the official licensed wording."
	if got := set.Edition("blwf", "2024").ContentNotice(); got != want {
		t.Errorf("built-in notice = %q, want %q", got, want)
	}
	rm := set.CurrentRiskModel()
	if got := set.ContentNotices("blwf", "2024", rm.Key, rm.Version, "blwf", "2024", "nope", "1"); len(got) != 2 || !strings.HasPrefix(got[1], rm.Title+" "+rm.Version+":") {
		t.Errorf("notices = %q", got)
	}
	data, err := os.ReadFile("data/blwf-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "licensed.yaml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	own, err := LoadSources(Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := own.Edition("blwf", "2024").ContentNotice(); got != "" {
		t.Errorf("an edition loaded from a folder claims to be the toolkit's: %q", got)
	}
	var none *Edition
	if none.ContentNotice() != "" {
		t.Error("no edition has a notice")
	}
}

// The crosswalks in use say whose wording they are, and none presents our
// demonstration first edition's content as the official framework's
// history.
func TestCrosswalksInUseAreLabelled(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][4]string{{"blwf", "2017", "blwf", "2024"}, {"psych-risk", "2026.1", "psych-risk", "2027.1"}} {
		x := set.CrosswalkBetween(pair[0], pair[1], pair[2], pair[3])
		if x == nil {
			t.Fatalf("no crosswalk %v", pair)
		}
		if !strings.HasPrefix(x.Notice, "Toolkit demonstration content, not the official licensed wording.") {
			t.Errorf("crosswalk %s %s has no notice: %q", x.Key, x.Version, x.Notice)
		}
		for _, sec := range crosswalkSections(x) {
			for _, l := range sec.links {
				for _, claim := range []string{"dropped because", "no longer recommended"} {
					if strings.Contains(strings.ToLower(l.Note), claim) {
						t.Errorf("crosswalk %s %s: a note presents invented content as history: %q", x.Key, x.Version, l.Note)
					}
				}
			}
		}
	}
}

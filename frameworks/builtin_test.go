package frameworks

import (
	"testing"
)

// releasedHashes holds every released built-in edition to the content it was
// released with. A failure here means a released file was edited: undo the
// edit and publish the change as a new version instead.
var releasedHashes = map[string]string{
	"blwf 2017":                 "c0334716994271e8850005193f841e3b7a80d4ce3dd4a90394d2ebc2432b3186",
	"blwf 2024":                 "38290706071dea38e9c2cc3c9418f0fc6d97c27592981da2b0423cb012d8ea89",
	"blwf-2017-to-2024 1":       "46408f7a2e04a5982711fe96d4d6a7b8896c0c7e72da381299b5458e597bbb54",
	"blwf-2017-to-2024 2":       "cc372af19e2d4847516a4421ca4772499477a68b2e0b047506bd8fba30e70ea1",
	"psych-risk 2026.1":         "14832efd5f029488b5ea6b50ee4d7066aacace4c976559ac9ee698e48ba6bdb2",
	"ok9-welfare 2026.1":        "7dcd73562d83f12a5efb2f7b27a164c2e26f1535c02f22cb299f9e4bf65a65b1",
	"ok9-welfare 2026.2":        "4e690086c0640f2d38185315f03c48bbe4b09a97f03b9580912914230b6a10ec",
	"psych-risk 2027.1":         "5aaef61ecd412540b6e9cab6a6bc7db748d39761bd343b4e5db8e5f4207b8548",
	"psych-risk-2026-to-2027 1": "c9877fbd9c04135ff8a0e8016f7baf9f7afe028f14e3a1a77be9745aeb261425",
}

func TestReleasedEditionsNeverChange(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range set.Editions {
		if e.Status != StatusReleased {
			continue
		}
		id := e.Key + " " + e.Version
		want, ok := releasedHashes[id]
		if !ok {
			t.Errorf("released edition %s (%s) has no recorded hash: add %q", id, e.File, e.SHA256)
		} else if e.SHA256 != want {
			t.Errorf("released edition %s (%s) changed: sha256 %s, released as %s", id, e.File, e.SHA256, want)
		}
	}
}

// TestBuiltinContent checks the built-in editions carry what the product
// relies on: seven current areas, the previous edition, the tags features
// look for, and a risk model big enough to be useful.
func TestBuiltinContent(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cur, prev := set.Framework("blwf", "2024"), set.Framework("blwf", "2017")
	if cur == nil || prev == nil {
		t.Fatal("both BLWF editions must be built in")
	}
	wantAreas := []string{"Leadership", "Absence Management", "Creating the Environment", "Mental Health", "Personal Resilience", "Protecting the Workforce", "Occupational Health"}
	if len(cur.Areas) != len(wantAreas) {
		t.Fatalf("current edition has %d areas", len(cur.Areas))
	}
	for i, a := range cur.Areas {
		if a.Title != wantAreas[i] || len(a.Standards) < 6 {
			t.Errorf("area %d = %s with %d standards", i, a.Title, len(a.Standards))
		}
		if i < 6 && prev.Areas[i].Title != a.Title {
			t.Errorf("previous edition area %d = %s, want %s", i, prev.Areas[i].Title, a.Title)
		}
	}
	if n := len(cur.Standards()); n < 45 {
		t.Errorf("current edition has %d standards, want 45 or more", n)
	}
	if len(prev.Areas) != 6 {
		t.Errorf("previous edition has %d areas, want 6", len(prev.Areas))
	}
	tags := map[string]int{}
	for _, s := range cur.Standards() {
		for _, tag := range s.Tags {
			tags[tag]++
		}
	}
	for _, tag := range StandardTags {
		if tags[tag] == 0 {
			t.Errorf("no current standard is tagged %s", tag)
		}
	}
	m := set.RiskModel("psych-risk", "2026.1")
	if m == nil || len(m.Likelihood) != 5 || len(m.Severity) != 5 || len(m.Hazards) < 12 || len(m.Controls) < 15 || len(m.Roles) < 18 {
		t.Fatalf("risk model too small: %v", set.Edition("psych-risk", "2026.1").Counts())
	}
	screened := 0
	for _, r := range m.Roles {
		if r.ScreeningProgramme {
			screened++
		}
	}
	if screened < 10 {
		t.Errorf("%d roles are in the national screening programme, want the 10 named in the guidance", screened)
	}
}

func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

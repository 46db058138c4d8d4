package frameworks

import (
	"testing"
)

func n(v int) *int { return &v }

func TestCarryForwardThroughTheCrosswalk(t *testing.T) {
	set, _, err := loadTest(testdataFS(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	// The fixture crosswalk: A1 split into; A2 retired; A3 equal A-03; B-01 new.
	x := set.CrosswalkBetween("mini", "1", "mini", "2")
	if x == nil {
		t.Fatal("crosswalk not found")
	}
	old := map[string]Answer{
		"A1": {Level: n(1), Target: n(2), Evidence: "split me"},
		"A2": {Level: n(0), Evidence: "retired"},
		"A3": {Level: n(1), Evidence: "same", Links: "https://example.org/a3"},
	}
	got := CarryForward(old, set.Framework("mini", "1"), set.Framework("mini", "2"), x)
	for _, id := range []string{"A-01", "A-02"} {
		c := got[id]
		if c.Relation != RelSplit || !c.NeedsReview || *c.Level != 1 || c.Evidence != "split me" {
			t.Errorf("%s = %+v", id, c)
		}
	}
	if c := got["A-03"]; c.Relation != RelEqual || c.NeedsReview || *c.Level != 1 || c.Links != "https://example.org/a3" {
		t.Errorf("A-03 = %+v", c)
	}
	if _, ok := got["B-01"]; ok {
		t.Error("a new standard was given an answer")
	}
	if len(got) != 3 {
		t.Errorf("carried %d answers, want 3", len(got))
	}
}

func TestCarryForwardMergedTakesTheLowestLevel(t *testing.T) {
	from := &Framework{Key: "f", Version: "1", Areas: []Area{{Standards: []Standard{{ID: "X"}, {ID: "Y"}}}}}
	to := &Framework{Key: "f", Version: "2", Areas: []Area{{Standards: []Standard{{ID: "Z"}}}}}
	x := &Crosswalk{From: EditionRef{"f", "1"}, To: EditionRef{"f", "2"}, Mappings: []CrosswalkLink{{Relation: RelMerged, From: []string{"X", "Y"}, To: []string{"Z"}}}}
	got := CarryForward(map[string]Answer{"X": {Level: n(3), Evidence: "x"}, "Y": {Level: n(1), Evidence: "y"}}, from, to, x)["Z"]
	if got.Level == nil || *got.Level != 1 || !got.NeedsReview || got.Evidence != "[X] x\n\n[Y] y" {
		t.Errorf("merged = %+v", got)
	}
	got = CarryForward(map[string]Answer{"X": {Level: n(3)}, "Y": {}}, from, to, x)["Z"]
	if got.Level != nil {
		t.Errorf("a merge with an unanswered source kept level %d", *got.Level)
	}
}

func TestCarryForwardWithinAnEdition(t *testing.T) {
	f := &Framework{Key: "f", Version: "1", Areas: []Area{{Standards: []Standard{{ID: "X"}, {ID: "Y"}}}}}
	got := CarryForward(map[string]Answer{"X": {Level: n(2)}, "Gone": {Level: n(1)}}, f, f, nil)
	if len(got) != 1 || *got["X"].Level != 2 || got["X"].NeedsReview {
		t.Errorf("same edition = %+v", got)
	}
}

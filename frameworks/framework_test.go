package frameworks

import (
	"slices"
	"testing"
)

func TestLevelsAndLabels(t *testing.T) {
	f := &Framework{Scale: []Level{{Level: 0, Label: "Not in place"}, {Level: 1, Label: "Developing"}}}
	if got := f.Levels(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("levels %v", got)
	}
	zero, five := 0, 5
	for _, tc := range []struct {
		level *int
		want  string
	}{{nil, "Not answered"}, {&zero, "0 Not in place"}, {&five, "5"}} {
		if got := f.LevelLabel(tc.level); got != tc.want {
			t.Errorf("LevelLabel(%v) = %q, want %q", tc.level, got, tc.want)
		}
	}
}

// TestLocate: a standard's area and neighbours run on across areas.
func TestLocate(t *testing.T) {
	f := &Framework{Areas: []Area{
		{ID: "LEAD", Standards: []Standard{{ID: "LEAD-01"}, {ID: "LEAD-02"}}},
		{ID: "PEER", Standards: []Standard{{ID: "PEER-01"}}},
	}}
	for _, tc := range []struct{ id, area, prev, next string }{
		{"LEAD-01", "LEAD", "", "LEAD-02"},
		{"LEAD-02", "LEAD", "LEAD-01", "PEER-01"},
		{"PEER-01", "PEER", "LEAD-02", ""},
	} {
		area, st, prev, next, ok := f.Locate(tc.id)
		if !ok || st.ID != tc.id || area.ID != tc.area || prev != tc.prev || next != tc.next {
			t.Errorf("Locate(%s) = %s %s prev %q next %q %v", tc.id, area.ID, st.ID, prev, next, ok)
		}
	}
	if _, _, _, _, ok := f.Locate("NONE-01"); ok {
		t.Error("found a standard that is not there")
	}
}

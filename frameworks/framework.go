package frameworks

import (
	"slices"
	"strconv"
)

// Levels are the levels of the edition's maturity scale, lowest first.
func (f *Framework) Levels() []int {
	out := make([]int, len(f.Scale))
	for i, l := range f.Scale {
		out[i] = l.Level
	}
	return out
}

// LevelLabel names a level as people read it, like "2 Developing"; nil is
// "Not answered".
func (f *Framework) LevelLabel(level *int) string {
	if level == nil {
		return "Not answered"
	}
	for _, l := range f.Scale {
		if l.Level == *level {
			return strconv.Itoa(l.Level) + " " + l.Label
		}
	}
	return strconv.Itoa(*level)
}

// Locate finds a standard, its area, and the ids of the standards before
// and after it in the edition ("" at either end).
func (f *Framework) Locate(id string) (area Area, st Standard, prev, next string, ok bool) {
	all := f.Standards()
	i := slices.IndexFunc(all, func(s Standard) bool { return s.ID == id })
	if i < 0 {
		return area, st, "", "", false
	}
	if i > 0 {
		prev = all[i-1].ID
	}
	if i+1 < len(all) {
		next = all[i+1].ID
	}
	for _, a := range f.Areas {
		if slices.ContainsFunc(a.Standards, func(s Standard) bool { return s.ID == id }) {
			area = a
		}
	}
	return area, all[i], prev, next, true
}

package datefield

import (
	"strings"
	"testing"
)

func TestJoinSplitProblem(t *testing.T) {
	for _, c := range []struct {
		d, m, y      string
		joined, want string // want: Problem of the joined value
	}{
		{"", "", "", "", ""},
		{"27", "3", "2026", "2026-03-27", ""},
		{" 07 ", "03", "2026", "2026-03-07", ""},
		{"29", "2", "2028", "2028-02-29", ""},
		{"29", "2", "2026", "29\x1f2\x1f2026", "must be a real date: February 2026 has 28 days"},
		{"27", "", "2026", "27\x1f\x1f2026", "must include a month"},
		{"", "", "2026", "\x1f\x1f2026", "must include a day and a month"},
		{"32", "3", "2026", "32\x1f3\x1f2026", "must be a real date: the day must be a number from 1 to 31"},
		{"1", "13", "2026", "1\x1f13\x1f2026", "must be a real date: the month must be a number from 1 to 12"},
		{"1", "March", "2026", "1\x1fMarch\x1f2026", "must be a real date: the month must be a number from 1 to 12"},
		{"1", "3", "26", "1\x1f3\x1f26", "must be a real date: the year must have 4 numbers, like 2026"},
	} {
		got := Join(c.d, c.m, c.y)
		if got != c.joined {
			t.Errorf("Join(%q, %q, %q) = %q, want %q", c.d, c.m, c.y, got, c.joined)
		}
		if p := Problem(got); p != c.want {
			t.Errorf("Problem(%q) = %q, want %q", got, p, c.want)
		}
	}
	if d, m, y := Split("2026-03-07"); d != "7" || m != "3" || y != "2026" {
		t.Errorf("Split(ISO) = %s %s %s", d, m, y)
	}
	if d, m, y := Split("32\x1f3\x1f2026"); d != "32" || m != "3" || y != "2026" {
		t.Errorf("Split(typed) = %s %s %s, want them as typed", d, m, y)
	}
	if d, m, y := Split("2026-13-01"); d != "01" || m != "13" || y != "2026" {
		t.Errorf("Split(a wrong one-piece date) = %s %s %s, want its parts as typed", d, m, y)
	}
	for v, want := range map[string]string{"32\x1f3\x1f2026": "day", "1\x1f13\x1f26": "month year", "\x1f\x1f2026": "day month", "29\x1f2\x1f2026": "day", "2026-13-01": ""} {
		if got := strings.Join(Wrong(v), " "); got != want {
			t.Errorf("Wrong(%q) = %q, want %q", v, got, want)
		}
	}
	if Problem("2026-03-07") != "" || Problem("not a date") != "" {
		t.Error("Problem judged a value not typed in three fields")
	}
}

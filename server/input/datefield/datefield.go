// Package datefield is the GOV.UK date input's three fields (day, month,
// year) joined into one value and split again. It sits apart from input so
// that the templates (server/views) can split a value without importing
// the rules: input reads and checks dates, the partial "date" shows them.
package datefield

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sep joins the parts of a date that is not yet a real date, so that what
// was typed is shown back as typed. Forms refuse control characters, so it
// cannot be typed itself.
const sep = "\x1f"

// oneLine is a date written in one piece, year first, real or not.
var oneLine = regexp.MustCompile(`^(\d+)-(\d+)-(\d+)$`)

// Join is the value of a date typed in three fields: "" when all are
// blank, YYYY-MM-DD when they make a real date (a four-digit year), and
// otherwise the parts as typed, which no date check accepts.
func Join(day, month, year string) string {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return ""
	}
	if t, ok := real(day, month, year); ok {
		return t.Format(time.DateOnly)
	}
	return day + sep + month + sep + year
}

// Split is a value's three parts for the fields: those typed, or the day,
// month and year of a YYYY-MM-DD date (without leading zeros).
func Split(v string) (day, month, year string) {
	if parts := strings.Split(v, sep); len(parts) == 3 {
		return parts[0], parts[1], parts[2]
	}
	v = strings.TrimSpace(v)
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		t, err = time.Parse(time.RFC3339, v)
	}
	if err == nil {
		return strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())
	}
	if m := oneLine.FindStringSubmatch(v); m != nil { // like 2026-13-01: shown as typed
		return m[3], m[2], m[1]
	}
	return "", "", ""
}

// Problem says what is wrong with a date typed in three fields, in words
// that follow its name: "must include a month", "must be a real date: the
// day must be from 1 to 31". It is "" for any other value: blank, or a
// date written in one piece, whose rules are the caller's.
func Problem(v string) string {
	parts := strings.Split(v, sep)
	if len(parts) != 3 {
		return ""
	}
	day, month, year := parts[0], parts[1], parts[2]
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	switch len(missing) {
	case 1:
		return "must include a " + missing[0]
	case 2:
		return "must include a " + missing[0] + " and a " + missing[1]
	}
	d, dErr := strconv.Atoi(day)
	m, mErr := strconv.Atoi(month)
	y, yErr := strconv.Atoi(year)
	switch {
	case dErr != nil || d < 1 || d > 31:
		return "must be a real date: the day must be a number from 1 to 31"
	case mErr != nil || m < 1 || m > 12:
		return "must be a real date: the month must be a number from 1 to 12"
	case yErr != nil || len(year) != 4:
		return "must be a real date: the year must have 4 numbers, like 2026"
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return "must be a real date: " + time.Month(m).String() + " " + year + " has " + strconv.Itoa(last) + " days"
}

// Wrong names the fields of a date typed in three fields that Problem
// finds wrong ("day", "month", "year"), for the page to mark; none for any
// other value, where the whole date is marked.
func Wrong(v string) []string {
	parts := strings.Split(v, sep)
	if len(parts) != 3 {
		return nil
	}
	var out []string
	for i, name := range []string{"day", "month", "year"} {
		n, err := strconv.Atoi(parts[i])
		switch {
		case parts[i] == "":
			out = append(out, name)
		case name == "day" && (err != nil || n < 1 || n > 31),
			name == "month" && (err != nil || n < 1 || n > 12),
			name == "year" && (err != nil || len(parts[i]) != 4):
			out = append(out, name)
		}
	}
	if len(out) == 0 { // each part is right alone, not together: a day past the month's end
		out = []string{"day"}
	}
	return out
}

func real(day, month, year string) (time.Time, bool) {
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || err3 != nil || len(year) != 4 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

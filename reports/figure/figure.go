// Package figure holds the small value types the report renderers share: a
// number that may be suppressed or missing, and a percentile band. Renderers
// print a suppressed figure as the word "suppressed", never as a number, so
// whoever fills a report cannot leak a hidden value by mistake: a Value that
// is not Known carries no number at all.
package figure

import (
	"math"
	"strconv"
	"strings"
)

// State says whether a Value holds a number and, if not, why.
type State int

const (
	// Known is a number that may be shown.
	Known State = iota
	// Missing means the data to work the figure out was not there (for
	// example no workforce figure for the year).
	Missing
	// Suppressed means the figure exists but must not be shown, because the
	// group behind it is too small (primary suppression) or because it would
	// let a suppressed figure be worked out (secondary suppression).
	Suppressed
)

// Value is one figure in a report.
//
// The zero Value is a known 0. Build values with Of, MissingValue and
// SuppressedValue so the intent is clear at the call site.
type Value struct {
	// V is the number. Ignored unless State is Known.
	V float64
	// State says whether V may be shown.
	State State
	// Note says why a figure is missing or suppressed, e.g. "workforce
	// figure missing" or "fewer than 10 organisations in the group". Reports
	// print it beside the figure where there is room.
	Note string
	// Source says where the figure came from (a table, a return, a cycle),
	// so a reader can trace it. Optional; the business case lists it.
	Source string
}

// Of is a known value.
func Of(v float64) Value { return Value{V: v} }

// MissingValue is a figure that could not be worked out, with the reason.
func MissingValue(note string) Value { return Value{State: Missing, Note: note} }

// SuppressedValue is a figure that must not be shown, with the reason.
func SuppressedValue(note string) Value { return Value{State: Suppressed, Note: note} }

// WithSource returns the value with its source set.
func (v Value) WithSource(s string) Value { v.Source = s; return v }

// Ok reports whether the value holds a number that may be shown.
func (v Value) Ok() bool { return v.State == Known && !math.IsNaN(v.V) && !math.IsInf(v.V, 0) }

// Format prints the value with the given number of decimals and thousands
// separators, or "suppressed" / "no figure" when it holds no number (the
// reason goes beside it, from Note).
func (v Value) Format(decimals int) string {
	switch {
	case v.State == Suppressed:
		return "suppressed"
	case !v.Ok():
		return "no figure"
	}
	return Number(v.V, decimals)
}

// Rounded is x rounded to decimals places exactly as Number prints it.
func Rounded(x float64, decimals int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', max(decimals, 0), 64), 64)
	if v == 0 {
		return 0 // no "-0"
	}
	return v
}

// Number prints x with thousands separators, e.g. 84300 -> "84,300".
func Number(x float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Money prints a sum in pounds with no pence, e.g. "£84,300".
func Money(x float64) string {
	if x < 0 {
		return "-£" + Number(-x, 0)
	}
	return "£" + Number(x, 0)
}

// Band is where a figure falls among a comparison group, in the HSE
// Management Standards style of percentile bands.
type Band int

const (
	// BandNone means no band: the figure or the group is missing or
	// suppressed, or the group is too small to band against.
	BandNone Band = iota
	BandBelow20
	Band20To50
	Band50To80
	BandAbove80
)

// String is the band in words, as printed in every report.
func (b Band) String() string {
	switch b {
	case BandBelow20:
		return "below 20th percentile"
	case Band20To50:
		return "20th to 50th percentile"
	case Band50To80:
		return "50th to 80th percentile"
	case BandAbove80:
		return "above 80th percentile"
	}
	return "no band"
}

// BandOf places x against a group's 20th percentile, median and 80th
// percentile. A value exactly on a cut point goes in the upper band. It
// returns BandNone if any figure is not Known.
func BandOf(x, p20, median, p80 Value) Band {
	if !x.Ok() || !p20.Ok() || !median.Ok() || !p80.Ok() {
		return BandNone
	}
	switch {
	case x.V < p20.V:
		return BandBelow20
	case x.V < median.V:
		return Band20To50
	case x.V < p80.V:
		return Band50To80
	}
	return BandAbove80
}

// Money2 prints a sum in pounds and pence, e.g. "£84.30".
func Money2(x float64) string {
	if x < 0 {
		return "-£" + Number(-x, 2)
	}
	return "£" + Number(x, 2)
}

package figure

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Count is a whole number with its noun, singular for exactly one as
// printed: "1 handler", "2 handlers", "1,200 people". Pages, PDFs and
// workbooks use it so that no report says "1 handlers".
func Count(n float64, one, many string) string {
	s := Number(n, 0)
	return s + " " + Noun(n, one, many)
}

// Noun is one or many by whether n prints as 1.
func Noun(n float64, one, many string) string {
	if Number(n, 0) == "1" {
		return one
	}
	return many
}

// Verb is "is" or "are" (or any other pair) to agree with n.
func Verb(n float64, one, many string) string { return Noun(n, one, many) }

// Pounds prints a sum of money as reports show it: whole pounds with
// thousands separated ("£55,000"), and pence only when there are any
// ("£84.30"), so a table of costs never mixes "£55,000" with "£55,000.00".
func Pounds(x float64) string {
	if math.Abs(x-math.Round(x)) < 0.005 {
		return Money(x)
	}
	return Money2(x)
}

// Capitalise makes the first letter upper case, for a name that starts a
// heading, a row or a sentence ("fire" becomes "Fire").
func Capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// SectorName is a sector as written in prose: "Police", "Fire and
// rescue", "Ambulance"; any other sector is capitalised as given.
func SectorName(sector string) string {
	switch strings.ToLower(strings.TrimSpace(sector)) {
	case "fire":
		return "Fire and rescue"
	}
	return Capitalise(sector)
}

// SectorPlural names a sector's organisations in prose: "police forces",
// "fire and rescue services", "ambulance services".
func SectorPlural(sector string) string {
	switch strings.ToLower(strings.TrimSpace(sector)) {
	case "police":
		return "police forces"
	case "fire":
		return "fire and rescue services"
	case "ambulance":
		return "ambulance services"
	}
	return "organisations of your kind"
}

// ChiefOfficer is the title of the chief officer of a service in the
// sector, who signs off its self-assessment and receives its reports:
// the chief constable of a police force, the chief fire officer of a fire
// and rescue service, the chief executive of an ambulance service (and of
// anything else).
func ChiefOfficer(sector string) string {
	switch strings.ToLower(strings.TrimSpace(sector)) {
	case "police":
		return "Chief Constable"
	case "fire":
		return "Chief Fire Officer"
	}
	return "Chief Executive"
}

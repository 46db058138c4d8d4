// Package benchmarkpdf renders an organisation's benchmark report as a PDF:
// how its self-assessment against the Blue Light Wellbeing Framework, its
// provision (OK9 dogs, peer supporters, screening) and its high-risk roles
// compare with the national group and a peer group.
//
// It is a pure renderer: fill a Report (from the store and the benchmark
// engine) and call Render. It computes no statistics itself apart from the
// change since last cycle; every median, quartile and band is passed in, and
// whatever the engine suppressed arrives as a figure.Value that is not Known,
// which prints as "suppressed" and never as a number.
package benchmarkpdf

import (
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Report is everything one benchmark report shows.
type Report struct {
	// Organisation is the display name, in whatever language the
	// organisation uses (e.g. "Heddlu Dyfed-Powys").
	Organisation string
	// Cycle names the assessment cycle, e.g. "2025/26".
	Cycle string
	// FrameworkEdition names the edition assessed against, e.g. "Blue Light
	// Wellbeing Framework, third edition (2024)".
	FrameworkEdition string
	// Notices say whose wording the framework and risk model shown are
	// (frameworks.Set.ContentNotices); printed on the cover.
	Notices []string
	// Produced is the date the report was produced. It is printed on the
	// cover and written as the PDF creation date, so the same Report always
	// gives the same bytes.
	Produced time.Time
	// Author goes in the PDF metadata; "National Police Wellbeing Service"
	// if empty.
	Author string
	// Lang is the BCP 47 language of the text, "en-GB" if empty.
	Lang string

	// NationalGroup and PeerGroup describe the two comparison groups,
	// e.g. "All 43 territorial police forces that submitted (n=41)" and
	// "Police forces with 2,000 to 5,000 staff (n=12)".
	NationalGroup, PeerGroup string
	// Comparator is the comparison group in a column heading: "Peer" for
	// the organisation's peer group, "Sector" when the report compares
	// with the sector instead ("Sector median"). "Peer" if empty.
	Comparator string

	// Scale is the framework's maturity scale, lowest first (e.g. 0 "Not in
	// place" to 4 "Exemplary"). It sets the chart's axis.
	Scale []Level

	// Overall is the organisation's overall maturity; Areas one row per
	// framework area, in framework order.
	Overall Result
	Areas   []Result

	// Standards is one row per standard, in framework order.
	Standards []StandardRow

	// Changes compares this cycle with the last one, area by area or
	// standard by standard.
	Changes []ChangeRow
	// PreviousCycle names the cycle Changes compares with, e.g. "2024/25".
	PreviousCycle string

	// Provision is a list of provision indicators (OK9 dogs and handlers per
	// 1,000 staff, peer supporters per 1,000, screening compliance ...).
	Provision []Indicator

	// HeatMap counts the organisation's assessed roles in each cell of the
	// risk matrix. Nil leaves the section out.
	HeatMap *HeatMap

	// TraumaGroups are the organisation's high and very high risk roles by
	// the trauma guidance's three groups, as text under the disclosure
	// rules (counts under 5 withheld). Empty leaves the section out.
	TraumaGroups []GroupRow

	// Findings is the one-page summary after the cover; nil leaves it out.
	Findings *KeyFindings

	// Method explains how the figures were computed; blank lines separate
	// paragraphs.
	Method string
	// Suppressed lists, one line each, what was suppressed and why
	// (e.g. "Peer median for Occupational Health: fewer than 5 organisations").
	Suppressed []string
}

// GroupRow is one trauma group's figures: roles and people in high or very
// high risk roles, and their screening compliance, each as printed.
type GroupRow struct {
	Label, Roles, People, Compliance string
}

// Level is one step of the maturity scale.
type Level struct {
	Value int
	Label string
}

// Group is the distribution of a figure across a comparison group.
type Group struct {
	Median figure.Value
	// Q1 and Q3 are the 25th and 75th percentiles: the interquartile range
	// drawn on the chart.
	Q1, Q3 figure.Value
	// N is how many organisations are in the group for this figure.
	N int
}

// Result is a maturity figure (overall or one area) with its benchmarks.
type Result struct {
	// ID and Title name the area, e.g. "LEAD", "Leadership". Overall uses
	// an empty ID and the title "Overall".
	ID, Title string
	// Value is the organisation's mean maturity level on the framework scale.
	Value figure.Value
	// National and Peer are the groups' distributions.
	National, Peer Group
	// NationalBand and PeerBand place Value among each group.
	NationalBand, PeerBand figure.Band
}

// StandardRow is one standard in the full table.
type StandardRow struct {
	ID string
	// Statement is a short form of the standard's statement (one line is
	// best; longer text wraps).
	Statement string
	// Area is the area title, used to group the table.
	Area string
	// Level and Target are the organisation's current and target levels.
	Level, Target figure.Value
	// NationalMedian and PeerMedian are the groups' median levels.
	NationalMedian, PeerMedian figure.Value
	// Band places Level among the national group.
	Band figure.Band
}

// ChangeRow compares a figure with the last cycle. The change is worked
// out here: Current minus Previous, when both are Known and the row is
// comparable.
type ChangeRow struct {
	Label             string
	Previous, Current figure.Value
	// NotComparable marks a row whose definition changed between cycles
	// (e.g. a standard split between framework editions): it prints "not
	// comparable" in place of the change.
	NotComparable bool
	// Note explains, e.g. "standard split in the 2024 edition".
	Note string
}

// Indicator is one provision benchmark row.
type Indicator struct {
	// Label names the indicator, e.g. "OK9 dogs per 1,000 staff".
	Label string
	// Value is the organisation's figure, GroupMedian the peer group median.
	Value, GroupMedian figure.Value
	// Unit is printed after the figures, e.g. "per 1,000 staff" or "%".
	Unit string
	// Decimals is how many decimal places to print.
	Decimals int
	// Band places Value in the peer group.
	Band figure.Band
	// Note explains anything odd, e.g. "workforce figure missing".
	Note string
}

// HeatMap is a likelihood x severity matrix with a count of roles per cell.
type HeatMap struct {
	// Likelihood and Severity label the rows and columns, lowest first
	// (e.g. "1 Rare" ... "5 Almost certain").
	Likelihood, Severity []string
	// Cells[l][s] is the cell for Likelihood[l] and Severity[s].
	Cells [][]HeatCell
	// Basis says which rating is counted, e.g. "Residual risk after
	// controls, 23 roles assessed".
	Basis string
}

// HeatCell is one cell of the heat map.
type HeatCell struct {
	// Count is the number of roles rated in this cell.
	Count int
	// Band is the risk band's name in words, e.g. "very high".
	Band string
	// Colour is the band's colour as "#rrggbb", from the matrix file.
	Colour string
}

// Text is the change as the report prints it, to one decimal place.
func (c ChangeRow) Text() string { return Change(c, 1) }

// ComparatorWord is Comparator, "Peer" if empty.
func (r Report) ComparatorWord() string {
	if r.Comparator == "" {
		return "Peer"
	}
	return r.Comparator
}

// AgainstComparator heads the band column: "Against peers", "Against sector".
func (r Report) AgainstComparator() string {
	if c := r.ComparatorWord(); c != "Peer" {
		return "Against " + strings.ToLower(c)
	}
	return "Against peers"
}

// ComparatorPhrase is the comparison group in a sentence: "the peer
// group", "the sector".
func (r Report) ComparatorPhrase() string {
	switch c := r.ComparatorWord(); c {
	case "Peer":
		return "the peer group"
	case "Comparator":
		return "the comparison group"
	default:
		return "the " + strings.ToLower(c)
	}
}

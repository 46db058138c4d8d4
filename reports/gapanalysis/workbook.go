// Package gapanalysis writes an organisation's gap analysis as an Excel
// workbook: a summary with a native chart, every gap with its priority,
// the high-risk role register, provision and the benchmark figures behind
// it all, and notes on method. It is a pure renderer: plain structs in,
// XLSX bytes out.
//
// Every text cell that can hold user input and looks like a formula is
// marked with Excel's quote prefix, so a spreadsheet cannot take it for
// one. Every number carries a number format (a
// level 0.0, a count #,##0, a date d mmm yyyy, a metric its decimals); a
// suppressed or missing figure leaves its cell blank, never a number or a
// word in a numeric column, with the reason in a comment on the cell.
package gapanalysis

import (
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/actionstatus"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Sheet names, in workbook order.
const (
	SheetSummary    = "Summary"
	SheetGaps       = "Gaps"
	SheetRisks      = "Risk register"
	SheetProvision  = "Provision"
	SheetBenchmarks = "Benchmark figures"
	SheetNotes      = "Notes"
)

// Workbook is everything Build writes.
type Workbook struct {
	// Organisation, Cycle and Edition head the Summary sheet, e.g.
	// "Heddlu Gwent", "2025/26", "Blue Light Wellbeing Framework, third
	// edition (2024)".
	Organisation, Cycle, Edition string
	// Notices say whose wording the framework and risk model shown are
	// (frameworks.Set.ContentNotices): on the Summary sheet under the
	// heading, and in the Notes.
	Notices []string
	// Comparator names the comparison group in column headings: "Peer"
	// (the default) or "Sector" when the organisation's peer group was too
	// small to compare with.
	Comparator string
	// Produced is printed on the Summary sheet and written as the
	// workbook's created date, so the same input gives the same content.
	Produced time.Time

	// Areas is the organisation's mean maturity per framework area with the
	// national and peer medians, charted on the Summary sheet.
	Areas []Area
	// Gaps is one row per standard (or only the standards with a gap), in
	// framework order.
	Gaps []Gap
	// Risks is the high-risk role register.
	Risks []Risk
	// Provision is the provision indicators.
	Provision []Indicator
	// Benchmarks are the group statistics the report used.
	Benchmarks []Benchmark

	// Method explains how the figures were computed; SuppressionRule the
	// rule used to hide figures (e.g. "Figures from fewer than 5
	// organisations are suppressed, and so is any figure that would let a
	// suppressed one be worked out"). Both go on the Notes sheet; blank
	// lines separate paragraphs.
	Method, SuppressionRule string
}

// Area is one framework area's maturity.
type Area struct {
	Title                             string
	Value, NationalMedian, PeerMedian figure.Value
}

// Gap is one standard's row on the Gaps sheet. Gap and Priority are worked
// out by Build with the Priority rule.
type Gap struct {
	StandardID, Area string
	// Statement is the standard's statement, shortened if need be.
	Statement string
	// Current and Target are the organisation's levels.
	Current, Target figure.Value
	// NationalMedian and PeerMedian are the groups' median levels.
	NationalMedian, PeerMedian figure.Value
	// Actions, Owner and Status come from the organisation's action plan
	// (user text). Status should be one of Statuses, the least advanced of
	// the standard's actions; the column offers them as a drop-down. Empty
	// Actions and Status is a standard with no actions, shown as
	// actionstatus.NoActions.
	Actions, Owner, Status string
	// Due is the action's due date; zero leaves the cell blank.
	Due time.Time
}

// Risk is one role in the high-risk role register.
type Risk struct {
	Role string
	// Headcount is the number of people in the role.
	Headcount figure.Value
	// Band is the role's overall risk band in words, e.g. "very high".
	Band string
	// NextReview and NextScreening are due dates; zero leaves them blank.
	NextReview, NextScreening time.Time
	// Overdue is true when the review or screening is past due.
	Overdue bool
}

// Indicator is one provision indicator.
type Indicator struct {
	// Label names it, e.g. "OK9 dogs per 1,000 staff"; Unit e.g. "per 1,000".
	Label, Unit                       string
	Value, PeerMedian, NationalMedian figure.Value
	// Band places Value among the peer group.
	Band figure.Band
	// Note explains anything odd, e.g. "workforce figure missing".
	Note string
	// Decimals is how many decimal places the figures show, as the PDF
	// prints them.
	Decimals int
}

// Benchmark is one group statistic: a metric's distribution over a group.
type Benchmark struct {
	// Metric, e.g. "Leadership mean level"; Group, e.g. "Peer: police forces
	// with 1,500 to 3,000 staff".
	Metric, Group string
	// N is how many organisations the group holds for this metric.
	N int
	// Median, quartiles and the 20th and 80th percentiles; any may be
	// suppressed.
	Median, Q1, Q3, P20, P80 figure.Value
	// Unit and Decimals say how the figures read: "%" is a percentage,
	// anything else a number with Decimals places.
	Unit     string
	Decimals int
}

// Statuses are the statuses an action may have, offered as a drop-down on
// the Gaps sheet: the one list the web forms and every workbook share. A
// standard with no actions shows actionstatus.NoActions instead, which
// the drop-down also accepts so the row stays valid.
var Statuses = actionstatus.Statuses

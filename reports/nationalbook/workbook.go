// Package nationalbook writes the national workbook for the National
// Police Wellbeing Service: every organisation's scores and indicators,
// named, one row each; the distribution of every metric per group; each
// organisation's submission status with a count by sector; and notes on
// method and suppression. It is for national admins only, since it names
// organisations. It is a pure renderer: plain structs in, XLSX bytes out.
//
// The two large sheets are written with excelize's stream writer, so a
// workbook of 1,000 organisations and 80 metrics takes a fraction of a
// second. Every text cell that looks like a formula is marked with
// Excel's quote prefix; every
// number carries its metric's format; suppressed figures leave their cell
// blank, never a number, and the row's last column names them.
package nationalbook

import (
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Sheet names, in workbook order.
const (
	SheetOrganisations = "Organisations"
	SheetDistributions = "Distributions"
	SheetSubmission    = "Submission status"
	SheetNotes         = "Notes"
)

// Workbook is everything Build writes.
type Workbook struct {
	// Cycle and Edition name the assessment cycle and framework edition,
	// e.g. "2025/26" and "Blue Light Wellbeing Framework, third edition
	// (2024)".
	Cycle, Edition string
	// Notices say whose wording the framework and risk model shown are
	// (frameworks.Set.ContentNotices); on the Notes sheet, first section.
	Notices []string
	// TraumaGroups are the high-risk roles by the trauma guidance's three
	// groups, as the summary publishes them; on the Notes sheet.
	TraumaGroups []TraumaGroupRow
	// Produced is written on the Notes sheet and as the workbook's created
	// date, so the same input gives the same content.
	Produced time.Time
	// Metrics are the metric columns of the Organisations sheet, in order.
	Metrics []Metric
	// Orgs is one row per organisation, in the order the caller sorted them.
	Orgs []Org
	// Distributions is one row per group and metric.
	Distributions []Distribution
	// Method explains how the figures were computed; SuppressionRule the
	// rule used to hide figures. Blank lines separate paragraphs.
	Method, SuppressionRule string
	// Suppressed lists, one line each, the figures that were suppressed and
	// why.
	Suppressed []string
}

// TraumaGroupRow is one trauma group's figures as published: roles and
// people in high or very high risk roles and their screening compliance,
// or why a figure is withheld.
type TraumaGroupRow struct {
	Label, Roles, People, Compliance string
}

// Metric is one metric column.
type Metric struct {
	// Key identifies the metric (e.g. "area.LEAD"); Label heads its column
	// (e.g. "Leadership"); Unit says what it counts (e.g. "mean level",
	// "per 1,000 staff", "%").
	Key, Label, Unit string
	// Decimals is how many decimal places the column shows (0 to 6); the
	// cell keeps the full number.
	Decimals int
}

// Org is one organisation's row.
type Org struct {
	Name, Sector, Nation, Region, PeerGroup string
	// Status is one of Statuses.
	Status string
	// SubmittedOn is when the assessment was submitted; zero leaves the cell
	// blank.
	SubmittedOn time.Time
	// Workforce is the organisation's headcount.
	Workforce figure.Value
	// Values is aligned with Workbook.Metrics. A Missing or Suppressed
	// value leaves its cell blank; the row's Suppressed figures column
	// names the suppressed ones.
	Values []figure.Value
}

// Distribution is one metric's distribution over one group.
type Distribution struct {
	// Group names the group, e.g. "All organisations", "Sector: Police",
	// "Region: North East".
	Group string
	// Metric is the metric's label, as in Workbook.Metrics (its unit and
	// decimals are looked up by label).
	Metric string
	// N is how many organisations the figures rest on.
	N                                        int
	Mean, Median, Q1, Q3, P20, P80, Min, Max figure.Value
}

// Statuses an organisation's assessment may have, in the order the
// Submission status sheet counts them.
var Statuses = []string{"validated", "submitted", "returned", "draft", "not started"}

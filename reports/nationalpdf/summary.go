// Package nationalpdf writes the national benchmark summary as a PDF fit
// to publish: submission counts by sector, medians by group with charts,
// provision and risk indicators, and how the figures were computed. No
// organisation is named anywhere in it: the input holds only groups and
// counts, and disclosure control has been applied before it gets here, so
// suppressed figures arrive without a number to print (they print as the
// word "suppressed"; a suppressed bar is a labelled gap in the chart).
// It is a pure renderer: plain structs in, PDF bytes out.
package nationalpdf

import (
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Summary is everything Render writes.
type Summary struct {
	// Cycle and Edition name the assessment cycle and framework edition.
	Cycle, Edition string
	// Notices say whose wording the framework and risk model shown are
	// (frameworks.Set.ContentNotices); printed on the cover.
	Notices []string
	// TraumaGroups are the high and very high risk roles by the trauma
	// guidance's three groups across every organisation, as text under the
	// disclosure rules. Empty leaves the section out.
	TraumaGroups []TraumaGroupRow
	// Produced is printed on the cover and written as the PDF creation
	// date, so the same Summary always gives the same bytes.
	Produced time.Time
	// Lang is the BCP 47 language of the text; "en-GB" if empty.
	Lang string
	// KeyMessages are the summary's findings in sentences, printed first.
	KeyMessages []string
	// Submission is one row per sector.
	Submission []SubmissionRow
	// Groups are the maturity tables, e.g. "National", "By sector", "By
	// nation", "By region", "By peer group". Tables with Chart set also get
	// a chart per row.
	Groups []GroupTable
	// Provision are the provision and risk indicator tables (OK9 dogs per
	// 1,000 staff, peer supporters per 1,000, screening compliance, people
	// in high and very high risk roles per 1,000 ...).
	Provision []GroupTable
	// Method explains how the figures were computed; SuppressionRule is the
	// disclosure rule applied. Blank lines separate paragraphs.
	Method, SuppressionRule string
	// Suppressed lists, one line each, what was suppressed and why. It must
	// name groups, never organisations.
	Suppressed []string
}

// SubmissionRow counts a sector's organisations by where their assessment
// stands. Submitted, InProgress and NotStarted must add up to
// Organisations.
type SubmissionRow struct {
	Sector string
	// Organisations is how many organisations the sector has.
	Organisations int
	// Submitted counts submitted or validated assessments; InProgress
	// draft or returned ones; NotStarted organisations with none.
	Submitted, InProgress, NotStarted int
}

// GroupTable is one table of medians, a row per group.
type GroupTable struct {
	// Title heads the table, e.g. "By region".
	Title string
	// Note is printed under the title, e.g. "Median mean maturity level on
	// the 0 to 4 scale."
	Note string
	// Metrics are the column labels, e.g. "Overall" and the area titles.
	Metrics []string
	// Decimals is aligned with Metrics: how many decimal places each
	// column prints. Nil, or a short slice, means 1.
	Decimals []int
	// Chart draws, for each row, a chart of the median per metric with the
	// interquartile range (for example for the national group and for each
	// sector). It applies to Summary.Groups only, which share one scale;
	// provision tables mix units and are never charted.
	Chart bool
	Rows  []GroupRow
}

// GroupRow is one group's medians.
type GroupRow struct {
	// Group names the group, e.g. "All organisations", "Police", "North
	// East".
	Group string
	// N is how many organisations the group's figures rest on.
	N int
	// Medians is aligned with the table's Metrics.
	Medians []figure.Value
	// Q1 and Q3 are the 25th and 75th percentiles, aligned with Metrics,
	// drawn as the range on the chart; nil draws no range.
	Q1, Q3 []figure.Value
}

// TraumaGroupRow is one trauma group's national figures, each as printed:
// roles and people in high or very high risk roles and their screening
// compliance, or why a figure is withheld.
type TraumaGroupRow struct {
	Label, Roles, People, Compliance string
}

package benchmark

import (
	"fmt"
	"strings"
)

// Suppressions lists what was suppressed and why, one line per (group,
// metric), e.g. "Region: North East — Leadership (mean level): fewer than
// 5 organisations", or for a mean hidden by secondary suppression "...: mean
// hidden so that ...; the median is shown". A group whose every figure is
// suppressed for the same reason gets one line, "Region: North East — every
// figure: ..." ("every metric" for secondary suppression). Lines come
// in report order: national, sector, nation, region, peer group, groups by
// name, metrics in dataset order.
func (r *Result) Suppressions() []string {
	return r.SuppressionsOf(func(GroupKey, string) bool { return true })
}

// SuppressionsOf is Suppressions for the figures an output prints: the
// groups and metrics printed says it prints, so that a publication lists
// only what it withholds itself.
func (r *Result) SuppressionsOf(printed func(g GroupKey, metric string) bool) []string {
	var out []string
	ng, nm := len(r.groups), len(r.metrics)
	for g, key := range r.groups {
		var hidden []int // metric indices
		withData := 0
		sameReason := true
		for j := range nm {
			c := r.cells[j*ng+g]
			if c.n == 0 || !printed(key, r.metrics[j].Key) {
				continue
			}
			withData++
			if c.hidden == shown {
				continue
			}
			if len(hidden) > 0 && r.cells[hidden[0]*ng+g].hidden != c.hidden {
				sameReason = false
			}
			hidden = append(hidden, j)
		}
		if len(hidden) >= 2 && len(hidden) == withData && sameReason {
			h := r.cells[hidden[0]*ng+g].hidden
			out = append(out, fmt.Sprintf("%s — every %s: %s", key.Label(), r.what(h), r.lineReason(h)))
			continue
		}
		for _, j := range hidden {
			out = append(out, fmt.Sprintf("%s — %s: %s", key.Label(), r.metrics[j].name(), r.lineReason(r.cells[j*ng+g].hidden)))
		}
	}
	return out
}

// what is what a group line covers: every figure of a group too small, or
// every metric of a group whose means are hidden to protect another.
func (r *Result) what(h hideReason) string {
	if h == hiddenSmall {
		return "figure"
	}
	return "metric"
}

// lineReason is a reason as the list of suppressions gives it: secondary
// suppression hides the mean only, and says so.
func (r *Result) lineReason(h hideReason) string {
	if h == hiddenSmall {
		return r.primaryReason
	}
	return "mean " + secondaryReason + "; the median is shown"
}

func (r *Result) reason(h hideReason) string {
	if h == hiddenSmall {
		return r.primaryReason
	}
	return secondaryReason
}

// Rule is the disclosure rule and the percentile method in plain words, for
// the method section of every report that uses this result. Paragraphs are
// separated by a blank line.
func (r *Result) Rule() string {
	var b strings.Builder
	fmt.Fprintf(&b, "A group figure (mean, median, quartiles, percentiles, lowest and highest) that rests on fewer than %d organisations is not shown: "+
		"the report says \"suppressed\" and gives the number of organisations only.\n\n", r.minGroup)
	fmt.Fprintf(&b, "In a small group the quartiles and percentiles are the members' own figures, so a group's quartiles, 20th and 80th percentiles, "+
		"lowest and highest are shown only when it has at least %d organisations (the GP Patient Survey threshold); "+
		"from %d to %d organisations only the median is shown. Every group figure is rounded to the precision the report shows "+
		"(one decimal place for maturity levels and most rates, whole per cent for percentages). "+
		"Bands (below the 20th percentile, 20th to 50th, 50th to 80th, above the 80th) need the 20th and 80th percentiles, "+
		"so against a group of fewer than %d organisations no band is given.\n\n", r.minQuantile(), r.minGroup, r.minQuantile()-1, r.minQuantile())
	fmt.Fprintf(&b, "Because a mean times its number of organisations is a total, and a group's total is the sum of the totals of the smaller groups it is made of, "+
		"a suppressed figure could otherwise be worked out by subtraction. So wherever a shown group is made up of smaller groups "+
		"(all organisations by sector, nation, region or peer group, or a group by the smaller groups wholly inside it, such as a nation by its regions) "+
		"and only one part would be hidden, the mean of the smallest of the other parts is hidden too (the first by name among equals); "+
		"organisations in no group of that kind count as one hidden part. "+
		"A final check of all the shown totals taken together hides more groups, smallest first, "+
		"wherever combining groups of different kinds would still give the total of fewer than %d organisations; "+
		"both steps repeat until nothing small can be worked out. A median cannot be worked out by subtraction, so it is not hidden this way. "+
		"An organisation always sees its own figures.\n\n", r.minGroup)
	b.WriteString("Medians, quartiles and the 20th and 80th percentiles are worked out by linear interpolation between the closest ranks, " +
		"the method of Excel's PERCENTILE.INC: with the n figures sorted from lowest to highest, the p-th percentile sits at rank 1 + (n − 1) × p/100, " +
		"part way between the two figures either side of that rank.")
	return b.String()
}

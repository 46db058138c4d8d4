package reporting

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// FindingsRule says how the summary picks strengths and gaps.
const FindingsRule = "How these were chosen: strengths are the standards where your level is above both the median of the group you are compared with and the national median, largest lead first; priority gaps are the standards where your level is below both, those with no improvement action planned first, then the largest shortfall. Standards not answered, or without both medians, are not counted. At most three of each."

// findings writes the one-page summary from the report's own figures, so
// that every figure in it is the one the body shows.
func (r *OrgReport) findings(rep benchmarkpdf.Report) *benchmarkpdf.KeyFindings {
	k := &benchmarkpdf.KeyFindings{Headline: r.headline(rep), Rule: FindingsRule}
	k.Strengths, k.Gaps = r.strengthsAndGaps(rep)
	k.Provision = r.provisionFindings()
	k.Risk = r.riskFindings()
	k.Next = r.Ask
	return k
}

func (r *OrgReport) headline(rep benchmarkpdf.Report) string {
	f := r.Figures
	overall := rep.Overall.Value
	if !overall.Ok() {
		return "Your overall maturity for " + f.Cycle.Name + " is not known yet: " + overall.Note + "."
	}
	scale := f.Framework.Scale
	text := "Your overall maturity for " + f.Cycle.Name + " is " + overall.Format(1)
	if len(scale) > 1 {
		lo, hi := scale[0], scale[len(scale)-1]
		text += " on the framework's scale of " + strconv.Itoa(lo.Level) + " (" + lo.Label + ") to " + strconv.Itoa(hi.Level) + " (" + hi.Label + ")"
	}
	if r.Prev != nil && len(rep.Changes) > 0 {
		text += changeWords(rep.Changes[0], r.Prev.Name)
	} else {
		text += "; there is no earlier submitted assessment to compare it with"
	}
	text += "."
	median := rep.Overall.Peer.Median
	group := "your peer group (" + r.Peer.Name + ")"
	if r.PeerReason != "" {
		group = comparatorName(r.Peer)
	}
	if median.Ok() {
		ours, theirs := figure.Rounded(overall.V, 1), median.V
		where := "level with"
		if ours > theirs {
			where = "above"
		} else if ours < theirs {
			where = "below"
		}
		text += " That is " + where + " the median of " + group + ", " + median.Format(1)
		if b := rep.Overall.PeerBand; b != figure.BandNone {
			text += ", in the band " + b.String()
		}
		text += "."
	} else {
		text += " There is no median to compare it with: " + median.Note + "."
	}
	if r.PeerReason != "" {
		text += " " + r.PeerReason + "."
	}
	if !r.Counted && r.Status != "" {
		text += " Your self-assessment is " + r.Status + ", so it is not yet counted in any group figure."
	}
	return text
}

// strengthsAndGaps picks up to three of each by FindingsRule, comparing the
// figures as the report prints them.
func (r *OrgReport) strengthsAndGaps(rep benchmarkpdf.Report) (strengths, gaps []benchmarkpdf.Finding) {
	planned := map[string]int{}
	for _, a := range r.Actions {
		planned[a.StandardID]++
	}
	type pick struct {
		row    benchmarkpdf.StandardRow
		margin float64
		order  int
	}
	var ups, downs []pick
	for i, row := range rep.Standards {
		if !row.Level.Ok() || !row.PeerMedian.Ok() || !row.NationalMedian.Ok() {
			continue
		}
		lv := row.Level.V
		switch hi, lo := max(row.PeerMedian.V, row.NationalMedian.V), min(row.PeerMedian.V, row.NationalMedian.V); {
		case lv > hi:
			ups = append(ups, pick{row, lv - hi, i})
		case lv < lo:
			downs = append(downs, pick{row, lo - lv, i})
		}
	}
	slices.SortStableFunc(ups, func(a, b pick) int { return cmp.Compare(b.margin, a.margin) })
	slices.SortStableFunc(downs, func(a, b pick) int {
		if c := cmp.Compare(min(planned[a.row.ID], 1), min(planned[b.row.ID], 1)); c != 0 {
			return c // no action planned first
		}
		return cmp.Compare(b.margin, a.margin)
	})
	among := r.among()
	why := func(p pick) string {
		return "level " + p.row.Level.Format(0) + "; median " + p.row.PeerMedian.Format(1) + " " + among + " and " + p.row.NationalMedian.Format(1) + " nationally"
	}
	for _, p := range ups[:min(3, len(ups))] {
		strengths = append(strengths, benchmarkpdf.Finding{ID: p.row.ID, Statement: strings.TrimSuffix(p.row.Statement, "."), Why: why(p)})
	}
	for _, p := range downs[:min(3, len(downs))] {
		n := float64(planned[p.row.ID])
		actions := "no improvement action planned"
		if n > 0 {
			actions = figure.Number(n, 0) + " improvement " + figure.Noun(n, "action", "actions") + " planned"
		}
		gaps = append(gaps, benchmarkpdf.Finding{ID: p.row.ID, Statement: strings.TrimSuffix(p.row.Statement, "."), Why: why(p) + "; " + actions})
	}
	return strengths, gaps
}

// among places a median in the group compared with: "in your peer group",
// or "among fire and rescue services" when the peer group was too small.
func (r *OrgReport) among() string {
	if r.Peer.Dim == benchmark.DimPeer {
		return "in your peer group"
	}
	return "among " + comparatorName(r.Peer)
}

// provisionFindings says each provision figure of the summary against the
// comparator, exactly as the provision table shows it.
func (r *OrgReport) provisionFindings() []string {
	var out []string
	for _, key := range []string{store.IndActiveDogsPer1000, store.IndTrainedHandlersPer1000, store.IndPeerSupportersPer1000, store.IndDemobDefusingPer1000, store.IndTRiMAssessmentsPer1000, metricScreening} {
		m := r.metric(key)
		v := r.own(key, r.ownNote(key))
		if !v.Ok() {
			out = append(out, m.Label+": "+v.Note+".")
			continue
		}
		text := m.Label + ": " + withUnit(v.Format(m.Decimals), m.Unit)
		if note := r.ownNote(key); note != "" {
			text += " (" + note + ")" // the quarters a partly returned year covers
		}
		median := r.stats(r.Peer, key).Median
		switch b := r.band(r.Peer, key); {
		case !median.Ok():
			text += "; no median to compare with (" + median.Note + ")"
		case b == figure.BandNone:
			text += ", against a median of " + withUnit(median.Format(m.Decimals), m.Unit) + " " + r.among() + "; no band (the group is too small to band)"
		default:
			text += ", against a median of " + withUnit(median.Format(m.Decimals), m.Unit) + " " + r.among() + "; " + b.String()
		}
		out = append(out, text+".")
	}
	year := store.CalendarYear(r.Figures.Year)
	coordinator := "Peer support coordinator: no peer support return for the " + year + "."
	if pc := r.Figures.Provision[r.Org.ID]; pc != nil && pc.Return != nil {
		coordinator = "Peer support coordinator in post (" + year + "): no."
		if pc.Return.CoordinatorInPost {
			coordinator = "Peer support coordinator in post (" + year + "): yes."
		}
	}
	return append(out, coordinator)
}

func withUnit(v, unit string) string {
	if unit == "%" {
		return v + "%"
	}
	return v + " " + unit
}

// riskFindings counts the register's high and very high roles, the people
// in them, and overdue reviews and screening.
func (r *OrgReport) riskFindings() []string {
	asAt := store.AsAt(r.Figures.AsAt)
	if len(r.Register) == 0 {
		return []string{"No role has been risk-assessed on the role risk register (" + asAt + ")."}
	}
	var high []string
	for _, b := range r.Figures.HighBands {
		high = append(high, b.Key)
	}
	var roles, people, reviews, screening float64
	for _, row := range r.Register {
		if slices.Contains(high, row.OverallBand) {
			roles++
			people += float64(row.Headcount)
		}
		if row.ReviewOverdue {
			reviews++
		}
		if row.ScreenOverdue {
			screening++
		}
	}
	plural := figure.Noun
	out := []string{"No role is banded high or very high (" + asAt + ")."}
	if roles > 0 {
		out[0] = figure.Number(roles, 0) + " " + plural(roles, "role is", "roles are") + " banded high or very high, covering " +
			figure.Number(people, 0) + " " + plural(people, "person", "people") + " (" + asAt + ")."
	}
	if reviews > 0 {
		out = append(out, figure.Number(reviews, 0)+" role "+plural(reviews, "review is", "reviews are")+" overdue.")
	} else {
		out = append(out, "No role review is overdue.")
	}
	if screening > 0 {
		out = append(out, "Screening is overdue in "+figure.Number(screening, 0)+" "+plural(screening, "role", "roles")+".")
	} else {
		out = append(out, "No role is overdue for screening.")
	}
	return out
}

// changeWords says a change since an earlier cycle as a clause to follow a
// figure, from the change as the tables print it: ", up 0.2 since
// 2024/25", ", unchanged since …", or why there is no change to give.
func changeWords(row benchmarkpdf.ChangeRow, since string) string {
	switch ch := benchmarkpdf.Change(row, 1); {
	case ch == "no change":
		return ", unchanged since " + since
	case ch[0] == '+':
		return ", up " + ch[1:] + " since " + since
	case ch[0] == '-':
		return ", down " + ch[1:] + " since " + since
	default:
		return " (" + ch + " with " + since + ")"
	}
}

package reporting

import (
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmarkpdf"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// ChartRow is one area of the benchmark page's chart, as percentages of the
// scale's width; a position is -1 when its figure is not shown.
type ChartRow struct {
	Title, Label                        string
	Value, Q1, Q3, PeerMedian, National float64
}

// ChartRows lays the overall and area figures out on the maturity scale:
// the organisation's bar, the peer group's middle half, the peer median and
// the national median. The words of each row say the same for screen
// readers, and the table above holds every number.
func ChartRows(rep benchmarkpdf.Report) []ChartRow {
	top := 0
	for _, l := range rep.Scale {
		top = max(top, l.Value)
	}
	if top == 0 {
		return nil
	}
	at := func(v figure.Value) float64 {
		if !v.Ok() {
			return -1
		}
		return 100 * min(max(v.V, 0), float64(top)) / float64(top)
	}
	word := strings.ToLower(rep.ComparatorWord())
	var rows []ChartRow
	for _, res := range append([]benchmarkpdf.Result{rep.Overall}, rep.Areas...) {
		label := res.Title + ": yours " + res.Value.Format(1) + ", " + word + " median " + res.Peer.Median.Format(1)
		if res.Peer.Q1.Ok() && res.Peer.Q3.Ok() {
			label += ", middle half of " + rep.ComparatorPhrase() + " " + res.Peer.Q1.Format(1) + " to " + res.Peer.Q3.Format(1)
		}
		label += ", national median " + res.National.Median.Format(1)
		rows = append(rows, ChartRow{Title: res.Title, Label: label, Value: at(res.Value), Q1: at(res.Peer.Q1), Q3: at(res.Peer.Q3),
			PeerMedian: at(res.Peer.Median), National: at(res.National.Median)})
	}
	return rows
}

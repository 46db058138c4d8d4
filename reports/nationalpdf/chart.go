package nationalpdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc"
)

// The chart's look follows reports/benchmarkpdf: a blue bar for the
// median, a grey box for the interquartile range.
var (
	barColour   = pdfdoc.Blue
	rangeColour = pdfdoc.Hex("#d6dadd")
)

const (
	chartLabelW = 52.0
	chartRowH   = 9.0
	chartBarH   = 4.0
	chartRight  = 22.0 // room right of the plot for the last value label
)

// charts draws one chart per row of every table marked Chart, all on one
// scale so groups can be compared by eye.
func charts(d *pdfdoc.Doc, tabs []GroupTable) {
	var charted []GroupTable
	for _, t := range tabs {
		if t.Chart && len(t.Rows) > 0 && len(t.Metrics) > 0 {
			charted = append(charted, t)
		}
	}
	if len(charted) == 0 {
		return
	}
	lo, hi, step := axis(charted)
	d.AddPage()
	d.Heading(1, "Medians by area")
	d.Para("For each group, the bar is the median across its organisations and the grey box spans the middle half of them (25th to 75th percentile). A figure withheld under the disclosure rule is left as a gap marked \"suppressed\".")
	// The paragraph above says what the key shows.
	d.Artifact(func() { legend(d) })
	for _, t := range charted {
		for _, r := range t.Rows {
			chart(d, t, r, lo, hi, step)
		}
	}
}

// axis is the common scale: from 0 to a round number at or above every
// figure that may be shown. Hidden figures play no part, so the scale
// cannot give them away.
func axis(tabs []GroupTable) (lo, hi, step float64) {
	top := 0.0
	for _, t := range tabs {
		for _, r := range t.Rows {
			for _, vs := range [][]figure.Value{r.Medians, r.Q1, r.Q3} {
				for _, v := range vs {
					if v.Ok() {
						top = math.Max(top, v.V)
					}
				}
			}
		}
	}
	if top == 0 {
		top = 1
	}
	// The smallest step of 1, 2 or 5 times a power of ten that needs at
	// most five intervals.
	for p := math.Pow(10, math.Floor(math.Log10(top))-1); ; p *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if step = m * p; top/step <= 5 {
				return 0, math.Ceil(top/step-1e-9) * step, step
			}
		}
	}
}

// legend keys the charts: the median bar, the interquartile box and the
// outline left where a figure is withheld.
func legend(d *pdfdoc.Doc) {
	d.ChartLegend(60, 8,
		pdfdoc.LegendKey{Mark: d.BarMark(barColour), Label: "Median"},
		pdfdoc.LegendKey{Mark: d.BoxMark(rangeColour), Label: "25th to 75th percentile"},
		pdfdoc.LegendKey{Mark: func(x, y float64) { gap(d, x, y, pdfdoc.KeyMarkWidth, pdfdoc.KeyMarkHeight) }, Label: "Suppressed: no figure shown"},
	)
	d.SetFont(pdfdoc.Family, "", 10)
}

// gap outlines where a withheld bar would be, with a dashed grey line.
func gap(d *pdfdoc.Doc, x, y, w, h float64) {
	d.Draw(pdfdoc.MidGrey)
	d.SetLineWidth(0.25)
	d.SetDashPattern([]float64{0.8, 0.8}, 0)
	d.Rect(x, y, w, h, "D")
	d.SetDashPattern(nil, 0)
	d.SetLineWidth(0.2)
}

// chart draws one group: a row per metric.
func chart(d *pdfdoc.Doc, t GroupTable, r GroupRow, lo, hi, step float64) {
	x0 := pdfdoc.Margin + chartLabelW
	plotW := pdfdoc.ContentWidth - chartLabelW - chartRight
	xOf := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return x0 + (v-lo)/(hi-lo)*plotW
	}
	height := float64(len(t.Metrics))*chartRowH + 12
	d.NeedSpace(height + 16)
	d.Heading(2, fmt.Sprintf("%s (n=%d)", figure.Capitalise(r.Group), r.N))
	d.Figure(chartAlt(t, r), func() { drawChart(d, t, r, lo, hi, step, xOf, x0, plotW) })
	d.SetFont(pdfdoc.Family, "", 10)
}

// chartAlt says in words what a group's chart shows.
func chartAlt(t GroupTable, r GroupRow) string {
	var parts []string
	for i, m := range t.Metrics {
		dec := decimals(t, i)
		s := m + ": median " + r.Medians[i].Format(dec)
		if q1, q3 := at(r.Q1, i), at(r.Q3, i); r.Medians[i].Ok() && q1.Ok() && q3.Ok() {
			s += ", middle half " + q1.Format(dec) + " to " + q3.Format(dec)
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("Bar chart of the median for %s (%d organisations): %s.", figure.Capitalise(r.Group), r.N, strings.Join(parts, "; "))
}

func drawChart(d *pdfdoc.Doc, t GroupTable, r GroupRow, lo, hi, step float64, xOf func(float64) float64, x0, plotW float64) {
	top := d.GetY() + 1
	bottom := top + float64(len(t.Metrics))*chartRowH
	d.SetLineWidth(0.2)
	d.SetFont(pdfdoc.Family, "", 7.5)
	for i := 0; ; i++ {
		v := lo + float64(i)*step
		if v > hi+step/1000 {
			break
		}
		d.Draw(pdfdoc.MidGrey)
		d.Line(xOf(v), top, xOf(v), bottom)
		d.SetXY(xOf(v)-6, bottom+0.5)
		d.CellFormat(12, 4, fmt.Sprintf("%g", v), "", 0, "C", false, 0, "")
	}
	for i, m := range t.Metrics {
		y := top + float64(i)*chartRowH
		mid := y + chartRowH/2
		dec := decimals(t, i)
		// The label sits on the bar's line when it fits on one, so the two
		// read together; a longer label wraps from the top of the row.
		d.SetFont(pdfdoc.Family, "", 8.5)
		if d.GetStringWidth(m) < chartLabelW-4 {
			d.SetXY(pdfdoc.Margin, mid-2)
		} else {
			d.SetXY(pdfdoc.Margin, y+0.5)
		}
		d.MultiCell(chartLabelW-2, 4, m, "", "L", false)

		q1, q3 := at(r.Q1, i), at(r.Q3, i)
		if q1.Ok() && q3.Ok() {
			d.Fill(rangeColour)
			d.Rect(xOf(q1.V), y+1, math.Max(xOf(q3.V)-xOf(q1.V), 0.6), chartRowH-2, "F")
		}
		med := r.Medians[i]
		d.SetFont(pdfdoc.Family, "", 7.5)
		if med.Ok() {
			d.Fill(barColour)
			d.Rect(x0, mid-chartBarH/2, math.Max(xOf(med.V)-x0, 0.4), chartBarH, "F")
			label := med.Format(dec)
			if q1.State == figure.Suppressed || q3.State == figure.Suppressed {
				label += " (range suppressed)"
			}
			d.SetFont(pdfdoc.Family, "B", 8)
			d.SetXY(xOf(med.V)+1, mid-2)
			d.CellFormat(pdfdoc.PageWidth-pdfdoc.Margin-xOf(med.V)-1, 4, label, "", 0, "L", false, 0, "")
			continue
		}
		// A withheld or missing median is a labelled gap, never a bar.
		gap(d, x0, mid-chartBarH/2, plotW, chartBarH)
		d.Ink(pdfdoc.Grey)
		d.SetXY(x0+2, mid-2)
		d.CellFormat(plotW-4, 4, med.Format(dec), "", 0, "L", false, 0, "")
		d.Ink(pdfdoc.Black)
	}
	d.SetXY(pdfdoc.Margin, bottom+6)
}

// at is vs[i], or a missing value when vs is nil.
func at(vs []figure.Value, i int) figure.Value {
	if i < len(vs) {
		return vs[i]
	}
	return figure.MissingValue("")
}

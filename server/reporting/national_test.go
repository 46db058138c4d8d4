package reporting

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/benchmark"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestSummaryListsOnlyWhatItWithholds: the publishable summary's list of
// withheld figures names only figures the summary prints (overall and area
// maturity by every group, provision by the nation and the sectors), while
// the named workbook, which prints every metric for every group, lists the
// rest too.
func TestSummaryListsOnlyWhatItWithholds(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	set := loadFrameworks(t)
	ctx := context.Background()
	if err := seed.Synthetic(ctx, st, set, 40, 1, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	f := cyclesWithFigures(t, rs, st)[0]
	sum, err := rs.NationalSummary(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	book, err := rs.nationalWorkbook(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var standards, provision []string
	for _, m := range f.Result.Metrics() {
		if strings.HasPrefix(m.Key, StandardMetric("")) {
			standards = append(standards, m.Label)
		}
	}
	for _, k := range provisionKeys() {
		provision = append(provision, f.metric(k).Label)
	}
	mentions := func(lines, labels []string) int {
		n := 0
		for _, l := range lines {
			for _, label := range labels {
				if strings.Contains(l, "— "+label+":") {
					n++
				}
			}
		}
		return n
	}
	if n := mentions(sum.Suppressed, standards); n != 0 {
		t.Errorf("the summary lists %d withheld standard figures it never prints", n)
	}
	if mentions(book.Suppressed, standards) == 0 {
		t.Fatal("the workbook lists no withheld standard figure: the test shows nothing")
	}
	for _, l := range sum.Suppressed {
		group, _, _ := strings.Cut(l, " — ")
		if (strings.HasPrefix(group, "Region") || strings.HasPrefix(group, "Peer group") || strings.HasPrefix(group, "Nation")) &&
			mentions([]string{l}, provision) > 0 {
			t.Errorf("the summary prints no provision by %s, yet lists %q", group, l)
		}
	}
	if len(sum.Suppressed) == 0 || len(sum.Suppressed) >= len(book.Suppressed) {
		t.Errorf("summary lists %d withheld figures, workbook %d", len(sum.Suppressed), len(book.Suppressed))
	}
}

// TestKeyMessagesUseThePublishedFigures: on the demo, every key message's
// figures are the summary's own published ones, and no sector too small to
// publish gets a count.
func TestKeyMessagesUseThePublishedFigures(t *testing.T) {
	_, rs, f := demoFigures(t)
	ctx := context.Background()
	sum, err := rs.NationalSummary(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(sum.KeyMessages, "\n")
	for _, row := range sum.Submission {
		want := figure.Number(float64(row.Submitted), 0) + " of " + figure.Number(float64(row.Organisations), 0) + " " + sectorWords(row.Sector)
		if !strings.Contains(all, want) {
			t.Errorf("key messages lack %q:\n%s", want, all)
		}
	}
	national := f.Result.Stats(benchmark.National(), MetricOverall).Median
	if !strings.Contains(all, "The national median of overall maturity is "+national.Format(1)) {
		t.Errorf("key messages do not give the national median %s:\n%s", national.Format(1), all)
	}
	for _, sec := range f.Result.Groups(benchmark.DimSector) {
		var medians []string
		for _, a := range f.Framework.Areas {
			if m := f.Result.Stats(sec, AreaMetric(a.ID)).Median; m.Ok() {
				medians = append(medians, a.Title+" (median "+m.Format(1)+")")
			}
		}
		found := false
		for _, msg := range sum.KeyMessages {
			if strings.HasPrefix(strings.ToLower(msg), sectorWords(sec.Name)) {
				found = true
				if len(medians) == 0 && !strings.Contains(msg, "too few") {
					t.Errorf("%s has no published area median, yet: %q", sec.Name, msg)
				}
				for _, part := range regexp.MustCompile(`in ([^()]*\(median [0-9.]+\))`).FindAllStringSubmatch(msg, -1) {
					if !slices.Contains(medians, strings.TrimSpace(part[1])) || !strings.Contains(part[1], " (") {
						t.Errorf("%q is not one of %s's published area medians %v", part[1], sec.Name, medians)
					}
				}
			}
		}
		if !found {
			t.Errorf("no key message for %s", sec.Name)
		}
	}
	if !strings.Contains(all, "With no OK9 scheme") || !strings.Contains(all, "Screening in date") {
		t.Errorf("key messages lack coverage or screening:\n%s", all)
	}
	pdf, err := rs.NationalSummaryPDF(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdftest.Text(t, pdf), "\f")
	if page2 := strings.Join(strings.Fields(pages[1]), " "); !strings.Contains(page2, "Key messages") || !strings.Contains(page2, strings.Join(strings.Fields(sum.KeyMessages[0]), " ")) {
		t.Errorf("the PDF's second page is not the key messages:\n%s", page2)
	}
}

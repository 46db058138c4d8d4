package reporting

import (
	"context"
	"strings"
	"testing"
	"time"

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
	sum := rs.NationalSummary(f)
	book := rs.nationalWorkbook(f)
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

package businesscase

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

func sampleDoc(t testing.TB) Document {
	in := full()
	in.Sector = "fire"
	in.HighRiskRoles = []string{"Firefighter (wholetime)", "Fire investigator"}
	in.HighRiskPeople = in.HighRiskPeople.WithSource("Role risk register, 1 March 2026")
	in.PeerSupportersPeerMedian = figure.SuppressedValue("fewer than 5 peers returned").WithSource("Benchmark engine, 2025/26")
	in.OK9DogsPeerMedian = figure.Of(0.8).WithSource("Benchmark engine, 2025/26")
	in.ScreeningTrend = []TrendPoint{{"2023/24, register at the cycle's close", figure.Of(71)}, {"2024/25, register at the cycle's close", figure.SuppressedValue("")}, {"Now", figure.Of(80)}}
	doc, err := NewDocument("Gwasanaeth Tân ac Achub Canolbarth a Gorllewin Cymru", "2025/26", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), in,
		append(DefaultAssumptions("fire"), Assumption{Key: KeyOwnDaysLost, Name: "Working days lost to mental ill health", Value: 9000, Unit: "days a year", Source: "HR absence system, calendar 2025"}))
	if err != nil {
		t.Fatal(err)
	}
	doc.PeerGroup = "Fire and rescue services with 1,000 to 2,500 staff (n=9)"
	doc.Sources = []Source{{"Days lost to psychological ill-health, 2025", "1,240", "HR absence system, calendar 2025"}}
	return doc
}

func TestRenderReadsBack(t *testing.T) {
	doc := sampleDoc(t)
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Render(sampleDoc(t))
	if !bytes.Equal(b, again) {
		t.Error("same input gave different bytes")
	}
	if os.Getenv("BUSINESSCASE_PDF") != "" {
		os.WriteFile(os.Getenv("BUSINESSCASE_PDF"), b, 0o644)
	}
	text := pdftest.Text(t, b)
	flat := regexp.MustCompile(`\s+`).ReplaceAllString(text, " ")
	cost, ret := Totals(doc.Recommendations)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	// Page one carries the ask, its total cost and expected return.
	first := regexp.MustCompile(`\s+`).ReplaceAllString(pages[0], " ")
	for _, want := range []string{Title, "Gwasanaeth Tân ac Achub Canolbarth a Gorllewin Cymru", "The ask",
		"costing " + figure.Money(cost), "about " + figure.Money(ret) + " a year", "less than the first-year cost", "chief fire officer", "Appoint a full-time peer support coordinator"} {
		if !strings.Contains(first, want) {
			t.Errorf("page one lacks %q", want)
		}
	}
	for _, want := range []string{
		"The need", "People in very high risk roles", "80%", "suppressed",
		"Current provision against peers", "fewer than 5 peers returned", "1 of 3",
		"The gaps that matter", "No dedicated peer support coordinator is in post.",
		"What we could not check", "Peer supporters against the peer median: suppressed",
		"Why this is required, whatever the return", "Health and Safety at Work etc. Act 1974 (section 2)", "regulation 3",
		"bands 2 roles high or very high: Firefighter (wholetime) and Fire investigator",
		"Recommendations", "Screen the 40 people", "40 people × (£84.29 screening + 15% referred on × £600", "£6,972",
		"Appendix A: assumptions", "McCrone et al. (2024)", "your own figure: 9,000 days", "our estimate",
		"References", "doi:10.1108/IJES-03-2024-0020", "Home Office. Fire and rescue workforce",
		"Appendix B: where the data figures come from", "Role risk register, 1 March 2026", "HR absence system, calendar 2025",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for _, police := range []string{"600,000", "Policing workforce", "policing figure", "chief constable"} {
		if strings.Contains(flat, police) {
			t.Errorf("a fire service's case says %q", police)
		}
	}
	for i := range pages {
		if !strings.Contains(pages[i], "Page "+itoa(i+1)+" of "+itoa(len(pages))) {
			t.Errorf("page %d unnumbered", i+1)
		}
	}
	if info := pdftest.Info(t, b); info["Title"] != Title+": Gwasanaeth Tân ac Achub Canolbarth a Gorllewin Cymru" {
		t.Errorf("Title = %q", info["Title"])
	}
}

func itoa(n int) string { return figure.Number(float64(n), 0) }

func TestRenderNoRecommendations(t *testing.T) {
	in := full()
	in.CoordinatorInPost = true
	in.PeerSupporters = figure.Of(40)
	in.ScreenedInDate = figure.Of(200)
	in.OK9HandlersPeerTrained = figure.Of(3)
	doc, err := NewDocument("Cleveland Police", "2025/26", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), in, DefaultAssumptions("police"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Recommendations) != 0 {
		t.Fatalf("recommendations: %v", rules(Plan{Recommendations: doc.Recommendations}))
	}
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b); !strings.Contains(text, "no gap that needs new funding") {
		t.Error("no-gap wording missing")
	}
}

func BenchmarkRender(b *testing.B) {
	doc := sampleDoc(b)
	size := 0
	for b.Loop() {
		out, err := Render(doc)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// TestWords: one of anything is singular, money is in pounds with pence
// only where there are any, and a peer group whose name has a colon is
// not printed after another label.
func TestWords(t *testing.T) {
	in := full()
	in.OK9Handlers, in.OK9HandlersPeerTrained = figure.Of(2), figure.Of(1)
	in.HighRiskPeople, in.VeryHighRiskPeople, in.ScreenedInDate = figure.Of(1), figure.Of(1), figure.Of(1)
	in.PeerSupporters = figure.Of(29)
	doc, err := NewDocument("Devon and Somerset Fire and Rescue Service", "2025/26", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), in, DefaultAssumptions("police"))
	if err != nil {
		t.Fatal(err)
	}
	doc.PeerGroup = "Fire and rescue: large (7 submitted)"
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	flat := regexp.MustCompile(`\s+`).ReplaceAllString(pdftest.Text(t, b), " ")
	for _, want := range []string{
		"Train 1 OK9 handler as a peer supporter", "1 of 2 handlers is not", "1 handler × 3.0 training days × £250 a day",
		"Train 1 more peer supporter", "1 supporter × ", "Screen the 1 person in a high-risk role who is not in date",
		"1 of 2 people in high and very high risk roles (50%) has in-date", "1 person × (£84.29 screening + 15% referred on × £600",
		"1 OK9 handler has no peer support training", "£55,000", "£241.67",
		"Compared with the peer group “Fire and rescue: large” (7 submitted).",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for _, bad := range []string{"GBP", "1 handlers", "1 people", "1 supporters", "Peer group: Fire", "84.3 ", "£55,000.00"} {
		if strings.Contains(flat, bad) {
			t.Errorf("PDF text has %q", bad)
		}
	}
}

func TestAssumptionQuantity(t *testing.T) {
	for _, c := range []struct {
		a    Assumption
		want string
	}{
		{Assumption{Value: 84.3, Unit: "GBP per person screened"}, "£84.30 per person screened"},
		{Assumption{Value: 55000, Unit: "GBP a year"}, "£55,000 a year"},
		{Assumption{Value: 2.61, Unit: "days a year"}, "2.61 days a year"},
		{Assumption{Value: 30, Unit: "%"}, "30%"},
	} {
		if got := c.a.Quantity(); got != c.want {
			t.Errorf("Quantity(%v %q) = %q, want %q", c.a.Value, c.a.Unit, got, c.want)
		}
	}
}

// When the organisation's own peer group is too small, the case compares
// with the sector: the sentence saying so is printed as it is, and the
// column says "Sector median", never calling the sector a peer group.
func TestBusinessCaseComparedWithTheSector(t *testing.T) {
	in := full()
	in.Comparator = "Sector"
	in.PeerSupporters = figure.Of(1) // below the median, so the case says so
	doc, err := NewDocument("Devon and Somerset Fire and Rescue Service", "2025/26", time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), in, DefaultAssumptions("fire"))
	if err != nil {
		t.Fatal(err)
	}
	why := "Compared with fire and rescue services (6), because your peer group (Fire and rescue: large, 2) has fewer than 5 submissions."
	doc.PeerGroup = why
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	flat := regexp.MustCompile(`\s+`).ReplaceAllString(pdftest.Text(t, b), " ")
	for _, want := range []string{why, "Current provision against the sector", "Sector median", "below the sector median"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the case does not say %q:\n%s", want, flat)
		}
	}
	for _, wrong := range []string{"peer group “Compared", "Peer median", "peer median", "against peers"} {
		if strings.Contains(flat, wrong) {
			t.Errorf("the case says %q although it compares with the sector", wrong)
		}
	}
}

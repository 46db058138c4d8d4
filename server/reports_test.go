package server_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// benchFixture is the two-organisation fixture plus peers in the same peer
// group, each with a submitted assessment at one level on every standard.
type benchFixture struct {
	*fixture
	cycle store.Cycle
	peers []store.Organisation
	ids   []string // standard ids of the cycle's edition
}

// newBenchFixture gives A a submitted assessment at level 1 on every
// standard (target 3, with an action on the first) and peers at the given
// levels.
func newBenchFixture(t *testing.T, st *store.Store, peerLevels ...int) *benchFixture {
	t.Helper()
	f := &benchFixture{fixture: newFixture(t, st)}
	f.cycle = f.openCycle("2026/27")
	fw := builtinFrameworks(t).Framework("blwf", "2024")
	for _, s := range fw.Standards() {
		f.ids = append(f.ids, s.ID)
	}
	ctx := context.Background()
	f.submit(f.orgA, 1, `=HYPERLINK("http://evil.example")`)
	for i, level := range peerLevels {
		o, err := st.CreateOrganisation(ctx, store.SystemActor("test"), store.Organisation{Slug: "peer-" + itoa(int64(i)), Name: "Peer Force " + itoa(int64(i)), Sector: "police", Nation: "England", Region: "South West", PeerGroup: "test"})
		if err != nil {
			t.Fatal(err)
		}
		f.peers = append(f.peers, o)
		f.submit(o, level, "")
	}
	return f
}

// submit gives org a submitted assessment at level on every standard, with
// an action on the first standard when action is not empty.
func (f *benchFixture) submit(org store.Organisation, level int, action string) store.Assessment {
	f.t.Helper()
	ctx := context.Background()
	e := builtinFrameworks(f.t).Edition("blwf", "2024")
	var seed []store.Response
	for _, id := range f.ids {
		l, target := level, 3
		seed = append(seed, store.Response{StandardID: id, Level: &l, Target: &target})
	}
	a, err := f.st.StartAssessment(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Assessment{OrganisationID: org.ID, CycleID: f.cycle.ID,
		FrameworkKey: e.Key, FrameworkVersion: e.Version, FrameworkSHA256: e.SHA256}, seed)
	if err != nil {
		f.t.Fatal(err)
	}
	if action != "" {
		if _, err := f.st.AddAction(ctx, store.SystemActor("test"), store.AllOrganisations(), store.Action{AssessmentID: a.ID, StandardID: f.ids[0], What: action, Owner: "Wellbeing lead"}); err != nil {
			f.t.Fatal(err)
		}
	}
	if a, err = f.st.SubmitAssessment(ctx, store.SystemActor("test"), store.Scope{OrgID: org.ID}, a.ID, "Chief", "Chief Constable"); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *benchFixture) path(suffix string) string { return "/reports/" + itoa(f.cycle.ID) + suffix }

func TestBenchmarkReportFigures(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		// A at 1, peers at 2, 2, 3, 3 and 4: six organisations in the peer
		// group "test", seven nationally counting nobody for B (not started).
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		viewer := f.signedIn(f.people["A viewer"])
		resp, body := viewer.get(f.path("/benchmark"))
		if resp.StatusCode != 200 {
			t.Fatalf("benchmark page = %d\n%s", resp.StatusCode, body)
		}
		// Medians of 1,2,2,3,3,4 = 2.5. A group of 6 has its median only: no
		// quartiles, so no middle half, and no percentiles, so no band.
		for _, want := range []string{f.orgA.Name, "2.5", "no band", "(6 submitted)", "Group figures count only submitted or validated",
			`aria-label="Overall: yours 1.0, peer median 2.5, national median 2.5"`} {
			if !strings.Contains(body, want) {
				t.Errorf("benchmark page lacks %q", want)
			}
		}
		if strings.Contains(body, "below 20th percentile</strong>") {
			t.Errorf("benchmark page bands against a group of 6")
		}
		for _, peer := range f.peers {
			if strings.Contains(body, peer.Name) {
				t.Errorf("benchmark page names another organisation, %s", peer.Name)
			}
		}

		resp, pdf := viewer.get(f.path("/benchmark.pdf"))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("benchmark PDF = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		text := pdftest.Text(t, []byte(pdf))
		for _, want := range []string{f.orgA.Name, "2.5", "no band"} {
			if !strings.Contains(text, want) {
				t.Errorf("benchmark PDF lacks %q", want)
			}
		}

		// A returned assessment leaves the figures at once: the peer at 4
		// goes, and the median of 1,2,2,3,3 is 2.
		all, _ := st.ListAssessments(context.Background(), store.Scope{OrgID: f.peers[4].ID})
		if _, err := st.ReturnAssessment(context.Background(), store.SystemActor("test"), all[0].ID, "check the evidence"); err != nil {
			t.Fatal(err)
		}
		_, body = viewer.get(f.path("/benchmark"))
		if !strings.Contains(body, "(5 submitted)") || strings.Contains(body, "(6 submitted)") {
			t.Errorf("a returned assessment still counts in the figures")
		}
	})
}

func TestBenchmarkReportSuppression(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 3, 3) // three submitted: below the minimum of five
		_, body := f.signedIn(f.people["A owner"]).get(f.path("/benchmark"))
		if !strings.Contains(body, "suppressed") || !strings.Contains(body, "fewer than 5") {
			t.Errorf("a group of three is not suppressed:\n%s", body)
		}
		if strings.Contains(body, ">3.0<") {
			t.Errorf("a suppressed median is shown as a number")
		}
	})
}

func TestGapAnalysisDownload(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		resp, data := f.signedIn(f.people["A viewer"]).get(f.path("/gap-analysis.xlsx"))
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "gap-analysis-alpha-2026-27.xlsx") {
			t.Fatalf("gap analysis = %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(data)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows("Gaps")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(f.ids)+1 {
			t.Fatalf("Gaps has %d rows, want a header and %d standards", len(rows), len(f.ids))
		}
		first := rows[1]
		if first[0] != f.ids[0] || first[3] != "1.0" || first[4] != "3.0" || first[6] != "2.5" {
			t.Errorf("first gap row = %q", first)
		}
		// The action text is kept as typed, in a quote-prefixed cell, so
		// Excel does not take it as a formula.
		cell, _ := x.GetCellValue("Gaps", "K2")
		formula, _ := x.GetCellFormula("Gaps", "K2")
		if formula != "" || !strings.HasPrefix(cell, "=HYPERLINK") || !xlsxdoc.HasQuotePrefix(x, "Gaps", "K2") {
			t.Errorf("action cell = %q, formula %q, quote prefix %v", cell, formula, xlsxdoc.HasQuotePrefix(x, "Gaps", "K2"))
		}
	})
}

func TestBusinessCaseAssumptions(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		// A high-risk role of 20 people, 15 screened in date.
		if _, err := st.SaveRoleAssessment(context.Background(), store.SystemActor("test"), store.AllOrganisations(), store.RoleAssessment{
			OrganisationID: f.orgA.ID, RoleID: "RL-01", ModelKey: "psych-risk", ModelVersion: "2026.1", ModelSHA256: "x", Headcount: 20, PeopleScreened: 15,
			OverallBand: "high", ReviewedOn: st.Now(), NextReviewOn: st.Now(), NextScreeningOn: st.Now(), SignedOffBy: "Inspector",
			Hazards: []store.HazardRating{{HazardID: "HZ-01", InherentL: 4, InherentS: 4, ResidualL: 3, ResidualS: 4}},
		}); err != nil {
			t.Fatal(err)
		}
		owner := f.signedIn(f.people["A owner"])
		_, page := owner.get(f.path("/business-case"))
		if !strings.Contains(page, "Appoint a full-time peer support coordinator") {
			t.Fatalf("no coordinator recommendation without a peer support return:\n%s", page)
		}
		if !strings.Contains(page, "Screen the 5 people in high-risk roles who are not in date") || !strings.Contains(page, "75%") {
			t.Errorf("screening need not worked out from the register (20 people, 15 screened)")
		}
		// Money reads as pounds: "£84.29 per person screened", never "84.29 GBP".
		if !strings.Contains(page, "Default £84.29 per person screened:") || strings.Contains(page, "Default 84.2") {
			t.Errorf("assumption defaults are not in pounds")
		}
		form := url.Values{}
		for _, key := range []string{"screening_cost_per_person", "screening_gain_per_person", "screening_follow_up_share", "screening_follow_up_cost", "days_lost_policing_per_year",
			"policing_workforce", "working_day_cost", "coordinator_cost_per_year", "coordinator_days_lost_reduction",
			"peer_support_training_days", "training_day_cost", "days_avoided_per_peer_supporter"} {
			form.Set("value-"+key, regexpFind(page, `name="value-`+key+`" type="text" value="([^"]+)"`))
		}
		// A changed value with no source is refused; nothing is saved and the
		// other typed value is kept.
		form.Set("value-coordinator_cost_per_year", "61000")
		form.Set("value-working_day_cost", "abc")
		resp, body := owner.post(f.path("/business-case"), form)
		if resp.StatusCode != 422 || !strings.Contains(body, "say where your figure comes from") || !strings.Contains(body, "enter a number") || !strings.Contains(body, `value="61000"`) {
			t.Fatalf("bad assumptions = %d\n%s", resp.StatusCode, body)
		}
		if own, _ := st.AssumptionOverrides(context.Background(), store.AllOrganisations(), f.orgA.ID); len(own) != 0 {
			t.Fatalf("refused form saved %+v", own)
		}
		// A figure outside its range (1e308 pounds overflowed the sums) is
		// refused by the field, naming it and the range.
		form.Set("value-working_day_cost", "1e308")
		form.Set("source-working_day_cost", "Typed in a hurry")
		resp, body = owner.post(f.path("/business-case"), form)
		if resp.StatusCode != 422 || !strings.Contains(body, `<a href="#value-working_day_cost">Cost of one working day lost: enter a figure from £0 to £5,000 per day</a>`) ||
			!strings.Contains(body, `id="value-working_day_cost-error"`) {
			t.Fatalf("figure out of range = %d\n%s", resp.StatusCode, body)
		}
		if own, _ := st.AssumptionOverrides(context.Background(), store.AllOrganisations(), f.orgA.ID); len(own) != 0 {
			t.Fatalf("refused form saved %+v", own)
		}
		form.Del("source-working_day_cost")
		form.Set("value-working_day_cost", "200")
		form.Set("source-coordinator_cost_per_year", "Finance team, 2026 pay scales")
		// A figure only the organisation can give needs its source too.
		form.Set("value-own_days_lost_mental_health", "4,000")
		if resp, body := owner.post(f.path("/business-case"), form); resp.StatusCode != 422 || !strings.Contains(body, "say where your figure comes from") {
			t.Fatalf("own figure without a source = %d", resp.StatusCode)
		}
		form.Set("source-own_days_lost_mental_health", "HR absence system, 2025")
		if resp, body := owner.post(f.path("/business-case"), form); resp.StatusCode != 303 {
			t.Fatalf("save assumptions = %d\n%s", resp.StatusCode, body)
		}
		resp, pdf := owner.get(f.path("/business-case.pdf"))
		if resp.StatusCode != 200 {
			t.Fatalf("business case PDF = %d", resp.StatusCode)
		}
		text := strings.Join(strings.Fields(pdftest.Text(t, []byte(pdf))), " ")
		for _, want := range []string{"£61,000", "Finance team, 2026 pay scales", "Disclosure rule for group figures",
			"your own figure: 4,000 days a year lost to mental ill health (HR absence system, 2025", "Why this is required, whatever the return"} {
			if !strings.Contains(text, want) {
				t.Errorf("business case PDF lacks %q", want)
			}
		}
		// Viewers read the business case but cannot change its assumptions.
		viewer := f.signedIn(f.people["A viewer"])
		if resp, body := viewer.get(f.path("/business-case")); resp.StatusCode != 200 || !strings.Contains(body, "£200 per day") || strings.Contains(body, "GBP") {
			t.Errorf("viewer business case = %d, or its assumptions are not in pounds", resp.StatusCode)
		}
		if resp, _ := viewer.post(f.path("/business-case"), form); resp.StatusCode != 403 {
			t.Errorf("viewer saved assumptions: %d", resp.StatusCode)
		}
	})
}

// TestBenchmarkChangeSinceLastCycle: the report sets this cycle against the
// organisation's submitted assessment of the cycle before.
func TestBenchmarkChangeSinceLastCycle(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		ctx := context.Background()
		e := builtinFrameworks(t).Edition("blwf", "2024")
		now := st.Now()
		earlier, err := st.CreateCycle(ctx, store.SystemActor("test"), store.Cycle{Name: "2025/26", FrameworkKey: e.Key, FrameworkVersion: e.Version,
			OpensOn: now.AddDate(-1, 0, 0), ClosesOn: now.AddDate(0, -1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		later := f.cycle
		f.cycle = earlier
		f.submit(f.orgA, 0, "")
		f.cycle = later
		_, body := f.signedIn(f.people["A viewer"]).get(f.path("/benchmark"))
		if !strings.Contains(body, "Change since 2025/26") {
			t.Fatalf("no change since the last cycle:\n%s", body)
		}
		// A went from level 0 to level 1 on every standard ("+" is escaped
		// in the page).
		rows := 1 + len(e.Framework.Areas) + len(e.Framework.Standards())
		if n := strings.Count(body, ">&#43;1.0<"); n != rows {
			t.Errorf("%d rows show +1.0, want overall, every area and every standard (%d)", n, rows)
		}
		// A standard in the change table carries its statement, not only
		// its code.
		first := e.Framework.Standards()[0]
		change := body[strings.Index(body, "Change since 2025/26"):]
		if !strings.Contains(change, first.ID+" "+html.EscapeString(first.Statement)) {
			t.Errorf("the change table does not give %s its statement", first.ID)
		}
	})
}

// TestBenchmarkChangeAcrossEditions: when the cycle before used the earlier
// edition, standards are compared through the crosswalk: split and merged
// ones are marked approximate, new ones not comparable.
func TestBenchmarkChangeAcrossEditions(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
	ctx, actor := context.Background(), store.SystemActor("test")
	old := builtinFrameworks(t).Edition("blwf", "2017")
	now := st.Now()
	earlier, err := st.CreateCycle(ctx, actor, store.Cycle{Name: "2024/25", FrameworkKey: old.Key, FrameworkVersion: old.Version,
		OpensOn: now.AddDate(-1, 0, 0), ClosesOn: now.AddDate(0, -1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var seed []store.Response
	for _, s := range old.Framework.Standards() {
		l := 0
		seed = append(seed, store.Response{StandardID: s.ID, Level: &l})
	}
	as, err := st.StartAssessment(ctx, actor, store.AllOrganisations(), store.Assessment{OrganisationID: f.orgA.ID, CycleID: earlier.ID,
		FrameworkKey: old.Key, FrameworkVersion: old.Version, FrameworkSHA256: old.SHA256}, seed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SubmitAssessment(ctx, actor, store.Scope{OrgID: f.orgA.ID}, as.ID, "Chief", "Chief Constable"); err != nil {
		t.Fatal(err)
	}
	_, body := f.signedIn(f.people["A viewer"]).get(f.path("/benchmark"))
	for _, want := range []string{"Change since 2024/25", "new in this edition", "approximate: split from", "approximate: merged from", "not comparable"} {
		if !strings.Contains(body, want) {
			t.Errorf("change across editions lacks %q", want)
		}
	}
}

// TestReportsListLatestFiguresFirst: the reports list starts with the
// newest cycle that has submitted figures; a newer cycle with none yet is
// labelled and says when its figures will appear.
func TestReportsListLatestFiguresFirst(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
	e := builtinFrameworks(t).Edition("blwf", "2024")
	now := st.Now()
	next, err := st.CreateCycle(context.Background(), store.SystemActor("test"), store.Cycle{Name: "2099/00", FrameworkKey: e.Key, FrameworkVersion: e.Version,
		OpensOn: now.AddDate(1, 0, 0), ClosesOn: now.AddDate(2, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.signedIn(f.people["A viewer"]).get("/reports")
	withFigures, empty := strings.Index(body, "<h2 class=\"govuk-heading-m\">"+f.cycle.Name), strings.Index(body, "<h2 class=\"govuk-heading-m\">"+next.Name)
	if withFigures < 0 || empty < 0 || withFigures > empty {
		t.Errorf("the cycle with figures (%d) does not come before the newer one without (%d):\n%s", withFigures, empty, body)
	}
	if !strings.Contains(body, "No figures yet") || !strings.Contains(body, "No organisation has submitted a self-assessment for "+next.Name) {
		t.Errorf("the cycle without figures is not labelled:\n%s", body)
	}
	if strings.Count(body, "No figures yet") != 1 {
		t.Errorf("a cycle with figures is labelled as having none")
	}
}

// TestOrganisationReportAPI: the summary the report page opens with comes
// back as data for the token owner's organisation, the same sentences as
// the page; another organisation's report is not reachable.
func TestOrganisationReportAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		var got struct {
			OrganisationID int64  `json:"organisation_id"`
			Cycle          string `json:"cycle"`
			Summary        struct {
				Headline string `json:"headline"`
				Gaps     []struct {
					ID string `json:"standard_id"`
				} `json:"priority_gaps"`
				Next string `json:"next"`
			} `json:"summary"`
		}
		path := "/api/v1/reports/" + itoa(f.cycle.ID)
		if code := apiCall(t, f.fixture, f.apiToken(f.people["A viewer"]), http.MethodGet, path, "", &got); code != 200 {
			t.Fatalf("report API = %d", code)
		}
		// A is at level 1 everywhere, peers at 2 to 4: every standard is a
		// gap, three are listed, and the one with an action comes last.
		if got.OrganisationID != f.orgA.ID || got.Cycle != "2026/27" || len(got.Summary.Gaps) != 3 || got.Summary.Gaps[0].ID == f.ids[0] ||
			!strings.Contains(got.Summary.Headline, "below the median of your peer group (test), 2.5") || !strings.Contains(got.Summary.Next, "chief constable") {
			t.Errorf("report API = %+v", got)
		}
		_, page := f.signedIn(f.people["A viewer"]).get(f.path("/benchmark"))
		if !strings.Contains(page, html.EscapeString(got.Summary.Headline)) {
			t.Errorf("the page does not open with the API's headline %q", got.Summary.Headline)
		}
		// Naming another organisation gets nothing of it: the token's own
		// organisation is the only one in view.
		got.OrganisationID = 0
		if code := apiCall(t, f.fixture, f.apiToken(f.people["A viewer"]), http.MethodGet, path+"?org="+itoa(f.peers[0].ID), "", &got); code == 200 && got.OrganisationID != f.orgA.ID {
			t.Errorf("another organisation's report = %d, organisation %d", code, got.OrganisationID)
		}
	})
}

// TestBenchmarkShowsTRiMFigures: the benchmark page and PDF carry the TRiM
// and peer support training figures beside the other provision figures,
// with their period; without a return the page says "no records", and
// with one it shows the organisation's own rate, worked out here, and the
// share of its peer supporters supervised from its peer support return.
func TestBenchmarkShowsTRiMFigures(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		year := f.cycle.OpensOn.Year()
		label := "TRiM risk assessments (calendar year " + itoa(int64(year)) + ")"
		viewer := f.signedIn(f.people["A viewer"])
		_, body := viewer.get(f.path("/benchmark"))
		for _, want := range []string{label, "no records: no TRiM and trauma support return for calendar year " + itoa(int64(year)),
			"Peer supporters who had supervision (calendar year " + itoa(int64(year)) + ")"} {
			if !strings.Contains(body, want) {
				t.Errorf("benchmark page without a return lacks %q", want)
			}
		}
		ctx, sys, all := context.Background(), store.SystemActor("test"), store.AllOrganisations()
		if err := st.SetWorkforce(ctx, sys, all, store.Workforce{OrganisationID: f.orgA.ID, Year: year, Officers: 650, Staff: 150}); err != nil {
			t.Fatal(err)
		}
		assessments := 0
		for q := 1; q <= 4; q++ {
			assessments += 5 + q
			if _, err := st.SaveTraumaReturn(ctx, sys, all, store.TraumaReturn{OrganisationID: f.orgA.ID, Year: year, Quarter: q, Incidents: 4, PlanningMeetings: 3, RiskAssessments: 5 + q}); err != nil {
				t.Fatal(err)
			}
		}
		want := strconv.FormatFloat(float64(assessments)*1000/800, 'f', 1, 64) // 26 per 800 people
		supervised, supporters := 29, 37
		if _, err := st.SavePeerSupportReturn(ctx, sys, all, store.PeerSupportReturn{OrganisationID: f.orgA.ID, Year: year, PeerSupporters: supporters,
			SupervisionInPlace: true, SupportersSupervised: &supervised}); err != nil {
			t.Fatal(err)
		}
		wantShare := strconv.FormatFloat(float64(supervised)*100/float64(supporters), 'f', 0, 64) // whole per cent
		_, body = viewer.get(f.path("/benchmark"))
		if !strings.Contains(body, label+": "+want+" per 1,000 workforce") {
			t.Errorf("the summary does not say %s: %s", label, want)
		}
		// The provision table's row: the label with the figure in a cell.
		inTable := func(label, want string) bool {
			for rest := body; strings.Contains(rest, label); {
				rest = rest[strings.Index(rest, label)+len(label):]
				if strings.Contains(rest[:min(len(rest), 400)], ">"+want+"<") {
					return true
				}
			}
			return false
		}
		if !inTable(label, want) {
			t.Errorf("the benchmark page's provision table does not show %s = %s", label, want)
		}
		if l := "Peer supporters who had supervision (calendar year " + itoa(int64(year)) + ")"; !inTable(l, wantShare) {
			t.Errorf("the benchmark page's provision table does not show %s = %s", l, wantShare)
		}
		_, pdf := viewer.get(f.path("/benchmark.pdf"))
		if text := pdftest.Text(t, []byte(pdf)); !strings.Contains(text, "TRiM risk assessments") || !strings.Contains(text, want) {
			t.Errorf("benchmark PDF lacks the TRiM figure %s", want)
		}
	})
}

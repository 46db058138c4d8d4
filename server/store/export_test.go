package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// tickingClock moves on by a little more than a millisecond at every
// reading, with nanoseconds the databases do not keep, so that timestamps
// differ, ties are possible to tell apart, and truncation is exercised.
func tickingClock(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1))*1501*time.Microsecond + 789) }
}

func recordEditions(t *testing.T, st *store.Store, set *frameworks.Set) {
	t.Helper()
	var eds []store.EditionRecord
	for _, e := range set.Editions {
		eds = append(eds, store.EditionRecord{Kind: e.Kind, Key: e.Key, Version: e.Version, Title: e.Title, Status: e.Status, SHA256: e.SHA256})
	}
	if err := st.RecordEditions(context.Background(), eds); err != nil {
		t.Fatal(err)
	}
}

// exportJSON exports an organisation as the command line writes it.
func exportJSON(t *testing.T, st *store.Store, slug string) []byte {
	t.Helper()
	e, err := st.ExportOrg(context.Background(), slug)
	if err != nil {
		t.Fatalf("export %s: %v", slug, err)
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importJSON(t *testing.T, st *store.Store, doc []byte) (store.ImportResult, error) {
	t.Helper()
	e, err := store.DecodeExport(bytes.NewReader(doc))
	if err != nil {
		return store.ImportResult{}, err
	}
	return st.ImportOrg(context.Background(), store.SystemActor("command line"), e)
}

// sameJSON fails with the first line where two exports differ.
func sameJSON(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if bytes.Equal(want, got) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			t.Fatalf("%s: exports differ at line %d:\nwant %s\n got %s", what, i+1, w, g)
		}
	}
}

var demoNow = time.Date(2026, 11, 22, 10, 30, 15, 123456789, time.UTC)

// demoSource is the demo national picture on SQLite, with Avon and
// Somerset given every kind of record the demo lacks: a local role, a
// second review of a role, a disabled person, sign-ins, an action with a
// due date, a peer review request, a returned assessment, sessions and API
// tokens (which must stay behind), and changes made by its own people.
func demoSource(t *testing.T, set *frameworks.Set) *store.Store {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, store.DialectSQLite)
	st.Now = tickingClock(demoNow)
	recordEditions(t, st, set)
	if _, err := seed.Demo(ctx, st, set, demoNow); err != nil {
		t.Fatal(err)
	}
	org, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), "avon-somerset")
	if err != nil {
		t.Fatal(err)
	}
	sc := store.Scope{OrgID: org.ID}
	owner, _ := st.UserByEmail(ctx, "owner@avon-somerset.demo.example")
	viewer, _ := st.UserByEmail(ctx, "viewer@avon-somerset.demo.example")
	as := store.Actor{UserID: owner.ID, OrgID: org.ID, Role: store.RoleOwner, Label: "Priya Shah (Organisation owner)", RequestID: "req-42", IP: "192.0.2.7"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.RecordSignIn(ctx, owner.ID))
	must(st.SetUserDisabled(ctx, as, sc, viewer.ID, true))
	must(st.CreateSession(ctx, store.Session{Hash: "session-hash-must-not-leave", UserID: owner.ID, CSRFToken: "csrf-must-not-leave", ExpiresAt: demoNow.Add(time.Hour)}))
	_, err = st.CreateAPIToken(ctx, as, store.APIToken{UserID: owner.ID, Name: "reporting", Hash: "api-token-hash-must-not-leave", Prefix: "blt_abcd"})
	must(err)

	m := set.RiskModel("psych-risk", "2026.1")
	_, err = st.CreateLocalRole(ctx, as, sc, store.LocalRole{OrganisationID: org.ID, RoleID: "LOCAL-dive-team", Name: "Dive team",
		Hazards: []string{m.Hazards[0].ID, m.Hazards[1].ID}, Controls: []string{m.Controls[0].ID}})
	must(err)
	register, err := st.RoleRegister(ctx, sc, org.ID)
	must(err)
	if len(register) == 0 {
		t.Fatal("the demo gave Avon and Somerset no role assessments")
	}
	review := register[0]
	due := demoNow.AddDate(0, 2, 0)
	review.Headcount++
	review.Hazards[0].Controls = append(review.Hazards[0].Controls, store.RoleControl{LocalName: "Buddy system on night shifts",
		Status: frameworks.ControlPlanned, Owner: "Inspector", DueOn: &due, LikelihoodReduction: 1})
	review.Hazards[0].Rationale = "More call-outs since the spring"
	_, err = st.SaveRoleAssessment(ctx, as, sc, review)
	must(err)
	// A review saved part way, not signed off, travels as a draft.
	_, err = st.SaveRoleReviewDraft(ctx, as, sc, store.RoleReviewDraft{OrganisationID: org.ID, RoleID: "LOCAL-dive-team", ModelKey: "psych-risk",
		ModelVersion: "2026.1", Review: `{"teams":"Dive team","headcount":12,"hazards":[{"hazard_id":"` + m.Hazards[0].ID + `","likelihood":3,"severity":0}]}`})
	must(err)
	must(st.SetAssumptionOverrides(ctx, as, sc, sc.OrgID, []store.AssumptionOverride{{Key: "working_day_cost", Value: 212.5, Source: "Finance, 2026 pay award"}}))

	list, err := st.ListAssessments(ctx, sc)
	must(err)
	var returned bool
	for _, a := range list {
		switch {
		case a.Editable():
			rs, err := st.Responses(ctx, sc, a.ID)
			must(err)
			level := 2
			_, err = st.SaveResponse(ctx, as, sc, a.ID, store.Response{StandardID: rs[0].StandardID, Level: &level, Evidence: "Board paper of May; see <link> & minutes"}, rs[0].Version)
			must(err)
			_, err = st.AddAction(ctx, as, sc, store.Action{AssessmentID: a.ID, StandardID: rs[0].StandardID, What: "Train line managers", Owner: "HR", DueOn: &due})
			must(err)
			_, err = st.RequestPeerReview(ctx, as, sc, a.ID)
			must(err)
		case (a.Status == store.StatusSubmitted || a.Status == store.StatusValidated) && !returned:
			_, err = st.ReturnAssessment(ctx, store.SystemActor("Sam Okafor (National admin)"), a.ID, "Please add evidence for the leadership area")
			must(err)
			returned = true
		}
	}
	return st
}

// TestExportImportReproducesAnOrganisation moves an organisation with every
// kind of record from SQLite into an empty database of each dialect and
// back, and expects every export to be the same, byte for byte.
func TestExportImportReproducesAnOrganisation(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	exportAt := demoExportAt
	first := demoExport(t, set, "avon-somerset")

	var e store.Export
	if err := json.Unmarshal(first, &e); err != nil {
		t.Fatal(err)
	}
	for what, n := range map[string]int{"workforce": len(e.Workforce), "people": len(e.People), "assessments": len(e.Assessments),
		"local roles": len(e.LocalRoles), "role assessments": len(e.RoleAssessments), "dogs": len(e.OK9.Dogs),
		"handlers": len(e.OK9.Handlers), "deployments": len(e.OK9.Deployments), "peer support returns": len(e.PeerSupportReturns),
		"van requests": len(e.VanRequests), "business case assumptions": len(e.BusinessCase), "audit events": len(e.Audit),
		"trauma returns": len(e.TraumaReturns), "role review drafts": len(e.RoleReviewDrafts)} {
		if n == 0 {
			t.Errorf("the export has no %s", what)
		}
	}
	if e.OK9.Scheme == nil || e.OK9.Scheme.SPOCEmail == "" || e.OK9.Scheme.WelfareSchemeExpiresOn == nil {
		t.Errorf("the export's OK9 scheme = %+v", e.OK9.Scheme)
	}
	// The handler records behind the gates travel with the export (the
	// round trip below shows they come back).
	assessed := 0
	for _, h := range e.OK9.Handlers {
		if h.SuitabilityOutcome == store.SuitabilityPassed && h.SuitabilityAssessedOn != nil && h.Status != "" {
			assessed++
		}
	}
	if assessed == 0 {
		t.Errorf("no exported handler carries a suitability assessment: %+v", e.OK9.Handlers)
	}
	cohorts := 0
	for _, ra := range e.RoleAssessments {
		cohorts += len(ra.Cohorts)
	}
	if cohorts == 0 {
		t.Error("the export has no screening cohorts")
	}
	statuses := map[string]bool{}
	for _, a := range e.Assessments {
		statuses[a.Status] = true
	}
	if !statuses[store.StatusReturned] || !statuses[store.StatusDraft] {
		t.Errorf("assessment statuses in the export: %v", statuses)
	}
	actors := 0
	for _, ev := range e.Audit {
		if ev.Actor != "" {
			actors++
		}
	}
	if actors == 0 {
		t.Error("no audit event in the export names a person of the organisation as its actor")
	}
	for _, secret := range []string{"password_hash", "$argon2id$", "session-hash-must-not-leave", "csrf-must-not-leave", "api-token-hash-must-not-leave", "dsfrs"} {
		if bytes.Contains(first, []byte(secret)) {
			t.Errorf("the export contains %q", secret)
		}
	}

	storetest.ForEachDialect(t, func(t *testing.T, dst *store.Store) {
		dst.Now = tickingClock(exportAt.Add(time.Hour))
		recordEditions(t, dst, set)
		res, err := importJSON(t, dst, first)
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if res.People != len(e.People) || len(res.CyclesCreated) != len(e.Assessments) || len(res.Warnings) != 0 {
			t.Errorf("import result: %+v", res)
		}
		dst.Now = func() time.Time { return exportAt }
		second := exportJSON(t, dst, "avon-somerset")
		sameJSON(t, "SQLite to "+dst.Dialect(), first, second)

		ctx := context.Background()
		owner, err := dst.UserByEmail(ctx, "owner@avon-somerset.demo.example")
		if err != nil || owner.PasswordHash != "" {
			t.Errorf("imported owner: %v, password hash %q", err, owner.PasswordHash)
		}
		events, _, err := dst.ListAudit(ctx, store.AllOrganisations(), store.AuditFilter{EntityType: "organisation"})
		if err != nil || len(events) == 0 || events[0].Action != "organisation.import" || events[0].OrganisationID != nil {
			t.Errorf("the import is not recorded as a national event: %v %+v", err, events)
		}

		// And back again into SQLite, as a move from PostgreSQL would go.
		back := storetest.Open(t, store.DialectSQLite)
		back.Now = tickingClock(exportAt.Add(2 * time.Hour))
		recordEditions(t, back, set)
		if _, err := importJSON(t, back, second); err != nil {
			t.Fatalf("import back: %v", err)
		}
		back.Now = func() time.Time { return exportAt }
		sameJSON(t, dst.Dialect()+" to SQLite", first, exportJSON(t, back, "avon-somerset"))

		// Importing the same organisation twice is refused, and changes nothing.
		_, err = importJSON(t, dst, first)
		if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), `organisation.slug: this database already has an organisation with the short name "avon-somerset"`) {
			t.Errorf("second import: %v", err)
		}
	})
}

// A mutual-aid deployment names its host by slug: linked again when the
// host exists, kept without the link (and said so) when it does not.
func TestImportLinksMutualAidHostsWhenTheyExist(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	exportAt := demoExportAt
	doc := demoExport(t, set, "devon-cornwall")
	if !bytes.Contains(doc, []byte(`"host_organisation": "dorset"`)) {
		t.Fatal("the demo's Devon and Cornwall export has no deployment hosted by Dorset")
	}
	ctx := context.Background()

	alone := storetest.Open(t, store.DialectSQLite)
	recordEditions(t, alone, set)
	res, err := importJSON(t, alone, doc)
	if err != nil {
		t.Fatal(err)
	}
	// One warning for each day of the demo's three-day mutual aid to Dorset.
	if len(res.Warnings) != 3 {
		t.Errorf("warnings: %q, want one for each of the three days", res.Warnings)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w, `host_organisation: there is no organisation "dorset" here`) {
			t.Errorf("warning %q", w)
		}
	}
	alone.Now = func() time.Time { return exportAt }
	again := exportJSON(t, alone, "devon-cornwall")
	if want := bytes.ReplaceAll(doc, []byte(`"host_organisation": "dorset"`), []byte(`"host_organisation": ""`)); !bytes.Equal(want, again) {
		sameJSON(t, "import without the host", want, again)
	}

	withHost := storetest.Open(t, store.DialectSQLite)
	recordEditions(t, withHost, set)
	if _, err := withHost.CreateOrganisation(ctx, store.Actor{}, store.Organisation{Slug: "dorset", Name: "Dorset Police", Sector: "police", Nation: "England"}); err != nil {
		t.Fatal(err)
	}
	if res, err := importJSON(t, withHost, doc); err != nil || len(res.Warnings) != 0 {
		t.Fatalf("import beside Dorset: %v %q", err, res.Warnings)
	}
	withHost.Now = func() time.Time { return exportAt }
	sameJSON(t, "import beside the host", doc, exportJSON(t, withHost, "devon-cornwall"))
}

// An imported trauma return is held to the rules of one saved by hand: a
// refused one names its place in the file, and nothing is imported.
func TestImportRefusesAnInconsistentTraumaReturn(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	var e store.Export
	if err := json.Unmarshal(demoExport(t, set, "avon-somerset"), &e); err != nil {
		t.Fatal(err)
	}
	if len(e.TraumaReturns) == 0 {
		t.Fatal("the demo export has no trauma returns")
	}
	e.TraumaReturns[0].Reviews = e.TraumaReturns[0].RiskAssessments + 1
	importRefusedAt(t, set, e, "trauma_returns[0].reviews")
}

// importRefusedAt imports e into an empty database and expects it refused
// as invalid, naming where in the file, with nothing imported. It gives
// the database, for a test to import another file into it.
func importRefusedAt(t *testing.T, set *frameworks.Set, e store.Export, place string) *store.Store {
	t.Helper()
	doc, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, store.DialectSQLite)
	recordEditions(t, st, set)
	if _, err := importJSON(t, st, doc); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), place) {
		t.Fatalf("import refused at %s? got %v", place, err)
	}
	if orgs, _ := st.ListOrganisations(context.Background(), store.AllOrganisations()); len(orgs) != 0 {
		t.Errorf("an import refused at %s left %d organisations", place, len(orgs))
	}
	return st
}

// TestImportRefusesABadDraft: a draft whose review is not a JSON object is
// refused with its place named, and nothing is imported; a file written
// before drafts (no role_review_drafts) still imports.
func TestImportRefusesABadDraft(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	var e store.Export
	if err := json.Unmarshal(demoExport(t, set, "avon-somerset"), &e); err != nil {
		t.Fatal(err)
	}
	if len(e.RoleReviewDrafts) == 0 {
		t.Fatal("the demo export has no drafts")
	}
	bad := e
	bad.RoleReviewDrafts = slices.Clone(e.RoleReviewDrafts)
	bad.RoleReviewDrafts[0].Review = json.RawMessage(`[1,2]`)
	st := importRefusedAt(t, set, bad, "role_review_drafts[0].review")
	old := e
	old.RoleReviewDrafts = nil
	doc, _ := json.Marshal(old)
	if strings.Contains(string(doc), "role_review_drafts") {
		t.Fatal("an export with no drafts still names them")
	}
	if _, err := importJSON(t, st, doc); err != nil {
		t.Fatalf("a file without drafts: %v", err)
	}
}

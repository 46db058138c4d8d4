package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// provisionNow is a fixed Monday, so that dates in these tests mean the
// same whenever they run.
func provisionNow() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

// apiRefusal is an API error, with the welfare breaches when there are any.
type apiRefusal struct {
	Error struct {
		Code, Message string
		RequestID     string `json:"request_id"`
	}
	Breaches    []string
	MayOverride bool `json:"may_override"`
}

type apiDog struct {
	ID                 int64
	CallName           string     `json:"call_name"`
	Status             string     `json:"status"`
	NextWelfareCheckOn *time.Time `json:"next_welfare_check_on"`
}

type apiDeploymentRow struct {
	ID                 int64
	OrganisationID     int64  `json:"organisation_id"`
	HostOrganisationID *int64 `json:"host_organisation_id"`
	Kind               string
	Minutes            int
	OverrideReason     string   `json:"override_reason"`
	DogNames           []string `json:"dog_names"`
}

// provisionEditor gives A's contributor the provision section.
func provisionEditor(t *testing.T, f *fixture) store.User {
	t.Helper()
	u, err := f.st.UpdateUserAccess(context.Background(), store.SystemActor("test"), store.AllOrganisations(), f.people["A contributor"].ID, store.RoleContributor, []string{"provision"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestProvisionAPIRecordsAndWelfare: provision editors keep the OK9 records
// through the API; deployments go through the welfare check, which only an
// owner may override, with a reason; viewers and other contributors read.
func TestProvisionAPIRecordsAndWelfare(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx := context.Background()
		owner, editor, viewer := f.apiToken(f.people["A owner"]), f.apiToken(provisionEditor(t, f)), f.apiToken(f.people["A viewer"])
		var refused apiRefusal

		bramble := `{"call_name":"Bramble","status":"active","assessment_passed_on":"2026-01-10","next_welfare_check_on":"2027-01-10"}`
		for who, tok := range map[string]string{"A viewer": viewer, "B contributor": f.apiToken(f.people["B contributor"])} {
			if code := apiCall(t, f, tok, http.MethodPost, "/api/v1/provision/ok9/dogs", bramble, &refused); code != 403 || refused.Error.Code != "forbidden" {
				t.Errorf("%s added a dog: %d %+v", who, code, refused)
			}
		}
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Bramble","status":"active"}`, &refused); code != 422 || !strings.Contains(refused.Error.Message, "assessment_passed_on is required") {
			t.Errorf("active dog without an assessment: %d %+v", code, refused)
		}
		var dog apiDog
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/ok9/dogs", bramble, &dog); code != 201 || dog.ID == 0 || dog.Status != "active" {
			t.Fatalf("add dog = %d %+v", code, dog)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/dogs", `{"call_name":"Bramble","status":"training"}`, &refused); code != 409 {
			t.Errorf("second Bramble = %d %+v", code, refused)
		}
		dogPath := "/api/v1/provision/ok9/dogs/" + itoa(dog.ID)
		if code := apiCall(t, f, editor, http.MethodPut, dogPath, `{"call_name":"Bramble","status":"active","assessment_passed_on":"2026-01-10","next_welfare_check_on":"2026-12-01"}`, &dog); code != 200 {
			t.Fatalf("change dog = %d", code)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, dogPath, "", &dog); code != 200 || dog.NextWelfareCheckOn == nil || dog.NextWelfareCheckOn.Format(time.DateOnly) != "2026-12-01" {
			t.Errorf("dog read back = %d %+v", code, dog)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/ok9/dogs/999999", "", &refused); code != 404 {
			t.Errorf("unknown dog = %d", code)
		}

		var handler struct {
			ID     int64
			DogIDs []int64 `json:"dog_ids"`
		}
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/ok9/handlers", fmt.Sprintf(`{"display_name":"PC 4521","peer_supporter_trained_on":"2025-05-01","dog_ids":[%d]}`, dog.ID), &handler); code != 201 || len(handler.DogIDs) != 1 {
			t.Fatalf("add handler = %d %+v", code, handler)
		}
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/ok9/handlers/"+itoa(handler.ID), `{"display_name":"PC 4521","mhfa_trained_on":"2025-06-01"}`, &handler); code != 200 || len(handler.DogIDs) != 0 {
			t.Errorf("change handler = %d %+v", code, handler)
		}
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/ok9/handlers/"+itoa(handler.ID), fmt.Sprintf(`{"display_name":"PC 4521","mhfa_trained_on":"2025-06-01","dog_ids":[%d]}`, dog.ID), &handler); code != 200 || len(handler.DogIDs) != 1 {
			t.Errorf("give the handler the dog again = %d %+v", code, handler)
		}

		var scheme struct {
			SPOC        string     `json:"spoc"`
			SLASignedOn *time.Time `json:"sla_signed_on"`
		}
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/ok9/scheme", `{"spoc":"Insp Jones","sla_signed_on":"2025-10-01","insurance_expires_on":"2027-03-31"}`, &scheme); code != 200 {
			t.Fatalf("save scheme = %d", code)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/ok9/scheme", "", &scheme); code != 200 || scheme.SPOC != "Insp Jones" || scheme.SLASignedOn.Format(time.DateOnly) != "2025-10-01" {
			t.Errorf("scheme read back = %d %+v", code, scheme)
		}

		// The welfare limits: 180 minutes a day in the built-in policy.
		deployment := func(minutes int, reason string) string {
			return fmt.Sprintf(`{"deployed_on":"2026-11-20","dog_ids":[%d],"handler_id":%d,"kind":"team_visit","people_engaged":10,"minutes":%d,"override_reason":%q}`, dog.ID, handler.ID, minutes, reason)
		}
		// The handler has no suitability assessment yet: the gate refuses,
		// naming the rule and the fix, and saves nothing.
		var gated struct {
			Error       struct{ Message string }
			Gates       []struct{ Rule, Fix string }
			MayOverride bool `json:"may_override"`
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/deployments", deployment(150, ""), &gated); code != 422 || gated.MayOverride ||
			len(gated.Gates) != 1 || !strings.Contains(gated.Gates[0].Rule, "passed the OK9 suitability assessment with their dog") ||
			!strings.Contains(gated.Gates[0].Fix, "Record the date and outcome of PC 4521's suitability assessment with Bramble") {
			t.Errorf("deployment of an unassessed handler = %d %+v", code, gated)
		}
		var none struct{ Deployments []apiDeploymentRow }
		if apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/ok9/deployments", "", &none); len(none.Deployments) != 0 {
			t.Fatalf("refused deployment saved: %+v", none)
		}
		var assessed struct {
			SuitabilityOutcome  string `json:"suitability_outcome"`
			ProtectedHoursMonth int    `json:"protected_hours_month"`
			Status              string
		}
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/ok9/handlers/"+itoa(handler.ID), fmt.Sprintf(`{"display_name":"PC 4521","mhfa_trained_on":"2025-06-01",`+
			`"suitability_assessed_on":"2026-02-01","suitability_outcome":"passed","supervisor_agreed_on":"2026-01-15","protected_hours_month":6,"dog_ids":[%d]}`, dog.ID), &assessed); code != 200 ||
			assessed.SuitabilityOutcome != "passed" || assessed.ProtectedHoursMonth != 6 || assessed.Status != "active" {
			t.Fatalf("record the assessment = %d %+v", code, assessed)
		}
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/ok9/handlers/"+itoa(handler.ID), `{"suitability_outcome":"passed","protected_hours_month":-2}`, &refused); code != 422 ||
			!strings.Contains(refused.Error.Message, "suitability_assessed_on is required") || !strings.Contains(refused.Error.Message, "protected_hours_month") {
			t.Errorf("bad handler record = %d %+v", code, refused)
		}
		var logged apiDeploymentRow
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/ok9/deployments", deployment(150, ""), &logged); code != 201 || logged.ID == 0 {
			t.Fatalf("first deployment = %d %+v", code, logged)
		}
		refused = apiRefusal{}
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/ok9/deployments", deployment(60, "We need to"), &refused); code != 422 || refused.MayOverride ||
			len(refused.Breaches) != 1 || !strings.Contains(refused.Breaches[0], "Bramble: would work 3 h 30 min") || !strings.Contains(refused.Error.Message, "only the organisation's owner") {
			t.Errorf("contributor beyond the limits, with a reason: %d %+v", code, refused)
		}
		refused = apiRefusal{}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/deployments", deployment(60, ""), &refused); code != 422 || !refused.MayOverride || !strings.Contains(refused.Error.Message, "override_reason") {
			t.Errorf("owner beyond the limits without a reason: %d %+v", code, refused)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/deployments", deployment(60, "Debrief after a fatal fire"), &logged); code != 201 || logged.OverrideReason != "Debrief after a fatal fire" {
			t.Errorf("owner override = %d %+v", code, logged)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/deployments", strings.Replace(deployment(30, ""), "team_visit", "mutual_aid", 1), &refused); code != 422 || !strings.Contains(refused.Error.Message, "kind must be one of") {
			t.Errorf("mutual aid logged by hand: %d %+v", code, refused)
		}
		ownerPage := f.signedIn(f.people["A owner"])
		if resp, body := ownerPage.post("/provision/ok9/deployments", url.Values{"deployed_on": {"2026-11-18"}, "dogs": {itoa(dog.ID)}, "handler": {itoa(handler.ID)}, "kind": {"mutual_aid"}, "minutes": {"30"}}); resp.StatusCode != 200 || !strings.Contains(body, "logged when the lending organisation accepts an offer") {
			t.Errorf("mutual aid logged by hand through the form = %d", resp.StatusCode)
		}
		bDog, err := st.SaveOK9Dog(ctx, store.SystemActor("test"), store.AllOrganisations(), store.OK9Dog{OrganisationID: f.orgB.ID, CallName: "Borrowed", Status: store.DogTraining})
		if err != nil {
			t.Fatal(err)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/deployments", strings.Replace(deployment(30, ""), fmt.Sprintf("[%d]", dog.ID), fmt.Sprintf("[%d]", bDog.ID), 1), &refused); code != 422 || !strings.Contains(refused.Error.Message, "own organisation") {
			t.Errorf("deploying B's dog: %d %+v", code, refused)
		}
		var log struct{ Deployments []apiDeploymentRow }
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/ok9/deployments?from=2026-11-01&to=2026-11-30", "", &log); code != 200 || len(log.Deployments) != 2 ||
			log.Deployments[0].DogNames[0] != "Bramble" || log.Deployments[0].OverrideReason != "Debrief after a fatal fire" || log.Deployments[1].OverrideReason != "" {
			t.Errorf("deployment log, newest first = %d %+v", code, log)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/ok9/deployments?from=2026-12-01&to=2026-11-01", "", &refused); code != 422 || !strings.Contains(refused.Error.Message, "to must be on or after from") {
			t.Errorf("backwards range = %d %+v", code, refused)
		}
		events, _, _ := st.ListAudit(ctx, store.Scope{OrgID: f.orgA.ID}, store.AuditFilter{EntityType: "ok9_deployment"})
		if len(events) != 2 || !strings.Contains(events[0].After, "welfare_limits_overridden") || events[0].RequestID == "" {
			t.Errorf("audit of deployments = %+v", events)
		}

		// Peer support: every field of the return is required.
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/peer-support/2026", `{"coordinator_in_post":true,"peer_supporters":40}`, &refused); code != 422 ||
			!strings.Contains(refused.Error.Message, "estip_lead is required") || !strings.Contains(refused.Error.Message, "contacts is required") {
			t.Errorf("partial return = %d %+v", code, refused)
		}
		full := `{"coordinator_in_post":%t,"coordinator_full_time":true,"oh_clinician_trained":false,"estip_lead":true,"supervision_in_place":true,"confidentiality_in_place":true,
			"peer_supporters":40,"peer_champions":5,"peer_coordinators":2,"trained_trainers":3,"demob_defusing_trained":25,"trim_practitioners":8,"contacts":310}`
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/peer-support/2026", fmt.Sprintf(full, false), &refused); code != 422 || !strings.Contains(refused.Error.Message, "coordinator_full_time") {
			t.Errorf("full-time coordinator not in post = %d %+v", code, refused)
		}
		var ret store.PeerSupportReturn
		if code := apiCall(t, f, editor, http.MethodPut, "/api/v1/provision/peer-support/2026", fmt.Sprintf(full, true), &ret); code != 200 || ret.PeerSupporters != 40 || ret.Year != 2026 {
			t.Fatalf("save return = %d %+v", code, ret)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/peer-support/2026", "", &ret); code != 200 || ret.Contacts != 310 || !ret.ESTIPLead {
			t.Errorf("return read back = %d %+v", code, ret)
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/peer-support/2025", "", &refused); code != 404 || !strings.Contains(refused.Error.Message, "2025") {
			t.Errorf("missing return = %d %+v", code, refused)
		}
		if code := apiCall(t, f, viewer, http.MethodPut, "/api/v1/provision/peer-support/2026", fmt.Sprintf(full, true), &refused); code != 403 {
			t.Errorf("viewer saved a return: %d", code)
		}

		// Van requests.
		if code := apiCall(t, f, editor, http.MethodPost, "/api/v1/provision/vans", `{"kind":"hotspot","starts_on":"2026-06-14","ends_on":"2026-06-14","place":"Taunton fire station","expected_attendance":60,"contact":"Wellbeing lead"}`, nil); code != 201 {
			t.Errorf("van request = %d", code)
		}
		if code := apiCall(t, f, viewer, http.MethodPost, "/api/v1/provision/vans", `{"kind":"hotspot","starts_on":"2026-06-14","ends_on":"2026-06-14","place":"Taunton","expected_attendance":60,"contact":"Lead"}`, nil); code != 403 {
			t.Errorf("a viewer requested a van: %d", code)
		}
		var vans struct {
			Requests []store.VanRequest
			Totals   map[string]int
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/vans?year=2026", "", &vans); code != 200 || len(vans.Requests) != 1 || vans.Requests[0].State != "requested" || vans.Totals["visits"] != 0 {
			t.Errorf("van requests = %d %+v", code, vans)
		}
	})
}

type apiIndicator struct {
	Key       string
	Value     *float64
	NoRecords bool `json:"no_records"`
	Note      string
}

func indicatorsByKey(list []apiIndicator) map[string]apiIndicator {
	out := map[string]apiIndicator{}
	for _, ind := range list {
		out[ind.Key] = ind
	}
	return out
}

// TestProvisionAPIIndicators: rates per 1,000 workforce say so when the
// year has no workforce figure, and are worked out when it has one.
func TestProvisionAPIIndicators(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		ctx, a := context.Background(), store.SystemActor("test")
		passed := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
		for _, name := range []string{"Bramble", "Juno"} {
			if _, err := st.SaveOK9Dog(ctx, a, store.AllOrganisations(), store.OK9Dog{OrganisationID: f.orgA.ID, CallName: name, Status: store.DogActive, AssessmentPassedOn: &passed}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.SavePeerSupportReturn(ctx, a, store.AllOrganisations(), store.PeerSupportReturn{OrganisationID: f.orgA.ID, Year: 2026, PeerSupporters: 30}); err != nil {
			t.Fatal(err)
		}
		viewer := f.apiToken(f.people["A viewer"])
		type summary struct {
			Organisation string
			Year         int
			Workforce    *int
			Indicators   []apiIndicator
			Readiness    []struct{ Label string } `json:"ok9_readiness"`
		}
		var sum summary
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision", "", &sum); code != 200 || sum.Year != 2026 || sum.Workforce != nil || len(sum.Readiness) != 9 {
			t.Fatalf("summary = %d %+v", code, sum)
		}
		got := indicatorsByKey(sum.Indicators)
		for _, key := range []string{store.IndActiveDogsPer1000, store.IndPeerSupportersPer1000, store.IndDemobDefusingPer1000} {
			if ind := got[key]; ind.Value != nil || !strings.Contains(ind.Note, "No workforce figure for 2026") {
				t.Errorf("%s without a workforce figure = %+v", key, ind)
			}
		}
		// No van visits and no deployments recorded in the year: no
		// records, not 0.
		if ind := got[store.IndVanChecksPer1000]; ind.Value != nil || !ind.NoRecords {
			t.Errorf("van checks without a visit = %+v", ind)
		}
		if ind := got[store.IndDeploymentsPerDog]; ind.Value != nil || !ind.NoRecords || !strings.Contains(ind.Note, "no OK9 deployments recorded in calendar year 2026") {
			t.Errorf("deployments per dog without a deployment = %+v", ind)
		}

		if err := st.SetWorkforce(ctx, a, store.AllOrganisations(), store.Workforce{OrganisationID: f.orgA.ID, Year: 2026, Officers: 1500, Staff: 500, Volunteers: 90}); err != nil {
			t.Fatal(err)
		}
		sum = summary{}
		apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision?year=2026", "", &sum)
		got = indicatorsByKey(sum.Indicators)
		if ind := got[store.IndActiveDogsPer1000]; ind.Value == nil || *ind.Value != 1 || ind.Note != "" {
			t.Errorf("active dogs per 1,000 of 2,000 = %+v", ind)
		}
		if ind := got[store.IndPeerSupportersPer1000]; ind.Value == nil || *ind.Value != 15 {
			t.Errorf("peer supporters per 1,000 = %+v", ind)
		}
		sum = summary{}
		apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision?year=2025", "", &sum)
		got = indicatorsByKey(sum.Indicators)
		if ind := got[store.IndActiveDogsPer1000]; ind.Value != nil || !strings.Contains(ind.Note, "No workforce figure for 2025") {
			t.Errorf("2025 has no figure: %+v", ind)
		}
		if ind := got[store.IndPeerSupportersPer1000]; !ind.NoRecords || !strings.Contains(ind.Note, "no peer support return for calendar year 2025") {
			t.Errorf("2025 has no return: %+v", ind)
		}
		var refused apiRefusal
		for _, q := range []string{"?year=1990", "?year=2027", "?year=soon"} {
			if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision"+q, "", &refused); code != 422 || !strings.Contains(refused.Error.Message, "year must be a year from 2016 to 2026") {
				t.Errorf("%s = %d %+v", q, code, refused)
			}
		}

		// National admins read any organisation's provision by ?org=, and
		// change none of it.
		admin := f.apiToken(f.people["admin"])
		if code := apiCall(t, f, admin, http.MethodGet, "/api/v1/provision", "", &refused); code != 404 {
			t.Errorf("admin without ?org= = %d", code)
		}
		sum = summary{}
		if code := apiCall(t, f, admin, http.MethodGet, "/api/v1/provision?org="+itoa(f.orgA.ID), "", &sum); code != 200 || sum.Organisation != f.orgA.Name {
			t.Errorf("admin reading A = %d %+v", code, sum)
		}
		var dogs struct{ Dogs []apiDog }
		if code := apiCall(t, f, admin, http.MethodGet, "/api/v1/provision/ok9/dogs?org="+itoa(f.orgA.ID), "", &dogs); code != 200 || len(dogs.Dogs) != 2 {
			t.Errorf("admin reading A's dogs = %d %+v", code, dogs)
		}
		if code := apiCall(t, f, admin, http.MethodPut, "/api/v1/provision/ok9/scheme?org="+itoa(f.orgA.ID), `{"spoc":"Admin"}`, &refused); code != 403 {
			t.Errorf("admin changed A's scheme: %d", code)
		}
	})
}

// TestProvisionAPIStrictDecoding: a body the API does not understand is
// refused with a message naming the problem, and changes nothing.
func TestProvisionAPIStrictDecoding(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		st.Now = provisionNow
		f := newFixture(t, st)
		owner := f.apiToken(f.people["A owner"])
		for _, tc := range []struct{ name, path, body, want string }{
			{"unknown field", "/api/v1/provision/ok9/dogs", `{"call_name":"Rex","status":"training","colour":"brown"}`, `unknown field "colour"`},
			{"wrong type", "/api/v1/provision/ok9/dogs", `{"call_name":5,"status":"training"}`, `"call_name" must be a string`},
			{"wrong type of number", "/api/v1/provision/ok9/deployments", `{"deployed_on":"2026-11-20","dog_ids":[1],"handler_id":1,"kind":"event","minutes":"60"}`, `"minutes" must be a whole number`},
			{"list expected", "/api/v1/provision/ok9/handlers", `{"display_name":"PC 1","dog_ids":3}`, `"dog_ids" must be a list`},
			{"cut short", "/api/v1/provision/ok9/dogs", `{"call_name":"Rex"`, "ends too soon"},
			{"syntax", "/api/v1/provision/ok9/dogs", `{"call_name":"Rex",}`, "not valid JSON"},
			{"empty", "/api/v1/provision/ok9/dogs", ``, "empty"},
			{"two objects", "/api/v1/provision/ok9/dogs", `{"call_name":"Rex","status":"training"} {"call_name":"Max"}`, "nothing after it"},
			{"not a date", "/api/v1/provision/ok9/dogs", `{"call_name":"Rex","status":"training","next_welfare_check_on":"10/01/2027"}`, `next_welfare_check_on must be a date like 2026-03-01, not "10/01/2027"`},
			{"form instead of JSON", "/api/v1/provision/vans", `visited_on=2026-06-14&location=Taunton`, "not valid JSON"},
			{"unknown field in a request", "/api/v1/mutual-aid", `{"incident":"Fire","location":"Town","starts_on":"2026-11-24","ends_on":"2026-11-25","dogs_needed":1,"urgent":true}`, `unknown field "urgent"`},
		} {
			var refused apiRefusal
			if code := apiCall(t, f, owner, http.MethodPost, tc.path, tc.body, &refused); code != 422 || refused.Error.Code != "invalid" || !strings.Contains(refused.Error.Message, tc.want) || refused.Error.RequestID == "" {
				t.Errorf("%s: %d %+v, want 422 saying %q", tc.name, code, refused, tc.want)
			}
		}
		var refused apiRefusal
		if code := apiCall(t, f, owner, http.MethodPut, "/api/v1/provision/ok9/scheme", `{"spoc":"Insp Jones","sla_signed":"2025-10-01"}`, &refused); code != 422 || !strings.Contains(refused.Error.Message, `"sla_signed"`) {
			t.Errorf("misspelt scheme field: %d %+v", code, refused)
		}
		big := `{"call_name":"` + strings.Repeat("x", 2<<20) + `","status":"training"}`
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/ok9/dogs", big, &refused); code != 413 || refused.Error.Code != "invalid" {
			t.Errorf("2 MiB body = %d %+v", code, refused)
		}
		ctx := context.Background()
		if dogs, _ := st.OK9Dogs(ctx, store.AllOrganisations(), f.orgA.ID); len(dogs) != 0 {
			t.Errorf("refused bodies wrote dogs: %+v", dogs)
		}
		if sch, _ := st.OK9Scheme(ctx, store.AllOrganisations(), f.orgA.ID); sch.SPOC != "" {
			t.Errorf("refused body wrote the scheme: %+v", sch)
		}
		if reqs, _ := st.AidRequests(ctx, store.AllOrganisations()); len(reqs) != 0 {
			t.Errorf("refused body wrote a request: %+v", reqs)
		}
	})
}

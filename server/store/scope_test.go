package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// scopedCall calls one store method that takes a Scope. It returns how many
// records came back (0 for a change), so the test can tell "nothing in
// this scope" from "the call found something".
type scopedCall struct {
	method string
	write  bool
	org    string // whose scope must see it: avon unless said otherwise
	// allowed is the one error code a change may meet in its own scope,
	// past the scope check (starting an assessment already started).
	allowed string
	call    func(sc store.Scope) (int, error)
}

// TestZeroScopeSeesNothing calls every store method that takes a Scope with
// the zero Scope, on a store full of demo data: reads must come back empty
// or not found, changes must be refused and leave no trace. Each call is
// then made with the organisation's own scope, to show the inputs were good
// enough that only the scope stopped it. A new method taking a Scope fails
// this test until it is added to the list.
func TestZeroScopeSeesNothing(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := seed.Demo(ctx, s, set, s.Now()); err != nil {
			t.Fatal(err)
		}
		all := store.AllOrganisations()
		avon, err := s.OrganisationBySlug(ctx, all, "avon-somerset")
		if err != nil {
			t.Fatal(err)
		}
		lender, err := s.OrganisationBySlug(ctx, all, "dsfrs")
		if err != nil {
			t.Fatal(err)
		}
		own := store.Scope{OrgID: avon.ID}
		fixtures := demoFixtures(t, s, own, avon.ID)
		f := &fixtures
		policy := set.WelfarePolicy()
		sys := store.SystemActor("scope test")
		year := s.Now().Year()
		pending := must(s.RequestVan(ctx, sys, own, store.VanRequest{OrganisationID: avon.ID, Kind: "hotspot", StartsOn: s.Now().AddDate(0, 0, 3),
			EndsOn: s.Now().AddDate(0, 0, 3), Place: "Custody suite, Portishead", Contact: "Wellbeing lead"}))
		count := func(n int) func(error) (int, error) { return func(err error) (int, error) { return n, err } }
		one := func(id int64, err error) (int, error) {
			if id == 0 {
				return 0, err
			}
			return 1, err
		}
		calls := []scopedCall{
			{method: "AssessmentByID", call: func(sc store.Scope) (int, error) {
				as, err := s.AssessmentByID(ctx, sc, f.draft.ID)
				return one(as.ID, err)
			}},
			{method: "ListAssessments", call: func(sc store.Scope) (int, error) { l, err := s.ListAssessments(ctx, sc); return len(l), err }},
			{method: "Responses", call: func(sc store.Scope) (int, error) { l, err := s.Responses(ctx, sc, f.draft.ID); return len(l), err }},
			{method: "Actions", call: func(sc store.Scope) (int, error) { l, err := s.Actions(ctx, sc, f.draft.ID); return len(l), err }},
			{method: "AnsweredCounts", call: func(sc store.Scope) (int, error) {
				m, err := s.AnsweredCounts(ctx, sc, f.draft.CycleID)
				return len(m), err
			}},
			{method: "AssessmentWithAnswers", call: func(sc store.Scope) (int, error) {
				as, rs, acts, err := s.AssessmentWithAnswers(ctx, sc, f.draft.ID)
				if as.ID == 0 {
					return len(rs) + len(acts), err
				}
				return 1 + len(rs) + len(acts), err
			}},
			{method: "RoleVersions", call: func(sc store.Scope) (int, error) { l, err := s.RoleVersions(ctx, sc, avon.ID); return len(l), err }},
			{method: "AssumptionOverrides", call: func(sc store.Scope) (int, error) {
				l, err := s.AssumptionOverrides(ctx, sc, avon.ID)
				return len(l), err
			}},
			{method: "AidRequests", call: func(sc store.Scope) (int, error) { l, err := s.AidRequests(ctx, sc); return len(l), err }},
			{method: "AidRequest", call: func(sc store.Scope) (int, error) {
				r, err := s.AidRequest(ctx, sc, f.request.ID)
				return one(r.ID, err)
			}},
			{method: "AidTimeline", call: func(sc store.Scope) (int, error) { l, err := s.AidTimeline(ctx, sc, f.request.ID); return len(l), err }},
			{method: "AidOffer", org: "lender", call: func(sc store.Scope) (int, error) {
				o, err := s.AidOffer(ctx, sc, f.request.Offers[0].ID)
				return one(o.ID, err)
			}},
			{method: "OK9Scheme", call: func(sc store.Scope) (int, error) { sch, err := s.OK9Scheme(ctx, sc, avon.ID); return one(sch.ID, err) }},
			{method: "OK9Dogs", call: func(sc store.Scope) (int, error) { l, err := s.OK9Dogs(ctx, sc, avon.ID); return len(l), err }},
			{method: "OK9Handlers", call: func(sc store.Scope) (int, error) { l, err := s.OK9Handlers(ctx, sc, avon.ID); return len(l), err }},
			{method: "OK9Deployments", call: func(sc store.Scope) (int, error) {
				l, err := s.OK9Deployments(ctx, sc, avon.ID, s.Now().AddDate(-1, 0, 0), s.Now())
				return len(l), err
			}},
			{method: "Organisation", call: func(sc store.Scope) (int, error) { o, err := s.Organisation(ctx, sc, avon.ID); return one(o.ID, err) }},
			{method: "OrganisationBySlug", call: func(sc store.Scope) (int, error) {
				o, err := s.OrganisationBySlug(ctx, sc, avon.Slug)
				return one(o.ID, err)
			}},
			{method: "ListOrganisations", call: func(sc store.Scope) (int, error) { l, err := s.ListOrganisations(ctx, sc); return len(l), err }},
			{method: "Workforce", call: func(sc store.Scope) (int, error) { l, err := s.Workforce(ctx, sc, avon.ID); return len(l), err }},
			{method: "UserByID", call: func(sc store.Scope) (int, error) { u, err := s.UserByID(ctx, sc, f.owner.ID); return one(u.ID, err) }},
			{method: "ListUsers", call: func(sc store.Scope) (int, error) { l, err := s.ListUsers(ctx, sc); return len(l), err }},
			{method: "PeerSupportReturns", call: func(sc store.Scope) (int, error) {
				l, err := s.PeerSupportReturns(ctx, sc, avon.ID)
				return len(l), err
			}},
			{method: "TraumaReturns", call: func(sc store.Scope) (int, error) {
				l, err := s.TraumaReturns(ctx, sc, avon.ID)
				return len(l), err
			}},
			{method: "VanRequest", call: func(sc store.Scope) (int, error) {
				if _, err := s.VanRequest(ctx, sc, pending.ID); err != nil {
					return 0, err
				}
				return 1, nil
			}},
			{method: "VanRequests", call: func(sc store.Scope) (int, error) { l, err := s.VanRequests(ctx, sc, avon.ID, year); return len(l), err }},
			{method: "ProvisionCountsFor", call: func(sc store.Scope) (int, error) {
				m, err := s.ProvisionCountsFor(ctx, sc, year)
				return len(m), err
			}},
			{method: "RoleRegister", call: func(sc store.Scope) (int, error) { l, err := s.RoleRegister(ctx, sc, avon.ID); return len(l), err }},
			{method: "RoleHistory", call: func(sc store.Scope) (int, error) {
				l, err := s.RoleHistory(ctx, sc, avon.ID, f.role.RoleID)
				return len(l), err
			}},
			{method: "LocalRoles", call: func(sc store.Scope) (int, error) { l, err := s.LocalRoles(ctx, sc, avon.ID); return len(l), err }},
			{method: "RoleReviewDrafts", call: func(sc store.Scope) (int, error) { l, err := s.RoleReviewDrafts(ctx, sc, avon.ID); return len(l), err }},
			{method: "RoleReviewDraftOf", call: func(sc store.Scope) (int, error) {
				d, err := s.RoleReviewDraftOf(ctx, sc, avon.ID, f.role.RoleID)
				if d == nil {
					return 0, err
				}
				return 1, err
			}},
			{method: "ListAudit", call: func(sc store.Scope) (int, error) {
				_, n, err := s.ListAudit(ctx, sc, store.AuditFilter{})
				return int(n), err
			}},
			{method: "EachAudit", call: func(sc store.Scope) (int, error) {
				n := 0
				err := s.EachAudit(ctx, sc, store.AuditFilter{}, func(store.AuditEvent) error { n++; return nil })
				return n, err
			}},
			{method: "Upload", call: func(sc store.Scope) (int, error) {
				u, err := s.Upload(ctx, sc, f.draft.ID, f.owner.ID, f.upload.ID)
				return one(u.ID, err)
			}},

			// Changes, made by the system so that only the scope can stop them.
			{method: "StartAssessment", write: true, allowed: apperr.ECONFLICT, call: func(sc store.Scope) (int, error) {
				_, err := s.StartAssessment(ctx, sys, sc, store.Assessment{OrganisationID: avon.ID, CycleID: f.draft.CycleID,
					FrameworkKey: f.draft.FrameworkKey, FrameworkVersion: f.draft.FrameworkVersion, FrameworkSHA256: f.draft.FrameworkSHA256}, nil)
				return 0, err
			}},
			{method: "SaveResponse", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveResponse(ctx, sys, sc, f.draft.ID, store.Response{StandardID: f.response.StandardID, Level: f.response.Level}, f.response.Version)
				return count(0)(err)
			}},
			{method: "AddAction", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.AddAction(ctx, sys, sc, store.Action{AssessmentID: f.draft.ID, StandardID: f.response.StandardID, What: "Another"})
				return 0, err
			}},
			{method: "SetActionStatus", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.SetActionStatus(ctx, sys, sc, f.draft.ID, f.action.ID, "done")
			}},
			{method: "ApplyWorkbook", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.ApplyWorkbook(ctx, sys, sc, f.upload, nil, nil)
			}},
			{method: "SaveUpload", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveUpload(ctx, sc, store.WorkbookUpload{AssessmentID: f.draft.ID, UserID: f.owner.ID, Data: []byte("x"), Versions: map[string]int{}})
				return 0, err
			}},
			{method: "RequestPeerReview", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.RequestPeerReview(ctx, sys, sc, f.draft.ID)
				return 0, err
			}},
			{method: "SetAssumptionOverrides", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.SetAssumptionOverrides(ctx, sys, sc, avon.ID, []store.AssumptionOverride{{Key: "working_day_cost", Value: 200, Source: "test"}})
			}},
			{method: "CreateAidRequest", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.CreateAidRequest(ctx, sys, sc, store.AidRequest{OrganisationID: avon.ID, Incident: "Flood", Location: "Taunton",
					StartsOn: s.Now().AddDate(0, 0, 3), EndsOn: s.Now().AddDate(0, 0, 4), DogsNeeded: 1})
				return 0, err
			}},
			{method: "DecideAidOffer", write: true, org: "lender", call: func(sc store.Scope) (int, error) {
				_, err := s.DecideAidOffer(ctx, sys, sc, f.request.Offers[0].ID, store.AidDecision{DeclineReason: "No handler free"}, policy)
				return 0, err
			}},
			{method: "CloseAidRequest", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.CloseAidRequest(ctx, sys, sc, f.request.ID)
			}},
			{method: "SaveOK9Scheme", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveOK9Scheme(ctx, sys, sc, f.scheme)
				return 0, err
			}},
			{method: "SaveOK9Dog", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveOK9Dog(ctx, sys, sc, f.dog)
				return 0, err
			}},
			{method: "SaveOK9Handler", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveOK9Handler(ctx, sys, sc, f.handler)
				return 0, err
			}},
			{method: "LogDeployment", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.LogDeployment(ctx, sys, sc, store.OK9Deployment{OrganisationID: avon.ID, DeployedOn: s.Now(), Kind: "team_visit",
					HandlerID: f.handler.ID, DogIDs: f.handler.DogIDs[:1], Minutes: 15}, policy)
				return 0, err
			}},
			{method: "SetWorkforce", write: true, call: func(sc store.Scope) (int, error) { return 0, s.SetWorkforce(ctx, sys, sc, f.workforce) }},
			{method: "CreateUser", write: true, call: func(sc store.Scope) (int, error) {
				id := avon.ID
				_, err := s.CreateUser(ctx, sys, sc, store.User{OrganisationID: &id, Email: "new@avon.example", DisplayName: "New", Role: store.RoleViewer})
				return 0, err
			}},
			{method: "UpdateUserAccess", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.UpdateUserAccess(ctx, sys, sc, f.viewer.ID, store.RoleContributor, []string{store.SectionProvision})
				return 0, err
			}},
			{method: "SetUserDisabled", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.SetUserDisabled(ctx, sys, sc, f.viewer.ID, true)
			}},
			{method: "SetPassword", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.SetPassword(ctx, sys, sc, f.viewer.ID, "$argon2id$not-checked-here")
			}},
			{method: "CreatePasswordToken", write: true, call: func(sc store.Scope) (int, error) {
				return 0, s.CreatePasswordToken(ctx, sys, sc, store.PasswordToken{Hash: "hash-" + time.Now().String(), UserID: f.viewer.ID, ExpiresAt: s.Now().Add(time.Hour)})
			}},
			{method: "SavePeerSupportReturn", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SavePeerSupportReturn(ctx, sys, sc, f.peerReturn)
				return 0, err
			}},
			{method: "SaveTraumaReturn", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveTraumaReturn(ctx, sys, sc, store.TraumaReturn{OrganisationID: avon.ID, Year: year, Quarter: 4, Incidents: 3, PlanningMeetings: 3, RiskAssessments: 6, Reviews: 2})
				return 0, err
			}},
			{method: "WithdrawVanRequest", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.WithdrawVanRequest(ctx, sys, sc, pending.ID)
				return 0, err
			}},
			{method: "RequestVan", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.RequestVan(ctx, sys, sc, store.VanRequest{OrganisationID: avon.ID, Kind: "hotspot", StartsOn: s.Now(), EndsOn: s.Now(), Place: "Depot", Contact: "Wellbeing lead"})
				return 0, err
			}},
			{method: "SaveRoleReviewDraft", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveRoleReviewDraft(ctx, sys, sc, store.RoleReviewDraft{OrganisationID: avon.ID, RoleID: f.role.RoleID, ModelKey: f.role.ModelKey, ModelVersion: f.role.ModelVersion, Review: "{}"})
				return 0, err
			}},
			{method: "SaveRoleAssessment", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SaveRoleAssessment(ctx, sys, sc, f.role)
				return 0, err
			}},
			{method: "CreateLocalRole", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.CreateLocalRole(ctx, sys, sc, store.LocalRole{OrganisationID: avon.ID, RoleID: "LOCAL-search-team", Name: "Search team", Hazards: f.local.Hazards})
				return 0, err
			}},
			// Last: it ends the draft.
			{method: "SubmitAssessment", write: true, call: func(sc store.Scope) (int, error) {
				_, err := s.SubmitAssessment(ctx, sys, sc, f.draft.ID, "Chief", "Chief Constable")
				return 0, err
			}},
		}

		t.Run("every method taking a Scope is listed", func(t *testing.T) {
			var listed []string
			for _, c := range calls {
				listed = append(listed, c.method)
			}
			for _, m := range scopedMethods() {
				if !slices.Contains(listed, m) {
					t.Errorf("store.%s takes a Scope: add it to this test", m)
				}
			}
		})

		trail := func() int64 {
			_, n, err := s.ListAudit(ctx, all, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := trail()
		for _, c := range calls {
			n, err := c.call(store.Scope{})
			switch code := apperr.Code(err); {
			case c.write && code != apperr.ENOTFOUND && code != apperr.EFORBIDDEN:
				t.Errorf("%s with the zero scope: %v, want it refused as not found", c.method, err)
			case !c.write && (n != 0 || (err != nil && code != apperr.ENOTFOUND)):
				t.Errorf("%s with the zero scope: %d records, %v; want none", c.method, n, err)
			}
		}
		if after := trail(); after != before {
			t.Errorf("the zero scope changed something: the audit trail went from %d to %d records", before, after)
		}

		for _, c := range calls {
			sc := own
			if c.org == "lender" {
				sc = store.Scope{OrgID: lender.ID}
			}
			n, err := c.call(sc)
			switch code := apperr.Code(err); {
			case code == apperr.ENOTFOUND || code == apperr.EFORBIDDEN:
				t.Errorf("%s with its organisation's scope: %v; the test's inputs are wrong", c.method, err)
			case !c.write && (err != nil || n == 0):
				t.Errorf("%s with its organisation's scope found nothing (%v): the test proves nothing", c.method, err)
			case c.write && err != nil && code != c.allowed:
				t.Errorf("%s with its organisation's scope: %v", c.method, err)
			}
		}
	})
}

// scopedMethods names every method of *store.Store with a Scope parameter.
func scopedMethods() []string {
	var out []string
	scope := reflect.TypeFor[store.Scope]()
	st := reflect.TypeFor[*store.Store]()
	for i := range st.NumMethod() {
		m := st.Method(i)
		for j := range m.Type.NumIn() {
			if m.Type.In(j) == scope {
				out = append(out, m.Name)
				break
			}
		}
	}
	return out
}

// demoRecords are records of one demo organisation for the scope test.
type demoRecords struct {
	draft      store.Assessment
	response   store.Response
	action     store.Action
	upload     store.WorkbookUpload
	owner      store.User
	viewer     store.User
	request    store.AidRequest
	scheme     store.OK9Scheme
	dog        store.OK9Dog
	handler    store.OK9Handler
	workforce  store.Workforce
	peerReturn store.PeerSupportReturn
	role       store.RoleAssessment
	local      store.LocalRole
}

// demoFixtures picks, or adds where the demo has none, one record of each
// kind for the organisation.
func demoFixtures(t *testing.T, s *store.Store, sc store.Scope, orgID int64) demoRecords {
	t.Helper()
	ctx := context.Background()
	sys := store.SystemActor("scope test")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var f demoRecords
	list, err := s.ListAssessments(ctx, sc)
	must(err)
	for _, a := range list {
		if a.Editable() {
			f.draft = a
			break
		}
	}
	if f.draft.ID == 0 {
		t.Fatal("the demo organisation has no draft assessment")
	}
	rs, err := s.Responses(ctx, sc, f.draft.ID)
	must(err)
	f.response = rs[0]
	f.action, err = s.AddAction(ctx, sys, sc, store.Action{AssessmentID: f.draft.ID, StandardID: f.response.StandardID, What: "Train line managers"})
	must(err)
	users, err := s.ListUsers(ctx, sc)
	must(err)
	for _, u := range users {
		switch u.Role {
		case store.RoleOwner:
			f.owner = u
		case store.RoleViewer:
			f.viewer = u
		}
	}
	f.upload, err = s.SaveUpload(ctx, sc, store.WorkbookUpload{AssessmentID: f.draft.ID, UserID: f.owner.ID, Data: []byte("x"), Versions: map[string]int{}})
	must(err)
	reqs, err := s.AidRequests(ctx, sc)
	must(err)
	for _, r := range reqs {
		if r.OrganisationID == orgID && r.Status == store.AidOpen && len(r.Offers) > 0 {
			f.request = r
		}
	}
	if f.request.ID == 0 {
		t.Fatal("the demo organisation has no open mutual-aid request with an offer")
	}
	f.scheme, err = s.OK9Scheme(ctx, sc, orgID)
	must(err)
	dogs, err := s.OK9Dogs(ctx, sc, orgID)
	must(err)
	f.dog = dogs[0]
	handlers, err := s.OK9Handlers(ctx, sc, orgID)
	must(err)
	for _, h := range handlers {
		if h.Trained() && len(h.DogIDs) > 0 {
			f.handler = h
		}
	}
	wf, err := s.Workforce(ctx, sc, orgID)
	must(err)
	f.workforce = wf[0]
	returns, err := s.PeerSupportReturns(ctx, sc, orgID)
	must(err)
	f.peerReturn = returns[0]
	register, err := s.RoleRegister(ctx, sc, orgID)
	must(err)
	f.role = register[0]
	_, err = s.SaveRoleReviewDraft(ctx, sys, sc, store.RoleReviewDraft{OrganisationID: orgID, RoleID: f.role.RoleID, ModelKey: f.role.ModelKey, ModelVersion: f.role.ModelVersion, Review: `{"headcount":3}`})
	must(err)
	f.local, err = s.CreateLocalRole(ctx, sys, sc, store.LocalRole{OrganisationID: orgID, RoleID: "LOCAL-dive-team", Name: "Dive team", Hazards: []string{f.role.Hazards[0].HazardID}})
	must(err)
	must(s.SetAssumptionOverrides(ctx, sys, sc, orgID, []store.AssumptionOverride{{Key: "working_day_cost", Value: 210, Source: "Finance"}}))
	return f
}

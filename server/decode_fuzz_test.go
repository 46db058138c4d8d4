package server

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/riskreview"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Fuzz tests of the form and API decoders, run without a database: no
// panic, and either a value within the rules or a problem naming the field.

func loadFrameworks(f *testing.F) *frameworks.Set {
	set, err := frameworks.Load()
	if err != nil {
		f.Fatal(err)
	}
	return set
}

// formOf reads a fuzzed body as a form; what url.ParseQuery cannot decode
// is left out, as a browser would never send it.
func formOf(body string) (func(string) string, url.Values) {
	v, _ := url.ParseQuery(body)
	return v.Get, v
}

func checkFields(t *testing.T, errs []views.FieldError, ok func(field string) bool) {
	t.Helper()
	for _, e := range errs {
		if !ok(e.Field) || e.Message == "" {
			t.Fatalf("problem %+v does not name a field of the form", e)
		}
	}
}

func oneOf(fields ...string) func(string) bool {
	return func(f string) bool { return slices.Contains(fields, f) }
}

// FuzzFormReader: reading posted forms into the input types the API
// shares (text, counts, dates, yes/no answers and checkbox groups).
func FuzzFormReader(f *testing.F) {
	f.Add("Bramble", "12", "2026-11-23", "yes", "3")
	f.Add(" x ", "1,000,000", "2100-12-31", "no", "-1")
	f.Add("", "1,000,001", "1999-12-31", "", "9223372036854775808")
	f.Add("\x00", "0x10", "2026-02-30", "YES", "+7")
	f.Fuzz(func(t *testing.T, text, count, date, yes, id string) {
		fields := map[string]string{"place": text, "attendance": count, "kind": "hotspot", "contact": "Wellbeing lead", "starts_on": date, "ends_on": date, "coordinator": yes}
		form := func() *input.Form {
			return input.NewForm(func(name string) string { return fields[name] }, func(string) []string { return []string{id, id} })
		}
		fr := form()
		var visit input.VanRequest
		ok := fr.Read(&visit)
		checkFields(t, fr.Errs, oneOf("place", "attendance", "starts_on", "ends_on"))
		if fr.Values["place"] != strings.TrimSpace(text) || visit.Place != strings.TrimSpace(text) {
			t.Fatalf("text %q kept as %q", text, fr.Values["place"])
		}
		failed := func(field string) (string, bool) {
			i := slices.IndexFunc(fr.Errs, func(e views.FieldError) bool { return e.Field == field })
			if i < 0 {
				return "", false
			}
			return fr.Errs[i].Message, true
		}
		msg, countFailed := failed("attendance")
		if !countFailed && (*visit.ExpectedAttendance < 0 || *visit.ExpectedAttendance > 1_000_000) {
			t.Fatalf("count %d accepted from %q", *visit.ExpectedAttendance, count)
		}
		if countFailed && !strings.Contains(msg, "Expected attendance") {
			t.Fatalf("count problem %q does not say which field", msg)
		}
		d, _ := input.Day(visit.StartsOn)
		if _, dateFailed := failed("starts_on"); dateFailed != (d == nil) || d != nil && (d.Year() < 2000 || d.Year() > 2100) {
			t.Fatalf("date %v from %q, problems %v", d, date, fr.Errs)
		}
		if ok {
			var v store.VanRequest
			visit.Apply(&v)
			if v.StartsOn.IsZero() || v.Place == "" {
				t.Fatalf("accepted %+v", v)
			}
		}
		var r input.PeerSupportReturn
		form().Read(&r)
		if answered := strings.TrimSpace(yes) == "yes" || strings.TrimSpace(yes) == "no"; (r.CoordinatorInPost != nil) != answered || answered && *r.CoordinatorInPost != (strings.TrimSpace(yes) == "yes") {
			t.Fatalf("yes/no %q read as %v", yes, r.CoordinatorInPost)
		}
		var h input.OK9Handler
		form().Read(&h)
		if len(h.DogIDs) != 0 && len(h.DogIDs) != 2 {
			t.Fatalf("ids %v from %q", h.DogIDs, id)
		}
	})
}

// FuzzStandardForms: the answer form and the new-action form of a standard.
func FuzzStandardForms(f *testing.F) {
	levels := loadFrameworks(f).Framework("blwf", "2024").Levels()
	f.Add("level=2&target=3&evidence=Minutes&links=https%3A%2F%2Fx&version=1&what=Do+it&due=2027-03-31&status=planned")
	f.Add("level=&target=9&evidence=" + strings.Repeat("e", input.MaxEvidence+1) + "&due=31%2F03%2F2027&status=stalled")
	f.Add("level=-0&target=+1&version=99999999999999999999&what=%00&due=2027-02-30")
	f.Fuzz(func(t *testing.T, body string) {
		value, all := formOf(body)
		form := func() *input.Form { return input.NewForm(value, func(name string) []string { return all[name] }) }
		fr := form()
		in := input.Answer{Scale: levels}
		ok := fr.Read(&in)
		checkFields(t, fr.Errs, oneOf("level", "target", "evidence", "links"))
		r := in.Response("LEAD-01")
		if ok && (r.Level == nil || !slices.Contains(levels, *r.Level) || r.Target != nil && !slices.Contains(levels, *r.Target) || len(r.Evidence) > input.MaxEvidence || len(r.Links) > input.MaxLinks) {
			t.Fatalf("accepted %q as %+v", body, r)
		}
		fr = form()
		var act input.Action
		ok = fr.Read(&act)
		checkFields(t, fr.Errs, oneOf("what", "due", "status"))
		var a store.Action
		act.Apply(&a)
		if ok && (a.What == "" || !slices.Contains(store.ActionStatuses, a.Status) || (fr.Values["due"] == "") != (a.DueOn == nil)) {
			t.Fatalf("accepted action %q as %+v", body, a)
		}
	})
}

var reReviewField = regexp.MustCompile(`^(headcount|exposed|screened|interviews|referrals|signed_off_by|h\d+_(l|s|rationale|reason|local_l|local_s|local_status|override_l|override_s|c\d+_(status|due))|co_(initial|periodic|referral)_(due|screened|nfa|further|referred|last))$`)

// riskRoles is every role of the current risk model, and a local role made
// from the first, whose ratings need no rationale.
func riskRoles(f *testing.F) (*frameworks.Edition, []frameworks.Role) {
	srv := &Server{deps: Deps{Frameworks: loadFrameworks(f)}}
	model := srv.riskModel()
	roles := slices.Clone(model.RiskModel.Roles)
	local := roles[0]
	local.ID = riskreview.LocalPrefix + "fuzz"
	return model, append(roles, local)
}

// FuzzReviewForm: the role risk assessment form, for any role of the model.
func FuzzReviewForm(f *testing.F) {
	model, roles := riskRoles(f)
	m := model.RiskModel
	for _, which := range []int{0, len(roles) - 1} { // a catalogue role and a local one, answered in full
		f.Add(uint8(which), validReview(roles[which]).Encode())
	}
	f.Add(uint8(0), "headcount=40&exposed=30&screened=20&interviews=5&referrals=1&signed_off_by=Head+of+OH&h0_l=4&h0_s=4&h0_c0_status=in+place&h0_c0_due=2027-01-01")
	f.Add(uint8(1), "headcount=-1&exposed=100001&h0_l=9&h0_s=0&h0_rationale=&h0_override_l=1&h1_local_name=Buddy&h1_local_l=3&h1_local_status=maybe")
	f.Add(uint8(255), "headcount=5&exposed=5&screened=5&interviews=0&referrals=0&signed_off_by=X&h0_l=1&h0_s=1&h0_override_l=1&h0_override_s=1&h0_reason=Because")
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		role := roles[int(which)%len(roles)]
		value, _ := formOf(body)
		in, errs := input.NewRoleReviewForm(m, role, nil).Posted(value).Check(m, role)
		checkFields(t, errs, reReviewField.MatchString)
		if len(errs) > 0 {
			return
		}
		ra := ra0(model, role)
		in.Apply(m, &ra)
		if ra.SignedOffBy == "" || ra.Headcount < 0 || ra.Headcount > 100_000 || ra.ExposedHeadcount > ra.Headcount || ra.PeopleScreened > ra.Headcount || len(ra.Hazards) != len(role.Hazards) {
			t.Fatalf("accepted %+v", ra)
		}
		for _, h := range ra.Hazards {
			if h.InherentL < 1 || h.InherentL > len(m.Likelihood) || h.InherentS < 1 || h.InherentS > len(m.Severity) {
				t.Fatalf("accepted rating %+v", h)
			}
			for _, ct := range h.Controls {
				if !slices.Contains(frameworks.ControlStatuses, ct.Status) {
					t.Fatalf("accepted control %+v", ct)
				}
			}
		}
		riskreview.Finish(m, role, &ra, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		if ra.OverallBand == "" || !ra.NextReviewOn.After(ra.ReviewedOn) {
			t.Fatalf("finished %+v", ra)
		}
	})
}

// validReview is a full, valid answer to the review form for a role.
func validReview(role frameworks.Role) url.Values {
	v := url.Values{"headcount": {"40"}, "exposed": {"30"}, "screened": {"20"}, "interviews": {"5"}, "referrals": {"1"}, "signed_off_by": {"Head of OH"}}
	for i, h := range role.Hazards {
		p := "h" + strconv.Itoa(i) + "_"
		v.Set(p+"l", strconv.Itoa(h.Likelihood))
		v.Set(p+"s", strconv.Itoa(h.Severity))
		v.Set(p+"c0_status", frameworks.ControlInPlace)
		v.Set(p+"c1_status", frameworks.ControlPlanned)
		v.Set(p+"c1_due", "2027-03-31")
		v.Set(p+"local_name", "Buddy scheme")
		v.Set(p+"local_l", "1")
		v.Set(p+"local_status", frameworks.ControlPartly)
	}
	return v
}

func ra0(model *frameworks.Edition, role frameworks.Role) store.RoleAssessment {
	return store.RoleAssessment{OrganisationID: 1, RoleID: role.ID, ModelKey: model.Key, ModelVersion: model.Version, ModelSHA256: model.SHA256}
}

// FuzzAPIAnswer: PUT /api/v1/assessments/:id/responses/:sid bodies.
func FuzzAPIAnswer(f *testing.F) {
	levels := loadFrameworks(f).Framework("blwf", "2024").Levels()
	for _, s := range []string{`{"level":2,"target":null,"evidence":"x","links":"","version":1}`, `{"level":"2"}`, `{"level":2,"extra":1}`, `{"level":2}{}`, `[]`, ``, `{"level":1e400}`, `{"evidence":"` + strings.Repeat("é", 10_001) + `","level":0}`, `{"level":2,"version":-1}`} {
		f.Add([]byte(s))
	}
	fields := []string{"level", "target", "evidence", "links", "version"}
	f.Fuzz(func(t *testing.T, body []byte) {
		in := input.Answer{Scale: levels}
		if err := input.DecodeValid(body, &in); err != nil {
			checkAPIError(t, err, fields)
			return
		}
		if r := in.Response("LEAD-01"); r.Level == nil || !slices.Contains(levels, *r.Level) || r.Target != nil && !slices.Contains(levels, *r.Target) || len(r.Evidence) > input.MaxEvidence || len(r.Links) > input.MaxLinks {
			t.Fatalf("accepted %+v", in)
		}
	})
}

// checkAPIError: a refused body is the client's mistake (422), with a
// message that names a field of the operation or says what is wrong with the
// JSON as a whole.
func checkAPIError(t *testing.T, err error, fields []string) {
	t.Helper()
	msg := apperr.Message(err)
	if apperr.Code(err) != apperr.EINVALID || msg == "" {
		t.Fatalf("error %v is not a clear refusal", err)
	}
	if strings.HasPrefix(msg, "The request body") {
		return // empty, not JSON, not an object, an unknown field, or more than one value
	}
	if !slices.ContainsFunc(fields, func(f string) bool {
		return strings.HasPrefix(msg, f) || strings.Contains(msg, "."+f) || strings.Contains(msg, f+":")
	}) {
		t.Fatalf("error %q names no field", msg)
	}
}

// FuzzAPIRole: POST /api/v1/risk/roles/:rid bodies, for any role.
func FuzzAPIRole(f *testing.F) {
	model, roles := riskRoles(f)
	m := model.RiskModel
	f.Add(uint8(0), []byte(`{"headcount":40,"exposed_headcount":30,"people_screened":20,"signed_off_by":"OH lead","hazards":[{"hazard_id":"HZ-01","likelihood":5,"severity":4,"controls":[{"control_id":"CT-01","status":"in place","due_on":"2027-01-01T00:00:00Z"},{"local_name":"Buddy","status":"planned","likelihood_reduction":1}]}]}`))
	f.Add(uint8(0), []byte(`{"headcount":-1,"hazards":[{"hazard_id":"HZ-01","likelihood":9},{"hazard_id":"HZ-01"},{"hazard_id":"nope"}]}`))
	f.Add(uint8(1), []byte(`{"hazards":[{"hazard_id":"HZ-02","controls":[{"local_name":"","likelihood_reduction":3,"due_on":"soon"}],"residual_override":{"likelihood":0}}]}`))
	f.Add(uint8(2), []byte(`{"hazards":[{"controls":[{"due_on":null}]}],"headcount":"40"}`))
	fields := []string{"teams", "headcount", "exposed_headcount", "people_screened", "structured_interviews", "referrals", "signed_off_by", "hazards", "hazard_id", "likelihood", "severity", "rationale", "controls", "control_id", "local_name", "status", "owner", "due_on", "likelihood_reduction", "severity_reduction", "residual_override"}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		role := roles[int(which)%len(roles)]
		var in input.RoleReview
		if err := input.DecodeJSON(body, &in); err != nil {
			checkAPIError(t, err, fields)
			return
		}
		problems := in.Validate(m, role)
		for _, p := range problems {
			if !strings.HasPrefix(p.API, p.Field) || !slices.ContainsFunc(fields, func(f string) bool { return strings.HasPrefix(p.Field, f) }) {
				t.Fatalf("problem %+v names no field", p)
			}
		}
		if len(problems) > 0 {
			return
		}
		ra := ra0(model, role)
		in.Apply(m, &ra)
		seen := map[string]bool{}
		for _, h := range ra.Hazards {
			if seen[h.HazardID] || h.InherentL < 1 || h.InherentL > len(m.Likelihood) || h.InherentS < 1 || h.InherentS > len(m.Severity) {
				t.Fatalf("accepted rating %+v", h)
			}
			seen[h.HazardID] = true
		}
		riskreview.Finish(m, role, &ra, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		if len(ra.Hazards) > 0 && ra.OverallBand == "" {
			t.Fatalf("no band for %+v", ra)
		}
	})
}

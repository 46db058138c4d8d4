package server

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Evidence is one of the organisation's own records offered as evidence for
// a standard: what it says, where it comes from and the day it stood.
type Evidence struct {
	Text   string    `json:"text"`
	Source string    `json:"source"`
	AsAt   time.Time `json:"as_at"`
}

// Line is the evidence as it is added to an answer: the text with its
// source and "as at" date, so the answer still says where a figure came
// from after the records change.
func (e Evidence) Line() string {
	return e.Text + " (source: " + e.Source + ", " + e.AsAtText() + ")"
}

// AsAtText is the day the record stood, in words: "as at 7 December 2026".
func (e Evidence) AsAtText() string { return store.AsAt(e.AsAt) }

// Key names a line for the "Add to evidence" button. The line itself is
// worked out again from the records when the button is pressed, so a
// person can only add what the page offered.
func (e Evidence) Key() string {
	h := sha256.Sum256([]byte(e.Line()))
	return hex.EncodeToString(h[:8])
}

// shown is a count about people as suggested evidence shows it: evidence is
// copied into assessments that reports and national admins read, so small
// counts are withheld for everyone.
func shown(n int) string { return reporting.Show(n, false).String() }

// suggestedEvidence offers the organisation's records for a standard by its
// tags: OK9 scheme standing, dogs and trained handlers (ok9); the latest
// peer support return (peer-support); the latest year's TRiM and trauma
// support returns (trauma-support); screening by role on the role risk
// register (psychological-screening); support controls in place on the
// register (peer-support, trauma-support).
func (s *Server) suggestedEvidence(c *fiber.Ctx, orgID int64, tags []string) ([]Evidence, error) {
	ok9 := slices.Contains(tags, "ok9")
	peer := slices.Contains(tags, "peer-support")
	trauma := slices.Contains(tags, "trauma-support")
	screening := slices.Contains(tags, "psychological-screening")
	if !ok9 && !peer && !trauma && !screening {
		return nil, nil
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	org, err := s.deps.Store.Organisation(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	today := frameworks.Day(s.deps.Store.Now())
	var out []Evidence
	if ok9 {
		lines, err := s.ok9Evidence(c, org.ID, today)
		if err != nil {
			return nil, err
		}
		out = append(out, lines...)
	}
	if peer {
		returns, err := s.deps.Store.PeerSupportReturns(ctx, sc, org.ID)
		if err != nil {
			return nil, err
		}
		if len(returns) > 0 {
			out = append(out, peerEvidence(returns[0]))
		}
	}
	if trauma {
		returns, err := s.deps.Store.TraumaReturns(ctx, sc, org.ID)
		if err != nil {
			return nil, err
		}
		if len(returns) > 0 {
			out = append(out, traumaEvidence(returns))
		}
	}
	if !screening && !peer && !trauma {
		return out, nil
	}
	rows, err := s.register(c, org)
	if err != nil {
		return nil, err
	}
	const register = "role risk register"
	for _, r := range rows {
		if screening {
			screened, interviews := reporting.Show(r.PeopleScreened, false), reporting.Show(r.StructuredInterviews, false)
			compliance := " (" + r.Compliance + ")"
			if screened.Withheld {
				compliance = ""
			}
			out = append(out, Evidence{Source: register, AsAt: today, Text: r.RoleName + ": " + screened.String() + " of " + strconv.Itoa(r.Headcount) +
				" people screened within the interval" + compliance + ", " + interviews.String() + " structured interviews, next screening due " + r.NextScreeningOn.Format("2 January 2006")})
		}
		if !peer && !trauma {
			continue
		}
		m := s.deps.Frameworks.RiskModel(r.ModelKey, r.ModelVersion)
		seen := map[string]bool{}
		for _, h := range r.Hazards {
			for _, ct := range h.Controls {
				if m == nil || ct.ControlID == "" || ct.Status != frameworks.ControlInPlace || seen[ct.ControlID] {
					continue
				}
				if cc, ok := m.Control(ct.ControlID); ok && cc.Type == "support" {
					seen[ct.ControlID] = true
					out = append(out, Evidence{Source: register, AsAt: today, Text: r.RoleName + ": " + cc.Name + " in place"})
				}
			}
		}
	}
	return out, nil
}

// ok9Evidence is the scheme's standing under the welfare policy and its
// dogs and trained handlers, as they are today. Without a scheme or any
// dog or handler there is nothing to offer.
func (s *Server) ok9Evidence(c *fiber.Ctx, orgID int64, today time.Time) ([]Evidence, error) {
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	sch, dogs, handlers, err := s.ok9Records(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	if sch.ID == 0 && len(dogs) == 0 && len(handlers) == 0 {
		return nil, nil
	}
	const source = "OK9 records"
	var failed []string
	for _, it := range store.SchemeStanding(s.welfarePolicy(), today, sch) {
		if it.Failure != nil {
			failed = append(failed, strings.ToLower(it.Label[:1])+it.Label[1:])
		}
	}
	standing := "OK9 scheme in good standing: service level agreement signed; standing operating procedure and risk assessment reviewed within their intervals; insurance and animal welfare scheme in date"
	if len(failed) > 0 {
		standing = "OK9 scheme not in good standing: " + strings.Join(failed, ", ") + " to put right"
	}
	active, trained, activeHandlers := 0, 0, 0
	for _, d := range dogs {
		if d.Status == store.DogActive {
			active++
		}
	}
	for _, h := range handlers {
		if h.Status == store.HandlerActive {
			activeHandlers++
			if h.Trained() {
				trained++
			}
		}
	}
	return []Evidence{
		{Source: source, AsAt: today, Text: standing},
		{Source: source, AsAt: today, Text: strconv.Itoa(active) + " active OK9 dogs; " + shown(trained) + " of " + shown(activeHandlers) +
			" active handlers trained as peer supporters or mental health first aiders"},
	}, nil
}

// peerEvidence is the figures of a peer support return.
func peerEvidence(r store.PeerSupportReturn) Evidence {
	yesNo := func(b bool, yes, no string) string {
		if b {
			return yes
		}
		return no
	}
	coordinator := yesNo(r.CoordinatorInPost, "peer support coordinator in post"+yesNo(r.CoordinatorFullTime, " full time", ""), "no peer support coordinator in post")
	text := shown(r.PeerSupporters) + " peer supporters, " + shown(r.PeerChampions) + " peer champions and " + shown(r.PeerCoordinators) +
		" peer coordinators; " + shown(r.TrainedTrainers) + " trained as trainers; " + shown(r.DemobDefusingTrained) +
		" trained in demobilising and defusing; " + coordinator + "; supervision for supporters " + yesNo(r.SupervisionInPlace, "in place", "not in place") +
		"; confidentiality and disclosure arrangements " + yesNo(r.ConfidentialityInPlace, "in place", "not in place")
	// Training and supervision, where the return records them.
	for _, f := range []struct {
		v    *int
		what string
	}{
		{r.WalkTheTalkAttended, "attended the Walk the Talk train-the-trainer course"}, {r.TrainersDelivering, "trained trainers delivering training locally"},
		{r.DemobCoursePlaces, "demobilising and defusing course places taken"}, {r.SupervisionSessions, "supervision sessions for supporters"},
		{r.SupportersSupervised, "peer supporters had supervision"},
	} {
		if f.v != nil {
			n := shown(*f.v)
			if f.what == "supervision sessions for supporters" {
				n = strconv.Itoa(*f.v) // sessions, not people
			}
			text += "; " + n + " " + f.what
		}
	}
	return Evidence{Source: "peer support return for " + store.CalendarYear(r.Year), AsAt: frameworks.Day(r.UpdatedAt), Text: text}
}

// traumaEvidence sums the quarterly returns of the latest year returned
// (returns come newest first), naming the quarters they cover.
func traumaEvidence(returns []store.TraumaReturn) Evidence {
	year := returns[0].Year
	var sum store.TraumaReturn
	var quarters []string
	var updated time.Time
	for i := len(returns) - 1; i >= 0; i-- { // oldest quarter first
		r := returns[i]
		if r.Year != year {
			continue
		}
		quarters = append(quarters, "Q"+strconv.Itoa(r.Quarter))
		for _, f := range store.TraumaFields {
			*f.Value(&sum) += *f.Value(&r)
		}
		if r.UpdatedAt.After(updated) {
			updated = r.UpdatedAt
		}
	}
	covered := "all four quarters"
	if len(quarters) < 4 {
		covered = strings.Join(quarters, ", ")
	}
	text := "TRiM and trauma support in " + strconv.Itoa(year) + " (" + covered + "): " + shown(sum.Incidents) + " incidents triggered the trauma process, " +
		shown(sum.PlanningMeetings) + " with a planning meeting within 48 hours; " + shown(sum.RiskAssessments) + " TRiM risk assessments, " +
		shown(sum.Reviews) + " reviewed at 28 days; " + shown(sum.Defusings) + " defusings and " + shown(sum.Demobilisations) + " demobilisations; " +
		shown(sum.ReferralsOH+sum.ReferralsPsych) + " onward referrals; " + shown(sum.PractitionersTrained) + " TRiM practitioners, " +
		shown(sum.TeamLeadersTrained) + " team leaders and " + shown(sum.ManagersTrained) + " managers trained"
	return Evidence{Source: "quarterly TRiM returns for " + store.CalendarYear(year), AsAt: frameworks.Day(updated), Text: text}
}

// apiSuggestedEvidence lists the records the standard page offers as
// evidence for one standard, each with the line "Add to evidence" adds.
func (s *Server) apiSuggestedEvidence(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	_, st, _, _, ok := la.Framework.Locate(c.Params("sid"))
	if !ok {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no standard %q in this assessment.", c.Params("sid"))
	}
	lines, err := s.suggestedEvidence(c, la.OrganisationID, st.Tags)
	if err != nil {
		return err
	}
	type line struct {
		Evidence
		Line string `json:"line"`
	}
	out := make([]line, 0, len(lines))
	for _, e := range lines {
		out = append(out, line{e, e.Line()})
	}
	return c.JSON(fiber.Map{"evidence": out})
}

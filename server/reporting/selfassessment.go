package reporting

import (
	"bytes"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// SelfAssessment is one assessment with everything its workbook shows.
type SelfAssessment struct {
	store.Assessment
	Cycle   store.Cycle
	OrgName string
	// OrgSector is the organisation's sector, for wording such as who
	// signs off ("Chief Fire Officer").
	OrgSector string
	// OrgSlug names the organisation in the workbook's file name.
	OrgSlug   string
	Framework *frameworks.Framework
	Responses map[string]store.Response
	Actions   map[string][]store.Action
}

// SelfAssessmentXLSX builds the workbook an organisation fills in offline
// and uploads again, and the name it is downloaded as.
func (s *Service) SelfAssessmentXLSX(a SelfAssessment) (name string, data []byte, err error) {
	data, err = assessmentbook.Build(s.bookFor(a))
	name = FileName("self-assessment", a.OrgSlug, a.Cycle.Name, "xlsx")
	return name, data, err
}

// ReadSelfAssessmentXLSX reads an uploaded workbook of the assessment; the
// problems name each bad cell.
func (s *Service) ReadSelfAssessmentXLSX(a SelfAssessment, data []byte) (assessmentbook.Parsed, []assessmentbook.Problem, error) {
	w := s.bookFor(a)
	return assessmentbook.Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards)
}

// bookFor describes an assessment for the workbook package.
func (s *Service) bookFor(a SelfAssessment) assessmentbook.Workbook {
	w := assessmentbook.Workbook{
		Organisation: a.OrgName, Cycle: a.Cycle.Name, Edition: s.frameworks.EditionTitle(a.FrameworkKey, a.FrameworkVersion),
		Notices:   s.frameworks.ContentNotices(a.FrameworkKey, a.FrameworkVersion),
		Identity:  assessmentbook.Identity{AssessmentID: a.ID, EditionKey: a.FrameworkKey, EditionVersion: a.FrameworkVersion, EditionHash: a.FrameworkSHA256},
		Responses: map[string]assessmentbook.Response{},
	}
	for _, l := range a.Framework.Scale {
		w.Scale = append(w.Scale, assessmentbook.Level{Value: l.Level, Label: l.Label})
	}
	for _, area := range a.Framework.Areas {
		for _, st := range area.Standards {
			w.Standards = append(w.Standards, assessmentbook.Standard{ID: st.ID, Area: area.Title, Statement: st.Statement})
			r := a.Responses[st.ID]
			w.Responses[st.ID] = assessmentbook.Response{StandardID: st.ID, Level: r.Level, Target: r.Target, Evidence: r.Evidence, Links: r.Links}
			for _, act := range a.Actions[st.ID] {
				due := ""
				if act.DueOn != nil {
					due = act.DueOn.Format("2006-01-02")
				}
				w.Actions = append(w.Actions, assessmentbook.Action{StandardID: st.ID, What: act.What, Owner: act.Owner, Due: due, Status: act.Status})
			}
		}
	}
	return w
}

// Change is one field of one answer that an uploaded workbook changes.
type Change struct {
	StandardID, Field, From, To string
}

// WorkbookChanges lists what an upload changes: answers field by field, and
// actions not already recorded.
func WorkbookChanges(a SelfAssessment, parsed assessmentbook.Parsed) ([]Change, []assessmentbook.Action) {
	var changes []Change
	for _, r := range parsed.Responses {
		cur := a.Responses[r.StandardID]
		add := func(field, from, to string) {
			if from != to {
				changes = append(changes, Change{StandardID: r.StandardID, Field: field, From: from, To: to})
			}
		}
		add("Level", a.Framework.LevelLabel(cur.Level), a.Framework.LevelLabel(r.Level))
		add("Target", a.Framework.LevelLabel(cur.Target), a.Framework.LevelLabel(r.Target))
		add("Evidence", cur.Evidence, r.Evidence)
		add("Links", cur.Links, r.Links)
	}
	var actions []assessmentbook.Action
	for _, act := range parsed.Actions {
		known := false
		for _, cur := range a.Actions[act.StandardID] {
			known = known || strings.EqualFold(cur.What, act.What)
		}
		if !known {
			actions = append(actions, act)
		}
	}
	return changes, actions
}

package input

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Limits on what one answer may hold: the offline workbook's, so an answer
// that fits one way fits every way.
const (
	MaxEvidence = assessmentbook.MaxEvidence
	MaxLinks    = assessmentbook.MaxLinks
)

// Answer is an answer to one standard of a self-assessment. Version is the
// version of the answer the person or client read, so that a second writer
// gets a conflict rather than overwriting the first.
type Answer struct {
	Level    *int   `json:"level" form:"level,omitempty"` // 0 is a level: blank is none
	Target   *int   `json:"target" form:"target,omitempty"`
	Evidence string `json:"evidence" form:"evidence"`
	Links    string `json:"links" form:"links"`
	Version  int    `json:"version" form:"version"`
	Scale    []int  `json:"-"` // the levels of the assessment's edition, set by the caller
}

func (in Answer) Validate() Problems {
	var ps Problems
	scale := "a level on the edition's scale (" + joinInts(in.Scale) + ")"
	if in.Level == nil || !slices.Contains(in.Scale, *in.Level) {
		ps.add("level", "Choose the maturity level that best describes your organisation", "level is required: "+scale)
	}
	if in.Target != nil && !slices.Contains(in.Scale, *in.Target) {
		ps.add("target", "Choose a target level from the scale, or none", "target must be "+scale+", or null for none")
	}
	ps.text("evidence", "Evidence must be 20,000 characters or fewer", "evidence must be 20,000 characters or fewer", in.Evidence, false, MaxEvidence)
	ps.text("links", "Evidence links must be 5,000 characters or fewer", "links must be 5,000 characters or fewer", in.Links, false, MaxLinks)
	return ps
}

// Response is a valid answer as the store keeps it.
func (in Answer) Response(standardID string) store.Response {
	return store.Response{StandardID: standardID, Level: in.Level, Target: in.Target, Evidence: trimmed(in.Evidence), Links: trimmed(in.Links)}
}

func joinInts(ns []int) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, ", ")
}

// Action is an improvement action on a standard.
type Action struct {
	What   string  `json:"what" form:"what"` // its length is the store's rule
	Owner  string  `json:"owner" form:"owner"`
	DueOn  *string `json:"due_on" form:"due"`
	Status string  `json:"status" form:"status"`
}

func (in Action) Validate() Problems {
	var ps Problems
	ps.required("what", "Describe the action", "what is required: the action to take", in.What)
	if _, ok := isoDay(in.DueOn); !ok {
		ps.add("due_on", dateWrong("the due date", in.DueOn, "must be a real date"), "due_on must be a date like 2027-03-31")
	}
	if !ValidActionStatus(in.Status) {
		ps.add("status", "Choose a status", "status must be one of "+strings.Join(store.ActionStatuses, ", "))
	}
	return ps
}

// ValidActionStatus says whether v is a status an action can have.
func ValidActionStatus(v string) bool { return slices.Contains(store.ActionStatuses, v) }

// Apply puts a valid action on the record.
func (in Action) Apply(a *store.Action) {
	a.What, a.Owner, a.Status = trimmed(in.What), trimmed(in.Owner), in.Status
	a.DueOn, _ = isoDay(in.DueOn)
}

// SignOff is the owner's sign-off that submits an assessment: who signs it
// off, and their role.
type SignOff struct {
	Name string `json:"signed_off_name" form:"signoff_name"`
	Role string `json:"signed_off_role" form:"signoff_role"`
}

func (in SignOff) Validate() Problems {
	var ps Problems
	ps.required("signed_off_name", "Enter the name of the person signing off", "signed_off_name is required: the name of the person signing off", in.Name)
	ps.required("signed_off_role", "Enter their role, like chief officer", "signed_off_role is required: their role, like chief officer", in.Role)
	return ps
}

// SignedOff are the name and role of a valid sign-off, as the store keeps
// them.
func (in SignOff) SignedOff() (name, role string) { return trimmed(in.Name), trimmed(in.Role) }

// isoDay reads an optional date written YYYY-MM-DD, in any year: the rule
// of the assessment and admin forms, which, unlike Day, have never limited
// the year. ok is false when it is not such a date; nil and blank are no
// date.
func isoDay(v *string) (day *time.Time, ok bool) {
	if blank(v) {
		return nil, true
	}
	t, err := time.Parse(time.DateOnly, trimmed(*v))
	if err != nil {
		return nil, false
	}
	return &t, true
}

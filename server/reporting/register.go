package reporting

import (
	"context"
	"strconv"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// RegisterRow is one role on the role risk register, with what the register
// shows for it.
type RegisterRow struct {
	store.RoleAssessment
	RoleName      string
	Band          frameworks.Band
	Compliance    string // screened within the interval, as a share of the role
	ReviewOverdue bool
	ScreenOverdue bool
	OldModel      bool
	Group         string // the trauma guidance's group of the role, from its edition
	GroupLabel    string
	Screened      ShownCount
}

// SmallCount is the smallest count about people in a role shown exactly to
// everyone: below it a count could point at one person's screening.
const SmallCount = 5

// ShownCount is a count as a reader may see it: exact, or "fewer than 5".
type ShownCount struct {
	N        int
	Withheld bool
}

func (c ShownCount) String() string {
	if c.Withheld {
		return "fewer than 5"
	}
	return figure.Number(float64(c.N), 0) // 43,099, as every report prints a count
}

// Show is the one place small counts are withheld: a count from 1 to 4 is
// "fewer than 5" unless exact is true (the organisation's owner and the
// register's editors).
func Show(n int, exact bool) ShownCount {
	if !exact && n > 0 && n < SmallCount {
		return ShownCount{Withheld: true}
	}
	return ShownCount{N: n}
}

// Percent is n as a percentage of of, rounded to whole per cent like every
// rate the reports show, or "–" when of is zero.
func Percent(n, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.Itoa((200*n+of)/(2*of)) + "%"
}

// RegisterRows loads an organisation's current role assessments with what
// the register shows for each.
func (s *Service) RegisterRows(ctx context.Context, sc store.Scope, orgID int64) ([]RegisterRow, error) {
	list, err := s.store.RoleRegister(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	locals, err := s.store.LocalRoles(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	localNames := map[string]string{}
	for _, lr := range locals {
		localNames[lr.RoleID] = lr.Name
	}
	model := s.frameworks.CurrentRiskModel()
	now := s.store.Now()
	var rows []RegisterRow
	for _, ra := range list {
		row := RegisterRow{RoleAssessment: ra, RoleName: ra.RoleID, Compliance: Percent(ra.PeopleScreened, ra.Headcount),
			ReviewOverdue: now.After(ra.NextReviewOn), ScreenOverdue: now.After(ra.NextScreeningOn),
			OldModel: model != nil && (ra.ModelKey != model.Key || ra.ModelVersion != model.Version)}
		if name, ok := localNames[ra.RoleID]; ok {
			row.RoleName = name + " (local role)"
		}
		if m := s.frameworks.RiskModel(ra.ModelKey, ra.ModelVersion); m != nil {
			if r, ok := m.Role(ra.RoleID); ok {
				row.RoleName, row.Group, row.GroupLabel = r.Name, r.Group, frameworks.TraumaGroupLabels[r.Group]
			}
			for _, b := range m.Bands {
				if b.Key == ra.OverallBand {
					row.Band = b
				}
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// RoleCounts are a role assessment's counts about people as a reader may
// see them (see Show).
type RoleCounts struct {
	Screened, Interviews, Referrals ShownCount
	Cohorts                         []CohortCounts
}

// CohortCounts are one screening cohort's counts as a reader may see them.
type CohortCounts struct {
	Cohort, Label                                    string
	PeopleDue, Screened, NoAction, Further, Referred ShownCount
	DueOn                                            *time.Time
	LastScreenedOn                                   *time.Time
}

// Disclose is a role assessment's screening and referral counts for a
// reader: exact for those who may edit the register, else with counts
// under 5 withheld.
func Disclose(ra store.RoleAssessment, exact bool) RoleCounts {
	rc := RoleCounts{Screened: Show(ra.PeopleScreened, exact), Interviews: Show(ra.StructuredInterviews, exact), Referrals: Show(ra.Referrals, exact)}
	for _, co := range ra.Cohorts {
		rc.Cohorts = append(rc.Cohorts, CohortCounts{Cohort: co.Cohort, Label: frameworks.CohortLabels[co.Cohort],
			PeopleDue: Show(co.PeopleDue, exact), Screened: Show(co.Screened, exact), NoAction: Show(co.NoFurtherAction, exact),
			Further: Show(co.FurtherAssessment, exact), Referred: Show(co.Referred, exact), DueOn: co.DueOn, LastScreenedOn: co.LastScreenedOn})
	}
	return rc
}

// MarshalJSON gives an exact count as a number and a withheld one as the
// text "fewer than 5", so that no API response holds a small count.
func (c ShownCount) MarshalJSON() ([]byte, error) {
	if c.Withheld {
		return []byte(`"fewer than 5"`), nil
	}
	return []byte(strconv.Itoa(c.N)), nil
}

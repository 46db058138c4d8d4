package reporting

import (
	"context"
	"strconv"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
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
				row.RoleName = r.Name
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

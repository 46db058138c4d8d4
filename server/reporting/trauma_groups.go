package reporting

import (
	"context"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// GroupFigures are the register's figures for one of the trauma guidance's
// three groups (first responder, specialist, disaster management and
// response): the roles banded high or very high and the people in them,
// and those people's screening (the one screening compliance, Screening).
type GroupFigures struct {
	Group, Label string
	Roles        int       // roles banded high or very high
	Screening    Screening // Due is the people in those roles
	Orgs         int       // organisations with such a role (national figures)
}

// GroupRow is a group's figures as text, under the disclosure rules: a
// count of people under 5 is "fewer than 5", compliance resting on fewer
// than 5 people is withheld, and a national figure resting on fewer
// organisations than the benchmark's minimum group is suppressed.
type GroupRow struct {
	Label, Roles, People, Compliance string
}

// groupRole is what a role adds to its group's figures.
type groupRole struct {
	Group, Band      string
	People, Screened int
	OrganisationID   int64
}

// groupFiguresOf sums roles into the three groups; roles of no group (local
// roles, or of an edition without groups) and roles below the high bands
// are left out.
func groupFiguresOf(roles []groupRole, high map[string]bool, asAt time.Time) []GroupFigures {
	out := make([]GroupFigures, 0, len(frameworks.TraumaGroups))
	for _, g := range frameworks.TraumaGroups {
		gf := GroupFigures{Group: g, Label: frameworks.TraumaGroupLabels[g], Screening: Screening{AsAt: asAt}}
		orgs := map[int64]bool{}
		for _, r := range roles {
			if r.Group != g || !high[r.Band] {
				continue
			}
			gf.Roles++
			gf.Screening.Due += r.People
			gf.Screening.Screened += r.Screened
			orgs[r.OrganisationID] = true
		}
		gf.Orgs = len(orgs)
		out = append(out, gf)
	}
	return out
}

// rows gives the figures as text: minOrgs 0 for one organisation's own
// figures, or the benchmark's minimum group for national ones.
func groupRows(figs []GroupFigures, minOrgs int) []GroupRow {
	out := make([]GroupRow, 0, len(figs))
	for _, g := range figs {
		row := GroupRow{Label: g.Label}
		switch {
		case minOrgs > 0 && g.Orgs > 0 && g.Orgs < minOrgs:
			why := "suppressed (fewer than " + figure.Number(float64(minOrgs), 0) + " organisations)"
			row.Roles, row.People, row.Compliance = why, why, why
		default:
			row.Roles = figure.Number(float64(g.Roles), 0)
			row.People = Show(g.Screening.Due, false).String()
			switch {
			case g.Screening.Due == 0:
				row.Compliance = "no figure"
			case g.Screening.Due < SmallCount:
				row.Compliance = "withheld (fewer than 5 people)"
			default:
				row.Compliance = g.Screening.Text()
			}
		}
		out = append(out, row)
	}
	return out
}

// orgGroupRows are an organisation's own figures by group, from its
// current register.
func (s *Service) orgGroupRows(rows []RegisterRow, asAt time.Time) []GroupRow {
	var roles []groupRole
	for _, r := range rows {
		roles = append(roles, groupRole{Group: r.Group, Band: r.OverallBand, People: r.Headcount, Screened: r.PeopleScreened, OrganisationID: r.OrganisationID})
	}
	return groupRows(groupFiguresOf(roles, s.highBandKeys(), asAt), 0)
}

// nationalGroupRows are the figures by group across the organisations of
// the cycle's figures, each group's suppressed when it rests on fewer
// organisations than the benchmark's minimum group.
func (s *Service) nationalGroupRows(ctx context.Context, f *CycleFigures) ([]GroupRow, error) {
	current, err := s.store.CurrentRoleFigures(ctx)
	if err != nil {
		return nil, err
	}
	inCycle := map[int64]bool{}
	for _, o := range f.Orgs {
		inCycle[o.ID] = true
	}
	var roles []groupRole
	for _, ra := range current {
		if !inCycle[ra.OrganisationID] {
			continue
		}
		m := s.frameworks.RiskModel(ra.ModelKey, ra.ModelVersion)
		if m == nil {
			continue
		}
		if role, ok := m.Role(ra.RoleID); ok {
			roles = append(roles, groupRole{Group: role.Group, Band: ra.OverallBand, People: ra.Headcount, Screened: ra.PeopleScreened, OrganisationID: ra.OrganisationID})
		}
	}
	return groupRows(groupFiguresOf(roles, s.highBandKeys(), f.AsAt), f.Result.MinGroup()), nil
}

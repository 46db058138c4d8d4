package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// CycleOrg is one organisation's standing in an assessment cycle, as the
// benchmark reads it. Levels and Targets are filled only for a submitted or
// validated assessment: drafts and returned assessments never reach a
// benchmark.
type CycleOrg struct {
	Organisation
	AssessmentID int64  // 0 when the organisation has not started
	Status       string // "" when not started
	SubmittedAt  *time.Time
	Levels       map[string]int
	Targets      map[string]int
}

// Counts reports whether the assessment counts in benchmarks.
func (o CycleOrg) Counts() bool {
	return o.Status == StatusSubmitted || o.Status == StatusValidated
}

// CycleOrgs returns every organisation with its assessment of the cycle, in
// three queries whatever the number of organisations. It reads across
// organisations: callers show other organisations' rows only to national
// admins and otherwise use them for group figures alone.
func (s *Store) CycleOrgs(ctx context.Context, cycleID int64) ([]CycleOrg, error) {
	db := s.db.WithContext(ctx)
	var orgs []Organisation
	if err := db.Order("name, id").Find(&orgs).Error; err != nil {
		return nil, err
	}
	var assessments []Assessment
	if err := db.Where("cycle_id = ?", cycleID).Find(&assessments).Error; err != nil {
		return nil, err
	}
	byOrg := make(map[int64]*Assessment, len(assessments))
	for i := range assessments {
		byOrg[assessments[i].OrganisationID] = &assessments[i]
	}
	out := make([]CycleOrg, len(orgs))
	index := make(map[int64]int, len(orgs))
	for i, o := range orgs {
		out[i] = CycleOrg{Organisation: o}
		if a := byOrg[o.ID]; a != nil {
			out[i].AssessmentID, out[i].Status, out[i].SubmittedAt = a.ID, a.Status, a.SubmittedAt
			if out[i].Counts() {
				out[i].Levels, out[i].Targets = map[string]int{}, map[string]int{}
			}
		}
		index[o.ID] = i
	}
	// Tens of thousands of rows: scanned by hand, without the ORM's
	// reflection, and with each standard id kept once.
	rows, err := db.Raw(`SELECT a.organisation_id, r.standard_id, r.level, r.target FROM responses r
		JOIN assessments a ON a.id = r.assessment_id WHERE a.cycle_id = ? AND a.status IN (?, ?)`,
		cycleID, StatusSubmitted, StatusValidated).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]string{}
	var orgID int64
	var std string
	var level, target sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&orgID, &std, &level, &target); err != nil {
			return nil, err
		}
		o := &out[index[orgID]]
		if o.Levels == nil {
			continue
		}
		id, ok := ids[std]
		if !ok {
			id = strings.Clone(std)
			ids[id] = id
		}
		if level.Valid {
			o.Levels[id] = int(level.Int64)
		}
		if target.Valid {
			o.Targets[id] = int(target.Int64)
		}
	}
	return out, rows.Err()
}

// RiskSummary is what an organisation's current role risk register adds up
// to, counts only.
type RiskSummary struct {
	Roles int
	// People counts everyone in assessed roles; People by band (the band's
	// key in the risk model, e.g. "high") the people in roles of that band.
	People       int
	PeopleByBand map[string]int
	// ScreenedByBand counts, per band, the people screened within the
	// interval.
	ScreenedByBand map[string]int
}

// RiskSummaries adds up every organisation's current role assessments in
// one query.
func (s *Store) RiskSummaries(ctx context.Context) (map[int64]*RiskSummary, error) {
	var rows []RoleAssessment
	err := s.db.WithContext(ctx).Model(&RoleAssessment{}).
		Select("organisation_id, overall_band, headcount, people_screened").
		Where("current = ?", true).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[int64]*RiskSummary{}
	for _, r := range rows {
		sum := out[r.OrganisationID]
		if sum == nil {
			sum = &RiskSummary{PeopleByBand: map[string]int{}, ScreenedByBand: map[string]int{}}
			out[r.OrganisationID] = sum
		}
		sum.Roles++
		sum.People += r.Headcount
		sum.PeopleByBand[r.OverallBand] += r.Headcount
		sum.ScreenedByBand[r.OverallBand] += r.PeopleScreened
	}
	return out, nil
}

// WorkforceIn returns every organisation's workforce for a year (officers
// or operational staff plus other staff), keyed by organisation.
func (s *Store) WorkforceIn(ctx context.Context, year int) (map[int64]int, error) {
	var rows []Workforce
	if err := s.db.WithContext(ctx).Where("year = ?", year).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, w := range rows {
		out[w.OrganisationID] = w.Officers + w.Staff
	}
	return out, nil
}

// RoleVersions lists every version of every role assessment of an
// organisation, without hazards, oldest review first: enough to work out
// what the register said on any past date.
func (s *Store) RoleVersions(ctx context.Context, sc Scope, orgID int64) ([]RoleAssessment, error) {
	var out []RoleAssessment
	err := sc.where(s.db.WithContext(ctx), "organisation_id").Where("organisation_id = ?", orgID).
		Select("id, organisation_id, role_id, version, current, overall_band, headcount, people_screened, reviewed_on, created_at").
		Order("reviewed_on, version").Find(&out).Error
	return out, err
}

// ChangeStamp is the id of the newest audit record. Every change to the
// data writes one, so figures worked out at one stamp stay right until it
// moves: returning an assessment moves it at once, on every instance.
func (s *Store) ChangeStamp(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM audit_events").Scan(&id).Error
	return id, err
}

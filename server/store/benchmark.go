package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"time"
)

// CycleOrg is one organisation's standing in an assessment cycle, as the
// benchmark reads it. Levels and Targets are filled only for a submitted or
// validated assessment (drafts and returned assessments never reach a
// benchmark); they are shared, so callers must not change them.
type CycleOrg struct {
	Organisation
	AssessmentID int64  // 0 when the organisation has not started
	Status       string // "" when not started
	SubmittedAt  *time.Time
	Levels       map[string]int
	Targets      map[string]int
}

// countingStatuses are the statuses of assessments that count in
// benchmarks.
var countingStatuses = []string{StatusSubmitted, StatusValidated}

// Counts reports whether the assessment counts in benchmarks.
func (o CycleOrg) Counts() bool { return slices.Contains(countingStatuses, o.Status) }

// Submissions counts, for each cycle, the assessments that count in its
// benchmarks (see Counts), in one query: for pages that list cycles
// without needing their figures.
func (s *Store) Submissions(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		CycleID int64
		N       int
	}
	err := s.db.WithContext(ctx).Model(&Assessment{}).Select("cycle_id, COUNT(*) AS n").
		Where("status IN ?", countingStatuses).Group("cycle_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.CycleID] = r.N
	}
	return out, err
}

// answerCache keeps the levels and targets of submitted and validated
// assessments. Those cannot change: an assessment must be returned before
// anyone can edit it, and its next submission has a new submission time,
// which is part of the key.
type answerCache struct {
	mu sync.Mutex
	m  map[int64]cachedAnswers
}

type cachedAnswers struct {
	submittedAt     time.Time
	levels, targets map[string]int
}

func (c *answerCache) get(id int64, submittedAt time.Time) (cachedAnswers, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[id]
	return a, ok && a.submittedAt.Equal(submittedAt)
}

func (c *answerCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

func (c *answerCache) put(id int64, a cachedAnswers) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]cachedAnswers{}
	}
	c.m[id] = a
}

// CycleOrgs returns every organisation with its assessment of the cycle, in
// a fixed number of queries whatever the number of organisations; the
// answers of a submitted assessment are read once and then kept. It reads
// across organisations: callers show other organisations' rows only to
// national admins and otherwise use them for group figures alone.
func (s *Store) CycleOrgs(ctx context.Context, cycleID int64) ([]CycleOrg, error) {
	db := s.db.WithContext(ctx)
	var orgs []Organisation
	if err := db.Order("name, id").Find(&orgs).Error; err != nil {
		return nil, err
	}
	var assessments []Assessment
	if err := db.Select("id", "organisation_id", "status", "submitted_at").Where("cycle_id = ?", cycleID).Find(&assessments).Error; err != nil {
		return nil, err
	}
	byOrg := make(map[int64]*Assessment, len(assessments))
	for i := range assessments {
		byOrg[assessments[i].OrganisationID] = &assessments[i]
	}
	out := make([]CycleOrg, len(orgs))
	var need []*CycleOrg // submitted, answers not yet kept
	counted := 0
	for i, o := range orgs {
		out[i] = CycleOrg{Organisation: o}
		a := byOrg[o.ID]
		if a == nil {
			continue
		}
		co := &out[i]
		co.AssessmentID, co.Status, co.SubmittedAt = a.ID, a.Status, a.SubmittedAt
		if !co.Counts() {
			continue
		}
		counted++
		if got, ok := s.answers.get(a.ID, submittedAt(a)); ok {
			co.Levels, co.Targets = got.levels, got.targets
		} else {
			co.Levels, co.Targets = map[string]int{}, map[string]int{}
			need = append(need, co)
		}
	}
	if len(need) > 0 {
		if err := s.readAnswers(ctx, cycleID, need, len(need) == counted); err != nil {
			return nil, err
		}
		for _, co := range need {
			s.answers.put(co.AssessmentID, cachedAnswers{submittedAt: submittedAt(byOrg[co.ID]), levels: co.Levels, targets: co.Targets})
		}
	}
	return out, nil
}

func submittedAt(a *Assessment) time.Time {
	if a.SubmittedAt == nil {
		return time.Time{}
	}
	return *a.SubmittedAt
}

// readAnswers fills the levels and targets of the given assessments: with
// one query over the cycle when all of them are needed, else by id.
func (s *Store) readAnswers(ctx context.Context, cycleID int64, need []*CycleOrg, all bool) error {
	byID := make(map[int64]*CycleOrg, len(need))
	ids := make([]int64, 0, len(need))
	for _, co := range need {
		byID[co.AssessmentID] = co
		ids = append(ids, co.AssessmentID)
	}
	db := s.db.WithContext(ctx)
	for len(ids) > 0 {
		// Tens of thousands of rows: scanned by hand, without the ORM's
		// reflection, and with each standard id kept once.
		var rows *sql.Rows
		var err error
		if all {
			rows, err = db.Raw(`SELECT r.assessment_id, r.standard_id, r.level, r.target FROM responses r
				JOIN assessments a ON a.id = r.assessment_id WHERE a.cycle_id = ? AND a.status IN (?, ?)`,
				cycleID, StatusSubmitted, StatusValidated).Rows()
			ids = nil
		} else {
			batch := ids[:min(len(ids), 500)]
			ids = ids[len(batch):]
			rows, err = db.Raw(`SELECT assessment_id, standard_id, level, target FROM responses WHERE assessment_id IN ?`, batch).Rows()
		}
		if err != nil {
			return err
		}
		if err := scanAnswers(rows, byID); err != nil {
			return err
		}
	}
	return nil
}

func scanAnswers(rows *sql.Rows, byID map[int64]*CycleOrg) error {
	defer rows.Close()
	names := map[string]string{}
	var id int64
	var std string
	var level, target sql.NullInt64
	for rows.Next() {
		if err := rows.Scan(&id, &std, &level, &target); err != nil {
			return err
		}
		co := byID[id]
		if co == nil {
			continue
		}
		name, ok := names[std]
		if !ok {
			name = strings.Clone(std)
			names[name] = name
		}
		if level.Valid {
			co.Levels[name] = int(level.Int64)
		}
		if target.Valid {
			co.Targets[name] = int(target.Int64)
		}
	}
	return rows.Err()
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
	rows, err := s.db.WithContext(ctx).Raw(`SELECT organisation_id, overall_band, SUM(headcount), SUM(people_screened), COUNT(*)
		FROM role_assessments WHERE current GROUP BY organisation_id, overall_band`).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*RiskSummary{}
	var orgID int64
	var band string
	var people, screened, roles int
	for rows.Next() {
		if err := rows.Scan(&orgID, &band, &people, &screened, &roles); err != nil {
			return nil, err
		}
		sum := out[orgID]
		if sum == nil {
			sum = &RiskSummary{PeopleByBand: map[string]int{}, ScreenedByBand: map[string]int{}}
			out[orgID] = sum
		}
		sum.Roles += roles
		sum.People += people
		sum.PeopleByBand[band] += people
		sum.ScreenedByBand[band] += screened
	}
	return out, rows.Err()
}

// CurrentRoleFigures lists every organisation's current role assessments,
// counts and band only, for the national figures by trauma group (which
// group a role is in is the risk model's to say). A draft is in none.
func (s *Store) CurrentRoleFigures(ctx context.Context) ([]RoleAssessment, error) {
	var out []RoleAssessment
	err := s.db.WithContext(ctx).Where("current").
		Select("id, organisation_id, role_id, model_key, model_version, overall_band, headcount, people_screened").
		Order("organisation_id, role_id").Find(&out).Error
	return out, err
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

// FiguresStamp is the counter that every change the benchmarks are drawn
// from moves, in the change's own transaction (see audit): figures worked
// out at one stamp stay right until it moves, on every instance. Returning
// an assessment moves it; saving a draft answer does not.
func (s *Store) FiguresStamp(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT n FROM change_counters WHERE name = 'figures'").Scan(&n).Error
	return n, err
}

// MarkFiguresChanged moves the figures counter, for bulk loads that write
// no audit records (the synthetic data set, an import).
func (s *Store) MarkFiguresChanged(ctx context.Context) error {
	return markFiguresChanged(s.db.WithContext(ctx))
}

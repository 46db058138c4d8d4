package store

import "context"

// AnsweredCounts returns, for each assessment of the cycle within the
// scope, how many of its standards have a level: the progress the national
// lists show. One query, whatever the number of organisations.
func (s *Store) AnsweredCounts(ctx context.Context, sc Scope, cycleID int64) (map[int64]int, error) {
	var rows []struct {
		AssessmentID int64
		N            int
	}
	q := s.db.WithContext(ctx).Table("responses").
		Select("responses.assessment_id AS assessment_id, COUNT(*) AS n").
		Joins("JOIN assessments ON assessments.id = responses.assessment_id").
		Where("assessments.cycle_id = ? AND responses.level IS NOT NULL", cycleID)
	if err := sc.where(q, "assessments.organisation_id").Group("responses.assessment_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.AssessmentID] = r.N
	}
	return out, nil
}

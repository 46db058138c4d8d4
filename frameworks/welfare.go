package frameworks

import (
	"fmt"
	"time"
)

// KindWelfarePolicy names the file that sets the welfare limits for OK9
// wellbeing dogs: how long a dog may work in a day and a week, and how many
// rest days it must have.
const KindWelfarePolicy = "ok9-welfare-policy"

// WelfarePolicy is one edition of the OK9 dog welfare limits.
type WelfarePolicy struct {
	Kind    string `yaml:"kind" json:"-"`
	Key     string `yaml:"key" json:"key"`
	Version string `yaml:"version" json:"version"`
	Title   string `yaml:"title" json:"title"`
	Status  string `yaml:"status" json:"status"`
	Notice  string `yaml:"notice" json:"notice"`
	// MaxMinutesPerDay is the most a dog may work on one calendar day.
	MaxMinutesPerDay int `yaml:"max_minutes_per_day" json:"max_minutes_per_day"`
	// MaxMinutesPerWeek is the most a dog may work in any seven consecutive days.
	MaxMinutesPerWeek int `yaml:"max_minutes_per_week" json:"max_minutes_per_week"`
	// MinRestDaysPerWeek is how many days without work any seven consecutive
	// days must hold.
	MinRestDaysPerWeek int `yaml:"min_rest_days_per_week" json:"min_rest_days_per_week"`
	// MutualAidSessionMinutes is the working time assumed per day when the
	// national team looks for dogs that could go to a mutual-aid request.
	MutualAidSessionMinutes int `yaml:"mutual_aid_session_minutes" json:"mutual_aid_session_minutes"`
	// Standing says how long the scheme's records stay in date; a scheme
	// out of standing cannot lend its dogs for mutual aid.
	Standing StandingRules `yaml:"standing" json:"standing"`
	// Handlers says how long a handler's training and suitability
	// assessment stay in date for them to be deployed.
	Handlers HandlerRules `yaml:"handlers" json:"handlers"`
}

// StandingRules are the intervals that keep an OK9 scheme in good standing.
type StandingRules struct {
	// SOPReviewMonths is the longest time since the standing operating
	// procedure was last reviewed.
	SOPReviewMonths int `yaml:"sop_review_months" json:"sop_review_months"`
	// RiskAssessmentReviewMonths is the longest time since the risk
	// assessment was last reviewed.
	RiskAssessmentReviewMonths int `yaml:"risk_assessment_review_months" json:"risk_assessment_review_months"`
	// ExpiryWarningDays is how far ahead the national register lists
	// standing that is about to lapse.
	ExpiryWarningDays int `yaml:"expiry_warning_days" json:"expiry_warning_days"`
}

// HandlerRules are the conditions a handler must meet to be deployed.
type HandlerRules struct {
	// TrainingValidMonths is how long peer support or mental health first
	// aid training (or the latest refresher) stays in date.
	TrainingValidMonths int `yaml:"training_valid_months" json:"training_valid_months"`
	// SuitabilityValidMonths is how long a passed OK9 suitability
	// assessment of the handler with their dog stays in date.
	SuitabilityValidMonths int `yaml:"suitability_valid_months" json:"suitability_valid_months"`
}

func (c *checker) checkWelfarePolicy(w *WelfarePolicy) {
	c.header(w.Key, w.Version, w.Title, w.Status)
	c.text("notice", w.Notice)
	if w.MaxMinutesPerDay < 1 || w.MaxMinutesPerDay > 24*60 {
		c.at("max_minutes_per_day", "max_minutes_per_day must be between 1 and 1440")
	}
	if w.MaxMinutesPerWeek < w.MaxMinutesPerDay || w.MaxMinutesPerWeek > 7*24*60 {
		c.at("max_minutes_per_week", "max_minutes_per_week must be at least max_minutes_per_day and at most 10080")
	}
	if w.MinRestDaysPerWeek < 0 || w.MinRestDaysPerWeek > 6 {
		c.at("min_rest_days_per_week", "min_rest_days_per_week must be between 0 and 6")
	}
	if w.MutualAidSessionMinutes < 1 || w.MutualAidSessionMinutes > w.MaxMinutesPerDay {
		c.at("mutual_aid_session_minutes", "mutual_aid_session_minutes must be at least 1 and no more than max_minutes_per_day")
	}
	months := func(p string, v int) {
		if v < 1 || v > 120 {
			c.at(p, "%s must be a number of months between 1 and 120", p)
		}
	}
	// Editions before 2026.2 set no standing or handler rules; a section
	// that is there must be whole. The store fails closed on a missing one.
	if w.Standing != (StandingRules{}) {
		months("standing.sop_review_months", w.Standing.SOPReviewMonths)
		months("standing.risk_assessment_review_months", w.Standing.RiskAssessmentReviewMonths)
		if w.Standing.ExpiryWarningDays < 1 || w.Standing.ExpiryWarningDays > 366 {
			c.at("standing.expiry_warning_days", "standing.expiry_warning_days must be between 1 and 366")
		}
	}
	if w.Handlers != (HandlerRules{}) {
		months("handlers.training_valid_months", w.Handlers.TrainingValidMonths)
		months("handlers.suitability_valid_months", w.Handlers.SuitabilityValidMonths)
	}
}

// Day is a calendar day, at midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WelfareBreach is one limit a planned deployment would break for a dog.
type WelfareBreach struct {
	Limit  string // "day", "week" or "rest"
	Reason string
}

// Check says which limits a dog would break if it worked minutes more on
// day, given what it already works: worked maps a day (see Day) to the
// minutes logged for the dog that day. Every seven-day window that holds the
// day is checked, so a deployment logged late cannot break a week that
// already has later deployments in it.
func (w *WelfarePolicy) Check(worked map[time.Time]int, day time.Time, minutes int) []WelfareBreach {
	day = Day(day)
	var out []WelfareBreach
	if total := worked[day] + minutes; total > w.MaxMinutesPerDay {
		out = append(out, WelfareBreach{"day", fmt.Sprintf("the dog would work %s on %s; the limit is %s a day",
			Duration(total), day.Format("2 January 2006"), Duration(w.MaxMinutesPerDay))})
	}
	weekDone, restDone := false, false
	for start := day.AddDate(0, 0, -6); !start.After(day); start = start.AddDate(0, 0, 1) {
		total, rest := 0, 0
		for d := start; d.Before(start.AddDate(0, 0, 7)); d = d.AddDate(0, 0, 1) {
			m := worked[d]
			if d.Equal(day) {
				m += minutes
			}
			total += m
			if m == 0 {
				rest++
			}
		}
		end := start.AddDate(0, 0, 6).Format("2 January 2006")
		if total > w.MaxMinutesPerWeek && !weekDone {
			weekDone = true
			out = append(out, WelfareBreach{"week", fmt.Sprintf("the dog would work %s in the seven days %s to %s; the limit is %s",
				Duration(total), start.Format("2 January"), end, Duration(w.MaxMinutesPerWeek))})
		}
		if rest < w.MinRestDaysPerWeek && !restDone {
			restDone = true
			out = append(out, WelfareBreach{"rest", fmt.Sprintf("the dog would have %d rest days in the seven days %s to %s; it needs at least %d",
				rest, start.Format("2 January"), end, w.MinRestDaysPerWeek)})
		}
	}
	return out
}

// Duration writes minutes as hours and minutes, e.g. "2 h 30 min".
func Duration(minutes int) string {
	switch h, m := minutes/60, minutes%60; {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	default:
		return fmt.Sprintf("%d h %d min", h, m)
	}
}

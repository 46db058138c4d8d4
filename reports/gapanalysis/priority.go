package gapanalysis

import (
	"math"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Priority bands.
const (
	PriorityHigh     = "High"
	PriorityMedium   = "Medium"
	PriorityLow      = "Low"
	PriorityNotRated = "Not rated"
)

// PriorityRule is the rule in words, printed on the Notes sheet. Keep it
// in step with Priority.
const PriorityRule = "Gap = target level minus current level (0 if the target is met). " +
	"Score = gap x (1 + the number of levels the current level is below the peer median; 0 if at or above it, or if there is no peer median to show). " +
	"High if the score is 4 or more, Medium if 2 or more, otherwise Low. " +
	"Not rated if the current or target level is missing. " +
	"So a standard far from its target and behind similar organisations comes first."

// Priority scores one standard by PriorityRule. ok is false (band "Not
// rated") when the current or target level is not known.
func Priority(current, target, peerMedian figure.Value) (gap, score float64, band string, ok bool) {
	if !current.Ok() || !target.Ok() {
		return 0, 0, PriorityNotRated, false
	}
	gap = math.Max(0, target.V-current.V)
	behind := 0.0
	if peerMedian.Ok() {
		behind = math.Max(0, peerMedian.V-current.V)
	}
	score = gap * (1 + behind)
	switch {
	case score >= 4:
		band = PriorityHigh
	case score >= 2:
		band = PriorityMedium
	default:
		band = PriorityLow
	}
	return gap, score, band, true
}

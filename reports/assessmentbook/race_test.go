//go:build race

package assessmentbook

// The race detector allocates for itself, and its allocations count in the
// measurements of limits_test.go.
func init() { allocSlack = 2 }

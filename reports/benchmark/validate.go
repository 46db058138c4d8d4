package benchmark

import (
	"errors"
	"fmt"
	"math"
)

// Validate reports what Compute would quietly skip: an empty or repeated
// metric key, a repeated organisation ID and a figure that is not a finite
// number. Each problem names the organisation (by position, ID and name)
// and the metric. It returns nil for a clean dataset.
func (ds Dataset) Validate() error {
	var errs []error
	metricAt := map[string]int{}
	var keys []string
	for j, m := range ds.Metrics {
		if m.Key == "" {
			errs = append(errs, fmt.Errorf("metric %d (%q): empty key", j+1, m.Label))
			continue
		}
		if first, dup := metricAt[m.Key]; dup {
			errs = append(errs, fmt.Errorf("metric %d: key %q already used by metric %d", j+1, m.Key, first+1))
			continue
		}
		metricAt[m.Key] = j
		keys = append(keys, m.Key)
	}
	orgAt := map[int64]int{}
	for k, o := range ds.Orgs {
		if first, dup := orgAt[o.ID]; dup {
			errs = append(errs, fmt.Errorf("organisation %d (ID %d, %s): ID already used by organisation %d", k+1, o.ID, o.Name, first+1))
			continue
		}
		orgAt[o.ID] = k
		for _, key := range keys {
			if v, ok := o.Values[key]; ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
				errs = append(errs, fmt.Errorf("organisation %d (ID %d, %s), metric %q: %v is not a finite number", k+1, o.ID, o.Name, key, v))
			}
		}
	}
	return errors.Join(errs...)
}

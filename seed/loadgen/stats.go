package loadgen

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"
)

// Outcome is how one request ended.
type Outcome int

const (
	OK       Outcome = iota
	Conflict         // a save refused because someone saved the same standard first: expected
	Failed           // a transport error, or a status or body the person should not have got
)

// Recorder collects every request's latency and outcome by action. It is
// safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	actions map[string]*series
}

type series struct {
	latencies []time.Duration // of requests that ended OK
	conflicts int
	errors    int
	samples   []string // the first few error messages, to say what went wrong
}

const maxSamples = 3

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{actions: map[string]*series{}} }

// Record notes one request of action. detail says what went wrong when the
// outcome is Failed.
func (r *Recorder) Record(action string, took time.Duration, outcome Outcome, detail string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.actions[action]
	if s == nil {
		s = &series{}
		r.actions[action] = s
	}
	switch outcome {
	case OK:
		s.latencies = append(s.latencies, took)
	case Conflict:
		s.conflicts++
	case Failed:
		s.errors++
		if len(s.samples) < maxSamples {
			s.samples = append(s.samples, detail)
		}
	}
}

// Row is the summary of one action.
type Row struct {
	Action             string
	Count              int // requests that ended OK
	Conflicts, Errors  int
	PerSecond          float64
	P50, P95, P99, Max time.Duration
	ErrorSamples       []string
}

// Rows summarises every action in the order given, then any others by name.
// elapsed is the length of the run, for throughput.
func (r *Recorder) Rows(order []string, elapsed time.Duration) []Row {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.actions))
	for _, a := range order {
		if r.actions[a] != nil {
			names = append(names, a)
		}
	}
	var rest []string
	for a := range r.actions {
		if !slices.Contains(order, a) {
			rest = append(rest, a)
		}
	}
	slices.Sort(rest)
	var rows []Row
	for _, a := range append(names, rest...) {
		s := r.actions[a]
		sorted := slices.Clone(s.latencies)
		slices.Sort(sorted)
		row := Row{Action: a, Count: len(sorted), Conflicts: s.conflicts, Errors: s.errors, ErrorSamples: slices.Clone(s.samples),
			P50: Percentile(sorted, 50), P95: Percentile(sorted, 95), P99: Percentile(sorted, 99)}
		if len(sorted) > 0 {
			row.Max = sorted[len(sorted)-1]
		}
		if elapsed > 0 {
			row.PerSecond = float64(len(sorted)) / elapsed.Seconds()
		}
		rows = append(rows, row)
	}
	return rows
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted latencies
// by the nearest-rank method: the smallest value that at least p per cent
// of the values do not exceed. It is 0 for no values.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Total sums every action into one row, with the percentiles of all the
// requests together.
func (r *Recorder) Total(elapsed time.Duration) Row {
	r.mu.Lock()
	var all []time.Duration
	t := Row{Action: "all"}
	for _, s := range r.actions {
		all = append(all, s.latencies...)
		t.Conflicts += s.conflicts
		t.Errors += s.errors
	}
	r.mu.Unlock()
	slices.Sort(all)
	t.Count = len(all)
	t.P50, t.P95, t.P99 = Percentile(all, 50), Percentile(all, 95), Percentile(all, 99)
	if len(all) > 0 {
		t.Max = all[len(all)-1]
	}
	if elapsed > 0 {
		t.PerSecond = float64(len(all)) / elapsed.Seconds()
	}
	return t
}

// WriteTable prints the rows as an aligned table, then any error samples.
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "%-18s %7s %7s %8s %8s %8s %8s %9s %6s\n", "action", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "conflicts", "errors")
	for _, r := range rows {
		fmt.Fprintf(w, "%-18s %7d %7.1f %8s %8s %8s %8s %9d %6d\n", r.Action, r.Count, r.PerSecond,
			ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.Conflicts, r.Errors)
	}
	for _, r := range rows {
		for _, s := range r.ErrorSamples {
			fmt.Fprintf(w, "  error in %s: %s\n", r.Action, s)
		}
	}
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000)
}

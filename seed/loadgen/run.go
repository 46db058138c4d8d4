// Package loadgen is the load generator behind `toolkit load`: it prepares
// people in the database of a server running on this machine, signs them in
// through the real sign-in form and has them work through a weighted mix of
// pages, saves, report downloads and API calls, then reports throughput and
// latency percentiles per action, errors and the server's peak memory.
package loadgen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Config is one load run.
type Config struct {
	URL         string        // the server, on loopback
	Duration    time.Duration // how long people work after signing in
	MaxRequests int64         // stop after this many requests; 0 for no bound but Duration
	Think       time.Duration // the longest pause between a person's steps (each pause is random from 0)
	Timeout     time.Duration // per request; 0 for 60 s
	PID         int           // the server's process id, to report its memory; 0 for none
	Seed        uint64        // for the mix's random choices
	Mix         Mix           // nil for DefaultMix
	// ForwardedFor sends each person's own address (personAddress) as
	// X-Forwarded-For, as people in many places reach a server behind a
	// proxy. The server believes it only if it trusts this machine
	// (TRUSTED_PROXIES); without it every person is this machine's address
	// and shares its sign-in limit.
	ForwardedFor bool
}

// Report is the outcome of a run.
type Report struct {
	People    int
	SignedIn  int
	WarmUp    []Row         // sign-in, not counted in the figures
	Rows      []Row         // the run proper
	Total     Row           // the sum of Rows
	Elapsed   time.Duration // of the run proper
	Memory    *Memory       // nil without a PID
	Errors    int           // in the warm-up and the run
	Conflicts int
}

// budget hands out the run's requests; nil-safe for no bound.
type budget struct {
	limit int64
	used  atomic.Int64
}

func (b *budget) take() bool { return b.limit <= 0 || b.used.Add(1) <= b.limit }

// Run signs every person in, then lets them work until the duration or the
// request bound is reached.
func Run(ctx context.Context, cfg Config, plan *Plan) (*Report, error) {
	base, err := CheckLoopback(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Duration <= 0 {
		return nil, fmt.Errorf("-duration must be positive")
	}
	if len(plan.People) == 0 {
		return nil, fmt.Errorf("no people to run")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix
	}
	for _, p := range plan.People {
		if len(cfg.Mix.For(p.Role)) == 0 {
			return nil, fmt.Errorf("-mix gives a %s nothing to do: add a step that only reads", p.Role)
		}
	}
	var mem *sampler
	if cfg.PID > 0 {
		if mem, err = startSampler(cfg.PID); err != nil {
			return nil, err
		}
	}
	n := len(plan.People)
	transport := &http.Transport{DialContext: dialLoopback, MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: time.Minute}
	defer transport.CloseIdleConnections()
	warm, rec := NewRecorder(), NewRecorder()
	b := &budget{limit: cfg.MaxRequests}
	people := make([]*person, n)
	for i, p := range plan.People {
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		people[i] = newPerson(p, base, plan, cfg.Mix, transport, cfg.Timeout, rng, rec, b)
		if cfg.ForwardedFor {
			people[i].forwardedFor = personAddress(i)
		}
	}

	// Warm-up: everyone signs in at once, as at the start of a day.
	warmStart := time.Now()
	signedIn := make([]bool, n)
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Go(func() { signedIn[i] = p.signIn(ctx, warm) })
	}
	wg.Wait()
	warmElapsed := time.Since(warmStart)

	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	report := &Report{People: n}
	for i, p := range people {
		if signedIn[i] {
			report.SignedIn++
			wg.Go(func() { p.work(runCtx, cfg.Think) })
		}
	}
	wg.Wait()
	report.Elapsed = time.Since(start)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	report.WarmUp = warm.Rows(ActionOrder, warmElapsed)
	report.Rows = rec.Rows(ActionOrder, report.Elapsed)
	report.Total = rec.Total(report.Elapsed)
	for _, r := range append(append([]Row(nil), report.WarmUp...), report.Rows...) {
		report.Errors += r.Errors
		report.Conflicts += r.Conflicts
	}
	if mem != nil {
		if report.Memory, err = mem.stop(); err != nil {
			return nil, err
		}
	}
	return report, nil
}

// Write prints the report.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "Warm-up: %d of %d people signed in (not counted below)\n", r.SignedIn, r.People)
	WriteTable(w, r.WarmUp)
	fmt.Fprintf(w, "\nRun: %d people for %.1f s\n", r.SignedIn, r.Elapsed.Seconds())
	WriteTable(w, append(append([]Row(nil), r.Rows...), r.Total))
	if m := r.Memory; m != nil {
		since := "over its life (the peak could not be reset at the start)"
		if m.Reset {
			since = "since the warm-up began"
		}
		fmt.Fprintf(w, "\nServer (pid %d) memory: peak resident set (VmHWM) %s %s; largest of the samples taken each second %s\n",
			m.PID, mib(m.HighWater), since, mib(m.PeakSampled))
	}
	fmt.Fprintf(w, "\n%d errors, %d save conflicts (expected when two people save one standard at once)\n", r.Errors, r.Conflicts)
}

// sampler reads the server's resident memory every second.
type sampler struct {
	pid   int
	reset bool // VmHWM was reset at the start
	peak  atomic.Int64
	done  chan struct{}
	wg    sync.WaitGroup
}

func startSampler(pid int) (*sampler, error) {
	s := &sampler{pid: pid, done: make(chan struct{})}
	s.reset = resetPeak(pid)
	if err := s.sample(); err != nil {
		return nil, err
	}
	s.wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
				_ = s.sample() // the last reading at stop reports a vanished process
			}
		}
	})
	return s, nil
}

func (s *sampler) sample() error {
	st, err := procStatus(s.pid, "VmRSS")
	if err != nil {
		return err
	}
	for {
		cur := s.peak.Load()
		if st["VmRSS"] <= cur || s.peak.CompareAndSwap(cur, st["VmRSS"]) {
			return nil
		}
	}
}

func (s *sampler) stop() (*Memory, error) {
	close(s.done)
	s.wg.Wait()
	if err := s.sample(); err != nil {
		return nil, err
	}
	st, err := procStatus(s.pid, "VmHWM")
	if err != nil {
		return nil, err
	}
	return &Memory{PID: s.pid, PeakSampled: s.peak.Load(), HighWater: st["VmHWM"], Reset: s.reset}, nil
}

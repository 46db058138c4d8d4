package loadgen

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// BenchmarkServerUnderLoad serves the app in this process and runs the load
// generator against it, so that a CPU profile shows where the server spends
// its time under the mix (the generator's own frames are in the profile too,
// under this package). On an existing database, for example the large
// synthetic set:
//
//	LOADGEN_DATA_DIR=/tmp/syn go test -run XXX -bench ServerUnderLoad -benchtime 1x -cpuprofile /tmp/cpu.out ./seed/loadgen/
//	go tool pprof -top -cum /tmp/cpu.out
//
// LOADGEN_DATABASE_URL selects PostgreSQL instead; LOADGEN_PEOPLE (default
// 200), LOADGEN_DURATION (20s) and LOADGEN_MIX (the default mix) shape the
// run. With neither database set it makes a synthetic set of 100
// organisations in a temporary folder.
func BenchmarkServerUnderLoad(b *testing.B) {
	ctx := context.Background()
	set, err := frameworks.Load()
	if err != nil {
		b.Fatal(err)
	}
	dataDir, dbURL := os.Getenv("LOADGEN_DATA_DIR"), os.Getenv("LOADGEN_DATABASE_URL")
	fresh := dataDir == "" && dbURL == ""
	if fresh {
		dataDir = b.TempDir()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(ctx, dbURL, dataDir, log)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if fresh {
		if err := seed.Synthetic(ctx, st, set, 100, 3, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	people := envInt(b, "LOADGEN_PEOPLE", 200)
	duration := 20 * time.Second
	if v := os.Getenv("LOADGEN_DURATION"); v != "" {
		if duration, err = time.ParseDuration(v); err != nil {
			b.Fatal(err)
		}
	}
	mix, err := ParseMix(os.Getenv("LOADGEN_MIX"))
	if err != nil {
		b.Fatal(err)
	}
	plan, err := Prepare(ctx, st, set, people, max(1, people/4))
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Deps{Store: st, Frameworks: set, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	serveCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serveCtx, ln, 5*time.Second) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()

	for b.Loop() {
		report, err := Run(ctx, Config{URL: "http://" + ln.Addr().String(), Duration: duration, Think: 50 * time.Millisecond, Mix: mix, PID: os.Getpid()}, plan)
		if err != nil {
			b.Fatal(err)
		}
		report.Write(b.Output())
		b.ReportMetric(report.Total.PerSecond, "req/s")
		b.ReportMetric(float64(report.Total.P99.Microseconds())/1000, "p99-ms")
	}
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return n
}

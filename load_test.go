package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/seed/loadgen"
)

// TestLoadAgainstTheRealServer runs `toolkit load` with five people against
// the product on a small synthetic data set, every step of the mix equally
// likely, until 150 requests (a second or two; longer under -race on a busy
// machine, up to 30 s), and expects every action to have run with no errors
// and the request bound to hold.
func TestLoadAgainstTheRealServer(t *testing.T) {
	dataDir := t.TempDir()
	env := envOf(map[string]string{"DATA_DIR": dataDir})
	var out bytes.Buffer
	if code := run(context.Background(), []string{"seed", "-synthetic", "-orgs", "8", "-cycles", "2"}, env, nil, &out, &out); code != 0 {
		t.Fatalf("seed: %d %s", code, out.String())
	}
	base, _, stop := startServe(t, map[string]string{"DATA_DIR": dataDir, "LOG_LEVEL": "warn"})
	defer stop()

	var mix []string
	for _, w := range loadgen.DefaultMix {
		mix = append(mix, string(w.Step)+"=1")
	}
	var report, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "-url", base, "-people", "5", "-orgs", "2", "-duration", "30s", "-max-requests", "150", "-think", "5ms",
		"-mix", strings.Join(mix, ","), "-pid", strconv.Itoa(os.Getpid())}, env, nil, &report, &errOut)
	if code != 0 {
		t.Fatalf("load exit %d\n%s\n%s", code, report.String(), errOut.String())
	}
	// Rows read "<action> <count> <req/s> <p50> <p95> <p99> <max> <conflicts> <errors>".
	counts := map[string]int{}
	for _, line := range strings.Split(report.String(), "\n") {
		for _, a := range append(loadgen.ActionOrder, "all") {
			rest, ok := strings.CutPrefix(line, a)
			if f := strings.Fields(rest); ok && len(f) == 8 {
				counts[a], _ = strconv.Atoi(f[0])
				if f[7] != "0" {
					t.Errorf("%s: %s errors", a, f[7])
				}
			}
		}
	}
	if counts["all"] > 150 {
		t.Errorf("%d requests counted, more than -max-requests 150", counts["all"])
	}
	for _, a := range loadgen.ActionOrder {
		if counts[a] == 0 {
			t.Errorf("%s never ran:\n%s", a, report.String())
		}
	}
	for _, want := range []string{"Warm-up: 5 of 5 people signed in", "\n0 errors", "VmHWM"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
}

// A server elsewhere is refused before the database is touched.
func TestLoadRefusesAnotherMachine(t *testing.T) {
	dataDir := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "-url", "http://192.0.2.10:8080"}, envOf(map[string]string{"DATA_DIR": dataDir}), nil, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "only runs against a server on this machine") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if entries, _ := os.ReadDir(dataDir); len(entries) != 0 {
		t.Errorf("the refused run left %s in the data folder", filepath.Join(dataDir, entries[0].Name()))
	}
}

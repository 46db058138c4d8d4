package loadgen

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

func TestMixPicksInProportionToWeights(t *testing.T) {
	mix := Mix{{StepHome, 6}, {StepSave, 3}, {StepBenchmark, 1}, {StepBenchmarkPDF, 0}}.For(store.RoleOwner)
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 100_000
	counts := map[Step]int{}
	for range n {
		counts[mix.Pick(rng)]++
	}
	for step, want := range map[Step]float64{StepHome: 0.6, StepSave: 0.3, StepBenchmark: 0.1} {
		if got := float64(counts[step]) / n; math.Abs(got-want) > 0.01 {
			t.Errorf("%s picked %.3f of the time, want %.2f", step, got, want)
		}
	}
	if counts[StepBenchmarkPDF] != 0 {
		t.Errorf("a step of weight 0 was picked %d times", counts[StepBenchmarkPDF])
	}
}

func TestViewersDoNoSaves(t *testing.T) {
	for _, role := range []string{store.RoleOwner, store.RoleContributor} {
		if got := len(DefaultMix.For(role)); got != len(DefaultMix) {
			t.Errorf("%s mix has %d steps, want all %d", role, got, len(DefaultMix))
		}
	}
	viewer := DefaultMix.For(store.RoleViewer)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10_000 {
		if s := viewer.Pick(rng); s == StepSave || s == StepAPISave {
			t.Fatalf("a viewer was given %s", s)
		}
	}
	if len(viewer) != len(DefaultMix)-2 {
		t.Errorf("viewer mix has %d steps, want every step but the two saves", len(viewer))
	}
}

func TestParseMix(t *testing.T) {
	if m, err := ParseMix(" "); err != nil || len(m) != len(DefaultMix) {
		t.Errorf("an empty -mix = %v, %v; want the default", m, err)
	}
	m, err := ParseMix("home=2, save=1,api-save=0")
	if err != nil || len(m) != 3 || m[0] != (Weighted{StepHome, 2}) || m[1] != (Weighted{StepSave, 1}) {
		t.Fatalf("ParseMix = %v, %v", m, err)
	}
	if got := m.For(store.RoleViewer); len(got) != 1 || got[0].Step != StepHome {
		t.Errorf("viewer's share of it: %v", got)
	}
	for text, want := range map[string]string{
		"home=1,dance=2":   `"dance=2" is not step=weight`,
		"home":             `"home" is not step=weight`,
		"home=-1":          "whole number, 0 or more",
		"home=lots":        "whole number, 0 or more",
		"home=1,home=2":    "home is given twice",
		"home=0,save=0":    "add up to 0",
		"benchmark.pdf=1,": `"" is not step=weight`,
	} {
		if _, err := ParseMix(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMix(%q) = %v, want an error saying %s", text, err, want)
		}
	}
}

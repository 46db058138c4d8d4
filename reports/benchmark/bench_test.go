package benchmark

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used so far (all threads,
// garbage collector included). The machine is shared, so wall time per
// operation swings with the load; CPU time per operation does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCompute runs Compute b.N times and reports CPU time per run beside
// the usual wall time.
func benchCompute(b *testing.B, ds Dataset) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		Compute(ds, Options{})
	}
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// syntheticDataset is a deterministic national picture: orgs organisations
// in 3 sectors, 4 nations, 12 regions (inside the nations, as in the UK) and
// 10 peer groups (inside the sectors), with metrics metrics of which about
// 1 in 20 figures is missing. With tiny > 0, that many extra organisations
// form a small peer group and a small region, so suppression and the audit
// have work to do.
func syntheticDataset(orgs, metrics, tiny int) Dataset {
	rng := rand.New(rand.NewPCG(2026, 1))
	regions := []struct{ region, nation string }{
		{"North East", "England"}, {"North West", "England"}, {"Yorkshire and the Humber", "England"},
		{"East Midlands", "England"}, {"West Midlands", "England"}, {"Eastern", "England"},
		{"London", "England"}, {"South East", "England"}, {"South West", "England"},
		{"Wales", "Wales"}, {"Scotland", "Scotland"}, {"Northern Ireland", "Northern Ireland"},
	}
	sectors := []string{"police", "fire", "ambulance"}
	peers := [][]string{
		{"Police: very large", "Police: large", "Police: medium", "Police: small"},
		{"Fire: large", "Fire: medium", "Fire: small"},
		{"Ambulance: large", "Ambulance: medium", "Ambulance: small"},
	}
	ds := Dataset{}
	for j := range metrics {
		ds.Metrics = append(ds.Metrics, Metric{Key: fmt.Sprintf("m%02d", j), Label: fmt.Sprintf("Metric %d", j), Decimals: 1})
	}
	for i := range orgs + tiny {
		rg := regions[rng.IntN(len(regions))]
		s := rng.IntN(len(sectors))
		o := Org{
			ID: int64(i + 1), Name: fmt.Sprintf("Synthetic %04d", i+1),
			Sector: sectors[s], Nation: rg.nation, Region: rg.region,
			PeerGroup: peers[s][rng.IntN(len(peers[s]))],
			Values:    make(map[string]float64, metrics),
		}
		if i >= orgs {
			o.Region, o.Nation, o.PeerGroup = "Channel Islands", "Crown dependencies", "Island services"
		}
		for _, m := range ds.Metrics {
			if rng.IntN(20) != 0 {
				o.Values[m.Key] = float64(rng.IntN(41)) / 10 // a level 0.0 to 4.0
			}
		}
		ds.Orgs = append(ds.Orgs, o)
	}
	return ds
}

func BenchmarkCompute(b *testing.B) {
	benchCompute(b, syntheticDataset(1000, 80, 0))
}

// BenchmarkComputeSmallGroups is the same with three organisations in a
// small region and peer group of their own, hidden in every metric, so the
// secondary rules and the audit run for all 80 metrics.
func BenchmarkComputeSmallGroups(b *testing.B) {
	benchCompute(b, syntheticDataset(1000, 80, 3))
}

func TestSyntheticDataset(t *testing.T) {
	ds := syntheticDataset(1000, 80, 3)
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	r := Compute(ds, Options{})
	if got := [4]int{len(r.Groups(DimSector)), len(r.Groups(DimNation)), len(r.Groups(DimRegion)), len(r.Groups(DimPeer))}; got != [4]int{3, 5, 13, 11} {
		t.Errorf("groups per dimension %v", got)
	}
	if s := r.rawStats(GroupKey{DimRegion, "Channel Islands"}, "m00"); !s.Suppressed {
		t.Errorf("small region shown: %+v", s)
	}
	checkNothingSmallDerivable(t, syntheticDataset(100, 2, 3), Compute(syntheticDataset(100, 2, 3), Options{}))
}

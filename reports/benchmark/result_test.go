package benchmark

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestGroupKeyLabel(t *testing.T) {
	cases := map[GroupKey]string{
		National():                "All organisations",
		{DimSector, "police"}:     "Sector: Police",
		{DimNation, "Wales"}:      "Nation: Wales",
		{DimRegion, "North East"}: "Region: North East",
		{DimPeer, "large forces"}: "Peer group: large forces",
		{"county", "Kent"}:        "county: Kent",
	}
	for g, want := range cases {
		if got := g.Label(); got != want {
			t.Errorf("%v.Label() = %q, want %q", g, got, want)
		}
	}
}

func TestGroups(t *testing.T) {
	var b builder
	b.add(Org{Sector: "police", Nation: "Wales", Region: "Wales", PeerGroup: "Police: small"}, 1)
	b.add(Org{Sector: "fire", Nation: "England", Region: "North East"}, 2)
	b.add(Org{Sector: "ambulance"}, 3)
	b.add(Org{Sector: "fire", Nation: "England", Region: "London", PeerGroup: "Fire: large"}, 4)
	ds := b.dataset()
	r := Compute(ds, Options{})
	cases := map[string][]GroupKey{
		DimNational: {National()},
		DimSector:   {{DimSector, "ambulance"}, {DimSector, "fire"}, {DimSector, "police"}},
		DimNation:   {{DimNation, "England"}, {DimNation, "Wales"}},
		DimRegion:   {{DimRegion, "London"}, {DimRegion, "North East"}, {DimRegion, "Wales"}},
		DimPeer:     {{DimPeer, "Fire: large"}, {DimPeer, "Police: small"}},
		"county":    nil,
	}
	for dim, want := range cases {
		if got := r.Groups(dim); !reflect.DeepEqual(got, want) {
			t.Errorf("Groups(%q) = %v, want %v", dim, got, want)
		}
	}

	// GroupsOf: national first, then the dimensions in order, empty ones
	// left out.
	groupsOf := map[int64][]GroupKey{
		1:  {National(), {DimSector, "police"}, {DimNation, "Wales"}, {DimRegion, "Wales"}, {DimPeer, "Police: small"}},
		2:  {National(), {DimSector, "fire"}, {DimNation, "England"}, {DimRegion, "North East"}},
		3:  {National(), {DimSector, "ambulance"}},
		99: nil,
	}
	for id, want := range groupsOf {
		if got := r.GroupsOf(id); !reflect.DeepEqual(got, want) {
			t.Errorf("GroupsOf(%d) = %v, want %v", id, got, want)
		}
	}

	// Callers get copies: changing them changes nothing inside.
	r.Groups(DimSector)[0].Name = "changed"
	r.GroupsOf(1)[1].Name = "changed"
	if r.Groups(DimSector)[0].Name != "ambulance" || r.GroupsOf(1)[1].Name != "police" {
		t.Error("Groups or GroupsOf share their slice")
	}
}

func TestOrgAndMetrics(t *testing.T) {
	ds := Dataset{
		Metrics: []Metric{testMetric, {Key: "ok9", Label: "OK9"}, {Key: "lead", Label: "again"}},
		Orgs: []Org{
			{ID: 7, Name: "Gwent Police", Sector: "police", Values: map[string]float64{"lead": 2.5, "unknown": 1, "ok9": math.NaN()}},
			{ID: 7, Name: "Duplicate", Values: map[string]float64{"lead": 4}},
		},
	}
	r := Compute(ds, Options{})
	if got := r.Metrics(); !reflect.DeepEqual(got, []Metric{testMetric, {Key: "ok9", Label: "OK9"}}) {
		t.Errorf("Metrics = %v", got)
	}
	o, ok := r.Org(7)
	want := Org{ID: 7, Name: "Gwent Police", Sector: "police", Values: map[string]float64{"lead": 2.5}}
	if !ok || !reflect.DeepEqual(o, want) {
		t.Errorf("Org(7) = %+v, %v; want %+v", o, ok, want)
	}
	if s := r.rawStats(National(), "lead"); s.N != 1 {
		t.Errorf("duplicate organisation counted: N %d", s.N)
	}
	if _, ok := r.Org(8); ok {
		t.Error("Org(8) found")
	}
	// Neither the returned organisation nor the dataset, changed later,
	// reaches the result.
	o.Values["lead"] = 99
	ds.Orgs[0].Values["lead"] = 98
	ds.Orgs[0].Name = "changed"
	if o, _ := r.Org(7); o.Values["lead"] != 2.5 || o.Name != "Gwent Police" {
		t.Errorf("Org(7) after changes = %+v", o)
	}
	if p := r.Position(7, National(), "lead"); p.Value.V != 2.5 {
		t.Errorf("Position after changes = %+v", p)
	}
	r.Metrics()[0].Label = "changed"
	if r.Metrics()[0].Label != testMetric.Label {
		t.Error("Metrics shares its slice")
	}
}

func TestSuppressionsList(t *testing.T) {
	ds := Dataset{Metrics: []Metric{testMetric, {Key: "mh", Label: "Mental health (mean level)"}, {Key: "vans", Label: "Van visits"}}}
	add := func(sector, region string, n int, vans bool) {
		for range n {
			o := Org{ID: int64(len(ds.Orgs) + 1), Sector: sector, Region: region, Values: map[string]float64{"lead": 1, "mh": 2}}
			if vans {
				o.Values["vans"] = 3
			}
			ds.Orgs = append(ds.Orgs, o)
		}
	}
	add("police", "North East", 3, false) // small region for every figure it has
	add("police", "London", 6, true)
	add("fire", "Wales", 7, true)
	add("fire", "South West", 8, false)
	add("other", "South West", 2, true) // small sector
	ds.Orgs[0].Values["vans"] = 1       // one North East figure for vans
	r := Compute(ds, Options{})
	want := []string{
		// Sectors: other is small for every figure. For leadership and
		// mental health police is the smaller of the other two (9 against
		// 15); for vans police and fire have 7 each, and fire comes first by
		// name.
		"Sector: Fire and rescue — Van visits: mean hidden so that another suppressed figure cannot be worked out; the median is shown",
		"Sector: Other — every figure: fewer than 5 organisations",
		"Sector: Police — Leadership (mean level): mean hidden so that another suppressed figure cannot be worked out; the median is shown",
		"Sector: Police — Mental health (mean level): mean hidden so that another suppressed figure cannot be worked out; the median is shown",
		// Regions: North East is small for every figure it has. London is
		// the next smallest region for leadership and mental health; for
		// vans, police (7) minus London (6) would be North East's one
		// organisation.
		"Region: London — every metric: mean hidden so that another suppressed figure cannot be worked out; the median is shown",
		"Region: North East — every figure: fewer than 5 organisations",
		// For vans South West is only the 2 "other" organisations.
		"Region: South West — Van visits: fewer than 5 organisations",
		// Wales: for leadership and mental health, South West minus (fire
		// minus Wales) is the "other" sector; for vans Wales is exactly the
		// hidden fire sector.
		"Region: Wales — every metric: mean hidden so that another suppressed figure cannot be worked out; the median is shown",
	}
	got := r.Suppressions()
	if !slices.Equal(got, want) {
		t.Errorf("Suppressions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkNothingSmallDerivable(t, ds, r)
}

func TestRule(t *testing.T) {
	r := Compute(Dataset{}, Options{MinGroup: 7})
	rule := r.Rule()
	for _, want := range []string{"fewer than 7 organisations", "PERCENTILE.INC", "linear interpolation", "smallest", "own figures"} {
		if !strings.Contains(rule, want) {
			t.Errorf("Rule() lacks %q:\n%s", want, rule)
		}
	}
	if r.MinGroup() != 7 {
		t.Errorf("MinGroup = %d", r.MinGroup())
	}
	if Compute(Dataset{}, Options{}).MinGroup() != DefaultMinGroup {
		t.Error("default minimum")
	}
	// An empty dataset still answers.
	if s := r.rawStats(National(), "lead"); s.N != 0 || s.Suppressed {
		t.Errorf("empty: %+v", s)
	}
	if got := r.Groups(DimNational); len(got) != 1 {
		t.Errorf("empty: national groups %v", got)
	}
}

func TestValidate(t *testing.T) {
	ds := Dataset{
		Metrics: []Metric{testMetric, {Key: "", Label: "No key"}, {Key: "lead", Label: "Twice"}},
		Orgs: []Org{
			{ID: 1, Name: "Gwent Police", Values: map[string]float64{"lead": math.NaN()}},
			{ID: 2, Name: "Dyfed-Powys Police", Values: map[string]float64{"lead": 2}},
			{ID: 1, Name: "Gwent again"},
		},
	}
	err := ds.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`metric 2 ("No key"): empty key`,
		`metric 3: key "lead" already used by metric 1`,
		`organisation 1 (ID 1, Gwent Police), metric "lead": NaN is not a finite number`,
		`organisation 3 (ID 1, Gwent again): ID already used by organisation 1`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if err := randomDataset(1).Validate(); err != nil {
		t.Errorf("clean dataset: %v", err)
	}
}

// The same organisations in any order give the same result.
func TestDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		ds := randomDataset(seed)
		want := Compute(ds, Options{})
		rng := rand.New(rand.NewPCG(seed, 99))
		rng.Shuffle(len(ds.Orgs), func(i, j int) { ds.Orgs[i], ds.Orgs[j] = ds.Orgs[j], ds.Orgs[i] })
		got := Compute(ds, Options{})
		for _, m := range ds.Metrics {
			ws, wl := visible(want, m.Key)
			gs, gl := visible(got, m.Key)
			if !reflect.DeepEqual(ws, gs) || !slices.Equal(wl, gl) {
				t.Fatalf("seed %d %s: order changes the result", seed, m.Key)
			}
		}
	}
}

// Many readers at once, as when the result is cached for all requests; run
// with -race.
func TestConcurrentReaders(t *testing.T) {
	ds := randomDataset(3)
	r := Compute(ds, Options{})
	want, wantList := visible(r, "lead")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, list := visible(r, "lead")
				if !reflect.DeepEqual(got, want) || !slices.Equal(list, wantList) {
					t.Error("a reader saw a different result")
					return
				}
				for _, o := range ds.Orgs {
					for _, g := range r.GroupsOf(o.ID) {
						r.Position(o.ID, g, "ok9")
					}
					r.Org(o.ID)
				}
				_ = r.Rule()
				_ = r.Metrics()
			}
		})
	}
	wg.Wait()
}

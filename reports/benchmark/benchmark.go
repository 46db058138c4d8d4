// Package benchmark is the national benchmark engine: it takes every
// organisation's figures for one assessment cycle and works out, for each
// comparison group (all organisations, sector, nation, region, peer group)
// and each metric, the count, mean, median, quartiles, 20th and 80th
// percentiles, lowest and highest figure, and where each organisation sits.
//
// It applies disclosure control as it goes: a group figure resting on too
// few organisations is suppressed, and so is any further figure that would
// let a suppressed one be worked out by subtraction. Suppressed figures reach
// callers as figure.Values that carry no number at all.
//
// The package is pure (no database, no server). A Result is read-only after
// Compute and safe for any number of concurrent readers.
package benchmark

import "github.com/bluelight-wellbeing/toolkit/reports/figure"

// Org is one organisation's figures for one assessment cycle.
type Org struct {
	ID   int64
	Name string
	// Sector, Nation, Region and PeerGroup name the organisation's group in
	// each dimension; empty means it is in no group of that dimension.
	Sector, Nation, Region, PeerGroup string
	// Values maps a metric key to the organisation's figure. An absent key
	// means no figure (not submitted, workforce missing, ...). NaN and
	// infinities are treated as absent.
	Values map[string]float64
}

// Metric describes one figure benchmarked across organisations.
type Metric struct {
	Key, Label, Unit string
	Decimals         int
}

// name is what reports call the metric: its label, or its key without one.
func (m Metric) name() string {
	if m.Label != "" {
		return m.Label
	}
	return m.Key
}

// Dataset is everything Compute needs. Metrics are reported in the order
// given here.
type Dataset struct {
	Metrics []Metric
	Orgs    []Org
}

// Options tune Compute.
type Options struct {
	// MinGroup is the fewest organisations a group figure may rest on; 0 (or
	// less) means DefaultMinGroup.
	MinGroup int
}

// DefaultMinGroup is the minimum group size when Options.MinGroup is 0.
const DefaultMinGroup = 5

// Dimensions of comparison groups.
const (
	DimNational = "national"
	DimSector   = "sector"
	DimNation   = "nation"
	DimRegion   = "region"
	DimPeer     = "peer"
)

// dims lists the dimensions in report order; an organisation's groups are
// kept in this order too.
var dims = [...]string{DimNational, DimSector, DimNation, DimRegion, DimPeer}

const numDims = len(dims)

func dimIndex(dim string) int {
	for d, name := range dims {
		if name == dim {
			return d
		}
	}
	return -1
}

// groupName is the organisation's group in dimension d ("" for none).
func (o *Org) groupName(d int) string {
	switch dims[d] {
	case DimSector:
		return o.Sector
	case DimNation:
		return o.Nation
	case DimRegion:
		return o.Region
	case DimPeer:
		return o.PeerGroup
	}
	return ""
}

// GroupKey names a comparison group. The national group has an empty Name.
type GroupKey struct{ Dim, Name string }

// National is the group of all organisations.
func National() GroupKey { return GroupKey{Dim: DimNational} }

// Label is the group as printed in reports, e.g. "Region: North East".
func (g GroupKey) Label() string {
	switch g.Dim {
	case DimNational:
		return "All organisations"
	case DimSector:
		return "Sector: " + figure.SectorName(g.Name)
	case DimNation:
		return "Nation: " + g.Name
	case DimRegion:
		return "Region: " + g.Name
	case DimPeer:
		return "Peer group: " + g.Name
	}
	return g.Dim + ": " + g.Name
}

package benchmark

import (
	"math/big"
	"math/rand/v2"
)

// inRationalSpan reports whether t is a rational combination of vecs, by
// exact Gaussian elimination.
func inRationalSpan(vecs [][]int, t []int) bool {
	toRat := func(v []int) []*big.Rat {
		out := make([]*big.Rat, len(v))
		for i, x := range v {
			out[i] = big.NewRat(int64(x), 1)
		}
		return out
	}
	var basis [][]*big.Rat
	var pivots []int
	reduce := func(row []*big.Rat) {
		for k, b := range basis {
			f := new(big.Rat).Set(row[pivots[k]])
			if f.Sign() == 0 {
				continue
			}
			for c := range row {
				row[c].Sub(row[c], new(big.Rat).Mul(f, b[c]))
			}
		}
	}
	for _, v := range vecs {
		row := toRat(v)
		reduce(row)
		p := -1
		for c := range row {
			if row[c].Sign() != 0 {
				p = c
				break
			}
		}
		if p < 0 {
			continue
		}
		inv := new(big.Rat).Inv(row[p])
		for c := range row {
			row[c].Mul(row[c], inv)
		}
		basis = append(basis, row)
		pivots = append(pivots, p)
	}
	row := toRat(t)
	reduce(row)
	for _, x := range row {
		if x.Sign() != 0 {
			return false
		}
	}
	return true
}

// randomDataset is a small national picture with the kinds of structure
// real data has: regions mostly inside nations, peer groups mostly inside
// sectors, some organisations in no group of a dimension, missing figures.
func randomDataset(seed uint64) Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	ds := Dataset{Metrics: []Metric{testMetric, {Key: "ok9", Label: "OK9 dogs per 1,000 staff"}}}
	n := 8 + rng.IntN(33)
	for i := range n {
		o := Org{ID: int64(100 + i), Name: "Random " + itoa(i), Values: map[string]float64{}}
		o.Sector = pick("police", "police", "fire", "ambulance", "other", "")
		o.Nation = pick("England", "England", "Wales", "Scotland", "")
		if rng.Float64() < 0.75 {
			switch o.Nation {
			case "England":
				o.Region = pick("North", "South", "London")
			case "":
				o.Region = pick("National", "")
			default:
				o.Region = o.Nation
			}
		} else {
			o.Region = pick("North", "South", "London", "Wales", "Scotland", "National", "")
		}
		if o.Sector != "" && rng.Float64() < 0.75 {
			o.PeerGroup = o.Sector + pick(": small", ": large")
		} else {
			o.PeerGroup = pick("Mixed", "Rural", "")
		}
		for _, m := range ds.Metrics {
			if rng.Float64() > 0.15 {
				o.Values[m.Key] = float64(rng.IntN(100)) / 10
			}
		}
		ds.Orgs = append(ds.Orgs, o)
	}
	return ds
}

package benchmark

import (
	"cmp"
	"math"
	"slices"
)

// The audit checks, with linear algebra, that no combination of shown
// totals gives the total of a small set of organisations: a group hidden
// for being small, or the few organisations of a group in no group of
// another dimension (a line's rest).
//
// Organisations with the same groups in every dimension are
// indistinguishable to any published figure, so each such "atom" is one
// unknown. A shown group is the 0/1 vector of the atoms it holds, and its
// total (mean times N) is that vector times the atoms' totals. A small
// set's total can be worked out exactly when its vector lies in the span of
// the shown groups' vectors.
//
// When it does, one more group is hidden, smallest first (the national
// group is never a candidate; with only it shown nothing small can be
// worked out): preferably one that every way of working the set out needs,
// else one that the way found uses. The caller repeats until the audit
// passes, so it ends with no small set derivable.

// sensitive is a small set of organisations: a group (rest false) or the
// organisations of group parent in no group of dimension childDim.
type sensitive struct {
	group    int
	rest     bool
	childDim int
}

func (r *Result) holds(s sensitive, sig *[numDims]int32) bool {
	if !s.rest {
		return sig[r.dimOf[s.group]] == int32(s.group)
	}
	return sig[r.dimOf[s.group]] == int32(s.group) && sig[s.childDim] < 0
}

// audit hides one more group if the shown totals still determine the total
// of a small set, and reports whether it did.
func (r *Result) audit(cells []cell, es []entry, lines []line) bool {
	var small []sensitive
	for g := range cells {
		if cells[g].hidden == hiddenSmall {
			small = append(small, sensitive{group: g})
		}
	}
	for _, ln := range lines {
		if ln.rest > 0 && ln.rest < r.minGroup {
			small = append(small, sensitive{group: ln.parent, rest: true, childDim: ln.childDim})
		}
	}
	if len(small) == 0 {
		return false
	}

	atomOf := map[[numDims]int32]int{}
	var atoms [][numDims]int32
	for _, e := range es {
		sig := r.orgs[e.org].groups
		if _, ok := atomOf[sig]; !ok {
			atomOf[sig] = len(atoms)
			atoms = append(atoms, sig)
		}
	}
	vector := func(in func(sig *[numDims]int32) bool) []float64 {
		v := make([]float64, len(atoms))
		for a := range atoms {
			if in(&atoms[a]) {
				v[a] = 1
			}
		}
		return v
	}
	var rows []int // shown groups
	var vecs [][]float64
	for g := range cells {
		if cells[g].n > 0 && cells[g].hidden == shown {
			rows = append(rows, g)
			vecs = append(vecs, vector(func(sig *[numDims]int32) bool { return sig[r.dimOf[g]] == int32(g) }))
		}
	}
	all := newSpan(vecs, -1)
	for _, s := range small {
		t := vector(func(sig *[numDims]int32) bool { return r.holds(s, sig) })
		coef, ok := all.express(t)
		if !ok {
			continue
		}
		// Candidates: shown groups the way found uses, smallest first.
		var used []int // indices into rows
		for k, g := range rows {
			if g != 0 && math.Abs(coef[k]) > tolerance {
				used = append(used, k)
			}
		}
		slices.SortStableFunc(used, func(a, b int) int { return cmp.Compare(cells[rows[a]].n, cells[rows[b]].n) })
		pick := -1
		for _, k := range used {
			if _, still := newSpan(vecs, k).express(t); !still {
				pick = k
				break
			}
		}
		if pick < 0 && len(used) > 0 {
			pick = used[0]
		}
		if pick < 0 {
			return false // cannot happen: a small set is never a multiple of the whole
		}
		cells[rows[pick]].hidden = hiddenSecondary
		return true
	}
	return false
}

const tolerance = 1e-9

// span is a row-echelon basis of some vectors, each row carrying the
// combination of the original vectors it stands for, so that a vector in
// the span can be written as a combination of the originals.
type span struct {
	rows   [][]float64 // len(atoms) entries, then one per original vector
	pivots []int
	width  int // len(atoms)
	n      int // number of original vectors
}

// newSpan builds the span of vecs, leaving out vecs[skip] (skip -1: none).
func newSpan(vecs [][]float64, skip int) *span {
	s := &span{n: len(vecs)}
	if len(vecs) > 0 {
		s.width = len(vecs[0])
	}
	for k, v := range vecs {
		if k == skip {
			continue
		}
		row := make([]float64, s.width+s.n)
		copy(row, v)
		row[s.width+k] = 1
		s.reduce(row)
		p, best := -1, tolerance
		for c := range s.width {
			if a := math.Abs(row[c]); a > best {
				p, best = c, a
			}
		}
		if p < 0 {
			continue // already in the span
		}
		f := 1 / row[p]
		for c := range row {
			row[c] *= f
		}
		s.rows = append(s.rows, row)
		s.pivots = append(s.pivots, p)
	}
	return s
}

// reduce subtracts the basis rows from row in order, clearing each pivot.
func (s *span) reduce(row []float64) {
	for i, b := range s.rows {
		if f := row[s.pivots[i]]; f != 0 {
			for c := range row {
				row[c] -= f * b[c]
			}
		}
	}
}

// express writes t as a combination of the original vectors, if it is in
// the span: coef[k] is the weight of vecs[k].
func (s *span) express(t []float64) (coef []float64, ok bool) {
	row := make([]float64, s.width+s.n)
	copy(row, t)
	s.reduce(row)
	for c := range s.width {
		if math.Abs(row[c]) > tolerance {
			return nil, false
		}
	}
	// row = t - sum(f_i basis_i); its tail is -sum(f_i comb_i).
	coef = make([]float64, s.n)
	for k := range coef {
		coef[k] = -row[s.width+k]
	}
	return coef, true
}

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

	// The atoms of the organisations with this metric, in atom order (so
	// the arithmetic does not depend on the order of the organisations).
	present := make([]bool, len(r.atoms))
	for _, e := range es {
		present[r.atomOf[e.org]] = true
	}
	var atoms []int32
	for a, ok := range present {
		if ok {
			atoms = append(atoms, int32(a))
		}
	}
	var rows []int // shown groups
	rowOf := make([]int, len(cells))
	for g := range cells {
		rowOf[g] = -1
		if cells[g].n > 0 && cells[g].hidden == shown {
			rowOf[g] = len(rows)
			rows = append(rows, g)
		}
	}
	backing := make([]float64, len(rows)*len(atoms))
	vecs := make([][]float64, len(rows))
	for k := range vecs {
		vecs[k] = backing[k*len(atoms) : (k+1)*len(atoms)]
	}
	for l, a := range atoms {
		for _, g := range r.atoms[a] {
			if g >= 0 && rowOf[g] >= 0 {
				vecs[rowOf[g]][l] = 1
			}
		}
	}
	all := newSpan(vecs, -1, false)
	t := make([]float64, len(atoms))
	for _, s := range small {
		for l, a := range atoms {
			t[l] = 0
			if r.holds(s, &r.atoms[a]) {
				t[l] = 1
			}
		}
		if !all.contains(t) {
			continue
		}
		coef := newSpan(vecs, -1, true).express(t)
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
			if !newSpan(vecs, k, false).contains(t) {
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

// span is a row-echelon basis of some vectors. With coefficients, each row
// also carries the combination of the original vectors it stands for, so a
// vector in the span can be written as a combination of the originals.
type span struct {
	rows   [][]float64 // width entries, then (with coefficients) one per original vector
	pivots []int
	width  int
	n      int // number of original vectors; 0 without coefficients
}

// newSpan builds the span of vecs, leaving out vecs[skip] (skip -1: none).
func newSpan(vecs [][]float64, skip int, coefficients bool) *span {
	s := &span{}
	if len(vecs) > 0 {
		s.width = len(vecs[0])
	}
	if coefficients {
		s.n = len(vecs)
	}
	for k, v := range vecs {
		if k == skip {
			continue
		}
		row := make([]float64, s.width+s.n)
		copy(row, v)
		if coefficients {
			row[s.width+k] = 1
		}
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

// contains reports whether t is in the span.
func (s *span) contains(t []float64) bool {
	row := make([]float64, s.width+s.n)
	copy(row, t)
	s.reduce(row)
	for c := range s.width {
		if math.Abs(row[c]) > tolerance {
			return false
		}
	}
	return true
}

// express writes t, which must be in the span, as a combination of the
// original vectors: coef[k] is the weight of vecs[k]. The span must have
// been built with coefficients.
func (s *span) express(t []float64) (coef []float64) {
	row := make([]float64, s.width+s.n)
	copy(row, t)
	s.reduce(row)
	// row = t - sum(f_i basis_i); its tail is -sum(f_i comb_i).
	coef = make([]float64, s.n)
	for k := range coef {
		coef[k] = -row[s.width+k]
	}
	return coef
}

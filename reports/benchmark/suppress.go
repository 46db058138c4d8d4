package benchmark

import (
	"cmp"
	"slices"
)

// Disclosure control, one metric at a time.
//
// Primary: a group figure resting on fewer than minGroup organisations is
// hidden.
//
// Secondary: every published N is shown and a mean times its N is a total,
// so wherever a group is exactly made up of smaller groups the totals obey
// an equation, parent = children + rest (the rest being the parent's
// organisations in no group of the children's dimension). If exactly one
// term of such an equation is hidden, it can be worked out from the others,
// so one more term is hidden: the smallest shown child (ties by name), or
// the parent when no child is left. Equations are checked smallest parent
// first. Equations arise for all organisations
// split by any dimension, and for any group split by another dimension
// whose groups fall wholly inside it (a nation by its regions, a sector by
// its peer groups, a nation by a region that is the same organisations).
// The rest is never published, so it counts as hidden; if it is the only
// hidden term and rests on at least minGroup organisations, working it out
// gives nothing away. Hiding a figure can expose another equation, so the
// check repeats until nothing changes.
//
// The equations are the common case, cheap to check one at a time; they
// miss a total worked out by combining several groups of different
// dimensions that do not nest (a region minus a peer group inside it). So
// an exact audit (audit.go) follows, and the two repeat until both pass.

// line is one equation: parent = children + rest.
type line struct {
	parent   int
	childDim int
	children []int
	rest     int // organisations in the parent with the metric but no child group
}

// suppressScratch is reused across metrics to save allocations.
type suppressScratch struct {
	parentOf []int32
	broken   []bool
	lines    []line
	kids     []int
}

const (
	unset    = -1
	conflict = -2
	noGroup  = -3
)

func newSuppressScratch(ng int) *suppressScratch {
	return &suppressScratch{parentOf: make([]int32, ng), broken: make([]bool, ng)}
}

// suppress marks the hidden cells of one metric. es are the organisations
// with a figure for it.
func (r *Result) suppress(cells []cell, es []entry, sc *suppressScratch, ctl control) {
	anyHidden := false
	for g := range cells {
		if n := cells[g].n; n > 0 && n < r.minGroup {
			cells[g].hidden = hiddenSmall
			anyHidden = true
		}
	}
	if ctl == primaryOnly || cells[0].hidden != shown {
		// With the national figure hidden every group is hidden, being no
		// bigger than the whole.
		return
	}
	if !anyHidden && r.everyoneGrouped(cells) {
		return // no unknown in any equation: nothing to protect
	}
	lines := r.equations(cells, es, sc)
	for {
		for changed := true; changed; {
			changed = false
			for _, ln := range lines {
				if r.protect(cells, ln) {
					changed = true
				}
			}
		}
		if ctl != fullControl || !r.audit(cells, es, lines) {
			return
		}
	}
}

// everyoneGrouped reports whether every organisation with the metric is in
// a group of every dimension, so that no equation has a rest.
func (r *Result) everyoneGrouped(cells []cell) bool {
	for d := 1; d < numDims; d++ {
		sum := 0
		for g := r.dimStart[d]; g < r.dimStart[d+1]; g++ {
			sum += cells[g].n
		}
		if sum != cells[0].n {
			return false
		}
	}
	return true
}

// equations lists the equations that hold for one metric.
func (r *Result) equations(cells []cell, es []entry, sc *suppressScratch) []line {
	sc.lines = sc.lines[:0]
	sc.kids = sc.kids[:0]
	add := func(parent int, childDim int, inside func(b int) bool) {
		from := len(sc.kids)
		sum := 0
		for b := r.dimStart[childDim]; b < r.dimStart[childDim+1]; b++ {
			if cells[b].n > 0 && inside(b) {
				sc.kids = append(sc.kids, b)
				sum += cells[b].n
			}
		}
		if len(sc.kids) == from {
			return
		}
		sc.lines = append(sc.lines, line{parent: parent, childDim: childDim, children: sc.kids[from:len(sc.kids):len(sc.kids)], rest: cells[parent].n - sum})
	}
	for d := 1; d < numDims; d++ {
		add(0, d, func(int) bool { return true })
	}
	for pd := 1; pd < numDims; pd++ {
		for cd := 1; cd < numDims; cd++ {
			if pd == cd {
				continue
			}
			// parentOf[b]: the pd-group every member of child group b is
			// in, or conflict if they are spread over several (or some are
			// in none).
			for b := r.dimStart[cd]; b < r.dimStart[cd+1]; b++ {
				sc.parentOf[b] = unset
			}
			for _, e := range es {
				gs := &r.memberOf[e.org]
				b := gs[cd]
				if b < 0 {
					continue
				}
				a := gs[pd]
				if a < 0 {
					a = noGroup
				}
				switch sc.parentOf[b] {
				case unset:
					sc.parentOf[b] = a
				case a, conflict:
				default:
					sc.parentOf[b] = conflict
				}
			}
			// A parent is only the sum of its children if none of them
			// reaches outside it.
			for a := r.dimStart[pd]; a < r.dimStart[pd+1]; a++ {
				sc.broken[a] = false
			}
			for _, e := range es {
				gs := &r.memberOf[e.org]
				if b, a := gs[cd], gs[pd]; b >= 0 && a >= 0 && sc.parentOf[b] == conflict {
					sc.broken[a] = true
				}
			}
			for a := r.dimStart[pd]; a < r.dimStart[pd+1]; a++ {
				if cells[a].n > 0 && !sc.broken[a] {
					add(a, cd, func(b int) bool { return sc.parentOf[b] == int32(a) })
				}
			}
		}
	}
	// Smallest parents first: a small equation leaves little choice, and the
	// figure it hides often settles the larger equations too (hiding the
	// other fire peer group protects a small fire peer group both within
	// fire and among all peer groups, where the national equation alone
	// would hide the smallest peer group of any sector, and then one more
	// inside that sector).
	slices.SortStableFunc(sc.lines, func(a, b line) int { return cmp.Compare(cells[a.parent].n, cells[b.parent].n) })
	return sc.lines
}

// protect hides one more term of the equation if exactly one is hidden,
// and reports whether it did.
func (r *Result) protect(cells []cell, ln line) bool {
	unknown, lone := 0, -1 // lone -1 stands for the rest
	if cells[ln.parent].hidden != shown {
		unknown++
		lone = ln.parent
	}
	for _, c := range ln.children {
		if cells[c].hidden != shown {
			unknown++
			lone = c
		}
	}
	if ln.rest > 0 {
		unknown++
		lone = -1
	}
	if unknown != 1 || (lone == -1 && ln.rest >= r.minGroup) {
		return false
	}
	pick := -1
	for _, c := range ln.children { // in name order, so the first of equals wins
		if cells[c].hidden == shown && (pick < 0 || cells[c].n < cells[pick].n) {
			pick = c
		}
	}
	if pick < 0 {
		pick = ln.parent // the one hidden term is the only child
	}
	cells[pick].hidden = hiddenSecondary
	return true
}

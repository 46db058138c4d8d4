package frameworks

// Answer is what an organisation said about one standard.
type Answer struct {
	Level, Target *int
	Evidence      string
	Links         string
}

// Carried is the answer a standard of the new edition starts with when an
// assessment is carried forward, and why.
type Carried struct {
	Answer
	From        []string // standards of the old edition it came from
	Relation    string   // equal, split, merged or "" when there is no crosswalk (same edition)
	NeedsReview bool     // split and merged answers may not fit the new wording
}

// CarryForward maps last cycle's answers onto the standards of to. Within
// one edition every answer is copied. Across editions the crosswalk decides:
// equal copies, split copies to each part, merged takes the lowest level of
// its sources (the cautious choice) and joins their evidence, new starts
// empty, retired is left behind in the old assessment. Nothing is dropped
// silently: every old standard is accounted for by the crosswalk.
func CarryForward(old map[string]Answer, from, to *Framework, x *Crosswalk) map[string]Carried {
	out := map[string]Carried{}
	if from == to || (from.Key == to.Key && from.Version == to.Version) {
		for _, s := range to.Standards() {
			if a, ok := old[s.ID]; ok {
				out[s.ID] = Carried{Answer: a, From: []string{s.ID}}
			}
		}
		return out
	}
	if x == nil {
		return out
	}
	for _, m := range x.Mappings {
		switch m.Relation {
		case RelEqual, RelSplit:
			a, ok := old[m.From[0]]
			if !ok {
				continue
			}
			for _, id := range m.To {
				out[id] = Carried{Answer: a, From: m.From, Relation: m.Relation, NeedsReview: m.Relation == RelSplit}
			}
		case RelMerged:
			var merged Answer
			var found []string
			for _, id := range m.From {
				a, ok := old[id]
				if !ok {
					continue
				}
				found = append(found, id)
				merged.Level = lowest(merged.Level, a.Level, len(found) == 1)
				merged.Target = lowest(merged.Target, a.Target, len(found) == 1)
				merged.Evidence = joinText(merged.Evidence, a.Evidence, id)
				merged.Links = joinText(merged.Links, a.Links, "")
			}
			if len(found) > 0 {
				out[m.To[0]] = Carried{Answer: merged, From: found, Relation: RelMerged, NeedsReview: true}
			}
		}
	}
	return out
}

func lowest(cur, next *int, first bool) *int {
	if first {
		return next
	}
	if cur == nil || next == nil {
		return nil // an unanswered source makes the merged level unknown
	}
	if *next < *cur {
		return next
	}
	return cur
}

func joinText(cur, next, label string) string {
	if next == "" {
		return cur
	}
	if label != "" {
		next = "[" + label + "] " + next
	}
	if cur == "" {
		return next
	}
	return cur + "\n\n" + next
}

// CrosswalkBetween finds the crosswalk from one edition to another, or nil.
func (s *Set) CrosswalkBetween(fromKey, fromVersion, toKey, toVersion string) *Crosswalk {
	var newest *Edition // a crosswalk reworded is published as a new version
	for _, e := range s.Editions {
		x := e.Crosswalk
		if x != nil && x.From == (EditionRef{fromKey, fromVersion}) && x.To == (EditionRef{toKey, toVersion}) && (newest == nil || e.Version > newest.Version) {
			newest = e
		}
	}
	if newest == nil {
		return nil
	}
	return newest.Crosswalk
}

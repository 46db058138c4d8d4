package frameworks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	reKey     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	reVersion = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$`)
	reID      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)
	reColour  = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Statuses an edition may have. A released edition never changes.
const (
	StatusDraft    = "draft"
	StatusReleased = "released"
)

func (c *checker) text(p, value string) {
	if strings.TrimSpace(value) == "" {
		c.at(p, "%s is required and must not be empty", fieldName(p))
	}
}

// fieldName is the last field of a path: "areas[0].tags[2]" gives "tags".
func fieldName(p string) string {
	p = strings.TrimRight(p, "0123456789[]")
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (c *checker) oneOf(p, value string, allowed []string) {
	if !slices.Contains(allowed, value) {
		c.at(p, "%s %q is not allowed: use one of %s", fieldName(p), value, strings.Join(allowed, ", "))
	}
}

func (c *checker) pattern(p, value string, re *regexp.Regexp, what string) {
	if value == "" {
		c.at(p, "%s is required and must not be empty", fieldName(p))
	} else if !re.MatchString(value) {
		c.at(p, "%s %q is not a valid %s", fieldName(p), value, what)
	}
}

// ids records ids by kind and reports a repeat with where it was first seen.
type ids map[string]string

func (c *checker) unique(seen ids, p, id, what string) {
	if id == "" {
		return
	}
	if first, ok := seen[id]; ok {
		c.at(p, "duplicate %s id %q (first defined at line %d)", what, id, c.line(first))
		return
	}
	seen[id] = p
}

func (c *checker) header(key, version, title, status string) {
	c.pattern("key", key, reKey, "key (lower-case letters, digits and hyphens)")
	c.pattern("version", version, reVersion, "version (letters, digits, dots and hyphens)")
	c.text("title", title)
	c.oneOf("status", status, []string{StatusDraft, StatusReleased})
}

func (c *checker) checkFramework(f *Framework) {
	c.header(f.Key, f.Version, f.Title, f.Status)
	c.text("edition", f.Edition)
	c.text("notice", f.Notice)
	c.checkScale(f.Scale)

	if len(f.Areas) == 0 {
		c.at("areas", "areas: a framework needs at least one area")
	}
	areaIDs, standardIDs := ids{}, ids{}
	for i, a := range f.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		c.pattern(p+".id", a.ID, reID, "area id")
		c.unique(areaIDs, p+".id", a.ID, "area")
		c.text(p+".title", a.Title)
		c.text(p+".summary", a.Summary)
		if len(a.Standards) == 0 {
			c.at(p, "area %q has no standards", a.ID)
		}
		for j, s := range a.Standards {
			sp := fmt.Sprintf("%s.standards[%d]", p, j)
			c.pattern(sp+".id", s.ID, reID, "standard id")
			c.unique(standardIDs, sp+".id", s.ID, "standard")
			c.text(sp+".statement", s.Statement)
			c.text(sp+".guidance", s.Guidance)
			if len(s.EvidenceExamples) == 0 {
				c.at(sp, "standard %q needs at least one example of evidence (evidence_examples)", s.ID)
			}
			for k, e := range s.EvidenceExamples {
				c.text(fmt.Sprintf("%s.evidence_examples[%d]", sp, k), e)
			}
			tags := ids{}
			for k, t := range s.Tags {
				tp := fmt.Sprintf("%s.tags[%d]", sp, k)
				c.oneOf(tp, t, StandardTags)
				c.unique(tags, tp, t, "tag")
			}
		}
	}
}

// checkScale holds the maturity scale to consecutive, unique levels.
func (c *checker) checkScale(scale []Level) {
	if len(scale) < 2 {
		c.at("scale", "scale: a maturity scale needs at least two levels")
		return
	}
	byLevel := map[int]string{}
	labels := ids{}
	low, high := scale[0].Level, scale[0].Level
	for i, l := range scale {
		p := fmt.Sprintf("scale[%d]", i)
		if first, ok := byLevel[l.Level]; ok {
			c.at(p+".level", "duplicate scale level %d (first defined at line %d)", l.Level, c.line(first))
		} else {
			byLevel[l.Level] = p + ".level"
		}
		if i > 0 && l.Level <= scale[i-1].Level {
			c.at(p+".level", "scale levels must be listed in ascending order: %d follows %d", l.Level, scale[i-1].Level)
		}
		low, high = min(low, l.Level), max(high, l.Level)
		c.text(p+".label", l.Label)
		c.unique(labels, p+".label", l.Label, "scale label")
		c.text(p+".descriptor", l.Descriptor)
		c.oneOf(p+".rag", l.RAG, RAGValues)
		c.pattern(p+".colour", l.Colour, reColour, "colour (#rrggbb)")
	}
	if low < 0 {
		c.at("scale", "scale levels must not be negative (found %d)", low)
	}
	for l := low; l <= high; l++ {
		if _, ok := byLevel[l]; !ok {
			c.at("scale", "scale has a gap: level %d is missing between %d and %d", l, low, high)
		}
	}
}

func (c *checker) checkCrosswalkShape(x *Crosswalk) {
	c.header(x.Key, x.Version, x.Title, x.Status)
	c.text("from.key", x.From.Key)
	c.text("from.version", x.From.Version)
	c.text("to.key", x.To.Key)
	c.text("to.version", x.To.Version)
	if x.From == x.To && x.From.Key != "" {
		c.at("to", "a crosswalk must map between two different editions")
	}
	if len(x.Mappings) == 0 {
		c.at("mappings", "mappings: a crosswalk needs at least one mapping")
	}
	relations := []string{RelEqual, RelSplit, RelMerged, RelNew, RelRetired}
	for i, m := range x.Mappings {
		p := fmt.Sprintf("mappings[%d]", i)
		c.oneOf(p+".relation", m.Relation, relations)
		nFrom, nTo := len(m.From), len(m.To)
		var want string
		switch m.Relation {
		case RelEqual:
			if nFrom != 1 || nTo != 1 {
				want = "exactly one from and one to"
			}
		case RelSplit:
			if nFrom != 1 || nTo < 2 {
				want = "one from and two or more to"
			}
		case RelMerged:
			if nFrom < 2 || nTo != 1 {
				want = "two or more from and one to"
			}
		case RelNew:
			if nFrom != 0 || nTo < 1 {
				want = "no from and at least one to"
			}
		case RelRetired:
			if nFrom < 1 || nTo != 0 {
				want = "at least one from and no to"
			}
		}
		if want != "" {
			c.at(p+".relation", "a %q mapping needs %s (it has %d from and %d to)", m.Relation, want, nFrom, nTo)
		}
	}
}

// checkCrosswalkLinks resolves a crosswalk against the editions it joins:
// every id must exist, and no old standard may be dropped silently.
func (c *checker) checkCrosswalkLinks(x *Crosswalk, set *Set) {
	from := set.Framework(x.From.Key, x.From.Version)
	to := set.Framework(x.To.Key, x.To.Version)
	if from == nil {
		c.at("from.key", "crosswalk refers to framework %s %s, which is not loaded", x.From.Key, x.From.Version)
	}
	if to == nil {
		c.at("to.key", "crosswalk refers to framework %s %s, which is not loaded", x.To.Key, x.To.Version)
	}
	if from == nil || to == nil {
		return
	}
	fromIDs, toIDs := from.standardIDs(), to.standardIDs()
	mappedFrom := map[string]string{}
	mappedTo := map[string]bool{}
	for i, m := range x.Mappings {
		for k, id := range m.From {
			p := fmt.Sprintf("mappings[%d].from[%d]", i, k)
			if !fromIDs[id] {
				c.at(p, "standard %q does not exist in %s %s", id, x.From.Key, x.From.Version)
				continue
			}
			if first, ok := mappedFrom[id]; ok {
				c.at(p, "standard %q of %s %s is mapped more than once (first at line %d)", id, x.From.Key, x.From.Version, c.line(first))
				continue
			}
			mappedFrom[id] = p
		}
		for k, id := range m.To {
			p := fmt.Sprintf("mappings[%d].to[%d]", i, k)
			if !toIDs[id] {
				c.at(p, "standard %q does not exist in %s %s", id, x.To.Key, x.To.Version)
				continue
			}
			mappedTo[id] = true
		}
	}
	for _, s := range from.Standards() {
		if _, ok := mappedFrom[s.ID]; !ok {
			c.at("mappings", "standard %q of %s %s is not mapped: say where it went (equal, split, merged) or that it was retired", s.ID, x.From.Key, x.From.Version)
		}
	}
	for _, s := range to.Standards() {
		if !mappedTo[s.ID] {
			c.at("mappings", "standard %q of %s %s is not mapped: mark it new or say what it came from", s.ID, x.To.Key, x.To.Version)
		}
	}
}

func (c *checker) checkRiskModel(m *RiskModel) {
	c.header(m.Key, m.Version, m.Title, m.Status)
	c.text("notice", m.Notice)
	c.checkRiskScale("likelihood", m.Likelihood)
	c.checkRiskScale("severity", m.Severity)

	bands := map[string]Band{}
	bandKeys, ranks := ids{}, ids{}
	if len(m.Bands) == 0 {
		c.at("bands", "bands: a risk model needs at least one band")
	}
	for i, b := range m.Bands {
		p := fmt.Sprintf("bands[%d]", i)
		c.pattern(p+".key", b.Key, reKey, "band key")
		c.unique(bandKeys, p+".key", b.Key, "band")
		c.text(p+".label", b.Label)
		if b.Rank < 1 {
			c.at(p+".rank", "rank must be 1 or more (1 is the lowest band)")
		}
		c.unique(ranks, p+".rank", fmt.Sprint(b.Rank), "band rank")
		c.oneOf(p+".rag", b.RAG, RAGValues)
		c.pattern(p+".colour", b.Colour, reColour, "colour (#rrggbb)")
		if b.ReviewIntervalDays < 1 {
			c.at(p+".review_interval_days", "review_interval_days must be at least 1")
		}
		if b.ScreeningIntervalDays < 1 {
			c.at(p+".screening_interval_days", "screening_interval_days must be at least 1")
		}
		c.text(p+".action", b.Action)
		bands[b.Key] = b
	}
	c.checkGrid(m, bands)

	hazards, controls, roles := ids{}, ids{}, ids{}
	for i, h := range m.Hazards {
		p := fmt.Sprintf("hazards[%d]", i)
		c.pattern(p+".id", h.ID, reID, "hazard id")
		c.unique(hazards, p+".id", h.ID, "hazard")
		c.text(p+".name", h.Name)
		c.oneOf(p+".category", h.Category, HazardCategories)
		c.text(p+".description", h.Description)
	}
	maxL, maxS := len(m.Likelihood)-1, len(m.Severity)-1
	for i, ct := range m.Controls {
		p := fmt.Sprintf("controls[%d]", i)
		c.pattern(p+".id", ct.ID, reID, "control id")
		c.unique(controls, p+".id", ct.ID, "control")
		c.text(p+".name", ct.Name)
		c.oneOf(p+".type", ct.Type, ControlTypes)
		c.text(p+".description", ct.Description)
		if ct.LikelihoodReduction < 0 || ct.LikelihoodReduction > maxL {
			c.at(p+".likelihood_reduction", "likelihood_reduction %d must be between 0 and %d", ct.LikelihoodReduction, maxL)
		}
		if ct.SeverityReduction < 0 || ct.SeverityReduction > maxS {
			c.at(p+".severity_reduction", "severity_reduction %d must be between 0 and %d", ct.SeverityReduction, maxS)
		}
		if ct.LikelihoodReduction == 0 && ct.SeverityReduction == 0 {
			c.at(p, "control %q reduces neither likelihood nor severity", ct.ID)
		}
	}
	for i, r := range m.Roles {
		p := fmt.Sprintf("roles[%d]", i)
		c.pattern(p+".id", r.ID, reID, "role id")
		c.unique(roles, p+".id", r.ID, "role")
		c.text(p+".name", r.Name)
		c.text(p+".description", r.Description)
		if len(r.Sectors) == 0 {
			c.at(p, "role %q needs at least one sector", r.ID)
		}
		for k, s := range r.Sectors {
			c.oneOf(fmt.Sprintf("%s.sectors[%d]", p, k), s, Sectors)
		}
		if len(r.Hazards) == 0 {
			c.at(p, "role %q needs at least one typical hazard", r.ID)
		}
		seen := ids{}
		for k, h := range r.Hazards {
			hp := fmt.Sprintf("%s.hazards[%d]", p, k)
			if _, ok := hazards[h.Hazard]; !ok {
				c.at(hp+".hazard", "hazard %q is not in the hazard catalogue", h.Hazard)
			}
			c.unique(seen, hp+".hazard", h.Hazard, "role hazard")
			c.onScale(hp+".likelihood", h.Likelihood, m.Likelihood)
			c.onScale(hp+".severity", h.Severity, m.Severity)
		}
		seen = ids{}
		for k, id := range r.RecommendedControls {
			cp := fmt.Sprintf("%s.recommended_controls[%d]", p, k)
			if _, ok := controls[id]; !ok {
				c.at(cp, "control %q is not in the control catalogue", id)
			}
			c.unique(seen, cp, id, "recommended control")
		}
	}
}

func (c *checker) onScale(p string, v int, scale []RiskLevel) {
	for _, l := range scale {
		if l.Level == v {
			return
		}
	}
	c.at(p, "%s %d is not on the %s scale (1 to %d)", fieldName(p), v, fieldName(p), len(scale))
}

// checkRiskScale holds likelihood and severity to levels 1..n in order.
func (c *checker) checkRiskScale(name string, scale []RiskLevel) {
	if len(scale) < 2 {
		c.at(name, "%s: the scale needs at least two levels", name)
		return
	}
	labels := ids{}
	for i, l := range scale {
		p := fmt.Sprintf("%s[%d]", name, i)
		if l.Level != i+1 {
			c.at(p+".level", "%s levels must run 1, 2, 3 ... without gaps or repeats: expected %d here, found %d", name, i+1, l.Level)
		}
		c.text(p+".label", l.Label)
		c.unique(labels, p+".label", l.Label, name+" label")
		c.text(p+".descriptor", l.Descriptor)
	}
}

// checkGrid makes sure every likelihood x severity score has exactly one band
// and that risk never falls as likelihood or severity rises.
func (c *checker) checkGrid(m *RiskModel, bands map[string]Band) {
	nL, nS := len(m.Likelihood), len(m.Severity)
	rows := map[int]string{}
	for i, row := range m.Grid {
		p := fmt.Sprintf("grid[%d]", i)
		if row.Likelihood < 1 || row.Likelihood > nL {
			c.at(p+".likelihood", "extra grid row: likelihood %d is not on the likelihood scale (1 to %d)", row.Likelihood, nL)
			continue
		}
		if first, ok := rows[row.Likelihood]; ok {
			c.at(p+".likelihood", "duplicate grid row for likelihood %d (first at line %d)", row.Likelihood, c.line(first))
			continue
		}
		rows[row.Likelihood] = p + ".likelihood"
		for s := len(row.Bands) + 1; s <= nS; s++ {
			c.at(p+".bands", "missing cell: likelihood %d x severity %d has no band (the row has %d cells, the severity scale %d levels)", row.Likelihood, s, len(row.Bands), nS)
		}
		for s := nS + 1; s <= len(row.Bands); s++ {
			c.at(fmt.Sprintf("%s.bands[%d]", p, s-1), "extra cell: likelihood %d has a band for severity %d, but the severity scale stops at %d", row.Likelihood, s, nS)
		}
		for k, key := range row.Bands {
			if _, ok := bands[key]; !ok && key != "" {
				c.at(fmt.Sprintf("%s.bands[%d]", p, k), "band %q is not defined in bands", key)
			}
		}
	}
	for l := 1; l <= nL; l++ {
		if _, ok := rows[l]; !ok {
			c.at("grid", "missing grid row: scores for likelihood %d (x severity 1 to %d) have no band", l, nS)
		}
	}
	used := map[string]bool{}
	cell := func(l, s int) (Band, bool) {
		for _, row := range m.Grid {
			if row.Likelihood == l && s >= 1 && s <= len(row.Bands) {
				b, ok := bands[row.Bands[s-1]]
				return b, ok
			}
		}
		return Band{}, false
	}
	for l := 1; l <= nL; l++ {
		for s := 1; s <= nS; s++ {
			b, ok := cell(l, s)
			if !ok {
				continue
			}
			used[b.Key] = true
			if left, ok := cell(l, s-1); ok && left.Rank > b.Rank {
				c.at(rows[l], "band falls as severity rises: likelihood %d x severity %d is %s but severity %d is %s", l, s, b.Key, s-1, left.Key)
			}
			if below, ok := cell(l-1, s); ok && below.Rank > b.Rank {
				c.at(rows[l], "band falls as likelihood rises: likelihood %d x severity %d is %s but likelihood %d is %s", l, s, b.Key, l-1, below.Key)
			}
		}
	}
	for i, b := range m.Bands {
		if b.Key != "" && !used[b.Key] && len(m.Grid) > 0 {
			c.at(fmt.Sprintf("bands[%d].key", i), "band %q is never used in the grid", b.Key)
		}
	}
}

// Standards lists every standard of the edition in order.
func (f *Framework) Standards() []Standard {
	var out []Standard
	for _, a := range f.Areas {
		out = append(out, a.Standards...)
	}
	return out
}

func (f *Framework) standardIDs() map[string]bool {
	out := map[string]bool{}
	for _, s := range f.Standards() {
		out[s.ID] = true
	}
	return out
}

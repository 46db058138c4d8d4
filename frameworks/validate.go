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

func (c *checker) checkRiskFormat(m *RiskModel) {
	if m.Format != 0 && m.Format != 1 && m.Format != 2 {
		c.at("format", "format %d is not known: use 1 (or leave it out) or 2", m.Format)
	}
}

// checkSectors holds a hazard's sectors to the list; format 2 needs them.
func (c *checker) checkSectors(p string, sectors []string, required bool, what, id string) {
	if required && len(sectors) == 0 {
		c.at(p, "%s %q needs at least one sector (police, fire, ambulance, other or any)", what, id)
	}
	for k, s := range sectors {
		c.oneOf(fmt.Sprintf("%s.sectors[%d]", p, k), s, Sectors)
	}
}

// checkMitigations holds a format 2 control to naming the hazards it acts
// on, each on one axis by at least one level; screening, support and
// training act on severity (harm), never on the likelihood of exposure.
func (c *checker) checkMitigations(p string, ct Control, hazards ids, m *RiskModel) {
	if ct.LikelihoodReduction != 0 || ct.SeverityReduction != 0 {
		c.at(p, "control %q: in a format 2 model say what it does to each hazard under mitigates, not likelihood_reduction or severity_reduction", ct.ID)
	}
	if len(ct.Mitigates) == 0 {
		c.at(p, "control %q names no hazard it mitigates (mitigates: hazard, axis, amount)", ct.ID)
	}
	seen := ids{}
	for k, mt := range ct.Mitigates {
		mp := fmt.Sprintf("%s.mitigates[%d]", p, k)
		if _, ok := hazards[mt.Hazard]; !ok {
			c.at(mp+".hazard", "control %q mitigates hazard %q, which is not in the hazard catalogue", ct.ID, mt.Hazard)
		}
		c.unique(seen, mp+".hazard", mt.Hazard+"/"+mt.Axis, "mitigation")
		c.oneOf(mp+".axis", mt.Axis, []string{AxisLikelihood, AxisSeverity})
		n := len(m.Likelihood)
		if mt.Axis == AxisSeverity {
			n = len(m.Severity)
		}
		if mt.Amount < 1 || mt.Amount > n-1 {
			c.at(mp+".amount", "amount %d must be between 1 and %d", mt.Amount, n-1)
		}
		if mt.Axis == AxisLikelihood && (ct.Type == "screening" || ct.Type == "support" || ct.Type == "training") {
			c.at(mp+".axis", "control %q is %s: it lessens harm (severity), not the likelihood of exposure", ct.ID, ct.Type)
		}
	}
}

// checkScreening holds a role in a screening programme to a cadence: its
// cohorts and periodic screening at least every 12 months. Format 2 needs
// it; format 1 roles take 12 months when they have none.
func (c *checker) checkScreening(p string, r Role, required bool) {
	sc := r.Screening
	if sc == nil {
		if r.ScreeningProgramme && required {
			c.at(p+".screening_programme", "role %q is in a screening programme but has no screening cadence (screening: cohorts, periodic_months)", r.ID)
		}
		return
	}
	if !r.ScreeningProgramme {
		c.at(p+".screening", "role %q has a screening cadence but is not in a screening programme (screening_programme: true)", r.ID)
	}
	if sc.PeriodicMonths < 1 || sc.PeriodicMonths > MaxPeriodicMonths {
		c.at(p+".screening.periodic_months", "periodic_months %d must be from 1 to %d: periodic screening is at least yearly", sc.PeriodicMonths, MaxPeriodicMonths)
	}
	seen := ids{}
	for k, co := range sc.Cohorts {
		cp := fmt.Sprintf("%s.screening.cohorts[%d]", p, k)
		c.oneOf(cp, co, Cohorts)
		c.unique(seen, cp, co, "cohort")
	}
	for _, need := range []string{CohortInitial, CohortPeriodic} {
		if !slices.Contains(sc.Cohorts, need) {
			c.at(p+".screening.cohorts", "role %q: a screening programme screens the %s cohort", r.ID, need)
		}
	}
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
	if len(x.Mappings) == 0 && len(x.Hazards) == 0 && len(x.Controls) == 0 && len(x.Roles) == 0 {
		c.at("mappings", "mappings: a crosswalk needs at least one mapping")
	}
	for _, sec := range crosswalkSections(x) {
		c.checkLinkShapes(sec.name, sec.links)
	}
}

type crosswalkSection struct {
	name, what string
	links      []CrosswalkLink
}

// crosswalkSections are a crosswalk's lists of links: standards for
// framework editions; hazards, controls and roles for risk models.
func crosswalkSections(x *Crosswalk) []crosswalkSection {
	return []crosswalkSection{{"mappings", "standard", x.Mappings}, {"hazards", "hazard", x.Hazards}, {"controls", "control", x.Controls}, {"roles", "role", x.Roles}}
}

func (c *checker) checkLinkShapes(section string, links []CrosswalkLink) {
	relations := []string{RelEqual, RelSplit, RelMerged, RelNew, RelRetired}
	for i, m := range links {
		p := fmt.Sprintf("%s[%d]", section, i)
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
// every id must exist, and nothing of the old edition may be dropped
// silently.
func (c *checker) checkCrosswalkLinks(x *Crosswalk, set *Set) {
	fromEd, toEd := set.Edition(x.From.Key, x.From.Version), set.Edition(x.To.Key, x.To.Version)
	if fromEd == nil || fromEd.Framework == nil && fromEd.RiskModel == nil {
		c.at("from.key", "crosswalk refers to framework %s %s, which is not loaded", x.From.Key, x.From.Version)
	}
	if toEd == nil || toEd.Framework == nil && toEd.RiskModel == nil {
		c.at("to.key", "crosswalk refers to framework %s %s, which is not loaded", x.To.Key, x.To.Version)
	}
	if fromEd == nil || toEd == nil {
		return
	}
	if fromEd.RiskModel != nil && toEd.RiskModel == nil || fromEd.Framework != nil && toEd.Framework == nil {
		c.at("to.key", "a crosswalk maps between two framework editions or two risk models, not one of each")
		return
	}
	if fromEd.Framework == nil && fromEd.RiskModel == nil {
		return
	}
	if fromEd.Framework != nil {
		if len(x.Hazards)+len(x.Controls)+len(x.Roles) > 0 {
			c.at("hazards", "a crosswalk between framework editions maps standards under mappings, not hazards, controls or roles")
		}
		c.checkLinkIDs("mappings", "standard", x, x.Mappings, fromEd.Framework.standardIDs(), toEd.Framework.standardIDs())
		return
	}
	if len(x.Mappings) > 0 {
		c.at("mappings", "a crosswalk between risk models maps hazards, controls and roles, not standards")
	}
	from, to := fromEd.RiskModel, toEd.RiskModel
	c.checkLinkIDs("hazards", "hazard", x, x.Hazards, from.hazardIDs(), to.hazardIDs())
	c.checkLinkIDs("controls", "control", x, x.Controls, from.controlIDs(), to.controlIDs())
	c.checkLinkIDs("roles", "role", x, x.Roles, from.roleIDs(), to.roleIDs())
}

// checkLinkIDs checks one list of links against the ids of each edition,
// in file order, so that the problems follow the file.
func (c *checker) checkLinkIDs(section, what string, x *Crosswalk, links []CrosswalkLink, fromIDs, toIDs []string) {
	has := func(list []string, id string) bool { return slices.Contains(list, id) }
	mappedFrom := map[string]string{}
	mappedTo := map[string]bool{}
	for i, m := range links {
		for k, id := range m.From {
			p := fmt.Sprintf("%s[%d].from[%d]", section, i, k)
			if !has(fromIDs, id) {
				c.at(p, "%s %q does not exist in %s %s", what, id, x.From.Key, x.From.Version)
				continue
			}
			if first, ok := mappedFrom[id]; ok {
				c.at(p, "%s %q of %s %s is mapped more than once (first at line %d)", what, id, x.From.Key, x.From.Version, c.line(first))
				continue
			}
			mappedFrom[id] = p
		}
		for k, id := range m.To {
			p := fmt.Sprintf("%s[%d].to[%d]", section, i, k)
			if !has(toIDs, id) {
				c.at(p, "%s %q does not exist in %s %s", what, id, x.To.Key, x.To.Version)
				continue
			}
			mappedTo[id] = true
		}
	}
	for _, id := range fromIDs {
		if _, ok := mappedFrom[id]; !ok {
			c.at(section, "%s %q of %s %s is not mapped: say where it went (equal, split, merged) or that it was retired", what, id, x.From.Key, x.From.Version)
		}
	}
	for _, id := range toIDs {
		if !mappedTo[id] {
			c.at(section, "%s %q of %s %s is not mapped: mark it new or say what it came from", what, id, x.To.Key, x.To.Version)
		}
	}
}

func (c *checker) checkRiskModel(m *RiskModel) {
	c.header(m.Key, m.Version, m.Title, m.Status)
	c.text("notice", m.Notice)
	c.checkRiskFormat(m)
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
		c.checkSectors(p, h.Sectors, m.Format >= 2, "hazard", h.ID)
		if f := h.Floor; f != nil {
			if f.Likelihood != 0 {
				c.onScale(p+".floor.likelihood", f.Likelihood, m.Likelihood)
			}
			if f.Severity != 0 {
				c.onScale(p+".floor.severity", f.Severity, m.Severity)
			}
			if f.Likelihood == 0 && f.Severity == 0 {
				c.at(p+".floor", "floor of hazard %q sets neither likelihood nor severity", h.ID)
			}
			c.text(p+".floor.reason", f.Reason)
		}
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
		if m.Format >= 2 {
			c.checkMitigations(p, ct, hazards, m)
		} else if ct.LikelihoodReduction == 0 && ct.SeverityReduction == 0 {
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
		if r.Group != "" || m.Format >= 2 {
			c.oneOf(p+".group", r.Group, TraumaGroups)
		}
		c.checkScreening(p, r, m.Format >= 2)
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

func (f *Framework) standardIDs() []string {
	var out []string
	for _, s := range f.Standards() {
		out = append(out, s.ID)
	}
	return out
}

func (m *RiskModel) hazardIDs() []string {
	var out []string
	for _, h := range m.Hazards {
		out = append(out, h.ID)
	}
	return out
}

func (m *RiskModel) controlIDs() []string {
	var out []string
	for _, c := range m.Controls {
		out = append(out, c.ID)
	}
	return out
}

func (m *RiskModel) roleIDs() []string {
	var out []string
	for _, r := range m.Roles {
		out = append(out, r.ID)
	}
	return out
}

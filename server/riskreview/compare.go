package riskreview

import (
	"sort"
	"strconv"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Change is one thing that differs between two versions of a role's
// assessment, in words.
type Change struct{ What, From, To string }

// Changes are what changed from version a to version b: band, counts,
// model, and each hazard's ratings and controls. Hazards are named from m
// (b's model); by id when m is nil or does not have them.
func Changes(a, b store.RoleAssessment, m *frameworks.RiskModel) []Change {
	var out []Change
	add := func(what, from, to string) {
		if from != to {
			out = append(out, Change{what, from, to})
		}
	}
	add("Band", a.OverallBand, b.OverallBand)
	add("People in the role", strconv.Itoa(a.Headcount), strconv.Itoa(b.Headcount))
	add("People exposed", strconv.Itoa(a.ExposedHeadcount), strconv.Itoa(b.ExposedHeadcount))
	add("People screened", strconv.Itoa(a.PeopleScreened), strconv.Itoa(b.PeopleScreened))
	add("Risk model", a.ModelVersion, b.ModelVersion)
	ha, hb := byHazard(a), byHazard(b)
	for _, id := range unionKeys(ha, hb) {
		x, okX := ha[id]
		y, okY := hb[id]
		name := hazardName(m, id)
		add(name+": before controls", rating(x, okX, false), rating(y, okY, false))
		add(name+": after controls", rating(x, okX, true), rating(y, okY, true))
		add(name+": controls", controls(x), controls(y))
	}
	return out
}

func byHazard(ra store.RoleAssessment) map[string]store.HazardRating {
	m := map[string]store.HazardRating{}
	for _, h := range ra.Hazards {
		m[h.HazardID] = h
	}
	return m
}

func hazardName(m *frameworks.RiskModel, id string) string {
	if m != nil {
		if h, ok := m.Hazard(id); ok {
			return h.Name
		}
	}
	return id
}

// rating is a hazard's rating before or after controls, as "L3 × S4".
func rating(h store.HazardRating, ok, residual bool) string {
	switch {
	case !ok:
		return "not assessed"
	case residual:
		return "L" + strconv.Itoa(h.ResidualL) + " × S" + strconv.Itoa(h.ResidualS)
	}
	return "L" + strconv.Itoa(h.InherentL) + " × S" + strconv.Itoa(h.InherentS)
}

// controls lists a hazard's controls with their statuses, catalogue ones
// by id.
func controls(h store.HazardRating) string {
	var out []string
	for _, ct := range h.Controls {
		n := ct.LocalName
		if ct.ControlID != "" {
			n = ct.ControlID
		}
		out = append(out, n+" "+ct.Status)
	}
	return strings.Join(out, "; ")
}

// unionKeys are the hazards of either version, sorted.
func unionKeys(a, b map[string]store.HazardRating) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

package riskreview

import (
	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Carry presents an assessment made under an earlier edition of the risk
// model in the ids of the next, through the crosswalk between them, so that
// the next review starts from its ratings, reasons and controls: a hazard
// or control mapped equal or split goes to each successor, merged ones go
// to the one they became (the first rated keeps its rating, the reasons
// are joined), retired ones are left in the old version. Counts and cohorts
// are copied. Nothing is saved: the review saves under the new edition.
func Carry(ra store.RoleAssessment, x *frameworks.Crosswalk) store.RoleAssessment {
	if x == nil {
		return ra
	}
	hazards, controls := successors(x.Hazards), successors(x.Controls)
	out := ra
	out.Hazards = nil
	at := map[string]int{}
	for _, h := range ra.Hazards {
		for _, id := range hazards[h.HazardID] {
			nh := h
			nh.HazardID = id
			nh.Controls = nil
			for _, ct := range h.Controls {
				if ct.ControlID == "" {
					nh.Controls = append(nh.Controls, ct)
					continue
				}
				for _, cid := range controls[ct.ControlID] {
					c := ct
					c.ControlID = cid
					nh.Controls = append(nh.Controls, c)
				}
			}
			if i, ok := at[id]; ok { // merged: keep the first rating, join the reasons
				prev := &out.Hazards[i]
				if nh.Rationale != "" && nh.Rationale != prev.Rationale {
					prev.Rationale = joinReason(prev.Rationale, nh.Rationale)
				}
				prev.Controls = append(prev.Controls, nh.Controls...)
				continue
			}
			at[id] = len(out.Hazards)
			out.Hazards = append(out.Hazards, nh)
		}
	}
	return out
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// successors maps each old id to the new ids it went to.
func successors(links []frameworks.CrosswalkLink) map[string][]string {
	out := map[string][]string{}
	for _, l := range links {
		if l.Relation == frameworks.RelRetired || l.Relation == frameworks.RelNew {
			continue
		}
		for _, from := range l.From {
			out[from] = append(out[from], l.To...)
		}
	}
	return out
}

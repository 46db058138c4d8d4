package riskreview

import (
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// LocalPrefix marks the ids of roles an organisation defines itself.
const LocalPrefix = "LOCAL-"

// localBaseline is where a local role's hazards start: the middle of the
// scales, since the catalogue has no usual rating for them.
const localBaseline = 3

// IsLocal says whether a role is one an organisation defined itself, whose
// ratings need no reason for differing from a catalogue's.
func IsLocal(roleID string) bool { return strings.HasPrefix(roleID, LocalPrefix) }

// LocalRoleID is the id of a role an organisation names itself: LocalPrefix
// and the name's letters and digits, upper case, joined by hyphens. ok is
// false when the name has none.
func LocalRoleID(name string) (id string, ok bool) {
	slug := slugify(name)
	return LocalPrefix + slug, slug != ""
}

func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToUpper(name) {
		switch {
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// LocalRole presents an organisation's own role as a role of the model.
func LocalRole(lr store.LocalRole) frameworks.Role {
	r := frameworks.Role{ID: lr.RoleID, Name: lr.Name, Description: "A role defined by your organisation.", RecommendedControls: lr.Controls}
	for _, h := range lr.Hazards {
		r.Hazards = append(r.Hazards, frameworks.RoleHazard{Hazard: h, Likelihood: localBaseline, Severity: localBaseline})
	}
	return r
}

package input

import (
	"slices"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

var adminChoices = AccessChoices{Roles: []string{store.RoleNationalAdmin, store.RoleOwner, store.RoleContributor, store.RoleViewer}, Sections: []string{"area:lead", "risk"}}

func TestPersonRules(t *testing.T) {
	checkRules(t, Person{Name: "Sam Jones", Email: " Sam@Example.org ", Role: store.RoleContributor, Sections: []string{"risk"}, OrganisationID: 7, Choices: adminChoices}, []rule[Person]{
		{"no name", func(in *Person) { in.Name = "" }, []string{"display_name"}},
		{"name too long", func(in *Person) { in.Name = strings.Repeat("n", MaxPersonName+1) }, []string{"display_name"}},
		{"not an address", func(in *Person) { in.Email = "sam at example.org" }, []string{"email"}},
		{"a name with the address", func(in *Person) { in.Email = "Sam <sam@example.org>" }, []string{"email"}},
		{"unknown role", func(in *Person) { in.Role = "king" }, []string{"role"}},
		{"a role an owner may not give", func(in *Person) {
			in.Role, in.Choices = store.RoleNationalAdmin, AccessChoices{Roles: adminChoices.Roles[1:], Sections: adminChoices.Sections, OrganisationID: 7}
		}, []string{"role"}},
		{"unknown section", func(in *Person) { in.Sections = []string{"risk", "payroll"} }, []string{"sections"}},
		{"only unknown sections", func(in *Person) { in.Sections = []string{"payroll"} }, []string{"sections"}},
		{"contributor without sections", func(in *Person) { in.Sections = nil }, []string{"sections"}},
		{"no organisation", func(in *Person) { in.OrganisationID = 0 }, []string{"organisation_id"}},
	})
	for _, tc := range []struct {
		name string
		in   Person
		org  int64 // 0 for none
	}{
		{"a national admin belongs to none", Person{Role: store.RoleNationalAdmin, OrganisationID: 7, Choices: adminChoices}, 0},
		{"an owner adds to their own", Person{Role: store.RoleViewer, OrganisationID: 9, Choices: AccessChoices{OrganisationID: 7}}, 7},
		{"a national admin chooses", Person{Role: store.RoleViewer, OrganisationID: 9, Choices: adminChoices}, 9},
	} {
		u := tc.in.User()
		if got := u.OrganisationID; (got == nil) != (tc.org == 0) || got != nil && *got != tc.org {
			t.Errorf("%s: organisation %v", tc.name, got)
		}
	}
	if u := (Person{Email: " Sam@Example.org", Role: store.RoleOwner, Sections: []string{"risk"}}).User(); u.Email != "sam@example.org" || u.Sections != nil {
		t.Errorf("an owner's account %+v", u)
	}
}

func TestAccessRules(t *testing.T) {
	checkRules(t, Access{Role: store.RoleContributor, Sections: []string{"area:lead"}, Choices: adminChoices, InOrganisation: true}, []rule[Access]{
		{"unknown role", func(in *Access) { in.Role = "" }, []string{"role"}},
		{"unknown section", func(in *Access) { in.Sections = []string{"payroll"} }, []string{"sections"}},
		{"contributor without sections", func(in *Access) { in.Sections = nil }, []string{"sections"}},
		{"national admin in an organisation", func(in *Access) { in.Role = store.RoleNationalAdmin }, []string{"role"}},
		{"national admin moved into one", func(in *Access) { in.InOrganisation = false }, []string{"role"}},
	})
	if got := (Access{Role: store.RoleOwner, Sections: []string{"risk"}}).AccessSections(); got != nil {
		t.Errorf("an owner is limited to %v", got)
	}
	if got := (Access{Role: store.RoleContributor, Sections: []string{"risk"}}).AccessSections(); !slices.Equal(got, []string{"risk"}) {
		t.Errorf("a contributor is limited to %v", got)
	}
}

// TestCheckboxReading: a group of checkboxes is every value checked, each
// kept to show again.
func TestCheckboxReading(t *testing.T) {
	f := NewForm(func(name string) string { return map[string]string{"role": "contributor"}[name] }, func(name string) []string {
		return map[string][]string{"sections": {"risk", "area:lead"}}[name]
	})
	in := Access{Choices: adminChoices, InOrganisation: true}
	if !f.Read(&in) || !slices.Equal(in.Sections, []string{"risk", "area:lead"}) || f.Values["sections:risk"] != "yes" {
		t.Errorf("read %+v, kept %v, problems %+v", in, f.Values, f.Errs)
	}
}

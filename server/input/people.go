package input

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// MaxPersonName is the longest name a person's account may have.
const MaxPersonName = 120

// AccessChoices are what the person adding an account, or changing one's
// access, may choose from; the caller sets them.
type AccessChoices struct {
	Roles    []string // the roles they may give
	Sections []string // the sections there are
	// OrganisationID is an owner's own organisation, where every account
	// they add belongs; 0 for a national admin, who chooses.
	OrganisationID int64
}

// Person is a new account.
type Person struct {
	Name           string        `json:"display_name" form:"name"`
	Email          string        `json:"email" form:"email"`
	Role           string        `json:"role" form:"role"`
	Sections       []string      `json:"sections" form:"sections"` // a contributor's only
	OrganisationID int64         `json:"organisation_id" form:"organisation"`
	Choices        AccessChoices `json:"-"`
}

// In the order of the form, so the error summary reads top to bottom.
func (in Person) Validate() Problems {
	var ps Problems
	switch name := trimmed(in.Name); {
	case name == "":
		ps.add("display_name", "Enter the person's name", "display_name is required")
	case len(name) > MaxPersonName:
		ps.add("display_name", "Name must be 120 characters or fewer", "display_name must be 120 characters or fewer")
	}
	if addr, err := mail.ParseAddress(in.address()); err != nil || addr.Address != in.address() {
		ps.add("email", "Enter an email address in the correct format, like name@example.org", "email must be an email address, like name@example.org")
	}
	ps.access(in.Role, in.Sections, in.Choices)
	if in.Choices.OrganisationID == 0 && in.Role != store.RoleNationalAdmin && in.OrganisationID == 0 {
		ps.add("organisation_id", "Choose the person's organisation", "organisation_id is required for anyone but a national admin")
	}
	return ps
}

func (in Person) address() string { return strings.ToLower(trimmed(in.Email)) }

// User is the account as the store keeps it; the page shows it again as
// typed when the input or the store refuses it.
func (in Person) User() store.User {
	u := store.User{Email: in.address(), DisplayName: trimmed(in.Name), Role: in.Role, Sections: accessSections(in.Role, in.Sections)}
	switch {
	case in.Choices.OrganisationID != 0:
		u.OrganisationID = &in.Choices.OrganisationID
	case in.Role != store.RoleNationalAdmin && in.OrganisationID != 0:
		u.OrganisationID = &in.OrganisationID
	}
	return u
}

// Access is a change to an account's role and sections.
type Access struct {
	Role     string        `json:"role" form:"role"`
	Sections []string      `json:"sections" form:"sections"`
	Choices  AccessChoices `json:"-"`
	// InOrganisation says whether the account belongs to an organisation:
	// only one that does not is a national admin's, and stays one.
	InOrganisation bool `json:"-"`
}

func (in Access) Validate() Problems {
	var ps Problems
	ps.access(in.Role, in.Sections, in.Choices)
	switch admin := in.Role == store.RoleNationalAdmin; {
	case in.InOrganisation && admin:
		ps.add("role", "A national admin cannot belong to an organisation: add a new account instead",
			"role cannot be national_admin for an account in an organisation: add a new account instead")
	case !in.InOrganisation && !admin:
		ps.add("role", "A national admin account cannot be moved into an organisation", "role must stay national_admin for a national admin's account")
	}
	return ps
}

// AccessSections are the sections a valid change gives.
func (in Access) AccessSections() []string { return accessSections(in.Role, in.Sections) }

// access checks a role and the sections that go with it.
func (ps *Problems) access(role string, sections []string, ch AccessChoices) {
	if !slices.Contains(ch.Roles, role) {
		ps.add("role", "Choose a role", "role must be one of "+strings.Join(ch.Roles, ", "))
	}
	known := 0 // a contributor whose first section is unknown has none
	for _, sec := range sections {
		if !slices.Contains(ch.Sections, sec) {
			ps.add("sections", "Choose sections from the list", "sections must each be one of "+strings.Join(ch.Sections, ", "))
			break
		}
		known++
	}
	if role == store.RoleContributor && known == 0 {
		ps.add("sections", "Choose at least one section for a contributor", "sections is required for a contributor: at least one")
	}
}

// accessSections are the sections that go with a role: only contributors
// are limited to sections.
func accessSections(role string, sections []string) []string {
	if role != store.RoleContributor {
		return nil
	}
	return sections
}

package loadgen

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Domain is the email domain of the people the load generator makes, so a
// later run finds and reuses them. ".invalid" can never be a real address.
const Domain = "load.invalid"

// Password is every load-test person's password. It is printed in the docs
// on purpose: these accounts belong in a throwaway database only.
const Password = "load generator only, never production"

// tokenName names the API tokens the load generator makes, so the next run
// can revoke them.
const tokenName = "load generator"

var actor = store.SystemActor("load generator")

// Person is one simulated person: an account, what it may change and an API
// token made for this run.
type Person struct {
	Email        string
	Role         string
	OrgID        int64
	AssessmentID int64
	Token        string
	Sections     []string // a contributor's area, as "area:ID"
	// Standards are the ones this person saves answers to; the people of
	// one organisation get different ones, so their saves rarely clash.
	Standards []string
}

// Plan is what Prepare made ready: the people, the open cycle their
// assessments belong to and the levels of its scale.
type Plan struct {
	People  []Person
	CycleID int64
	Levels  []int
}

// Prepare makes people ready for a load run in the database the server
// uses. It spreads people over orgs organisations: the first gets an owner,
// the second a contributor, the third a viewer and any further ones are
// contributors, each contributor with an area of their own. Every
// organisation used gets an assessment in the open cycle that can be
// edited: organisations with load-test people already come first, then
// those with a draft, then those without an assessment (one is started);
// only when these run out is a submitted assessment returned to its
// organisation, as the national team would. It changes the database:
// run it only against a throwaway one.
func Prepare(ctx context.Context, st *store.Store, set *frameworks.Set, people, orgs int) (*Plan, error) {
	if people < 1 || orgs < 1 {
		return nil, fmt.Errorf("a load run needs at least one person and one organisation")
	}
	orgs = min(orgs, people)
	cy, err := openCycle(ctx, st)
	if err != nil {
		return nil, err
	}
	edition := set.Edition(cy.FrameworkKey, cy.FrameworkVersion)
	if edition == nil || edition.Framework == nil {
		return nil, fmt.Errorf("the framework of cycle %s (%s %s) is not loaded", cy.Name, cy.FrameworkKey, cy.FrameworkVersion)
	}
	chosen, err := chooseOrgs(ctx, st, cy, orgs)
	if err != nil {
		return nil, err
	}
	// One argon2id hash for everyone: each costs about 80 ms.
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	plan := &Plan{CycleID: cy.ID}
	for _, l := range edition.Framework.Scale {
		plan.Levels = append(plan.Levels, l.Level)
	}
	perOrg := (people + orgs - 1) / orgs
	byOrg := make([][]Person, len(chosen))
	for i, c := range chosen {
		as, err := editableAssessment(ctx, st, edition, cy, c)
		if err != nil {
			return nil, err
		}
		for slot := range perOrg {
			if slot*orgs+i >= people {
				break
			}
			p, err := preparePerson(ctx, st, c.org, slot, i, edition.Framework, hash)
			if err != nil {
				return nil, err
			}
			p.AssessmentID = as.ID
			byOrg[i] = append(byOrg[i], p)
		}
		assignStandards(byOrg[i], edition.Framework)
	}
	// Interleave the organisations so that a run of fewer people than
	// accounts still covers every organisation and role.
	for slot := range perOrg {
		for i := range byOrg {
			if slot < len(byOrg[i]) {
				plan.People = append(plan.People, byOrg[i][slot])
			}
		}
	}
	return plan, nil
}

func openCycle(ctx context.Context, st *store.Store) (store.Cycle, error) {
	cycles, err := st.Cycles(ctx)
	if err != nil {
		return store.Cycle{}, err
	}
	var open *store.Cycle
	for i, c := range cycles {
		if c.Status == store.CycleOpen && (open == nil || c.OpensOn.After(open.OpensOn)) {
			open = &cycles[i]
		}
	}
	if open == nil {
		return store.Cycle{}, fmt.Errorf("the database has no open assessment cycle: seed it first (go run . seed -synthetic) or open one")
	}
	return *open, nil
}

// candidate is an organisation and its assessment in the open cycle.
type candidate struct {
	org        store.Organisation
	assessment *store.Assessment
	rank       int // lower is used first
}

func chooseOrgs(ctx context.Context, st *store.Store, cy store.Cycle, n int) ([]candidate, error) {
	orgs, err := st.ListOrganisations(ctx, store.AllOrganisations())
	if err != nil {
		return nil, err
	}
	assessments, err := st.ListAssessments(ctx, store.AllOrganisations())
	if err != nil {
		return nil, err
	}
	inCycle := map[int64]*store.Assessment{}
	for i, as := range assessments {
		if as.CycleID == cy.ID {
			inCycle[as.OrganisationID] = &assessments[i]
		}
	}
	users, err := st.ListUsers(ctx, store.AllOrganisations())
	if err != nil {
		return nil, err
	}
	hasLoadPeople := map[int64]bool{}
	for _, u := range users {
		if u.OrganisationID != nil && strings.HasSuffix(u.Email, "@"+Domain) {
			hasLoadPeople[*u.OrganisationID] = true
		}
	}
	var list []candidate
	for _, o := range orgs {
		c := candidate{org: o, assessment: inCycle[o.ID]}
		switch {
		case hasLoadPeople[o.ID]:
			c.rank = 0
		case c.assessment != nil && c.assessment.Editable():
			c.rank = 1
		case c.assessment == nil:
			c.rank = 2
		default:
			c.rank = 3
		}
		list = append(list, c)
	}
	slices.SortStableFunc(list, func(a, b candidate) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.org.ID, b.org.ID)) })
	if len(list) < n {
		return nil, fmt.Errorf("the database has %d organisations; -orgs asks for %d", len(list), n)
	}
	// In organisation order, so a later run that picks the same ones gives
	// each the same people.
	chosen := list[:n]
	slices.SortFunc(chosen, func(a, b candidate) int { return cmp.Compare(a.org.ID, b.org.ID) })
	return chosen, nil
}

// editableAssessment makes sure the organisation has an assessment in the
// cycle that its people can edit.
func editableAssessment(ctx context.Context, st *store.Store, edition *frameworks.Edition, cy store.Cycle, c candidate) (store.Assessment, error) {
	if c.assessment == nil {
		var blank []store.Response
		for _, s := range edition.Framework.Standards() {
			blank = append(blank, store.Response{StandardID: s.ID})
		}
		as, err := st.StartAssessment(ctx, actor, store.Scope{OrgID: c.org.ID}, store.Assessment{
			OrganisationID: c.org.ID, CycleID: cy.ID, FrameworkKey: edition.Key, FrameworkVersion: edition.Version, FrameworkSHA256: edition.SHA256,
		}, blank)
		if err != nil {
			return store.Assessment{}, fmt.Errorf("start an assessment for %s: %w", c.org.Slug, err)
		}
		return as, nil
	}
	if c.assessment.Editable() {
		return *c.assessment, nil
	}
	as, err := st.ReturnAssessment(ctx, actor, c.assessment.ID, "Returned by the load generator so that its people can edit it.")
	if err != nil {
		return store.Assessment{}, fmt.Errorf("return the assessment of %s: %w", c.org.Slug, err)
	}
	return as, nil
}

// roleOf is the role of an organisation's slot-th load-test person.
func roleOf(slot int) string {
	switch slot {
	case 0:
		return store.RoleOwner
	case 2:
		return store.RoleViewer
	}
	return store.RoleContributor
}

// contributorArea is the area of a contributor: the contributors of one
// organisation get different areas, and organisations start at different
// ones so every area is exercised.
func contributorArea(fw *frameworks.Framework, slot, orgIndex int) string {
	n := 0 // contributors before this one
	if slot > 1 {
		n = slot - 2
	}
	return fw.Areas[(orgIndex+n)%len(fw.Areas)].ID
}

// preparePerson creates or refreshes one load-test person and gives them a
// fresh API token, revoking the ones earlier runs made.
func preparePerson(ctx context.Context, st *store.Store, org store.Organisation, slot, orgIndex int, fw *frameworks.Framework, hash string) (Person, error) {
	role := roleOf(slot)
	var sections []string
	if role == store.RoleContributor {
		sections = []string{"area:" + contributorArea(fw, slot, orgIndex)}
	}
	email := fmt.Sprintf("%s-%d.%s@%s", role, slot, org.Slug, Domain)
	sc := store.Scope{OrgID: org.ID}
	u, err := st.UserByEmail(ctx, email)
	switch {
	case apperr.Code(err) == apperr.ENOTFOUND:
		u, err = st.CreateUser(ctx, actor, sc, store.User{Email: email, DisplayName: fmt.Sprintf("Load test %s %d", role, slot),
			Role: role, OrganisationID: &org.ID, Sections: sections})
		if err != nil {
			return Person{}, fmt.Errorf("create %s: %w", email, err)
		}
	case err != nil:
		return Person{}, err
	default:
		if u.OrganisationID == nil || *u.OrganisationID != org.ID {
			return Person{}, fmt.Errorf("%s exists in another organisation: use a fresh database", email)
		}
		if u.Role != role || !slices.Equal(u.Sections, sections) {
			if u, err = st.UpdateUserAccess(ctx, actor, sc, u.ID, role, sections); err != nil {
				return Person{}, err
			}
		}
		if u.DisabledAt != nil {
			if err := st.SetUserDisabled(ctx, actor, sc, u.ID, false); err != nil {
				return Person{}, err
			}
		}
	}
	if err := st.SetPassword(ctx, actor, sc, u.ID, hash); err != nil {
		return Person{}, err
	}
	old, err := st.ListAPITokens(ctx, u.ID)
	if err != nil {
		return Person{}, err
	}
	for _, t := range old {
		if t.Name == tokenName && t.RevokedAt == nil {
			if err := st.RevokeAPIToken(ctx, actor, u.ID, t.ID); err != nil {
				return Person{}, err
			}
		}
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return Person{}, err
	}
	if _, err := st.CreateAPIToken(ctx, actor, store.APIToken{UserID: u.ID, Name: tokenName, Hash: tokenHash, Prefix: token[:8]}); err != nil {
		return Person{}, err
	}
	return Person{Email: email, Role: role, OrgID: org.ID, Token: token, Sections: sections}, nil
}

// assignStandards gives each editor of one organisation the standards they
// save: a contributor those of their area, the owner those of the areas no
// contributor has (all of them if every area is taken).
func assignStandards(people []Person, fw *frameworks.Framework) {
	taken := map[string]bool{}
	for _, p := range people {
		for _, s := range p.Sections {
			taken[strings.TrimPrefix(s, "area:")] = true
		}
	}
	for i := range people {
		p := &people[i]
		for _, a := range fw.Areas {
			var mine bool
			switch p.Role {
			case store.RoleOwner:
				mine = !taken[a.ID] || len(taken) == len(fw.Areas)
			case store.RoleContributor:
				mine = slices.Contains(p.Sections, "area:"+a.ID)
			}
			if mine {
				for _, s := range a.Standards {
					p.Standards = append(p.Standards, s.ID)
				}
			}
		}
	}
}

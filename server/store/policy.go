package store

import (
	"slices"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// What an actor may change. The store asks these questions itself before
// every change it makes on someone's behalf, so no caller (page, API,
// workbook upload) can forget to; handlers ask the same questions only to
// show or hide forms. An actor whose role is empty or unknown may change
// none of it.

// Sections an owner assigns to a contributor, besides areas of the
// framework (AreaSection).
const (
	SectionRiskRegister = "risk-register"
	SectionProvision    = "provision"
)

// AreaSection is the section that lets a contributor answer one area of
// the framework.
func AreaSection(areaID string) string { return "area:" + areaID }

// SystemActor is a change no person makes through the app (the command
// line, demo data): it may change anything its scope covers.
func SystemActor(label string) Actor { return Actor{Label: label, system: true} }

// CanEditArea says whether the actor may change answers and actions in an
// area of the framework: owners everywhere, contributors in the areas
// assigned to them.
func (a Actor) CanEditArea(areaID string) bool {
	return a.system || a.Role == RoleOwner || (a.Role == RoleContributor && slices.Contains(a.Sections, AreaSection(areaID)))
}

// CanEditRiskRegister says whether the actor may change the role risk
// register.
func (a Actor) CanEditRiskRegister() bool { return a.ownerOr(SectionRiskRegister) }

// CanEditProvision says whether the actor may change provision records:
// OK9 dogs, handlers and deployments, peer support, vans, and the
// organisation's own mutual-aid requests.
func (a Actor) CanEditProvision() bool { return a.ownerOr(SectionProvision) }

// CanOverrideWelfare says whether the actor may deploy a dog beyond the
// welfare limits, giving a reason.
func (a Actor) CanOverrideWelfare() bool { return a.system || a.Role == RoleOwner }

// CanCloseAidRequest says whether the actor may close a mutual-aid request:
// the national team, or the requester's provision editors.
func (a Actor) CanCloseAidRequest() bool { return a.Role == RoleNationalAdmin || a.CanEditProvision() }

// CanOfferAid says whether the actor may offer another organisation's dogs
// in answer to a request: the national team arranges mutual aid.
func (a Actor) CanOfferAid() bool { return a.system || a.Role == RoleNationalAdmin }

// CanDecideAidOffer says whether the actor may accept or decline an offer
// of dogs: the borrowing organisation's owner.
func (a Actor) CanDecideAidOffer() bool { return a.system || a.Role == RoleOwner }

// ownerOr is true for owners, and for contributors assigned section.
func (a Actor) ownerOr(section string) bool {
	return a.system || a.Role == RoleOwner || (a.Role == RoleContributor && slices.Contains(a.Sections, section))
}

// refuseUnless is the store's refusal when allowed is false.
func refuseUnless(allowed bool, what string) error {
	if allowed {
		return nil
	}
	return apperr.Errorf(apperr.EFORBIDDEN, "You cannot %s. Ask your organisation's owner if you need to.", what)
}

// mayEditStandard refuses an actor who may not change answers and actions
// of standardID in the assessment. A standard the store cannot place in an
// area (its edition not loaded here) is refused to everyone limited to
// areas.
func (s *Store) mayEditStandard(a Actor, as Assessment, standardID string) error {
	area := s.areaOf(as, standardID)
	if a.CanEditArea(area.ID) {
		return nil
	}
	if area.Title == "" {
		return refuseUnless(false, "change answers or actions in this area")
	}
	return refuseUnless(false, "change answers or actions in "+area.Title)
}

// UseFrameworks tells the store the framework editions in use, so that it
// knows which area each standard belongs to when a contributor changes
// one. Until it is called, contributors can change no answers.
func (s *Store) UseFrameworks(set *frameworks.Set) { s.frameworks.Store(set) }

// areaOf is the area a standard belongs to in the assessment's edition, or
// the zero Area if the store does not know it.
func (s *Store) areaOf(as Assessment, standardID string) frameworks.Area {
	set := s.frameworks.Load()
	if set == nil {
		return frameworks.Area{}
	}
	f := set.Framework(as.FrameworkKey, as.FrameworkVersion)
	if f == nil {
		return frameworks.Area{}
	}
	for _, area := range f.Areas {
		for _, st := range area.Standards {
			if st.ID == standardID {
				return area
			}
		}
	}
	return frameworks.Area{}
}

// CanOverrideGates says whether the actor may let an OK9 deployment or an
// offer of mutual aid go ahead though it fails a handler or standing rule,
// giving a reason: the national team only.
func (a Actor) CanOverrideGates() bool { return a.system || a.Role == RoleNationalAdmin }

// CanReadOK9Register says whether the actor may read the national OK9
// register, with every scheme's contact and work email: the national team,
// and a person their own organisation names, by work email, as its OK9
// single point of contact (isSPOC, from Store.IsOK9SPOC), who arranges
// mutual aid with the others.
func (a Actor) CanReadOK9Register(isSPOC bool) bool {
	return a.system || a.Role == RoleNationalAdmin || (isSPOC && a.UserID != 0 && a.OrgID != 0)
}

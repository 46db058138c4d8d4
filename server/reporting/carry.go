package reporting

import (
	"context"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// CarryForward maps an earlier assessment's answers onto a framework
// edition, through the crosswalk when the editions differ: for starting an
// assessment from the last one, and for change since last cycle.
func (s *Service) CarryForward(ctx context.Context, prev store.Assessment, to *frameworks.Framework) (map[string]frameworks.Carried, error) {
	from := s.frameworks.Framework(prev.FrameworkKey, prev.FrameworkVersion)
	if from == nil {
		return nil, apperr.Errorf(apperr.EINVALID, "Your last assessment used %s %s, which is no longer loaded, so it cannot be carried forward; start a blank one", prev.FrameworkKey, prev.FrameworkVersion)
	}
	x := s.frameworks.CrosswalkBetween(from.Key, from.Version, to.Key, to.Version)
	if x == nil && (from.Key != to.Key || from.Version != to.Version) {
		return nil, apperr.Errorf(apperr.EINVALID, "There is no crosswalk from %s %s to %s %s, so answers cannot be carried forward; start a blank one", from.Key, from.Version, to.Key, to.Version)
	}
	responses, err := s.store.Responses(ctx, store.Scope{OrgID: prev.OrganisationID}, prev.ID)
	if err != nil {
		return nil, err
	}
	old := make(map[string]frameworks.Answer, len(responses))
	for _, r := range responses {
		old[r.StandardID] = frameworks.Answer{Level: r.Level, Target: r.Target, Evidence: r.Evidence, Links: r.Links}
	}
	return frameworks.CarryForward(old, from, to, x), nil
}

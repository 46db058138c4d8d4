package server

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// National OK9 mutual aid through the API, by the rules of the pages: an
// organisation's provision editors ask; national admins see the dogs that
// could go and offer them; the lending organisation's owner accepts, which
// logs the deployment in both organisations' logs, or declines.

// apiAidRequest is a request with the names both sides need to arrange it.
type apiAidRequest struct {
	store.AidRequest
	Requester    string        `json:"requester"`
	DogsAccepted int           `json:"dogs_accepted"`
	Offers       []apiAidOffer `json:"offers"` // shadows the embedded offers
}

type apiAidOffer struct {
	store.AidOffer
	Lender   string   `json:"lender"`
	DogNames []string `json:"dog_names"`
}

// aidViews names the organisations and dogs of requests the caller is
// party to.
func (s *Server) aidViews(c *fiber.Ctx, reqs []store.AidRequest) ([]apiAidRequest, error) {
	names, err := s.partnerNames(c)
	if err != nil {
		return nil, err
	}
	var dogIDs []int64
	for _, r := range reqs {
		for _, o := range r.Offers {
			dogIDs = append(dogIDs, o.DogIDs...)
		}
	}
	dogNames, err := s.deps.Store.DogNames(c.UserContext(), dogIDs)
	if err != nil {
		return nil, err
	}
	out := []apiAidRequest{}
	for _, r := range reqs {
		v := apiAidRequest{AidRequest: r, Requester: names[r.OrganisationID], DogsAccepted: r.DogsAccepted(), Offers: []apiAidOffer{}}
		for _, o := range r.Offers {
			v.Offers = append(v.Offers, offerView(o, names, dogNames))
		}
		out = append(out, v)
	}
	return out, nil
}

func offerView(o store.AidOffer, names, dogNames map[int64]string) apiAidOffer {
	v := apiAidOffer{AidOffer: o, Lender: names[o.OrganisationID], DogNames: []string{}}
	for _, id := range o.DogIDs {
		v.DogNames = append(v.DogNames, dogNames[id])
	}
	return v
}

// apiListMutualAid lists the requests the caller may see, open ones first:
// every one for national admins, otherwise the organisation's own and
// those it was offered on.
func (s *Server) apiListMutualAid(c *fiber.Ctx) error {
	reqs, err := s.deps.Store.AidRequests(c.UserContext(), scopeOf(currentUser(c)))
	if err != nil {
		return err
	}
	views, err := s.aidViews(c, reqs)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"requests": views})
}

// apiCreateMutualAid asks the national team for dogs.
func (s *Server) apiCreateMutualAid(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	var in input.AidRequest
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	r := store.AidRequest{OrganisationID: org.ID}
	in.Apply(&r)
	saved, err := s.deps.Store.CreateAidRequest(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
	if err != nil {
		return err
	}
	s.remindNow(c)
	views, err := s.aidViews(c, []store.AidRequest{saved})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(views[0])
}

// apiAidCandidate is a dog of another organisation that could go to a
// request, for national admins; Blocked says why one cannot.
type apiAidCandidate struct {
	Dog             store.OK9Dog `json:"dog"`
	Organisation    apiOrgRef    `json:"organisation"`
	Proximity       string       `json:"proximity"`
	TrainedHandlers int          `json:"trained_handlers"`
	CanGo           bool         `json:"can_go"`
	Blocked         string       `json:"blocked,omitempty"`
	// StandingFailures are the standing rules the lender's scheme or the
	// dog fails: an offer then needs override_reason.
	StandingFailures []store.GateFailure `json:"standing_failures"`
}

type apiOrgRef struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Nation string `json:"nation"`
	Region string `json:"region"`
}

// apiShowMutualAid is one request the caller is party to, with its offers,
// every step from the audit trail and, for national admins while it is
// open, the dogs that could go: active, assessed, with a trained handler
// and within the welfare limits, nearest first.
func (s *Server) apiShowMutualAid(c *fiber.Ctx) error {
	r, err := s.apiAidRequestParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	views, err := s.aidViews(c, []store.AidRequest{r})
	if err != nil {
		return err
	}
	events, err := s.deps.Store.AidTimeline(ctx, scopeOf(currentUser(c)), r.ID)
	if err != nil {
		return err
	}
	names, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	timeline := aidTimeline(events, names)
	if timeline == nil {
		timeline = []timelineStep{}
	}
	out := fiber.Map{"request": views[0], "timeline": timeline}
	if currentUser(c).Role == store.RoleNationalAdmin && r.Status == store.AidOpen {
		cands, err := s.deps.Store.AidCandidates(ctx, r.ID, s.welfarePolicy())
		if err != nil {
			return err
		}
		list := []apiAidCandidate{}
		for _, cand := range cands {
			o := cand.Organisation
			list = append(list, apiAidCandidate{Dog: cand.Dog, Organisation: apiOrgRef{o.ID, o.Name, o.Nation, o.Region},
				Proximity: cand.Proximity, TrainedHandlers: cand.Handlers, CanGo: cand.Blocked == "" && len(cand.Standing) == 0, Blocked: cand.Blocked,
				StandingFailures: append([]store.GateFailure{}, cand.Standing...)})
		}
		out["candidates"] = list
	}
	return c.JSON(out)
}

// apiAidRequestParam loads the request named in the address, if the caller
// is party to it.
func (s *Server) apiAidRequestParam(c *fiber.Ctx) (store.AidRequest, error) {
	return s.deps.Store.AidRequest(c.UserContext(), scopeOf(currentUser(c)), s.aidRequestID(c))
}

// apiOfferMutualAid offers one organisation's dogs to an open request
// (national admins; the route checks).
func (s *Server) apiOfferMutualAid(c *fiber.Ctx) error {
	r, err := s.apiAidRequestParam(c)
	if err != nil {
		return err
	}
	var in input.AidOffer
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	if err := s.checkOfferable(c, r.ID, in.OrganisationID, in.DogIDs); err != nil {
		return err
	}
	o, err := s.deps.Store.OfferAid(c.UserContext(), s.actor(c), r.ID, in.OrganisationID, in.DogIDs, in.OverrideReason, s.welfarePolicy())
	if handled, err := gateRefusal(c, err); handled {
		return err
	}
	if err != nil {
		return err
	}
	s.remindNow(c)
	return s.offerReply(c, fiber.StatusCreated, o)
}

func (s *Server) offerReply(c *fiber.Ctx, status int, o store.AidOffer) error {
	names, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	dogNames, err := s.deps.Store.DogNames(c.UserContext(), o.DogIDs)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(offerView(o, names, dogNames))
}

// apiDecideMutualAid is the lending organisation's owner's answer to an
// offer (the route lets only owners through). Accepting logs a deployment
// for each day of the request, in the lender's log and the requester's,
// after the gate and welfare checks.
func (s *Server) apiDecideMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	id, _ := strconv.ParseInt(c.Params("offer"), 10, 64)
	if _, err := s.deps.Store.AidOffer(c.UserContext(), scopeOf(u), id); err != nil { // not the caller's: not found, whatever the body
		return err
	}
	var in input.AidDecision
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	o, err := s.deps.Store.DecideAidOffer(c.UserContext(), s.actor(c), scopeOf(u), id, in.Answer(), s.welfarePolicy())
	if err != nil {
		return welfareRefusal(c, err, actorOf(u).CanOverrideWelfare())
	}
	s.remindNow(c)
	return s.offerReply(c, fiber.StatusOK, o)
}

// apiCloseMutualAid closes a request: the requesting organisation's
// provision editors or a national admin, as on the page. The body may be
// empty or {}.
func (s *Server) apiCloseMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanCloseAidRequest() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to close this request.")
	}
	r, err := s.apiAidRequestParam(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(c.Body())) > 0 {
		var none struct{}
		if err := decodeJSON(c, &none); err != nil {
			return err
		}
	}
	if err := s.deps.Store.CloseAidRequest(c.UserContext(), s.actor(c), scopeOf(u), r.ID); err != nil {
		return err
	}
	if r, err = s.apiAidRequestParam(c); err != nil {
		return err
	}
	views, err := s.aidViews(c, []store.AidRequest{r})
	if err != nil {
		return err
	}
	return c.JSON(views[0])
}

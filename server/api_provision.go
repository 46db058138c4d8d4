package server

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// The provision API: the OK9 scheme, dogs, handlers and deployments, peer
// support returns and van visits, through the same store calls and by the
// same rules as the pages. Everyone in an organisation reads its records
// (national admins name the organisation with ?org=); the routes that
// change them are behind requireProvisionEditor, as the forms are.

// queryYear reads ?name= as a year from lo to hi, or def when it is absent.
func queryYear(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	q := strings.TrimSpace(c.Query(name))
	if q == "" {
		return def, nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < lo || y > hi {
		return 0, apperr.Errorf(apperr.EINVALID, "%s must be a year from %d to %d, not %q", name, lo, hi, q)
	}
	return y, nil
}

// apiProvision is the provision summary: the year's indicators (each says
// why when it cannot be worked out, for example a missing workforce
// figure), the peer support return and the OK9 readiness checks.
func (s *Server) apiProvision(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	this := s.deps.Store.Now().Year()
	year, err := queryYear(c, "year", this, this-10, this)
	if err != nil {
		return err
	}
	counts, err := s.deps.Store.ProvisionCountsFor(ctx, store.Scope{OrgID: org.ID}, year)
	if err != nil {
		return err
	}
	cnt := counts[org.ID]
	if cnt == nil {
		cnt = &store.ProvisionCounts{OrganisationID: org.ID}
	}
	readiness, err := s.apiReadiness(c, sc, org.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "organisation": org.Name, "year": year,
		"workforce": cnt.Workforce, "indicators": cnt.Indicators(year), "peer_support_return": cnt.Return, "ok9_readiness": readiness})
}

// ok9Records reads an organisation's OK9 scheme, dogs and handlers, which
// readiness, the OK9 page and suggested evidence all start from.
func (s *Server) ok9Records(ctx context.Context, sc store.Scope, orgID int64) (store.OK9Scheme, []store.OK9Dog, []store.OK9Handler, error) {
	sch, err := s.deps.Store.OK9Scheme(ctx, sc, orgID)
	if err != nil {
		return sch, nil, nil, err
	}
	dogs, err := s.deps.Store.OK9Dogs(ctx, sc, orgID)
	if err != nil {
		return sch, nil, nil, err
	}
	handlers, err := s.deps.Store.OK9Handlers(ctx, sc, orgID)
	return sch, dogs, handlers, err
}

func (s *Server) apiReadiness(c *fiber.Ctx, sc store.Scope, orgID int64) ([]ReadinessCheck, error) {
	ctx := c.UserContext()
	sch, dogs, handlers, err := s.ok9Records(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	return ok9Readiness(s.deps.Store.Now(), s.welfarePolicy(), sch, dogs, handlers), nil
}

func (s *Server) apiOK9Scheme(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	sch, err := s.deps.Store.OK9Scheme(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	return c.JSON(sch)
}

// apiSaveOK9Scheme replaces the scheme record: a date left out is cleared.
func (s *Server) apiSaveOK9Scheme(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	var in input.OK9Scheme
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	sch := store.OK9Scheme{OrganisationID: org.ID}
	in.Apply(&sch)
	saved, err := s.deps.Store.SaveOK9Scheme(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), sch)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

// orgRecords answers the records of the organisation in view (the caller's
// own, or ?org= for a national admin) as a list under key, never null.
func orgRecords[T any](s *Server, c *fiber.Ctx, key string, load func(context.Context, store.Scope, int64) ([]T, error)) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	items, err := load(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, key: items})
}

// savedRecord answers a saved record, with 201 when it is new.
func savedRecord(c *fiber.Ctx, created bool, v any) error {
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

func (s *Server) apiListDogs(c *fiber.Ctx) error {
	return orgRecords(s, c, "dogs", s.deps.Store.OK9Dogs)
}

func (s *Server) apiShowDog(c *fiber.Ctx) error {
	_, dog, err := s.dogForm(c)
	if err != nil {
		return err
	}
	return c.JSON(dog)
}

// apiSaveDog adds a dog (POST) or replaces one of the organisation's (PUT).
func (s *Server) apiSaveDog(c *fiber.Ctx) error {
	_, dog, err := s.dogForm(c) // another organisation's dog is not found, whatever the body
	if err != nil {
		return err
	}
	var in input.OK9Dog
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	in.Apply(&dog)
	saved, err := s.deps.Store.SaveOK9Dog(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), dog)
	if err != nil {
		return err
	}
	return savedRecord(c, dog.ID == 0, saved)
}

func (s *Server) apiListHandlers(c *fiber.Ctx) error {
	return orgRecords(s, c, "handlers", s.deps.Store.OK9Handlers)
}

func (s *Server) apiShowHandler(c *fiber.Ctx) error {
	_, h, _, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	return c.JSON(h)
}

// apiSaveHandler adds a handler (POST) or replaces one (PUT); dog_ids are
// the organisation's dogs the handler works with.
func (s *Server) apiSaveHandler(c *fiber.Ctx) error {
	_, h, _, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	var in input.OK9Handler
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	in.Apply(&h)
	saved, err := s.deps.Store.SaveOK9Handler(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), h)
	if err != nil {
		return err
	}
	return savedRecord(c, h.ID == 0, saved)
}

// apiDeployment is a line of an organisation's deployment log.
type apiDeployment struct {
	store.OK9Deployment
	KindLabel string   `json:"kind_label"`
	DogNames  []string `json:"dog_names"`
}

// apiDeployments lists the organisation's log from ?from= to ?to=
// (inclusive; by default the last year and the month ahead): its own
// dogs' deployments and those it hosted through mutual aid.
func (s *Server) apiDeployments(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	from, to, err := input.DeploymentPeriod(c.Query("from"), c.Query("to"), now)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	deps, err := s.deps.Store.OK9Deployments(ctx, scopeOf(currentUser(c)), org.ID, from, to)
	if err != nil {
		return err
	}
	var dogIDs []int64
	for _, d := range deps {
		dogIDs = append(dogIDs, d.DogIDs...)
	}
	names, err := s.deps.Store.DogNames(ctx, dogIDs) // the ids come from this organisation's own log
	if err != nil {
		return err
	}
	out := []apiDeployment{}
	for _, d := range deps {
		row := apiDeployment{OK9Deployment: d, KindLabel: kindLabel(d.Kind), DogNames: []string{}}
		for _, id := range d.DogIDs {
			row.DogNames = append(row.DogNames, names[id])
		}
		out = append(out, row)
	}
	return c.JSON(fiber.Map{"organisation_id": org.ID, "from": dateValue(&from), "to": dateValue(&to), "deployments": out})
}

// apiLogDeployment logs a deployment of the organisation's own dogs. One
// that would break the welfare limits is refused with each breach, unless
// an owner sends override_reason.
func (s *Server) apiLogDeployment(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	var in input.OK9Deployment
	if err := input.DecodeValid(c.Body(), &in); err != nil {
		return err
	}
	d := store.OK9Deployment{OrganisationID: org.ID}
	in.Apply(&d)
	u := currentUser(c)
	saved, err := s.deps.Store.LogDeployment(c.UserContext(), s.actor(c), scopeOf(u), d, s.welfarePolicy())
	if err != nil {
		return welfareRefusal(c, err, actorOf(u).CanOverrideWelfare())
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}

// welfareRefusal answers a deployment the welfare limits refused with 422,
// every breach, and whether the caller could go ahead with a reason. Other
// errors pass through.
func welfareRefusal(c *fiber.Ctx, err error, mayOverride bool) error {
	if handled, err := gateRefusal(c, err); handled {
		return err
	}
	var we *store.WelfareError
	if !errors.As(err, &we) {
		return err
	}
	msg := "This deployment would break the OK9 welfare limits (" + strings.Join(we.Breaches, "; ") + "). "
	if mayOverride {
		msg += "Change it, or send override_reason to record why it must go ahead."
	} else {
		msg += "Choose another dog or a shorter time: only the organisation's owner can go beyond the limits, with a reason."
	}
	return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
		"error":        fiber.Map{"code": apperr.EINVALID, "message": msg, "request_id": RequestID(c)},
		"breaches":     we.Breaches,
		"may_override": mayOverride,
	})
}

// gateRefusal answers a refusal under the OK9 gates with each rule and
// its fix, and whether the caller may go ahead with gate_override_reason
// (for an offer of mutual aid, override_reason); handled is false for any
// other error.
func gateRefusal(c *fiber.Ctx, err error) (handled bool, _ error) {
	var ge *store.GateError
	if !errors.As(err, &ge) {
		return false, nil
	}
	return true, c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
		"error":        fiber.Map{"code": apperr.EINVALID, "message": ge.Error(), "request_id": RequestID(c)},
		"gates":        ge.Failures,
		"may_override": actorOf(currentUser(c)).CanOverrideGates(),
	})
}

func (s *Server) apiPeerSupportReturns(c *fiber.Ctx) error {
	return orgRecords(s, c, "returns", s.deps.Store.PeerSupportReturns)
}

func returnYear(c *fiber.Ctx) (int, error) {
	y, err := strconv.Atoi(c.Params("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.Errorf(apperr.EINVALID, "The year in the address must be a year like 2026, not %q", c.Params("year"))
	}
	return y, nil
}

func (s *Server) apiPeerSupportReturn(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year, err := returnYear(c)
	if err != nil {
		return err
	}
	returns, err := s.deps.Store.PeerSupportReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	for _, r := range returns {
		if r.Year == year {
			return c.JSON(r)
		}
	}
	return apperr.Errorf(apperr.ENOTFOUND, "There is no peer support return for %d.", year)
}

// apiSavePeerSupportReturn records or replaces the year's return. Every
// field is required, as on the form, so that nothing is presumed.
func (s *Server) apiSavePeerSupportReturn(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year, err := returnYear(c)
	if err != nil {
		return err
	}
	var in input.PeerSupportReturn
	if err := input.DecodeJSON(c.Body(), &in); err != nil {
		return err
	}
	in.Year = year
	if err := in.Validate().Err(); err != nil {
		return err
	}
	r := store.PeerSupportReturn{OrganisationID: org.ID}
	in.Apply(&r)
	saved, err := s.deps.Store.SavePeerSupportReturn(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

func (s *Server) apiTraumaReturns(c *fiber.Ctx) error {
	return orgRecords(s, c, "returns", s.deps.Store.TraumaReturns)
}

// apiSaveTraumaReturn records or replaces the quarter's TRiM and trauma
// support return named in the address (/trauma/2026/3).
func (s *Server) apiSaveTraumaReturn(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	var in input.TraumaReturn
	if err := input.DecodeJSON(c.Body(), &in); err != nil {
		return err
	}
	in.Year, _ = strconv.Atoi(c.Params("year"))
	in.Quarter, _ = strconv.Atoi(c.Params("quarter"))
	if err := in.Validate().Err(); err != nil {
		return err
	}
	r := store.TraumaReturn{OrganisationID: org.ID}
	in.Apply(&r)
	saved, err := s.deps.Store.SaveTraumaReturn(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

package server

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type ok9Page struct {
	Org         store.Organisation
	OrgQuery    string
	CanEdit     bool
	Form        map[string]string // the scheme form as typed
	Readiness   []ReadinessCheck
	Dogs        []store.OK9Dog
	Handlers    []handlerRow
	Deployments []deploymentRow
	Offers      []store.AidRequest // requests with an offer to this organisation waiting for an answer
	Policy      *frameworks.WelfarePolicy
}

type handlerRow struct {
	store.OK9Handler
	Dogs string
}

type deploymentRow struct {
	store.OK9Deployment
	Dogs, Handler, KindLabel, Partner string // Partner: who lent or hosted, for mutual aid
}

func kindLabel(kind string) string {
	for _, k := range store.DeploymentKinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return kind
}

func namesOf(ids []int64, names map[int64]string) string {
	var out []string
	for _, id := range ids {
		out = append(out, names[id])
	}
	return joinNames(out)
}

func schemeForm(sch store.OK9Scheme) map[string]string {
	return map[string]string{"spoc": sch.SPOC, "sla": dateValue(sch.SLASignedOn), "sop": dateValue(sch.SOPReviewedOn),
		"risk": dateValue(sch.RiskAssessmentReviewedOn), "insurance": dateValue(sch.InsuranceExpiresOn)}
}

func (s *Server) showOK9(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	sch, err := s.deps.Store.OK9Scheme(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	return s.renderOK9(c, org, schemeForm(sch), nil)
}

func (s *Server) renderOK9(c *fiber.Ctx, org store.Organisation, form map[string]string, errs []views.FieldError) error {
	ctx, u := c.UserContext(), currentUser(c)
	sc := scopeOf(u)
	sch, err := s.deps.Store.OK9Scheme(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	dogs, err := s.deps.Store.OK9Dogs(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	handlers, err := s.deps.Store.OK9Handlers(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	deps, err := s.deps.Store.OK9Deployments(ctx, sc, org.ID, now.AddDate(-1, 0, 0), now.AddDate(0, 1, 0))
	if err != nil {
		return err
	}
	requests, err := s.deps.Store.AidRequests(ctx, sc)
	if err != nil {
		return err
	}
	var dogIDs []int64
	for _, d := range deps {
		dogIDs = append(dogIDs, d.DogIDs...)
	}
	dogNames, err := s.deps.Store.DogNames(ctx, dogIDs)
	if err != nil {
		return err
	}
	orgs, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	page := ok9Page{Org: org, OrgQuery: orgQuery(c, org), CanEdit: actorOf(u).CanEditProvision(), Form: form, Dogs: dogs,
		Readiness: ok9Readiness(now, sch, dogs, handlers), Policy: s.welfarePolicy()}
	for _, d := range dogs { // dogs never deployed are not in dogNames
		dogNames[d.ID] = d.CallName
	}
	handlerNames := map[int64]string{}
	for _, h := range handlers {
		handlerNames[h.ID] = h.DisplayName
		page.Handlers = append(page.Handlers, handlerRow{h, namesOf(h.DogIDs, dogNames)})
	}
	for _, d := range deps {
		row := deploymentRow{OK9Deployment: d, Dogs: namesOf(d.DogIDs, dogNames), Handler: handlerNames[d.HandlerID], KindLabel: kindLabel(d.Kind)}
		switch {
		case d.OrganisationID != org.ID:
			row.Partner, row.Handler = "Lent by "+orgs[d.OrganisationID], "Lending organisation's handler"
		case d.HostOrganisationID != nil:
			row.Partner = "Lent to " + orgs[*d.HostOrganisationID]
		}
		page.Deployments = append(page.Deployments, row)
	}
	for _, r := range requests {
		for _, o := range r.Offers {
			if o.OrganisationID == org.ID && o.Status == store.OfferMade {
				page.Offers = append(page.Offers, r)
				break
			}
		}
	}
	return s.render(c, "ok9", views.Page{Title: "OK9 wellbeing dogs", Errors: errs, Flash: banner(c), Data: page})
}

// partnerNames names every organisation. Only for mutual aid, where the
// organisations lending and hosting dogs must know each other to arrange it.
func (s *Server) partnerNames(c *fiber.Ctx) (map[int64]string, error) {
	orgs, err := s.deps.Store.ListOrganisations(c.UserContext(), store.AllOrganisations())
	out := map[int64]string{}
	for _, o := range orgs {
		out[o.ID] = o.Name
	}
	return out, err
}

func (s *Server) saveOK9Scheme(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Scheme
	if f.Read(&in) {
		sch := store.OK9Scheme{OrganisationID: org.ID}
		in.Apply(&sch)
		_, err := s.deps.Store.SaveOK9Scheme(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), sch)
		if err = f.StoreError(err, "spoc"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/ok9", "scheme"), fiber.StatusSeeOther)
		}
	}
	return s.renderOK9(c, org, f.Values, f.Errs)
}

type dogPage struct {
	Org            store.Organisation
	ID             int64
	Form           map[string]string
	StatusOptions  []Option
	CanEdit        bool
	WelfareMinutes string
}

func (s *Server) dogForm(c *fiber.Ctx) (store.Organisation, store.OK9Dog, error) {
	org, err := s.orgInView(c)
	if err != nil || c.Params("dog") == "" {
		return org, store.OK9Dog{OrganisationID: org.ID}, err
	}
	id, _ := strconv.ParseInt(c.Params("dog"), 10, 64)
	dogs, err := s.deps.Store.OK9Dogs(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	for _, d := range dogs {
		if d.ID == id {
			return org, d, err
		}
	}
	if err == nil {
		err = notFoundErr("dog")
	}
	return org, store.OK9Dog{}, err
}

func (s *Server) showDog(c *fiber.Ctx) error {
	org, dog, err := s.dogForm(c)
	if err != nil {
		return err
	}
	form := map[string]string{"call_name": dog.CallName, "status": dog.Status, "assessed": dateValue(dog.AssessmentPassedOn), "welfare_check": dateValue(dog.NextWelfareCheckOn)}
	return s.renderDog(c, org, dog.ID, form, nil)
}

func (s *Server) renderDog(c *fiber.Ctx, org store.Organisation, id int64, form map[string]string, errs []views.FieldError) error {
	hints := map[string]string{store.DogTraining: "Not yet deployed", store.DogActive: "Deployed; must have passed the OK9 suitability assessment", store.DogRetired: "No longer works"}
	var opts []Option
	for _, st := range store.DogStatuses {
		opts = append(opts, Option{Value: st, Label: strings.ToUpper(st[:1]) + st[1:], Hint: hints[st], Selected: form["status"] == st})
	}
	title := "Add a dog"
	if id != 0 {
		title = "Change " + form["call_name"]
	}
	return s.render(c, "ok9_dog", views.Page{Title: title, Errors: errs, BackLink: "/provision/ok9",
		Data: dogPage{Org: org, ID: id, Form: form, StatusOptions: opts, CanEdit: actorOf(currentUser(c)).CanEditProvision()}})
}

func (s *Server) saveDog(c *fiber.Ctx) error {
	org, dog, err := s.dogForm(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Dog
	if f.Read(&in) {
		in.Apply(&dog)
		_, err := s.deps.Store.SaveOK9Dog(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), dog)
		if err = f.StoreError(err, "call_name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/ok9", "dog"), fiber.StatusSeeOther)
		}
	}
	return s.renderDog(c, org, dog.ID, f.Values, f.Errs)
}

type handlerPage struct {
	Org        store.Organisation
	ID         int64
	Form       map[string]string
	DogOptions []Option
}

func (s *Server) handlerForm(c *fiber.Ctx) (store.Organisation, store.OK9Handler, []store.OK9Dog, error) {
	org, err := s.orgInView(c)
	if err != nil {
		return org, store.OK9Handler{}, nil, err
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	dogs, err := s.deps.Store.OK9Dogs(ctx, sc, org.ID)
	if err != nil || c.Params("handler") == "" {
		return org, store.OK9Handler{OrganisationID: org.ID}, dogs, err
	}
	id, _ := strconv.ParseInt(c.Params("handler"), 10, 64)
	handlers, err := s.deps.Store.OK9Handlers(ctx, sc, org.ID)
	for _, h := range handlers {
		if h.ID == id {
			return org, h, dogs, err
		}
	}
	if err == nil {
		err = notFoundErr("handler")
	}
	return org, store.OK9Handler{}, nil, err
}

func (s *Server) showHandler(c *fiber.Ctx) error {
	org, h, dogs, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	form := map[string]string{"display_name": h.DisplayName, "peer_trained": dateValue(h.PeerSupporterTrainedOn), "mhfa_trained": dateValue(h.MHFATrainedOn)}
	for _, id := range h.DogIDs {
		form["dogs:"+itoa(id)] = "yes"
	}
	return s.renderHandler(c, org, h.ID, dogs, form, nil)
}

func dogOptions(dogs []store.OK9Dog, form map[string]string, activeOnly bool) []Option {
	var opts []Option
	for _, d := range dogs {
		if activeOnly && d.Status != store.DogActive {
			continue
		}
		opts = append(opts, Option{Value: itoa(d.ID), Label: d.CallName, Hint: strings.ToUpper(d.Status[:1]) + d.Status[1:], Selected: form["dogs:"+itoa(d.ID)] == "yes"})
	}
	return opts
}

func (s *Server) renderHandler(c *fiber.Ctx, org store.Organisation, id int64, dogs []store.OK9Dog, form map[string]string, errs []views.FieldError) error {
	title := "Add a handler"
	if id != 0 {
		title = "Change " + form["display_name"]
	}
	return s.render(c, "ok9_handler", views.Page{Title: title, Errors: errs, BackLink: "/provision/ok9",
		Data: handlerPage{Org: org, ID: id, Form: form, DogOptions: dogOptions(dogs, form, false)}})
}

func (s *Server) saveHandler(c *fiber.Ctx) error {
	org, h, dogs, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Handler
	if f.Read(&in) {
		in.Apply(&h)
		_, err := s.deps.Store.SaveOK9Handler(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), h)
		if err = f.StoreError(err, "display_name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/ok9", "handler"), fiber.StatusSeeOther)
		}
	}
	return s.renderHandler(c, org, h.ID, dogs, f.Values, f.Errs)
}

type deploymentPage struct {
	Org            store.Organisation
	Form           map[string]string
	DogOptions     []Option
	HandlerOptions []Option
	KindOptions    []Option
	Breaches       []string // welfare limits the last attempt would break
	MayOverride    bool
	Policy         *frameworks.WelfarePolicy
	PolicyDay      string
	PolicyWeek     string
	NoActiveDogs   bool
	NoHandlers     bool
}

func (s *Server) newDeployment(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	form := map[string]string{"deployed_on": frameworks.Day(s.deps.Store.Now()).Format("2006-01-02")}
	return s.renderDeployment(c, org, form, nil, nil)
}

func (s *Server) renderDeployment(c *fiber.Ctx, org store.Organisation, form map[string]string, breaches []string, errs []views.FieldError) error {
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	dogs, err := s.deps.Store.OK9Dogs(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	handlers, err := s.deps.Store.OK9Handlers(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	p := s.welfarePolicy()
	page := deploymentPage{Org: org, Form: form, DogOptions: dogOptions(dogs, form, true), Breaches: breaches,
		MayOverride: actorOf(currentUser(c)).CanOverrideWelfare(), Policy: p, PolicyDay: frameworks.Duration(p.MaxMinutesPerDay), PolicyWeek: frameworks.Duration(p.MaxMinutesPerWeek)}
	page.HandlerOptions = append(page.HandlerOptions, Option{Value: "", Label: "Choose a handler"})
	for _, h := range handlers {
		page.HandlerOptions = append(page.HandlerOptions, Option{Value: itoa(h.ID), Label: h.DisplayName, Selected: form["handler"] == itoa(h.ID)})
	}
	for _, k := range store.DeploymentKinds {
		if k.Value != "mutual_aid" { // mutual aid is logged when an offer is accepted
			page.KindOptions = append(page.KindOptions, Option{Value: k.Value, Label: k.Label, Selected: form["kind"] == k.Value})
		}
	}
	page.NoActiveDogs, page.NoHandlers = len(page.DogOptions) == 0, len(handlers) == 0
	return s.render(c, "ok9_deployment", views.Page{Title: "Log a deployment", Errors: errs, BackLink: "/provision/ok9", Data: page})
}

func (s *Server) logDeployment(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Deployment
	var breaches []string
	if f.Read(&in) {
		d := store.OK9Deployment{OrganisationID: org.ID}
		in.Apply(&d)
		u := currentUser(c)
		_, err := s.deps.Store.LogDeployment(c.UserContext(), s.actor(c), scopeOf(u), d, s.welfarePolicy())
		var we *store.WelfareError
		switch {
		case errors.As(err, &we):
			breaches = we.Breaches
			field := "dogs"
			if actorOf(u).CanOverrideWelfare() {
				field = "override_reason"
			}
			f.Fail(field, welfareMessage(actorOf(u).CanOverrideWelfare(), d.OverrideReason != ""))
		case err != nil:
			if err = f.StoreError(err, "dogs"); err != nil {
				return err
			}
		default:
			return c.Redirect(doneURL("/provision/ok9", "deployment"), fiber.StatusSeeOther)
		}
	}
	return s.renderDeployment(c, org, f.Values, breaches, f.Errs)
}

func welfareMessage(mayOverride, gaveReason bool) string {
	switch {
	case !mayOverride:
		return "This deployment would break the welfare limits. Choose another dog or a shorter time, or ask your organisation's owner"
	case !gaveReason:
		return "This deployment would break the welfare limits. Change it, or give the reason it must go ahead"
	}
	return "This deployment would break the welfare limits"
}

func notFoundErr(what string) error {
	return apperr.Errorf(apperr.ENOTFOUND, "There is no such %s.", what)
}

package server

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
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
	Scheme      store.OK9Scheme   // as saved, for people who may not change it
	Readiness   []ReadinessCheck
	Dogs        []store.OK9Dog
	Handlers    []handlerRow
	Deployments []deploymentRow
	Offers      []store.AidRequest // requests with an offer to this organisation waiting for an answer
	Policy      *frameworks.WelfarePolicy
	IsSPOC      bool // the person is this organisation's OK9 single point of contact
	// PolicyNotice says the limits are the toolkit's defaults, when they are.
	PolicyNotice string
}

type handlerRow struct {
	store.OK9Handler
	Dogs      string
	CanDeploy bool   // passes the deployment gates today
	Gates     string // what stops the handler being deployed
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
		"risk": dateValue(sch.RiskAssessmentReviewedOn), "insurance": dateValue(sch.InsuranceExpiresOn),
		"spoc_email": sch.SPOCEmail, "welfare_scheme": sch.WelfareScheme, "welfare_expires": dateValue(sch.WelfareSchemeExpiresOn)}
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
	sch, dogs, handlers, err := s.ok9Records(ctx, sc, org.ID)
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
	spoc, err := s.deps.Store.IsOK9SPOC(ctx, actorOf(u))
	if err != nil {
		return err
	}
	page := ok9Page{Org: org, OrgQuery: orgQuery(c, org), CanEdit: actorOf(u).CanEditProvision(), Form: form, Dogs: dogs, Scheme: sch,
		Readiness: ok9Readiness(now, s.welfarePolicy(), sch, dogs, handlers), Policy: s.welfarePolicy(),
		IsSPOC:       spoc && u.OrganisationID != nil && *u.OrganisationID == org.ID,
		PolicyNotice: s.deps.Frameworks.CurrentWelfarePolicy().ContentNotice()}
	dogByID := map[int64]store.OK9Dog{}
	for _, d := range dogs {
		dogByID[d.ID] = d
	}
	for _, d := range dogs { // dogs never deployed are not in dogNames
		dogNames[d.ID] = d.CallName
	}
	handlerNames := map[int64]string{}
	for _, h := range handlers {
		handlerNames[h.ID] = h.DisplayName
		row := handlerRow{OK9Handler: h, Dogs: namesOf(h.DogIDs, dogNames)}
		dog := store.OK9Dog{CallName: "their dog", AssessmentPassedOn: &now}
		if len(h.DogIDs) > 0 {
			if d, ok := dogByID[h.DogIDs[0]]; ok {
				dog = d
			}
		}
		var fixes []string
		for _, f := range store.HandlerGates(s.welfarePolicy(), now, h, dog) {
			fixes = append(fixes, f.Fix)
		}
		row.CanDeploy, row.Gates = len(fixes) == 0, strings.Join(fixes, ". ")
		page.Handlers = append(page.Handlers, row)
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
	return s.render(c, "ok9", views.Page{Title: "OK9 wellbeing dogs: " + org.Name, Errors: errs, Flash: banner(c), Data: page})
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
	valid := f.Read(&in)
	if heldBack(c) {
		return s.renderOK9(c, org, f.Values, nil)
	}
	if valid {
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
	Dog            store.OK9Dog // as saved, for people who may not change it
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
	return s.renderDog(c, org, dog, form, nil)
}

func (s *Server) renderDog(c *fiber.Ctx, org store.Organisation, dog store.OK9Dog, form map[string]string, errs []views.FieldError) error {
	id, canEdit := dog.ID, actorOf(currentUser(c)).CanEditProvision()
	hints := map[string]string{store.DogTraining: "Not yet deployed", store.DogActive: "Deployed; must have passed the OK9 suitability assessment", store.DogRetired: "No longer works"}
	var opts []Option
	for _, st := range store.DogStatuses {
		opts = append(opts, Option{Value: st, Label: strings.ToUpper(st[:1]) + st[1:], Hint: hints[st], Selected: form["status"] == st})
	}
	title := "Add a dog"
	switch {
	case !canEdit:
		title = "Dog: " + dog.CallName // people who may not change the dog see it, not a form
	case id != 0:
		title = "Change " + dog.CallName
	}
	return s.render(c, "ok9_dog", views.Page{Title: title, Errors: errs, BackLink: "/provision/ok9" + orgQuery(c, org),
		Data: dogPage{Org: org, ID: id, Dog: dog, Form: form, StatusOptions: opts, CanEdit: canEdit}})
}

func (s *Server) saveDog(c *fiber.Ctx) error {
	org, dog, err := s.dogForm(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Dog
	valid := f.Read(&in)
	if heldBack(c) {
		return s.renderDog(c, org, dog, f.Values, nil)
	}
	if valid {
		in.Apply(&dog)
		_, err := s.deps.Store.SaveOK9Dog(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), dog)
		if err = f.StoreError(err, "call_name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/ok9", "dog"), fiber.StatusSeeOther)
		}
	}
	return s.renderDog(c, org, dog, f.Values, f.Errs)
}

type handlerPage struct {
	Org            store.Organisation
	ID             int64
	Handler        store.OK9Handler // as saved, for people who may not change it
	Dogs           string
	CanEdit        bool
	Form           map[string]string
	DogOptions     []Option
	StatusOptions  []Option
	OutcomeOptions []Option
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
	form := map[string]string{"display_name": h.DisplayName, "peer_trained": dateValue(h.PeerSupporterTrainedOn), "mhfa_trained": dateValue(h.MHFATrainedOn),
		"refresher_trained": dateValue(h.RefresherTrainedOn), "status": h.Status, "suitability_on": dateValue(h.SuitabilityAssessedOn),
		"suitability_outcome": h.SuitabilityOutcome, "supervisor_on": dateValue(h.SupervisorAgreedOn), "protected_hours": itoa(int64(h.ProtectedHoursMonth))}
	if h.ID == 0 {
		form["status"], form["protected_hours"] = store.HandlerActive, ""
	}
	for _, id := range h.DogIDs {
		form["dogs:"+itoa(id)] = "yes"
	}
	return s.renderHandler(c, org, h, dogs, form, nil)
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

func (s *Server) renderHandler(c *fiber.Ctx, org store.Organisation, h store.OK9Handler, dogs []store.OK9Dog, form map[string]string, errs []views.FieldError) error {
	canEdit := actorOf(currentUser(c)).CanEditProvision()
	title := "Add a handler"
	switch {
	case !canEdit:
		title = "Handler: " + h.DisplayName // people who may not change the handler see the record, not a form
	case h.ID != 0:
		title = "Change " + h.DisplayName
	}
	names := map[int64]string{}
	for _, d := range dogs {
		names[d.ID] = d.CallName
	}
	page := handlerPage{Org: org, ID: h.ID, Handler: h, Dogs: namesOf(h.DogIDs, names), CanEdit: canEdit, Form: form, DogOptions: dogOptions(dogs, form, false)}
	for _, st := range []Option{{Value: store.HandlerActive, Label: "Active", Hint: "Can be deployed if trained and assessed"}, {Value: store.HandlerInactive, Label: "Inactive", Hint: "On leave, moved role or stepped down"}} {
		st.Selected = form["status"] == st.Value
		page.StatusOptions = append(page.StatusOptions, st)
	}
	for _, o := range []Option{{Value: "", Label: "Not yet assessed"}, {Value: store.SuitabilityPassed, Label: "Passed"}, {Value: store.SuitabilityNotPassed, Label: "Not passed"}} {
		o.Selected = form["suitability_outcome"] == o.Value
		page.OutcomeOptions = append(page.OutcomeOptions, o)
	}
	return s.render(c, "ok9_handler", views.Page{Title: title, Errors: errs, BackLink: "/provision/ok9" + orgQuery(c, org), Data: page})
}

func (s *Server) saveHandler(c *fiber.Ctx) error {
	org, h, dogs, err := s.handlerForm(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Handler
	valid := f.Read(&in)
	if heldBack(c) {
		return s.renderHandler(c, org, h, dogs, f.Values, nil)
	}
	if valid {
		in.Apply(&h)
		_, err := s.deps.Store.SaveOK9Handler(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), h)
		if err = f.StoreError(err, "display_name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/ok9", "handler"), fiber.StatusSeeOther)
		}
	}
	return s.renderHandler(c, org, h, dogs, f.Values, f.Errs)
}

type deploymentPage struct {
	Org              store.Organisation
	Form             map[string]string
	DogOptions       []Option
	HandlerOptions   []Option
	KindOptions      []Option
	Breaches         []string // welfare limits the last attempt would break
	MayOverride      bool
	Gates            []store.GateFailure // deployment gates the last attempt failed
	MayOverrideGates bool
	OrgQuery         string
	Policy           *frameworks.WelfarePolicy
	PolicyDay        string
	PolicyWeek       string
	NoActiveDogs     bool
	NoHandlers       bool
}

func (s *Server) newDeployment(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	form := map[string]string{"deployed_on": frameworks.Day(s.deps.Store.Now()).Format("2006-01-02")}
	return s.renderDeployment(c, org, form, nil, nil, nil)
}

func (s *Server) renderDeployment(c *fiber.Ctx, org store.Organisation, form map[string]string, breaches []string, gates []store.GateFailure, errs []views.FieldError) error {
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
		MayOverride: actorOf(currentUser(c)).CanOverrideWelfare(), Policy: p, PolicyDay: frameworks.Duration(p.MaxMinutesPerDay), PolicyWeek: frameworks.Duration(p.MaxMinutesPerWeek),
		Gates: gates, MayOverrideGates: actorOf(currentUser(c)).CanOverrideGates(), OrgQuery: orgQuery(c, org)}
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
	return s.render(c, "ok9_deployment", views.Page{Title: "Log a deployment: " + org.Name, Errors: errs, BackLink: "/provision/ok9" + orgQuery(c, org), Data: page})
}

func (s *Server) logDeployment(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.OK9Deployment
	var breaches []string
	var gates []store.GateFailure
	if f.Read(&in) {
		d := store.OK9Deployment{OrganisationID: org.ID}
		in.Apply(&d)
		u := currentUser(c)
		_, err := s.deps.Store.LogDeployment(c.UserContext(), s.actor(c), scopeOf(u), d, s.welfarePolicy())
		var we *store.WelfareError
		var ge *store.GateError
		switch {
		case errors.As(err, &ge):
			gates = ge.Failures
			field := "handler"
			if actorOf(u).CanOverrideGates() {
				field = "gate_override_reason"
			}
			for _, g := range ge.Failures {
				f.Fail(field, g.Rule+". "+g.Fix)
			}
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
			return c.Redirect(doneURL("/provision/ok9"+orgQuery(c, org), "deployment"), fiber.StatusSeeOther)
		}
	}
	return s.renderDeployment(c, org, f.Values, breaches, gates, f.Errs)
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

// ok9RegisterPage is the national OK9 register for national admins.
type ok9RegisterPage struct {
	National bool // read by the national team, who can open each scheme's page
	Year     int
	WarnDays int
	Schemes  []store.RegisterRow
	Expiring []store.RegisterRow // schemes with standing lapsing soon
	NoScheme []regionGap
	Tiles    []regionTile // NoScheme's regions laid out roughly as a map
	OffMap   []regionTile // regions with no place on the map (UK-wide bodies)
	Totals   ok9RegisterTotals
	Summary  string // the opening sentence, its counts and plurals in words
}

type regionGap struct {
	Region string
	Names  []string
}

// regionTile is one region on the tile map of organisations without an
// OK9 scheme: its place (row and column, 1-based; 0 when it has none), and
// a shade from how many of its organisations are without one. The words
// always say the counts, so the shade is never the only signal.
type regionTile struct {
	Region         string
	Row, Col       int
	Without, Total int
}

// Shade is "none" when every organisation in the region has a scheme,
// "most" when at least half have none, else "some".
func (t regionTile) Shade() string {
	switch {
	case t.Without == 0:
		return "none"
	case 2*t.Without >= t.Total:
		return "most"
	}
	return "some"
}

// tilePlaces puts each region of the demo's sectors, police regions and
// English regions alike, roughly where it lies: Scotland at the top, the
// south coast at the bottom, Wales and Northern Ireland to the west.
var tilePlaces = map[string][2]int{
	"Scotland": {1, 2}, "Northern Ireland": {2, 1}, "North East": {2, 3},
	"North West": {3, 2}, "Yorkshire and the Humber": {3, 3}, "Eastern": {3, 4},
	"Wales": {4, 1}, "West Midlands": {4, 2}, "East Midlands": {4, 3}, "East of England": {4, 4},
	"South West": {5, 2}, "South East": {5, 3}, "London": {5, 4},
}

type ok9RegisterTotals struct {
	Schemes, InStanding, ActiveDogs, HandlersReady, Deployments, MutualAid int
}

// ok9RegisterOf sorts the register for the page: organisations with a scheme,
// those whose standing lapses soon, and those without one by region.
func ok9RegisterOf(rows []store.RegisterRow) ok9RegisterPage {
	var p ok9RegisterPage
	gaps := map[string][]string{}
	tiles := map[string]*regionTile{}
	for _, r := range rows {
		region := r.Organisation.Region
		if region == "" {
			region = r.Organisation.Nation
		}
		if tiles[region] == nil {
			place := tilePlaces[region]
			tiles[region] = &regionTile{Region: region, Row: place[0], Col: place[1]}
		}
		tiles[region].Total++
		if !r.HasScheme {
			tiles[region].Without++
			gaps[region] = append(gaps[region], r.Organisation.Name)
			continue
		}
		p.Schemes = append(p.Schemes, r)
		if len(r.Expiring) > 0 {
			p.Expiring = append(p.Expiring, r)
		}
		p.Totals.Schemes++
		if r.InStanding {
			p.Totals.InStanding++
		}
		p.Totals.ActiveDogs += r.ActiveDogs
		p.Totals.HandlersReady += r.HandlersReady
		p.Totals.Deployments += r.Deployments
		p.Totals.MutualAid += r.MutualAidLent
	}
	for region, names := range gaps {
		p.NoScheme = append(p.NoScheme, regionGap{region, names})
	}
	slices.SortFunc(p.NoScheme, func(a, b regionGap) int { return strings.Compare(a.Region, b.Region) })
	for _, t := range tiles {
		if t.Row == 0 {
			p.OffMap = append(p.OffMap, *t)
		} else {
			p.Tiles = append(p.Tiles, *t)
		}
	}
	// Reading order follows the map: top to bottom, then west to east.
	slices.SortFunc(p.Tiles, func(a, b regionTile) int { return cmp.Or(a.Row-b.Row, a.Col-b.Col) })
	slices.SortFunc(p.OffMap, func(a, b regionTile) int { return strings.Compare(a.Region, b.Region) })
	return p
}

func (s *Server) showOK9Register(c *fiber.Ctx) error {
	now := s.deps.Store.Now()
	rows, err := s.deps.Store.OK9Register(c.UserContext(), s.actor(c), s.welfarePolicy(), now)
	if err != nil {
		return err
	}
	page := ok9RegisterOf(rows)
	page.National = currentUser(c).Role == store.RoleNationalAdmin
	page.Year, page.WarnDays = now.Year(), s.welfarePolicy().Standing.ExpiryWarningDays
	t := page.Totals
	page.Summary = figure.Count(float64(t.Schemes), "organisation runs", "organisations run") + " an OK9 scheme; " +
		strconv.Itoa(t.InStanding) + " of them " + figure.Noun(float64(t.InStanding), "is", "are") + " in good standing for mutual aid. " +
		figure.Count(float64(t.ActiveDogs), "active dog", "active dogs") + ", " +
		figure.Count(float64(t.HandlersReady), "handler", "handlers") + " who can be deployed, " +
		figure.Count(float64(t.Deployments), "deployment", "deployments") + " and " +
		figure.Count(float64(t.MutualAid), "mutual-aid loan", "mutual-aid loans") + " in " + strconv.Itoa(page.Year) + "."
	return s.render(c, "ok9_register", views.Page{Title: "National OK9 register", Data: page})
}

// apiOK9Register is the national OK9 register, for national admins and
// organisations' OK9 single points of contact (the store decides).
func (s *Server) apiOK9Register(c *fiber.Ctx) error {
	now := s.deps.Store.Now()
	rows, err := s.deps.Store.OK9Register(c.UserContext(), s.actor(c), s.welfarePolicy(), now)
	if err != nil {
		return err
	}
	for i := range rows { // lists, never null
		if rows[i].Failures == nil {
			rows[i].Failures = []store.GateFailure{}
		}
		if rows[i].Expiring == nil {
			rows[i].Expiring = []store.StandingLapse{}
		}
	}
	if rows == nil {
		rows = []store.RegisterRow{}
	}
	return c.JSON(fiber.Map{"year": now.Year(), "expiry_warning_days": s.welfarePolicy().Standing.ExpiryWarningDays, "organisations": rows})
}

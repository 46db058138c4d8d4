package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type peerSupportPage struct {
	Org         store.Organisation
	CanEdit     bool
	Form        map[string]string
	Returns     []store.PeerSupportReturn
	YesNo       map[string][]Option // radios per yes/no question
	YearOptions []Option
}

func returnForm(r store.PeerSupportReturn) map[string]string {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return map[string]string{
		"year": strconv.Itoa(r.Year), "coordinator": yn(r.CoordinatorInPost), "coordinator_full_time": yn(r.CoordinatorFullTime),
		"oh_clinician": yn(r.OHClinicianTrained), "estip_lead": yn(r.ESTIPLead), "supervision": yn(r.SupervisionInPlace),
		"confidentiality": yn(r.ConfidentialityInPlace), "supporters": strconv.Itoa(r.PeerSupporters), "champions": strconv.Itoa(r.PeerChampions),
		"coordinators": strconv.Itoa(r.PeerCoordinators), "trainers": strconv.Itoa(r.TrainedTrainers), "demob": strconv.Itoa(r.DemobDefusingTrained),
		"trim": strconv.Itoa(r.TRiMPractitioners), "contacts": strconv.Itoa(r.Contacts),
	}
}

func (s *Server) showPeerSupport(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year := c.QueryInt("year", s.deps.Store.Now().Year())
	returns, err := s.deps.Store.PeerSupportReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	form := map[string]string{"year": strconv.Itoa(year)} // a new return: nothing presumed
	for _, x := range returns {
		if x.Year == year {
			form = returnForm(x)
		}
	}
	return s.renderPeerSupport(c, org, returns, form, nil)
}

func (s *Server) renderPeerSupport(c *fiber.Ctx, org store.Organisation, returns []store.PeerSupportReturn, form map[string]string, errs []views.FieldError) error {
	page := peerSupportPage{Org: org, CanEdit: actorOf(currentUser(c)).CanEditProvision(), Form: form, Returns: returns, YesNo: map[string][]Option{}}
	for _, name := range input.YesNoFields(input.PeerSupportReturn{}) {
		page.YesNo[name] = []Option{{Value: "yes", Label: "Yes", Selected: form[name] == "yes"}, {Value: "no", Label: "No", Selected: form[name] == "no"}}
	}
	this := s.deps.Store.Now().Year()
	for y := this; y >= this-4; y-- {
		page.YearOptions = append(page.YearOptions, Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: form["year"] == strconv.Itoa(y)})
	}
	return s.render(c, "peer_support", views.Page{Title: "Peer support return", Errors: errs, Flash: banner(c), BackLink: "/provision", Data: page})
}

func (s *Server) savePeerSupport(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.PeerSupportReturn
	if f.Read(&in) {
		r := store.PeerSupportReturn{OrganisationID: org.ID}
		in.Apply(&r)
		_, err := s.deps.Store.SavePeerSupportReturn(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
		if err = f.StoreError(err, "coordinator_full_time"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/peer-support?year="+strconv.Itoa(r.Year), "return"), fiber.StatusSeeOther)
		}
	}
	returns, err := s.deps.Store.PeerSupportReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	return s.renderPeerSupport(c, org, returns, f.Values, f.Errs)
}

type vansPage struct {
	Org     store.Organisation
	CanEdit bool
	Year    int
	Form    map[string]string
	Visits  []store.VanVisit
	Totals  store.VanVisit
}

func (s *Server) showVans(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	return s.renderVans(c, org, map[string]string{}, nil)
}

func (s *Server) renderVans(c *fiber.Ctx, org store.Organisation, form map[string]string, errs []views.FieldError) error {
	year := c.QueryInt("year", s.deps.Store.Now().Year())
	visits, err := s.deps.Store.VanVisits(c.UserContext(), scopeOf(currentUser(c)), org.ID, year)
	if err != nil {
		return err
	}
	page := vansPage{Org: org, CanEdit: actorOf(currentUser(c)).CanEditProvision(), Year: year, Form: form, Visits: visits}
	for _, v := range visits {
		page.Totals.HealthChecks += v.HealthChecks
		page.Totals.FatigueAssessments += v.FatigueAssessments
		page.Totals.Referrals += v.Referrals
	}
	return s.render(c, "vans", views.Page{Title: "Wellbeing van visits", Errors: errs, Flash: banner(c), BackLink: "/provision", Data: page})
}

func (s *Server) addVanVisit(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.VanVisit
	if f.Read(&in) {
		v := store.VanVisit{OrganisationID: org.ID}
		in.Apply(&v)
		_, err := s.deps.Store.AddVanVisit(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), v)
		if err = f.StoreError(err, "location"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/vans?year="+strconv.Itoa(v.VisitedOn.Year()), "visit"), fiber.StatusSeeOther)
		}
	}
	return s.renderVans(c, org, f.Values, f.Errs)
}

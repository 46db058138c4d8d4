package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// The NPWS wellbeing van fleet: an organisation asks for a van and sees
// its requests and visits (/provision/vans); the national team keeps the
// fleet, books vans without double-booking and records what each visit
// delivered (/national/vans).

// vanRow is a request as a page shows it.
type vanRow struct {
	store.VanRequest
	Organisation string
	KindLabel    string
	Van          string // the van's name, or "" before one is booked
	Dates        string // "on 3 June 2026" or "from ... to ..."
	Delivered    string // what a delivered visit brought, each noun counted
}

// vanRows words requests for a page.
func (s *Server) vanRows(c *fiber.Ctx, rs []store.VanRequest) ([]vanRow, []store.Van, error) {
	fleet, err := s.deps.Store.Vans(c.UserContext())
	if err != nil {
		return nil, nil, err
	}
	vans := map[int64]string{}
	for _, v := range fleet {
		vans[v.ID] = v.Name
	}
	names, err := s.partnerNames(c)
	if err != nil {
		return nil, nil, err
	}
	out := make([]vanRow, 0, len(rs))
	for _, r := range rs {
		row := vanRow{VanRequest: r, Organisation: names[r.OrganisationID], KindLabel: store.VanKindLabel(r.Kind), Dates: store.DayRange(r.StartsOn, r.EndsOn),
			Delivered: visitWords(r.HealthChecks, r.FatigueAssessments, r.TraumaSupport, r.WellbeingAdvice, r.Referrals)}
		if r.VanID != nil {
			row.Van = vans[*r.VanID]
		}
		out = append(out, row)
	}
	return out, fleet, nil
}

type vansPage struct {
	Org      store.Organisation
	CanEdit  bool
	Year     int
	Form     map[string]string
	Requests []vanRow
	Totals   store.VanTotals
	Kinds    []Option
	ForOrg   int64 // the organisation a national admin is looking at, kept from year to year
	// Delivered is the year's totals in a sentence, each noun counted.
	Delivered string
}

// deliveredWords says a year's van totals in words: "1 visit delivered
// in 2026: 60 physical health checks, ...".
func deliveredWords(t store.VanTotals, year int) string {
	return figure.Count(float64(t.Visits), "visit", "visits") + " delivered in " + strconv.Itoa(year) + ": " +
		visitWords(t.HealthChecks, t.FatigueAssessments, t.TraumaSupport, t.WellbeingAdvice, t.Referrals) + "."
}

// visitWords says what one visit, or a year of them, delivered, each noun
// counted: "38 physical health checks, ... and 1 referral".
func visitWords(health, fatigue, trauma, advice, referrals int) string {
	n := func(v int, one, many string) string { return figure.Count(float64(v), one, many) }
	return n(health, "physical health check", "physical health checks") + ", " +
		n(fatigue, "fatigue assessment", "fatigue assessments") + ", " +
		n(trauma, "trauma support conversation", "trauma support conversations") + ", " +
		n(advice, "wellbeing advice conversation", "wellbeing advice conversations") + " and " +
		n(referrals, "referral", "referrals")
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
	list, err := s.deps.Store.VanRequests(c.UserContext(), scopeOf(currentUser(c)), org.ID, year)
	if err != nil {
		return err
	}
	rows, _, err := s.vanRows(c, list)
	if err != nil {
		return err
	}
	if form["kind"] == "" {
		form["kind"] = "major_event"
	}
	page := vansPage{Org: org, CanEdit: actorOf(currentUser(c)).CanRequestVan(), Year: year, Form: form, Requests: rows,
		Totals: store.TotalVans(list)}
	page.Delivered = deliveredWords(page.Totals, year)
	if orgQuery(c, org) != "" {
		page.ForOrg = org.ID
	}
	for _, k := range store.VanKinds {
		page.Kinds = append(page.Kinds, Option{Value: k.Key, Label: k.Label, Selected: form["kind"] == k.Key})
	}
	return s.render(c, "vans", views.Page{Title: "Wellbeing vans " + strconv.Itoa(year) + ": " + org.Name, Errors: errs, Flash: banner(c), BackLink: "/provision", Data: page})
}

// requestVan records the organisation's request for a van.
func (s *Server) requestVan(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.VanRequest
	if f.Read(&in) {
		r := store.VanRequest{OrganisationID: org.ID}
		in.Apply(&r)
		_, err := s.deps.Store.RequestVan(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
		if err = f.StoreError(err, "place"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/vans?year="+strconv.Itoa(r.StartsOn.Year()), "van-requested"), fiber.StatusSeeOther)
		}
	}
	return s.renderVans(c, org, f.Values, f.Errs)
}

// withdrawVan withdraws a request not yet scheduled.
func (s *Server) withdrawVan(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(c.Params("request"), 10, 64)
	r, err := s.deps.Store.WithdrawVanRequest(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), id)
	if err != nil {
		f := readForm(c)
		if err = f.StoreError(err, "requests"); err != nil { // the summary links to the table
			return err
		}
		return s.renderVans(c, org, map[string]string{}, f.Errs)
	}
	return c.Redirect(doneURL("/provision/vans?year="+strconv.Itoa(r.StartsOn.Year()), "van-withdrawn"), fiber.StatusSeeOther)
}

// fleetRow is one van's bookings in the year, for the calendar table.
type fleetRow struct {
	Van      store.Van
	Bookings []vanRow
}

type fleetPage struct {
	Year     int
	Fleet    []fleetRow
	Waiting  []vanRow // requested, not yet booked
	Others   []vanRow // withdrawn and declined
	Totals   store.VanTotals
	Form     map[string]string
	Requests int
	Service  []Option
}

func (s *Server) showFleet(c *fiber.Ctx) error {
	return s.renderFleet(c, map[string]string{}, nil)
}

func (s *Server) renderFleet(c *fiber.Ctx, form map[string]string, errs []views.FieldError) error {
	year := c.QueryInt("year", s.deps.Store.Now().Year())
	list, err := s.deps.Store.FleetRequests(c.UserContext(), s.actor(c), year)
	if err != nil {
		return err
	}
	rows, fleet, err := s.vanRows(c, list)
	if err != nil {
		return err
	}
	page := fleetPage{Year: year, Totals: store.TotalVans(list), Form: form, Requests: len(list),
		Service: []Option{{Value: "yes", Label: "Yes", Selected: form["in_service"] != "no"}, {Value: "no", Label: "No, out of service", Selected: form["in_service"] == "no"}}}
	byVan := map[int64]int{}
	for _, v := range fleet {
		byVan[v.ID] = len(page.Fleet)
		page.Fleet = append(page.Fleet, fleetRow{Van: v})
	}
	for _, r := range rows {
		switch {
		case r.State == store.VanRequested:
			page.Waiting = append(page.Waiting, r)
		case r.VanID != nil:
			i := byVan[*r.VanID]
			page.Fleet[i].Bookings = append(page.Fleet[i].Bookings, r)
		default:
			page.Others = append(page.Others, r)
		}
	}
	return s.render(c, "vans_fleet", views.Page{Title: "Wellbeing van fleet", Errors: errs, Flash: banner(c), BackLink: "/national", Data: page})
}

// addVan adds a van to the fleet.
func (s *Server) addVan(c *fiber.Ctx) error {
	f := readForm(c)
	var in input.Van
	if f.Read(&in) {
		_, err := s.deps.Store.SaveVan(c.UserContext(), s.actor(c), in.Record())
		if err = f.StoreError(err, "name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/national/vans", "van-added"), fiber.StatusSeeOther)
		}
	}
	return s.renderFleet(c, f.Values, f.Errs)
}

// changeVan changes a van of the fleet: its name, registration, or
// whether it is in service.
func (s *Server) changeVan(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("van"), 10, 64)
	f := readForm(c)
	var in input.Van
	if f.Read(&in) {
		v := in.Record()
		v.ID = id
		_, err := s.deps.Store.SaveVan(c.UserContext(), s.actor(c), v)
		if err = f.StoreError(err, "name"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/national/vans", "van-changed"), fiber.StatusSeeOther)
		}
	}
	return s.renderFleet(c, map[string]string{}, f.Errs)
}

type vanRequestPage struct {
	Request vanRow
	Vans    []Option // vans in service
	Form    map[string]string
	Started bool // the visit has begun, so what it delivered can be recorded
}

func vanRequestParam(c *fiber.Ctx) int64 {
	id, _ := strconv.ParseInt(c.Params("request"), 10, 64)
	return id
}

func (s *Server) showFleetRequest(c *fiber.Ctx) error {
	return s.renderFleetRequest(c, map[string]string{}, nil)
}

func (s *Server) renderFleetRequest(c *fiber.Ctx, form map[string]string, errs []views.FieldError) error {
	r, err := s.deps.Store.VanRequest(c.UserContext(), store.AllOrganisations(), vanRequestParam(c))
	if err != nil {
		return err
	}
	rows, fleet, err := s.vanRows(c, []store.VanRequest{r})
	if err != nil {
		return err
	}
	if r.State == store.VanDelivered && form["health_checks"] == "" && len(errs) == 0 {
		for k, v := range map[string]int{"health_checks": r.HealthChecks, "fatigue": r.FatigueAssessments, "trauma": r.TraumaSupport, "advice": r.WellbeingAdvice, "referrals": r.Referrals} {
			form[k] = strconv.Itoa(v)
		}
		form["partners"] = r.Partners
	}
	page := vanRequestPage{Request: rows[0], Form: form, Started: !r.StartsOn.After(s.deps.Store.Now())}
	page.Vans = []Option{{Value: "", Label: "Choose a van"}}
	for _, v := range fleet {
		if v.InService {
			chosen := form["van"] == itoa(v.ID) || (form["van"] == "" && r.VanID != nil && *r.VanID == v.ID)
			page.Vans = append(page.Vans, Option{Value: itoa(v.ID), Label: v.Name + " (" + v.Registration + ")", Selected: chosen})
		}
	}
	title := "Van request " + itoa(r.ID)
	return s.render(c, "vans_request", views.Page{Title: title, Errors: errs, Flash: banner(c), BackLink: "/national/vans?year=" + strconv.Itoa(r.StartsOn.Year()), Data: page})
}

// fleetStep runs one national step on a request from its form: read
// the input, make the change, and show the request again with any
// problem, or go back to it with a banner.
func fleetStep[T any, P interface {
	*T
	input.Input
}](s *Server, c *fiber.Ctx, field, done string, change func(in T, id int64) (store.VanRequest, error)) error {
	f := readForm(c)
	var in T
	if f.Read(P(&in)) {
		_, err := change(in, vanRequestParam(c))
		if err = f.StoreError(err, field); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/national/vans/requests/"+itoa(vanRequestParam(c)), done), fiber.StatusSeeOther)
		}
	}
	return s.renderFleetRequest(c, f.Values, f.Errs)
}

func (s *Server) scheduleVan(c *fiber.Ctx) error {
	return fleetStep(s, c, "van", "van-scheduled", func(in input.VanBooking, id int64) (store.VanRequest, error) {
		return s.deps.Store.ScheduleVan(c.UserContext(), s.actor(c), id, in.VanID)
	})
}

func (s *Server) declineVan(c *fiber.Ctx) error {
	return fleetStep(s, c, "reason", "van-declined", func(in input.VanDecline, id int64) (store.VanRequest, error) {
		return s.deps.Store.DeclineVanRequest(c.UserContext(), s.actor(c), id, in.Reason)
	})
}

func (s *Server) deliverVan(c *fiber.Ctx) error {
	return fleetStep(s, c, "health_checks", "van-delivered", func(in input.VanDelivery, id int64) (store.VanRequest, error) {
		return s.deps.Store.RecordVanDelivery(c.UserContext(), s.actor(c), id, in.Delivery())
	})
}

// StateLabel words the request's state for people.
func (r vanRow) StateLabel() string {
	switch r.State {
	case store.VanRequested:
		return "Requested"
	case store.VanScheduled:
		return "Scheduled"
	case store.VanDelivered:
		return "Delivered"
	case store.VanWithdrawn:
		return "Withdrawn"
	case store.VanDeclined:
		return "Declined"
	}
	return r.State
}

package server

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type peerSupportPage struct {
	Org         store.Organisation
	Year        int // the return shown and saved: the page's address names it
	Exists      bool
	CanEdit     bool
	Form        map[string]string
	Returns     []store.PeerSupportReturn
	YesNo       map[string][]Option // radios per yes/no question
	YearOptions []Option
	OrgQuery    string
}

// peerSupportConfirmPage asks before a save replaces a year's return.
type peerSupportConfirmPage struct {
	Org      store.Organisation
	Year     int
	Changes  []figureChange
	Form     map[string]string // what was typed, sent again on confirming
	OrgQuery string
}

// figureChange is one figure a save would change.
type figureChange struct{ What, From, To string }

// returnLabels name the return's figures for the list of what a save
// would change, in the form's order.
var returnLabels = []struct{ Name, Label string }{
	{"coordinator", "Peer support coordinator in post"}, {"coordinator_full_time", "Coordinator full time"},
	{"oh_clinician", "Occupational health clinician trained"}, {"supporters", "Peer supporters"},
	{"champions", "Peer champions"}, {"coordinators", "Peer coordinators"}, {"trainers", "Trained trainers"},
	{"demob", "People trained in demobilising and defusing"}, {"trim", "TRiM practitioners"},
	{"estip_lead", "ESTIP lead in post"}, {"supervision", "Supervision for peer supporters"},
	{"confidentiality", "Confidentiality and disclosure arrangements"}, {"contacts", "Peer support contacts in the year"},
	{"walk_the_talk_attended", "Attended Walk the Talk train-the-trainer"}, {"trainers_delivering", "Trained trainers delivering locally"},
	{"demob_course_places", "Demobilising and defusing course places taken"}, {"supervision_sessions", "Supervision sessions for peer supporters"},
	{"supporters_supervised", "Peer supporters who had supervision"},
}

// notRecorded is how a training or supervision answer left blank reads in
// the list of what a save would change.
const notRecorded = "not recorded"

// returnYearInView is the year the page's address names (?year=), this
// year when it names none.
func (s *Server) returnYearInView(c *fiber.Ctx) (int, error) {
	if c.Query("year") == "" {
		return s.deps.Store.Now().Year(), nil
	}
	y, err := strconv.Atoi(c.Query("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.Errorf(apperr.ENOTFOUND, "There is no peer support return for %q: choose a year like 2026.", c.Query("year"))
	}
	return y, nil
}

func returnForm(r store.PeerSupportReturn) map[string]string {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	form := map[string]string{
		"year": strconv.Itoa(r.Year), "coordinator": yn(r.CoordinatorInPost), "coordinator_full_time": yn(r.CoordinatorFullTime),
		"oh_clinician": yn(r.OHClinicianTrained), "estip_lead": yn(r.ESTIPLead), "supervision": yn(r.SupervisionInPlace),
		"confidentiality": yn(r.ConfidentialityInPlace), "supporters": strconv.Itoa(r.PeerSupporters), "champions": strconv.Itoa(r.PeerChampions),
		"coordinators": strconv.Itoa(r.PeerCoordinators), "trainers": strconv.Itoa(r.TrainedTrainers), "demob": strconv.Itoa(r.DemobDefusingTrained),
		"trim": strconv.Itoa(r.TRiMPractitioners), "contacts": strconv.Itoa(r.Contacts),
	}
	for _, f := range store.PeerTrainingFields {
		form[f.Name] = "" // blank: not recorded
		if v := f.Value(&r); v != nil {
			form[f.Name] = strconv.Itoa(*v)
		}
	}
	return form
}

func (s *Server) showPeerSupport(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year, err := s.returnYearInView(c)
	if err != nil {
		return err
	}
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
	return s.renderPeerSupport(c, org, year, returns, form, nil)
}

func (s *Server) renderPeerSupport(c *fiber.Ctx, org store.Organisation, year int, returns []store.PeerSupportReturn, form map[string]string, errs []views.FieldError) error {
	page := peerSupportPage{Org: org, Year: year, CanEdit: actorOf(currentUser(c)).CanEditProvision(), Form: form, Returns: returns,
		YesNo: map[string][]Option{}, OrgQuery: orgQuery(c, org)}
	for _, r := range returns {
		page.Exists = page.Exists || r.Year == year
	}
	for _, name := range input.YesNoFields(input.PeerSupportReturn{}) {
		page.YesNo[name] = []Option{{Value: "yes", Label: "Yes", Selected: form[name] == "yes"}, {Value: "no", Label: "No", Selected: form[name] == "no"}}
	}
	this := s.deps.Store.Now().Year()
	for y := this; y >= this-4; y-- {
		page.YearOptions = append(page.YearOptions, Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}
	return s.render(c, "peer_support", views.Page{Title: "Peer support return " + strconv.Itoa(year) + ": " + org.Name, Errors: errs, Flash: banner(c), BackLink: "/provision", Data: page})
}

// savePeerSupport saves the return of the year the page's address names.
// Replacing a year's return first shows what would change and asks.
func (s *Server) savePeerSupport(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	year, err := s.returnYearInView(c)
	if err != nil {
		return err
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	returns, err := s.deps.Store.PeerSupportReturns(ctx, sc, org.ID)
	if err != nil {
		return err
	}
	f := readForm(c)
	in := input.PeerSupportReturn{Year: year}
	valid := f.Read(&in)
	if heldBack(c) {
		return s.renderPeerSupport(c, org, year, returns, f.Values, nil)
	}
	if !valid {
		return s.renderPeerSupport(c, org, year, returns, f.Values, f.Errs)
	}
	r := store.PeerSupportReturn{OrganisationID: org.ID}
	in.Apply(&r)
	for _, old := range returns {
		if old.Year != year || c.FormValue("confirm") == "yes" {
			continue
		}
		if changes := returnChanges(old, r); len(changes) > 0 {
			page := peerSupportConfirmPage{Org: org, Year: year, Changes: changes, Form: f.Values, OrgQuery: orgQuery(c, org)}
			return s.render(c, "peer_support_confirm", views.Page{Title: "Replace the " + strconv.Itoa(year) + " peer support return: " + org.Name,
				BackLink: "/provision/peer-support?year=" + strconv.Itoa(year), Data: page})
		}
	}
	_, err = s.deps.Store.SavePeerSupportReturn(ctx, s.actor(c), sc, r)
	var fe *store.FieldError
	if errors.As(err, &fe) {
		f.Fail(fe.Field, fe.Message) // the training fields' form names are the store's
	} else if err = f.StoreError(err, "coordinator_full_time"); err != nil {
		return err
	}
	if len(f.Errs) > 0 {
		return s.renderPeerSupport(c, org, year, returns, f.Values, f.Errs)
	}
	return c.Redirect(doneURL("/provision/peer-support?year="+strconv.Itoa(year), "return"), fiber.StatusSeeOther)
}

// returnChanges lists the figures of a year's return that a save would
// change, in words.
func returnChanges(old, new store.PeerSupportReturn) []figureChange {
	was, will := returnForm(old), returnForm(new)
	var out []figureChange
	for _, l := range returnLabels {
		if was[l.Name] != will[l.Name] {
			from, to := was[l.Name], will[l.Name]
			if from == "" {
				from = notRecorded
			}
			if to == "" {
				to = notRecorded
			}
			out = append(out, figureChange{What: l.Label, From: from, To: to})
		}
	}
	return out
}

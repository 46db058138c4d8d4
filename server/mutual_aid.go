package server

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/mail"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// National OK9 mutual aid: an organisation asks for dogs after a serious
// incident; national admins offer other organisations' dogs; the lending
// organisation's owner accepts or declines.

type aidListPage struct {
	Requests    []aidRow
	CanAsk      bool
	IsAdmin     bool
	SeeRegister bool // the national OK9 register: national admins and SPOCs
}

type aidRow struct {
	store.AidRequest
	Requester string
}

func (s *Server) listMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	reqs, err := s.deps.Store.AidRequests(c.UserContext(), scopeOf(u))
	if err != nil {
		return err
	}
	names, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	spoc, err := s.deps.Store.IsOK9SPOC(c.UserContext(), actorOf(u))
	if err != nil {
		return err
	}
	page := aidListPage{CanAsk: actorOf(u).CanEditProvision(), IsAdmin: u.Role == store.RoleNationalAdmin,
		SeeRegister: actorOf(u).CanReadOK9Register(spoc)}
	for _, r := range reqs {
		page.Requests = append(page.Requests, aidRow{r, names[r.OrganisationID]})
	}
	return s.render(c, "mutual_aid", views.Page{Title: "OK9 mutual aid", Flash: banner(c), Data: page})
}

func (s *Server) newMutualAid(c *fiber.Ctx) error {
	return s.render(c, "mutual_aid_new", views.Page{Title: "Ask for OK9 mutual aid", BackLink: "/mutual-aid", Data: map[string]string{"dogs": "1"}})
}

func (s *Server) createMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	f := readForm(c)
	var in input.AidRequest
	if f.Read(&in) {
		r := store.AidRequest{OrganisationID: *u.OrganisationID}
		in.Apply(&r)
		saved, err := s.deps.Store.CreateAidRequest(c.UserContext(), s.actor(c), scopeOf(u), r)
		if err = f.StoreError(err, "incident"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			s.remindNow(c)
			return c.Redirect(doneURL("/mutual-aid/"+itoa(saved.ID), "request"), fiber.StatusSeeOther)
		}
	}
	return s.render(c, "mutual_aid_new", views.Page{Title: "Ask for OK9 mutual aid", BackLink: "/mutual-aid", Errors: f.Errs, Data: f.Values})
}

type aidPage struct {
	Request    store.AidRequest
	Requester  string
	Offers     []offerRow
	Timeline   []timelineStep
	IsAdmin    bool
	CanClose   bool
	Candidates []candidateGroup // national admins: dogs that could go, by organisation
	Form       map[string]string
}

type timelineStep struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	What   string    `json:"what"`
	Action string    `json:"action"` // the audit trail's action
}

// aidTimeline tells a request's audited steps in words, naming the
// organisation that took each step an organisation took.
func aidTimeline(events []store.AuditEvent, names map[int64]string) []timelineStep {
	var out []timelineStep
	for _, e := range events {
		who := e.ActorLabel
		if e.OrganisationID != nil && e.Action != "ok9.aid.offer" && e.Action != "ok9.aid.close" {
			who += ", " + names[*e.OrganisationID]
		}
		out = append(out, timelineStep{e.At, who, aidSteps[e.Action], e.Action})
	}
	return out
}

// aidSteps says what each audited step of a request was.
var aidSteps = map[string]string{
	"ok9.aid.request": "asked for dogs", "ok9.aid.offer": "offered dogs", "ok9.aid.accepted": "agreed to lend the dogs",
	"ok9.aid.declined": "declined the offer", "ok9.aid.close": "closed the request",
}

type offerRow struct {
	store.AidOffer
	Lender         string
	Dogs           string
	Mine           bool     // the viewer's organisation lends: it answers
	CanDecide      bool     // and the viewer is its owner
	HandlerOptions []Option // for accepting
}

type candidateGroup struct {
	Organisation store.Organisation
	Proximity    string
	Dogs         []Option // free dogs to offer
	Blocked      []store.AidCandidate
	// Standing is what the organisation's scheme (or a dog's welfare
	// check) fails of the standing rules; offering then needs a reason.
	Standing []store.GateFailure
}

func (s *Server) aidRequestID(c *fiber.Ctx) int64 {
	id, _ := strconv.ParseInt(c.Params("request"), 10, 64)
	return id
}

func (s *Server) showMutualAidRequest(c *fiber.Ctx) error {
	return s.renderAidRequest(c, s.aidRequestID(c), map[string]string{}, nil)
}

func (s *Server) renderAidRequest(c *fiber.Ctx, id int64, form map[string]string, errs []views.FieldError) error {
	ctx, u := c.UserContext(), currentUser(c)
	r, err := s.deps.Store.AidRequest(ctx, scopeOf(u), id)
	if err != nil {
		return err
	}
	names, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	var dogIDs []int64
	for _, o := range r.Offers {
		dogIDs = append(dogIDs, o.DogIDs...)
	}
	dogNames, err := s.deps.Store.DogNames(ctx, dogIDs)
	if err != nil {
		return err
	}
	timeline, err := s.deps.Store.AidTimeline(ctx, scopeOf(u), r.ID)
	if err != nil {
		return err
	}
	isAdmin := u.Role == store.RoleNationalAdmin
	own := u.OrganisationID != nil && *u.OrganisationID == r.OrganisationID
	page := aidPage{Request: r, Requester: names[r.OrganisationID], IsAdmin: isAdmin, Form: form,
		CanClose: r.Status != store.AidClosed && (isAdmin || (own && actorOf(u).CanEditProvision()))}
	page.Timeline = aidTimeline(timeline, names)
	for _, o := range r.Offers {
		row := offerRow{AidOffer: o, Lender: names[o.OrganisationID], Dogs: namesOf(o.DogIDs, dogNames),
			Mine: u.OrganisationID != nil && *u.OrganisationID == o.OrganisationID}
		row.CanDecide = row.Mine && u.Role == store.RoleOwner && o.Status == store.OfferMade && r.Status != store.AidClosed
		if row.CanDecide {
			handlers, err := s.deps.Store.OK9Handlers(ctx, scopeOf(u), o.OrganisationID)
			if err != nil {
				return err
			}
			row.HandlerOptions = append(row.HandlerOptions, Option{Value: "", Label: "Choose a handler"})
			for _, h := range handlers {
				row.HandlerOptions = append(row.HandlerOptions, Option{Value: itoa(h.ID), Label: h.DisplayName, Selected: form["handler"] == itoa(h.ID)})
			}
		}
		page.Offers = append(page.Offers, row)
	}
	if isAdmin && r.Status == store.AidOpen {
		cands, err := s.deps.Store.AidCandidates(ctx, r.ID, s.welfarePolicy())
		if err != nil {
			return err
		}
		for _, cand := range cands {
			n := len(page.Candidates)
			if n == 0 || page.Candidates[n-1].Organisation.ID != cand.Organisation.ID {
				page.Candidates = append(page.Candidates, candidateGroup{Organisation: cand.Organisation, Proximity: cand.Proximity})
				n++
			}
			g := &page.Candidates[n-1]
			if cand.Blocked != "" {
				g.Blocked = append(g.Blocked, cand)
				continue
			}
			for _, f := range cand.Standing {
				if !slices.Contains(g.Standing, f) {
					g.Standing = append(g.Standing, f)
				}
			}
			g.Dogs = append(g.Dogs, Option{Value: itoa(cand.Dog.ID), Label: cand.Dog.CallName,
				Hint: figure.Count(float64(cand.Handlers), "handler", "handlers") + " who can deploy", Selected: form["dogs-"+itoa(cand.Organisation.ID)+":"+itoa(cand.Dog.ID)] == "yes"})
		}
	}
	return s.render(c, "mutual_aid_request", views.Page{Title: "Mutual aid for " + r.Location + ": " + page.Requester, BackLink: "/mutual-aid", Flash: banner(c), Errors: errs, Data: page})
}

// checkOfferable holds an offer to the dogs the national admin's view lists
// as able to go to an open request: active, assessed, with a trained
// handler, within the welfare limits and not offered to it already. (The
// store refuses offers to a request that is no longer open.)
func (s *Server) checkOfferable(c *fiber.Ctx, requestID, lenderID int64, dogIDs []int64) error {
	ctx := c.UserContext()
	r, err := s.deps.Store.AidRequest(ctx, store.AllOrganisations(), requestID)
	if err != nil || r.Status != store.AidOpen || lenderID == r.OrganisationID {
		return err // the store says why these cannot be offered
	}
	cands, err := s.deps.Store.AidCandidates(ctx, requestID, s.welfarePolicy())
	if err != nil {
		return err
	}
	free := map[int64]store.AidCandidate{}
	for _, cand := range cands {
		if cand.Organisation.ID == lenderID {
			free[cand.Dog.ID] = cand
		}
	}
	names, err := s.deps.Store.DogNames(ctx, dogIDs)
	if err != nil {
		return err
	}
	var problems []string
	for _, id := range dogIDs {
		cand, listed := free[id]
		switch {
		case !listed && names[id] == "":
			problems = append(problems, "dog "+itoa(id)+" does not exist")
		case !listed:
			problems = append(problems, names[id]+" is already offered to this request, or is not an active, assessed dog of that organisation")
		case cand.Blocked != "":
			problems = append(problems, names[id]+" cannot go: "+cand.Blocked)
		}
	}
	if len(problems) > 0 {
		return apperr.Errorf(apperr.EINVALID, "Offer only dogs that could go: %s", strings.Join(problems, "; "))
	}
	return nil
}

func (s *Server) offerMutualAid(c *fiber.Ctx) error {
	id := s.aidRequestID(c)
	f := readForm(c)
	lender, _ := strconv.ParseInt(f.Text("organisation"), 10, 64)
	in := input.AidOffer{OrganisationID: lender, DogIDs: f.IDs("dogs-" + itoa(lender)), // each organisation's dogs are a group of their own
		OverrideReason: f.Text("override_reason-" + itoa(lender))}
	field := "offer-" + itoa(lender)
	for _, p := range in.Validate() { // beside the organisation's button
		f.Fail(field, p.Message)
	}
	if len(f.Errs) == 0 {
		err := s.checkOfferable(c, id, in.OrganisationID, in.DogIDs)
		if err == nil {
			_, err = s.deps.Store.OfferAid(c.UserContext(), s.actor(c), id, in.OrganisationID, in.DogIDs, in.OverrideReason, s.welfarePolicy())
		}
		if err = f.StoreError(err, field); err != nil {
			return err
		}
	}
	if len(f.Errs) == 0 {
		s.remindNow(c)
		return c.Redirect(doneURL("/mutual-aid/"+itoa(id), "offer"), fiber.StatusSeeOther)
	}
	return s.renderAidRequest(c, id, f.Values, f.Errs)
}

func (s *Server) decideMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	offerID, _ := strconv.ParseInt(c.Params("offer"), 10, 64)
	f := readForm(c)
	requestID, _ := strconv.ParseInt(f.Text("request"), 10, 64)
	var in input.AidDecision
	valid := f.Read(&in)
	if c.FormValue("change") != "" { // back from the confirmation, keeping the answer
		return s.renderAidRequest(c, requestID, f.Values, nil)
	}
	if valid && c.FormValue("confirmed") != "yes" {
		return s.confirmAidDecision(c, requestID, offerID, in)
	}
	if valid {
		dec := in.Answer()
		o, err := s.deps.Store.DecideAidOffer(c.UserContext(), s.actor(c), scopeOf(u), offerID, dec, s.welfarePolicy())
		field := "decision"
		if !dec.Accept {
			field = "decline_reason"
		} else if err != nil && len(dec.OverrideReason) == 0 {
			field = "override_reason"
		}
		if err = f.StoreError(err, field); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			s.remindNow(c)
		}
		if len(f.Errs) == 0 && o.Status == store.OfferDecline { // a lender that declined is no longer party to the request
			return c.Redirect(doneURL("/mutual-aid", o.Status), fiber.StatusSeeOther)
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/mutual-aid/"+itoa(o.RequestID), o.Status), fiber.StatusSeeOther)
		}
	}
	return s.renderAidRequest(c, requestID, f.Values, f.Errs)
}

// showCloseMutualAid asks before closing a request, saying what follows:
// closing cannot be undone.
func (s *Server) showCloseMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanCloseAidRequest() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to close this request.")
	}
	r, err := s.deps.Store.AidRequest(c.UserContext(), scopeOf(u), s.aidRequestID(c))
	if err != nil {
		return err
	}
	if u.Role != store.RoleNationalAdmin && (u.OrganisationID == nil || *u.OrganisationID != r.OrganisationID) {
		return apperr.Errorf(apperr.EFORBIDDEN, "Only the organisation that asked, or the national team, can close this request.")
	}
	if r.Status == store.AidClosed {
		return c.Redirect("/mutual-aid/"+itoa(r.ID), fiber.StatusSeeOther)
	}
	pending := 0
	for _, o := range r.Offers {
		if o.Status == store.OfferMade {
			pending++
		}
	}
	return s.render(c, "mutual_aid_close", views.Page{Title: "Close the mutual-aid request for " + r.Location,
		BackLink: "/mutual-aid/" + itoa(r.ID), Data: map[string]any{"Request": r, "Pending": pending}})
}

func (s *Server) closeMutualAid(c *fiber.Ctx) error {
	u := currentUser(c)
	if !actorOf(u).CanCloseAidRequest() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to close this request.")
	}
	id := s.aidRequestID(c)
	if err := s.deps.Store.CloseAidRequest(c.UserContext(), s.actor(c), scopeOf(u), id); err != nil {
		return err
	}
	return c.Redirect(doneURL("/mutual-aid/"+itoa(id), "closed"), fiber.StatusSeeOther)
}

// confirmAidDecision shows the owner what their answer to an offer will do
// before it is sent: an answer cannot be taken back. The answer travels in
// the confirmation's form, so "Change the answer" shows it again as typed.
func (s *Server) confirmAidDecision(c *fiber.Ctx, requestID, offerID int64, in input.AidDecision) error {
	ctx, u := c.UserContext(), currentUser(c)
	r, err := s.deps.Store.AidRequest(ctx, scopeOf(u), requestID)
	if err != nil {
		return err
	}
	var offer *store.AidOffer
	for i := range r.Offers {
		if r.Offers[i].ID == offerID {
			offer = &r.Offers[i]
		}
	}
	if offer == nil || u.OrganisationID == nil || *u.OrganisationID != offer.OrganisationID {
		return apperr.Errorf(apperr.ENOTFOUND, "There is no such offer on this request.")
	}
	names, err := s.partnerNames(c)
	if err != nil {
		return err
	}
	dogNames, err := s.deps.Store.DogNames(ctx, offer.DogIDs)
	if err != nil {
		return err
	}
	dogs := namesOf(offer.DogIDs, dogNames)
	p := confirmPage{
		Caption: "Mutual aid for " + r.Location,
		Details: []keyValue{{"Asked for by", names[r.OrganisationID]}, {"What happened", r.Incident},
			{"Dates", r.StartsOn.Format("2 January 2006") + " to " + r.EndsOn.Format("2 January 2006")}, {"Dogs offered", dogs}},
		Action: "/mutual-aid/offers/" + itoa(offerID),
		Hidden: []keyValue{{"request", itoa(requestID)}, {"decision", in.Decision}, {"handler", itoa(in.HandlerID)},
			{"minutes", strconv.Itoa(in.Minutes)}, {"override_reason", in.OverrideReason}, {"decline_reason", in.DeclineReason}, {"confirmed", "yes"}},
		Cancel: "/mutual-aid/" + itoa(requestID), CancelText: "Go back without answering",
	}
	title := "Lend " + dogs + " to " + names[r.OrganisationID] + "?"
	if in.Decision == "decline" {
		title = "Decline the offer of " + dogs + "?"
		p.Details = append(p.Details, keyValue{"Why not", in.DeclineReason})
		p.Lead = "Your answer cannot be changed once sent. When you decline:"
		p.Follows = []string{"the organisation that asked and the national team see your reason", "the dogs stay with you and the national team may offer others"}
		p.Button = "Decline the offer"
	} else {
		handler := itoa(in.HandlerID)
		if hs, err := s.deps.Store.OK9Handlers(ctx, scopeOf(u), offer.OrganisationID); err == nil {
			for _, h := range hs {
				if h.ID == in.HandlerID {
					handler = h.DisplayName
				}
			}
		}
		p.Details = append(p.Details, keyValue{"Handler who will go", handler}, keyValue{"Working time each day", strconv.Itoa(in.Minutes) + " minutes"})
		if in.OverrideReason != "" {
			p.Details = append(p.Details, keyValue{"Why it must go ahead beyond the welfare limits", in.OverrideReason})
		}
		p.Lead = "Your answer cannot be changed once sent. When you agree:"
		p.Follows = []string{"a deployment is logged for each day of the request, for the dogs and the handler, and checked against the welfare limits",
			"the organisation that asked and the national team are told the dogs are coming"}
		p.Button, p.Primary = "Agree to lend the dogs", true
	}
	p.Change = "Change the answer"
	return s.renderConfirm(c, title, "/mutual-aid/"+itoa(requestID), p)
}

// remindNow runs the reminder scan at once, as a job, after a mutual-aid
// request, offer or answer: dogs are needed now, so the SPOCs concerned
// are told now rather than at the next interval. Only where the scan runs
// in the background at all (REMINDER_INTERVAL set). If the job cannot be
// queued, the next scan sends the notice.
func (s *Server) remindNow(c *fiber.Ctx) {
	if s.jobs == nil || s.deps.ReminderInterval <= 0 {
		return
	}
	if err := s.jobs.Insert(c.UserContext(), mail.ScanArgs{}); err != nil {
		s.logger(c).Warn("could not queue a reminder scan; the next one sends the notice", "err", err)
	}
}

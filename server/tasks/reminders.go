package tasks

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Windows before a date that reminders start: dates within SoonDays of
// today are "due soon"; the annual self-assessment gets ReturnDueDays.
const (
	SoonDays      = 30
	ReturnDueDays = 14
	// returnedWithin is how far back a returned assessment is still news.
	returnedWithin = 30 * 24 * time.Hour
)

// Due is where a date stands today.
type Due int

// Where a date stands.
const (
	NotDue Due = iota
	DueSoon
	Overdue
)

// DueState says whether a date is overdue (the moment has passed, as the
// risk register and the home page count it), due within days, or neither.
func DueState(now, due time.Time, days int) Due {
	switch {
	case now.After(due):
		return Overdue
	case !frameworks.Day(now).AddDate(0, 0, days).Before(frameworks.Day(due)):
		return DueSoon
	}
	return NotDue
}

func isoDay(t time.Time) string { return t.UTC().Format("2006-01-02") }

// recipients are who gets a category of email about an organisation.
type recipients struct {
	byOrg  map[int64][]store.User
	admins []store.User
}

// for lists the organisation's people who receive a category: owners, and
// contributors given the matching section.
func (r recipients) of(orgID int64, category string) []store.User {
	var out []store.User
	for _, u := range r.byOrg[orgID] {
		switch {
		case u.Role == store.RoleOwner:
		case u.Role != store.RoleContributor:
			continue
		case category == "risk" && slices.Contains(u.Sections, store.SectionRiskRegister):
		case category == "ok9" && slices.Contains(u.Sections, store.SectionProvision):
		case category == "annual_return" && slices.ContainsFunc(u.Sections, func(s string) bool { return strings.HasPrefix(s, "area:") }):
		default:
			continue
		}
		out = append(out, u)
	}
	return out
}

func (r recipients) owners(orgID int64) []store.User {
	var out []store.User
	for _, u := range r.byOrg[orgID] {
		if u.Role == store.RoleOwner {
			out = append(out, u)
		}
	}
	return out
}

// Reminders lists every reminder and notice due now, for everyone, each
// with the person's chosen frequency. It is run over and over: the sent-log
// (store.QueueMail) drops the ones already made. It works the dates out as
// the home page and the risk register do. Nothing in them is about a
// person's health or counts people: what is due, when, and where.
func (l List) Reminders(ctx context.Context) ([]store.Mail, error) {
	now := l.Store.Now()
	all := store.AllOrganisations()
	users, err := l.Store.ListUsers(ctx, all)
	if err != nil {
		return nil, err
	}
	rc := recipients{byOrg: map[int64][]store.User{}}
	for _, u := range users {
		if u.DisabledAt != nil || u.Clash() {
			continue
		}
		switch {
		case u.Role == store.RoleNationalAdmin:
			rc.admins = append(rc.admins, u)
		case u.OrganisationID != nil:
			rc.byOrg[*u.OrganisationID] = append(rc.byOrg[*u.OrganisationID], u)
		}
	}
	prefs, err := l.Store.AllMailPreferences(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.Mail
	add := func(to []store.User, m store.Mail) {
		for _, u := range to {
			m.UserID = u.ID
			m.Frequency = store.MailImmediate
			if f, ok := prefs[u.ID][store.CategoryOf(m.Kind)]; ok {
				m.Frequency = f
			}
			out = append(out, m)
		}
	}
	orgs, err := l.Store.ListOrganisations(ctx, all)
	if err != nil {
		return nil, err
	}
	for _, org := range orgs {
		if len(rc.byOrg[org.ID]) == 0 {
			continue // no one to tell
		}
		if err := l.roleReminders(ctx, now, org.ID, rc, add); err != nil {
			return nil, err
		}
		if err := l.ok9Reminders(ctx, now, org.ID, rc, add); err != nil {
			return nil, err
		}
	}
	if err := l.returnReminders(ctx, now, rc, add); err != nil {
		return nil, err
	}
	if err := l.aidNotices(ctx, rc, add); err != nil {
		return nil, err
	}
	return out, nil
}

type addFunc func(to []store.User, m store.Mail)

func (l List) roleReminders(ctx context.Context, now time.Time, orgID int64, rc recipients, add addFunc) error {
	rows, err := l.Reports.RegisterRows(ctx, store.AllOrganisations(), orgID)
	if err != nil {
		return err
	}
	to := rc.of(orgID, "risk")
	for _, r := range rows {
		item, link := "role:"+itoa(orgID)+":"+r.RoleID, "/risk/roles/"+r.RoleID
		switch DueState(now, r.NextReviewOn, SoonDays) {
		case Overdue:
			add(to, store.Mail{Kind: "risk.review_overdue", Item: item, Due: isoDay(r.NextReviewOn), Link: link,
				Subject: "Overdue: the risk review of " + r.RoleName,
				Body:    "The risk assessment of the role " + r.RoleName + " was due for review on " + r.NextReviewOn.Format(day) + "."})
		case DueSoon:
			add(to, store.Mail{Kind: "risk.review_due", Item: item, Due: isoDay(r.NextReviewOn), Link: link,
				Subject: "The risk review of " + r.RoleName + " is due on " + r.NextReviewOn.Format(day),
				Body:    "The risk assessment of the role " + r.RoleName + " is due for review on " + r.NextReviewOn.Format(day) + "."})
		}
		switch DueState(now, r.NextScreeningOn, SoonDays) {
		case Overdue:
			add(to, store.Mail{Kind: "risk.screening_overdue", Item: item, Due: isoDay(r.NextScreeningOn), Link: link,
				Subject: "Overdue: screening for " + r.RoleName,
				Body:    "Psychological screening for the role " + r.RoleName + " was due on " + r.NextScreeningOn.Format(day) + "."})
		case DueSoon:
			add(to, store.Mail{Kind: "risk.screening_due", Item: item, Due: isoDay(r.NextScreeningOn), Link: link,
				Subject: "Screening for " + r.RoleName + " is due on " + r.NextScreeningOn.Format(day),
				Body:    "Psychological screening for the role " + r.RoleName + " is due on " + r.NextScreeningOn.Format(day) + "."})
		}
	}
	return nil
}

// ok9Reminders follow the OK9 readiness checks: insurance in date, the risk
// assessment reviewed within the year, every active dog's welfare check.
func (l List) ok9Reminders(ctx context.Context, now time.Time, orgID int64, rc recipients, add addFunc) error {
	all := store.AllOrganisations()
	sch, err := l.Store.OK9Scheme(ctx, all, orgID)
	if err != nil {
		return err
	}
	to := rc.of(orgID, "ok9")
	scheme := "ok9:" + itoa(orgID)
	if d := sch.InsuranceExpiresOn; d != nil {
		switch DueState(now, *d, SoonDays) {
		case Overdue:
			add(to, store.Mail{Kind: "ok9.insurance_expired", Item: scheme, Due: isoDay(*d), Link: "/provision/ok9",
				Subject: "OK9 insurance has expired", Body: "The OK9 scheme's insurance expired on " + d.Format(day) + ". Record the new expiry date once it is renewed."})
		case DueSoon:
			add(to, store.Mail{Kind: "ok9.insurance_due", Item: scheme, Due: isoDay(*d), Link: "/provision/ok9",
				Subject: "OK9 insurance expires on " + d.Format(day), Body: "The OK9 scheme's insurance expires on " + d.Format(day) + "."})
		}
	}
	if d := sch.RiskAssessmentReviewedOn; d != nil {
		next := d.AddDate(1, 0, 0) // reviewed within the year, as the readiness check asks
		switch DueState(now, next, SoonDays) {
		case Overdue:
			add(to, store.Mail{Kind: "ok9.risk_assessment_overdue", Item: scheme, Due: isoDay(next), Link: "/provision/ok9",
				Subject: "Overdue: the OK9 risk assessment review", Body: "The OK9 scheme's risk assessment was last reviewed on " + d.Format(day) + ", over a year ago."})
		case DueSoon:
			add(to, store.Mail{Kind: "ok9.risk_assessment_due", Item: scheme, Due: isoDay(next), Link: "/provision/ok9",
				Subject: "The OK9 risk assessment is due for review on " + next.Format(day), Body: "The OK9 scheme's risk assessment was last reviewed on " + d.Format(day) + " and is due for review by " + next.Format(day) + "."})
		}
	}
	dogs, err := l.Store.OK9Dogs(ctx, all, orgID)
	if err != nil {
		return err
	}
	for _, dog := range dogs {
		d := dog.NextWelfareCheckOn
		if dog.Status != store.DogActive || d == nil {
			continue
		}
		item, link := "dog:"+itoa(dog.ID), "/provision/ok9/dogs/"+itoa(dog.ID)
		switch DueState(now, *d, SoonDays) {
		case Overdue:
			add(to, store.Mail{Kind: "ok9.welfare_overdue", Item: item, Due: isoDay(*d), Link: link,
				Subject: "Overdue: welfare check for " + dog.CallName, Body: "The OK9 welfare check for the dog " + dog.CallName + " was due on " + d.Format(day) + "."})
		case DueSoon:
			add(to, store.Mail{Kind: "ok9.welfare_due", Item: item, Due: isoDay(*d), Link: link,
				Subject: "Welfare check for " + dog.CallName + " due on " + d.Format(day), Body: "The OK9 welfare check for the dog " + dog.CallName + " is due on " + d.Format(day) + "."})
		}
	}
	return nil
}

// returnReminders: a cycle open (until the last fortnight), closing within
// ReturnDueDays, to organisations that have not submitted; and assessments
// the national team returned.
func (l List) returnReminders(ctx context.Context, now time.Time, rc recipients, add addFunc) error {
	cycles, err := l.Store.Cycles(ctx)
	if err != nil {
		return err
	}
	assessments, err := l.Store.ListAssessments(ctx, store.AllOrganisations())
	if err != nil {
		return err
	}
	type key struct{ org, cycle int64 }
	byOrgCycle := map[key]store.Assessment{}
	for _, a := range assessments {
		byOrgCycle[key{a.OrganisationID, a.CycleID}] = a
	}
	cycleName := map[int64]string{}
	for _, cy := range cycles {
		cycleName[cy.ID] = cy.Name
		if cy.Status != store.CycleOpen || now.Before(cy.OpensOn) || now.After(cy.ClosesOn.AddDate(0, 0, 1)) {
			continue
		}
		// The closing day itself counts as closing, not overdue.
		closing := DueState(now, cy.ClosesOn, ReturnDueDays) != NotDue
		for orgID := range rc.byOrg {
			a, started := byOrgCycle[key{orgID, cy.ID}]
			if started && !a.Editable() {
				continue // submitted already
			}
			to := rc.of(orgID, "annual_return")
			switch {
			case started && a.SubmittedAt != nil && !closing:
				// Returned by the national team: that notice says what to do.
			case closing:
				add(to, store.Mail{Kind: "annual_return.closing", Item: "cycle:" + itoa(cy.ID), Due: isoDay(cy.ClosesOn), Link: "/assessments",
					Subject: "The " + cy.Name + " self-assessment is due on " + cy.ClosesOn.Format(day),
					Body:    "The " + cy.Name + " self-assessment closes on " + cy.ClosesOn.Format(day) + ". Finish and submit yours before then."})
			default:
				add(to, store.Mail{Kind: "annual_return.open", Item: "cycle:" + itoa(cy.ID), Due: isoDay(cy.OpensOn), Link: "/assessments",
					Subject: "The " + cy.Name + " self-assessment is open",
					Body:    "The " + cy.Name + " self-assessment opened on " + cy.OpensOn.Format(day) + " and closes on " + cy.ClosesOn.Format(day) + "."})
			}
		}
	}
	returned, err := l.Store.ReturnedAssessments(ctx, now.Add(-returnedWithin))
	if err != nil {
		return err
	}
	byID := map[string]store.Assessment{}
	for _, a := range assessments {
		byID[itoa(a.ID)] = a
	}
	for _, ev := range returned {
		a, ok := byID[ev.EntityID]
		if !ok || a.Status != store.StatusReturned {
			continue // submitted again since
		}
		// The comments stay in the app: they are free text.
		add(rc.of(a.OrganisationID, "annual_return"), store.Mail{Kind: "annual_return.returned", Item: "assessment:" + ev.EntityID + ":" + itoa(ev.ID), Due: isoDay(ev.At),
			Link: "/assessments/" + ev.EntityID, Subject: "The national team has returned your " + cycleName[a.CycleID] + " self-assessment",
			Body: "The national team has returned the " + cycleName[a.CycleID] + " self-assessment with comments. Read them, make the changes and submit it again."})
	}
	return nil
}

// aidNotices tell the national team of open requests, a lending
// organisation's owners of offers waiting for their answer, and the asking
// organisation's owners of each answer.
func (l List) aidNotices(ctx context.Context, rc recipients, add addFunc) error {
	reqs, err := l.Store.AidRequests(ctx, store.AllOrganisations())
	if err != nil {
		return err
	}
	for _, r := range reqs {
		if r.Status == store.AidClosed {
			continue
		}
		link := "/mutual-aid/" + itoa(r.ID)
		if r.Status == store.AidOpen {
			add(rc.admins, store.Mail{Kind: "mutual_aid.request", Item: "aid:" + itoa(r.ID), Due: isoDay(r.StartsOn), Link: link,
				Subject: "OK9 mutual aid requested for " + r.Location,
				Body:    "An organisation has asked for OK9 wellbeing dogs for " + r.Location + " from " + r.StartsOn.Format(day) + ". Find dogs to offer."})
		}
		for _, o := range r.Offers {
			item := "offer:" + itoa(o.ID)
			switch o.Status {
			case store.OfferMade:
				add(rc.owners(o.OrganisationID), store.Mail{Kind: "mutual_aid.offer", Item: item, Due: isoDay(r.StartsOn), Link: link,
					Subject: "The national team asks to borrow your OK9 dogs for " + r.Location,
					Body:    "The national team has asked to borrow your wellbeing dogs for " + r.Location + " from " + r.StartsOn.Format(day) + ". Accept or decline the offer."})
			case store.OfferAccept, store.OfferDecline:
				verb := "agreed to lend"
				if o.Status == store.OfferDecline {
					verb = "cannot lend"
				}
				add(rc.owners(r.OrganisationID), store.Mail{Kind: "mutual_aid.answer", Item: item + ":" + o.Status, Due: isoDay(r.StartsOn), Link: link,
					Subject: "An answer to your OK9 mutual aid request for " + r.Location,
					Body:    "An organisation has " + verb + " wellbeing dogs for " + r.Location + " from " + r.StartsOn.Format(day) + "."})
			}
		}
	}
	return nil
}

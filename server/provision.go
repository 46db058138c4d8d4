package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Provision is what an organisation has in place to support its people:
// OK9 wellbeing dogs, peer support and wellbeing vans. Owners and
// contributors given the "provision" section record it; only owners may
// override the dog welfare limits or answer a mutual-aid offer.

// requireProvisionEditor refuses people who may not change provision.
func requireProvisionEditor(c *fiber.Ctx) error {
	if !actorOf(currentUser(c)).CanEditProvision() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to change provision records. Ask your organisation's owner if you need it.")
	}
	return c.Next()
}

// welfarePolicy is the newest OK9 welfare policy loaded.
func (s *Server) welfarePolicy() *frameworks.WelfarePolicy { return s.deps.Frameworks.WelfarePolicy() }

// ReadinessCheck is one line of the OK9 readiness summary.
type ReadinessCheck struct {
	Label  string `json:"label"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// ok9Readiness says at a glance whether a scheme is in good standing: the
// agreement signed, every active dog assessed, every handler trained,
// reviews within a year, insurance in date and no welfare check overdue.
func ok9Readiness(now time.Time, sch store.OK9Scheme, dogs []store.OK9Dog, handlers []store.OK9Handler) []ReadinessCheck {
	today := frameworks.Day(now)
	yearAgo := today.AddDate(-1, 0, 0)
	var unassessed, overdue, dueSoon []string
	for _, d := range dogs {
		if d.Status != store.DogActive {
			continue
		}
		if d.AssessmentPassedOn == nil {
			unassessed = append(unassessed, d.CallName)
		}
		switch {
		case d.NextWelfareCheckOn == nil || d.NextWelfareCheckOn.Before(today):
			overdue = append(overdue, d.CallName)
		case d.NextWelfareCheckOn.Before(today.AddDate(0, 0, 30)):
			dueSoon = append(dueSoon, d.CallName)
		}
	}
	var untrained []string
	for _, h := range handlers {
		if !h.Trained() {
			untrained = append(untrained, h.DisplayName)
		}
	}
	reviewed := func(label string, on *time.Time) ReadinessCheck {
		switch {
		case on == nil:
			return ReadinessCheck{label, false, "No date recorded"}
		case on.Before(yearAgo):
			return ReadinessCheck{label, false, "Last reviewed " + on.Format("2 January 2006") + ", over a year ago"}
		default:
			return ReadinessCheck{label, true, "Reviewed " + on.Format("2 January 2006")}
		}
	}
	checks := []ReadinessCheck{{Label: "Service level agreement signed"}}
	if sch.SLASignedOn != nil {
		checks[0].OK, checks[0].Detail = true, "Signed "+sch.SLASignedOn.Format("2 January 2006")
	} else {
		checks[0].Detail = "Not recorded"
	}
	checks = append(checks,
		listCheck("Every active dog has passed the OK9 suitability assessment", unassessed, "Not yet assessed: "),
		listCheck("Every handler is a trained peer supporter or mental health first aider", untrained, "Not yet trained: "),
		reviewed("Standing operating procedure reviewed within the year", sch.SOPReviewedOn),
		reviewed("Risk assessment reviewed within the year", sch.RiskAssessmentReviewedOn))
	switch {
	case sch.InsuranceExpiresOn == nil:
		checks = append(checks, ReadinessCheck{"Insurance in date", false, "No expiry date recorded"})
	case sch.InsuranceExpiresOn.Before(today):
		checks = append(checks, ReadinessCheck{"Insurance in date", false, "Expired " + sch.InsuranceExpiresOn.Format("2 January 2006")})
	default:
		checks = append(checks, ReadinessCheck{"Insurance in date", true, "Expires " + sch.InsuranceExpiresOn.Format("2 January 2006")})
	}
	welfare := listCheck("No dog's welfare check is overdue", overdue, "Overdue or not booked: ")
	if welfare.OK && len(dueSoon) > 0 {
		welfare.Detail = "Due within 30 days: " + joinNames(dueSoon)
	}
	return append(checks, welfare)
}

func listCheck(label string, problems []string, prefix string) ReadinessCheck {
	if len(problems) == 0 {
		return ReadinessCheck{label, true, "All of them"}
	}
	return ReadinessCheck{label, false, prefix + joinNames(problems)}
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " and "
		default:
			out += ", "
		}
		out += n
	}
	return out
}

type provisionPage struct {
	Org         store.Organisation
	OrgQuery    string
	Year        int
	YearOptions []Option
	Indicators  []store.Indicator
	Readiness   []ReadinessCheck
	Return      *store.PeerSupportReturn
	CanEdit     bool
}

// showProvision is the provision summary: the year's indicators and the OK9
// readiness, with links to each record.
func (s *Server) showProvision(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	ctx, sc := c.UserContext(), scopeOf(currentUser(c))
	this := s.deps.Store.Now().Year()
	year := c.QueryInt("year", this)
	if year < this-10 || year > this {
		year = this
	}
	counts, err := s.deps.Store.ProvisionCountsFor(ctx, store.Scope{OrgID: org.ID}, year)
	if err != nil {
		return err
	}
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
	page := provisionPage{Org: org, OrgQuery: orgQuery(c, org), Year: year, CanEdit: actorOf(currentUser(c)).CanEditProvision(),
		Readiness: ok9Readiness(s.deps.Store.Now(), sch, dogs, handlers)}
	if cnt := counts[org.ID]; cnt != nil {
		page.Indicators, page.Return = cnt.Indicators(year), cnt.Return
	}
	for y := this; y >= this-4; y-- {
		page.YearOptions = append(page.YearOptions, Option{Value: itoa(int64(y)), Label: itoa(int64(y)), Selected: y == year})
	}
	return s.render(c, "provision", views.Page{Title: "Provision", Data: page})
}

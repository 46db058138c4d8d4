package server

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Provision is what an organisation has in place to support its people:
// OK9 wellbeing dogs, peer support and wellbeing vans. Owners and
// contributors given the "provision" section record it; only owners may
// override the dog welfare limits or answer a mutual-aid offer.

// requireDeploymentLogger lets provision editors log deployments, and
// national admins, who may log one past a failed gate with a reason; the
// store decides which.
func requireDeploymentLogger(c *fiber.Ctx) error {
	if a := actorOf(currentUser(c)); !a.CanEditProvision() && !a.CanOverrideGates() {
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to change provision records. Ask your organisation's owner if you need it.")
	}
	return c.Next()
}

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

// ok9Readiness says at a glance whether a scheme is in good standing under
// the welfare policy's rules (store.SchemeStanding), whether every active
// dog is assessed with its welfare check in date, and whether every active
// handler passes the deployment gates and has their supervisor's agreement
// and protected time. A failing line says what would fix it.
func ok9Readiness(now time.Time, p *frameworks.WelfarePolicy, sch store.OK9Scheme, dogs []store.OK9Dog, handlers []store.OK9Handler) []ReadinessCheck {
	today := frameworks.Day(now)
	var checks []ReadinessCheck
	for _, it := range store.SchemeStanding(p, today, sch) {
		c := ReadinessCheck{Label: it.Label, OK: it.Failure == nil}
		switch {
		case it.Failure != nil:
			c.Detail = it.Failure.Rule + ". " + it.Failure.Fix + "."
		case it.LapsesOn != nil:
			c.Detail = "In date until " + it.LapsesOn.Format("2 January 2006")
		case sch.SLASignedOn != nil:
			c.Detail = "Signed " + sch.SLASignedOn.Format("2 January 2006")
		}
		if it.Label == "Animal welfare scheme" && c.OK {
			c.Detail = sch.WelfareScheme + ", " + strings.ToLower(c.Detail[:1]) + c.Detail[1:]
		}
		checks = append(checks, c)
	}
	var unassessed, overdue, dueSoon []string
	byID := map[int64]store.OK9Dog{}
	for _, d := range dogs {
		byID[d.ID] = d
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
	var blocked, unsupported []string
	for _, h := range handlers {
		if h.Status != store.HandlerActive {
			continue
		}
		dog := store.OK9Dog{CallName: "their dog", AssessmentPassedOn: &today} // the dog's own assessment is its own line
		if len(h.DogIDs) > 0 {
			if d, ok := byID[h.DogIDs[0]]; ok {
				dog = d
				dog.AssessmentPassedOn = &today
			}
		}
		if fails := store.HandlerGates(p, today, h, dog); len(fails) > 0 {
			var fixes []string
			for _, f := range fails {
				fixes = append(fixes, strings.TrimSuffix(f.Fix, "."))
			}
			blocked = append(blocked, h.DisplayName+" ("+strings.Join(fixes, "; ")+")")
		}
		if h.SupervisorAgreedOn == nil || h.ProtectedHoursMonth == 0 {
			unsupported = append(unsupported, h.DisplayName)
		}
	}
	checks = append(checks,
		listCheck("Every active dog has passed the OK9 suitability assessment", unassessed, "Not yet assessed: "),
		listCheck("Every active handler can be deployed (trained, training in date, suitability assessment passed)", blocked, "Cannot be deployed: "),
		listCheck("Every active handler has their supervisor's agreement and protected time", unsupported, "Record the supervisor's agreement and protected hours a month for "))
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
		Readiness: ok9Readiness(s.deps.Store.Now(), s.welfarePolicy(), sch, dogs, handlers)}
	if cnt := counts[org.ID]; cnt != nil {
		page.Indicators, page.Return = cnt.Indicators(year), cnt.Return
	}
	for y := this; y >= this-4; y-- {
		page.YearOptions = append(page.YearOptions, Option{Value: itoa(int64(y)), Label: itoa(int64(y)), Selected: y == year})
	}
	return s.render(c, "provision", views.Page{Title: "Provision: " + org.Name, Data: page})
}

type traumaPage struct {
	Org            store.Organisation
	OrgQuery       string
	CanEdit        bool
	Rows           []traumaRow
	Fields         []store.TraumaField
	Form           map[string]string
	QuarterOptions []Option
}

// showTrauma lists the organisation's quarterly TRiM and trauma support
// returns, with a form for one quarter (?year=&quarter=, by default the
// last full quarter).
func (s *Server) showTrauma(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	year, quarter := now.Year(), (int(now.Month())-1)/3 // the last full quarter
	if quarter == 0 {
		year, quarter = year-1, 4
	}
	year, quarter = c.QueryInt("year", year), c.QueryInt("quarter", quarter)
	form := map[string]string{"year": itoa(int64(year)), "quarter": itoa(int64(quarter))}
	list, err := s.deps.Store.TraumaReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Year == year && r.Quarter == quarter {
			for _, f := range store.TraumaFields {
				form[f.Name] = itoa(int64(*f.Value(&r)))
			}
		}
	}
	return s.renderTrauma(c, org, form, nil)
}

func (s *Server) renderTrauma(c *fiber.Ctx, org store.Organisation, form map[string]string, errs []views.FieldError) error {
	list, err := s.deps.Store.TraumaReturns(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	page := traumaPage{Org: org, OrgQuery: orgQuery(c, org), CanEdit: actorOf(currentUser(c)).CanEditProvision(), Fields: store.TraumaFields, Form: form}
	for _, r := range list {
		row := traumaRow{Quarter: quarterLabel(r.Quarter) + " " + itoa(int64(r.Year))}
		for _, f := range store.TraumaFields {
			row.Counts = append(row.Counts, *f.Value(&r))
		}
		page.Rows = append(page.Rows, row)
	}
	for q := 1; q <= 4; q++ {
		page.QuarterOptions = append(page.QuarterOptions, Option{Value: itoa(int64(q)), Label: quarterLabel(q), Selected: form["quarter"] == itoa(int64(q))})
	}
	return s.render(c, "provision_trauma", views.Page{Title: "TRiM and trauma support: " + org.Name, Errors: errs, Flash: banner(c), BackLink: "/provision" + page.OrgQuery, Data: page})
}

type traumaRow struct {
	Quarter string
	Counts  []int // in the order of store.TraumaFields
}

// quarterLabel names a calendar quarter, e.g. "July to September".
func quarterLabel(q int) string {
	return [...]string{"", "January to March", "April to June", "July to September", "October to December"}[q]
}

func (s *Server) saveTrauma(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	f := readForm(c)
	var in input.TraumaReturn
	valid := f.Read(&in)
	if heldBack(c) {
		return s.renderTrauma(c, org, f.Values, nil)
	}
	if valid {
		r := store.TraumaReturn{OrganisationID: org.ID}
		in.Apply(&r)
		_, err := s.deps.Store.SaveTraumaReturn(c.UserContext(), s.actor(c), scopeOf(currentUser(c)), r)
		var fe *store.FieldError
		if errors.As(err, &fe) {
			f.Fail(fe.Field, fe.Message)
		} else if err = f.StoreError(err, "incidents"); err != nil {
			return err
		}
		if len(f.Errs) == 0 {
			return c.Redirect(doneURL("/provision/trauma"+orgQuery(c, org), "saved"), fiber.StatusSeeOther)
		}
	}
	return s.renderTrauma(c, org, f.Values, f.Errs)
}

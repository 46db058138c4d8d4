package server

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/input"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

const auditPageSize = 50

type auditPage struct {
	Events               []auditRow
	From, To, EntityType string
	PersonOptions        []Option
	EntityOptions        []Option
	Total                int64
	Page, Pages          int
	PrevHref, NextHref   string
	CSVHref              string
}

type auditRow struct {
	store.AuditEvent
	OrgName string
	What    string // the action in words
	Record  string // the record's type in words, and its id
}

// readAuditFilter reads the filter from the query string; bad values are
// reported as field errors and left out of the filter.
func readAuditFilter(c *fiber.Ctx) (store.AuditFilter, auditPage, []views.FieldError) {
	f := input.NewForm(func(name string) string { return c.Query(name) }, nil)
	var in input.AuditFilter
	f.Read(&in)
	return in.Filter(), auditPage{From: f.Values["from"], To: f.Values["to"], EntityType: f.Values["entity"]}, f.Errs
}

func (s *Server) showAudit(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	f, page, errs := readAuditFilter(c)
	page.Page = max(1, c.QueryInt("page", 1))
	f.Limit, f.Offset = auditPageSize, (page.Page-1)*auditPageSize
	events, total, err := s.deps.Store.ListAudit(ctx, scopeOf(u), f)
	if err != nil {
		return err
	}
	names, err := s.orgNames(c)
	if err != nil {
		return err
	}
	for _, e := range events {
		row := auditRow{AuditEvent: e, What: auditWhat(e), Record: strings.ReplaceAll(e.EntityType, "_", " ") + " " + e.EntityID}
		if e.OrganisationID != nil {
			row.OrgName = names[*e.OrganisationID]
		}
		page.Events = append(page.Events, row)
	}
	people, err := s.deps.Store.ListUsers(ctx, scopeOf(u))
	if err != nil {
		return err
	}
	page.PersonOptions = []Option{{Value: "", Label: "Anyone"}}
	for _, p := range people {
		page.PersonOptions = append(page.PersonOptions, Option{Value: itoa(p.ID), Label: p.DisplayName + " (" + p.Email + ")", Selected: p.ID == f.ActorUserID})
	}
	page.EntityOptions = []Option{{Value: "", Label: "All records"}}
	for _, e := range input.AuditEntityTypes {
		page.EntityOptions = append(page.EntityOptions, Option{Value: e, Label: strings.ReplaceAll(e, "_", " "), Selected: e == f.EntityType})
	}
	page.Total = total
	page.Pages = int((total + auditPageSize - 1) / auditPageSize)
	q := c.Request().URI().QueryArgs()
	link := func(p int) string {
		v := url.Values{}
		q.VisitAll(func(k, val []byte) { v.Set(string(k), string(val)) })
		v.Set("page", strconv.Itoa(p))
		return "/audit?" + v.Encode()
	}
	if page.Page > 1 {
		page.PrevHref = link(page.Page - 1)
	}
	if page.Page < page.Pages {
		page.NextHref = link(page.Page + 1)
	}
	csvQuery := url.Values{}
	q.VisitAll(func(k, val []byte) {
		if string(k) != "page" {
			csvQuery.Set(string(k), string(val))
		}
	})
	page.CSVHref = "/audit.csv?" + csvQuery.Encode()
	return s.render(c, "audit", views.Page{Title: "Audit trail", Errors: errs, Data: page})
}

// exportAudit streams the filtered trail as CSV, oldest first.
func (s *Server) exportAudit(c *fiber.Ctx) error {
	f, _, _ := readAuditFilter(c)
	names, err := s.orgNames(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="audit-trail.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	w := csv.NewWriter(c.Response().BodyWriter())
	_ = w.Write([]string{"time (UTC)", "organisation", "who", "action", "record type", "record id", "before", "after", "request id", "address"})
	err = s.deps.Store.EachAudit(c.UserContext(), scopeOf(currentUser(c)), f, func(e store.AuditEvent) error {
		org := ""
		if e.OrganisationID != nil {
			org = names[*e.OrganisationID]
		}
		return w.Write(csvSafe(e.At.UTC().Format(time.RFC3339), org, e.ActorLabel, e.Action, e.EntityType, e.EntityID, e.Before, e.After, e.RequestID, e.IP))
	})
	w.Flush()
	if err != nil {
		return err
	}
	return w.Error()
}

// csvSafe stops spreadsheet programs from running a cell as a formula: a
// value starting with = + - @ or a control character gets a leading quote.
func csvSafe(cells ...string) []string {
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			cells[i] = "'" + v
		}
	}
	return cells
}

// auditWords says what each kind of audit event did, in words; the CSV keeps
// the code. A code not listed shows as it is.
var auditWords = map[string]string{
	"action.add":                       "Added an improvement action",
	"action.remove":                    "Removed an improvement action",
	"action.status":                    "Changed the status of an improvement action",
	"response.save":                    "Saved an answer",
	"assessment.start":                 "Started a self-assessment",
	"assessment.submitted":             "Submitted the self-assessment",
	"assessment.returned":              "Returned the self-assessment with comments",
	"assessment.validated":             "Validated the self-assessment",
	"assessment.peer_review_requested": "Asked for a peer review",
	"assessment.workbook_applied":      "Applied an uploaded workbook to the self-assessment",
	"api_token.create":                 "Created an API token",
	"api_token.revoke":                 "Revoked an API token",
	"business_case.assumptions.save":   "Changed the business case assumptions",
	"cycle.create":                     "Opened an assessment cycle",
	"cycle.update":                     "Changed an assessment cycle",
	"local_role.create":                "Added a local role to the risk register",
	"role_assessment.save":             "Signed off a role's risk assessment",
	"role_review.draft":                "Saved a draft of a role's risk assessment, not signed off",
	"ok9.aid.request":                  "Asked for OK9 mutual aid",
	"ok9.aid.offer":                    "Offered OK9 dogs for mutual aid",
	"ok9.aid.accepted":                 "Agreed to lend OK9 dogs",
	"ok9.aid.declined":                 "Declined to lend OK9 dogs",
	"ok9.aid.close":                    "Closed a mutual-aid request",
	"ok9.deployment.log":               "Logged an OK9 deployment",
	"ok9.dog.save":                     "Saved an OK9 dog's record",
	"ok9.handler.save":                 "Saved an OK9 handler's record",
	"ok9.scheme.save":                  "Saved the OK9 scheme details",
	"organisation.create":              "Added an organisation",
	"organisation.import":              "Imported an organisation",
	"organisation.update":              "Changed an organisation's details",
	"workforce.set":                    "Recorded workforce figures",
	"password_link.create":             "Made a set-password link",
	"peer_support.return.save":         "Saved a peer support return",
	"van.visit.add":                    "Recorded a wellbeing van visit",
	"van.save":                         "Added or changed a van of the wellbeing van fleet",
	"van.request":                      "Requested a wellbeing van",
	"van.withdraw":                     "Withdrew a wellbeing van request",
	"van.schedule":                     "Booked a wellbeing van for a request",
	"van.decline":                      "Declined a wellbeing van request",
	"van.deliver":                      "Recorded what a wellbeing van visit delivered",
	"signin":                           "Signed in",
	"signin.failed":                    "Failed to sign in",
	"signin.throttled":                 "Was refused sign-in after too many failed attempts",
	"signout":                          "Signed out",
	"user.create":                      "Added a person",
	"user.access":                      "Changed a person's role or sections",
	"user.disable":                     "Disabled a person's account",
	"user.enable":                      "Enabled a person's account",
	"user.password":                    "Set a password",
	"user.email_clash":                 "Tried to add a person whose email address is already used",
}

// auditWhat is an event in words, naming the standard where it has one:
// "Added an improvement action to LEAD-04".
func auditWhat(e store.AuditEvent) string {
	words, ok := auditWords[e.Action]
	if !ok {
		return e.Action
	}
	switch {
	case e.EntityType == "response":
		if _, sid, ok := strings.Cut(e.EntityID, "/"); ok && sid != "" {
			return strings.Replace(words, "an answer", "the answer to "+sid, 1)
		}
	case e.EntityType == "role_assessment", e.EntityType == "role_review_draft":
		// "Signed off a role's risk assessment (POLIT-ICAT/v3) as Jo Bloggs, Head of Wellbeing"
		var rec struct {
			SignedOffBy string `json:"signed_off_by"`
		}
		words += " (" + e.EntityID + ")"
		if e.After != "" && json.Unmarshal([]byte(e.After), &rec) == nil && rec.SignedOffBy != "" {
			words += " as " + rec.SignedOffBy
		}
		return words
	case e.EntityType == "action":
		var rec struct {
			StandardID string `json:"standard_id"`
		}
		for _, raw := range []string{e.After, e.Before} {
			if raw != "" && json.Unmarshal([]byte(raw), &rec) == nil && rec.StandardID != "" {
				if e.Action == "action.add" {
					return words + " to " + rec.StandardID
				}
				return words + " on " + rec.StandardID
			}
		}
	}
	return words
}

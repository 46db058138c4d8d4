package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Option is one choice in a select, radios or checkboxes.
type Option struct {
	Value, Label, Hint string
	Selected           bool
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var roleLabels = map[string]string{
	store.RoleNationalAdmin: "National admin",
	store.RoleOwner:         "Organisation owner",
	store.RoleContributor:   "Contributor",
	store.RoleViewer:        "Viewer",
}

func roleLabel(role string) string {
	if l, ok := roleLabels[role]; ok {
		return l
	}
	return role
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-sign-in redirect on this site: next must be a path
// of one of the app's pages, or the person goes home. Browsers drop tabs and
// newlines, trim spaces and control characters and read a backslash as a
// slash before resolving a Location, so "/\t/evil.example" would leave the
// site: any of those anywhere, and anything outside printable ASCII, is
// refused outright rather than cleaned.
func (s *Server) safeNext(next string) string {
	if len(next) > 2048 || !printableASCII(next) || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !printableASCII(u.Path) || !s.pages.match(u.Path) {
		return "/"
	}
	return next
}

// printableASCII reports whether s is all printable ASCII other than space
// and backslash.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return false
		}
	}
	return true
}

// pagePaths are the app's GET routes, each split into segments, so that a
// path can be checked against them.
type pagePaths [][]string

func pageRoutes(app *fiber.App) pagePaths {
	var out pagePaths
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodGet {
			out = append(out, strings.Split(r.Path, "/")[1:])
		}
	}
	return out
}

// match reports whether the decoded path is one a GET route serves: the
// same literal segments, a parameter matching one non-empty segment, a
// wildcard the rest. "." and ".." match nothing, so the browser's own
// normalisation cannot move the path to another route.
func (pp pagePaths) match(path string) bool {
	segs := strings.Split(path, "/")[1:]
	if slices.Contains(segs, ".") || slices.Contains(segs, "..") {
		return false
	}
	for _, route := range pp {
		if matchRoute(route, segs) {
			return true
		}
	}
	return false
}

func matchRoute(route, segs []string) bool {
	for i, r := range route {
		switch {
		case r == "*" || r == "+":
			return true
		case i >= len(segs):
			return false
		case strings.HasPrefix(r, ":"):
			if segs[i] == "" {
				return false
			}
		case r != segs[i]:
			return false
		}
	}
	return len(route) == len(segs)
}

// navFor lists what the person may open, in the order they use it.
func navFor(u *store.User, path string) []views.NavItem {
	if u == nil {
		return nil
	}
	type item struct {
		label, href string
		roles       []string
	}
	owners := []string{store.RoleNationalAdmin, store.RoleOwner}
	items := []item{
		{"Home", "/", nil},
		{"Self-assessments", "/assessments", nil},
		{"Risk register", "/risk", []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}},
		{"Provision", "/provision", []string{store.RoleOwner, store.RoleContributor, store.RoleViewer}},
		{"Mutual aid", "/mutual-aid", nil},
		{"Reports", "/reports", nil},
		{"National", "/national", []string{store.RoleNationalAdmin}},
		{"Organisations", "/organisations", []string{store.RoleNationalAdmin}},
		{"People", "/people", owners},
		{"Audit trail", "/audit", owners},
	}
	var out []views.NavItem
	for _, it := range items {
		if it.roles != nil && !slices.Contains(it.roles, u.Role) {
			continue
		}
		current := path == it.href || (it.href != "/" && strings.HasPrefix(path, it.href+"/"))
		out = append(out, views.NavItem{Label: it.label, Href: it.href, Current: current})
	}
	return out
}

// render writes a full page, filling in what every page needs.
func (s *Server) render(c *fiber.Ctx, page string, p views.Page) error {
	token, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	p.CSRFToken = token
	p.RequestID = RequestID(c)
	p.HeldBack = heldBack(c)
	if u := currentUser(c); u != nil {
		p.User = &views.User{Name: u.DisplayName, RoleLabel: roleLabel(u.Role), OrgName: s.orgName(c, u)}
		p.Nav = navFor(u, c.Path())
		if ends := sessionEnds(c); !ends.IsZero() {
			p.SessionEnds, p.SessionSeconds = ukClock(ends), int(ends.Sub(s.deps.Store.Now())/time.Second)
			p.SessionIdleMinutes = int(idleTimeout / time.Minute)
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store") // pages show personal and organisational data
	return s.views.Render(c.Response().BodyWriter(), page, p)
}

func (s *Server) orgName(c *fiber.Ctx, u *store.User) string {
	if u.OrganisationID == nil {
		return "National Police Wellbeing Service"
	}
	o, err := s.deps.Store.Organisation(c.UserContext(), scopeOf(u), *u.OrganisationID)
	if err != nil {
		return ""
	}
	return o.Name
}

// orgInView is the organisation a page or API call is about: the person's
// own, or for a national admin the one named by ?org=.
func (s *Server) orgInView(c *fiber.Ctx) (store.Organisation, error) {
	u := currentUser(c)
	id := int64(0)
	if u.OrganisationID != nil {
		id = *u.OrganisationID
	} else {
		id, _ = strconv.ParseInt(c.Query("org"), 10, 64)
	}
	return s.deps.Store.Organisation(c.UserContext(), scopeOf(u), id)
}

// orgQuery carries a national admin's choice of organisation from page to
// page; for everyone else the organisation is their own and it is empty.
func orgQuery(c *fiber.Ctx, org store.Organisation) string {
	if currentUser(c).OrganisationID == nil {
		return "?org=" + itoa(org.ID)
	}
	return ""
}

// banners are the messages a page shows after a change or a step, keyed by
// the ?done= its redirect carries: one list, so every page words them alike.
var banners = map[string]string{
	"saved":          "Saved.",
	"draft-saved":    "Draft saved. It is not signed off and counts in no figure until it is.",
	"action-added":   "Action added, with any change to the answer saved.",
	"changes":        "Changes saved.",
	"submitted":      "Assessment submitted to the National Police Wellbeing Service.",
	"returned":       "Assessment returned to the organisation with your comments.",
	"validated":      "Assessment marked as validated.",
	"peer-review":    "Peer review requested. The national team will be in touch.",
	"scheme":         "Scheme details saved",
	"dog":            "Dog saved",
	"handler":        "Handler saved",
	"deployment":     "Deployment logged",
	"return":         "Peer support return saved",
	"van-requested":  "Van request sent to the national team",
	"van-withdrawn":  "Van request withdrawn",
	"van-added":      "Van added to the fleet",
	"van-changed":    "Van changed",
	"van-scheduled":  "Van booked for the request",
	"van-declined":   "Request declined",
	"van-delivered":  "Visit recorded as delivered",
	"request":        "Mutual-aid request sent to the national team",
	"offer":          "Offer sent to the lending organisation",
	"accepted":       "Offer accepted: the deployment is in both organisations' logs",
	"declined":       "Offer declined",
	"closed":         "Request closed",
	"signed-out":     "You have signed out.",
	"password-set":   "Your password has been set. Sign in with it now.",
	"revoked":        "Token revoked. Anything using it can no longer reach the API.",
	"signin-removed": "The organisation's own sign-in is removed: its people sign in with passwords.",
}

// banner is the message for the request's ?done=, or "".
func banner(c *fiber.Ctx) string { return banners[c.Query("done")] }

// doneURL is where to go after a change: path (which may have a query and a
// #fragment) with ?done=key, so the page shows key's banner.
func doneURL(path, key string) string {
	path, fragment, _ := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	if fragment != "" {
		fragment = "#" + fragment
	}
	return path + sep + "done=" + key + fragment
}

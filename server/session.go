package server

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the page states when the session ends in UK time

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Session lifetimes: a signed-in session ends after this long without a
// request, and in any case this long after sign-in.
const (
	sessionCookie   = "session"
	csrfCookie      = "csrf"
	idleTimeout     = 30 * time.Minute
	absoluteTimeout = 12 * time.Hour
	touchEvery      = time.Minute // fewer writes: last_seen_at need not be exact
	// An idle session's row is kept this long after it ends (never past its
	// absolute expiry), so that a form sent from it can still be recognised
	// as this person's and what they typed offered back after they sign in
	// again. The row signs nobody in.
	keepIdleSessionFor = 8 * time.Hour
	// warnBefore is how long before the idle limit the timeout warning shows.
	warnBefore = 2 * time.Minute
)

// loadSession finds the signed-in person from the session cookie. A missing,
// expired or idle session simply leaves the request signed out.
func (s *Server) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	ctx := c.UserContext()
	hash := auth.HashToken(token)
	sess, user, err := s.deps.Store.SessionByHash(ctx, hash)
	switch {
	case apperr.Code(err) == apperr.ENOTFOUND:
		s.clearCookie(c, sessionCookie)
		return c.Next()
	case err != nil:
		return err
	}
	now := s.deps.Store.Now()
	if now.Sub(sess.LastSeenAt) > idleTimeout {
		// Signed out, but the row stays (housekeeping removes it later) so a
		// form sent from this session is still known to be this person's.
		c.Locals(localIdleSession, &sess)
		c.Locals(localIdleUser, &user)
		s.clearCookie(c, sessionCookie)
		return c.Next()
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.deps.Store.TouchSession(ctx, hash); err != nil {
			return err
		}
		sess.LastSeenAt = now
	}
	c.Locals(localUser, &user)
	c.Locals(localSession, &sess)
	return c.Next()
}

const (
	localUser        = "user"
	localSession     = "session"
	localIdleSession = "idle-session" // the session that ended while idle
	localIdleUser    = "idle-user"
)

// sessionEnds is when the signed-in session ends if nothing more is sent,
// or the zero time for a request without a session.
func sessionEnds(c *fiber.Ctx) time.Time {
	if sess := currentSession(c); sess != nil {
		ends := sess.LastSeenAt.Add(idleTimeout)
		if sess.ExpiresAt.Before(ends) {
			ends = sess.ExpiresAt
		}
		return ends
	}
	return time.Time{}
}

// ukClock is a time of day as people in the UK read their clocks.
func ukClock(t time.Time) string {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		t = t.In(loc)
	}
	return t.Format("15:04")
}

// keepAlive answers the timeout warning's "Stay signed in": the request
// itself has already renewed the session (loadSession).
func (s *Server) keepAlive(c *fiber.Ctx) error {
	if currentSession(c) == nil {
		return apperr.Errorf(apperr.EUNAUTHORIZED, "Sign in to continue.")
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// currentUser is the signed-in person (by session or API token), or nil.
func currentUser(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(localUser).(*store.User)
	return u
}

func currentSession(c *fiber.Ctx) *store.Session {
	sess, _ := c.Locals(localSession).(*store.Session)
	return sess
}

// startSession signs a person in with a brand-new session id, so that an id
// planted before sign-in is worthless afterwards.
func (s *Server) startSession(c *fiber.Ctx, user store.User) error {
	ctx := c.UserContext()
	if old := c.Cookies(sessionCookie); old != "" {
		if err := s.deps.Store.DeleteSession(ctx, auth.HashToken(old)); err != nil && apperr.Code(err) != apperr.ENOTFOUND {
			return err
		}
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	csrf, _, err := auth.NewToken()
	if err != nil {
		return err
	}
	now := s.deps.Store.Now()
	sess := store.Session{
		Hash: hash, UserID: user.ID, CSRFToken: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(absoluteTimeout),
	}
	if err := s.deps.Store.CreateSession(ctx, sess); err != nil {
		return err
	}
	c.Locals(localSession, &sess) // a page shown now carries the new session's form token
	s.setCookie(c, sessionCookie, token, now.Add(absoluteTimeout))
	s.clearCookie(c, csrfCookie) // the signed-out form token is no longer needed
	return nil
}

func (s *Server) endSession(c *fiber.Ctx) error {
	if token := c.Cookies(sessionCookie); token != "" {
		if err := s.deps.Store.DeleteSession(c.UserContext(), auth.HashToken(token)); err != nil && apperr.Code(err) != apperr.ENOTFOUND {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return nil
}

func (s *Server) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: "/", Expires: expires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https",
	})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: c.Protocol() == "https",
	})
}

// csrfToken is the token forms must send back: the session's when signed in,
// otherwise one kept in its own cookie (for sign-in and set-password forms).
func (s *Server) csrfToken(c *fiber.Ctx) (string, error) {
	if sess := currentSession(c); sess != nil {
		return sess.CSRFToken, nil
	}
	if v, ok := c.Locals(csrfCookie).(string); ok {
		return v, nil
	}
	token := c.Cookies(csrfCookie)
	if len(token) < 32 {
		var err error
		if token, _, err = auth.NewToken(); err != nil {
			return "", err
		}
		s.setCookie(c, csrfCookie, token, s.deps.Store.Now().Add(absoluteTimeout))
	} else {
		token = strings.Clone(token)
	}
	c.Locals(csrfCookie, token)
	return token, nil
}

func isSafeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// checkCSRF refuses any state-changing browser request that does not carry
// the form token. The API is exempt: it takes bearer tokens, not cookies.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	if isSafeMethod(c.Method()) || strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	want, err := s.csrfToken(c)
	if err != nil {
		return err
	}
	if want == "" || !auth.EqualTokens(submittedCSRF(c), want) {
		if held, ok := s.heldForm(c); ok {
			return s.showHeldSignIn(c, held)
		}
		return apperr.Errorf(apperr.EFORBIDDEN, "This form has expired or did not come from this service. Go back, reload the page and try again.")
	}
	return c.Next()
}

// submittedCSRF is the token a request carries in its form body or the
// X-CSRF-Token header; never from the query string, where it would end up
// in logs, browser history and Referer headers, and where a link could
// carry one.
func submittedCSRF(c *fiber.Ctx) string {
	if v := c.Request().PostArgs().Peek("_csrf"); len(v) > 0 { // url-encoded bodies only
		return string(v)
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		if form, err := c.MultipartForm(); err == nil && len(form.Value["_csrf"]) > 0 {
			return form.Value["_csrf"][0]
		}
	}
	return c.Get("X-CSRF-Token")
}

// apiAuth signs API requests in by bearer token.
func (s *Server) apiAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return apperr.Errorf(apperr.EUNAUTHORIZED, "Send an API token as 'Authorization: Bearer <token>'.")
	}
	_, user, err := s.deps.Store.APITokenByHash(c.UserContext(), auth.HashToken(strings.TrimSpace(token)))
	if apperr.Code(err) == apperr.ENOTFOUND {
		return apperr.Errorf(apperr.EUNAUTHORIZED, "The API token is not valid: it may have been revoked.")
	}
	if err != nil {
		return err
	}
	c.Locals(localUser, &user)
	return c.Next()
}

// requireUser sends signed-out browsers to the sign-in page, then back.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if c.Method() == fiber.MethodGet {
		return c.Redirect("/sign-in?next="+urlQueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return apperr.Errorf(apperr.EUNAUTHORIZED, "Sign in to continue.")
}

// requireRole lets through only people with one of the roles.
func requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return apperr.Errorf(apperr.EUNAUTHORIZED, "Sign in to continue.")
		}
		for _, r := range roles {
			if u.Role == r {
				return c.Next()
			}
		}
		return apperr.Errorf(apperr.EFORBIDDEN, "You do not have permission to do this. Ask your organisation's owner if you need it.")
	}
}

// scopeOf limits a person's queries to their organisation; national admins
// see every organisation. Anyone else without an organisation gets the zero
// scope, which sees nothing: never widen a broken account's view.
func scopeOf(u *store.User) store.Scope {
	switch {
	case u.Role == store.RoleNationalAdmin:
		return store.AllOrganisations()
	case u.OrganisationID == nil:
		return store.Scope{}
	default:
		return store.Scope{OrgID: *u.OrganisationID}
	}
}

// actor is the caller as the store sees them: what they may change, and
// how the audit trail names them. Signed out, they may change nothing.
func (s *Server) actor(c *fiber.Ctx) store.Actor {
	a := actorOf(currentUser(c))
	a.RequestID, a.IP = RequestID(c), c.IP()
	return a
}

// actorOf is the person as the store sees them. Handlers ask it what the
// person may change (to show or hide forms); the store asks the same
// questions before it changes anything.
func actorOf(u *store.User) store.Actor {
	if u == nil {
		return store.Actor{}
	}
	a := store.Actor{UserID: u.ID, Role: u.Role, Sections: u.Sections, Label: u.DisplayName + " (" + roleLabel(u.Role) + ")"}
	if u.OrganisationID != nil {
		a.OrgID = *u.OrganisationID
	}
	return a
}

// Housekeep removes idle and expired sessions and sign-in failures too old
// to count, every interval until ctx ends. One instance doing it is enough,
// but several doing it at once is harmless.
func (s *Server) Housekeep(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.housekeepOnce(ctx)
		}
	}
}

func (s *Server) housekeepOnce(ctx context.Context) {
	now := s.deps.Store.Now()
	sessions, err := s.deps.Store.DeleteSessionsIdleSince(ctx, now.Add(-idleTimeout-keepIdleSessionFor))
	if err != nil {
		s.deps.Log.Warn("housekeeping: sessions", "error", err.Error())
	}
	failures, err := s.deps.Store.DeleteSignInFailuresBefore(ctx, now.Add(-throttleWindow), now.Add(-familiarAddressLifetime))
	if err != nil {
		s.deps.Log.Warn("housekeeping: sign-in failures", "error", err.Error())
	}
	pending, err := s.deps.Store.DeleteOIDCSignInsBefore(ctx, now.Add(-store.OIDCSignInLifetime))
	if err != nil {
		s.deps.Log.Warn("housekeeping: pending provider sign-ins", "error", err.Error())
	}
	if sessions+failures+pending > 0 {
		s.deps.Log.Info("housekeeping", "sessions_removed", sessions, "signin_failures_removed", failures, "provider_signins_removed", pending)
	}
}

// heldForm is a form sent from a session that has ended while idle: what
// the person typed, to offer back once they sign in again.
type heldForm struct {
	UserID int64
	Email  string
	Path   string     // the page the form was on (its action is that page)
	Values url.Values // every field but the form token
}

// heldForm recognises a form sent from this browser's own idle session:
// its token is that session's, so it came from a page this person was
// shown. Only pages that can show a held form back are held.
func (s *Server) heldForm(c *fiber.Ctx) (heldForm, bool) {
	sess, _ := c.Locals(localIdleSession).(*store.Session)
	user, _ := c.Locals(localIdleUser).(*store.User)
	if sess == nil || user == nil || c.Method() != fiber.MethodPost || !holdable(c.Path()) ||
		!auth.EqualTokens(submittedCSRF(c), sess.CSRFToken) {
		return heldForm{}, false
	}
	h := heldForm{UserID: user.ID, Email: user.Email, Path: strings.Clone(c.OriginalURL()), Values: url.Values{}}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if name := string(k); name != "_csrf" && name != "_held" {
			h.Values.Add(name, string(v))
		}
	})
	return h, true
}

// holdable says whether a form posted to target (a path, with the query
// that names the year or organisation) can be shown back after sign-in:
// the long forms, whose save handlers show a held form (heldBack) rather
// than save it.
func holdable(target string) bool {
	path, _, _ := strings.Cut(target, "?")
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.Contains(path, "\\") {
		return false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	return slices.ContainsFunc(holdableForms, func(pattern []string) bool {
		if len(pattern) != len(segs) {
			return false
		}
		for i, p := range pattern {
			if segs[i] == "" || (p != "*" && p != segs[i]) {
				return false
			}
		}
		return true
	})
}

// holdableForms are the pages whose forms are held, "*" standing for an id.
var holdableForms = [][]string{
	{"assessments", "*", "standards", "*"},
	{"provision", "peer-support"},
	{"provision", "trauma"},
	{"provision", "ok9", "scheme"},
	{"provision", "ok9", "dogs"},
	{"provision", "ok9", "dogs", "*"},
	{"provision", "ok9", "handlers"},
	{"provision", "ok9", "handlers", "*"},
	{"risk", "roles", "*"},
}

// heldBack says whether this request is a held form sent back after
// signing in again (showHeld): its page shows it, and saves nothing.
func heldBack(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && c.FormValue("_held") != ""
}

// showHeldSignIn asks the person to sign in again, carrying what they typed
// in the sign-in form itself: nothing is stored, and it survives a restart.
// Its first step is the sign-in page's, so it may lead to a provider.
func (s *Server) showHeldSignIn(c *fiber.Ctx, h heldForm) error {
	step, err := s.signInStep(c)
	if err != nil {
		return err
	}
	c.Status(fiber.StatusUnauthorized)
	return s.render(c, "signin", views.Page{Title: "Sign in again", Data: views.SignIn{
		Email: h.Email, Next: h.Path, Step: step, Held: h.Values.Encode(), HeldUser: h.UserID, IdleMinutes: int(idleTimeout / time.Minute)}})
}

// signInHeld is a held form as a sign-in carries it, in the sign-in page's
// hidden fields or with a pending provider sign-in: its values url-encoded,
// whose it is and its page. Nobody has checked it yet.
type signInHeld struct {
	Raw    string
	UserID int64
	Path   string
}

// of is the held form if it is the signed-in person's own and for a page
// that can show it back; anyone else signing in never sees it.
func (h signInHeld) of(user store.User) (heldForm, bool) {
	if h.Raw == "" || h.UserID != user.ID || !holdable(h.Path) {
		return heldForm{}, false
	}
	vals, err := url.ParseQuery(h.Raw)
	if err != nil {
		return heldForm{}, false
	}
	return heldForm{UserID: h.UserID, Path: h.Path, Values: vals}, true
}

// showHeld is the page after signing in again: one button sends what was
// typed back to its page, which shows it to check before anything is saved.
func (s *Server) showHeld(c *fiber.Ctx, h heldForm) error {
	var fields []views.Option
	for _, k := range slices.Sorted(maps.Keys(h.Values)) {
		for _, v := range h.Values[k] {
			fields = append(fields, views.Option{Value: v, Label: k})
		}
	}
	return s.render(c, "held", views.Page{Title: "You are signed in again", Data: map[string]any{"Path": h.Path, "Fields": fields}})
}

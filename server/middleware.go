package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/bluelight-wellbeing/toolkit/server/clientwatch"
	"github.com/bluelight-wellbeing/toolkit/server/requestid"
	"github.com/bluelight-wellbeing/toolkit/server/strictjson"
)

const requestIDHeader = "X-Request-Id"

// A caller's request id is kept only if it is short and plain, so that it
// cannot inject anything into logs.
var reRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(requestIDHeader)
	if !reRequestID.MatchString(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else {
		id = strings.Clone(id) // Fiber reuses header memory after the handler
	}
	c.Locals("request_id", id) // and in the context: see requestContext
	c.Set(requestIDHeader, id)
	return c.Next()
}

// RequestID returns the id of the current request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals("request_id").(string)
	return id
}

// Deadlines for a request's work. Pages and the API get requestTimeout; the
// workbook upload and the report downloads (PDF, XLSX, the batch zip, the
// audit CSV) build large files and get longRequestTimeout.
const (
	requestTimeout     = 30 * time.Second
	longRequestTimeout = 5 * time.Minute
)

// longRequestPath matches the paths that get longRequestTimeout. Routing is
// not case-sensitive and allows a trailing slash, so neither does this.
var longRequestPath = regexp.MustCompile(`(?i)^/(` +
	`assessments/[^/]+/(upload|workbook\.xlsx)|` +
	`reports/[^/]+/[^/]+\.(pdf|xlsx)|` +
	`national/[^/]+/[^/]+\.(pdf|xlsx)|` +
	`national/batches/[^/]+/download|` +
	`audit\.csv)/?$`)

// timeoutFor is the deadline for a request to path.
func timeoutFor(path string) time.Duration {
	if longRequestPath.MatchString(path) {
		return longRequestTimeout
	}
	return requestTimeout
}

// requestContext gives the request the context every handler passes to the
// store (c.UserContext()): it carries the request id, ends at the request's
// deadline, and is cancelled when the client goes away (see package clientwatch).
func (s *Server) requestContext(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(requestid.With(context.Background(), RequestID(c)), timeoutFor(c.Path()))
	defer cancel()
	if stop := clientwatch.Watch(c.Context().Conn(), cancel); stop != nil {
		defer stop()
	}
	c.SetUserContext(ctx)
	return c.Next()
}

// logger returns the app logger with the request id attached.
func (s *Server) logger(c *fiber.Ctx) *slog.Logger {
	return s.deps.Log.With("request_id", RequestID(c))
}

func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Let the error handler write the response now, so the status logged is the one sent.
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.logger(c).Log(c.UserContext(), level, "request",
		"method", c.Method(),
		"path", logPath(c),
		"status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", len(c.Response().Body()),
	)
	return nil
}

func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.logger(c).Error("panic in handler", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

// contentSecurityPolicy allows only this site's own scripts, styles and
// images: no inline script, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaderValues go with every answer the server writes.
var securityHeaderValues = [][2]string{
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
	{"Content-Security-Policy", contentSecurityPolicy},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
	// Pages, the API and downloads carry personal and organisational data:
	// only an answer that says how it may be cached (the assets) is cached.
	{fiber.HeaderCacheControl, "no-store"},
}

// secureEveryAnswer wraps the HTTP server's handler and error handler so
// that every answer carries securityHeaderValues, including those written
// before any middleware runs: a body over BodyLimit (413), headers over the
// read buffer (431), a request that cannot be read (400, from fasthttp, or
// from Fiber for an unknown method), a read timeout (408). They are added
// after the answer is made, where it has not set its own, so nothing a
// handler does (resetting the response, say) can drop them.
func secureEveryAnswer(srv *fasthttp.Server) {
	handler, onError := srv.Handler, srv.ErrorHandler
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		handler(ctx)
		addSecurityHeaders(&ctx.Response.Header)
	}
	srv.ErrorHandler = func(ctx *fasthttp.RequestCtx, err error) {
		ctx.SetUserValue(localUnread, true) // for handleError: see there
		onError(ctx, err)
		addSecurityHeaders(&ctx.Response.Header)
	}
}

// localUnread marks a request the server could not read, answered by
// handleError without any middleware having run.
const localUnread = "unread"

func addSecurityHeaders(h *fasthttp.ResponseHeader) {
	for _, kv := range securityHeaderValues {
		if len(h.Peek(kv[0])) == 0 {
			h.Set(kv[0], kv[1])
		}
	}
}

// strictTransport tells browsers to come back only over HTTPS, on answers
// to requests that came over it (the other security headers are added to
// every answer by secureEveryAnswer).
func strictTransport(c *fiber.Ctx) error {
	if c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// logPath is the path to log: the route pattern where the path carries a
// parameter (a set-password link's token must never reach the logs), else
// the path itself. Query strings are never logged.
func logPath(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && strings.Contains(r.Path, ":") {
		return r.Path
	}
	return c.Path()
}

// maxFormBytes bounds every request body except the workbook upload.
const maxFormBytes = 1 << 20

// uploadPath is the one route allowed more than maxFormBytes, up to the
// app's BodyLimit: posting a filled-in workbook.
var uploadPath = regexp.MustCompile(`^/assessments/[0-9]+/upload/?$`)

// limitBody refuses large bodies everywhere but the upload route, whose own
// limit is the app's BodyLimit.
func limitBody(c *fiber.Ctx) error {
	if len(c.Request().Body()) > maxFormBytes && (c.Method() != fiber.MethodPost || !uploadPath.MatchString(c.Path())) {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

// refuseBadText answers 400, naming the field, when a query value or a form
// field (or its name) is not text (strictjson.TextProblem): not UTF-8, or
// holding NUL or another control character. One check at the edge for
// every page and API request, so no handler, and no database, meets them;
// JSON bodies are held to the same rule where they are decoded.
func refuseBadText(c *fiber.Ctx) error {
	var refusal error
	check := func(what string) func(key, value []byte) {
		return func(key, value []byte) {
			switch {
			case refusal != nil:
			case strictjson.TextProblem(string(key)) != "":
				refusal = fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf("The name of a %s %s.", what, strictjson.TextProblem(string(key))))
			case strictjson.TextProblem(string(value)) != "":
				refusal = fiber.NewError(fiber.StatusBadRequest, fmt.Sprintf("The %s %q %s.", what, key, strictjson.TextProblem(string(value))))
			}
		}
	}
	c.Request().URI().QueryArgs().VisitAll(check("query parameter"))
	c.Request().PostArgs().VisitAll(check("form field")) // empty unless the body is a url-encoded form
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		if form, err := c.MultipartForm(); err == nil { // a form that cannot be read is the handler's to refuse
			for key, values := range form.Value {
				for _, v := range values {
					check("form field")([]byte(key), []byte(v))
				}
			}
		}
	}
	if refusal != nil {
		return refusal
	}
	return c.Next()
}

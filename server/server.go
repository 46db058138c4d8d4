// Package server is the HTTP layer: the Fiber app, its middleware and its
// handlers. Fiber-specific code stays in this package so that a later move to
// another router is contained.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Deps is what the handlers need.
type Deps struct {
	Store      *store.Store
	Frameworks *frameworks.Set
	Log        *slog.Logger
	Version    string // build version shown in /healthz
}

// Server is the web app.
type Server struct {
	deps Deps
	app  *fiber.App
}

// New builds the app with every route registered.
func New(deps Deps) *Server {
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	s := &Server{deps: deps}
	s.app = fiber.New(fiber.Config{
		AppName:               "Blue Light Wellbeing Toolkit",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		BodyLimit:             1 << 20,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	s.routes()
	return s
}

// App exposes the Fiber app, for tests and for listing routes.
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) routes() {
	s.app.Use(s.requestID, s.logRequests, s.recoverPanics, securityHeaders)

	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/", s.home)

	api := s.app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	api.Get("/frameworks", s.listFrameworks)
	api.Get("/frameworks/:key/:version", s.showFramework)
}

// Serve accepts connections on ln until ctx is cancelled, then stops taking
// new connections and lets requests in flight finish, for at most drain.
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.deps.Log.Info("shutting down: draining requests in flight", "timeout", drain.String())
	if err := s.app.ShutdownWithTimeout(drain); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return <-errc
}

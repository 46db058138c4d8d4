// Package server is the HTTP layer: the Fiber app, its middleware and its
// handlers. Fiber-specific code stays in this package so that a later move to
// another router is contained.
package server

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/riverqueue/river"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/server/batch"
	"github.com/bluelight-wellbeing/toolkit/server/jobs"
	"github.com/bluelight-wellbeing/toolkit/server/mail"
	"github.com/bluelight-wellbeing/toolkit/server/oidcsignin"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/tasks"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Deps is what the handlers need.
type Deps struct {
	Store      *store.Store
	Frameworks *frameworks.Set
	Log        *slog.Logger
	Version    string // build version shown in /healthz
	// PublicURL is where people reach the service, for the links they are
	// given (config.Config.LinkBase); never taken from a request, whose Host
	// header anyone can write. Empty means the default listen address.
	PublicURL string
	// TrustedProxies are the addresses and CIDR ranges of reverse proxies
	// whose X-Forwarded-For and X-Forwarded-Proto are believed; empty
	// believes no one.
	TrustedProxies []string
	// Mail sends emails through the SMTP relay; nil means there is none:
	// reminders are written to the log and set-password links are shown
	// to copy by hand.
	Mail mail.Sender
	// ReminderInterval is how often the reminder scan runs in the
	// background; zero runs it only when asked (tests).
	ReminderInterval time.Duration
	// SecretKey (OIDC_SECRET_KEY, 32 bytes) encrypts the client secrets of
	// organisations' sign-in providers; empty means none can be stored.
	SecretKey []byte
	// OIDCClient is how the server reaches sign-in providers; nil makes one
	// with a 10 second timeout.
	OIDCClient *http.Client
	// BatchRender renders one organisation's report in a batch; nil renders
	// its benchmark PDF. Tests set it to follow which reports a run renders.
	BatchRender batch.Render
}

// Server is the web app.
type Server struct {
	deps    Deps
	app     *fiber.App
	views   *views.Views
	reports *reporting.Service
	jobs    *jobs.Queue
	batches *batch.Worker // kept to replace its rendering in tests
	mail    *mail.Runner  // the reminder scan and the outbox
	pages   pagePaths     // the GET routes, where a sign-in may send the person next
	proxies proxies
	oidc    *oidcsignin.Client
	sealer  *oidcsignin.Sealer
}

// New builds the app with every route registered.
func New(deps Deps) (*Server, error) {
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	v, err := views.New()
	if err != nil {
		return nil, err
	}
	if deps.Store != nil {
		// The store checks contributors' areas against the editions served.
		deps.Store.UseFrameworks(deps.Frameworks)
	}
	if deps.PublicURL == "" {
		deps.PublicURL = "http://127.0.0.1:8080"
	}
	trusted, err := parseProxies(deps.TrustedProxies)
	if err != nil {
		return nil, err
	}
	sealer, err := oidcsignin.NewSealer(deps.SecretKey)
	if err != nil {
		return nil, err
	}
	s := &Server{deps: deps, views: v, reports: reporting.New(deps.Store, deps.Frameworks), proxies: trusted,
		oidc: oidcsignin.New(deps.OIDCClient), sealer: sealer}
	var sender mail.Sender = mail.Log{Log: deps.Log}
	if deps.Mail != nil {
		sender = deps.Mail
	}
	s.mail = mail.NewRunner(deps.Store, sender, tasks.List{Store: deps.Store, Reports: s.reports}.Reminders, deps.PublicURL, deps.Log)
	if err := s.startJobs(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "Blue Light Wellbeing Toolkit",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		BodyLimit:             assessmentbook.MaxUploadBytes + 64<<10, // the workbook upload; other routes are held to less by limitBody
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Forwarded headers only from the configured proxies (forwardedClient).
		EnableTrustedProxyCheck: true,
		TrustedProxies:          deps.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
	})
	secureEveryAnswer(s.app.Server())
	s.routes()
	s.pages = pageRoutes(s.app)
	return s, nil
}

// Reminders is the reminder scan and outbox, for tests and commands.
func (s *Server) Reminders() *mail.Runner { return s.mail }

// App exposes the Fiber app, for tests and for listing routes.
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) routes() {
	s.app.Use(s.forwardedClient, s.requestID, s.requestContext, s.logRequests, s.recoverPanics, strictTransport, limitBody, refuseBadText)

	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/assets/*", s.serveAsset)

	api := s.app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	api.Get("/frameworks", s.listFrameworks) // reference content, public
	api.Get("/frameworks/:key/:version", s.showFramework)
	api.Get("/me", s.apiAuth, s.apiMe)
	api.Get("/assessments", s.apiAuth, s.apiListAssessments)
	api.Get("/assessments/:id", s.apiAuth, s.apiShowAssessment)
	api.Put("/assessments/:id/responses/:sid", s.apiAuth, s.apiSaveResponse)
	api.Get("/assessments/:id/standards/:sid/evidence", s.apiAuth, s.apiSuggestedEvidence)
	api.Post("/assessments/:id/submit", s.apiAuth, requireRole(store.RoleOwner), s.apiSubmitAssessment)
	api.Get("/risk/roles", s.apiAuth, s.apiRegister)
	api.Get("/risk/roles/:rid", s.apiAuth, s.apiRoleHistory)
	api.Post("/risk/roles/:rid", s.apiAuth, s.apiSaveRole)
	api.Get("/risk/roles/:rid/draft", s.apiAuth, s.apiRoleDraft)
	api.Put("/risk/roles/:rid/draft", s.apiAuth, s.apiSaveRoleDraft)
	api.Get("/provision", s.apiAuth, s.apiProvision)
	api.Get("/provision/ok9/scheme", s.apiAuth, s.apiOK9Scheme)
	api.Put("/provision/ok9/scheme", s.apiAuth, requireProvisionEditor, s.apiSaveOK9Scheme)
	api.Get("/provision/ok9/dogs", s.apiAuth, s.apiListDogs)
	api.Post("/provision/ok9/dogs", s.apiAuth, requireProvisionEditor, s.apiSaveDog)
	api.Get("/provision/ok9/dogs/:dog", s.apiAuth, s.apiShowDog)
	api.Put("/provision/ok9/dogs/:dog", s.apiAuth, requireProvisionEditor, s.apiSaveDog)
	api.Get("/provision/ok9/handlers", s.apiAuth, s.apiListHandlers)
	api.Post("/provision/ok9/handlers", s.apiAuth, requireProvisionEditor, s.apiSaveHandler)
	api.Get("/provision/ok9/handlers/:handler", s.apiAuth, s.apiShowHandler)
	api.Put("/provision/ok9/handlers/:handler", s.apiAuth, requireProvisionEditor, s.apiSaveHandler)
	api.Get("/provision/ok9/deployments", s.apiAuth, s.apiDeployments)
	api.Post("/provision/ok9/deployments", s.apiAuth, requireDeploymentLogger, s.apiLogDeployment)
	api.Get("/provision/peer-support", s.apiAuth, s.apiPeerSupportReturns)
	api.Get("/provision/peer-support/:year", s.apiAuth, s.apiPeerSupportReturn)
	api.Put("/provision/peer-support/:year", s.apiAuth, requireProvisionEditor, s.apiSavePeerSupportReturn)
	api.Get("/provision/trauma", s.apiAuth, s.apiTraumaReturns)
	api.Put("/provision/trauma/:year/:quarter", s.apiAuth, requireProvisionEditor, s.apiSaveTraumaReturn)
	api.Get("/provision/vans", s.apiAuth, s.apiVanRequests)
	api.Post("/provision/vans", s.apiAuth, requireProvisionEditor, s.apiRequestVan)
	api.Post("/provision/vans/:request/withdraw", s.apiAuth, requireProvisionEditor, s.apiWithdrawVan)
	api.Get("/vans", s.apiAuth, s.apiFleet)
	api.Post("/vans", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiAddVan)
	api.Put("/vans/:van", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiChangeVan)
	api.Get("/van-requests", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiFleetRequests)
	api.Post("/van-requests/:request/schedule", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiScheduleVan)
	api.Post("/van-requests/:request/decline", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiDeclineVan)
	api.Post("/van-requests/:request/delivery", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiDeliverVan)
	api.Get("/reports/:cycle", s.apiAuth, s.apiOrganisationReport)
	api.Get("/ok9/register", s.apiAuth, s.apiOK9Register) // the store decides: national admins and SPOCs
	api.Get("/mutual-aid", s.apiAuth, s.apiListMutualAid)
	api.Post("/mutual-aid", s.apiAuth, requireProvisionEditor, s.apiCreateMutualAid)
	api.Get("/mutual-aid/:request", s.apiAuth, s.apiShowMutualAid)
	api.Post("/mutual-aid/:request/offers", s.apiAuth, requireRole(store.RoleNationalAdmin), s.apiOfferMutualAid)
	api.Post("/mutual-aid/:request/close", s.apiAuth, s.apiCloseMutualAid)
	api.Post("/mutual-aid/offers/:offer", s.apiAuth, requireRole(store.RoleOwner), s.apiDecideMutualAid)

	// Browser pages: session cookie and CSRF check on everything below.
	s.app.Use(s.loadSession, s.checkCSRF)
	signedIn := s.requireUser
	admins := requireRole(store.RoleNationalAdmin)
	owners := requireRole(store.RoleNationalAdmin, store.RoleOwner)

	s.app.Get("/sign-in", s.showSignIn)
	s.app.Post("/sign-in", s.signIn)
	s.app.Post("/sign-out", s.signOut)
	s.app.Get(oidcCallbackPath, s.oidcCallback)
	s.app.Get("/set-password/:token", s.showSetPassword)
	s.app.Post("/set-password/:token", s.setPassword)
	s.app.Get("/email-settings/:token", s.showEmailSettings)
	s.app.Post("/email-settings/:token", s.saveEmailSettings)

	s.app.Get("/", signedIn, s.home)
	s.app.Get("/accessibility", s.showInfo("info_accessibility", "Accessibility statement"))
	s.app.Get("/privacy", s.showInfo("info_privacy", "Privacy notice"))
	s.app.Get("/cookies", s.showInfo("info_cookies", "Cookies"))
	s.app.Get("/help", s.showInfo("info_help", "Help and contact"))
	s.app.Get("/session/keep-alive", signedIn, s.keepAlive)
	s.app.Get("/frameworks", signedIn, admins, s.showFrameworks)

	s.app.Get("/organisations", signedIn, admins, s.listOrganisations)
	s.app.Get("/organisations/new", signedIn, admins, s.newOrganisation)
	s.app.Post("/organisations", signedIn, admins, s.createOrganisation)
	s.app.Get("/organisations/:id", signedIn, owners, s.showOrganisation)
	s.app.Post("/organisations/:id", signedIn, admins, s.updateOrganisation)
	s.app.Post("/organisations/:id/workforce", signedIn, owners, s.setWorkforce)
	s.app.Get("/organisations/:id/sign-in", signedIn, admins, s.showSignInSettings)
	s.app.Post("/organisations/:id/sign-in", signedIn, admins, s.saveSignInSettings)
	s.app.Post("/organisations/:id/sign-in/remove", signedIn, admins, s.removeSignInSettings)

	s.app.Get("/people", signedIn, owners, s.listPeople)
	s.app.Get("/people/new", signedIn, owners, s.newPerson)
	s.app.Post("/people", signedIn, owners, s.createPerson)
	s.app.Get("/people/:id", signedIn, owners, s.showPerson)
	s.app.Post("/people/:id/access", signedIn, owners, s.updatePersonAccess)
	s.app.Get("/people/:id/disable", signedIn, owners, s.confirmDisablePerson)
	s.app.Post("/people/:id/disable", signedIn, owners, s.setPersonDisabled(true))
	s.app.Post("/people/:id/enable", signedIn, owners, s.setPersonDisabled(false))
	s.app.Post("/people/:id/password-link", signedIn, owners, s.createPasswordLink)

	s.app.Get("/email-settings", signedIn, s.showEmailSettings)
	s.app.Post("/email-settings", signedIn, s.saveEmailSettings)

	s.app.Get("/tokens", signedIn, s.listTokens)
	s.app.Post("/tokens", signedIn, s.createToken)
	s.app.Get("/tokens/:id/revoke", signedIn, s.confirmRevokeToken)
	s.app.Post("/tokens/:id/revoke", signedIn, s.revokeToken)

	owner := requireRole(store.RoleOwner)
	s.app.Get("/assessments", signedIn, s.listAssessments)
	s.app.Post("/cycles", signedIn, admins, s.createCycle)
	s.app.Post("/cycles/:id", signedIn, admins, s.updateCycle)
	s.app.Post("/assessments", signedIn, owner, s.startAssessment)
	s.app.Get("/assessments/:id", signedIn, s.showAssessment)
	s.app.Get("/assessments/:id/check", signedIn, owner, s.showCheck)
	s.app.Post("/assessments/:id/submit", signedIn, owner, s.submitAssessment)
	s.app.Get("/assessments/:id/submitted", signedIn, s.showSubmitted)
	s.app.Post("/assessments/:id/return", signedIn, admins, s.returnAssessment)
	s.app.Post("/assessments/:id/validate", signedIn, admins, s.validateAssessment)
	s.app.Get("/assessments/:id/peer-review", signedIn, owner, s.showPeerReview)
	s.app.Post("/assessments/:id/peer-review", signedIn, owner, s.requestPeerReview)
	s.app.Get("/assessments/:id/history", signedIn, s.showHistory)
	s.app.Get("/assessments/:id/workbook.xlsx", signedIn, s.downloadWorkbook)
	s.app.Get("/assessments/:id/upload", signedIn, owner, s.showUpload)
	s.app.Post("/assessments/:id/upload", signedIn, owner, s.uploadWorkbook)
	s.app.Post("/assessments/:id/upload/:uid/apply", signedIn, owner, s.applyWorkbook)
	s.app.Get("/assessments/:id/standards/:sid", signedIn, s.showStandard)
	s.app.Post("/assessments/:id/standards/:sid", signedIn, s.saveStandard)
	s.app.Post("/assessments/:id/standards/:sid/actions", signedIn, s.addAction)
	s.app.Get("/assessments/:id/actions/:aid/remove", signedIn, s.confirmRemoveAction)
	s.app.Post("/assessments/:id/actions/:aid", signedIn, s.updateAction)

	s.app.Get("/risk", signedIn, s.showRegister)
	s.app.Get("/risk/heatmap", signedIn, s.showHeatmap)
	s.app.Get("/risk/bands.css", s.bandStyles)
	s.app.Get("/risk/assess", signedIn, s.assessRole)
	s.app.Post("/risk/local", signedIn, s.createLocalRole)
	s.app.Get("/risk/roles/:rid", signedIn, s.showRole)
	s.app.Get("/risk/roles/:rid/review", signedIn, s.showReview)
	s.app.Get("/risk/roles/:rid/compare", signedIn, s.compareVersions)
	s.app.Post("/risk/roles/:rid", signedIn, s.saveReview)

	editProvision := requireProvisionEditor
	s.app.Get("/provision", signedIn, s.showProvision)
	s.app.Get("/provision/ok9", signedIn, s.showOK9)
	s.app.Post("/provision/ok9/scheme", signedIn, editProvision, s.saveOK9Scheme)
	s.app.Get("/provision/ok9/dogs/new", signedIn, editProvision, s.showDog)
	s.app.Post("/provision/ok9/dogs", signedIn, editProvision, s.saveDog)
	s.app.Get("/provision/ok9/dogs/:dog", signedIn, s.showDog)
	s.app.Post("/provision/ok9/dogs/:dog", signedIn, editProvision, s.saveDog)
	s.app.Get("/provision/ok9/handlers/new", signedIn, editProvision, s.showHandler)
	s.app.Post("/provision/ok9/handlers", signedIn, editProvision, s.saveHandler)
	s.app.Get("/provision/ok9/handlers/:handler", signedIn, s.showHandler)
	s.app.Post("/provision/ok9/handlers/:handler", signedIn, editProvision, s.saveHandler)
	s.app.Get("/provision/ok9/deployments/new", signedIn, requireDeploymentLogger, s.newDeployment)
	s.app.Post("/provision/ok9/deployments", signedIn, requireDeploymentLogger, s.logDeployment)
	s.app.Get("/provision/peer-support", signedIn, s.showPeerSupport)
	s.app.Post("/provision/peer-support", signedIn, editProvision, s.savePeerSupport)
	s.app.Get("/provision/trauma", signedIn, s.showTrauma)
	s.app.Post("/provision/trauma", signedIn, editProvision, s.saveTrauma)
	s.app.Get("/provision/vans", signedIn, s.showVans)
	s.app.Post("/provision/vans", signedIn, editProvision, s.requestVan)
	s.app.Post("/provision/vans/:request/withdraw", signedIn, editProvision, s.withdrawVan)
	s.app.Get("/national/vans", signedIn, requireRole(store.RoleNationalAdmin), s.showFleet)
	s.app.Post("/national/vans", signedIn, requireRole(store.RoleNationalAdmin), s.addVan)
	s.app.Post("/national/vans/:van", signedIn, requireRole(store.RoleNationalAdmin), s.changeVan)
	s.app.Get("/national/vans/requests/:request", signedIn, requireRole(store.RoleNationalAdmin), s.showFleetRequest)
	s.app.Post("/national/vans/requests/:request/schedule", signedIn, requireRole(store.RoleNationalAdmin), s.scheduleVan)
	s.app.Post("/national/vans/requests/:request/decline", signedIn, requireRole(store.RoleNationalAdmin), s.declineVan)
	s.app.Post("/national/vans/requests/:request/delivery", signedIn, requireRole(store.RoleNationalAdmin), s.deliverVan)
	s.app.Get("/national/ok9", signedIn, s.showOK9Register) // the store decides: national admins and SPOCs
	s.app.Get("/mutual-aid", signedIn, s.listMutualAid)
	s.app.Get("/mutual-aid/new", signedIn, editProvision, s.newMutualAid)
	s.app.Post("/mutual-aid", signedIn, editProvision, s.createMutualAid)
	s.app.Get("/mutual-aid/:request", signedIn, s.showMutualAidRequest)
	s.app.Post("/mutual-aid/:request/offers", signedIn, admins, s.offerMutualAid)
	s.app.Get("/mutual-aid/:request/close", signedIn, s.showCloseMutualAid)
	s.app.Post("/mutual-aid/:request/close", signedIn, s.closeMutualAid)
	s.app.Post("/mutual-aid/offers/:offer", signedIn, requireRole(store.RoleOwner), s.decideMutualAid)

	s.app.Get("/reports", signedIn, s.listReports)
	s.app.Get("/reports/:cycle/benchmark", signedIn, s.showBenchmark)
	s.app.Get("/reports/:cycle/benchmark.pdf", signedIn, s.downloadBenchmarkPDF)
	s.app.Get("/reports/:cycle/gap-analysis.xlsx", signedIn, s.downloadGapAnalysis)
	s.app.Get("/reports/:cycle/business-case", signedIn, s.showBusinessCase)
	s.app.Post("/reports/:cycle/business-case", signedIn, owner, s.saveAssumptions)
	s.app.Get("/reports/:cycle/business-case.pdf", signedIn, s.downloadBusinessCase)

	s.app.Get("/national", signedIn, admins, s.listNational)
	s.app.Get("/national/batches/:batch", signedIn, admins, s.showBatch)
	s.app.Get("/national/batches/:batch/download", signedIn, admins, s.downloadBatch)
	s.app.Get("/national/:cycle", signedIn, admins, s.showNational)
	s.app.Get("/national/:cycle/workbook.xlsx", signedIn, admins, s.downloadNationalWorkbook)
	s.app.Get("/national/:cycle/summary.pdf", signedIn, admins, s.downloadNationalSummary)
	s.app.Post("/national/:cycle/batch", signedIn, admins, s.startBatch)

	s.app.Get("/audit", signedIn, owners, s.showAudit)
	s.app.Get("/audit.csv", signedIn, owners, s.exportAudit)
}

// Close stops working background jobs (batches, the reminder scan), letting
// those running finish for a few seconds; what is left is resumed at the
// next start, here or on another instance. Call it after Serve has returned
// and before closing the store.
func (s *Server) Close() {
	if s.jobs != nil {
		s.jobs.Stop(5 * time.Second)
	}
}

// startJobs starts working the background jobs: batches, clearing old
// batches daily, and the reminder scan every ReminderInterval (if set).
func (s *Server) startJobs() error {
	st := s.deps.Store
	if st == nil {
		return nil
	}
	render := s.deps.BatchRender
	if render == nil {
		render = s.reports.OrgBenchmarkPDF
	}
	s.batches = batch.NewWorker(st, func(ctx context.Context, cycleID int64) (*reporting.CycleFigures, error) {
		cy, err := st.CycleByID(ctx, cycleID)
		if err != nil {
			return nil, err
		}
		return s.reports.Figures(ctx, cy)
	}, render, s.deps.Log)
	workers := river.NewWorkers()
	river.AddWorker(workers, s.batches)
	river.AddWorker(workers, &batch.Cleanup{Store: st, Queue: queueLater{s}, Log: s.deps.Log})
	river.AddWorker(workers, &mail.ScanWorker{Runner: s.mail})
	periodic := []*river.PeriodicJob{
		// On start as well, or instances restarted hourly would never run it.
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) { return batch.CleanupArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
	}
	if every := s.deps.ReminderInterval; every > 0 {
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
			return mail.ScanArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	q, err := jobs.New(st, workers, periodic, s.deps.Log)
	if err != nil {
		return err
	}
	s.jobs = q // before Start: the clean-up job, run on start, reaches the queue through s
	return q.Start()
}

// queueLater is the job queue for the workers, which are made before it.
type queueLater struct{ s *Server }

func (q queueLater) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs) (int64, error) {
	return q.s.jobs.InsertTx(ctx, tx, args)
}

func (q queueLater) Live(ctx context.Context, jobID int64) (bool, error) {
	return q.s.jobs.Live(ctx, jobID)
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

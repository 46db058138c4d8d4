// Command toolkit is the Blue Light Wellbeing Toolkit: one binary that serves
// the web app and runs the operator's subcommands.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/seed/loadgen"
	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/bluelight-wellbeing/toolkit/server/mail"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/requestid"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand. Add new ones to commands.
type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

var commands = []command{
	{"serve", "", "serve the web app (the default)", runServe},
	{"migrate", "", "apply pending database migrations and exit", runMigrate},
	{"check-frameworks", "DIR", "validate the framework YAML files in DIR; print each problem as file:line: message", runCheckFrameworks},
	{"user", "add|reset|disable|enable ...", "manage people: add one (password read from standard input, or -link), reset a password, disable or enable an account", runUser},
	{"org", "add|list ...", "add or list organisations", runOrg},
	{"seed", "-demo | -synthetic [-orgs N] [-cycles N]", "fill an empty database with the demo national picture, or a large synthetic data set for performance work", runSeed},
	{"export", "-org SLUG [-o FILE]", "write all of one organisation's data as JSON (no passwords, sessions or API tokens), for backup or a move to another database", runExport},
	{"import", "FILE", "add an organisation from an export file, all or nothing, into a database that does not have it yet", runImport},
	{"report", "-cycle NAME -kind KIND [-org SLUG] -o FILE", "write one report without a server: benchmark-pdf, gap-xlsx or business-case-pdf for an organisation, or national-summary-pdf or national-xlsx", runReport},
	{"healthcheck", "", "exit 0 if the server at LISTEN_ADDR answers /healthz (for container health checks)", runHealthcheck},
	{"load", "-url URL [-people 200] [-orgs 50] [-duration 60s] [-max-requests N] [-think 50ms] [-mix home=15,...] [-pid N] [-forwarded-for]", "load-test a server on this machine; adds load-test people to its database (DATABASE_URL or DATA_DIR): use a throwaway one", runLoad},
}

// environment is what every subcommand gets: configuration, input and
// output, and a logger.
type environment struct {
	cfg    config.Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run parses the command line and runs a subcommand, returning the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		usage(stdout)
		return 0
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == name {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	cmdUsage := func(w io.Writer) { fmt.Fprintf(w, "usage: toolkit %s %s\n  %s\n", cmd.name, cmd.args, cmd.summary) }
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		cmdUsage(stdout)
		return 0
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "configuration: %v\n", err)
		return 2
	}
	env := &environment{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(cfg, stderr)}
	if err := cmd.run(ctx, env, args); err != nil {
		var usageErr usageError
		if errors.As(err, &usageErr) {
			fmt.Fprintf(stderr, "%v\n", err)
			cmdUsage(stderr)
			return 2
		}
		env.log.Error(name+" failed", "error", err.Error())
		return 1
	}
	return 0
}

type usageError string

func (e usageError) Error() string { return string(e) }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Blue Light Wellbeing Toolkit\n\nusage: toolkit [command] [arguments]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\nConfiguration comes from environment variables:")
	for _, s := range config.Settings {
		fmt.Fprintf(w, "  %-20s %s (default %q)\n", s.Name, s.Help, s.Default)
	}
}

// newLogger writes the request id on every line logged with a request's
// context, the store's included.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(requestid.LogHandler(h))
}

// loadFrameworks loads the built-in editions and the override folder, if set.
func loadFrameworks(cfg config.Config, log *slog.Logger) (*frameworks.Set, error) {
	start := time.Now()
	var extra []frameworks.Source
	if cfg.FrameworksDir != "" {
		extra = append(extra, frameworks.Dir(cfg.FrameworksDir))
	}
	set, err := frameworks.Load(extra...)
	if err != nil {
		return nil, err
	}
	log.Info("frameworks loaded", "editions", len(set.Editions), "override_dir", cfg.FrameworksDir, "duration_ms", time.Since(start).Milliseconds())
	return set, nil
}

func openStore(ctx context.Context, env *environment) (*store.Store, error) {
	st, err := store.Open(ctx, env.cfg.DatabaseURL, env.cfg.DataDir, env.log)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openFrameworksAndStore is what commands that read or write the data need:
// the frameworks, then the store, migrated.
func openFrameworksAndStore(ctx context.Context, env *environment) (*frameworks.Set, *store.Store, error) {
	set, err := loadFrameworks(env.cfg, env.log)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, env)
	return set, st, err
}

func runServe(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 {
		return usageError("serve takes no arguments")
	}
	start := time.Now()
	set, err := loadFrameworks(env.cfg, env.log)
	if err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer func() { // last of all: see the end of this function
		if err := st.Close(); err != nil {
			env.log.Error("closing the database", "error", err.Error())
			return
		}
		env.log.Info("database closed")
	}()
	if err := st.RecordEditions(ctx, editionRecords(set)); err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	ln, err := net.Listen("tcp", env.cfg.ListenAddr)
	if err != nil {
		return err
	}
	if env.cfg.DatabaseURL == "" && env.cfg.DemoData {
		if err := loadDemo(ctx, env, st, set); err != nil {
			return err
		}
	}
	if err := bootstrapAdmin(ctx, env, st); err != nil {
		return err
	}
	deps := server.Deps{Store: st, Frameworks: set, Log: env.log, Version: version, PublicURL: env.cfg.LinkBase(), TrustedProxies: env.cfg.TrustedProxies,
		ReminderInterval: env.cfg.ReminderInterval, SecretKey: env.cfg.SecretKey}
	if env.cfg.SMTP.Host != "" {
		deps.Mail = mail.NewSMTP(env.cfg.SMTP)
		env.log.Info("emails go through the SMTP relay", "smtp", env.cfg.SMTP)
	} else {
		env.log.Warn("SMTP_HOST is not set: emails are written to this log instead of being sent, and set-password links are shown to copy by hand")
	}
	srv, err := server.New(deps)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx) // also ends housekeeping if Serve fails
	defer cancel()
	housekept := make(chan struct{})
	go func() { defer close(housekept); srv.Housekeep(ctx, 10*time.Minute) }()
	env.log.Info("listening", "addr", "http://"+ln.Addr().String(), "database", st.Dialect(), "startup_ms", time.Since(start).Milliseconds())
	// Shut down in order, so nothing uses the store after it is closed: stop
	// taking requests and drain those in flight (Serve), stop housekeeping and
	// the background batches and wait for them, then close the store (the
	// deferred Close above).
	err = srv.Serve(ctx, ln, env.cfg.ShutdownTimeout)
	cancel()
	<-housekept
	env.log.Info("stopping background work")
	srv.Close()
	return err
}

func editionRecords(set *frameworks.Set) []store.EditionRecord {
	out := make([]store.EditionRecord, 0, len(set.Editions))
	for _, e := range set.Editions {
		out = append(out, store.EditionRecord{Kind: e.Kind, Key: e.Key, Version: e.Version, Title: e.Title, Status: e.Status, SHA256: e.SHA256})
	}
	return out
}

func runMigrate(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 {
		return usageError("migrate takes no arguments")
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	return st.Close()
}

// runCheckFrameworks validates a folder the way the app would load it with
// FRAMEWORKS_DIR set, so crosswalks may refer to the built-in editions.
func runCheckFrameworks(_ context.Context, env *environment, args []string) error {
	if len(args) != 1 {
		return usageError("check-frameworks needs exactly one folder")
	}
	set, err := frameworks.Load(frameworks.Dir(args[0]))
	var problems frameworks.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(env.stdout, p.String())
		}
		return fmt.Errorf("%d problem(s) found in %s", len(problems), args[0])
	}
	if err != nil {
		return err
	}
	for _, e := range set.Editions {
		fmt.Fprintf(env.stdout, "ok  %-10s %-20s %-8s %s  %s\n", e.Kind, e.Key, e.Version, e.SHA256[:12], e.File)
	}
	return nil
}

// runHealthcheck lets a container image without curl check the server.
func runHealthcheck(ctx context.Context, env *environment, args []string) error {
	if len(args) > 0 {
		return usageError("healthcheck takes no arguments")
	}
	host, port, err := net.SplitHostPort(env.cfg.ListenAddr)
	if err != nil {
		return err
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/healthz answered %d", resp.StatusCode)
	}
	return nil
}

// cliActor is how the audit trail records changes made from the command line.
var cliActor = store.SystemActor("command line")

// bootstrapAdmin creates the first national admin on an empty database and
// prints a one-time link to set their password. It prints the link, rather
// than logging it, so that it is not kept in log storage.
func bootstrapAdmin(ctx context.Context, env *environment, st *store.Store) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	admin, err := st.CreateUser(ctx, store.SystemActor("first start"), store.AllOrganisations(), store.User{
		Email: env.cfg.InitialAdmin, DisplayName: "National admin", Role: store.RoleNationalAdmin,
	})
	if apperr.Code(err) == apperr.ECONFLICT {
		return nil // another instance got there first
	}
	if err != nil {
		return fmt.Errorf("create the first national admin: %w", err)
	}
	link, expires, err := passwordLink(ctx, st, admin, 24*time.Hour, env.cfg.LinkBase())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nNo accounts existed, so a national admin has been created (sign in as %s).\n"+
		"Set its password before %s with this single-use link:\n\n    %s\n\n",
		admin.Email, expires.Format("2 January 2006 15:04 MST"), link)
	return nil
}

// passwordLink issues a single-use set-password link for a person.
func passwordLink(ctx context.Context, st *store.Store, u store.User, lifetime time.Duration, base string) (string, time.Time, error) {
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", time.Time{}, err
	}
	now := st.Now()
	pt := store.PasswordToken{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	if err := st.CreatePasswordToken(ctx, cliActor, store.AllOrganisations(), pt); err != nil {
		return "", time.Time{}, err
	}
	return base + "/set-password/" + token, pt.ExpiresAt, nil
}

// readPassword reads a password from the first line of standard input and
// checks it against the policy.
func readPassword(env *environment, u store.User) (string, error) {
	if env.stdin == nil {
		return "", usageError("give the password on standard input, or use -link")
	}
	line, err := bufio.NewReader(io.LimitReader(env.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError("give the password on standard input, or use -link")
	}
	words := []string{u.Email, u.DisplayName}
	if local, _, ok := strings.Cut(u.Email, "@"); ok {
		words = append(words, local)
	}
	if err := auth.CheckPassword(pw, append(words, strings.Fields(u.DisplayName)...)...); err != nil {
		return "", fmt.Errorf("password refused: %s", apperr.Message(err))
	}
	return auth.HashPassword(pw)
}

func runUser(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return usageError("user needs an action: add, reset, disable or enable")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+action, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	email := fs.String("email", "", "the person's email address (required)")
	var name, role, org, sections *string
	link := fs.Bool("link", false, "print a single-use set-password link instead of reading a password")
	if action == "add" {
		name = fs.String("name", "", "display name (required)")
		role = fs.String("role", "", "national_admin, owner, contributor or viewer (required)")
		org = fs.String("org", "", "organisation slug (required except for national_admin)")
		sections = fs.String("sections", "", "comma-separated sections for a contributor, e.g. area:LEAD,risk-register")
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *email == "" {
		return usageError("-email is required")
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()

	var u store.User
	switch action {
	case "add":
		u = store.User{Email: *email, DisplayName: *name, Role: *role}
		if *sections != "" {
			u.Sections = strings.Split(*sections, ",")
		}
		if *org != "" {
			o, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), *org)
			if err != nil {
				return fmt.Errorf("organisation %q: %s", *org, apperr.Message(err))
			}
			u.OrganisationID = &o.ID
		}
		var hash string
		if !*link {
			if hash, err = readPassword(env, u); err != nil {
				return err
			}
		}
		if u, err = st.CreateUser(ctx, cliActor, store.AllOrganisations(), u); err != nil {
			return fmt.Errorf("cannot add %s: %s", *email, apperr.Message(err))
		}
		if hash != "" {
			if err := st.SetPassword(ctx, cliActor, store.AllOrganisations(), u.ID, hash); err != nil {
				return err
			}
		}
		fmt.Fprintf(env.stdout, "added %s (%s)\n", u.Email, u.Role)
	case "reset", "disable", "enable":
		if u, err = st.UserByEmail(ctx, *email); err != nil {
			return fmt.Errorf("no account with email %s", *email)
		}
		switch action {
		case "reset":
			if !*link {
				hash, err := readPassword(env, u)
				if err != nil {
					return err
				}
				if err := st.SetPassword(ctx, cliActor, store.AllOrganisations(), u.ID, hash); err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "password reset for %s; their sessions have ended and their API tokens are revoked\n", u.Email)
			}
		default:
			if err := st.SetUserDisabled(ctx, cliActor, store.AllOrganisations(), u.ID, action == "disable"); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "%sd %s\n", action, u.Email)
			return nil
		}
	default:
		return usageError(fmt.Sprintf("unknown user action %q: use add, reset, disable or enable", action))
	}
	if *link {
		l, expires, err := passwordLink(ctx, st, u, 7*24*time.Hour, env.cfg.LinkBase())
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "single-use set-password link for %s (valid until %s):\n%s\n", u.Email, expires.Format(time.RFC3339), l)
	}
	return nil
}

func runOrg(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return usageError("org needs an action: add or list")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("org "+action, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var o store.Organisation
	if action == "add" {
		fs.StringVar(&o.Slug, "slug", "", "short name used in addresses, e.g. avon-somerset (required)")
		fs.StringVar(&o.Name, "name", "", "full name (required)")
		fs.StringVar(&o.Sector, "sector", "", "police, fire, ambulance or other (required)")
		fs.StringVar(&o.Nation, "nation", "England", "England, Wales, Scotland, Northern Ireland or UK-wide")
		fs.StringVar(&o.Region, "region", "", "region, e.g. South West")
		fs.StringVar(&o.PeerGroup, "peer-group", "", "peer group for benchmarking")
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "add":
		created, err := st.CreateOrganisation(ctx, cliActor, o)
		if err != nil {
			return fmt.Errorf("cannot add organisation: %s", apperr.Message(err))
		}
		fmt.Fprintf(env.stdout, "added %s (%s)\n", created.Name, created.Slug)
	case "list":
		orgs, err := st.ListOrganisations(ctx, store.AllOrganisations())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			fmt.Fprintf(env.stdout, "%-30s %-10s %s\n", o.Slug, o.Sector, o.Name)
		}
	default:
		return usageError(fmt.Sprintf("unknown org action %q: use add or list", action))
	}
	return nil
}

// loadDemo fills an empty database with the demo and prints the demo
// accounts. A database that has anyone in it is left alone.
func loadDemo(ctx context.Context, env *environment, st *store.Store, set *frameworks.Set) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	if orgs, err := st.ListOrganisations(ctx, store.AllOrganisations()); err != nil || len(orgs) > 0 {
		return err // organisations but no people: a synthetic data set, not for the demo
	}
	start := time.Now()
	accounts, err := seed.Demo(ctx, st, set, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("load the demo data: %w", err)
	}
	env.log.Info("demo data loaded", "organisations", len(seed.Organisations), "duration_ms", time.Since(start).Milliseconds())
	fmt.Fprintf(env.stdout, "\nDemo mode: sign in at %s with any of these accounts, password %q:\n", env.cfg.LinkBase(), seed.DemoPassword)
	for _, a := range accounts {
		fmt.Fprintf(env.stdout, "    %-42s %-15s %s\n", a.Email, a.Role, a.Organisation)
	}
	fmt.Fprintln(env.stdout, "Set DEMO_DATA=off to start with an empty database instead.")
	return nil
}

func runSeed(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	demo := fs.Bool("demo", false, "load the demo national picture")
	synthetic := fs.Bool("synthetic", false, "load a large synthetic data set")
	orgs := fs.Int("orgs", 1000, "organisations in the synthetic data set")
	cycles := fs.Int("cycles", 10, "yearly cycles in the synthetic data set")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *demo == *synthetic {
		return usageError("seed needs -demo or -synthetic")
	}
	set, st, err := openFrameworksAndStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.CountUsers(ctx); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("the database already has %d accounts: seed data only goes into an empty database", n)
	}
	if *demo {
		return loadDemo(ctx, env, st, set)
	}
	if orgsNow, err := st.ListOrganisations(ctx, store.AllOrganisations()); err != nil {
		return err
	} else if len(orgsNow) > 0 {
		return fmt.Errorf("the database already has %d organisations: synthetic data only goes into an empty database", len(orgsNow))
	}
	start := time.Now()
	if err := seed.Synthetic(ctx, st, set, *orgs, *cycles, time.Now().UTC()); err != nil {
		return fmt.Errorf("load the synthetic data: %w", err)
	}
	env.log.Info("synthetic data loaded", "organisations", *orgs, "cycles", *cycles, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// runExport writes one organisation's export. A file is written whole or
// not at all, readable only by its owner: it holds people's names and emails.
func runExport(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("org", "", "the organisation's short name (slug), e.g. avon-somerset (required)")
	file := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *slug == "" || fs.NArg() > 0 {
		return usageError("export needs -org SLUG and nothing else")
	}
	st, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	e, err := st.ExportOrg(ctx, *slug)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *file == "" {
		_, err = env.stdout.Write(b)
		return err
	}
	if err := writeFileAtomic(*file, b); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "exported %s: %d people, %d assessments, %d role assessments, %d audit events to %s\n",
		e.Organisation.Slug, len(e.People), len(e.Assessments), len(e.RoleAssessments), len(e.Audit), *file)
	return nil
}

// writeFileAtomic writes through a temporary file in the same folder and
// renames it, so that a failure never leaves half an export behind.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".toolkit-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// reportKinds are the reports runReport writes, and whether each is one
// organisation's.
var reportKinds = map[string]bool{
	"benchmark-pdf": true, "gap-xlsx": true, "business-case-pdf": true,
	"national-summary-pdf": false, "national-xlsx": false,
}

// runReport writes one report of a cycle to a file, the same bytes the web
// app sends, readable only by its owner: reports name the organisation and,
// for the national workbook, every organisation.
func runReport(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	slug := fs.String("org", "", "the organisation's short name (slug), for an organisation's report")
	cycleName := fs.String("cycle", "", "the cycle's name, e.g. 2025/26 (required)")
	kind := fs.String("kind", "", "benchmark-pdf, gap-xlsx, business-case-pdf, national-summary-pdf or national-xlsx (required)")
	file := fs.String("o", "", "the file to write (required)")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	perOrg, known := reportKinds[*kind]
	switch {
	case fs.NArg() > 0 || *cycleName == "" || *file == "":
		return usageError("report needs -cycle NAME, -kind KIND and -o FILE, and nothing else")
	case !known:
		return usageError(fmt.Sprintf("unknown report kind %q", *kind))
	case perOrg && *slug == "":
		return usageError(*kind + " is an organisation's report: name it with -org SLUG")
	case !perOrg && *slug != "":
		return usageError(*kind + " covers every organisation: leave out -org")
	}
	set, st, err := openFrameworksAndStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	cycles, err := st.Cycles(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cycles, func(c store.Cycle) bool { return c.Name == *cycleName })
	if i < 0 {
		return fmt.Errorf("there is no cycle named %q", *cycleName)
	}
	rs := reporting.New(st, set)
	f, err := rs.Figures(ctx, cycles[i])
	if err != nil {
		return err
	}
	var r *reporting.OrgReport
	if perOrg {
		org, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), *slug)
		if err != nil {
			return err
		}
		if r, err = rs.OrgReport(ctx, org, f); err != nil {
			return err
		}
	}
	var data []byte
	switch *kind {
	case "benchmark-pdf":
		data, err = rs.BenchmarkPDF(r)
	case "gap-xlsx":
		data, err = rs.GapAnalysisXLSX(r)
	case "business-case-pdf":
		data, err = rs.BusinessCasePDF(ctx, r)
	case "national-summary-pdf":
		data, err = rs.NationalSummaryPDF(ctx, f)
	case "national-xlsx":
		data, err = rs.NationalXLSX(ctx, f)
	}
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*file, data); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s for %s to %s (%d bytes)\n", *kind, *cycleName, *file, len(data))
	return nil
}

// runImport adds an organisation from an export file (or standard input
// with -). The file is checked before the database is touched.
func runImport(ctx context.Context, env *environment, args []string) error {
	if len(args) != 1 {
		return usageError("import needs exactly one export file, or - for standard input")
	}
	in := env.stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	if in == nil {
		return usageError("give the export on standard input, or name the file")
	}
	e, err := store.DecodeExport(in)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	set, st, err := openFrameworksAndStore(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	// As on start: the import checks records against the editions loaded.
	if err := st.RecordEditions(ctx, editionRecords(set)); err != nil {
		return err
	}
	res, err := st.ImportOrg(ctx, cliActor, e)
	if err != nil {
		return fmt.Errorf("%s: nothing was imported: %w", args[0], err)
	}
	fmt.Fprintf(env.stdout, "imported %s (%s): %d people, %d assessments, %d audit events\n",
		res.Organisation.Name, res.Organisation.Slug, res.People, res.Assessments, len(e.Audit))
	if len(res.CyclesCreated) > 0 {
		fmt.Fprintf(env.stdout, "opened the cycles it needed: %s\n", strings.Join(res.CyclesCreated, ", "))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.stdout, "note: %s\n", w)
	}
	if res.People > 0 {
		fmt.Fprintln(env.stdout, "Imported people have no password: give each a set-password link with `toolkit user reset -email E -link`.")
	}
	return nil
}

// runLoad prepares load-test people in the server's database, then runs the
// load generator against the server and prints its report. Any error in the
// run makes it exit 1.
func runLoad(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadgen.Config{Seed: uint64(time.Now().UnixNano())}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server, on this machine (127.0.0.0/8, ::1 or localhost)")
	people := fs.Int("people", 200, "people working at once")
	orgs := fs.Int("orgs", 50, "organisations they belong to")
	fs.DurationVar(&cfg.Duration, "duration", time.Minute, "how long they work after signing in")
	fs.Int64Var(&cfg.MaxRequests, "max-requests", 0, "stop after this many requests (0: only -duration bounds the run)")
	fs.DurationVar(&cfg.Think, "think", 50*time.Millisecond, "longest pause between a person's steps; each is random from 0")
	fs.IntVar(&cfg.PID, "pid", 0, "the server's process id, to report its peak memory")
	mix := fs.String("mix", "", "steps and weights, e.g. home=15,save=20 (default: the built-in mix)")
	fs.BoolVar(&cfg.ForwardedFor, "forwarded-for", false, "send each person's own X-Forwarded-For address (198.18.0.0/15), as behind a proxy; believed only by a server whose TRUSTED_PROXIES includes this machine")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	var err error
	if cfg.Mix, err = loadgen.ParseMix(*mix); err != nil {
		return usageError(err.Error())
	}
	if *people < 1 || *orgs < 1 || cfg.Duration <= 0 || cfg.MaxRequests < 0 || cfg.Think < 0 {
		return usageError("-people and -orgs must be at least 1, -duration positive, -max-requests and -think not negative")
	}
	if _, err := loadgen.CheckLoopback(cfg.URL); err != nil {
		return usageError(err.Error())
	}
	set, st, err := openFrameworksAndStore(ctx, env)
	if err != nil {
		return err
	}
	plan, err := loadgen.Prepare(ctx, st, set, *people, *orgs)
	st.Close()
	if err != nil {
		return fmt.Errorf("prepare the load-test people: %w", err)
	}
	report, err := loadgen.Run(ctx, cfg, plan)
	if err != nil {
		return err
	}
	report.Write(env.stdout)
	if report.Errors > 0 {
		return fmt.Errorf("the load run had %d errors", report.Errors)
	}
	return nil
}

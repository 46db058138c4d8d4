// Command toolkit is the Blue Light Wellbeing Toolkit: one binary that serves
// the web app and runs the operator's subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server"
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
	{"healthcheck", "", "exit 0 if the server at LISTEN_ADDR answers /healthz (for container health checks)", runHealthcheck},
}

// environment is what every subcommand gets: configuration, output and a logger.
type environment struct {
	cfg    Config
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run parses the command line and runs a subcommand, returning the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
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
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprintf(stderr, "usage: toolkit %s %s\n  %s\n", cmd.name, cmd.args, cmd.summary) }
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "configuration: %v\n", err)
		return 2
	}
	env := &environment{cfg: cfg, stdout: stdout, stderr: stderr, log: newLogger(cfg, stderr)}
	if err := cmd.run(ctx, env, flags.Args()); err != nil {
		var usageErr usageError
		if errors.As(err, &usageErr) {
			fmt.Fprintf(stderr, "%v\n", err)
			flags.Usage()
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
	for _, s := range configSettings {
		fmt.Fprintf(w, "  %-17s %s (default %q)\n", s.name, s.help, s.fallback)
	}
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadFrameworks loads the built-in editions and the override folder, if set.
func loadFrameworks(cfg Config, log *slog.Logger) (*frameworks.Set, error) {
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
	defer st.Close()
	if err := st.RecordEditions(ctx, editionRecords(set)); err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	ln, err := net.Listen("tcp", env.cfg.ListenAddr)
	if err != nil {
		return err
	}
	srv := server.New(server.Deps{Store: st, Frameworks: set, Log: env.log, Version: version})
	env.log.Info("listening", "addr", "http://"+ln.Addr().String(), "database", st.Dialect(), "startup_ms", time.Since(start).Milliseconds())
	return srv.Serve(ctx, ln, env.cfg.ShutdownTimeout)
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

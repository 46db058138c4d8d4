package main

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Config is the whole configuration, read from environment variables.
type Config struct {
	DatabaseURL     string
	DataDir         string
	ListenAddr      string
	FrameworksDir   string
	LogFormat       string
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
}

// configSetting documents one environment variable; the README's table and
// --help are written from the same list.
type configSetting struct {
	name, fallback, help string
	apply                func(c *Config, v string) error
}

var configSettings = []configSetting{
	{"DATABASE_URL", "", "postgres:// URL of a PostgreSQL database; empty uses the embedded SQLite database in DATA_DIR",
		func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"DATA_DIR", "./data", "folder for the embedded database and other local files",
		func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"LISTEN_ADDR", "127.0.0.1:8080", "host:port the web app listens on",
		func(c *Config, v string) error { c.ListenAddr = v; return nil }},
	{"FRAMEWORKS_DIR", "", "optional folder of extra framework YAML files (e.g. the licensed official edition), loaded after the built-in ones",
		func(c *Config, v string) error { c.FrameworksDir = v; return nil }},
	{"LOG_FORMAT", "text", "text or json",
		func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("LOG_FORMAT must be text or json, not %q", v)
			}
			c.LogFormat = v
			return nil
		}},
	{"LOG_LEVEL", "info", "debug, info, warn or error",
		func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) }},
	{"SHUTDOWN_TIMEOUT", "15s", "how long to let requests in flight finish after SIGTERM",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("SHUTDOWN_TIMEOUT must be a positive duration such as 15s, not %q", v)
			}
			c.ShutdownTimeout = d
			return nil
		}},
}

// LoadConfig reads every setting, using its default when the variable is
// unset or empty, and reports every bad value at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	var c Config
	var problems []string
	for _, s := range configSettings {
		v := strings.TrimSpace(getenv(s.name))
		if v == "" {
			v = s.fallback
		}
		if err := s.apply(&c, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", s.name, err))
		}
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return c, nil
}

// Package config reads the product's configuration from environment
// variables. The README's table and --help are written from Settings.
package config

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration, read from environment variables.
type Config struct {
	DatabaseURL     string
	DataDir         string
	ListenAddr      string
	FrameworksDir   string
	PublicURL       string
	TrustedProxies  []string // addresses and CIDR ranges, checked
	InitialAdmin    string
	DemoData        bool
	LogFormat       string
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	SMTP            SMTP
	// ReminderInterval is how often the reminder scan runs and queued
	// emails are tried again.
	ReminderInterval time.Duration
	// SecretKey encrypts the client secrets of organisations' sign-in
	// providers (AES-256-GCM); nil means none can be stored. Never logged.
	SecretKey SecretKey
}

// SMTP modes: STARTTLS on a submission port, TLS from the first byte, or
// no encryption at all (a relay on the same machine or network only).
const (
	SMTPStartTLS = "starttls"
	SMTPTLS      = "tls"
	SMTPNone     = "none"
)

// SMTP is the relay emails go through. An empty Host means no relay: emails
// are written to the log instead.
type SMTP struct {
	Host     string
	Port     int
	Mode     string // SMTPStartTLS, SMTPTLS or SMTPNone
	User     string
	Password string
	From     string // the From address, e.g. "Wellbeing toolkit <toolkit@example.org>"
	Timeout  time.Duration
}

// LogValue keeps the password out of every log line.
func (s SMTP) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", s.Host), slog.Int("port", s.Port), slog.String("mode", s.Mode),
		slog.String("user", s.User), slog.Bool("password_set", s.Password != ""), slog.String("from", s.From))
}

// String is LogValue's text, so printing the settings cannot show the password.
func (s SMTP) String() string { return s.LogValue().String() }

// SecretKey is key material that prints as "[redacted]" however it is
// formatted or logged, so a Config printed whole gives nothing away.
type SecretKey []byte

func (SecretKey) String() string               { return "[redacted]" }
func (SecretKey) GoString() string             { return "[redacted]" }
func (SecretKey) LogValue() slog.Value         { return slog.StringValue("[redacted]") }
func (SecretKey) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }
func (SecretKey) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }
func (k SecretKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// Setting documents one environment variable.
type Setting struct {
	Name, Default, Help string
	apply               func(c *Config, v string) error
}

// Settings is every variable the product reads.
var Settings = []Setting{
	{"DATABASE_URL", "", "postgres:// URL of a PostgreSQL database; empty uses the embedded SQLite database in DATA_DIR",
		func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"DATA_DIR", "./data", "folder for the embedded database and other local files",
		func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"LISTEN_ADDR", "127.0.0.1:8080", "host:port the web app listens on",
		func(c *Config, v string) error { c.ListenAddr = v; return nil }},
	{"FRAMEWORKS_DIR", "", "optional folder of extra framework YAML files (e.g. the licensed official edition), loaded after the built-in ones",
		func(c *Config, v string) error { c.FrameworksDir = v; return nil }},
	{"PUBLIC_URL", "", "address people use to reach the service, for set-password links (e.g. https://wellbeing.example.org); empty = http://LISTEN_ADDR",
		func(c *Config, v string) error {
			if v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
				return fmt.Errorf("PUBLIC_URL must start with https:// or http://, not %q", v)
			}
			c.PublicURL = strings.TrimRight(v, "/")
			return nil
		}},
	{"TRUSTED_PROXIES", "", "comma-separated IP addresses or CIDR ranges (e.g. 10.0.0.5,192.168.0.0/24) of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed, for the client address in logs and the sign-in limit and for Secure cookies; empty believes no one",
		func(c *Config, v string) error {
			c.TrustedProxies = nil
			for item := range strings.SplitSeq(v, ",") {
				item = strings.TrimSpace(item)
				if item == "" {
					continue
				}
				if _, err := netip.ParsePrefix(item); err != nil {
					if _, err := netip.ParseAddr(item); err != nil {
						return fmt.Errorf("TRUSTED_PROXIES must list IP addresses or CIDR ranges such as 10.0.0.0/8, not %q", item)
					}
				}
				c.TrustedProxies = append(c.TrustedProxies, item)
			}
			return nil
		}},
	{"INITIAL_ADMIN_EMAIL", "admin@example.org", "email of the national admin created on first start with an empty database",
		func(c *Config, v string) error { c.InitialAdmin = strings.ToLower(v); return nil }},
	{"DEMO_DATA", "on", "on: an empty embedded database is filled with the demo national picture on start (never a PostgreSQL one; use `seed -demo`); off: start empty",
		func(c *Config, v string) error {
			if v != "on" && v != "off" {
				return fmt.Errorf("DEMO_DATA must be on or off, not %q", v)
			}
			c.DemoData = v == "on"
			return nil
		}},
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
	{"SMTP_HOST", "", "host name of the SMTP relay emails are sent through; empty: no emails are sent, they are written to the log instead",
		func(c *Config, v string) error { c.SMTP.Host = v; return nil }},
	{"SMTP_MODE", "starttls", "starttls (upgrade the connection with STARTTLS, which must succeed), tls (TLS from the start, often port 465) or none (no encryption: a relay on this machine only)",
		func(c *Config, v string) error {
			v = strings.ToLower(v)
			if v != SMTPStartTLS && v != SMTPTLS && v != SMTPNone {
				return fmt.Errorf("SMTP_MODE must be starttls, tls or none, not %q", v)
			}
			c.SMTP.Mode = v
			return nil
		}},
	{"SMTP_PORT", "", "port of the SMTP relay; empty: 587 for starttls, 465 for tls, 25 for none",
		func(c *Config, v string) error {
			if v == "" {
				return nil // set from the mode in Load
			}
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return fmt.Errorf("SMTP_PORT must be a port number from 1 to 65535, not %q", v)
			}
			c.SMTP.Port = p
			return nil
		}},
	{"SMTP_USER", "", "user name to sign in to the relay with; empty: send without signing in",
		func(c *Config, v string) error { c.SMTP.User = v; return nil }},
	{"SMTP_PASSWORD", "", "password for SMTP_USER; never logged",
		func(c *Config, v string) error { c.SMTP.Password = v; return nil }},
	{"SMTP_FROM", "", "the From address of every email, e.g. Wellbeing toolkit <wellbeing@example.org>; needed with SMTP_HOST",
		func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			a, err := mail.ParseAddress(v)
			if err != nil {
				return fmt.Errorf("SMTP_FROM must be an email address such as wellbeing@example.org, not %q", v)
			}
			c.SMTP.From = a.String()
			return nil
		}},
	{"SMTP_TIMEOUT", "30s", "how long to wait for the relay before giving up on a try (the email stays queued)",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("SMTP_TIMEOUT must be a positive duration such as 30s, not %q", v)
			}
			c.SMTP.Timeout = d
			return nil
		}},
	{"REMINDER_INTERVAL", "15m", "how often the reminder scan looks for reminders to make and tries again the emails that did not go; each reminder is sent once",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Minute {
				return fmt.Errorf("REMINDER_INTERVAL must be a duration of at least 1m such as 15m, not %q", v)
			}
			c.ReminderInterval = d
			return nil
		}},
	{"OIDC_SECRET_KEY", "", "32 random bytes in base64 (e.g. from `openssl rand -base64 32`) that encrypt organisations' OpenID Connect client secrets; empty: no provider can be set up. Never logged",
		func(c *Config, v string) error {
			c.SecretKey = nil
			if v == "" {
				return nil
			}
			// Never echo the value: it is a secret.
			key, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				if key, err = base64.RawStdEncoding.DecodeString(v); err != nil {
					return fmt.Errorf("OIDC_SECRET_KEY must be base64 (for example from `openssl rand -base64 32`); the value given is not")
				}
			}
			if len(key) != 32 {
				return fmt.Errorf("OIDC_SECRET_KEY must be 32 bytes in base64 (for example from `openssl rand -base64 32`), not %d bytes", len(key))
			}
			c.SecretKey = key
			return nil
		}},
}

// checkSMTP checks the SMTP settings against each other once all are read.
func (c *Config) checkSMTP() []string {
	var problems []string
	if c.SMTP.Port == 0 {
		c.SMTP.Port = map[string]int{SMTPStartTLS: 587, SMTPTLS: 465, SMTPNone: 25}[c.SMTP.Mode]
	}
	if c.SMTP.Host == "" {
		return nil
	}
	if c.SMTP.From == "" {
		problems = append(problems, "SMTP_FROM: set the From address of emails, such as wellbeing@example.org, when SMTP_HOST is set")
	}
	if c.SMTP.User != "" && c.SMTP.Password == "" {
		problems = append(problems, "SMTP_PASSWORD: set the password of SMTP_USER")
	}
	if c.SMTP.Password != "" && c.SMTP.User == "" {
		problems = append(problems, "SMTP_USER: set the user name that SMTP_PASSWORD belongs to")
	}
	return problems
}

// LinkBase is the address at the start of links handed to people (set-password
// links): PUBLIC_URL, or else http://LISTEN_ADDR, with a wildcard host
// (":8080", "0.0.0.0:8080") read as this machine. It never comes from a
// request, whose Host header anyone can write.
func (c Config) LinkBase() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, port, err := net.SplitHostPort(c.ListenAddr)
	if err != nil {
		return "http://" + c.ListenAddr
	}
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Load reads every setting, using its default when the variable is
// unset or empty, and reports every bad value at once.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	var problems []string
	for _, s := range Settings {
		v := strings.TrimSpace(getenv(s.Name))
		if v == "" {
			v = s.Default
		}
		if err := s.apply(&c, v); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", s.Name, err))
		}
	}
	problems = append(problems, c.checkSMTP()...)
	if len(problems) > 0 {
		return c, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return c, nil
}

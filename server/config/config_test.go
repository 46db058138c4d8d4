package config

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigReportsEveryBadValue(t *testing.T) {
	_, err := Load(envOf(map[string]string{"LOG_FORMAT": "xml", "SHUTDOWN_TIMEOUT": "soon", "LOG_LEVEL": "loud", "TRUSTED_PROXIES": "10.0.0.1, proxy.example"}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"LOG_FORMAT", "SHUTDOWN_TIMEOUT", "LOG_LEVEL", `TRUSTED_PROXIES must list IP addresses or CIDR ranges such as 10.0.0.0/8, not "proxy.example"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	cfg, err := Load(envOf(nil))
	if err != nil || cfg.DataDir != "./data" || cfg.DatabaseURL != "" || cfg.ShutdownTimeout != 15*time.Second {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
}

func TestTrustedProxiesAndLinkBase(t *testing.T) {
	cfg, err := Load(envOf(map[string]string{"TRUSTED_PROXIES": " 10.0.0.5, 192.168.0.0/24 ,::1", "LISTEN_ADDR": "0.0.0.0:9000"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.TrustedProxies, "|") != "10.0.0.5|192.168.0.0/24|::1" {
		t.Errorf("TrustedProxies = %q", cfg.TrustedProxies)
	}
	for addr, want := range map[string]string{"0.0.0.0:9000": "http://127.0.0.1:9000", ":8080": "http://127.0.0.1:8080",
		"[::]:80": "http://127.0.0.1:80", "wellbeing.internal:8080": "http://wellbeing.internal:8080", "[::1]:8080": "http://[::1]:8080"} {
		if got := (Config{ListenAddr: addr}).LinkBase(); got != want {
			t.Errorf("LinkBase with LISTEN_ADDR %s = %s, want %s", addr, got, want)
		}
	}
	if got := (Config{ListenAddr: ":8080", PublicURL: "https://wellbeing.example.org"}).LinkBase(); got != "https://wellbeing.example.org" {
		t.Errorf("LinkBase with PUBLIC_URL = %s", got)
	}
}

func TestSMTPSettings(t *testing.T) {
	cfg, err := Load(envOf(nil))
	if err != nil || cfg.SMTP.Host != "" || cfg.SMTP.Mode != SMTPStartTLS || cfg.SMTP.Port != 587 || cfg.ReminderInterval != 15*time.Minute {
		t.Fatalf("defaults: %+v %v", cfg.SMTP, err)
	}
	cfg, err = Load(envOf(map[string]string{"SMTP_HOST": "smtp.example.org", "SMTP_MODE": "TLS", "SMTP_USER": "toolkit",
		"SMTP_PASSWORD": "relay secret 42", "SMTP_FROM": "Wellbeing toolkit <wellbeing@example.org>"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTP.Port != 465 || cfg.SMTP.Mode != SMTPTLS || cfg.SMTP.From != `"Wellbeing toolkit" <wellbeing@example.org>` {
		t.Errorf("SMTP = %+v", cfg.SMTP)
	}
	// The password stays out of anything that prints the settings.
	for _, shown := range []string{cfg.SMTP.String(), fmt.Sprint(cfg.SMTP), fmt.Sprintf("%v", cfg.SMTP)} {
		if strings.Contains(shown, "relay secret") || !strings.Contains(shown, "smtp.example.org") {
			t.Errorf("settings printed as %q", shown)
		}
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("smtp", "smtp", cfg.SMTP)
	if strings.Contains(logged.String(), "relay secret") || !strings.Contains(logged.String(), `"password_set":true`) {
		t.Errorf("logged %s", logged.String())
	}

	_, err = Load(envOf(map[string]string{"SMTP_HOST": "smtp.example.org", "SMTP_MODE": "ssl", "SMTP_PORT": "70000", "SMTP_USER": "toolkit", "SMTP_FROM": "not an address", "REMINDER_INTERVAL": "5s"}))
	if err == nil {
		t.Fatal("bad SMTP settings accepted")
	}
	for _, want := range []string{`SMTP_MODE must be starttls, tls or none, not "ssl"`, "SMTP_PORT must be a port number", "SMTP_FROM must be an email address",
		"SMTP_PASSWORD: set the password of SMTP_USER", "REMINDER_INTERVAL must be"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q: %v", want, err)
		}
	}
	if _, err := Load(envOf(map[string]string{"SMTP_HOST": "smtp.example.org"})); err == nil || !strings.Contains(err.Error(), "SMTP_FROM: set the From address") {
		t.Errorf("a relay without a From address: %v", err)
	}
}
func TestOIDCSecretKey(t *testing.T) {
	key := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // "0123456789abcdef0123456789abcdef"
	cfg, err := Load(envOf(map[string]string{"OIDC_SECRET_KEY": key}))
	if err != nil || string(cfg.SecretKey) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("key = %q, %v", cfg.SecretKey, err)
	}
	for _, shown := range []string{fmt.Sprintf("%v %+v %#v %s %x", cfg, cfg, cfg, cfg.SecretKey, cfg.SecretKey), logged(cfg)} {
		if strings.Contains(shown, "0123456789abcdef") || strings.Contains(shown, "MDEy") || strings.Contains(shown, "30313233") {
			t.Errorf("the key shows when the configuration is printed or logged: %s", shown)
		}
	}
	if cfg, err := Load(envOf(nil)); err != nil || cfg.SecretKey != nil {
		t.Errorf("no key: %v %v", cfg.SecretKey, err)
	}
	for value, want := range map[string]string{
		"c2hvcnQ=":                  "must be 32 bytes in base64 (for example from `openssl rand -base64 32`), not 5 bytes",
		"not base64 at all! secret": "must be base64",
	} {
		_, err := Load(envOf(map[string]string{"OIDC_SECRET_KEY": value}))
		if err == nil || !strings.Contains(err.Error(), "OIDC_SECRET_KEY") || !strings.Contains(err.Error(), want) {
			t.Errorf("OIDC_SECRET_KEY=%q: %v", value, err)
		}
		if err != nil && strings.Contains(err.Error(), value) {
			t.Errorf("the error repeats the secret value: %v", err)
		}
	}
}

func logged(cfg Config) string {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "cfg", cfg, "key", cfg.SecretKey)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "cfg", cfg, "key", cfg.SecretKey)
	return b.String()
}

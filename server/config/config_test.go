package config

import (
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

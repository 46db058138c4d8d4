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
	_, err := Load(envOf(map[string]string{"LOG_FORMAT": "xml", "SHUTDOWN_TIMEOUT": "soon", "LOG_LEVEL": "loud"}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{"LOG_FORMAT", "SHUTDOWN_TIMEOUT", "LOG_LEVEL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	cfg, err := Load(envOf(nil))
	if err != nil || cfg.DataDir != "./data" || cfg.DatabaseURL != "" || cfg.ShutdownTimeout != 15*time.Second {
		t.Fatalf("defaults: %+v %v", cfg, err)
	}
}

package loadgen

import (
	"context"
	"strings"
	"testing"
)

func TestCheckLoopbackAcceptsOnlyThisMachine(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080":  "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/": "http://127.0.0.1:8080",
		"http://127.3.4.5:9":     "http://127.3.4.5:9",
		"http://[::1]:8080":      "http://[::1]:8080",
		"http://localhost:8080":  "http://localhost:8080",
		"https://LocalHost":      "https://LocalHost",
		"http://127.255.255.254": "http://127.255.255.254",
	} {
		got, err := CheckLoopback(raw)
		if err != nil || got != want {
			t.Errorf("CheckLoopback(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for raw, wantMsg := range map[string]string{
		"http://10.0.0.1:8080":          "only runs against a server on this machine",
		"http://0.0.0.0:8080":           "only runs against a server on this machine",
		"http://example.org":            "only runs against a server on this machine",
		"http://localhost.example.org":  "only runs against a server on this machine",
		"http://128.0.0.1":              "only runs against a server on this machine",
		"http://[2001:db8::1]:8080":     "only runs against a server on this machine",
		"127.0.0.1:8080":                "give the server's address",
		"ftp://127.0.0.1":               "give the server's address",
		"http://127.0.0.1:8080/reports": "only the scheme, host and port",
		"http://u:p@127.0.0.1:8080":     "only the scheme, host and port",
		"":                              "give the server's address",
	} {
		_, err := CheckLoopback(raw)
		if err == nil || !strings.Contains(err.Error(), wantMsg) {
			t.Errorf("CheckLoopback(%q) = %v, want an error saying %q", raw, err, wantMsg)
		}
	}
}

// The dialer is the second guard: whatever a name resolves to, it connects
// only to loopback. The check runs before any packet is sent.
func TestDialerRefusesOtherMachines(t *testing.T) {
	_, err := dialLoopback(context.Background(), "tcp", "192.0.2.1:80")
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("dial 192.0.2.1 = %v", err)
	}
}

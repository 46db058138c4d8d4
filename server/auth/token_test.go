package auth

import (
	"encoding/base64"
	"regexp"
	"testing"
)

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestNewToken(t *testing.T) {
	const n = 1000
	tokens := make(map[string]bool, n)
	hashes := make(map[string]bool, n)
	for range n {
		token, hash, err := NewToken()
		if err != nil {
			t.Fatalf("NewToken: %v", err)
		}
		raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
		if err != nil || len(raw) != 32 || len(token) != 43 {
			t.Fatalf("token %q is not 32 bytes of unpadded base64url (%d bytes, %v)", token, len(raw), err)
		}
		if !hexSHA256.MatchString(hash) {
			t.Fatalf("hash %q is not lower-case hex SHA-256", hash)
		}
		if hash != HashToken(token) {
			t.Fatalf("hash %q != HashToken(token) %q", hash, HashToken(token))
		}
		if tokens[token] || hashes[hash] {
			t.Fatalf("NewToken repeated a token or hash after %d calls", len(tokens))
		}
		tokens[token], hashes[hash] = true, true
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ token, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := HashToken(tt.token); got != tt.want {
			t.Errorf("HashToken(%q) = %s, want %s", tt.token, got, tt.want)
		}
	}
}

func TestEqualTokens(t *testing.T) {
	token, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same token", token, token, true},
		{"same hash", hash, HashToken(token), true},
		{"different tokens", "abcdefgh", "abcdefgi", false},
		{"prefix", token, token[:42], false},
		{"longer", token, token + "A", false},
		{"case differs", "abcdefgh", "ABCDEFGH", false},
		{"both empty", "", "", false},
		{"one empty", token, "", false},
		{"other empty", "", token, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EqualTokens(tt.a, tt.b); got != tt.want {
				t.Errorf("EqualTokens(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

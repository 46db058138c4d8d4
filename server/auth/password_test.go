package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// Each HashPassword or VerifyPassword with the current parameters costs about
// 80 ms, so the tests below hash a handful of times, not thousands.

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

// phc builds a PHC string the way the reference argon2 CLI prints it.
func phc(m, t uint32, p uint8, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, t, p,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func TestHashPasswordRoundTrip(t *testing.T) {
	tests := []struct {
		name, password, wrong string
	}{
		{"ascii passphrase", "purple tractor singing loudly", "purple tractor singing loudly "},
		{"unicode", "pässwörd für den Rettungswagen 🚑", "passwort für den Rettungswagen 🚑"},
		{"empty", "", " "},
		{"max length", strings.Repeat("kettle ", 36) + "mauve", strings.Repeat("kettle ", 36) + "Mauve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := HashPassword(tt.password)
			if err != nil {
				t.Fatalf("HashPassword: %v", err)
			}
			if !phcPattern.MatchString(encoded) {
				t.Fatalf("HashPassword = %q, not the expected PHC format", encoded)
			}
			if NeedsRehash(encoded) {
				t.Errorf("NeedsRehash(fresh hash) = true")
			}
			if ok, err := VerifyPassword(encoded, tt.password); !ok || err != nil {
				t.Errorf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := VerifyPassword(encoded, tt.wrong); ok || err != nil {
				t.Errorf("VerifyPassword(wrong password) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestHashPasswordSaltsDiffer(t *testing.T) {
	a, err := HashPassword("purple tractor singing loudly")
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashPassword("purple tractor singing loudly")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two hashes of the same password are identical: %q", a)
	}
	if strings.Split(a, "$")[4] == strings.Split(b, "$")[4] {
		t.Fatalf("two hashes share a salt")
	}
}

// TestVerifyReferenceVectors checks PHC strings built from argon2id outputs of
// the reference implementation's CLI (password "password", salt "somesalt",
// 24-byte key; the vectors golang.org/x/crypto/argon2 tests against). They
// only verify if m, t and p are read from the string and passed in the
// right order.
func TestVerifyReferenceVectors(t *testing.T) {
	tests := []string{
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",
		"$argon2id$v=19$m=64,t=2,p=2$c29tZXNhbHQ$NQrDciL0Nsy1wJcvHr079rlYvyBxhBNi",
		"$argon2id$v=19$m=4096,t=4,p=4$c29tZXNhbHQ$FF25czqfTuQ+3zPFCb6WuTTVBaTvszxa",
		"$argon2id$v=19$m=1024,t=3,p=6$c29tZXNhbHQ$FkC5MvS2DicvXSIHuanGJv+hvYjSNJAW",
	}
	for _, encoded := range tests {
		t.Run(strings.Split(encoded, "$")[3], func(t *testing.T) {
			if ok, err := VerifyPassword(encoded, "password"); !ok || err != nil {
				t.Errorf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := VerifyPassword(encoded, "Password"); ok || err != nil {
				t.Errorf("VerifyPassword(wrong password) = %v, %v; want false, nil", ok, err)
			}
			if !NeedsRehash(encoded) {
				t.Errorf("NeedsRehash = false for parameters weaker than the current ones")
			}
		})
	}
}

// TestVerifyStoredParameters checks that VerifyPassword uses the parameters
// in the stored string, and that NeedsRehash compares them with the current
// ones.
func TestVerifyStoredParameters(t *testing.T) {
	salt16 := []byte("0123456789abcdef")
	const pw = "purple tractor singing loudly"
	tests := []struct {
		name        string
		m, t        uint32
		p           uint8
		salt        []byte
		keyLen      uint32
		needsRehash bool
	}{
		{"stronger: m=65536,t=3,p=2", 65536, 3, 2, salt16, 32, false},
		{"current", argonMemory, argonTime, argonThreads, salt16, argonKeyLen, false},
		{"more iterations", argonMemory, 3, 1, salt16, 32, false},
		{"longer key", argonMemory, argonTime, 1, salt16, 64, false},
		{"less memory", 4096, 3, 1, salt16, 32, true},
		{"fewer iterations", argonMemory, 1, 1, salt16, 32, true},
		{"shorter salt", argonMemory, argonTime, 1, []byte("8 bytes!"), 32, true},
		{"shorter key", argonMemory, argonTime, 1, salt16, 16, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded := phc(tt.m, tt.t, tt.p, tt.salt, argon2.IDKey([]byte(pw), tt.salt, tt.t, tt.m, tt.p, tt.keyLen))
			if ok, err := VerifyPassword(encoded, pw); !ok || err != nil {
				t.Errorf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := VerifyPassword(encoded, pw+"!"); ok || err != nil {
				t.Errorf("VerifyPassword(wrong password) = %v, %v; want false, nil", ok, err)
			}
			if got := NeedsRehash(encoded); got != tt.needsRehash {
				t.Errorf("NeedsRehash = %v, want %v", got, tt.needsRehash)
			}
		})
	}

	// Changing a stored parameter changes the hash computed, so the right
	// password no longer verifies: the parameters are not ignored.
	encoded := phc(4096, 3, 2, salt16, argon2.IDKey([]byte(pw), salt16, 3, 4096, 2, 32))
	for _, tampered := range []string{
		strings.Replace(encoded, "m=4096", "m=4104", 1),
		strings.Replace(encoded, "t=3", "t=2", 1),
		strings.Replace(encoded, "p=2", "p=1", 1),
	} {
		if ok, err := VerifyPassword(tampered, pw); ok || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want false, nil", tampered, ok, err)
		}
	}
}

func TestVerifyMalformed(t *testing.T) {
	const (
		salt = "c29tZXNhbHQ"                      // 8 bytes
		key  = "ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7" // 24 bytes
		prm  = "m=64,t=1,p=1"
	)
	ok := "$argon2id$v=19$" + prm + "$" + salt + "$" + key
	if good, err := VerifyPassword(ok, "password"); !good || err != nil {
		t.Fatalf("base case does not verify: %v, %v", good, err)
	}
	b64 := base64.RawStdEncoding.EncodeToString
	tests := []struct{ name, encoded string }{
		{"empty", ""},
		{"dollar only", "$"},
		{"algorithm only", "$argon2id$"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"plain text", "password"},
		{"no leading dollar", "argon2id$v=19$" + prm + "$" + salt + "$" + key},
		{"argon2i", "$argon2i$v=19$" + prm + "$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$" + prm + "$" + salt + "$" + key},
		{"upper-case algorithm", "$ARGON2ID$v=19$" + prm + "$" + salt + "$" + key},
		{"no version", "$argon2id$" + prm + "$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$" + prm + "$" + salt + "$" + key},
		{"version garbage", "$argon2id$v=19x$" + prm + "$" + salt + "$" + key},
		{"missing key", "$argon2id$v=19$" + prm + "$" + salt},
		{"extra field", ok + "$" + key},
		{"trailing dollar", ok + "$"},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"param missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key},
		{"extra param", "$argon2id$v=19$" + prm + ",keyid=abc$" + salt + "$" + key},
		{"empty param", "$argon2id$v=19$m=,t=1,p=1$" + salt + "$" + key},
		{"space in param", "$argon2id$v=19$m= 64,t=1,p=1$" + salt + "$" + key},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"negative", "$argon2id$v=19$m=64,t=-1,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"hex number", "$argon2id$v=19$m=0x40,t=1,p=1$" + salt + "$" + key},
		{"memory over 1 GiB", "$argon2id$v=19$m=1048577,t=1,p=1$" + salt + "$" + key},
		{"memory uint32 max", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key},
		{"memory overflows uint32", "$argon2id$v=19$m=4294967360,t=1,p=1$" + salt + "$" + key},
		{"memory huge", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + key},
		{"memory below 8p", "$argon2id$v=19$m=15,t=1,p=2$" + salt + "$" + key},
		{"memory zero", "$argon2id$v=19$m=0,t=1,p=1$" + salt + "$" + key},
		{"time zero", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"time absurd", "$argon2id$v=19$m=64,t=1000000,p=1$" + salt + "$" + key},
		{"threads zero", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"threads 17", "$argon2id$v=19$m=256,t=1,p=17$" + salt + "$" + key},
		{"threads overflow uint8", "$argon2id$v=19$m=4096,t=1,p=257$" + salt + "$" + key},
		{"empty salt", "$argon2id$v=19$" + prm + "$$" + key},
		{"short salt", "$argon2id$v=19$" + prm + "$" + b64([]byte("7 bytes")) + "$" + key},
		{"long salt", "$argon2id$v=19$" + prm + "$" + b64(make([]byte, 65)) + "$" + key},
		{"padded salt", "$argon2id$v=19$" + prm + "$" + salt + "=$" + key},
		{"url-safe alphabet", "$argon2id$v=19$" + prm + "$" + salt + "$" + strings.ReplaceAll(key, "/", "_")},
		{"non-canonical trailing bits", "$argon2id$v=19$" + prm + "$c29tZXNhbHR$" + key},
		{"invalid base64", "$argon2id$v=19$" + prm + "$" + salt + "$" + key[:10] + "!" + key[11:]},
		{"empty key", "$argon2id$v=19$" + prm + "$" + salt + "$"},
		{"short key", "$argon2id$v=19$" + prm + "$" + salt + "$" + b64(make([]byte, 15))},
		{"long key", "$argon2id$v=19$" + prm + "$" + salt + "$" + b64(make([]byte, 65))},
		{"newline", ok + "\n"},
		{"nul", ok + "\x00"},
		{"invalid utf-8", ok[:20] + "\xff" + ok[21:]},
		{"too long", "$argon2id$v=19$" + prm + "$" + salt + "$" + key + strings.Repeat("A", 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(tt.encoded, "password")
			if got || err == nil {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want false and an error", tt.encoded, got, err)
			}
			if !errors.Is(err, ErrInvalidHash) {
				t.Errorf("error %v does not wrap ErrInvalidHash", err)
			}
			if !NeedsRehash(tt.encoded) {
				t.Errorf("NeedsRehash(malformed) = false, want true")
			}
		})
	}
}

func TestDummyHashIsCurrent(t *testing.T) {
	p, err := decode(dummyHash)
	if err != nil {
		t.Fatalf("dummy hash does not parse: %v", err)
	}
	if p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen {
		t.Fatalf("dummy hash %q does not use the current parameters; regenerate it with HashPassword", dummyHash)
	}
	if encode(p) != dummyHash {
		t.Fatalf("dummy hash does not re-encode to itself")
	}
	EqualiseTiming("purple tractor singing loudly") // must not panic
}

// TestVerifyConcurrent runs verifications in parallel (for the race detector
// and the concurrency limit), with cheap parameters.
func TestVerifyConcurrent(t *testing.T) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		t.Fatal(err)
	}
	encoded := phc(64, 1, 1, salt, argon2.IDKey([]byte("right"), salt, 1, 64, 1, 32))
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			pw := "right"
			if i%2 == 1 {
				pw = "wrong"
			}
			ok, err := VerifyPassword(encoded, pw)
			if err != nil || ok != (i%2 == 0) {
				t.Errorf("VerifyPassword(%q) = %v, %v", pw, ok, err)
			}
		})
	}
	wg.Wait()
}

package auth

import (
	"errors"
	"testing"
)

// FuzzVerifyPassword feeds arbitrary stored hashes and passwords to the
// parser and verifier: they must never panic, every rejection must wrap
// ErrInvalidHash and ask for a rehash, and every accepted string must be in
// bounds and in canonical form. The seed corpus is in
// testdata/fuzz/FuzzVerifyPassword and runs with go test.
func FuzzVerifyPassword(f *testing.F) {
	f.Add(dummyHash, "purple tractor singing loudly")
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, err := decode(encoded)
		if err != nil {
			if !errors.Is(err, ErrInvalidHash) {
				t.Fatalf("decode(%q) error %v does not wrap ErrInvalidHash", encoded, err)
			}
			if !NeedsRehash(encoded) {
				t.Fatalf("NeedsRehash(%q) = false for a malformed hash", encoded)
			}
			ok, err := VerifyPassword(encoded, password)
			if ok || err == nil {
				t.Fatalf("VerifyPassword(%q) = %v, %v for a malformed hash", encoded, ok, err)
			}
			return
		}
		if p.memory < 8*uint32(p.threads) || p.memory > maxMemory || p.time < 1 || p.time > maxTime ||
			p.threads < 1 || p.threads > maxThreads ||
			len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen || len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
			t.Fatalf("decode(%q) accepted out-of-bounds parameters %+v", encoded, p)
		}
		if got := encode(p); got != encoded {
			t.Fatalf("decode accepted a non-canonical string: %q re-encodes as %q", encoded, got)
		}
		// Verify only where it is cheap; the parameter bounds above are
		// what keep an expensive stored hash from being a denial of service.
		if uint64(p.memory)*uint64(p.time) <= 4096 {
			if _, err := VerifyPassword(encoded, password); err != nil {
				t.Fatalf("VerifyPassword(%q) = %v after decode succeeded", encoded, err)
			}
		}
	})
}

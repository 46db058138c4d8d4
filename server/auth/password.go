// Package auth holds the cryptographic and policy primitives for sign-in:
// password hashing (argon2id), the password policy, and random tokens for
// sessions, set-password links and API tokens. It has no database and no HTTP.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The current argon2id parameters: the OWASP minimum (19 MiB, 2 iterations,
// 1 lane) with a 16-byte salt and a 32-byte key. Hashes made with weaker
// parameters verify, and NeedsRehash reports them so that the caller can
// store a fresh hash after a successful sign-in.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on the parameters accepted from a stored hash. A hash is data read
// from the database; a tampered or corrupt row must not be able to make one
// verification take gigabytes of memory or minutes of CPU, nor verify
// everything (an empty key).
const (
	maxMemory     = 1024 * 1024 // KiB, 1 GiB
	maxTime       = 16
	maxThreads    = 16
	minSaltLen    = 8 // the argon2 specification's minimum
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 64
	maxEncodedLen = 512
)

// ErrInvalidHash is returned (wrapped) by VerifyPassword for a stored hash
// that is not an argon2id PHC string this package accepts. It is an internal
// error: the stored data is wrong, not the password.
var ErrInvalidHash = errors.New("auth: invalid password hash")

// hashSlots bounds how many argon2 computations run at once, so that a burst
// of sign-ins queues for CPU instead of each allocating 19 MiB or more at the
// same moment.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, time, memory, threads, keyLen)
}

// params are the fields of an argon2id PHC string.
type params struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// b64 is the encoding of the reference implementation: standard alphabet, no
// padding. Strict rejects non-zero trailing bits, so each value has exactly
// one encoding.
var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns an argon2id hash of password in PHC string format:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>
//
// with a 16-byte random salt, a 32-byte key, both in unpadded standard
// base64, as the reference implementation writes them.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading random salt: %w", err)
	}
	key := idKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encode(params{memory: argonMemory, time: argonTime, threads: argonThreads, salt: salt, key: key}), nil
}

func encode(p params) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// VerifyPassword reports whether password matches the argon2id PHC string
// encoded, computing the hash with the parameters stored in it (so that the
// current parameters can be raised without invalidating existing hashes) and
// comparing in constant time. A malformed hash, or one whose parameters are
// outside sane bounds (for example more than 1 GiB of memory), gives an
// error wrapping ErrInvalidHash, never a panic.
func VerifyPassword(encoded, password string) (bool, error) {
	p, err := decode(encoded)
	if err != nil {
		return false, err
	}
	key := idKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// NeedsRehash reports whether encoded uses weaker parameters than the current
// ones (less memory, fewer iterations, a shorter salt or key), or cannot be
// parsed at all, so that the caller should store a fresh HashPassword after
// the next successful sign-in.
func NeedsRehash(encoded string) bool {
	p, err := decode(encoded)
	if err != nil {
		return true
	}
	return p.memory < argonMemory || p.time < argonTime ||
		len(p.salt) < argonSaltLen || len(p.key) < argonKeyLen
}

// dummyHash is a hash, with the current parameters, of a random password
// that was thrown away. EqualiseTiming verifies against it; a test checks
// that it stays in step with the current parameters.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$++MWzbfqPPb+KGOldcYEWw$au7iRchz3Mt9Xfa8rZQANUcdCWtxGUcOf51csZodRYQ"

// EqualiseTiming runs one password verification against a fixed dummy hash
// and discards the result, so that a sign-in attempt for an account that
// does not exist (or has no password yet) takes as long as one for a real
// account.
func EqualiseTiming(password string) {
	_, _ = VerifyPassword(dummyHash, password)
}

// decode parses an argon2id PHC string strictly:
// $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<key>.
func decode(encoded string) (params, error) {
	var p params
	if len(encoded) > maxEncodedLen {
		return p, fmt.Errorf("%w: too long", ErrInvalidHash)
	}
	// Only the characters of the format: base64 decoding would otherwise
	// skip line breaks, letting several strings decode to the same hash.
	for i := 0; i < len(encoded); i++ {
		if c := encoded[i]; !isPHCChar(c) {
			return p, fmt.Errorf("%w: unexpected character at byte %d", ErrInvalidHash, i)
		}
	}
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return p, fmt.Errorf("%w: want 5 $-separated fields", ErrInvalidHash)
	}
	if fields[1] != "argon2id" {
		return p, fmt.Errorf("%w: algorithm %q is not argon2id", ErrInvalidHash, fields[1])
	}
	if fields[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, fmt.Errorf("%w: unsupported version %q", ErrInvalidHash, fields[2])
	}

	kv := strings.Split(fields[3], ",")
	if len(kv) != 3 {
		return p, fmt.Errorf("%w: want parameters m, t and p", ErrInvalidHash)
	}
	var nums [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		value, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok {
			return p, fmt.Errorf("%w: parameter %d is not %s", ErrInvalidHash, i+1, name)
		}
		n, err := parseDecimal(value)
		if err != nil {
			return p, fmt.Errorf("%w: parameter %s: %v", ErrInvalidHash, name, err)
		}
		nums[i] = n
	}
	m, t, threads := nums[0], nums[1], nums[2]
	switch {
	case threads < 1 || threads > maxThreads:
		return p, fmt.Errorf("%w: p=%d outside 1..%d", ErrInvalidHash, threads, maxThreads)
	case t < 1 || t > maxTime:
		return p, fmt.Errorf("%w: t=%d outside 1..%d", ErrInvalidHash, t, maxTime)
	case m < 8*threads || m > maxMemory:
		return p, fmt.Errorf("%w: m=%d outside %d..%d", ErrInvalidHash, m, 8*threads, maxMemory)
	}

	salt, err := b64.DecodeString(fields[4])
	if err != nil {
		return p, fmt.Errorf("%w: salt is not unpadded base64", ErrInvalidHash)
	}
	if len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, fmt.Errorf("%w: salt of %d bytes outside %d..%d", ErrInvalidHash, len(salt), minSaltLen, maxSaltLen)
	}
	key, err := b64.DecodeString(fields[5])
	if err != nil {
		return p, fmt.Errorf("%w: key is not unpadded base64", ErrInvalidHash)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, fmt.Errorf("%w: key of %d bytes outside %d..%d", ErrInvalidHash, len(key), minKeyLen, maxKeyLen)
	}

	p.memory, p.time, p.threads, p.salt, p.key = uint32(m), uint32(t), uint8(threads), salt, key
	return p, nil
}

func isPHCChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '$' || c == '=' || c == ',' || c == '+' || c == '/'
}

// parseDecimal parses a canonical unsigned decimal: digits only, no sign, no
// leading zeros, at most 10 digits.
func parseDecimal(s string) (uint64, error) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, errors.New("not a canonical decimal number")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("not a canonical decimal number")
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenBytes is the amount of randomness in a token: 256 bits.
const tokenBytes = 32

// NewToken returns a new random token to hand out (32 bytes from
// crypto/rand, base64url without padding: 43 characters) and the hash to
// store in its place (HashToken(token): hex SHA-256). Used for session
// cookies, set-password links and API tokens; only the hash is stored, so a
// leaked database row cannot be used as a token.
func NewToken() (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: reading random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the hex SHA-256 of token, the form in which tokens are
// stored and looked up. A token has 256 bits of entropy, so a fast unsalted
// hash is enough.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// EqualTokens reports whether two secrets are equal, in time that depends on
// neither their contents nor (beyond hashing them) their lengths. An empty
// secret is never equal to anything, so a missing value cannot match a
// missing value.
func EqualTokens(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

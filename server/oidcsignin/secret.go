package oidcsignin

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// KeySize is the length of the key that encrypts client secrets: AES-256.
const KeySize = 32

// sealedPrefix marks the format, so a later change of scheme can tell old
// values from new ones.
const sealedPrefix = "v1:"

// ErrNoKey means no encryption key is configured, so no secret can be
// stored or read.
var ErrNoKey = errors.New("no key is configured for client secrets")

// Sealer encrypts and decrypts client secrets with AES-256-GCM. The
// associated data ties a sealed value to its row (the organisation), so a
// value copied to another row does not open.
type Sealer struct{ aead cipher.AEAD }

// NewSealer makes a Sealer from a 32-byte key. A nil or empty key gives a
// Sealer that refuses everything with ErrNoKey.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) == 0 {
		return &Sealer{}, nil
	}
	if len(key) != KeySize {
		return nil, errors.New("the key for client secrets must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Ready reports whether a key is configured.
func (s *Sealer) Ready() bool { return s != nil && s.aead != nil }

// Seal encrypts plaintext for the row named by context.
func (s *Sealer) Seal(plaintext, context string) (string, error) {
	if !s.Ready() {
		return "", ErrNoKey
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
	return sealedPrefix + base64.StdEncoding.EncodeToString(out), nil
}

// Open decrypts a value sealed for the row named by context. It fails if
// the key differs, the value was changed, or it was sealed for another row.
func (s *Sealer) Open(sealed, context string) (string, error) {
	if !s.Ready() {
		return "", ErrNoKey
	}
	raw, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", errors.New("the stored client secret is not in a known format")
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errors.New("the stored client secret is damaged")
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], []byte(context))
	if err != nil {
		return "", errors.New("the stored client secret does not open with the configured key (was the key changed?)")
	}
	return string(plain), nil
}

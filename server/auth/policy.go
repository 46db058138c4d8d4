package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Password length limits, in characters (runes).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// minPersonalLen is the shortest personal value (name part, email local part)
// that a password must not contain; shorter ones ("Al", "Li") are too likely
// to occur by chance.
const minPersonalLen = 4

// Messages shown to the person choosing a password.
const (
	msgTooShort   = "Your password must be at least 12 characters long. Three or four random words together make a long password that is easy to remember."
	msgTooLong    = "Your password must be no more than 256 characters long."
	msgBadUTF8    = "Your password contains characters we cannot read. Please type it again."
	msgSequence   = "Your password is a repeated character, pattern or simple sequence (such as 123456 or qwerty), which is easy to guess. Please choose something less predictable."
	msgCommon     = "Your password is one of the most commonly used passwords, which makes it easy to guess. Please choose something less predictable, such as three random words."
	msgPersonal   = "Your password must not contain your name or email address. Please choose something that someone who knows you could not guess."
	maxPatternLen = 4 // longest unit whose repetition counts as a pattern ("abcabcabcabc")
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 8192)
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.TrimRight(line, "\r\n")
		if line != "" {
			set[line] = struct{}{}
		}
	}
	return set
})

// Keyboard and character runs that people walk along. A password that is a
// stretch of one of these, forwards or backwards, is rejected. The alphabet,
// the digit row and the main letter rows wrap around ("7890123456",
// "zabcdefghijk"); the others are walked from one end.
var (
	cyclicSequences = []string{
		"0123456789",
		"abcdefghijklmnopqrstuvwxyz",
		"qwertyuiopasdfghjklzxcvbnm", // UK/US letter rows, read row by row
	}
	linearSequences = []string{
		"`1234567890-=qwertyuiop[]asdfghjkl;'#zxcvbnm,./", // the whole UK keyboard, row by row
		"1234567890qwertyuiopasdfghjklzxcvbnm",            // its digits and letters only
		"¬!\"£$%^&*()_+",                                  // the shifted digit row (UK)
		"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]",   // UK keyboard, column by column
		"qazwsxedcrfvtgbyhnujmikolp",                      // the same without the digits
		"zaq1xsw2cde3vfr4bgt5nhy6mju7,ki8.lo9/;p0",        // columns, bottom up
		"1q2w3e4r5t6y7u8i9o0p",                            // digit and letter rows interleaved
		"q1w2e3r4t5y6u7i8o9p0",
		"a1b2c3d4e5f6g7h8i9j0",
	}
)

// cyclicWalks are the cyclic sequences repeated so that any stretch of up to
// MaxPasswordLen runes, starting anywhere, is a substring.
var cyclicWalks = func() []string {
	walks := make([]string, len(cyclicSequences))
	for i, seq := range cyclicSequences {
		walks[i] = strings.Repeat(seq, MaxPasswordLen/utf8.RuneCountInString(seq)+2)
	}
	return walks
}()

// CheckPassword applies the password policy (NCSC and NIST SP 800-63B:
// length first, a block list, no composition rules) to a new password. It
// returns nil if the password is acceptable, or an *apperr.Error with code
// apperr.EINVALID and a message written for the person choosing it.
//
// The rules:
//   - 12 to 256 characters (runes), valid UTF-8;
//   - not a single character repeated, a short pattern repeated, or a
//     keyboard, alphabet or number sequence ("aaaaaaaaaaaa", "123456789012",
//     "qwertyuiopas");
//   - not on the embedded list of common passwords, ignoring case, nor a
//     listed password followed only by digits, symbols or spaces
//     ("Password123!");
//   - not containing any of the personal values (email address, name and so
//     on) that are 4 or more characters long, ignoring case. Each value is
//     also split into words at spaces and punctuation, and an email
//     address contributes its local part and that part's words (but not the
//     words of its domain), so the caller may pass the email address and
//     full name as they are.
func CheckPassword(password string, personal ...string) error {
	if !utf8.ValidString(password) {
		return apperr.Errorf(apperr.EINVALID, "%s", msgBadUTF8)
	}
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return apperr.Errorf(apperr.EINVALID, "%s", msgTooShort)
	}
	if n > MaxPasswordLen {
		return apperr.Errorf(apperr.EINVALID, "%s", msgTooLong)
	}
	lower := strings.ToLower(password)
	if isRepeatedPattern(lower) || isSequence(lower) {
		return apperr.Errorf(apperr.EINVALID, "%s", msgSequence)
	}
	if isCommon(lower) {
		return apperr.Errorf(apperr.EINVALID, "%s", msgCommon)
	}
	for _, v := range personalTerms(personal) {
		if strings.Contains(lower, v) {
			return apperr.Errorf(apperr.EINVALID, "%s", msgPersonal)
		}
	}
	return nil
}

// isCommon reports whether lower is on the common-password list, or is a
// listed password followed only by characters that are not letters (digits,
// symbols, spaces): "password123!" is caught by "password", "password1",
// "password12" and so on.
func isCommon(lower string) bool {
	list := commonPasswords()
	if _, ok := list[lower]; ok {
		return true
	}
	for i := len(lower); i > 0; {
		r, size := utf8.DecodeLastRuneInString(lower[:i])
		if unicode.IsLetter(r) {
			return false
		}
		i -= size
		if _, ok := list[lower[:i]]; ok {
			return true
		}
	}
	return false
}

// isRepeatedPattern reports whether s is one unit of at most maxPatternLen
// runes repeated ("aaaaaaaaaaaa", "abababababab", "123412341234"); a
// trailing partial unit still counts ("abcabcabcab").
func isRepeatedPattern(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= maxPatternLen && unit < len(r); unit++ {
		repeated := true
		for i := unit; i < len(r); i++ {
			if r[i] != r[i-unit] {
				repeated = false
				break
			}
		}
		if repeated {
			return true
		}
	}
	return false
}

// isSequence reports whether s is a stretch of one of the keyboard, alphabet
// or number sequences, forwards or backwards.
func isSequence(s string) bool {
	rev := reverse(s)
	for _, walk := range cyclicWalks {
		if strings.Contains(walk, s) || strings.Contains(walk, rev) {
			return true
		}
	}
	for _, seq := range linearSequences {
		if strings.Contains(seq, s) || strings.Contains(seq, rev) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// personalTerms returns the lower-cased personal values, and their words,
// that are at least minPersonalLen runes long.
func personalTerms(values []string) []string {
	var terms []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) >= minPersonalLen {
			terms = append(terms, s)
		}
	}
	addWords := func(s string) {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			add(w)
		}
	}
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		add(v)
		if local, _, ok := strings.Cut(v, "@"); ok {
			add(local)
			addWords(local)
			continue
		}
		addWords(v)
	}
	return terms
}

package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

func TestCheckPassword(t *testing.T) {
	person := []string{"jane.doe@met.police.uk", "Jane Doe"}
	tests := []struct {
		name     string
		password string
		personal []string
		want     string // "" for accepted, else the message
	}{
		// Length, counted in characters.
		{"12 characters", "mauve kettle", nil, ""},
		{"11 characters", "mauve kettl", nil, msgTooShort},
		{"empty", "", nil, msgTooShort},
		{"12 multi-byte characters", "ñandú cafés!", nil, ""},
		{"9 characters in 27 bytes", "日本語のパスワード", nil, msgTooShort},
		{"256 characters", strings.Repeat("mauve kettle ", 19) + "mauvekett", nil, ""},
		{"257 characters", strings.Repeat("mauve kettle ", 19) + "mauvekettl", nil, msgTooLong},
		{"invalid utf-8", "mauve kettle \xff", nil, msgBadUTF8},

		// No composition rules.
		{"lower-case letters only", "purpletractorsinging", nil, ""},
		{"digits only, not a sequence", "739164028573", nil, ""},
		{"spaces allowed", "purple tractor singing loudly", nil, ""},

		// Repetition and sequences.
		{"one character repeated", "aaaaaaaaaaaa", nil, msgSequence},
		{"one character repeated, upper case", "ZZZZZZZZZZZZZZ", nil, msgSequence},
		{"symbol repeated", "!!!!!!!!!!!!", nil, msgSequence},
		{"short pattern repeated", "abababababab", nil, msgSequence},
		{"pattern with partial unit", "xyzxyzxyzxyzx", nil, msgSequence},
		{"pattern broken at the end", "xyzxyzxyzxyz1", nil, ""},
		{"four-character pattern repeated", "Test" + "test" + "test", nil, msgSequence},
		{"number sequence", "123456789012", nil, msgSequence},
		{"number sequence backwards", "210987654321", nil, msgSequence},
		{"number sequence from 5", "567890123456", nil, msgSequence},
		{"alphabet", "abcdefghijklm", nil, msgSequence},
		{"alphabet backwards", "ZYXWVUTSRQPO", nil, msgSequence},
		{"keyboard rows", "qwertyuiopas", nil, msgSequence},
		{"keyboard rows, mixed case", "QwertyUiopAsdf", nil, msgSequence},
		{"keyboard rows backwards", "lkjhgfdsapoiuy", nil, msgSequence},
		{"keyboard columns", "1qaz2wsx3edc", nil, msgSequence},
		{"keyboard from digit row", "1234567890qwe", nil, msgSequence},
		{"shifted digit row", "!\"£$%^&*()_+", nil, msgSequence},
		{"interleaved rows", "1q2w3e4r5t6y", nil, msgSequence},
		{"sequence inside other text", "my pin is 1234567890", nil, ""},

		// Common passwords.
		{"listed", "qwertyuiop123", nil, msgCommon},
		{"listed, upper case", "FIREANDRESCUE", nil, msgCommon},
		{"listed plus digits and symbol", "Password123!", nil, msgCommon},
		{"listed plus many digits", "iloveyou1234567", nil, msgCommon},
		{"listed plus symbols", "letmein!!!!!", nil, msgCommon},
		{"listed plus space and year", "football 2024", nil, msgCommon},
		{"blue-light", "999emergency", nil, msgCommon},
		{"force name and digits", "ThamesValley2024", nil, msgCommon},
		{"force name with police", "merseysidepolice", nil, msgCommon},
		{"met police", "MetPolice999!", nil, msgCommon},
		{"listed word followed by letters", "football is my passion", nil, ""},
		{"listed word after other text", "my password1 is long", nil, ""},

		// Personal values.
		{"email local part word", "mauve kettle jane", person, msgPersonal},
		{"surname too short to count", "mauve kettle doe", person, ""},
		{"whole email", "Jane.Doe@met.police.uk!", person, msgPersonal},
		{"local part", "xx-jane.doe-xx", person, msgPersonal},
		{"name, case-insensitive", "MauveKettleJANE", person, msgPersonal},
		{"domain words are not personal", "I trust the police 42", person, ""},
		{"hyphenated and apostrophe name", "mauve kettle brien", []string{"Mary-Jane O'Brien"}, msgPersonal},
		{"first part of hyphenated name", "mauve kettle mary", []string{"Mary-Jane O'Brien"}, msgPersonal},
		{"short name ignored", "mauve kettle al!", []string{"Al"}, ""},
		{"blank values ignored", "mauve kettle", []string{"", "   "}, ""},
		{"unrelated person", "mauve kettle jane", []string{"bob.smith@example.org", "Bob Smith"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.password, tt.personal...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) {
				t.Fatalf("CheckPassword(%q) = %v (%T), want an *apperr.Error", tt.password, err, err)
			}
			if e.Code != apperr.EINVALID {
				t.Errorf("code = %q, want %q", e.Code, apperr.EINVALID)
			}
			if e.Message != tt.want {
				t.Errorf("CheckPassword(%q) message = %q, want %q", tt.password, e.Message, tt.want)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	if len(lines) < 1500 {
		t.Fatalf("common password list has %d entries, want at least 1500", len(lines))
	}
	seen := make(map[string]bool, len(lines))
	for i, line := range lines {
		switch {
		case len(line) < 8:
			t.Errorf("line %d: %q is shorter than 8 characters", i+1, line)
		case line != strings.ToLower(line):
			t.Errorf("line %d: %q is not lower case", i+1, line)
		case line != strings.TrimSpace(line):
			t.Errorf("line %d: %q has surrounding white space", i+1, line)
		case seen[line]:
			t.Errorf("line %d: %q is a duplicate", i+1, line)
		}
		seen[line] = true
	}
	if got := len(commonPasswords()); got != len(lines) {
		t.Errorf("loaded %d passwords from %d lines", got, len(lines))
	}
	for _, want := range []string{
		"password1", "iloveyou1", "qwertyuiop", "football1", "welcome123", "letmein123",
		"police123", "firefighter", "ambulance1", "metpolice", "999emergency", "fireandrescue",
	} {
		if !seen[want] {
			t.Errorf("list lacks %q", want)
		}
	}
	// Every listed password long enough to pass the length rule is rejected.
	for _, line := range lines {
		if len([]rune(line)) >= MinPasswordLen && CheckPassword(line) == nil {
			t.Errorf("CheckPassword accepts listed password %q", line)
		}
	}
}

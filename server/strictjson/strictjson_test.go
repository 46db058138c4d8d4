package strictjson

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type due struct{ time.Time }

func (d *due) UnmarshalJSON(b []byte) error {
	if err := d.Time.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("must be a date and time")
	}
	return nil
}

type doc struct {
	Name  string    `json:"name"`
	At    time.Time `json:"at"`
	Due   *due      `json:"due"`
	Tags  []string  `json:"tags"`
	Count int8      `json:"count"`
	Skip  string    `json:"-"`
}

func TestDecode(t *testing.T) {
	full := `{"name":"a","at":"2026-04-01T00:00:00Z","due":null,"tags":null,"count":1}`
	for _, tc := range []struct {
		name, doc string
		complete  bool
		kind      Kind
		path      string
	}{
		{"empty", " \n", false, Empty, ""},
		{"syntax", "{\n\"name\" 1}", false, Syntax, ""},
		{"cut short", `{"name":"a"`, false, CutShort, ""},
		{"trailing", full + ` {}`, false, Trailing, ""},
		{"unknown", `{"nmae":"a"}`, false, Shape, "nmae"},
		{"wrong type in a list", `{"tags":["a",2]}`, false, Shape, "tags[1]"},
		{"out of range", `{"count":300}`, false, Shape, "count"},
		{"bad time", `{"at":"yesterday"}`, false, Shape, "at"},
		{"the type's own refusal", `{"due":"soon"}`, false, Shape, "due"},
		{"not an object", `[]`, false, Shape, ""},
		{"missing", `{"name":"a"}`, true, Shape, "at"},
		{"null", `{"name":null,"at":"2026-04-01T00:00:00Z","due":null,"tags":null,"count":1}`, true, Shape, "name"},
		{"ignored field sent", `{"Skip":"x"}`, false, Shape, "Skip"},
		{"NUL in text", `{"name":"a\u0000b"}`, false, Shape, "name"},
		{"a control character in a list", `{"tags":["ok","\u001b[2J"]}`, false, Shape, "tags[1]"},
		{"not UTF-8", "{\"name\":\"\xff\"}", false, Syntax, ""},
	} {
		var d doc
		var err error
		if tc.complete {
			err = DecodeComplete([]byte(tc.doc), &d)
		} else {
			err = Decode([]byte(tc.doc), &d)
		}
		var se *Error
		if !errors.As(err, &se) || se.Kind != tc.kind || se.Path != tc.path {
			t.Errorf("%s: %#v, want kind %d at %q", tc.name, err, tc.kind, tc.path)
		}
	}
	var d doc
	if err := DecodeComplete([]byte(full), &d); err != nil || d.Name != "a" || d.Count != 1 {
		t.Errorf("complete document: %v %+v", err, d)
	}
	if err := Decode([]byte(`{"name":null}`), &d); err != nil {
		t.Errorf("null for a field left out: %v", err)
	}
	var se *Error
	if err := Decode([]byte("{\n  \"name\" 1}"), &d); !errors.As(err, &se) || se.Line != 2 || se.Column != 10 {
		t.Errorf("syntax error place: %+v", se)
	}
}

func TestTextProblem(t *testing.T) {
	for s, bad := range map[string]bool{
		"Exeter": false, "Llanelli, Sir Gâr": false, "two\r\nlines\tand a tab": false, "": false,
		"nul\x00": true, "bell\a": true, "escape\x1b": true, "\xff\xfe": true, "cut \xe2\x82": true,
	} {
		if got := TextProblem(s); (got != "") != bad {
			t.Errorf("TextProblem(%q) = %q", s, got)
		}
	}
	err := Decode([]byte("{\n\"name\":\"ab\xffc\"}"), &doc{})
	var se *Error
	if !errors.As(err, &se) || se.Offset != 13 || se.Line != 2 || se.Column != 11 {
		t.Errorf("not UTF-8 = %#v, want the place of the byte", err)
	}
}

// TestOptionalFields: in a complete document a field tagged omitempty or
// strictjson:"optional" may be missing (documents written before it was
// added); any other field may not.
func TestOptionalFields(t *testing.T) {
	type doc struct {
		Name  string   `json:"name"`
		Later []string `json:"later" strictjson:"optional"`
		Old   []string `json:"old,omitempty"`
	}
	var d doc
	if err := DecodeComplete([]byte(`{"name":"a"}`), &d); err != nil || d.Name != "a" {
		t.Errorf("optional fields left out: %+v %v", d, err)
	}
	if err := DecodeComplete([]byte(`{"later":[]}`), &d); err == nil || !strings.Contains(err.Error(), "name") {
		t.Errorf("a required field left out: %v", err)
	}
}

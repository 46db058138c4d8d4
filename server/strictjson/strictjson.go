// Package strictjson decodes a JSON document into a Go value strictly:
// unknown fields, wrong types and anything after the document are refused,
// and every refusal says where in the document it is, like
// assessments[2].responses[5].level. encoding/json alone reports unknown
// fields and bad values without their place.
//
// The API and the import of an export file both read JSON this way; each
// words an *Error for its own readers (a client's request body, a file).
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what went wrong.
type Kind int

const (
	Empty    Kind = iota + 1 // nothing but white space
	Syntax                   // not JSON; Offset, Line and Column say where
	CutShort                 // the document ends before it is complete
	Trailing                 // more after the document
	Shape                    // the JSON does not fit the Go type at Path
)

// Error is a refusal. For Shape, Path is where in the document ("" for the
// whole of it), Problem says what is wrong there, and Want, when the value
// is of the wrong type, what it should have been ("a whole number").
type Error struct {
	Kind         Kind
	Path         string
	Problem      string
	Want, Got    string
	Unknown      bool   // the field at Path is not one the type has
	Offset       int64  // Syntax: the byte just past the fault
	Line, Column int    // Syntax: the same place, counted from 1
	Detail       string // Syntax: encoding/json's own words
}

func (e *Error) Error() string {
	switch e.Kind {
	case Empty:
		return "the document is empty"
	case Syntax:
		return fmt.Sprintf("not valid JSON at line %d, column %d: %s", e.Line, e.Column, e.Detail)
	case CutShort:
		return "the document ends too soon"
	case Trailing:
		return "there is more after the document"
	}
	path := e.Path
	if path == "" {
		path = "the document"
	}
	return path + ": " + e.Problem
}

// Decode reads data, which must hold one JSON value that fits v (a
// pointer). Fields may be left out, and null is taken as left out, as
// encoding/json does.
func Decode(data []byte, v any) error { return decode(data, v, false) }

// DecodeComplete is Decode for documents that must name every field of
// their type (but those tagged omitempty), and may hold null only where the
// type is a pointer or a list.
func DecodeComplete(data []byte, v any) error { return decode(data, v, true) }

func decode(data []byte, v any, complete bool) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &Error{Kind: Empty}
	}
	if !utf8.Valid(data) { // encoding/json would quietly replace the bytes
		offset := firstInvalidUTF8(data) + 1
		line, col := lineCol(data, offset)
		return &Error{Kind: Syntax, Offset: offset, Line: line, Column: col, Detail: "invalid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return syntaxError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &Error{Kind: Trailing}
	}
	w := walker{complete: complete}
	if err := w.check("", tree, reflect.TypeOf(v).Elem()); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		// check should have caught it; say so rather than guess.
		return &Error{Kind: Shape, Problem: "could not be read: " + err.Error()}
	}
	return nil
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return &Error{Kind: Syntax, Offset: se.Offset, Line: line, Column: col, Detail: se.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Kind: CutShort}
	}
	return &Error{Kind: Syntax, Detail: err.Error()}
}

// firstInvalidUTF8 is the offset of the first byte of data that is not
// part of valid UTF-8.
func firstInvalidUTF8(data []byte) int64 {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return int64(i)
		}
		i += size
	}
	return int64(len(data))
}

// TextProblem says what is wrong with s as text, or "" if nothing is. Text
// is valid UTF-8 with no control characters but tab, line feed and
// carriage return: no one types the others, and PostgreSQL refuses NUL
// where SQLite stores it. JSON strings are held to it here; the server
// holds form fields and query values to it too, so the rule is one.
func TextProblem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Sprintf("holds the control character U+%04X: text may hold only printable characters, tabs and line breaks", r)
		}
	}
	return ""
}

// lineCol finds the character a syntax error's offset points just past.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset-1, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

type walker struct{ complete bool }

func shapeAt(path, format string, args ...any) *Error {
	return &Error{Kind: Shape, Path: path, Problem: fmt.Sprintf(format, args...)}
}

// wrongType is a value of the wrong JSON type: Problem in a few words,
// Want and Got for those who word it themselves.
func wrongType(path, problem, want string, v any) *Error {
	e := shapeAt(path, "%s", problem)
	e.Want, e.Got = want, jsonType(v)
	return e
}

// check walks a decoded JSON value beside the Go type it must fill.
func (w walker) check(path string, v any, t reflect.Type) error {
	if v == nil {
		if !w.complete || t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			return nil
		}
		return shapeAt(path, "must not be null")
	}
	if t.Kind() == reflect.Pointer {
		return w.check(path, v, t.Elem())
	}
	switch {
	case t == timeType:
		s, ok := v.(string)
		if !ok {
			return wrongType(path, "must be a time as text, like 2026-04-01T00:00:00Z", "a time as text", v)
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return shapeAt(path, "%q is not a time like 2026-04-01T00:00:00Z", s)
		}
	case reflect.PointerTo(t).Implements(unmarshalerType):
		// The type reads itself: let it, here, so its refusal has a place.
		raw, _ := json.Marshal(v)
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			return shapeAt(path, "%s", err.Error())
		}
	case t.Kind() == reflect.Struct:
		return w.object(path, v, t)
	case t.Kind() == reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return wrongType(path, "must be a list", "a list", v)
		}
		for i, item := range list {
			if err := w.check(fmt.Sprintf("%s[%d]", path, i), item, t.Elem()); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.String:
		s, ok := v.(string)
		if !ok {
			return wrongType(path, "must be text", "a string", v)
		}
		if problem := TextProblem(s); problem != "" {
			return shapeAt(path, "%s", problem)
		}
	case t.Kind() == reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrongType(path, "must be true or false", "true or false", v)
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(path, "must be a number", "a whole number", v)
		}
		if _, err := strconv.ParseInt(n.String(), 10, t.Bits()); err != nil {
			e := shapeAt(path, "%s is not a whole number in range", n)
			e.Want, e.Got = "a whole number", "number "+n.String()
			return e
		}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(path, "must be a number", "a number", v)
		}
		if _, err := strconv.ParseFloat(n.String(), t.Bits()); err != nil {
			return shapeAt(path, "%s is not a number in range", n)
		}
	default:
		return fmt.Errorf("strictjson: no rule for %s at %s", t, path)
	}
	return nil
}

// object checks a JSON object against a struct: every key must be a field
// of it, and in a complete document every field must be there.
func (w walker) object(path string, v any, t reflect.Type) error {
	m, ok := v.(map[string]any)
	if !ok {
		return wrongType(path, "must be an object", "an object", v)
	}
	known := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		known[name] = true
		value, present := m[name]
		if !present {
			// omitempty marks a field added later, which files written
			// before it lack: optional even in a complete document.
			if w.complete && !slices.Contains(strings.Split(opts, ","), "omitempty") {
				return shapeAt(joinPath(path, name), "is missing")
			}
			continue
		}
		if err := w.check(joinPath(path, name), value, f.Type); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			e := shapeAt(joinPath(path, k), "is not a field this format has")
			e.Unknown = true
			return e
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonType names the JSON type of a decoded value, as encoding/json does.
func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "bool"
	case json.Number:
		return "number"
	}
	return "null"
}

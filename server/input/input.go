// Package input holds what people and API clients send to change records,
// and the one set of rules each is checked by, whichever way it came: a
// form posted from a page or a JSON body sent to the API.
//
// An input type names each field twice, in struct tags: `json` for the API
// and `form` for the page. Its Validate lists every problem at once, each
// naming its field and worded twice: for the person at the form (shown in
// the error summary) and for the API client (naming the JSON field).
package input

import (
	"github.com/bluelight-wellbeing/toolkit/server/input/datefield"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
)

// Problem is one thing wrong with an input.
type Problem struct {
	Field   string // the JSON name; see FormErrors for the form's
	Message string // for the person at the form: "Enter the date of the visit"
	API     string // for the API client, naming the field: "visited_on is required: ..."
}

// Problems are every problem with an input, in the order of its fields.
type Problems []Problem

// Err is the API's refusal: every problem, in one message.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.API
	}
	return apperr.Errorf(apperr.EINVALID, "%s", strings.Join(msgs, "; "))
}

// Fields are the JSON names of the fields with problems, once each.
func (ps Problems) Fields() []string {
	var out []string
	for _, p := range ps {
		if !slices.Contains(out, p.Field) {
			out = append(out, p.Field)
		}
	}
	return out
}

func (ps *Problems) add(field, message, api string) {
	*ps = append(*ps, Problem{Field: field, Message: message, API: api})
}

// The limits every form and the API share.
const (
	MaxCount     = 1_000_000 // any count of people or events
	MaxMinutes   = 24 * 60   // a deployment, or a day's planned work
	MaxEngaged   = 100_000   // people a deployment engaged with
	MaxName      = 60        // a dog's call name, a handler's name
	MaxPlace     = 200       // a place, a contact
	MaxReason    = 1_000     // why an offer is declined
	MaxNarrative = 2_000     // notes, what happened
	firstYear    = 2000
	lastYear     = 2100
)

// Day reads a date sent as YYYY-MM-DD (the API also takes a full RFC 3339
// time, as the day it names). ok is false when it is not such a date, or
// outside 2000 to 2100; nil and blank are no date.
func Day(v *string) (day *time.Time, ok bool) {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil, true
	}
	s := strings.TrimSpace(*v)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339, s)
	}
	if err != nil || t.Year() < firstYear || t.Year() > lastYear {
		return nil, false
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d, true
}

func blank(v *string) bool { return v == nil || strings.TrimSpace(*v) == "" }

// date checks an optional or required date; label names it for people,
// like "the date of the visit".
func (ps *Problems) date(field, label string, v *string, required bool) {
	switch _, ok := Day(v); {
	case blank(v) && required:
		ps.add(field, "Enter "+label, field+" is required: a date like 2026-03-01")
	case !ok:
		ps.add(field, dateWrong(label, v, "must be a real date in a year from 2000 to 2100"), field+" must be a date like 2026-03-01, not "+strconv.Quote(strings.TrimSpace(*v)))
	}
}

// dateWrong is the message for a date that is not one, naming it (label)
// and, for a date typed in the three fields of the page, the part that is
// wrong; otherwise says what the rule is.
func dateWrong(label string, v *string, otherwise string) string {
	if v != nil {
		if p := datefield.Problem(strings.TrimSpace(*v)); p != "" {
			return capital(label) + " " + p
		}
	}
	return capital(label) + " " + otherwise
}

// WithDates reads form fields through value, and a date shown as the three
// fields name-day, name-month and name-year (the partial "date") as one
// value named name: YYYY-MM-DD, or the parts as typed when they make no
// date, for the checks to say which part is wrong. A value posted under
// name itself (an older form, a test) is read as it is.
func WithDates(value func(name string) string) func(name string) string {
	return func(name string) string {
		if v := value(name); v != "" {
			return v
		}
		return datefield.Join(value(name+"-day"), value(name+"-month"), value(name+"-year"))
	}
}

// count checks a required whole number from 0 to MaxCount.
func (ps *Problems) count(field, label string, v *int) {
	switch {
	case v == nil:
		ps.add(field, "Enter "+strings.ToLower(label[:1])+label[1:], field+" is required: a whole number from 0 to 1,000,000")
	case *v < 0 || *v > MaxCount:
		ps.add(field, label+" must be a whole number from 0 to 1,000,000", field+" must be a whole number from 0 to 1,000,000")
	}
}

// yesNo checks a required yes or no answer to a question.
func (ps *Problems) yesNo(field, question string, v *bool) {
	if v == nil {
		ps.add(field, "Answer yes or no: "+question, field+" is required: true or false")
	}
}

// text checks a text's length and, when required, that it is there.
func (ps *Problems) text(field, message, api string, v string, required bool, max int) {
	if (required && strings.TrimSpace(v) == "") || len(strings.TrimSpace(v)) > max { // bytes, as the store counts
		ps.add(field, message, api)
	}
}

// required checks that a text is there.
func (ps *Problems) required(field, message, api string, v string) {
	if strings.TrimSpace(v) == "" {
		ps.add(field, message, api)
	}
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func trimmed(v string) string { return strings.TrimSpace(v) }

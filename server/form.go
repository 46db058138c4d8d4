package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// formReader reads a posted form field by field, keeping what was typed so
// a page with errors shows it again, and collecting every problem at once.
type formReader struct {
	in     formInput
	Values map[string]string
	Errs   []views.FieldError
}

// formInput is where a form's fields come from: a request, or in fuzz tests
// a body parsed the way Fiber parses one.
type formInput struct {
	value func(name string) string   // the first value of a field
	all   func(name string) [][]byte // every value of a repeated field
}

func readForm(c *fiber.Ctx) *formReader {
	return newFormReader(formInput{value: func(name string) string { return c.FormValue(name) }, all: c.Request().PostArgs().PeekMulti})
}

func newFormReader(in formInput) *formReader {
	return &formReader{in: in, Values: map[string]string{}}
}

func (f *formReader) fail(field, msg string) {
	f.Errs = append(f.Errs, views.FieldError{Field: field, Message: msg})
}

// text is the trimmed value (copied: Fiber reuses its buffers).
func (f *formReader) text(name string) string {
	v := strings.TrimSpace(strings.Clone(f.in.value(name)))
	f.Values[name] = v
	return v
}

// count is a whole number from 0 to 1,000,000; blank counts as 0.
func (f *formReader) count(name, label string) int {
	v := strings.ReplaceAll(f.text(name), ",", "")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1_000_000 {
		f.fail(name, label+" must be a whole number from 0 to 1,000,000")
	}
	return n
}

// date is a YYYY-MM-DD date (what a date input sends), nil when blank.
func (f *formReader) date(name, label string, required bool) *time.Time {
	v := f.text(name)
	if v == "" {
		if required {
			f.fail(name, "Enter "+label)
		}
		return nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		f.fail(name, strings.ToUpper(label[:1])+label[1:]+" must be a real date, like 2026-11-23")
		return nil
	}
	return &t
}

// yes is a checkbox or a yes/no radio answered "yes".
func (f *formReader) yes(name string) bool { return f.text(name) == "yes" }

// ids are the values of every checked box of a group, as ids.
func (f *formReader) ids(name string) []int64 {
	var out []int64
	for _, v := range f.in.all(name) {
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			out = append(out, n)
			f.Values[name+":"+string(v)] = "yes"
		}
	}
	return out
}

// storeError turns a store refusal into a problem on a field, so the page is
// shown again with what was typed; other errors go back to the caller.
func (f *formReader) storeError(err error, field string) error {
	if code := apperr.Code(err); code == apperr.EINVALID || code == apperr.ECONFLICT {
		f.fail(field, apperr.Message(err))
		return nil
	}
	return err
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

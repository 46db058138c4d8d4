package input

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// Input is what every input type is: something with rules.
type Input interface{ Validate() Problems }

// Form reads a posted form into input types, keeping what was typed so that
// a page with problems shows it again, and collecting every problem at once.
type Form struct {
	value  func(name string) string   // the first value of a field
	all    func(name string) []string // every value of a repeated field
	Values map[string]string          // what was typed, by form field name
	Errs   []views.FieldError         // the problems, under the form's field names
}

// NewForm reads fields from value and, for groups of checkboxes, all.
func NewForm(value func(name string) string, all func(name string) []string) *Form {
	return &Form{value: WithDates(value), all: all, Values: map[string]string{}}
}

// Fail adds a problem with a field.
func (f *Form) Fail(field, message string) {
	f.Errs = append(f.Errs, views.FieldError{Field: field, Message: message})
}

// Text is a field's value, trimmed (and copied: a request's buffers may be
// reused after it is answered).
func (f *Form) Text(name string) string {
	v := strings.TrimSpace(strings.Clone(f.value(name)))
	f.Values[name] = v
	return v
}

// IDs are the values of every checked box of a group, as ids.
func (f *Form) IDs(name string) []int64 {
	var out []int64
	for _, v := range f.all(name) {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, n)
			f.Values[name+":"+v] = "yes"
		}
	}
	return out
}

// Checked are the values of every checked box of a group.
func (f *Form) Checked(name string) []string {
	var out []string
	for _, v := range f.all(name) {
		out = append(out, v)
		f.Values[name+":"+v] = "yes"
	}
	return out
}

// StoreError turns the store's refusal of a valid input into a problem on
// a field, so the page is shown again with what was typed; other errors go
// back to the caller.
func (f *Form) StoreError(err error, field string) error {
	if code := apperr.Code(err); code == apperr.EINVALID || code == apperr.ECONFLICT {
		f.Fail(field, apperr.Message(err))
		return nil
	}
	return err
}

// Read fills the fields of in (a pointer to an input type) that have a
// form tag, then checks them, adding each problem under its form name. It
// says whether there were none.
//
// A blank number is 0, as a person leaving a count empty means, unless
// its tag says omitempty (form:"level,omitempty"): then it is no number,
// as where 0 is itself an answer. A number that is not a whole number is
// read as -1, which every count refuses, so that the rule saying what is
// allowed is worded once, in Validate.
func (f *Form) Read(in Input) bool {
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		name, opt, _ := strings.Cut(v.Type().Field(i).Tag.Get("form"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch field := v.Field(i); field.Interface().(type) {
		case string:
			field.SetString(f.Text(name))
		case *string:
			s := f.Text(name)
			field.Set(reflect.ValueOf(&s))
		case *bool:
			switch f.Text(name) {
			case "yes":
				field.Set(reflect.ValueOf(new(true)))
			case "no":
				field.Set(reflect.ValueOf(new(false)))
			}
		case int:
			field.SetInt(int64(f.number(name)))
		case *int:
			if opt == "omitempty" && f.Text(name) == "" {
				continue
			}
			n := f.number(name)
			field.Set(reflect.ValueOf(&n))
		case int64:
			id, _ := strconv.ParseInt(f.Text(name), 10, 64)
			field.SetInt(id)
		case []int64:
			field.Set(reflect.ValueOf(f.IDs(name)))
		case []string:
			field.Set(reflect.ValueOf(f.Checked(name)))
		default:
			panic("input: Read has no rule for " + field.Type().String())
		}
	}
	f.Errs = append(f.Errs, FormErrors(in, in.Validate())...)
	return len(f.Errs) == 0
}

func (f *Form) number(name string) int {
	s := strings.ReplaceAll(f.Text(name), ",", "")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// formName is the form's name of the field the API calls field.
func formName(t reflect.Type, field string) string {
	for i := range t.NumField() {
		tag := t.Field(i).Tag
		if name, _, _ := strings.Cut(tag.Get("json"), ","); name == field && tag.Get("form") != "" {
			form, _, _ := strings.Cut(tag.Get("form"), ",")
			return form
		}
	}
	return field
}

// FormErrors are problems under the form's names of their fields.
func FormErrors(in Input, ps Problems) []views.FieldError {
	t := reflect.TypeOf(in)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := make([]views.FieldError, len(ps))
	for i, p := range ps {
		out[i] = views.FieldError{Field: formName(t, p.Field), Message: p.Message}
	}
	return out
}

// YesNoFields are the form names of an input type's yes or no questions,
// in order, for the page to offer both answers.
func YesNoFields(in Input) []string {
	t := reflect.TypeOf(in)
	var out []string
	for i := range t.NumField() {
		if f := t.Field(i); f.Type == reflect.TypeFor[*bool]() && f.Tag.Get("form") != "" {
			out = append(out, f.Tag.Get("form"))
		}
	}
	return out
}

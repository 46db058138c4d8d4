package assessmentbook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Limits on what an upload may be (see zipcheck.go for what is inside it).
const (
	MaxUploadBytes = 5 << 20 // the file as uploaded
	// MaxEvidence and MaxLinks hold for an answer however it comes: the
	// page and the API check the same (server/input).
	MaxEvidence   = 20_000
	MaxLinks      = 5_000
	maxActionText = 500
)

// ErrNotWorkbook is returned for a file that is not an .xlsx workbook.
var ErrNotWorkbook = errors.New("the file is not an Excel .xlsx workbook: download the assessment workbook, fill it in and upload that")

// MaxProblems is how many problems Parse lists; past it, one last problem
// counts the rest, so a workbook wrong in every cell gives a page people can
// read rather than tens of thousands of rows.
const MaxProblems = 200

// Problem is one thing wrong with an uploaded workbook, with where it is.
type Problem struct{ Sheet, Cell, Message string }

func (p Problem) String() string { return p.Sheet + "!" + p.Cell + ": " + p.Message }

// Parsed is what an uploaded workbook says, in framework order.
type Parsed struct {
	Responses []Response
	Actions   []Action
}

// Parse reads an uploaded workbook and checks every cell against the
// assessment it must belong to. It returns every problem it finds; the
// error is only for a file that cannot be read at all.
func Parse(r io.Reader, want Identity, scale []Level, standards []Standard) (Parsed, []Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return Parsed{}, nil, err
	}
	if len(data) > MaxUploadBytes {
		return Parsed{}, nil, fmt.Errorf("the file is larger than %d MiB", MaxUploadBytes>>20)
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return Parsed{}, nil, ErrNotWorkbook
	}
	b, err := openBook(data)
	if err != nil {
		return Parsed{}, nil, err
	}
	shared, err := b.sharedText()
	if err != nil {
		return Parsed{}, nil, err
	}
	p := &parser{book: b, shared: shared, scale: scale, sheets: map[string]*grid{}}
	if err := p.read(SheetMeta, 2); err != nil {
		return Parsed{}, nil, err
	}
	if !p.checkMeta(want) {
		return Parsed{}, p.listed(), nil
	}
	if err := p.read(SheetResponses, len(responseHeader)); err != nil {
		return Parsed{}, nil, err
	}
	if err := p.read(SheetActions, len(actionHeader)); err != nil {
		return Parsed{}, nil, err
	}
	out := Parsed{Responses: p.responses(standards)}
	out.Actions = p.actions(standards)
	return out, p.listed(), nil
}

type parser struct {
	book     *book
	shared   []string
	sheets   map[string]*grid // the sheets read so far
	scale    []Level
	problems []Problem
	more     int // problems found past MaxProblems
	// legacy is set for a workbook of format version 1, whose formula-like
	// text carries an added apostrophe.
	legacy bool
}

// read loads the first cols columns of a sheet, if the workbook has it.
func (p *parser) read(sheet string, cols int) error {
	if _, ok := p.book.sheets[sheet]; !ok {
		return nil
	}
	g, err := p.book.readSheet(sheet, cols, p.shared)
	p.sheets[sheet] = g
	return err
}

func (p *parser) add(sheet, cell, format string, args ...any) {
	if len(p.problems) >= MaxProblems {
		p.more++
		return
	}
	p.problems = append(p.problems, Problem{Sheet: sheet, Cell: cell, Message: fmt.Sprintf(format, args...)})
}

// listed is the problems found, the rest counted in a last one.
func (p *parser) listed() []Problem {
	if p.more == 0 {
		return p.problems
	}
	return append(p.problems, Problem{Sheet: "(more)", Cell: "", Message: fmt.Sprintf("%d more problems are not listed: correct these first, then upload again to see the rest", p.more)})
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// value reads a cell that must hold a value, not a formula.
func (p *parser) value(sheet string, col, row int) string {
	c := p.sheets[sheet].at(col, row)
	if c.formula {
		p.add(sheet, cellName(col, row), "formulas are not allowed here: type the value itself")
		return ""
	}
	if p.legacy {
		return unescape(strings.TrimSpace(c.text))
	}
	return strings.TrimSpace(c.text)
}

func (p *parser) hasSheet(name string) bool {
	return p.sheets[name] != nil
}

// checkMeta makes sure the workbook belongs to this assessment and edition.
func (p *parser) checkMeta(want Identity) bool {
	if !p.hasSheet(SheetMeta) {
		p.add(SheetMeta, "A1", "the hidden Meta sheet is missing: download a fresh workbook for this assessment")
		return false
	}
	expect := []string{strconv.FormatInt(want.AssessmentID, 10), want.EditionKey, want.EditionVersion, want.EditionHash, FormatVersion}
	what := []string{"another assessment", "another framework", "another edition of the framework", "a different copy of the framework edition", "an older workbook layout"}
	ok := true
	for i, v := range expect {
		got := p.value(SheetMeta, 2, i+1)
		if metaKeys[i] == "format version" && got == legacyFormatVersion {
			p.legacy = true
			continue
		}
		if got != v {
			p.add(SheetMeta, cellName(2, i+1), "this workbook is for %s (%s %q, expected %q): download the workbook for this assessment", what[i], metaKeys[i], got, v)
			ok = false
		}
	}
	return ok
}

// level reads a level as "2", "2 Established" or "Established".
func (p *parser) level(sheet string, col, row int, what string) *int {
	v := p.value(sheet, col, row)
	if v == "" {
		return nil
	}
	for _, l := range p.scale {
		if v == strconv.Itoa(l.Value) || strings.EqualFold(v, l.text()) || strings.EqualFold(v, l.Label) {
			n := l.Value
			return &n
		}
	}
	var choices []string
	for _, l := range p.scale {
		choices = append(choices, l.text())
	}
	p.add(sheet, cellName(col, row), "%s %q is not on the scale: use one of %s", what, v, strings.Join(choices, ", "))
	return nil
}

func (p *parser) responses(standards []Standard) []Response {
	const s = SheetResponses
	if !p.hasSheet(s) {
		p.add(s, "A1", "the Responses sheet is missing")
		return nil
	}
	for i, h := range responseHeader {
		if got := p.value(s, i+1, 1); got != h {
			p.add(s, cellName(i+1, 1), "the heading should be %q, found %q: do not change the headings", h, got)
		}
	}
	index := map[string]int{}
	for i, st := range standards {
		index[st.ID] = i
	}
	var out []Response
	for i, st := range standards {
		row := i + 2
		id := p.value(s, 1, row)
		switch {
		case id == st.ID:
		case id == "":
			p.add(s, cellName(1, row), "standard %s is missing from this row: do not delete or move rows", st.ID)
			continue
		default:
			if _, known := index[id]; known {
				p.add(s, cellName(1, row), "standard %s is here, but this row belongs to %s: do not sort or move rows", id, st.ID)
			} else {
				p.add(s, cellName(1, row), "%q is not a standard of this framework edition (expected %s): do not change the Standard id column", id, st.ID)
			}
			continue
		}
		r := Response{StandardID: st.ID, Level: p.level(s, 4, row, "level"), Target: p.level(s, 5, row, "target level"),
			Evidence: p.value(s, 6, row), Links: p.value(s, 7, row)}
		if len(r.Evidence) > MaxEvidence {
			p.add(s, cellName(6, row), "the evidence is %d characters; the limit is %d", len(r.Evidence), MaxEvidence)
		}
		if len(r.Links) > MaxLinks {
			p.add(s, cellName(7, row), "the links are %d characters; the limit is %d", len(r.Links), MaxLinks)
		}
		out = append(out, r)
	}
	for _, row := range p.sheets[s].rows() {
		if row >= len(standards)+2 {
			p.add(s, cellName(1, row), "unexpected row after the last standard: add actions on the Actions sheet instead")
		}
	}
	return out
}

// dueDate reads a date typed as text or stored by the spreadsheet as a date.
func dueDate(v string) (string, bool) {
	if v == "" {
		return "", true
	}
	// The last two are how a spreadsheet stores a cell of date type.
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	if serial, err := strconv.ParseFloat(v, 64); err == nil && serial > 0 && serial < 2958466 {
		t, err := excelize.ExcelDateToTime(serial, false)
		if err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

func (p *parser) actions(standards []Standard) []Action {
	const s = SheetActions
	if !p.hasSheet(s) {
		p.add(s, "A1", "the Actions sheet is missing")
		return nil
	}
	known := map[string]bool{}
	for _, st := range standards {
		known[st.ID] = true
	}
	var out []Action
	for _, row := range p.sheets[s].rows() {
		if row < 2 {
			continue
		}
		a := Action{StandardID: p.value(s, 1, row), What: p.value(s, 2, row), Owner: p.value(s, 3, row), Status: strings.ToLower(p.value(s, 5, row))}
		due := p.value(s, 4, row)
		if a.StandardID+a.What+a.Owner+due+a.Status == "" {
			continue
		}
		if !known[a.StandardID] {
			p.add(s, cellName(1, row), "%q is not a standard of this framework edition", a.StandardID)
		}
		if a.What == "" || len(a.What) > maxActionText {
			p.add(s, cellName(2, row), "describe the action in %d characters or fewer", maxActionText)
		}
		var ok bool
		if a.Due, ok = dueDate(due); !ok {
			p.add(s, cellName(4, row), "%q is not a date: write it as YYYY-MM-DD", due)
		}
		if a.Status == "" {
			a.Status = ActionStatuses[0]
		} else if !slices.Contains(ActionStatuses, a.Status) {
			p.add(s, cellName(5, row), "status %q is not one of %s", a.Status, strings.Join(ActionStatuses, ", "))
		}
		out = append(out, a)
	}
	return out
}

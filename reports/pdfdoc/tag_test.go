package pdfdoc

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

func taggedSample(t *testing.T) []byte {
	t.Helper()
	d := New(Meta{Title: "Tagged sample: Heddlu Dyfed-Powys", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	d.AddPage()
	d.Heading(1, "First heading")
	d.Para("A paragraph of words. " + strings.Repeat("It wraps over lines. ", 12))
	d.Heading(2, "A list")
	d.Bullets([]string{"one item", "another item"})
	rows := make([][]Cell, 70) // long enough to repeat its header
	for i := range rows {
		rows[i] = Cells("row name", "42")
	}
	rows[0] = []Cell{{Text: "Group ŵ", Span: 2}}
	d.Table([]Column{{Header: "Name", Width: 120}, {Header: "Value", Width: 60, Align: "R"}}, rows)
	d.Figure("A chart of nothing in particular: ŷ", func() { d.Rect(Margin, d.GetY(), 20, 10, "F") })
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTaggedPDF(t *testing.T) {
	b := taggedSample(t)
	// Object streams need PDF 1.5; the pages are compressed.
	if info := pdftest.Info(t, b); info["Tagged"] != "yes" || info["Pages"] != "3" || info["PDF version"] != "1.5" {
		t.Errorf("pdfinfo: Tagged %q, Pages %q, PDF version %q", info["Tagged"], info["Pages"], info["PDF version"])
	}
	if n := strings.Count(string(b), "/Filter /FlateDecode"); n < 3+1 {
		t.Errorf("%d compressed streams, want the 3 pages and the structure at least", n)
	}
	st := pdftest.StructText(t, b)
	// Reading order: heading, paragraph, sub-heading, list, table.
	order := []string{"H1", `"First heading"`, "P", `"A paragraph of words. It wraps`, "H2", `"A list"`, "L", "LI", "Lbl", `"•"`, "LBody", `"one item"`, "Table", "TR", "TH", `"Name"`, "/Scope /Column", "/ColSpan 2", `"Group ŵ"`, "TD", `"row name"`, `"42"`, "Figure"}
	at := 0
	for _, w := range order {
		i := strings.Index(st[at:], w)
		if i < 0 {
			t.Fatalf("structure lacks %q after offset %d:\n%s", w, at, st)
		}
		at += i + len(w)
	}
	// The header row repeated on page 2 and the footers are artefacts, not
	// content: the header is in the tree once, and no footer text at all.
	if n := strings.Count(st, `"Name"`); n != 1 {
		t.Errorf("header cell in the tree %d times, want once", n)
	}
	if strings.Contains(st, "Page 1 of") || strings.Contains(st, "Tagged sample") {
		t.Error("the running footer is tagged as content")
	}
	// Lines of a paragraph read with a space between them.
	if regexp.MustCompile(`lines\.It`).MatchString(st) {
		t.Error("wrapped lines run together")
	}
	tree := pdftest.Structure(t, b)
	for _, want := range []string{"Lang=en-GB", "DisplayDocTitle=True", "\nDocument\n  H1\n  P\n  H2\n  L\n    LI\n      Lbl\n      LBody\n", "  Table\n    TR\n      TH\n      TH\n    TR\n      TH\n", "  Figure alt=A chart of nothing in particular: ŷ", "unmarked=0", "pages=3"} {
		if !strings.Contains(tree, want) {
			t.Errorf("pikepdf walk lacks %q:\n%s", want, tree)
		}
	}
}

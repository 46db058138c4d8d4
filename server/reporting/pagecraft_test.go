package reporting

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc/xlsxtest"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestDemoPagesAsAPersonReadsThem renders the demo's PDFs for a police
// force, a fire and rescue service and an ambulance service, and the
// national summary, and reads each page back as a person would: every page
// holds a few lines besides the running footer, no page holds only a
// bullet, and no area title of the framework is broken inside a word.
func TestDemoPagesAsAPersonReadsThem(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	set := loadFrameworks(t)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, st, set, demoNow); err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	fs := cyclesWithFigures(t, rs, st)
	f := fs[len(fs)-1]
	var words []string
	for _, a := range f.Framework.Areas {
		for _, w := range strings.Fields(a.Title) {
			if len([]rune(w)) >= 6 {
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		t.Fatal("the framework has no long words in its area titles to check")
	}
	docs := map[string][]byte{}
	for _, slug := range []string{"avon-somerset", "dsfrs", "swast"} {
		org, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), slug)
		if err != nil {
			t.Fatal(err)
		}
		r, err := rs.OrgReport(ctx, org, f)
		if err != nil {
			t.Fatal(err)
		}
		if docs["benchmark "+slug], err = rs.BenchmarkPDF(r); err != nil {
			t.Fatal(err)
		}
		if docs["business case "+slug], err = rs.BusinessCasePDF(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if docs["national summary"], err = rs.NationalSummaryPDF(ctx, f); err != nil {
		t.Fatal(err)
	}
	footer := regexp.MustCompile(`(?m)^.*Page \d+ of \d+\s*$`)
	for name, b := range docs {
		// Tagged for screen readers: headings, tables, charts with their
		// alternative text, and nothing drawn outside the structure.
		if info := pdftest.Info(t, b); info["Tagged"] != "yes" {
			t.Errorf("%s: pdfinfo Tagged %q", name, info["Tagged"])
		}
		tree := pdftest.Structure(t, b)
		wants := []string{"\n  H1\n", "\n  Table\n", "\n      TH\n", "unmarked=0", "Lang=en-GB", "DisplayDocTitle=True"}
		if strings.HasPrefix(name, "benchmark") {
			wants = append(wants, "Figure alt=Bar chart of our maturity level", "Overall: our level ")
		}
		if name == "national summary" {
			wants = append(wants, "Figure alt=Bar chart of the median for All organisations")
		}
		for _, w := range wants {
			if !strings.Contains(tree, w) {
				t.Errorf("%s: structure tree lacks %q", name, w)
			}
		}
		pages := strings.Split(strings.TrimRight(pdftest.Text(t, b), "\f"), "\f")
		for i, p := range pages {
			var lines []string
			for _, l := range strings.Split(footer.ReplaceAllString(p, ""), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			body := strings.Join(lines, " ")
			switch {
			case len(lines) < 4 || len([]rune(body)) < 150:
				t.Errorf("%s page %d of %d is near empty: %q", name, i+1, len(pages), body)
			case lines[len(lines)-1] == "•":
				t.Errorf("%s page %d ends with a bullet and no item", name, i+1)
			}
			for _, l := range lines {
				if l == "•" && len(lines) < 6 {
					t.Errorf("%s page %d holds a lone bullet", name, i+1)
				}
			}
			if w, at := brokenWord(p, words); w != "" {
				t.Errorf("%s page %d breaks %q inside the word: %s", name, i+1, w, at)
			}
		}
	}
}

// brokenWord finds a word of words printed in two pieces, the first ending
// a line's run of text and the second starting the next line in the same
// column, as pdftotext -layout prints a word broken in a table cell or a
// paragraph. It returns the word and the two lines, or "".
func brokenWord(page string, words []string) (string, string) {
	lines := strings.Split(page, "\n")
	for j := 0; j+1 < len(lines); j++ {
		this, next := []rune(lines[j]), []rune(lines[j+1])
		for _, w := range words {
			rw := []rune(w)
			for k := 2; k < len(rw); k++ {
				head, tail := string(rw[:k]), string(rw[k:])
				for c := 0; c+k <= len(this); c++ {
					if string(this[c:c+k]) != head || (c > 0 && this[c-1] != ' ') || (c+k < len(this) && this[c+k] != ' ') {
						continue
					}
					// The tail starts the next line's text at the same column.
					if c+len([]rune(tail)) <= len(next) && string(next[c:c+len([]rune(tail))]) == tail &&
						(c == 0 || next[c-1] == ' ') && (c+len([]rune(tail)) == len(next) || next[c+len([]rune(tail))] == ' ') {
						return w, strings.TrimSpace(lines[j]) + " / " + strings.TrimSpace(lines[j+1])
					}
				}
			}
		}
	}
	return "", ""
}

func TestBrokenWord(t *testing.T) {
	words := []string{"Leadership", "Occupational"}
	for page, want := range map[string]string{
		"Leadershi      2.0   2.0\np              \n":              "Leadership",
		"  LEAD-01  Occupatio   2\n           nal Health\n":        "Occupational",
		"Leadership     2.0\nOccupational Health\n":                "",
		"the leadershi p\n":                                        "",
		"Mean level 2.1 for Leadership and\nOccupational Health\n": "",
		"x Occupation   y\n         al Health\n":                   "",
	} {
		if got, _ := brokenWord(page, words); got != want {
			t.Errorf("brokenWord(%q) = %q, want %q", page, got, want)
		}
	}
}

// TestDemoWorkbooksOpenInLibreOffice: the demo's gap analysis workbooks
// for a police force, a fire and rescue service and an ambulance service,
// and the national workbook, convert to PDF in LibreOffice without error.
func TestDemoWorkbooksOpenInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice takes seconds a workbook")
	}
	st := storetest.Open(t, "sqlite")
	set := loadFrameworks(t)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, st, set, demoNow); err != nil {
		t.Fatal(err)
	}
	rs := New(st, set)
	fs := cyclesWithFigures(t, rs, st)
	f := fs[len(fs)-1]
	books := map[string][]byte{}
	for _, slug := range []string{"avon-somerset", "dsfrs", "swast"} {
		org, err := st.OrganisationBySlug(ctx, store.AllOrganisations(), slug)
		if err != nil {
			t.Fatal(err)
		}
		r, err := rs.OrgReport(ctx, org, f)
		if err != nil {
			t.Fatal(err)
		}
		if books["gap analysis "+slug], err = rs.GapAnalysisXLSX(r); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if books["national"], err = rs.NationalXLSX(ctx, f); err != nil {
		t.Fatal(err)
	}
	for name, b := range books {
		pdf := xlsxtest.LibreOffice(t, b)
		if info := pdftest.Info(t, pdf); info["Pages"] == "" || info["Pages"] == "0" {
			t.Errorf("%s: LibreOffice printed no pages", name)
		}
	}
}

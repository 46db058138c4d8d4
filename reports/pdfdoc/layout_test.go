package pdfdoc

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

func pages(t *testing.T, d *Doc) []string {
	t.Helper()
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(pdftest.Text(t, b), "\f"), "\f")
}

func newDoc() *Doc {
	d := New(Meta{Title: "Layout", Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	d.AddPage()
	return d
}

// fillTo writes numbered lines until left millimetres remain on the page.
func fillTo(d *Doc, left float64) {
	for i := 1; d.SpaceLeft() > left+5; i++ {
		d.CellFormat(ContentWidth, 5, "filler line "+strings.Repeat("x", i%7), "", 1, "L", false, 0, "")
	}
	d.SetY(PageHeight - Margin - footerSpace - left)
}

// pageOf is the 1-based page holding s, or 0.
func pageOf(ps []string, s string) int {
	for i, p := range ps {
		if strings.Contains(p, s) {
			return i + 1
		}
	}
	return 0
}

func TestHeadingKeptWithWhatFollows(t *testing.T) {
	for _, left := range []float64{12, 20, 30} {
		d := newDoc()
		fillTo(d, left)
		d.Heading(2, "Kept heading")
		d.Para("First line of the paragraph that follows the heading. " + strings.Repeat("More words to wrap. ", 20))
		ps := pages(t, d)
		if h, p := pageOf(ps, "Kept heading"), pageOf(ps, "First line of the paragraph"); h != p {
			t.Errorf("%v mm left: heading on page %d, its paragraph on page %d", left, h, p)
		}
	}
}

func TestParagraphLeavesTwoLinesEachSide(t *testing.T) {
	for _, left := range []float64{6, 11, 16, 21} {
		d := newDoc()
		fillTo(d, left)
		var words []string
		for i := 0; i < 120; i++ {
			words = append(words, "w"+strings.Repeat("o", i%5)+"rd")
		}
		d.Para(strings.Join(words, " "))
		ps := pages(t, d)
		for i, p := range ps {
			n := len(regexp.MustCompile(`(?m)^\s*wo*rd`).FindAllString(p, -1))
			if n == 1 {
				t.Errorf("%v mm left: page %d holds one line of the paragraph", left, i+1)
			}
		}
	}
}

func TestBulletsNeverAlone(t *testing.T) {
	for _, left := range []float64{4, 8, 13, 18} {
		d := newDoc()
		fillTo(d, left)
		d.Bullets([]string{"Low: 0 roles", "Medium: 4 roles", "High: 5 roles", "Very high: 0 roles"})
		ps := pages(t, d)
		for i, p := range ps {
			for _, l := range strings.Split(p, "\n") {
				if strings.TrimSpace(l) == "•" {
					t.Errorf("%v mm left: page %d has a bullet with no item", left, i+1)
				}
			}
		}
		if a, b := pageOf(ps, "Low: 0 roles"), pageOf(ps, "Very high: 0 roles"); a != b {
			t.Errorf("%v mm left: a short list split over pages %d and %d", left, a, b)
		}
	}
	// A long list: the last item never stands alone.
	for _, left := range []float64{10, 20, 30, 40} {
		d := newDoc()
		fillTo(d, 150+left)
		var items []string
		for i := 0; i < 30; i++ {
			items = append(items, "item "+string(rune('A'+i%26))+strings.Repeat(" and more", i%3))
		}
		d.Bullets(items)
		ps := pages(t, d)
		last := ps[len(ps)-1]
		if n := strings.Count(last, "•"); n == 1 {
			t.Errorf("%v mm: the last item stands alone on page %d", left, len(ps))
		}
	}
}

func TestTableWordsNeverBreak(t *testing.T) {
	d := newDoc()
	cols := []Column{{Header: "Std", Width: 14}, {Header: "Statement", Width: 120}, {Header: "Level", Width: 46}}
	rows := [][]Cell{
		{{Text: "Occupational Health", Bold: true, Span: 3}},
		{{Text: "Occupational"}, {Text: "A statement that wraps over several words " + strings.Repeat("and more ", 10)}, {Text: "2"}},
		{{Text: "Leadership"}, {Text: "Short"}, {Text: "3"}},
	}
	d.Table(cols, rows)
	// One word that cannot fit any column is set smaller, not broken.
	d.Table([]Column{{Header: "A", Width: 12}, {Header: "B", Width: 12}}, [][]Cell{Cells("Psychologically", "Occupationally")})
	text := strings.Join(pages(t, d), "")
	for _, w := range []string{"Occupational", "Leadership", "Psychologically", "Occupationally"} {
		if !regexp.MustCompile(`\b` + w + `\b`).MatchString(text) {
			t.Errorf("%q is broken or missing:\n%s", w, text)
		}
	}
}

func TestTableHeaderRepeatsAndLastRowsStayTogether(t *testing.T) {
	for _, n := range []int{55, 56, 57, 58, 59, 60} {
		d := newDoc()
		var rows [][]Cell
		for i := 0; i < n; i++ {
			rows = append(rows, Cells("row", "value"))
		}
		d.Table([]Column{{Header: "Head one", Width: 90}, {Header: "Head two", Width: 90}}, rows)
		ps := pages(t, d)
		for i, p := range ps {
			if !strings.Contains(p, "Head one") {
				t.Errorf("%d rows: page %d has no header row", n, i+1)
			}
			if c := strings.Count(p, "row"); c == 1 {
				t.Errorf("%d rows: page %d holds a single row", n, i+1)
			}
		}
	}
}

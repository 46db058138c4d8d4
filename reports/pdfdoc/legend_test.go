package pdfdoc

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

func TestChartLegendDrawsEveryKey(t *testing.T) {
	d := New(Meta{Title: "Legend", Created: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	d.AddPage()
	d.SetY(40)
	var marks []float64
	mark := func(x, y float64) {
		marks = append(marks, x)
		if y != 41 {
			t.Errorf("mark drawn at y %g, want 41 (1 mm below the cursor)", y)
		}
	}
	d.ChartLegend(50, 7,
		LegendKey{Mark: d.BarMark(Blue), Label: "Median"},
		LegendKey{Mark: d.BoxMark(MidGrey), Label: "Middle half"},
		LegendKey{Mark: mark, Label: "Gwaith ŵyr"},
		LegendKey{Mark: mark, Label: "Withheld"},
	)
	if want := []float64{Margin + 100, Margin + 150}; len(marks) != 2 || marks[0] != want[0] || marks[1] != want[1] {
		t.Errorf("marks drawn at x %v, want %v", marks, want)
	}
	if x, y := d.GetXY(); x != Margin || y != 48 {
		t.Errorf("cursor left at (%g, %g), want (%g, 48)", x, y, Margin)
	}
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// Every label, in order, on one line.
	line := regexp.MustCompile(`Median\s+Middle half\s+Gwaith ŵyr\s+Withheld`)
	text := pdftest.Text(t, b)
	if !line.MatchString(text) {
		t.Errorf("legend line not found in:\n%s", strings.TrimSpace(text))
	}
}

package xlsxdoc

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestFailedStreamWritesNothing(t *testing.T) {
	w := New()
	defer w.Close()
	s := w.NewStreamWriter("No such sheet", 1, 1)
	if w.Err() == nil {
		t.Fatal("a stream on a missing sheet kept no error")
	}
	s.SetRow("A1", []any{"never written"}) // skipped, not a nil dereference
	s.Flush()
	if _, err := w.Bytes(); err == nil {
		t.Fatal("Bytes gave no error after a failed write")
	}
}

func TestWritesReadBack(t *testing.T) {
	w := New()
	defer w.Close()
	w.NewSheet("Streamed")
	s := w.NewStreamWriter("Streamed", 2, 1)
	s.SetRow("A1", []any{"first", 1})
	s.Flush()
	w.SetCellStr("Sheet1", "B3", "text")
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct{ sheet, cell, want string }{{"Sheet1", "B3", "text"}, {"Streamed", "A1", "first"}, {"Streamed", "B1", "1"}} {
		if got, err := f.GetCellValue(c.sheet, c.cell); err != nil || got != c.want {
			t.Errorf("%s!%s = %q, %v; want %q", c.sheet, c.cell, got, err, c.want)
		}
	}
}

func TestKeepsFirstErrorAndStopsWriting(t *testing.T) {
	w := New()
	defer w.Close()
	w.SetCellStr("Sheet1", "A1", "before")
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	w.SetCellStr("No such sheet", "A1", "x")
	first := w.Err()
	if first == nil {
		t.Fatal("writing to a missing sheet kept no error")
	}

	// Everything after the first error is skipped.
	w.Keep(errors.New("second"))
	w.SetCellStr("Sheet1", "A2", "after")
	if id := w.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); id != 0 {
		t.Errorf("NewStyle after an error gave style %d, want 0", id)
	}
	w.NewSheet("Later")
	s := w.NewStreamWriter("Sheet1", 1, 1)
	s.SetRow("A3", []any{"streamed"})
	s.Flush()

	if w.Err() != first {
		t.Errorf("Err = %v, want the first error %v", w.Err(), first)
	}
	if _, err := w.Bytes(); err != first {
		t.Errorf("Bytes error = %v, want the first error %v", err, first)
	}
	if got, _ := w.f.GetCellValue("Sheet1", "A1"); got != "before" {
		t.Errorf("A1 = %q, want the write before the error kept", got)
	}
	for _, c := range []string{"A2", "A3"} {
		if got, _ := w.f.GetCellValue("Sheet1", c); got != "" {
			t.Errorf("%s = %q: written after the first error", c, got)
		}
	}
	if i, _ := w.f.GetSheetIndex("Later"); i != -1 {
		t.Error("sheet added after the first error")
	}
}

func TestCell(t *testing.T) {
	for _, c := range []struct {
		col, row int
		want     string
	}{{1, 1, "A1"}, {2, 3, "B3"}, {27, 10, "AA10"}, {0, 1, ""}} {
		if got := Cell(c.col, c.row); got != c.want {
			t.Errorf("Cell(%d, %d) = %q, want %q", c.col, c.row, got, c.want)
		}
	}
}

// TestFitRowHeight: a row grows for the longest wrapped text in it, line
// breaks included; a row whose text fits keeps the default height.
func TestFitRowHeight(t *testing.T) {
	w := New()
	defer w.Close()
	long := "Chief officers have agreed a written wellbeing strategy with clear aims, a budget and a delivery plan, and review it at least once a year."
	w.FitRowHeight("Sheet1", 2, WrappedCell{Width: 50, Text: long}, WrappedCell{Width: 50, Text: "short"})
	w.FitRowHeight("Sheet1", 3, WrappedCell{Width: 50, Text: "one\ntwo\nthree\nfour"})
	w.FitRowHeight("Sheet1", 4, WrappedCell{Width: 50, Text: "fits on one line"})
	w.FitRowHeight("Sheet1", 5, WrappedCell{Width: 10, Text: strings.Repeat("a long list of actions ", 40)}) // past the format's limit
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base, _ := f.GetRowHeight("Sheet1", 1)
	for _, c := range []struct {
		row  int
		want float64
	}{{2, 60}, {3, 60}, {4, base}, {5, 409}} {
		if got, _ := f.GetRowHeight("Sheet1", c.row); got != c.want {
			t.Errorf("row %d is %v high, want %v", c.row, got, c.want)
		}
	}
}

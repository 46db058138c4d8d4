// Package xlsxtest checks, in tests, what the workbooks written through
// xlsxdoc must all get right, read back with excelize: every sheet's
// dimension, the document properties and the print setup.
package xlsxtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
)

// Dimensions checks that every sheet declares a used range holding every
// cell with a value, and that the sheets in want declare exactly theirs.
func Dimensions(t *testing.T, f *excelize.File, want map[string]string) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		dim, err := f.GetSheetDimension(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if w, ok := want[sheet]; ok && dim != w {
			t.Errorf("%s declares its size as %q, want %q", sheet, dim, w)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		cols := 0
		for _, r := range rows {
			cols = max(cols, len(r))
		}
		if len(rows) == 0 {
			continue
		}
		_, end, _ := strings.Cut(dim, ":")
		col, row, err := excelize.CellNameToCoordinates(end)
		if err != nil || !strings.HasPrefix(dim, "A1:") || col < cols || row < len(rows) {
			t.Errorf("%s declares its size as %q, but holds values to %s", sheet, dim, xlsxdoc.Cell(cols, len(rows)))
		}
	}
}

// Properties checks the document and application properties.
func Properties(t *testing.T, f *excelize.File, title, company string) {
	t.Helper()
	doc, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != title || doc.Creator != xlsxdoc.Creator || doc.Subject == "" {
		t.Errorf("document properties %+v, want title %q, creator %q and a subject", doc, title, xlsxdoc.Creator)
	}
	app, err := f.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if app.Company != company || app.Application != xlsxdoc.Creator {
		t.Errorf("application properties %+v, want company %q", app, company)
	}
}

// Sheet is what one sheet's print setup must be.
type Sheet struct {
	Landscape bool
	// Titled sheets repeat their first row on every page.
	Titled bool
}

// PrintSetup checks each sheet's print setup: A4, one page wide, the
// orientation, the footer with the page number and footer, and print
// titles where the sheet has a header row.
func PrintSetup(t *testing.T, f *excelize.File, footer string, sheets map[string]Sheet) {
	t.Helper()
	titles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	for sheet, want := range sheets {
		p, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		orientation := "portrait"
		if want.Landscape {
			orientation = "landscape"
		}
		if p.Orientation == nil || *p.Orientation != orientation || p.Size == nil || *p.Size != 9 ||
			p.FitToWidth == nil || *p.FitToWidth != 1 || p.FitToHeight == nil || *p.FitToHeight != 0 {
			t.Errorf("%s page layout %s, want A4 %s, one page wide", sheet, show(p), orientation)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s does not fit to page: %v", sheet, err)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil || !strings.Contains(hf.OddFooter, strings.ReplaceAll(footer, "&", "&&")) || !strings.Contains(hf.OddFooter, "&P") {
			t.Errorf("%s footer %q, want %q and the page number", sheet, hf.OddFooter, footer)
		}
		quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1"
		if got := titles[sheet]; want.Titled && got != quoted || !want.Titled && got != "" {
			t.Errorf("%s print titles %q, want titled %v", sheet, got, want.Titled)
		}
	}
}

func show(p excelize.PageLayoutOptions) string {
	var b strings.Builder
	for _, v := range []*int{p.Size, p.FitToWidth, p.FitToHeight} {
		if v == nil {
			b.WriteString("nil ")
		} else {
			b.WriteString(strconv.Itoa(*v) + " ")
		}
	}
	if p.Orientation != nil {
		b.WriteString(*p.Orientation)
	}
	return b.String()
}

// Numbers checks the cells of cols in rows first to last of a numeric
// table: each has a number format and none holds words. It returns the
// blank cells, each with its number format, for the caller to check why.
func Numbers(t *testing.T, f *excelize.File, sheet string, cols []string, first, last int) (blank map[string]string) {
	t.Helper()
	blank = map[string]string{}
	for _, col := range cols {
		for row := first; row <= last; row++ {
			cell := col + strconv.Itoa(row)
			id, err := f.GetCellStyle(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			format := ""
			if st.CustomNumFmt != nil {
				format = *st.CustomNumFmt
			}
			if st.NumFmt == 0 && format == "" {
				t.Errorf("%s!%s has no number format", sheet, cell)
			}
			typ, _ := f.GetCellType(sheet, cell)
			raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			switch {
			case typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString:
				t.Errorf("%s!%s holds the words %q in a numeric column", sheet, cell, raw)
			case raw == "":
				blank[cell] = format
			}
		}
	}
	return blank
}

// LibreOffice converts a workbook to PDF with LibreOffice, headless, as a
// person opening and printing it would, and returns the PDF. It fails if
// LibreOffice reports an error or writes nothing. Without soffice the
// test is skipped, unless CI=true (CI installs libreoffice-calc-nogui).
func LibreOffice(t *testing.T, xlsx []byte) []byte {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice not found: install Debian's libreoffice-calc-nogui")
		}
		t.Skip("soffice not found; install libreoffice-calc-nogui to open workbooks in LibreOffice (this fails when CI=true)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so parallel runs do not share a lock.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to pdf: %v: %s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "book.pdf"))
	if err != nil || len(pdf) == 0 {
		t.Fatalf("soffice wrote no PDF (%v): %s", err, out)
	}
	return pdf
}

package assessmentbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc"
	"github.com/bluelight-wellbeing/toolkit/reports/xlsxdoc/xlsxtest"
)

func n(v int) *int { return &v }

var (
	scale     = []Level{{0, "Not in place"}, {1, "Developing"}, {2, "Established"}, {3, "Embedded"}, {4, "Exemplary"}}
	standards = []Standard{{"LEAD-01", "Leadership", "A strategy exists."}, {"LEAD-02", "Leadership", "A sponsor exists."}, {"MH-01", "Mental Health", "Support exists."}}
	identity  = Identity{AssessmentID: 42, EditionKey: "blwf", EditionVersion: "2024", EditionHash: "abc123"}
)

func sample() Workbook {
	return Workbook{
		Organisation: "Alphashire Constabulary", Cycle: "2026/27", Edition: "BLWF 2024", Identity: identity, Scale: scale, Standards: standards,
		Responses: map[string]Response{
			"LEAD-01": {StandardID: "LEAD-01", Level: n(2), Target: n(3), Evidence: "=HYPERLINK(\"http://evil.example\")", Links: "https://intranet/a\nhttps://intranet/b"},
			"MH-01":   {StandardID: "MH-01", Level: n(0), Evidence: "-just text"},
		},
		Actions: []Action{{StandardID: "LEAD-01", What: "Publish the strategy", Owner: "Head of People", Due: "2027-03-31", Status: "in progress"}},
	}
}

func built(t *testing.T) []byte {
	t.Helper()
	data, err := Build(sample())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// edit opens a built workbook, changes it and saves it again.
func edit(t *testing.T, data []byte, change func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	change(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	got, problems, err := Parse(bytes.NewReader(built(t)), identity, scale, standards)
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v, problems %v", err, problems)
	}
	if len(got.Responses) != 3 {
		t.Fatalf("%d responses", len(got.Responses))
	}
	r := got.Responses[0]
	if *r.Level != 2 || *r.Target != 3 || r.Evidence != "=HYPERLINK(\"http://evil.example\")" || r.Links != "https://intranet/a\nhttps://intranet/b" {
		t.Errorf("LEAD-01 = %+v", r)
	}
	if got.Responses[1].Level != nil || got.Responses[2].Evidence != "-just text" || *got.Responses[2].Level != 0 {
		t.Errorf("responses = %+v", got.Responses)
	}
	if len(got.Actions) != 1 || got.Actions[0] != sample().Actions[0] {
		t.Errorf("actions = %+v", got.Actions)
	}
}

func TestWorkbookLayout(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(built(t)))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.GetSheetList(), ","); got != "Instructions,Responses,Actions,Meta" {
		t.Errorf("sheets = %s", got)
	}
	if visible, _ := f.GetSheetVisible(SheetMeta); visible {
		t.Error("Meta is visible")
	}
	if prot, err := f.GetSheetProtection(SheetResponses); err != nil || !prot.SelectUnlockedCells {
		t.Errorf("Responses not protected: %+v %v", prot, err)
	}
	lockedID, _ := f.GetCellStyle(SheetResponses, "A2")
	openID, _ := f.GetCellStyle(SheetResponses, "D2")
	locked, _ := f.GetStyle(lockedID)
	open, _ := f.GetStyle(openID)
	if locked.Protection == nil || !locked.Protection.Locked || open.Protection == nil || open.Protection.Locked {
		t.Errorf("locking: id cell %+v, level cell %+v", locked.Protection, open.Protection)
	}
	dvs, _ := f.GetDataValidations(SheetResponses)
	if len(dvs) != 2 || !strings.Contains(dvs[0].Formula1, "2 Established") {
		t.Errorf("level validations = %+v", dvs)
	}
	dvs, _ = f.GetDataValidations(SheetActions)
	if len(dvs) != 2 {
		t.Errorf("action validations = %d", len(dvs))
	}
	// The two tables a person fills in can be reached by name, the actions
	// with the blank rows left for new ones.
	rows, _ := f.GetRows(SheetResponses)
	names := map[string]string{}
	for _, n := range f.GetDefinedName() {
		names[n.Name] = n.RefersTo
	}
	if want := fmt.Sprintf("'Responses'!$A$1:$G$%d", len(rows)); names["Responses"] != want {
		t.Errorf("name Responses = %q, want %q", names["Responses"], want)
	}
	if !strings.HasPrefix(names["Actions"], "'Actions'!$A$1:$E$") {
		t.Errorf("name Actions = %q", names["Actions"])
	}
	panes, _ := f.GetPanes(SheetResponses)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	// User text is stored as text, exactly as typed, in a cell with Excel's
	// quote prefix so editing cannot turn it into a formula.
	if formula, _ := f.GetCellFormula(SheetResponses, "F2"); formula != "" {
		t.Errorf("evidence became a formula: %q", formula)
	}
	if v, _ := f.GetCellValue(SheetResponses, "F2"); !strings.HasPrefix(v, "=") {
		t.Errorf("evidence not stored as typed: %q", v)
	}
	if !xlsxdoc.HasQuotePrefix(f, SheetResponses, "F2") {
		t.Error("evidence cell has no quote prefix")
	}
	if st, _ := f.GetCellStyle(SheetResponses, "F2"); st == 0 {
		t.Error("evidence cell lost its open (unlocked) style")
	} else if s, _ := f.GetStyle(st); s.Protection == nil || s.Protection.Locked {
		t.Errorf("quote-prefixed evidence cell is locked: %+v", s.Protection)
	}
}

func TestRejections(t *testing.T) {
	cases := []struct {
		name, sheet, cell, message string
		change                     func(f *excelize.File)
	}{
		{"level not on the scale", "Responses", "D3", `level "Great" is not on the scale`, func(f *excelize.File) { f.SetCellStr("Responses", "D3", "Great") }},
		{"target not on the scale", "Responses", "E2", `target level "7" is not on the scale`, func(f *excelize.File) { f.SetCellStr("Responses", "E2", "7") }},
		{"formula in a value", "Responses", "D4", "formulas are not allowed", func(f *excelize.File) { f.SetCellFormula("Responses", "D4", "1+1") }},
		{"unknown standard id", "Responses", "A3", `"LEAD-99" is not a standard`, func(f *excelize.File) { f.SetCellStr("Responses", "A3", "LEAD-99") }},
		{"moved standard", "Responses", "A2", "standard MH-01 is here, but this row belongs to LEAD-01", func(f *excelize.File) { f.SetCellStr("Responses", "A2", "MH-01") }},
		{"deleted standard", "Responses", "A4", "standard MH-01 is missing", func(f *excelize.File) { f.SetCellStr("Responses", "A4", "") }},
		{"changed heading", "Responses", "D1", `the heading should be "Level"`, func(f *excelize.File) { f.SetCellStr("Responses", "D1", "Score") }},
		{"extra row", "Responses", "A5", "unexpected row", func(f *excelize.File) { f.SetCellStr("Responses", "A5", "NEW-01") }},
		{"another assessment", "Meta", "B1", "this workbook is for another assessment", func(f *excelize.File) { f.SetCellStr("Meta", "B1", "41") }},
		{"another edition", "Meta", "B3", "another edition", func(f *excelize.File) { f.SetCellStr("Meta", "B3", "2017") }},
		{"changed edition content", "Meta", "B4", "a different copy", func(f *excelize.File) { f.SetCellStr("Meta", "B4", "zzz") }},
		{"no Meta sheet", "Meta", "A1", "Meta sheet is missing", func(f *excelize.File) { f.DeleteSheet("Meta") }},
		{"action for an unknown standard", "Actions", "A3", `"XX-1" is not a standard`, func(f *excelize.File) { f.SetCellStr("Actions", "A3", "XX-1"); f.SetCellStr("Actions", "B3", "Do it") }},
		{"action without what", "Actions", "B3", "describe the action", func(f *excelize.File) {
			f.SetCellStr("Actions", "A3", "MH-01")
			f.SetCellStr("Actions", "C3", "Someone")
		}},
		{"bad due date", "Actions", "D2", `"next spring" is not a date`, func(f *excelize.File) { f.SetCellStr("Actions", "D2", "next spring") }},
		{"bad status", "Actions", "E2", `status "stalled"`, func(f *excelize.File) { f.SetCellStr("Actions", "E2", "stalled") }},
		{"formula in an action", "Actions", "B2", "formulas are not allowed", func(f *excelize.File) { f.SetCellFormula("Actions", "B2", "HYPERLINK(\"x\")") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, problems, err := Parse(bytes.NewReader(edit(t, built(t), tc.change)), identity, scale, standards)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				if p.Sheet == tc.sheet && p.Cell == tc.cell && strings.Contains(p.Message, tc.message) {
					return
				}
			}
			t.Fatalf("want %s!%s %q; got %v", tc.sheet, tc.cell, tc.message, problems)
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	data := edit(t, built(t), func(f *excelize.File) {
		f.SetCellStr("Responses", "D2", "Great")
		f.SetCellStr("Responses", "E3", "9")
		f.SetCellStr("Actions", "E2", "stalled")
	})
	_, problems, _ := Parse(bytes.NewReader(data), identity, scale, standards)
	if len(problems) != 3 {
		t.Fatalf("want 3 problems, got %v", problems)
	}
}

func TestDatesTypedIntoExcel(t *testing.T) {
	data := edit(t, built(t), func(f *excelize.File) { f.SetCellFloat("Actions", "D2", 46477, 0, 64) }) // a date serial
	got, problems, _ := Parse(bytes.NewReader(data), identity, scale, standards)
	if len(problems) != 0 || got.Actions[0].Due != "2027-03-31" {
		t.Fatalf("due = %q, problems %v", got.Actions[0].Due, problems)
	}
}

func TestNotAWorkbook(t *testing.T) {
	for name, data := range map[string][]byte{
		"pdf":     []byte("%PDF-1.7\n..."),
		"csv":     []byte("Standard id,Level\nLEAD-01,2\n"),
		"xls":     {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1},
		"bad zip": []byte("PK\x03\x04 not really a zip"),
	} {
		if _, _, err := Parse(bytes.NewReader(data), identity, scale, standards); err == nil || !strings.Contains(err.Error(), "not an Excel .xlsx workbook") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	big := bytes.Repeat([]byte("x"), MaxUploadBytes+1)
	if _, _, err := Parse(bytes.NewReader(append([]byte("PK\x03\x04"), big...)), identity, scale, standards); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized: err = %v", err)
	}
}

// TestZipBomb: a small file whose sheet unpacks to hundreds of megabytes is
// refused before it is unpacked.
func TestZipBomb(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte("<c>0</c>"), 1<<16)
	for range 120 { // 60 MiB unpacked, over the 50 MiB limit
		w.Write(chunk)
	}
	zw.Close()
	if buf.Len() > MaxUploadBytes {
		t.Fatalf("bomb is %d bytes, too big to test the unpacking limit", buf.Len())
	}
	_, _, err := Parse(bytes.NewReader(buf.Bytes()), identity, scale, standards)
	if err == nil || !strings.Contains(err.Error(), "unpacks to more than") {
		t.Fatalf("err = %v", err)
	}
}

func benchWorkbook() Workbook {
	w := sample()
	w.Standards = nil
	for i := range 60 {
		id := "S-" + string(rune('A'+i/26)) + string(rune('A'+i%26))
		w.Standards = append(w.Standards, Standard{id, "Area", "A statement of typical length for a wellbeing standard."})
		w.Responses[id] = Response{StandardID: id, Level: n(i % 5), Evidence: strings.Repeat("Evidence text. ", 20)}
	}
	w.Actions = nil
	for i := range 100 {
		w.Actions = append(w.Actions, Action{StandardID: w.Standards[i%60].ID, What: "An action", Owner: "Owner", Due: "2027-01-01", Status: "planned"})
	}
	return w
}

func BenchmarkBuild(b *testing.B) {
	w := benchWorkbook()
	for b.Loop() {
		if _, err := Build(w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	w := benchWorkbook()
	data, _ := Build(w)
	for b.Loop() {
		if _, problems, err := Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards); err != nil || len(problems) > 0 {
			b.Fatal(err, problems)
		}
	}
}

// TestProblemsAreCapped: a workbook wrong in hundreds of cells lists the
// first MaxProblems and counts the rest in one last line.
func TestProblemsAreCapped(t *testing.T) {
	const bad = 300
	data := edit(t, built(t), func(f *excelize.File) {
		for i := range bad {
			row := strconv.Itoa(i + 2)
			f.SetCellStr("Actions", "A"+row, "MH-01")
			f.SetCellStr("Actions", "B"+row, "Do it")
			f.SetCellStr("Actions", "E"+row, "stalled")
		}
	})
	_, problems, err := Parse(bytes.NewReader(data), identity, scale, standards)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != MaxProblems+1 {
		t.Fatalf("got %d problems, want %d and a count of the rest", len(problems), MaxProblems+1)
	}
	last := problems[MaxProblems].Message
	if !strings.Contains(last, strconv.Itoa(bad-MaxProblems)+" more problems") {
		t.Errorf("last problem = %q", last)
	}
}

// A workbook of format version 1, filled in before the quote prefix, put
// an apostrophe before formula-like text; it is still read, without it.
func TestLegacyFormatVersion(t *testing.T) {
	data, err := Build(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellStr(SheetMeta, "B5", "1")
	f.SetCellStr(SheetResponses, "F2", "'=SUM(1,2) was escaped")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	got, problems, err := Parse(bytes.NewReader(buf.Bytes()), identity, scale, standards)
	if err != nil || len(problems) > 0 {
		t.Fatalf("version 1 workbook refused: %v %v", err, problems)
	}
	if got.Responses[0].Evidence != "=SUM(1,2) was escaped" {
		t.Errorf("version 1 evidence read as %q", got.Responses[0].Evidence)
	}
	f.SetCellStr(SheetMeta, "B5", "0")
	buf, _ = f.WriteToBuffer()
	if _, problems, _ := Parse(bytes.NewReader(buf.Bytes()), identity, scale, standards); len(problems) != 1 || !strings.Contains(problems[0].Message, "older workbook layout") {
		t.Errorf("unknown format version: %v", problems)
	}
}

// TestSizesAndProperties: every sheet declares its real size, and the
// workbook its title, author and organisation.
func TestSizesAndProperties(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(built(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xlsxtest.Dimensions(t, f, map[string]string{SheetMeta: "A1:B5"})
	xlsxtest.Properties(t, f, "Self-assessment: Alphashire Constabulary, 2026/27", "Alphashire Constabulary")
	table := xlsxtest.Sheet{Landscape: true, Titled: true}
	xlsxtest.PrintSetup(t, f, "Alphashire Constabulary · self-assessment · 2026/27", map[string]xlsxtest.Sheet{
		SheetInstructions: {}, SheetResponses: table, SheetActions: table,
	})
}

package assessmentbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// maxParseAlloc is what one Parse of any crafted file may allocate in all.
// Before the checks in zipcheck.go a 2 MB file cost 4.6 GiB and a 50 KB one
// almost 1 GiB; the worst accepted file now costs about a tenth of this.
const maxParseAlloc = 64 << 20

// allocSlack multiplies the bound in builds with the race detector.
var allocSlack uint64 = 1

// parseCost parses one upload and measures the bytes allocated meanwhile.
func parseCost(t *testing.T, data []byte, w Workbook) ([]Problem, error, uint64, time.Duration) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, problems, err := Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return problems, err, after.TotalAlloc - before.TotalAlloc, took
}

// TestCraftedUploadsRefused: small files built to cost a lot of memory or
// time are refused with a message naming the part and the reason, and
// refusing them stays cheap.
func TestCraftedUploadsRefused(t *testing.T) {
	good := built(t)
	sheet := part(t, good, partResponses)
	strs := string(part(t, good, partStrings))
	const row9 = `<row><c r="H9"><v>1</v></c></row>`
	manyParts := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range maxParts + 1 {
			zw.Create("xl/media/p" + strconv.Itoa(i) + ".xml")
		}
		zw.Close()
		return withParts(t, good, buf.Bytes())
	}
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"a 19 MiB sheet in a 2 MB file", "the Responses sheet (xl/worksheets/sheet2.xml) unpacks to 19.0 MiB; the limit is 4.0 MiB",
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, strings.Repeat(row9, (19<<20-len(sheet))/len(row9)))})},
		{"a million tiny shared strings in 50 KB", "the workbook's text (xl/sharedStrings.xml)",
			rezip(t, good, map[string][]byte{partStrings: []byte(strings.Replace(strs, "</sst>", strings.Repeat("<si><t>a</t></si>", 1_000_000)+"</sst>", 1))})},
		{"shared strings of too many elements", "the workbook's text (xl/sharedStrings.xml) has more than 100000 XML elements",
			rezip(t, good, map[string][]byte{partStrings: []byte(strings.Replace(strs, "</sst>", strings.Repeat("<si><t>a</t></si>", 60_000)+"</sst>", 1))})},
		{"a sheet of too many elements", "the Responses sheet (xl/worksheets/sheet2.xml) has more than 100000 XML elements",
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, cellsAfter(10, 40_000))})},
		{"elements nested deep", "the Actions sheet (xl/worksheets/sheet3.xml) has more than 100000 XML elements",
			rezip(t, good, map[string][]byte{partActions: padSheet(t, part(t, good, partActions), strings.Repeat("<x>", 100_001)+strings.Repeat("</x>", 100_001))})},
		{"more than 1,000 parts", "parts; an assessment workbook holds about 15 and the limit is 1000", manyParts()},
		{"a header that understates the sheet", "the Responses sheet (xl/worksheets/sheet2.xml) is damaged: it does not unpack to the size",
			withParts(t, good, rawPart(t, partResponses, padSheet(t, sheet, cellsAfter(10, 1000)), uint64(len(sheet))))},
		{"a header that overstates the sheet", "the Responses sheet (xl/worksheets/sheet2.xml) is damaged: it does not unpack to the size",
			withParts(t, good, rawPart(t, partResponses, sheet, uint64(len(sheet))+1000))},
		{"a header that claims 60 MiB", "the workbook unpacks to more than 50 MiB",
			withParts(t, good, rawPart(t, "xl/media/image1.png", []byte("x"), 60<<20))},
		{"a styles part over the limit", "xl/styles.xml unpacks to 4.1 MiB; the limit is 4.0 MiB",
			rezip(t, good, map[string][]byte{"xl/styles.xml": bytes.Repeat([]byte(" "), 4<<20+100_000)})},
		{"a row beyond the last a sheet may have", `the Responses sheet is damaged: "1048577" is not a row number`,
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, `<row r="1048577"></row>`)})},
		{"a cell named beyond the last column", `the Responses sheet is damaged: "XFE9" is not a cell reference`,
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, `<row r="9"><c r="XFE9"><v>1</v></c></row>`)})},
		{"a cell pointing past the shared strings", "the Responses sheet is damaged: cell H9 refers to text \"999999\", which the workbook does not have",
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, `<row r="9"><c r="H9" t="s"><v>999999</v></c></row>`)})},
		{"an entity the XML does not define", "the Responses sheet (xl/worksheets/sheet2.xml) cannot be read: XML syntax error",
			rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, `<row r="9"><c r="H9" t="inlineStr"><is><t>&lol;</t></is></c></row>`)})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.data) > MaxUploadBytes {
				t.Fatalf("crafted file is %d bytes, over the upload limit", len(tc.data))
			}
			_, err, alloc, took := parseCost(t, tc.data, sample())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tc.want)
			}
			if alloc > maxParseAlloc*allocSlack {
				t.Errorf("refusing a %d-byte file allocated %d MiB", len(tc.data), alloc>>20)
			}
			t.Logf("%d bytes: %.1f MiB allocated, %v", len(tc.data), float64(alloc)/(1<<20), took.Round(time.Millisecond))
		})
	}
}

// TestCraftedUploadsBounded: files inside the limits but built to be as
// costly as they allow still parse within the allocation bound.
func TestCraftedUploadsBounded(t *testing.T) {
	good := built(t)
	sheet := part(t, good, partResponses)
	strs := string(part(t, good, partStrings))
	longInline := func(n, size int) string {
		var b strings.Builder
		for r := 10; r < 10+n; r++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="H%d" t="inlineStr"><is><t>%s</t></is></c></row>`, r, r, strings.Repeat("y", size))
		}
		return b.String()
	}
	cases := []struct {
		name     string
		data     []byte
		problems int
	}{
		{"a sheet of almost 100,000 elements", rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, cellsAfter(10, 33_000))}), 33_000},
		{"a sheet of almost 4 MiB", rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, longInline(4, 1<<20-1000))}), 4},
		{"shared strings of almost 16 MiB in one string", rezip(t, good, map[string][]byte{partStrings: []byte(strings.Replace(strs, "</sst>", "<si><t>"+strings.Repeat("z", 16<<20-10_000)+"</t></si></sst>", 1))}), 0},
		{"shared strings of almost 16 MiB in many", rezip(t, good, map[string][]byte{partStrings: []byte(strings.Replace(strs, "</sst>", strings.Repeat("<si><t>"+strings.Repeat("z", 40_000)+"</t></si>", 400)+"</sst>", 1))}), 0},
		{"a row numbered 1048576", rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, `<row r="1048576"><c r="H1048576"><v>1</v></c></row>`)}), 1},
		{"cells in the last column", rezip(t, good, map[string][]byte{partResponses: padSheet(t, sheet, strings.ReplaceAll(cellsAfter(10, 20_000), `r="H`, `r="XFD`))}), 20_000},
		{"a cell at XFD1048576", rezip(t, good, map[string][]byte{partActions: padSheet(t, part(t, good, partActions), `<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>`)}), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.data) > MaxUploadBytes {
				t.Fatalf("crafted file is %d bytes, over the upload limit", len(tc.data))
			}
			problems, err, alloc, took := parseCost(t, tc.data, sample())
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			want := tc.problems
			if want > MaxProblems {
				want = MaxProblems + 1 // the rest are counted in one last problem
			}
			if len(problems) != want {
				t.Errorf("%d problems, want %d: %v", len(problems), want, problems[:min(len(problems), 3)])
			}
			if alloc > maxParseAlloc*allocSlack {
				t.Errorf("a %d-byte file allocated %d MiB", len(tc.data), alloc>>20)
			}
			t.Logf("%d bytes: %.1f MiB allocated, %v", len(tc.data), float64(alloc)/(1<<20), took.Round(time.Millisecond))
		})
	}
}

// largeWorkbook is the biggest genuine assessment the limits must accept,
// with every text as long as the form allows.
func largeWorkbook() Workbook {
	w := sample()
	w.Standards, w.Actions, w.Responses = nil, nil, map[string]Response{}
	for i := range 200 {
		id := "S-" + strconv.Itoa(1000+i)
		w.Standards = append(w.Standards, Standard{id, "Area " + strconv.Itoa(i/10), strings.Repeat("A statement of typical length. ", 4)})
		w.Responses[id] = Response{StandardID: id, Level: n(i % 5), Target: n(4),
			Evidence: distinctText(i, MaxEvidence), Links: strings.Repeat("https://intranet.example/doc/"+strconv.Itoa(i)+"\n", 200)[:MaxLinks-1]}
	}
	for i := range 500 {
		w.Actions = append(w.Actions, Action{StandardID: w.Standards[i%200].ID, What: distinctText(i, maxActionText), Owner: "Owner " + strconv.Itoa(i), Due: "2027-01-01", Status: "planned"})
	}
	return w
}

// distinctText is n bytes of words that do not compress away to nothing.
func distinctText(seed, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(strconv.Itoa(seed*7919+i*104729) + " evidence ")
	}
	return b.String()[:n]
}

func TestLargeGenuineWorkbookAccepted(t *testing.T) {
	w := largeWorkbook()
	data, err := Build(w)
	if err != nil {
		t.Fatal(err)
	}
	problems, err, alloc, took := parseCost(t, data, w)
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v, problems %v", err, problems[:min(len(problems), 3)])
	}
	got, _, _ := Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards)
	if len(got.Responses) != 200 || len(got.Actions) != 500 {
		t.Fatalf("%d responses, %d actions", len(got.Responses), len(got.Actions))
	}
	for _, r := range got.Responses {
		want := w.Responses[r.StandardID]
		if r.Evidence != strings.TrimSpace(want.Evidence) || r.Links != strings.TrimSpace(want.Links) || *r.Level != *want.Level {
			t.Fatalf("%s came back different", r.StandardID)
		}
	}
	if got.Actions[499] != w.Actions[499] {
		t.Errorf("last action = %+v", got.Actions[499])
	}
	t.Logf("%d-byte workbook: %.1f MiB allocated, %v", len(data), float64(alloc)/(1<<20), took.Round(time.Millisecond))
}

func BenchmarkParseLarge(b *testing.B) {
	w := largeWorkbook()
	data, err := Build(w)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, problems, err := Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards); err != nil || len(problems) > 0 {
			b.Fatal(err, problems)
		}
	}
}

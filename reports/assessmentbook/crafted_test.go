package assessmentbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"testing"
)

// Parts of a workbook built by Build, as the crafted files below change them.
const (
	partResponses = "xl/worksheets/sheet2.xml"
	partActions   = "xl/worksheets/sheet3.xml"
	partStrings   = "xl/sharedStrings.xml"
)

// rezip copies a workbook, replacing (or adding) the parts in change.
func rezip(t testing.TB, data []byte, change map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	seen := map[string]bool{}
	put := func(name string, body []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	for _, f := range zr.File {
		seen[f.Name] = true
		if body, ok := change[f.Name]; ok {
			put(f.Name, body)
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		put(f.Name, body)
	}
	for name, body := range change {
		if !seen[name] {
			put(name, body)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// part reads one part of a workbook.
func part(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			r, _ := f.Open()
			body, _ := io.ReadAll(r)
			return body
		}
	}
	t.Fatalf("no part %s", name)
	return nil
}

// padSheet inserts extra XML just before </sheetData> of a sheet.
func padSheet(t testing.TB, sheet []byte, extra string) []byte {
	t.Helper()
	s := string(sheet)
	i := strings.Index(s, "</sheetData>")
	if i < 0 {
		t.Fatal("no sheetData")
	}
	return []byte(s[:i] + extra + s[i:])
}

// cellsAfter writes n rows of one numeric cell each in column H (which Parse
// ignores), starting below the last row Build wrote.
func cellsAfter(first, n int) string {
	var b strings.Builder
	for r := first; r < first+n; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="H%d"><v>1</v></c></row>`, r, r)
	}
	return b.String()
}

// rawPart writes a zip whose one part records size in its header but
// holds body, as a hostile writer could.
func rawPart(t testing.TB, name string, body []byte, size uint64) []byte {
	t.Helper()
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	zw.Close()
	return buf.Bytes()
}

// withParts rebuilds a workbook so that its parts come from the zip in
// extra (same names replace, others are added).
func withParts(t testing.TB, data, extra []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	xr, err := zip.NewReader(bytes.NewReader(extra), int64(len(extra)))
	if err != nil {
		t.Fatal(err)
	}
	replaced := map[string]bool{}
	for _, f := range xr.File {
		replaced[f.Name] = true
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range append(slices.DeleteFunc(slices.Clone(zr.File), func(f *zip.File) bool { return replaced[f.Name] }), xr.File...) {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return buf.Bytes()
}

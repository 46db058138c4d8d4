package assessmentbook

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkParse runs Parse and checks what any upload must give: either a
// clear error, or a result with every problem placed on a sheet and cell
// and only this edition's standards in it.
func checkParse(t *testing.T, data []byte) {
	t.Helper()
	got, problems, err := Parse(bytes.NewReader(data), identity, scale, standards)
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error")
		}
		return
	}
	for _, p := range problems {
		if p.Sheet == "" || p.Cell == "" || p.Message == "" {
			t.Fatalf("problem without a place: %+v", p)
		}
	}
	if len(got.Responses) > len(standards) {
		t.Fatalf("%d responses for %d standards", len(got.Responses), len(standards))
	}
	for i, r := range got.Responses {
		if i > 0 && r.StandardID == got.Responses[i-1].StandardID {
			t.Fatalf("standard %s twice", r.StandardID)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the upload parser.
func FuzzParse(f *testing.F) {
	good, err := Build(sample())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("%PDF-1.7"))
	f.Add(rawPart(f, partResponses, []byte("<worksheet/>"), 3))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}

// unpacked holds a built workbook's parts, so a fuzz input can replace one
// and be packed again quickly (stored, not compressed).
type unpacked struct {
	names []string
	parts map[string][]byte
}

func unpack(t testing.TB, data []byte) unpacked {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	u := unpacked{parts: map[string][]byte{}}
	for _, f := range zr.File {
		r, _ := f.Open()
		u.parts[f.Name], _ = io.ReadAll(r)
		u.names = append(u.names, f.Name)
	}
	return u
}

func (u unpacked) pack(replace map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range u.names {
		body := u.parts[name]
		if r, ok := replace[name]; ok {
			body = r
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		w.Write(body)
	}
	zw.Close()
	return buf.Bytes()
}

// FuzzParseSheetXML reaches the XML readers past the zip: the fuzzer writes
// the Responses sheet and the shared strings of an otherwise sound workbook.
func FuzzParseSheetXML(f *testing.F) {
	good, err := Build(sample())
	if err != nil {
		f.Fatal(err)
	}
	u := unpack(f, good)
	sheet, strs := u.parts[partResponses], u.parts[partStrings]
	f.Add(sheet, strs)
	f.Add([]byte(`<worksheet><sheetData><row><c t="inlineStr"><is><t>LEAD-01</t></is></c><c><f>1+1</f><v>2</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>3</v></c></row></sheetData></worksheet>`), strs)
	f.Add(sheet, []byte(`<sst><si><r><t>a_x000D_</t></r><rPh><t>b</t></rPh><t>c</t></si></sst>`))
	f.Add([]byte(`<c r="A0"/><row r="-1"/><c r="A1" t="s"><v> 0 </v></c>`), []byte(`<sst><si><t>_x005F_x0041_</t></si></sst>`))
	f.Fuzz(func(t *testing.T, sheetXML, stringsXML []byte) {
		checkParse(t, u.pack(map[string][]byte{partResponses: sheetXML, partStrings: stringsXML}))
	})
}

// FuzzCellText: any text Build writes comes back from Parse's decoding
// exactly, and what is stored holds only characters XML allows.
func FuzzCellText(f *testing.F) {
	for _, s := range []string{"", "plain", "_x000D_", "_x005F_x0041_", "a\x00b\x1fc", "\uFFFE", "__x0041__", "_x12_", "🚒 ŵ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // text reaches Build from forms and the database, as UTF-8
		}
		enc := encodeCellText(s)
		if strings.ContainsFunc(enc, func(r rune) bool { return !xmlChar(r) }) {
			t.Fatalf("encode(%q) = %q holds a character XML cannot", s, enc)
		}
		if got := decodeCellText(enc); got != s {
			t.Fatalf("decode(encode(%q)) = %q", s, got)
		}
	})
}

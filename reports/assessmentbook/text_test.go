package assessmentbook

import (
	"bytes"
	"strings"
	"testing"
)

// Text that spreadsheet XML cannot hold as it is, or that looks like one of
// its escapes, survives Build and Parse exactly.
func TestAwkwardTextRoundTrip(t *testing.T) {
	texts := []string{
		"bell\x07 and\x01start\x1fend",
		"a literal _x000D_ is not a carriage return",
		"_x005F_ and _x005F_x0041_ and _x00 and _xZZZZ_ and __x0041__",
		"carriage\rreturn, crlf\r\nand tab\tinside",
		"vertical\x0btab and form\x0cfeed",
		"\x01leading control",
		"=1+1 stays text, \x00 nul",
		"'=a typed apostrophe stays", "-minus", "@at", "+plus",
		"non-characters \uFFFE\uFFFF, Welsh ŵ ŷ, emoji 🚒",
	}
	w := sample()
	for i, s := range texts {
		id := standards[i%len(standards)].ID
		r := w.Responses[id]
		if i < len(standards) {
			r.Evidence = s
		} else {
			r.Links = s
		}
		w.Responses[id] = r
		w.Actions = append(w.Actions, Action{StandardID: id, What: s, Owner: s, Status: "planned"})
	}
	data, err := Build(w)
	if err != nil {
		t.Fatal(err)
	}
	// Stored as the format says, so Excel shows the same text.
	sst := string(part(t, data, partStrings))
	for _, want := range []string{"bell_x0007_ and_x0001_start_x001F_end", "a literal _x005F_x000D_ is", "_x005F_x005F_ and _x005F_x005F_x005F_x0041_", "_x0000_ nul", "_xFFFE__xFFFF_"} {
		if !strings.Contains(sst, want) {
			t.Errorf("shared strings lack %q", want)
		}
	}
	got, problems, err := Parse(bytes.NewReader(data), w.Identity, w.Scale, w.Standards)
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v, problems %v", err, problems)
	}
	for _, r := range got.Responses {
		want := w.Responses[r.StandardID]
		if r.Evidence != want.Evidence || r.Links != want.Links {
			t.Errorf("%s: evidence %q links %q\nwant %q and %q", r.StandardID, r.Evidence, r.Links, want.Evidence, want.Links)
		}
	}
	for i, a := range got.Actions[1:] {
		if a.What != texts[i] || a.Owner != texts[i] {
			t.Errorf("action %d = %q, want %q", i, a.What, texts[i])
		}
	}
}

func TestDecodeCellText(t *testing.T) {
	for in, want := range map[string]string{
		"Excel wrote_x000D_\n": "Excel wrote\r\n",
		"_x005F_x000D_":        "_x000D_",
		"_x005f_x000d_":        "_x000d_",
		"_x0041__x0042_":       "AB",
		"_xD800_ is no char":   "_xD800_ is no char",
		"_x12_":                "_x12_",
		"plain":                "plain",
	} {
		if got := decodeCellText(in); got != want {
			t.Errorf("decode(%q) = %q, want %q", in, got, want)
		}
	}
}

// Escaping can make text longer than a cell holds; Build says so rather
// than let excelize cut it short.
func TestBuildRefusesTextTooLongForACell(t *testing.T) {
	w := sample()
	r := w.Responses["MH-01"]
	r.Evidence = strings.Repeat("\x01", 5000) // 35,000 characters once escaped
	w.Responses["MH-01"] = r
	if _, err := Build(w); err == nil || !strings.Contains(err.Error(), "Responses!F4: the text is longer than a spreadsheet cell can hold") {
		t.Fatalf("err = %v", err)
	}
}

// Other spreadsheet programs store text inline and dates as dates; both are
// read, and escapes in inline text are undone.
func TestInlineTextAndDateCells(t *testing.T) {
	good := built(t)
	responses := strings.Replace(string(part(t, good, partResponses)), `<c r="F3"`, `<c r="F3" t="inlineStr"><is><r><t>Minutes_x000D_</t></r><rPh><t>phonetic</t></rPh><r><t> of March</t></r></is></c><c r="Z3"`, 1)
	actions := strings.Replace(string(part(t, good, partActions)), `<c r="D2" t="s"><v>`, `<c r="D2" t="d"><v>2027-03-31T00:00:00</v></c><c r="Z2" t="s"><v>`, 1)
	data := rezip(t, good, map[string][]byte{partResponses: []byte(responses), partActions: []byte(actions)})
	got, problems, err := Parse(bytes.NewReader(data), identity, scale, standards)
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v, problems %v", err, problems)
	}
	if got.Responses[1].Evidence != "Minutes\r of March" {
		t.Errorf("inline evidence = %q", got.Responses[1].Evidence)
	}
	if got.Actions[0].Due != "2027-03-31" {
		t.Errorf("date cell = %q", got.Actions[0].Due)
	}
}

package pdfdoc

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
)

func sample(t *testing.T) []byte {
	t.Helper()
	d := New(Meta{Title: "Prawf: Gwasanaeth Ambiwlans Cymru", Author: "Heddlu Dyfed-Powys", Lang: "cy-GB",
		Created: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	d.AddPage()
	d.Heading(1, "Heddlu Dyfed-Powys")
	d.Para("Letters: ŵ ŷ Ŵ Ŷ â ê î ô û.\n\nSecond paragraph.")
	rows := make([][]Cell, 80)
	for i := range rows {
		rows[i] = Cells("row", strings.Repeat("long text that wraps ", 3), "42")
	}
	d.Table([]Column{{Header: "A", Width: 30}, {Header: "B", Width: 100}, {Header: "C", Width: 50, Align: "R"}}, rows)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocumentReadsBack(t *testing.T) {
	b := sample(t)
	if !bytes.Equal(b, sample(t)) {
		t.Error("same input gave different bytes")
	}
	text := pdftest.Text(t, b)
	for _, want := range []string{"Heddlu Dyfed-Powys", "ŵ ŷ Ŵ Ŷ", "Page 1 of 3", "Page 3 of 3", "Prawf: Gwasanaeth Ambiwlans Cymru"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	info := pdftest.Info(t, b)
	for k, want := range map[string]string{"Title": "Prawf: Gwasanaeth Ambiwlans Cymru", "Author": "Heddlu Dyfed-Powys", "Pages": "3"} {
		if info[k] != want {
			t.Errorf("pdfinfo %s = %q, want %q", k, info[k], want)
		}
	}
	if !bytes.Contains(b, []byte("/Lang (cy-GB)")) {
		t.Error("no /Lang in catalog")
	}
}

func TestHex(t *testing.T) {
	if got := Hex("#d4351c"); got != (RGB{0xd4, 0x35, 0x1c}) {
		t.Errorf("Hex = %v", got)
	}
	if Hex("nonsense") != (RGB{191, 193, 195}) {
		t.Error("bad hex should be grey")
	}
}

package assessmentbook

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the upload parser: no panic, and either
// a clear error or a result with every problem placed on a sheet and cell.
func FuzzParse(f *testing.F) {
	good, err := Build(sample())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("%PDF-1.7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, problems, err := Parse(bytes.NewReader(data), identity, scale, standards)
		if err != nil {
			return
		}
		for _, p := range problems {
			if p.Sheet == "" || p.Cell == "" || p.Message == "" {
				t.Fatalf("problem without a place: %+v", p)
			}
		}
	})
}

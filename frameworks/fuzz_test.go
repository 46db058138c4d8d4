package frameworks

import (
	"os"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as one more framework file:
// it must never panic or hang, and must either load or say what is wrong.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"testdata/mini-1.yaml", "testdata/crosswalk.yaml", "testdata/risk.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("kind: framework\na: &a [*a]\n"))
	f.Add([]byte("kind: risk-model\ngrid: [{likelihood: 9, bands: []}]\n"))
	f.Add([]byte("\x00\xff---\n..."))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for _, name := range []string{"mini-1.yaml", "mini-2.yaml", "crosswalk.yaml"} {
			b, _ := os.ReadFile("testdata/" + name)
			fsys[name] = &fstest.MapFile{Data: b}
		}
		fsys["fuzz.yaml"] = &fstest.MapFile{Data: data}
		set, err := LoadSources(Source{Name: "t", FS: fsys})
		if err == nil && set == nil {
			t.Fatal("no set and no error")
		}
		if ps, ok := err.(Problems); ok {
			for _, p := range ps {
				if p.File == "" || p.Message == "" || p.Line < 0 {
					t.Fatalf("problem without a place or a message: %+v", p)
				}
			}
		}
	})
}

package frameworks

import (
	"os"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as one more framework file:
// it must never panic or hang, and must either load or say what is wrong.
//
// Run it with a cap on minimisation, e.g.
//
//	go test -run XXX -fuzz FuzzLoad -fuzztime 60s -fuzzminimizetime 100x ./frameworks/
//
// With the default cap (60 s per new input) the fuzzer spends nearly all its
// time shrinking each new input, and the exec count it prints leaves those
// runs out, which is why it seemed to run only a few inputs a second.
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
	// The fuzzed file is loaded beside two editions and a crosswalk, so the
	// checks across files run too. They are read once, not on every input.
	context := map[string][]byte{}
	for _, name := range []string{"mini-1.yaml", "mini-2.yaml", "crosswalk.yaml"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		context[name] = b
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"fuzz.yaml": &fstest.MapFile{Data: data}}
		for name, b := range context {
			fsys[name] = &fstest.MapFile{Data: b}
		}
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

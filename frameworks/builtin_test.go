package frameworks

import (
	"testing"
)

// releasedHashes holds every released built-in edition to the content it was
// released with. A failure here means a released file was edited: undo the
// edit and publish the change as a new version instead.
var releasedHashes = map[string]string{}

func TestBuiltinEditionsLoad(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range set.Editions {
		t.Logf("%q: %q, // %s %v", e.Key+" "+e.Version, e.SHA256, e.Kind, e.Counts())
	}
}

func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

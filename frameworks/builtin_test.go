package frameworks

import (
	"testing"
)

func TestBuiltinEditionsLoad(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range set.Editions {
		t.Logf("%s %s %s %s %v", e.Kind, e.Key, e.Version, e.SHA256, e.Counts())
	}
}

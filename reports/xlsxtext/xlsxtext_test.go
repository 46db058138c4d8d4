package xlsxtext

import "testing"

func TestLooksLikeFormula(t *testing.T) {
	for in, want := range map[string]bool{
		"=1+1": true, "+1": true, "-1": true, "@SUM(A1)": true, "\tx": true, "\rx": true,
		"plain": false, "": false, "a=b": false, "'=x": false,
	} {
		if got := LooksLikeFormula(in); got != want {
			t.Errorf("LooksLikeFormula(%q) = %v, want %v", in, got, want)
		}
	}
}

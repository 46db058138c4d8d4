package figure

import "testing"

func TestFormat(t *testing.T) {
	cases := []struct {
		v    Value
		dec  int
		want string
	}{
		{Of(84300), 0, "84,300"},
		{Of(1234567.891), 2, "1,234,567.89"},
		{Of(-1500), 0, "-1,500"},
		{Of(-0.001), 1, "0.0"},
		{Of(2.5), 1, "2.5"},
		{SuppressedValue("fewer than 10"), 1, "suppressed"},
		{MissingValue("no workforce"), 1, "no figure"},
		{Value{V: 3, State: Suppressed}, 0, "suppressed"},
	}
	for _, c := range cases {
		if got := c.v.Format(c.dec); got != c.want {
			t.Errorf("Format(%+v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
	if got := Money(241700); got != "£241,700" {
		t.Errorf("Money = %q", got)
	}
}

func TestBandOf(t *testing.T) {
	p20, med, p80 := Of(1), Of(2), Of(3)
	cases := []struct {
		x    Value
		want Band
	}{
		{Of(0.5), BandBelow20},
		{Of(1), Band20To50},
		{Of(2), Band50To80},
		{Of(2.9), Band50To80},
		{Of(3), BandAbove80},
		{SuppressedValue(""), BandNone},
	}
	for _, c := range cases {
		if got := BandOf(c.x, p20, med, p80); got != c.want {
			t.Errorf("BandOf(%v) = %v, want %v", c.x.V, got, c.want)
		}
	}
	if BandOf(Of(1), SuppressedValue(""), med, p80) != BandNone {
		t.Error("suppressed cut point should give no band")
	}
	if BandBelow20.String() != "below 20th percentile" {
		t.Error(BandBelow20.String())
	}
}

package figure

import "testing"

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    float64
		want string
	}{{0, "0 handlers"}, {1, "1 handler"}, {1.2, "1 handler"}, {2, "2 handlers"}, {1500, "1,500 handlers"}, {-1, "-1 handlers"}} {
		if got := Count(c.n, "handler", "handlers"); got != c.want {
			t.Errorf("Count(%v) = %q, want %q", c.n, got, c.want)
		}
	}
	if Verb(1, "is", "are") != "is" || Verb(3, "is", "are") != "are" {
		t.Error("Verb does not agree")
	}
}

func TestPounds(t *testing.T) {
	for x, want := range map[float64]string{55000: "£55,000", 84.3: "£84.30", 241.7: "£241.70", 0: "£0", 1234567.891: "£1,234,567.89", -12.5: "-£12.50"} {
		if got := Pounds(x); got != want {
			t.Errorf("Pounds(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestSectorWords(t *testing.T) {
	for s, want := range map[string][2]string{
		"police":    {"Police", "Chief Constable"},
		"fire":      {"Fire and rescue", "Chief Fire Officer"},
		"ambulance": {"Ambulance", "Chief Executive"},
		"other":     {"Other", "Chief Executive"},
	} {
		if got := SectorName(s); got != want[0] {
			t.Errorf("SectorName(%q) = %q, want %q", s, got, want[0])
		}
		if got := ChiefOfficer(s); got != want[1] {
			t.Errorf("ChiefOfficer(%q) = %q, want %q", s, got, want[1])
		}
	}
	if Capitalise("ŵyr") != "Ŵyr" || Capitalise("") != "" || Capitalise("Police: large") != "Police: large" {
		t.Error("Capitalise")
	}
}

package input

import (
	"strings"
	"testing"
)

var scale = []int{0, 1, 2, 3, 4}

func TestAnswerRules(t *testing.T) {
	checkRules(t, Answer{Level: ptr(0), Target: ptr(3), Evidence: "Minutes", Version: 1, Scale: scale}, []rule[Answer]{
		{"no level", func(in *Answer) { in.Level = nil }, []string{"level"}},
		{"level off the scale", func(in *Answer) { in.Level = ptr(5) }, []string{"level"}},
		{"target off the scale", func(in *Answer) { in.Target = ptr(-1) }, []string{"target"}},
		{"evidence too long", func(in *Answer) { in.Evidence = strings.Repeat("e", MaxEvidence+1) }, []string{"evidence"}},
		{"links too long", func(in *Answer) { in.Links = strings.Repeat("l", MaxLinks+1) }, []string{"links"}},
		{"no scale", func(in *Answer) { in.Scale = nil }, []string{"level", "target"}},
	})
	if ps := (Answer{Level: ptr(2), Evidence: strings.Repeat("e", MaxEvidence) + "  ", Scale: scale}).Validate(); len(ps) > 0 {
		t.Errorf("no target and evidence at the limit, before spaces: %+v", ps)
	}
}

func TestActionRules(t *testing.T) {
	checkRules(t, Action{What: "Train managers", Owner: "HR", DueOn: ptr("1999-03-31"), Status: "planned"}, []rule[Action]{
		{"no action", func(in *Action) { in.What = " " }, []string{"what"}},
		{"not a date", func(in *Action) { in.DueOn = ptr("31/03/2027") }, []string{"due_on"}},
		{"no such day", func(in *Action) { in.DueOn = ptr("2027-02-30") }, []string{"due_on"}},
		{"unknown status", func(in *Action) { in.Status = "stalled" }, []string{"status"}},
		{"every rule", func(in *Action) { *in = Action{DueOn: ptr("soon")} }, []string{"what", "due_on", "status"}},
	})
}

func TestSignOffRules(t *testing.T) {
	checkRules(t, SignOff{Name: "A Chief", Role: "Chief Constable"}, []rule[SignOff]{
		{"no name", func(in *SignOff) { in.Name = "  " }, []string{"signed_off_name"}},
		{"no role", func(in *SignOff) { in.Role = "" }, []string{"signed_off_role"}},
		{"neither", func(in *SignOff) { *in = SignOff{} }, []string{"signed_off_name", "signed_off_role"}},
	})
	if name, role := (SignOff{Name: " A Chief ", Role: " DCC "}).SignedOff(); name != "A Chief" || role != "DCC" {
		t.Errorf("signed off by %q, %q", name, role)
	}
}

// TestAnswerFormReading: a blank level is no answer, not level 0, which is
// an answer of its own; the text is kept as typed.
func TestAnswerFormReading(t *testing.T) {
	for _, tc := range []struct {
		level, target string
		ok            bool
	}{
		{"0", "", true},
		{"", "2", false},
		{"two", "", false},
		{"2", "9", false},
	} {
		fields := map[string]string{"level": tc.level, "target": tc.target, "evidence": " Minutes ", "version": "3"}
		f := NewForm(func(name string) string { return fields[name] }, func(string) []string { return nil })
		in := Answer{Scale: scale}
		if ok := f.Read(&in); ok != tc.ok {
			t.Errorf("level %q target %q: ok = %v, problems %+v", tc.level, tc.target, ok, f.Errs)
		}
		if (tc.level == "") != (in.Level == nil) || (tc.target == "") != (in.Target == nil) || in.Version != 3 {
			t.Errorf("level %q target %q read as %+v", tc.level, tc.target, in)
		}
		if r := in.Response("LEAD-01"); r.Evidence != "Minutes" || f.Values["level"] != tc.level {
			t.Errorf("kept %v, saved %+v", f.Values, r)
		}
	}
}

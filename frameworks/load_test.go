package frameworks

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// testdataFS returns the valid mini fixtures, with replacements applied to one file.
func testdataFS(t *testing.T, file string, replace ...string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{"mini-1.yaml", "mini-2.yaml", "crosswalk.yaml", "risk.yaml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if name == file {
			for i := 0; i+1 < len(replace); i += 2 {
				if !strings.Contains(text, replace[i]) {
					t.Fatalf("fixture %s does not contain %q", name, replace[i])
				}
				text = strings.Replace(text, replace[i], replace[i+1], 1)
			}
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func loadTest(fsys fstest.MapFS) (*Set, Problems, error) {
	set, err := LoadSources(Source{Name: "t", FS: fsys})
	var ps Problems
	errors.As(err, &ps)
	return set, ps, err
}

func TestValidFixturesLoad(t *testing.T) {
	set, _, err := loadTest(testdataFS(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Editions) != 4 {
		t.Fatalf("loaded %d editions, want 4", len(set.Editions))
	}
	if got := set.Framework("mini", "2").Standards(); len(got) != 4 || got[3].ID != "B-01" {
		t.Errorf("mini 2 standards = %+v", got)
	}
	m := set.RiskModel("mini-risk", "1")
	if m == nil || m.Roles[0].Hazards[0].Likelihood != 3 {
		t.Fatalf("risk model not decoded: %+v", m)
	}
}

// TestEveryRuleRejectsABadFile feeds one defect per rule and checks the
// problem names the right file and line.
func TestEveryRuleRejectsABadFile(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		replace  []string
		wantAt   string // file:line
		wantText string
	}{
		{"unknown field", "mini-1.yaml", []string{"        guidance: Guidance A2.", "        guidance: Guidance A2.\n        colour: blue"}, "t/mini-1.yaml:32", `unknown field "colour" in a standard`},
		{"wrong type", "mini-1.yaml", []string{"  - level: 1", "  - level: one"}, "t/mini-1.yaml:14", "expected a whole number, found text \"one\""},
		{"list where text belongs", "mini-1.yaml", []string{"title: Area A", "title: [Area, A]"}, "t/mini-1.yaml:21", "expected text, found a list"},
		{"duplicate standard id", "mini-1.yaml", []string{"id: A3", "id: A1"}, "t/mini-1.yaml:35", `duplicate standard id "A1" (first defined at line 24)`},
		{"duplicate area id", "mini-2.yaml", []string{"id: B\n", "id: A\n"}, "t/mini-2.yaml:44", `duplicate area id "A"`},
		{"duplicate mapping key", "mini-1.yaml", []string{"title: Mini framework", "title: Mini framework\ntitle: Again"}, "t/mini-1.yaml:5", `mapping key "title" already defined at line 4`},
		{"empty statement", "mini-1.yaml", []string{"statement: Statement A2.", "statement: \"  \""}, "t/mini-1.yaml:30", "statement is required"},
		{"missing guidance", "mini-1.yaml", []string{"        guidance: Guidance A3.\n", ""}, "t/mini-1.yaml:35", "guidance is required"},
		{"no evidence examples", "mini-1.yaml", []string{"        evidence_examples:\n          - Evidence A3.\n", ""}, "t/mini-1.yaml:35", `standard "A3" needs at least one example of evidence`},
		{"unknown tag", "mini-1.yaml", []string{"tags: [ok9]", "tags: [dogs]"}, "t/mini-1.yaml:34", `tags "dogs" is not allowed`},
		{"scale gap", "mini-2.yaml", []string{"  - level: 2", "  - level: 3"}, "t/mini-2.yaml:8", "scale has a gap: level 2 is missing"},
		{"scale duplicate", "mini-2.yaml", []string{"  - level: 2", "  - level: 1"}, "t/mini-2.yaml:19", "duplicate scale level 1 (first defined at line 14)"},
		{"bad rag", "mini-1.yaml", []string{"rag: green", "rag: blue"}, "t/mini-1.yaml:17", `rag "blue" is not allowed`},
		{"bad colour", "mini-1.yaml", []string{`colour: "#00703c"`, `colour: green`}, "t/mini-1.yaml:18", `colour "green" is not a valid colour`},
		{"bad status", "mini-1.yaml", []string{"status: released", "status: final"}, "t/mini-1.yaml:6", `status "final" is not allowed`},
		{"bad key", "mini-1.yaml", []string{"key: mini", "key: Mini Framework"}, "t/mini-1.yaml:2", `key "Mini Framework" is not a valid key`},
		{"missing kind", "mini-1.yaml", []string{"kind: framework\n", ""}, "t/mini-1.yaml:1", "missing kind"},
		{"unknown kind", "mini-1.yaml", []string{"kind: framework", "kind: standard"}, "t/mini-1.yaml:1", `unknown kind "standard"`},
		{"syntax error", "mini-1.yaml", []string{"title: Area A", "title: [Area A"}, "t/mini-1.yaml:21", "did not find expected"},
		{"alias", "mini-1.yaml", []string{"summary: The first area.", "summary: &s The first area.\n    notes: *s"}, "t/mini-1.yaml:23", "YAML alias *s is not allowed"},
		{"two documents", "mini-1.yaml", []string{"kind: framework", "kind: framework\n---\nkind: framework"}, "t/mini-1.yaml:3", "one YAML document"},
		{"dangling crosswalk standard", "crosswalk.yaml", []string{"to: [A-03]", "to: [A-09]"}, "t/crosswalk.yaml:16", `standard "A-09" does not exist in mini 2`},
		{"dangling crosswalk edition", "crosswalk.yaml", []string{`from: {key: mini, version: "1"}`, `from: {key: mini, version: "0"}`}, "t/crosswalk.yaml:6", "framework mini 0, which is not loaded"},
		{"old standard dropped", "crosswalk.yaml", []string{"  - relation: retired\n    from: [A2]\n", ""}, "t/crosswalk.yaml:8", `standard "A2" of mini 1 is not mapped`},
		{"new standard unaccounted", "crosswalk.yaml", []string{"  - relation: new\n    to: [B-01]\n", ""}, "t/crosswalk.yaml:8", `standard "B-01" of mini 2 is not mapped`},
		{"standard mapped twice", "crosswalk.yaml", []string{"from: [A3]", "from: [A1]"}, "t/crosswalk.yaml:15", `standard "A1" of mini 1 is mapped more than once (first at line 10)`},
		{"relation shape", "crosswalk.yaml", []string{"to: [A-01, A-02]", "to: [A-01]"}, "t/crosswalk.yaml:9", `a "split" mapping needs one from and two or more to`},
		{"unknown relation", "crosswalk.yaml", []string{"relation: equal", "relation: same"}, "t/crosswalk.yaml:14", `relation "same" is not allowed`},
		{"missing grid cell", "risk.yaml", []string{"bands: [low, high, high]", "bands: [low, high]"}, "t/risk.yaml:22", "missing cell: likelihood 2 x severity 3 has no band"},
		{"extra grid cell", "risk.yaml", []string{"bands: [high, high, high]", "bands: [high, high, high, high]"}, "t/risk.yaml:24", "extra cell: likelihood 3 has a band for severity 4"},
		{"missing grid row", "risk.yaml", []string{"  - likelihood: 3\n    bands: [high, high, high]\n", ""}, "t/risk.yaml:18", "missing grid row: scores for likelihood 3"},
		{"extra grid row", "risk.yaml", []string{"  - likelihood: 3\n", "  - likelihood: 4\n"}, "t/risk.yaml:23", "extra grid row: likelihood 4"},
		{"undefined band in grid", "risk.yaml", []string{"bands: [low, low, high]", "bands: [low, low, severe]"}, "t/risk.yaml:20", `band "severe" is not defined`},
		{"band never used", "risk.yaml", []string{"bands: [low, low, high]\n  - likelihood: 2\n    bands: [low, high, high]\n  - likelihood: 3\n    bands: [high, high, high]", "bands: [low, low, low]\n  - likelihood: 2\n    bands: [low, low, low]\n  - likelihood: 3\n    bands: [low, low, low]"}, "t/risk.yaml:17", `band "high" is never used`},
		{"band falls as severity rises", "risk.yaml", []string{"bands: [low, high, high]", "bands: [low, high, low]"}, "t/risk.yaml:21", "band falls as severity rises: likelihood 2 x severity 3"},
		{"likelihood scale gap", "risk.yaml", []string{"{level: 3, label: Likely", "{level: 4, label: Likely"}, "t/risk.yaml:10", "expected 3 here, found 4"},
		{"dangling hazard in role", "risk.yaml", []string{"hazard: H1", "hazard: H9"}, "t/risk.yaml:38", `hazard "H9" is not in the hazard catalogue`},
		{"dangling control in role", "risk.yaml", []string{"recommended_controls: [C1, C2]", "recommended_controls: [C1, C7]"}, "t/risk.yaml:39", `control "C7" is not in the control catalogue`},
		{"rating off scale", "risk.yaml", []string{"likelihood: 3, severity: 2}", "likelihood: 3, severity: 6}"}, "t/risk.yaml:38", "severity 6 is not on the severity scale (1 to 3)"},
		{"duplicate control id", "risk.yaml", []string{"{id: C2,", "{id: C1,"}, "t/risk.yaml:30", `duplicate control id "C1"`},
		{"control without effect", "risk.yaml", []string{"likelihood_reduction: 1, severity_reduction: 0", "likelihood_reduction: 0, severity_reduction: 0"}, "t/risk.yaml:29", `control "C1" reduces neither`},
		{"bad sector", "risk.yaml", []string{"sectors: [police]", "sectors: [navy]"}, "t/risk.yaml:34", `sectors "navy" is not allowed`},
		{"bad interval", "risk.yaml", []string{"review_interval_days: 90", "review_interval_days: 0"}, "t/risk.yaml:17", "review_interval_days must be at least 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, problems, err := loadTest(testdataFS(t, tc.file, tc.replace...))
			if err == nil {
				t.Fatal("loaded a bad file without complaint")
			}
			for _, p := range problems {
				if strings.HasPrefix(p.String(), tc.wantAt) && strings.Contains(p.Message, tc.wantText) {
					return
				}
			}
			t.Fatalf("want a problem at %s containing %q; got:\n%v", tc.wantAt, tc.wantText, err)
		})
	}
}

func TestAllProblemsReportedInOneRun(t *testing.T) {
	_, problems, _ := loadTest(testdataFS(t, "mini-1.yaml",
		"        guidance: Guidance A2.", "        guidance: Guidance A2.\n        colour: blue",
		"id: A3", "id: A1",
		"rag: green", "rag: blue"))
	if len(problems) < 3 {
		t.Fatalf("want every problem at once, got %d: %v", len(problems), problems)
	}
}

func TestOversizedFileRejected(t *testing.T) {
	fsys := testdataFS(t, "")
	fsys["big.yaml"] = &fstest.MapFile{Data: []byte("kind: framework\nnotice: " + strings.Repeat("x", MaxFileBytes) + "\n")}
	_, problems, _ := loadTest(fsys)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "larger than") || problems[0].File != "t/big.yaml" {
		t.Fatalf("problems = %v", problems)
	}
}

func TestAliasBombRejectedQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString("kind: framework\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	fsys := testdataFS(t, "")
	fsys["bomb.yaml"] = &fstest.MapFile{Data: []byte(b.String())}
	_, problems, _ := loadTest(fsys)
	if len(problems) == 0 || !strings.Contains(problems[0].Message, "alias") {
		t.Fatalf("problems = %v", problems)
	}
}

func TestSameEditionWithDifferentContentRejected(t *testing.T) {
	a := testdataFS(t, "")
	b := fstest.MapFS{"mini-1.yaml": &fstest.MapFile{Data: []byte(strings.Replace(string(a["mini-1.yaml"].Data), "Statement A1.", "Changed.", 1))}}
	_, err := LoadSources(Source{Name: "a", FS: a}, Source{Name: "b", FS: b})
	if err == nil || !strings.Contains(err.Error(), "b/mini-1.yaml:3: mini 1 is already defined in a/mini-1.yaml with different content") {
		t.Fatalf("err = %v", err)
	}
	// An identical copy is harmless.
	b["mini-1.yaml"] = a["mini-1.yaml"]
	if _, err := LoadSources(Source{Name: "a", FS: a}, Source{Name: "b", FS: b}); err != nil {
		t.Fatal(err)
	}
}

func TestEmptyFileRejected(t *testing.T) {
	fsys := testdataFS(t, "")
	fsys["empty.yaml"] = &fstest.MapFile{Data: []byte("# nothing here\n")}
	_, problems, _ := loadTest(fsys)
	if len(problems) != 1 || problems[0].String() != "t/empty.yaml:1: file is empty" {
		t.Fatalf("problems = %v", problems)
	}
}

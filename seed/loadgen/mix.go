package loadgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Step is one thing a person does between pauses. Some steps take two
// requests (read a form, then send it); each request is reported as its own
// action.
type Step string

// The steps of the mix.
const (
	StepHome         Step = "home"          // GET / (the task list)
	StepAssessments  Step = "assessments"   // GET /assessments
	StepAssessment   Step = "assessment"    // GET /assessments/{id}
	StepSave         Step = "save"          // GET the standard's form, POST an answer
	StepBenchmark    Step = "benchmark"     // GET /reports/{cycle}/benchmark
	StepBenchmarkPDF Step = "benchmark.pdf" // GET /reports/{cycle}/benchmark.pdf
	StepGapWorkbook  Step = "gap.xlsx"      // GET /reports/{cycle}/gap-analysis.xlsx
	StepAPIList      Step = "api-list"      // GET /api/v1/assessments
	StepAPISave      Step = "api-save"      // GET /api/v1/assessments/{id}, PUT an answer
)

// The actions reported, in table order: one per request kind.
const (
	ActionSignInPage = "sign-in page"
	ActionSignIn     = "sign-in"
	ActionHome       = "home"
	ActionList       = "assessments"
	ActionAssessment = "assessment"
	ActionStandard   = "standard form"
	ActionSave       = "save"
	ActionBenchmark  = "benchmark"
	ActionPDF        = "benchmark.pdf"
	ActionWorkbook   = "gap-analysis.xlsx"
	ActionAPIList    = "api list"
	ActionAPIRead    = "api read"
	ActionAPISave    = "api save"
)

// ActionOrder is the order of the report's rows.
var ActionOrder = []string{ActionSignInPage, ActionSignIn, ActionHome, ActionList, ActionAssessment, ActionStandard, ActionSave,
	ActionBenchmark, ActionPDF, ActionWorkbook, ActionAPIList, ActionAPIRead, ActionAPISave}

// Weighted is a step and how often it comes up relative to the others.
type Weighted struct {
	Step   Step
	Weight int
}

// Mix is what people do and how often.
type Mix []Weighted

// DefaultMix leans on pages and saves, as a working day would, with the
// heavy downloads rarer.
var DefaultMix = Mix{
	{StepHome, 15},
	{StepAssessments, 5},
	{StepAssessment, 15},
	{StepSave, 20},
	{StepBenchmark, 10},
	{StepBenchmarkPDF, 3},
	{StepGapWorkbook, 3},
	{StepAPIList, 10},
	{StepAPISave, 7},
}

// writes reports whether a step changes answers.
func (s Step) writes() bool { return s == StepSave || s == StepAPISave }

// For is the mix for a role: viewers change nothing, so they do no saves.
func (m Mix) For(role string) Mix {
	var out Mix
	for _, w := range m {
		if w.Weight > 0 && (role != store.RoleViewer || !w.Step.writes()) {
			out = append(out, w)
		}
	}
	return out
}

// Pick chooses a step with probability in proportion to its weight. The
// mix must have a positive total weight.
func (m Mix) Pick(rng *rand.Rand) Step {
	total := 0
	for _, w := range m {
		total += w.Weight
	}
	n := rng.IntN(total)
	for _, w := range m {
		if n < w.Weight {
			return w.Step
		}
		n -= w.Weight
	}
	panic("unreachable")
}

// ParseMix reads a mix written as "home=15,save=20,...": the steps named
// and their weights, every other step left out. Empty means DefaultMix.
func ParseMix(text string) (Mix, error) {
	if strings.TrimSpace(text) == "" {
		return DefaultMix, nil
	}
	known := make([]string, len(DefaultMix))
	for i, w := range DefaultMix {
		known[i] = string(w.Step)
	}
	var mix Mix
	total := 0
	for item := range strings.SplitSeq(text, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(item), "=")
		step := Step(strings.TrimSpace(name))
		if !ok || !slices.Contains(known, string(step)) {
			return nil, fmt.Errorf("-mix: %q is not step=weight with a step among %s", item, strings.Join(known, ", "))
		}
		n, err := strconv.Atoi(strings.TrimSpace(weight))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("-mix: the weight of %s must be a whole number, 0 or more, not %q", step, weight)
		}
		if slices.ContainsFunc(mix, func(w Weighted) bool { return w.Step == step }) {
			return nil, fmt.Errorf("-mix: %s is given twice", step)
		}
		mix = append(mix, Weighted{step, n})
		total += n
	}
	if total == 0 {
		return nil, fmt.Errorf("-mix: the weights add up to 0")
	}
	return mix, nil
}

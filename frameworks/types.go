// Package frameworks loads and validates the versioned YAML that defines the
// Blue Light Wellbeing Framework editions, the crosswalks between them and the
// psychological risk model for high-risk roles. It imports nothing from the
// rest of the product.
package frameworks

// Kinds of framework file, named by the top-level `kind:` field.
const (
	KindFramework = "framework"
	KindCrosswalk = "crosswalk"
	KindRiskModel = "risk-model"
)

// Tags a standard may carry; later features use them to suggest evidence.
var StandardTags = []string{"ok9", "peer-support", "trauma-support", "psychological-screening"}

// RAG ratings a maturity level or risk band maps to.
var RAGValues = []string{"red", "amber", "green"}

// Framework is one edition of the Blue Light Wellbeing Framework.
type Framework struct {
	Kind    string  `yaml:"kind" json:"-"`
	Key     string  `yaml:"key" json:"key"`
	Version string  `yaml:"version" json:"version"`
	Title   string  `yaml:"title" json:"title"`
	Edition string  `yaml:"edition" json:"edition"`
	Status  string  `yaml:"status" json:"status"` // draft or released
	Notice  string  `yaml:"notice" json:"notice"`
	Scale   []Level `yaml:"scale" json:"scale"`
	Areas   []Area  `yaml:"areas" json:"areas"`
}

// Level is one step of the maturity scale.
type Level struct {
	Level      int    `yaml:"level" json:"level"`
	Label      string `yaml:"label" json:"label"`
	Descriptor string `yaml:"descriptor" json:"descriptor"`
	RAG        string `yaml:"rag" json:"rag"`
	Colour     string `yaml:"colour" json:"colour"` // #rrggbb
}

// Area groups standards, e.g. Leadership.
type Area struct {
	ID        string     `yaml:"id" json:"id"`
	Title     string     `yaml:"title" json:"title"`
	Summary   string     `yaml:"summary" json:"summary"`
	Standards []Standard `yaml:"standards" json:"standards"`
}

// Standard is one statement an organisation scores itself against.
type Standard struct {
	ID               string   `yaml:"id" json:"id"`
	Statement        string   `yaml:"statement" json:"statement"`
	Guidance         string   `yaml:"guidance" json:"guidance"`
	EvidenceExamples []string `yaml:"evidence_examples" json:"evidence_examples"`
	Tags             []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// Crosswalk maps the standards of one edition onto the next.
type Crosswalk struct {
	Kind     string          `yaml:"kind" json:"-"`
	Key      string          `yaml:"key" json:"key"`
	Version  string          `yaml:"version" json:"version"`
	Title    string          `yaml:"title" json:"title"`
	Status   string          `yaml:"status" json:"status"`
	Notice   string          `yaml:"notice,omitempty" json:"notice,omitempty"` // says whose wording this is
	From     EditionRef      `yaml:"from" json:"from"`
	To       EditionRef      `yaml:"to" json:"to"`
	Mappings []CrosswalkLink `yaml:"mappings" json:"mappings"`
	// A crosswalk between two risk model editions maps their hazards,
	// controls and roles instead of standards.
	Hazards  []CrosswalkLink `yaml:"hazards,omitempty" json:"hazards,omitempty"`
	Controls []CrosswalkLink `yaml:"controls,omitempty" json:"controls,omitempty"`
	Roles    []CrosswalkLink `yaml:"roles,omitempty" json:"roles,omitempty"`
}

// EditionRef names a framework edition by key and version.
type EditionRef struct {
	Key     string `yaml:"key" json:"key"`
	Version string `yaml:"version" json:"version"`
}

// Crosswalk relations.
const (
	RelEqual   = "equal"   // one old standard becomes one new standard
	RelSplit   = "split"   // one old standard becomes several new ones
	RelMerged  = "merged"  // several old standards become one new one
	RelNew     = "new"     // a new standard with no predecessor
	RelRetired = "retired" // an old standard with no successor
)

// CrosswalkLink is one row of a crosswalk.
type CrosswalkLink struct {
	Relation string   `yaml:"relation" json:"relation"`
	From     []string `yaml:"from,omitempty" json:"from,omitempty"`
	To       []string `yaml:"to,omitempty" json:"to,omitempty"`
	Note     string   `yaml:"note,omitempty" json:"note,omitempty"`
}

// RiskModel is the psychological risk model for high-risk roles.
type RiskModel struct {
	Kind    string `yaml:"kind" json:"-"`
	Key     string `yaml:"key" json:"key"`
	Version string `yaml:"version" json:"version"`
	Title   string `yaml:"title" json:"title"`
	Status  string `yaml:"status" json:"status"`
	Notice  string `yaml:"notice" json:"notice"`
	// Format 2 models name the hazards each control acts on, the screening
	// cadence of every role in a screening programme, each role's trauma
	// group and each hazard's sectors; format 1 (2026.1) did none of these.
	Format     int         `yaml:"format,omitempty" json:"format,omitempty"`
	Likelihood []RiskLevel `yaml:"likelihood" json:"likelihood"`
	Severity   []RiskLevel `yaml:"severity" json:"severity"`
	Bands      []Band      `yaml:"bands" json:"bands"`
	Grid       []GridRow   `yaml:"grid" json:"grid"`
	Hazards    []Hazard    `yaml:"hazards" json:"hazards"`
	Controls   []Control   `yaml:"controls" json:"controls"`
	Roles      []Role      `yaml:"roles" json:"roles"`
}

// RiskLevel is one step of the likelihood or severity scale (1..n).
type RiskLevel struct {
	Level      int    `yaml:"level" json:"level"`
	Label      string `yaml:"label" json:"label"`
	Descriptor string `yaml:"descriptor" json:"descriptor"`
}

// Band is a risk band such as "high", with the intervals it sets.
type Band struct {
	Key                   string `yaml:"key" json:"key"`
	Label                 string `yaml:"label" json:"label"`
	Rank                  int    `yaml:"rank" json:"rank"` // 1 = lowest
	RAG                   string `yaml:"rag" json:"rag"`
	Colour                string `yaml:"colour" json:"colour"`
	ReviewIntervalDays    int    `yaml:"review_interval_days" json:"review_interval_days"`
	ScreeningIntervalDays int    `yaml:"screening_interval_days" json:"screening_interval_days"`
	Action                string `yaml:"action" json:"action"`
}

// GridRow gives, for one likelihood level, the band of each severity level
// in order (severity 1 first).
type GridRow struct {
	Likelihood int      `yaml:"likelihood" json:"likelihood"`
	Bands      []string `yaml:"bands" json:"bands"`
}

// Hazard is a psychological hazard from the catalogue.
type Hazard struct {
	ID          string   `yaml:"id" json:"id"`
	Name        string   `yaml:"name" json:"name"`
	Category    string   `yaml:"category" json:"category"`
	Sectors     []string `yaml:"sectors,omitempty" json:"sectors,omitempty"`
	Description string   `yaml:"description" json:"description"`
	// Floor is the exposure no control removes: a role that must view abuse
	// imagery keeps its likelihood of exposure whatever the controls.
	Floor *Floor `yaml:"floor,omitempty" json:"floor,omitempty"`
}

// Floor is the lowest a hazard's residual rating can go on each axis
// (0: no floor on that axis).
type Floor struct {
	Likelihood int    `yaml:"likelihood,omitempty" json:"likelihood,omitempty"`
	Severity   int    `yaml:"severity,omitempty" json:"severity,omitempty"`
	Reason     string `yaml:"reason" json:"reason"`
}

// Axes a control acts on.
const (
	AxisLikelihood = "likelihood"
	AxisSeverity   = "severity"
)

// Mitigation is what a control does to one named hazard: it takes Amount
// levels off one axis.
type Mitigation struct {
	Hazard string `yaml:"hazard" json:"hazard"`
	Axis   string `yaml:"axis" json:"axis"`
	Amount int    `yaml:"amount" json:"amount"`
}

// Control is a control measure with the default reduction it gives.
type Control struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Type        string `yaml:"type" json:"type"`
	Description string `yaml:"description" json:"description"`
	// The 2026.1 edition gives one reduction against every hazard; later
	// editions name the hazards a control acts on (Mitigates) instead.
	LikelihoodReduction int          `yaml:"likelihood_reduction,omitempty" json:"likelihood_reduction,omitempty"`
	SeverityReduction   int          `yaml:"severity_reduction,omitempty" json:"severity_reduction,omitempty"`
	Mitigates           []Mitigation `yaml:"mitigates,omitempty" json:"mitigates,omitempty"`
}

// Role is a high-risk role with its typical hazards and recommended controls.
type Role struct {
	ID                  string       `yaml:"id" json:"id"`
	Name                string       `yaml:"name" json:"name"`
	Sectors             []string     `yaml:"sectors" json:"sectors"`
	Description         string       `yaml:"description" json:"description"`
	ScreeningProgramme  bool         `yaml:"screening_programme" json:"screening_programme"`
	Screening           *Screening   `yaml:"screening,omitempty" json:"screening,omitempty"`
	Group               string       `yaml:"group,omitempty" json:"group,omitempty"` // one of TraumaGroups
	Hazards             []RoleHazard `yaml:"hazards" json:"hazards"`
	RecommendedControls []string     `yaml:"recommended_controls" json:"recommended_controls"`
}

// Screening is what a role in a screening programme must have: the cohorts
// it screens and the longest time between periodic screenings.
type Screening struct {
	Cohorts        []string `yaml:"cohorts" json:"cohorts"`
	PeriodicMonths int      `yaml:"periodic_months" json:"periodic_months"`
}

// Screening cohorts: before deployment, periodic, and on referral.
const (
	CohortInitial  = "initial"
	CohortPeriodic = "periodic"
	CohortReferral = "referral"
)

// Cohorts lists the screening cohorts in the order people meet them.
var Cohorts = []string{CohortInitial, CohortPeriodic, CohortReferral}

// CohortLabels name the cohorts for people.
var CohortLabels = map[string]string{
	CohortInitial:  "Initial screening before deployment",
	CohortPeriodic: "Periodic screening",
	CohortReferral: "Referral screening",
}

// MaxPeriodicMonths is the longest periodic cadence a screening programme
// may set: at least once a year.
const MaxPeriodicMonths = 12

// The trauma guidance's three groups of roles (Responding to Trauma in
// Policing).
const (
	GroupFirstResponder = "first-responder"
	GroupSpecialist     = "specialist"
	GroupDisaster       = "disaster-response"
)

// TraumaGroups lists the groups in order.
var TraumaGroups = []string{GroupFirstResponder, GroupSpecialist, GroupDisaster}

// TraumaGroupLabels name the groups for people.
var TraumaGroupLabels = map[string]string{
	GroupFirstResponder: "First responder",
	GroupSpecialist:     "Specialist",
	GroupDisaster:       "Disaster management and response",
}

// RoleHazard is a hazard typical of a role with its baseline (inherent) rating.
type RoleHazard struct {
	Hazard     string `yaml:"hazard" json:"hazard"`
	Likelihood int    `yaml:"likelihood" json:"likelihood"`
	Severity   int    `yaml:"severity" json:"severity"`
}

// Sectors an organisation or role belongs to.
// "any" marks a hazard or role common to every sector.
var Sectors = []string{"police", "fire", "ambulance", "other", SectorAny}

// SectorAny applies to every sector.
const SectorAny = "any"

// Control types in the risk model.
var ControlTypes = []string{"eliminate", "reduce-exposure", "organisational", "support", "screening", "training"}

// Hazard categories in the risk model.
var HazardCategories = []string{"primary-trauma", "secondary-trauma", "organisational", "operational", "moral-injury"}

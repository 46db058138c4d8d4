package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ExportFormat names the layout of an export file. Import refuses any other,
// so a change to the layout is a new version here.
const ExportFormat = "bluelight-toolkit-export/1"

// ExportNotes are written into every export so that whoever holds the file
// knows what it is and what it leaves out.
var ExportNotes = []string{
	"One organisation's data from the Blue Light Wellbeing Toolkit, for backup and restore and for moving between databases (toolkit import FILE).",
	"It holds names and email addresses of people: keep it as securely as the database.",
	"People are exported without password hashes, sessions or API tokens. Imported people have no password: issue each a set-password link (toolkit user reset -email E -link).",
	"Mutual-aid requests and offers link two organisations and are not exported. Deployments of this organisation's dogs made through mutual aid are, naming the host organisation; import links it if it exists there.",
	"Records refer to each other by natural keys (slug, email, cycle name, role and version, call name, display name), never by database ids. Audit events are kept exactly as recorded, ids inside them included.",
	"Times are UTC, to the microsecond.",
}

// Export is the whole of one organisation's data. Every field is always
// written, and import requires every field.
type Export struct {
	Format          string                 `json:"format"`
	ExportedAt      time.Time              `json:"exported_at"`
	Notes           []string               `json:"notes"`
	Organisation    ExportOrganisation     `json:"organisation"`
	Workforce       []ExportWorkforce      `json:"workforce"`
	People          []ExportPerson         `json:"people"`
	Assessments     []ExportAssessment     `json:"assessments"`
	LocalRoles      []ExportLocalRole      `json:"local_roles"`
	RoleAssessments []ExportRoleAssessment `json:"role_assessments"`
	// RoleReviewDrafts are reviews saved part way, not signed off; absent
	// from files written before drafts, and when there are none.
	RoleReviewDrafts   []ExportRoleReviewDraft   `json:"role_review_drafts,omitempty"`
	OK9                ExportOK9                 `json:"ok9"`
	PeerSupportReturns []ExportPeerSupportReturn `json:"peer_support_returns"`
	// TraumaReturns are the quarterly TRiM and trauma support counts.
	TraumaReturns []ExportTraumaReturn `json:"trauma_returns"`
	// VanRequests are the organisation's requests for NPWS wellbeing vans
	// and what each delivered. Files written before the fleet have
	// VanVisits instead, imported as delivered requests.
	VanRequests []ExportVanRequest `json:"van_requests" strictjson:"optional"`
	VanVisits   []ExportVanVisit   `json:"van_visits,omitempty"`
	// BusinessCase is the organisation's own business case assumptions.
	BusinessCase []ExportAssumption `json:"business_case_assumptions"`
	Audit        []ExportAuditEvent `json:"audit"`
}

// ExportOrganisation is the organisation itself.
type ExportOrganisation struct {
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Sector    string    `json:"sector"`
	Nation    string    `json:"nation"`
	Region    string    `json:"region"`
	PeerGroup string    `json:"peer_group"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportWorkforce is one year's headcount.
type ExportWorkforce struct {
	Year       int `json:"year"`
	Officers   int `json:"officers"`
	Staff      int `json:"staff"`
	Volunteers int `json:"volunteers"`
}

// ExportPerson is an account, without anything that lets anyone sign in.
type ExportPerson struct {
	Email        string     `json:"email"`
	DisplayName  string     `json:"display_name"`
	Role         string     `json:"role"`
	Sections     []string   `json:"sections"`
	DisabledAt   *time.Time `json:"disabled_at"`
	LastSignInAt *time.Time `json:"last_sign_in_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// ExportCycle is the national cycle an assessment belongs to, enough to find
// it by name in another database or to open it there.
type ExportCycle struct {
	Name             string    `json:"name"`
	FrameworkKey     string    `json:"framework_key"`
	FrameworkVersion string    `json:"framework_version"`
	OpensOn          time.Time `json:"opens_on"`
	ClosesOn         time.Time `json:"closes_on"`
	Status           string    `json:"status"`
}

// ExportAssessment is one self-assessment with its answers and actions.
type ExportAssessment struct {
	Cycle                 ExportCycle      `json:"cycle"`
	FrameworkKey          string           `json:"framework_key"`
	FrameworkVersion      string           `json:"framework_version"`
	FrameworkSHA256       string           `json:"framework_sha256"`
	Status                string           `json:"status"`
	CarriedFromCycle      string           `json:"carried_from_cycle"` // "" when started blank
	SignedOffName         string           `json:"signed_off_name"`
	SignedOffRole         string           `json:"signed_off_role"`
	SignedOffAt           *time.Time       `json:"signed_off_at"`
	SubmittedAt           *time.Time       `json:"submitted_at"`
	ReturnedComment       string           `json:"returned_comment"`
	ValidatedAt           *time.Time       `json:"validated_at"`
	PeerReviewRequestedAt *time.Time       `json:"peer_review_requested_at"`
	CreatedAt             time.Time        `json:"created_at"`
	UpdatedAt             time.Time        `json:"updated_at"`
	Responses             []ExportResponse `json:"responses"`
	Actions               []ExportAction   `json:"actions"`
}

// ExportResponse is the answer to one standard.
type ExportResponse struct {
	StandardID     string    `json:"standard_id"`
	Level          *int      `json:"level"`
	Target         *int      `json:"target"`
	Evidence       string    `json:"evidence"`
	Links          string    `json:"links"`
	CarriedForward bool      `json:"carried_forward"`
	ReviewNote     string    `json:"review_note"`
	Version        int       `json:"version"`
	UpdatedBy      string    `json:"updated_by"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// ExportAction is an improvement action, in the order it was added.
type ExportAction struct {
	StandardID string     `json:"standard_id"`
	What       string     `json:"what"`
	Owner      string     `json:"owner"`
	DueOn      *time.Time `json:"due_on"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// ExportLocalRole is a role the organisation defined itself.
type ExportLocalRole struct {
	RoleID    string    `json:"role_id"`
	Name      string    `json:"name"`
	Hazards   []string  `json:"hazards"`
	Controls  []string  `json:"controls"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportRoleAssessment is one version of a role's risk assessment.
type ExportRoleAssessment struct {
	RoleID               string         `json:"role_id"`
	Version              int            `json:"version"`
	Current              bool           `json:"current"`
	Teams                string         `json:"teams"`
	ModelKey             string         `json:"model_key"`
	ModelVersion         string         `json:"model_version"`
	ModelSHA256          string         `json:"model_sha256"`
	Headcount            int            `json:"headcount"`
	ExposedHeadcount     int            `json:"exposed_headcount"`
	PeopleScreened       int            `json:"people_screened"`
	StructuredInterviews int            `json:"structured_interviews"`
	Referrals            int            `json:"referrals"`
	OverallBand          string         `json:"overall_band"`
	ReviewedOn           time.Time      `json:"reviewed_on"`
	NextReviewOn         time.Time      `json:"next_review_on"`
	NextScreeningOn      time.Time      `json:"next_screening_on"`
	SignedOffBy          string         `json:"signed_off_by"`
	CreatedBy            string         `json:"created_by"`
	CreatedAt            time.Time      `json:"created_at"`
	Hazards              []ExportHazard `json:"hazards"`
	// Cohorts are the screening counts per cohort (2027.1 onwards).
	Cohorts []ScreeningCohort `json:"cohorts"`
}

// ExportRoleReviewDraft is a role's review saved part way: the review as
// typed (the API's JSON of it), who saved it and when. A role assessment in
// role_assessments is signed off: signed_off_by names who signed it, and
// created_by and created_at the account and time.
type ExportRoleReviewDraft struct {
	RoleID       string          `json:"role_id"`
	ModelKey     string          `json:"model_key"`
	ModelVersion string          `json:"model_version"`
	Review       json.RawMessage `json:"review"`
	SavedBy      string          `json:"saved_by"`
	SavedAt      time.Time       `json:"saved_at"`
}

// ExportHazard is one hazard's ratings in a role assessment.
type ExportHazard struct {
	HazardID           string          `json:"hazard_id"`
	InherentLikelihood int             `json:"inherent_likelihood"`
	InherentSeverity   int             `json:"inherent_severity"`
	Rationale          string          `json:"rationale"`
	ResidualLikelihood int             `json:"residual_likelihood"`
	ResidualSeverity   int             `json:"residual_severity"`
	OverrideRationale  string          `json:"override_rationale"`
	Controls           []ExportControl `json:"controls"`
}

// ExportControl is a control against a hazard.
type ExportControl struct {
	ControlID           string     `json:"control_id"`
	LocalName           string     `json:"local_name"`
	Status              string     `json:"status"`
	Owner               string     `json:"owner"`
	DueOn               *time.Time `json:"due_on"`
	LikelihoodReduction int        `json:"likelihood_reduction"`
	SeverityReduction   int        `json:"severity_reduction"`
}

// ExportOK9 is the organisation's wellbeing dog scheme.
type ExportOK9 struct {
	Scheme      *ExportOK9Scheme      `json:"scheme"` // null when it has none
	Dogs        []ExportOK9Dog        `json:"dogs"`
	Handlers    []ExportOK9Handler    `json:"handlers"`
	Deployments []ExportOK9Deployment `json:"deployments"`
}

// ExportOK9Scheme is the scheme's contact and dates.
type ExportOK9Scheme struct {
	SPOC                     string     `json:"spoc"`
	SLASignedOn              *time.Time `json:"sla_signed_on"`
	SOPReviewedOn            *time.Time `json:"sop_reviewed_on"`
	RiskAssessmentReviewedOn *time.Time `json:"risk_assessment_reviewed_on"`
	InsuranceExpiresOn       *time.Time `json:"insurance_expires_on"`
	SPOCEmail                string     `json:"spoc_email"`
	WelfareScheme            string     `json:"welfare_scheme"`
	WelfareSchemeExpiresOn   *time.Time `json:"welfare_scheme_expires_on"`
	UpdatedAt                time.Time  `json:"updated_at"`
}

// ExportOK9Dog is one dog, known by its call name.
type ExportOK9Dog struct {
	CallName           string     `json:"call_name"`
	Status             string     `json:"status"`
	AssessmentPassedOn *time.Time `json:"assessment_passed_on"`
	NextWelfareCheckOn *time.Time `json:"next_welfare_check_on"`
	CreatedAt          time.Time  `json:"created_at"`
}

// ExportOK9Handler is one handler, known by display name, with the call
// names of their dogs.
type ExportOK9Handler struct {
	DisplayName            string     `json:"display_name"`
	PeerSupporterTrainedOn *time.Time `json:"peer_supporter_trained_on"`
	MHFATrainedOn          *time.Time `json:"mhfa_trained_on"`
	RefresherTrainedOn     *time.Time `json:"refresher_trained_on"`
	Status                 string     `json:"status"`
	SuitabilityAssessedOn  *time.Time `json:"suitability_assessed_on"`
	SuitabilityOutcome     string     `json:"suitability_outcome"`
	SupervisorAgreedOn     *time.Time `json:"supervisor_agreed_on"`
	ProtectedHoursMonth    int        `json:"protected_hours_month"`
	Dogs                   []string   `json:"dogs"`
	CreatedAt              time.Time  `json:"created_at"`
}

// ExportOK9Deployment is one deployment of the organisation's own dogs.
type ExportOK9Deployment struct {
	DeployedOn       time.Time `json:"deployed_on"`
	Kind             string    `json:"kind"`
	Handler          string    `json:"handler"`           // display name
	Dogs             []string  `json:"dogs"`              // call names
	HostOrganisation string    `json:"host_organisation"` // slug, for mutual aid; "" otherwise
	PeopleEngaged    int       `json:"people_engaged"`
	Minutes          int       `json:"minutes"`
	Notes            string    `json:"notes"`
	OverrideReason   string    `json:"override_reason"`
	// GateOverrideReason is a national admin's reason for going past a gate.
	GateOverrideReason string    `json:"gate_override_reason"`
	CreatedBy          string    `json:"created_by"`
	CreatedAt          time.Time `json:"created_at"`
}

// ExportTraumaReturn is one quarter's TRiM and trauma support counts.
type ExportTraumaReturn struct {
	Year                 int       `json:"year"`
	Quarter              int       `json:"quarter"`
	Incidents            int       `json:"incidents"`
	PlanningMeetings     int       `json:"planning_meetings"`
	RiskAssessments      int       `json:"risk_assessments"`
	Reviews              int       `json:"reviews"`
	Defusings            int       `json:"defusings"`
	Demobilisations      int       `json:"demobilisations"`
	ESTIMs               int       `json:"estims"`
	ReferralsOH          int       `json:"referrals_oh"`
	ReferralsPsych       int       `json:"referrals_psych"`
	PractitionersTrained int       `json:"practitioners_trained"`
	TeamLeadersTrained   int       `json:"team_leaders_trained"`
	ManagersTrained      int       `json:"managers_trained"`
	UpdatedBy            string    `json:"updated_by"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// ExportPeerSupportReturn is one year's peer support return.
type ExportPeerSupportReturn struct {
	Year                   int  `json:"year"`
	CoordinatorInPost      bool `json:"coordinator_in_post"`
	CoordinatorFullTime    bool `json:"coordinator_full_time"`
	OHClinicianTrained     bool `json:"oh_clinician_trained"`
	PeerSupporters         int  `json:"peer_supporters"`
	PeerChampions          int  `json:"peer_champions"`
	PeerCoordinators       int  `json:"peer_coordinators"`
	TrainedTrainers        int  `json:"trained_trainers"`
	DemobDefusingTrained   int  `json:"demob_defusing_trained"`
	TRiMPractitioners      int  `json:"trim_practitioners"`
	ESTIPLead              bool `json:"estip_lead"`
	SupervisionInPlace     bool `json:"supervision_in_place"`
	ConfidentialityInPlace bool `json:"confidentiality_in_place"`
	Contacts               int  `json:"contacts"`
	// Training and supervision: left out of files written before they
	// were asked, and when not recorded.
	WalkTheTalkAttended  *int      `json:"walk_the_talk_attended,omitempty"`
	TrainersDelivering   *int      `json:"trainers_delivering,omitempty"`
	DemobCoursePlaces    *int      `json:"demob_course_places,omitempty"`
	SupervisionSessions  *int      `json:"supervision_sessions,omitempty"`
	SupportersSupervised *int      `json:"supporters_supervised,omitempty"`
	UpdatedBy            string    `json:"updated_by"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// ExportVanRequest is one request for a wellbeing van. The van is named,
// as the fleet is national and its ids differ between installations.
type ExportVanRequest struct {
	Kind               string    `json:"kind"`
	StartsOn           time.Time `json:"starts_on"`
	EndsOn             time.Time `json:"ends_on"`
	Place              string    `json:"place"`
	ExpectedAttendance int       `json:"expected_attendance"`
	Contact            string    `json:"contact"`
	State              string    `json:"state"`
	Van                string    `json:"van,omitempty"`
	HealthChecks       int       `json:"health_checks"`
	FatigueAssessments int       `json:"fatigue_assessments"`
	TraumaSupport      int       `json:"trauma_support"`
	WellbeingAdvice    int       `json:"wellbeing_advice"`
	Referrals          int       `json:"referrals"`
	Partners           string    `json:"partners"`
	DeclineReason      string    `json:"decline_reason"`
	CreatedBy          string    `json:"created_by"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedBy          string    `json:"updated_by"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// ExportVanVisit is one wellbeing van visit as files written before the
// NPWS fleet recorded it; import reads it as a delivered request.
type ExportVanVisit struct {
	VisitedOn          time.Time `json:"visited_on"`
	Location           string    `json:"location"`
	HealthChecks       int       `json:"health_checks"`
	FatigueAssessments int       `json:"fatigue_assessments"`
	Referrals          int       `json:"referrals"`
	CreatedBy          string    `json:"created_by"`
	CreatedAt          time.Time `json:"created_at"`
}

// ExportAssumption is one of the organisation's own business case
// assumptions.
type ExportAssumption struct {
	Key       string    `json:"key"`
	Value     float64   `json:"value"`
	Source    string    `json:"source"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportAuditEvent is one record of the organisation's audit trail, as it
// was recorded. Actor is the email of the person who acted when they are
// among the exported people, and "" otherwise (a national admin, the
// command line, the system): ActorLabel still says who it was.
type ExportAuditEvent struct {
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	ActorLabel string    `json:"actor_label"`
	Action     string    `json:"action"`
	EntityType string    `json:"entity_type"`
	EntityID   string    `json:"entity_id"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
	RequestID  string    `json:"request_id"`
	IP         string    `json:"ip"`
}

// exportTime is how every time appears in an export: UTC, to the
// microsecond, so that SQLite and PostgreSQL give the same text.
func exportTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func exportTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := exportTime(*t)
	return &v
}

// nonNil keeps empty lists as [] in the file, never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ExportOrg reads everything of one organisation, found by slug,
// in one read-only transaction so that the export is a consistent snapshot.
// It is for operators (the command line): it is not scoped.
func (s *Store) ExportOrg(ctx context.Context, slug string) (Export, error) {
	var out Export
	var opts []*sql.TxOptions
	if s.dialect == DialectPostgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var o Organisation
		if err := tx.Where("slug = ?", slug).First(&o).Error; err != nil {
			return notFound(err, "organisation with the short name "+slug)
		}
		out = Export{Format: ExportFormat, ExportedAt: exportTime(s.now()), Notes: ExportNotes,
			Organisation: ExportOrganisation{Slug: o.Slug, Name: o.Name, Sector: o.Sector, Nation: o.Nation, Region: o.Region,
				PeerGroup: o.PeerGroup, CreatedAt: exportTime(o.CreatedAt), UpdatedAt: exportTime(o.UpdatedAt)}}
		x := exporter{tx: tx, org: o, out: &out}
		for _, step := range []func() error{x.workforce, x.people, x.assessments, x.roles, x.ok9, x.peerSupport, x.traumaReturns, x.vans, x.businessCase, x.audit} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}, opts...)
	return out, err
}

// exporter fills one export inside the export's transaction.
type exporter struct {
	tx     *gorm.DB
	org    Organisation
	out    *Export
	emails map[int64]string // people of the organisation by id
}

func (x *exporter) workforce() error {
	var rows []Workforce
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("year").Find(&rows).Error; err != nil {
		return err
	}
	x.out.Workforce = []ExportWorkforce{}
	for _, w := range rows {
		x.out.Workforce = append(x.out.Workforce, ExportWorkforce{Year: w.Year, Officers: w.Officers, Staff: w.Staff, Volunteers: w.Volunteers})
	}
	return nil
}

func (x *exporter) people() error {
	var rows []User
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("email").Find(&rows).Error; err != nil {
		return err
	}
	x.emails = map[int64]string{}
	x.out.People = []ExportPerson{}
	for _, u := range rows {
		x.emails[u.ID] = u.Email
		x.out.People = append(x.out.People, ExportPerson{Email: u.Email, DisplayName: u.DisplayName, Role: u.Role, Sections: nonNil(u.Sections),
			DisabledAt: exportTimePtr(u.DisabledAt), LastSignInAt: exportTimePtr(u.LastSignInAt),
			CreatedAt: exportTime(u.CreatedAt), UpdatedAt: exportTime(u.UpdatedAt)})
	}
	return nil
}

func (x *exporter) assessments() error {
	var rows []Assessment
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Find(&rows).Error; err != nil {
		return err
	}
	cycles := map[int64]Cycle{}
	var cs []Cycle
	if err := x.tx.Where("id IN (?)", x.tx.Model(&Assessment{}).Select("cycle_id").Where("organisation_id = ?", x.org.ID)).Find(&cs).Error; err != nil {
		return err
	}
	for _, c := range cs {
		cycles[c.ID] = c
	}
	cycleOf := map[int64]string{} // assessment id to cycle name, for carried_from
	for _, as := range rows {
		cycleOf[as.ID] = cycles[as.CycleID].Name
	}
	x.out.Assessments = []ExportAssessment{}
	for _, as := range rows {
		c := cycles[as.CycleID]
		ea := ExportAssessment{
			Cycle: ExportCycle{Name: c.Name, FrameworkKey: c.FrameworkKey, FrameworkVersion: c.FrameworkVersion,
				OpensOn: exportTime(c.OpensOn), ClosesOn: exportTime(c.ClosesOn), Status: c.Status},
			FrameworkKey: as.FrameworkKey, FrameworkVersion: as.FrameworkVersion, FrameworkSHA256: as.FrameworkSHA256, Status: as.Status,
			SignedOffName: as.SignedOffName, SignedOffRole: as.SignedOffRole, SignedOffAt: exportTimePtr(as.SignedOffAt),
			SubmittedAt: exportTimePtr(as.SubmittedAt), ReturnedComment: as.ReturnedComment, ValidatedAt: exportTimePtr(as.ValidatedAt),
			PeerReviewRequestedAt: exportTimePtr(as.PeerReviewRequestedAt), CreatedAt: exportTime(as.CreatedAt), UpdatedAt: exportTime(as.UpdatedAt),
			Responses: []ExportResponse{}, Actions: []ExportAction{},
		}
		if as.CarriedFromID != nil {
			ea.CarriedFromCycle = cycleOf[*as.CarriedFromID]
		}
		var rs []Response
		if err := x.tx.Where("assessment_id = ?", as.ID).Order("standard_id").Find(&rs).Error; err != nil {
			return err
		}
		for _, r := range rs {
			ea.Responses = append(ea.Responses, ExportResponse{StandardID: r.StandardID, Level: r.Level, Target: r.Target, Evidence: r.Evidence,
				Links: r.Links, CarriedForward: r.CarriedForward, ReviewNote: r.ReviewNote, Version: r.Version, UpdatedBy: r.UpdatedBy,
				UpdatedAt: exportTime(r.UpdatedAt)})
		}
		var acts []Action
		// Actions have no natural key: the order they were added in is
		// kept, and import adds them in that order again.
		if err := x.tx.Where("assessment_id = ?", as.ID).Order("standard_id, created_at, id").Find(&acts).Error; err != nil {
			return err
		}
		for _, a := range acts {
			ea.Actions = append(ea.Actions, ExportAction{StandardID: a.StandardID, What: a.What, Owner: a.Owner, DueOn: exportTimePtr(a.DueOn),
				Status: a.Status, CreatedAt: exportTime(a.CreatedAt), UpdatedAt: exportTime(a.UpdatedAt)})
		}
		x.out.Assessments = append(x.out.Assessments, ea)
	}
	slices.SortFunc(x.out.Assessments, func(a, b ExportAssessment) int {
		return cmp.Or(a.Cycle.OpensOn.Compare(b.Cycle.OpensOn), cmp.Compare(a.Cycle.Name, b.Cycle.Name))
	})
	return nil
}

func (x *exporter) roles() error {
	var locals []LocalRole
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("role_id").Find(&locals).Error; err != nil {
		return err
	}
	x.out.LocalRoles = []ExportLocalRole{}
	for _, r := range locals {
		x.out.LocalRoles = append(x.out.LocalRoles, ExportLocalRole{RoleID: r.RoleID, Name: r.Name, Hazards: nonNil(r.Hazards),
			Controls: nonNil(r.Controls), CreatedAt: exportTime(r.CreatedAt)})
	}
	var ras []RoleAssessment
	err := x.tx.Where("organisation_id = ?", x.org.ID).
		Preload("Hazards", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Hazards.Controls", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Cohorts", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Order("role_id, version").Find(&ras).Error
	if err != nil {
		return err
	}
	x.out.RoleAssessments = []ExportRoleAssessment{}
	for _, ra := range ras {
		e := ExportRoleAssessment{RoleID: ra.RoleID, Version: ra.Version, Current: ra.Current, Teams: ra.Teams,
			ModelKey: ra.ModelKey, ModelVersion: ra.ModelVersion, ModelSHA256: ra.ModelSHA256,
			Headcount: ra.Headcount, ExposedHeadcount: ra.ExposedHeadcount, PeopleScreened: ra.PeopleScreened,
			StructuredInterviews: ra.StructuredInterviews, Referrals: ra.Referrals, OverallBand: ra.OverallBand,
			ReviewedOn: exportTime(ra.ReviewedOn), NextReviewOn: exportTime(ra.NextReviewOn), NextScreeningOn: exportTime(ra.NextScreeningOn),
			SignedOffBy: ra.SignedOffBy, CreatedBy: ra.CreatedBy, CreatedAt: exportTime(ra.CreatedAt), Hazards: []ExportHazard{}, Cohorts: []ScreeningCohort{}}
		for _, co := range ra.Cohorts {
			co.ID, co.RoleAssessmentID = 0, 0
			co.LastScreenedOn, co.DueOn = exportTimePtr(co.LastScreenedOn), exportTimePtr(co.DueOn)
			e.Cohorts = append(e.Cohorts, co)
		}
		// Hazards and controls keep the order they were rated in, which
		// import repeats.
		for _, h := range ra.Hazards {
			eh := ExportHazard{HazardID: h.HazardID, InherentLikelihood: h.InherentL, InherentSeverity: h.InherentS, Rationale: h.Rationale,
				ResidualLikelihood: h.ResidualL, ResidualSeverity: h.ResidualS, OverrideRationale: h.OverrideRationale, Controls: []ExportControl{}}
			for _, c := range h.Controls {
				eh.Controls = append(eh.Controls, ExportControl{ControlID: c.ControlID, LocalName: c.LocalName, Status: c.Status, Owner: c.Owner,
					DueOn: exportTimePtr(c.DueOn), LikelihoodReduction: c.LikelihoodReduction, SeverityReduction: c.SeverityReduction})
			}
			e.Hazards = append(e.Hazards, eh)
		}
		x.out.RoleAssessments = append(x.out.RoleAssessments, e)
	}
	var drafts []RoleReviewDraft
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("role_id").Find(&drafts).Error; err != nil {
		return err
	}
	for _, d := range drafts {
		x.out.RoleReviewDrafts = append(x.out.RoleReviewDrafts, ExportRoleReviewDraft{RoleID: d.RoleID, ModelKey: d.ModelKey,
			ModelVersion: d.ModelVersion, Review: json.RawMessage(d.Review), SavedBy: d.SavedBy, SavedAt: exportTime(d.SavedAt)})
	}
	return nil
}

func (x *exporter) ok9() error {
	x.out.OK9 = ExportOK9{Dogs: []ExportOK9Dog{}, Handlers: []ExportOK9Handler{}, Deployments: []ExportOK9Deployment{}}
	var schemes []OK9Scheme
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Find(&schemes).Error; err != nil {
		return err
	}
	if len(schemes) > 0 {
		sch := schemes[0]
		x.out.OK9.Scheme = &ExportOK9Scheme{SPOC: sch.SPOC, SLASignedOn: exportTimePtr(sch.SLASignedOn), SOPReviewedOn: exportTimePtr(sch.SOPReviewedOn),
			RiskAssessmentReviewedOn: exportTimePtr(sch.RiskAssessmentReviewedOn), InsuranceExpiresOn: exportTimePtr(sch.InsuranceExpiresOn),
			SPOCEmail: sch.SPOCEmail, WelfareScheme: sch.WelfareScheme, WelfareSchemeExpiresOn: exportTimePtr(sch.WelfareSchemeExpiresOn),
			UpdatedAt: exportTime(sch.UpdatedAt)}
	}
	var dogs []OK9Dog
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("call_name").Find(&dogs).Error; err != nil {
		return err
	}
	dogName := map[int64]string{}
	for _, d := range dogs {
		dogName[d.ID] = d.CallName
		x.out.OK9.Dogs = append(x.out.OK9.Dogs, ExportOK9Dog{CallName: d.CallName, Status: d.Status, AssessmentPassedOn: exportTimePtr(d.AssessmentPassedOn),
			NextWelfareCheckOn: exportTimePtr(d.NextWelfareCheckOn), CreatedAt: exportTime(d.CreatedAt)})
	}
	names := func(ids []int64) []string {
		out := []string{}
		for _, id := range ids {
			if n, ok := dogName[id]; ok {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	var handlers []OK9Handler
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("display_name").Find(&handlers).Error; err != nil {
		return err
	}
	handlerName := map[int64]string{}
	for _, h := range handlers {
		handlerName[h.ID] = h.DisplayName
		x.out.OK9.Handlers = append(x.out.OK9.Handlers, ExportOK9Handler{DisplayName: h.DisplayName,
			PeerSupporterTrainedOn: exportTimePtr(h.PeerSupporterTrainedOn), MHFATrainedOn: exportTimePtr(h.MHFATrainedOn),
			RefresherTrainedOn: exportTimePtr(h.RefresherTrainedOn), Status: h.Status, SuitabilityAssessedOn: exportTimePtr(h.SuitabilityAssessedOn),
			SuitabilityOutcome: h.SuitabilityOutcome, SupervisorAgreedOn: exportTimePtr(h.SupervisorAgreedOn), ProtectedHoursMonth: h.ProtectedHoursMonth,
			Dogs: names(h.DogIDs), CreatedAt: exportTime(h.CreatedAt)})
	}
	var deps []OK9Deployment
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("deployed_on, created_at, id").Find(&deps).Error; err != nil {
		return err
	}
	var hosts []Organisation
	if err := x.tx.Select("id", "slug").Where("id IN (?)", x.tx.Model(&OK9Deployment{}).Select("host_organisation_id").
		Where("organisation_id = ? AND host_organisation_id IS NOT NULL", x.org.ID)).Find(&hosts).Error; err != nil {
		return err
	}
	hostSlug := map[int64]string{}
	for _, h := range hosts {
		hostSlug[h.ID] = h.Slug
	}
	for _, d := range deps {
		e := ExportOK9Deployment{DeployedOn: exportTime(d.DeployedOn), Kind: d.Kind, Handler: handlerName[d.HandlerID], Dogs: names(d.DogIDs),
			PeopleEngaged: d.PeopleEngaged, Minutes: d.Minutes, Notes: d.Notes, OverrideReason: d.OverrideReason, GateOverrideReason: d.GateOverrideReason,
			CreatedBy: d.CreatedBy, CreatedAt: exportTime(d.CreatedAt)}
		if d.HostOrganisationID != nil {
			e.HostOrganisation = hostSlug[*d.HostOrganisationID]
		}
		x.out.OK9.Deployments = append(x.out.OK9.Deployments, e)
	}
	return nil
}

func (x *exporter) peerSupport() error {
	var rows []PeerSupportReturn
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("year").Find(&rows).Error; err != nil {
		return err
	}
	x.out.PeerSupportReturns = []ExportPeerSupportReturn{}
	for _, r := range rows {
		x.out.PeerSupportReturns = append(x.out.PeerSupportReturns, ExportPeerSupportReturn{Year: r.Year,
			CoordinatorInPost: r.CoordinatorInPost, CoordinatorFullTime: r.CoordinatorFullTime, OHClinicianTrained: r.OHClinicianTrained,
			PeerSupporters: r.PeerSupporters, PeerChampions: r.PeerChampions, PeerCoordinators: r.PeerCoordinators,
			TrainedTrainers: r.TrainedTrainers, DemobDefusingTrained: r.DemobDefusingTrained, TRiMPractitioners: r.TRiMPractitioners,
			ESTIPLead: r.ESTIPLead, SupervisionInPlace: r.SupervisionInPlace, ConfidentialityInPlace: r.ConfidentialityInPlace,
			Contacts: r.Contacts, WalkTheTalkAttended: r.WalkTheTalkAttended, TrainersDelivering: r.TrainersDelivering,
			DemobCoursePlaces: r.DemobCoursePlaces, SupervisionSessions: r.SupervisionSessions, SupportersSupervised: r.SupportersSupervised,
			UpdatedBy: r.UpdatedBy, UpdatedAt: exportTime(r.UpdatedAt)})
	}
	return nil
}

func (x *exporter) traumaReturns() error {
	var rows []TraumaReturn
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("year, quarter").Find(&rows).Error; err != nil {
		return err
	}
	x.out.TraumaReturns = []ExportTraumaReturn{}
	for _, r := range rows {
		x.out.TraumaReturns = append(x.out.TraumaReturns, ExportTraumaReturn{Year: r.Year, Quarter: r.Quarter, Incidents: r.Incidents,
			PlanningMeetings: r.PlanningMeetings, RiskAssessments: r.RiskAssessments, Reviews: r.Reviews, Defusings: r.Defusings,
			Demobilisations: r.Demobilisations, ESTIMs: r.ESTIMs, ReferralsOH: r.ReferralsOH, ReferralsPsych: r.ReferralsPsych,
			PractitionersTrained: r.PractitionersTrained, TeamLeadersTrained: r.TeamLeadersTrained, ManagersTrained: r.ManagersTrained,
			UpdatedBy: r.UpdatedBy, UpdatedAt: exportTime(r.UpdatedAt)})
	}
	return nil
}

func (x *exporter) vans() error {
	var rows []VanRequest
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("starts_on, created_at, id").Find(&rows).Error; err != nil {
		return err
	}
	var fleet []Van
	if err := x.tx.Find(&fleet).Error; err != nil {
		return err
	}
	names := map[int64]string{}
	for _, v := range fleet {
		names[v.ID] = v.Name
	}
	x.out.VanRequests = []ExportVanRequest{}
	for _, r := range rows {
		e := ExportVanRequest{Kind: r.Kind, StartsOn: exportTime(r.StartsOn), EndsOn: exportTime(r.EndsOn), Place: r.Place,
			ExpectedAttendance: r.ExpectedAttendance, Contact: r.Contact, State: r.State,
			HealthChecks: r.HealthChecks, FatigueAssessments: r.FatigueAssessments, TraumaSupport: r.TraumaSupport,
			WellbeingAdvice: r.WellbeingAdvice, Referrals: r.Referrals, Partners: r.Partners, DeclineReason: r.DeclineReason,
			CreatedBy: r.CreatedBy, CreatedAt: exportTime(r.CreatedAt), UpdatedBy: r.UpdatedBy, UpdatedAt: exportTime(r.UpdatedAt)}
		if r.VanID != nil {
			e.Van = names[*r.VanID]
		}
		x.out.VanRequests = append(x.out.VanRequests, e)
	}
	return nil
}

func (x *exporter) businessCase() error {
	var rows []AssumptionOverride
	if err := x.tx.Where("organisation_id = ?", x.org.ID).Order("key").Find(&rows).Error; err != nil {
		return err
	}
	x.out.BusinessCase = []ExportAssumption{}
	for _, r := range rows {
		x.out.BusinessCase = append(x.out.BusinessCase, ExportAssumption{Key: r.Key, Value: r.Value, Source: r.Source,
			UpdatedBy: r.UpdatedBy, UpdatedAt: exportTime(r.UpdatedAt)})
	}
	return nil
}

func (x *exporter) audit() error {
	x.out.Audit = []ExportAuditEvent{}
	rows, err := x.tx.Model(&AuditEvent{}).Where("organisation_id = ?", x.org.ID).Order("at, id").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev AuditEvent
		if err := x.tx.ScanRows(rows, &ev); err != nil {
			return err
		}
		e := ExportAuditEvent{At: exportTime(ev.At), ActorLabel: ev.ActorLabel, Action: ev.Action, EntityType: ev.EntityType,
			EntityID: ev.EntityID, Before: ev.Before, After: ev.After, RequestID: ev.RequestID, IP: ev.IP}
		if ev.ActorUserID != nil {
			e.Actor = x.emails[*ev.ActorUserID]
		}
		x.out.Audit = append(x.out.Audit, e)
	}
	return rows.Err()
}

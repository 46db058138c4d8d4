package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/strictjson"
)

// MaxImportBytes bounds an export file read for import. The largest
// organisation's export is a few megabytes; the bound is far above that and
// still keeps a mistaken or hostile file from exhausting memory.
const MaxImportBytes = 256 << 20

// DecodeExport reads an export file strictly: unknown fields, missing
// fields, wrong types and anything after the end are refused with a
// message naming the place in the file, like assessments[2].responses[5].level.
func DecodeExport(r io.Reader) (Export, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return Export{}, err
	}
	if len(data) > MaxImportBytes {
		return Export{}, apperr.Errorf(apperr.EINVALID, "The file is larger than %d MiB, which no export is", MaxImportBytes>>20)
	}
	var e Export
	if err := strictjson.DecodeComplete(data, &e); err != nil {
		return Export{}, exportProblem(err)
	}
	if e.Format != ExportFormat {
		return Export{}, invalidAt("format", "%q is not a format this version reads: it reads %q", e.Format, ExportFormat)
	}
	return e, nil
}

// exportProblem words a refusal of the strict decoder for the person
// importing the file.
func exportProblem(err error) error {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Kind {
	case strictjson.Empty, strictjson.CutShort:
		return apperr.Errorf(apperr.EINVALID, "The file ends before the export does: it may have been cut short")
	case strictjson.Syntax:
		if se.Line == 0 {
			return apperr.Errorf(apperr.EINVALID, "The file is not valid JSON: %s", se.Detail)
		}
		return apperr.Errorf(apperr.EINVALID, "The file is not valid JSON at line %d, column %d: %s", se.Line, se.Column, se.Detail)
	case strictjson.Trailing:
		return apperr.Errorf(apperr.EINVALID, "The file goes on after the end of the export: it must hold one JSON object")
	}
	return invalidAt(se.Path, "%s", se.Problem)
}

// invalidAt is a bad-input error that names its place in the file.
func invalidAt(path, format string, args ...any) error {
	if path == "" {
		path = "the file"
	}
	return apperr.Errorf(apperr.EINVALID, "%s: %s", path, fmt.Sprintf(format, args...))
}

// at puts a path in front of an application error's message, keeping its
// code; other errors (the database's) pass unchanged.
func at(path string, err error) error {
	var ae *apperr.Error
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	return apperr.Errorf(ae.Code, "%s: %s", path, ae.Message)
}

// ImportResult says what an import made and what it could not link.
type ImportResult struct {
	Organisation  Organisation
	People        int
	Assessments   int
	CyclesCreated []string
	Warnings      []string
}

// ImportOrg adds an organisation and all its data from an export, in one
// transaction: either all of it is imported or nothing is. The database
// must not already have an organisation with the same slug nor anyone with
// the same email. Imported people have no password. The audit trail is
// added as it was recorded, and the import itself is recorded as a national
// audit event, outside the organisation's trail, so that exporting the
// imported organisation gives back the same file.
func (s *Store) ImportOrg(ctx context.Context, a Actor, e Export) (ImportResult, error) {
	if e.Format != ExportFormat {
		return ImportResult{}, invalidAt("format", "%q is not a format this version reads: it reads %q", e.Format, ExportFormat)
	}
	var res ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		im := &importer{s: s, tx: tx, a: a, e: &e, res: &res, users: map[string]int64{}}
		for _, step := range []func() error{im.organisation, im.workforce, im.people, im.assessments, im.localRoles,
			im.roleAssessments, im.roleReviewDrafts, im.ok9, im.peerSupport, im.traumaReturns, im.vans, im.businessCase, im.audit} {
			if err := step(); err != nil {
				return err
			}
		}
		return s.audit(tx, a, nil, "organisation.import", "organisation", itoa(res.Organisation.ID), nil, map[string]any{
			"slug": res.Organisation.Slug, "exported_at": e.ExportedAt, "people": res.People, "assessments": res.Assessments,
			"audit_events": len(e.Audit), "cycles_created": res.CyclesCreated, "warnings": res.Warnings,
		})
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// importer adds one export inside the import's transaction.
type importer struct {
	s     *Store
	tx    *gorm.DB
	a     Actor
	e     *Export
	res   *ImportResult
	orgID int64
	users map[string]int64 // imported people by email
}

func (im *importer) organisation() error {
	eo := im.e.Organisation
	o := Organisation{Slug: eo.Slug, Name: eo.Name, Sector: eo.Sector, Nation: eo.Nation, Region: eo.Region, PeerGroup: eo.PeerGroup,
		CreatedAt: dbTime(eo.CreatedAt), UpdatedAt: dbTime(eo.UpdatedAt)}
	if err := validateOrganisation(&o); err != nil {
		return at("organisation", err)
	}
	var n int64
	if err := im.tx.Model(&Organisation{}).Where("slug = ?", o.Slug).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.Errorf(apperr.ECONFLICT, "organisation.slug: this database already has an organisation with the short name %q: "+
			"import it only into a database without it", o.Slug)
	}
	if err := im.tx.Create(&o).Error; err != nil {
		return at("organisation.slug", slugTaken(err, o.Slug))
	}
	im.orgID, im.res.Organisation = o.ID, o
	return nil
}

func (im *importer) workforce() error {
	seen := map[int]bool{}
	rows := make([]Workforce, 0, len(im.e.Workforce))
	for i, w := range im.e.Workforce {
		path := fmt.Sprintf("workforce[%d]", i)
		switch {
		case w.Year < 2000 || w.Year > 2100:
			return invalidAt(path+".year", "must be between 2000 and 2100")
		case seen[w.Year]:
			return invalidAt(path+".year", "%d is listed twice", w.Year)
		case w.Officers < 0 || w.Staff < 0 || w.Volunteers < 0:
			return invalidAt(path, "workforce figures cannot be negative")
		}
		seen[w.Year] = true
		rows = append(rows, Workforce{OrganisationID: im.orgID, Year: w.Year, Officers: w.Officers, Staff: w.Staff, Volunteers: w.Volunteers})
	}
	return createAll(im.tx, rows)
}

// createAll inserts rows in their order, in batches.
func createAll[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 200).Error
}

func (im *importer) people() error {
	emails := make([]string, 0, len(im.e.People))
	for _, p := range im.e.People {
		emails = append(emails, normaliseEmail(p.Email))
	}
	var taken []User
	if err := im.tx.Select("email").Where("email IN ?", append(emails, "")).Find(&taken).Error; err != nil {
		return err
	}
	for i, email := range emails {
		if slices.ContainsFunc(taken, func(u User) bool { return u.Email == email }) {
			return apperr.Errorf(apperr.ECONFLICT, "people[%d].email: someone with the email address %s already has an account in this database", i, email)
		}
	}
	for i, p := range im.e.People {
		path := fmt.Sprintf("people[%d]", i)
		if p.Role == RoleNationalAdmin {
			return invalidAt(path+".role", "national admins belong to no organisation and cannot be imported with one")
		}
		orgID := im.orgID
		u := User{OrganisationID: &orgID, Email: p.Email, DisplayName: p.DisplayName, Role: p.Role, Sections: nonNil(p.Sections),
			DisabledAt: dbTimePtr(p.DisabledAt), LastSignInAt: dbTimePtr(p.LastSignInAt), CreatedAt: dbTime(p.CreatedAt), UpdatedAt: dbTime(p.UpdatedAt)}
		if err := validateUser(&u, AllOrganisations()); err != nil {
			return at(path, err)
		}
		if _, dup := im.users[u.Email]; dup {
			return invalidAt(path+".email", "%s is listed twice", u.Email)
		}
		if err := im.tx.Create(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Errorf(apperr.ECONFLICT, "%s.email: someone with the email address %s already has an account in this database", path, u.Email)
			}
			return err
		}
		im.users[u.Email] = u.ID
	}
	im.res.People = len(im.e.People)
	return nil
}

func dbTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := dbTime(*t)
	return &v
}

// checkEdition holds records to the edition they were made under: this
// database must have loaded that key and version with the same content.
func (im *importer) checkEdition(path, kind, key, version, sha string) error {
	var eds []FrameworkEdition
	if err := im.tx.Where("kind = ? AND key = ? AND version = ?", kind, key, version).Find(&eds).Error; err != nil {
		return err
	}
	switch {
	case len(eds) == 0:
		return invalidAt(path, "%s %s %s is not loaded in this database: add its file to FRAMEWORKS_DIR and start the app once, then import again", kind, key, version)
	case eds[0].SHA256 != sha:
		return invalidAt(path, "%s %s %s here has sha256 %s, not %s as in the export: it is not the edition the records were made under",
			kind, key, version, shortHash(eds[0].SHA256), shortHash(sha))
	}
	return nil
}

// cycle finds the export's cycle here by name, or opens it.
func (im *importer) cycle(path string, ec ExportCycle) (int64, error) {
	var found []Cycle
	if err := im.tx.Where("name = ?", ec.Name).Find(&found).Error; err != nil {
		return 0, err
	}
	if len(found) > 0 {
		c := found[0]
		if c.FrameworkKey != ec.FrameworkKey || c.FrameworkVersion != ec.FrameworkVersion {
			return 0, invalidAt(path, "the cycle %s in this database is on %s %s, but in the export it is on %s %s",
				ec.Name, c.FrameworkKey, c.FrameworkVersion, ec.FrameworkKey, ec.FrameworkVersion)
		}
		return c.ID, nil
	}
	switch {
	case strings.TrimSpace(ec.Name) == "" || len(ec.Name) > 40:
		return 0, invalidAt(path+".name", "must be 1 to 40 characters")
	case ec.Status != CycleOpen && ec.Status != CycleClosed:
		return 0, invalidAt(path+".status", "must be %q or %q", CycleOpen, CycleClosed)
	case !ec.ClosesOn.After(ec.OpensOn):
		return 0, invalidAt(path+".closes_on", "must be after opens_on")
	}
	c := Cycle{Name: ec.Name, FrameworkKey: ec.FrameworkKey, FrameworkVersion: ec.FrameworkVersion,
		OpensOn: dbTime(ec.OpensOn), ClosesOn: dbTime(ec.ClosesOn), Status: ec.Status}
	if err := im.tx.Create(&c).Error; err != nil {
		return 0, err
	}
	im.res.CyclesCreated = append(im.res.CyclesCreated, c.Name)
	return c.ID, im.s.audit(im.tx, im.a, nil, "cycle.create", "cycle", itoa(c.ID), nil, c)
}

var assessmentStatuses = []string{StatusDraft, StatusSubmitted, StatusReturned, StatusValidated}

func (im *importer) assessments() error {
	byCycle := map[string]int64{} // cycle name to the imported assessment's id
	for i, ea := range im.e.Assessments {
		path := fmt.Sprintf("assessments[%d]", i)
		if _, dup := byCycle[ea.Cycle.Name]; dup {
			return invalidAt(path+".cycle.name", "the organisation has one assessment per cycle, and %s is listed twice", ea.Cycle.Name)
		}
		if !slices.Contains(assessmentStatuses, ea.Status) {
			return invalidAt(path+".status", "must be one of %s", strings.Join(assessmentStatuses, ", "))
		}
		if err := im.checkEdition(path+".framework_version", frameworks.KindFramework, ea.FrameworkKey, ea.FrameworkVersion, ea.FrameworkSHA256); err != nil {
			return err
		}
		cycleID, err := im.cycle(path+".cycle", ea.Cycle)
		if err != nil {
			return err
		}
		as := Assessment{OrganisationID: im.orgID, CycleID: cycleID, FrameworkKey: ea.FrameworkKey, FrameworkVersion: ea.FrameworkVersion,
			FrameworkSHA256: ea.FrameworkSHA256, Status: ea.Status, SignedOffName: ea.SignedOffName, SignedOffRole: ea.SignedOffRole,
			SignedOffAt: dbTimePtr(ea.SignedOffAt), SubmittedAt: dbTimePtr(ea.SubmittedAt), ReturnedComment: ea.ReturnedComment,
			ValidatedAt: dbTimePtr(ea.ValidatedAt), PeerReviewRequestedAt: dbTimePtr(ea.PeerReviewRequestedAt),
			CreatedAt: dbTime(ea.CreatedAt), UpdatedAt: dbTime(ea.UpdatedAt)}
		if err := im.tx.Create(&as).Error; err != nil {
			return err
		}
		byCycle[ea.Cycle.Name] = as.ID
		if err := im.answers(path, as.ID, ea); err != nil {
			return err
		}
	}
	// Carried-from links point at other assessments of the same export.
	for i, ea := range im.e.Assessments {
		if ea.CarriedFromCycle == "" {
			continue
		}
		from, ok := byCycle[ea.CarriedFromCycle]
		if !ok {
			return invalidAt(fmt.Sprintf("assessments[%d].carried_from_cycle", i), "there is no assessment for the cycle %q in the export", ea.CarriedFromCycle)
		}
		if err := im.tx.Model(&Assessment{}).Where("id = ?", byCycle[ea.Cycle.Name]).UpdateColumn("carried_from_id", from).Error; err != nil {
			return err
		}
	}
	im.res.Assessments = len(im.e.Assessments)
	return nil
}

// answers adds an imported assessment's responses and actions, in the
// export's order.
func (im *importer) answers(path string, assessmentID int64, ea ExportAssessment) error {
	standards := map[string]bool{}
	responses := make([]Response, 0, len(ea.Responses))
	for j, r := range ea.Responses {
		rp := fmt.Sprintf("%s.responses[%d]", path, j)
		switch {
		case r.StandardID == "":
			return invalidAt(rp+".standard_id", "must not be empty")
		case standards[r.StandardID]:
			return invalidAt(rp+".standard_id", "%s is answered twice", r.StandardID)
		case r.Version < 1:
			return invalidAt(rp+".version", "must be 1 or more")
		case r.Level != nil && *r.Level < 0, r.Target != nil && *r.Target < 0:
			return invalidAt(rp, "levels and targets cannot be negative")
		}
		standards[r.StandardID] = true
		responses = append(responses, Response{AssessmentID: assessmentID, StandardID: r.StandardID, Level: r.Level, Target: r.Target,
			Evidence: r.Evidence, Links: r.Links, CarriedForward: r.CarriedForward, ReviewNote: r.ReviewNote, Version: r.Version,
			UpdatedBy: r.UpdatedBy, UpdatedAt: dbTime(r.UpdatedAt)})
	}
	if err := createAll(im.tx, responses); err != nil {
		return err
	}
	actions := make([]Action, 0, len(ea.Actions))
	for j, act := range ea.Actions {
		ap := fmt.Sprintf("%s.actions[%d]", path, j)
		switch {
		case !standards[act.StandardID]:
			return invalidAt(ap+".standard_id", "%q has no response in this assessment", act.StandardID)
		case strings.TrimSpace(act.What) == "":
			return invalidAt(ap+".what", "must not be empty")
		case !slices.Contains(ActionStatuses, act.Status):
			return invalidAt(ap+".status", "must be one of %s", strings.Join(ActionStatuses, ", "))
		}
		actions = append(actions, Action{AssessmentID: assessmentID, StandardID: act.StandardID, What: act.What, Owner: act.Owner,
			DueOn: dbTimePtr(act.DueOn), Status: act.Status, CreatedAt: dbTime(act.CreatedAt), UpdatedAt: dbTime(act.UpdatedAt)})
	}
	return createAll(im.tx, actions)
}

func (im *importer) localRoles() error {
	seen := map[string]bool{}
	rows := make([]LocalRole, 0, len(im.e.LocalRoles))
	for i, r := range im.e.LocalRoles {
		path := fmt.Sprintf("local_roles[%d]", i)
		switch {
		case r.RoleID == "" || seen[r.RoleID]:
			return invalidAt(path+".role_id", "must be given, once for each role")
		case strings.TrimSpace(r.Name) == "" || len(r.Name) > 120:
			return invalidAt(path+".name", "must be 1 to 120 characters")
		case len(r.Hazards) == 0:
			return invalidAt(path+".hazards", "a role needs at least one hazard")
		}
		seen[r.RoleID] = true
		rows = append(rows, LocalRole{OrganisationID: im.orgID, RoleID: r.RoleID, Name: r.Name, Hazards: r.Hazards,
			Controls: nonNil(r.Controls), CreatedAt: dbTime(r.CreatedAt)})
	}
	return createAll(im.tx, rows)
}

func (im *importer) roleAssessments() error {
	versions := map[string]bool{}
	current := map[string]bool{}
	for i, e := range im.e.RoleAssessments {
		path := fmt.Sprintf("role_assessments[%d]", i)
		key := e.RoleID + "/v" + strconv.Itoa(e.Version)
		switch {
		case e.Version < 1:
			return invalidAt(path+".version", "must be 1 or more")
		case versions[key]:
			return invalidAt(path+".version", "role %s version %d is listed twice", e.RoleID, e.Version)
		case e.Current && current[e.RoleID]:
			return invalidAt(path+".current", "role %s has more than one current version", e.RoleID)
		}
		versions[key], current[e.RoleID] = true, current[e.RoleID] || e.Current
		if err := im.checkEdition(path+".model_version", frameworks.KindRiskModel, e.ModelKey, e.ModelVersion, e.ModelSHA256); err != nil {
			return err
		}
		ra := RoleAssessment{OrganisationID: im.orgID, RoleID: e.RoleID, Teams: e.Teams, Version: e.Version, Current: e.Current,
			ModelKey: e.ModelKey, ModelVersion: e.ModelVersion, ModelSHA256: e.ModelSHA256, Headcount: e.Headcount,
			ExposedHeadcount: e.ExposedHeadcount, PeopleScreened: e.PeopleScreened, StructuredInterviews: e.StructuredInterviews,
			Referrals: e.Referrals, OverallBand: e.OverallBand, ReviewedOn: dbTime(e.ReviewedOn), NextReviewOn: dbTime(e.NextReviewOn),
			NextScreeningOn: dbTime(e.NextScreeningOn), SignedOffBy: e.SignedOffBy, CreatedBy: e.CreatedBy, CreatedAt: dbTime(e.CreatedAt)}
		for j, h := range e.Hazards {
			if h.HazardID == "" {
				return invalidAt(fmt.Sprintf("%s.hazards[%d].hazard_id", path, j), "must not be empty")
			}
			hr := HazardRating{HazardID: h.HazardID, InherentL: h.InherentLikelihood, InherentS: h.InherentSeverity, Rationale: h.Rationale,
				ResidualL: h.ResidualLikelihood, ResidualS: h.ResidualSeverity, OverrideRationale: h.OverrideRationale}
			for k, c := range h.Controls {
				if !slices.Contains(frameworks.ControlStatuses, c.Status) {
					return invalidAt(fmt.Sprintf("%s.hazards[%d].controls[%d].status", path, j, k), "must be one of %s", strings.Join(frameworks.ControlStatuses, ", "))
				}
				hr.Controls = append(hr.Controls, RoleControl{ControlID: c.ControlID, LocalName: c.LocalName, Status: c.Status, Owner: c.Owner,
					DueOn: dbTimePtr(c.DueOn), LikelihoodReduction: c.LikelihoodReduction, SeverityReduction: c.SeverityReduction})
			}
			ra.Hazards = append(ra.Hazards, hr)
		}
		for _, co := range e.Cohorts {
			co.ID, co.RoleAssessmentID = 0, 0
			co.LastScreenedOn, co.DueOn = dbTimePtr(co.LastScreenedOn), dbTimePtr(co.DueOn)
			ra.Cohorts = append(ra.Cohorts, co)
		}
		if err := validateRoleAssessment(&ra); err != nil {
			return at(path, err)
		}
		if err := im.tx.Create(&ra).Error; err != nil { // hazards and controls go with it, in order
			return err
		}
	}
	return nil
}

// roleReviewDrafts brings back reviews saved part way. A draft of an
// edition not loaded here imports but is not offered on the form.
func (im *importer) roleReviewDrafts() error {
	seen := map[string]bool{}
	rows := make([]RoleReviewDraft, 0, len(im.e.RoleReviewDrafts))
	for i, d := range im.e.RoleReviewDrafts {
		path := fmt.Sprintf("role_review_drafts[%d]", i)
		var review map[string]any
		switch {
		case d.RoleID == "" || seen[d.RoleID]:
			return invalidAt(path+".role_id", "must be given, once for each role")
		case d.ModelKey == "" || d.ModelVersion == "":
			return invalidAt(path+".model_version", "must name the risk model edition the draft was typed against")
		case json.Unmarshal(d.Review, &review) != nil:
			return invalidAt(path+".review", "must be the review as a JSON object")
		}
		seen[d.RoleID] = true
		rows = append(rows, RoleReviewDraft{OrganisationID: im.orgID, RoleID: d.RoleID, ModelKey: d.ModelKey, ModelVersion: d.ModelVersion,
			Review: string(d.Review), SavedBy: d.SavedBy, SavedAt: dbTime(d.SavedAt)})
	}
	return createAll(im.tx, rows)
}

var deploymentKinds = func() []string {
	out := make([]string, len(DeploymentKinds))
	for i, k := range DeploymentKinds {
		out[i] = k.Value
	}
	return out
}()

func (im *importer) ok9() error {
	x := im.e.OK9
	if sch := x.Scheme; sch != nil {
		row := OK9Scheme{OrganisationID: im.orgID, SPOC: sch.SPOC, SLASignedOn: dbTimePtr(sch.SLASignedOn), SOPReviewedOn: dbTimePtr(sch.SOPReviewedOn),
			RiskAssessmentReviewedOn: dbTimePtr(sch.RiskAssessmentReviewedOn), InsuranceExpiresOn: dbTimePtr(sch.InsuranceExpiresOn),
			SPOCEmail: sch.SPOCEmail, WelfareScheme: sch.WelfareScheme, WelfareSchemeExpiresOn: dbTimePtr(sch.WelfareSchemeExpiresOn),
			UpdatedAt: dbTime(sch.UpdatedAt)}
		if err := im.tx.Create(&row).Error; err != nil {
			return err
		}
	}
	dogs, err := im.dogs(x.Dogs)
	if err != nil {
		return err
	}
	dogIDs := func(path string, names []string) ([]int64, error) {
		ids := []int64{}
		for j, n := range names {
			id, ok := dogs[n]
			if !ok {
				return nil, invalidAt(fmt.Sprintf("%s[%d]", path, j), "there is no dog called %q in ok9.dogs", n)
			}
			ids = append(ids, id)
		}
		return uniqueIDs(ids), nil
	}
	handlers := map[string]int64{}
	for i, h := range x.Handlers {
		path := fmt.Sprintf("ok9.handlers[%d]", i)
		switch {
		case strings.TrimSpace(h.DisplayName) == "":
			return invalidAt(path+".display_name", "must not be empty")
		case handlers[h.DisplayName] != 0:
			return invalidAt(path+".display_name", "there are two handlers called %s", h.DisplayName)
		case h.Status != "" && !slices.Contains(HandlerStatuses, h.Status):
			return invalidAt(path+".status", "must be one of %s", strings.Join(HandlerStatuses, ", "))
		case h.SuitabilityOutcome != "" && !slices.Contains(SuitabilityOutcomes, h.SuitabilityOutcome):
			return invalidAt(path+".suitability_outcome", "must be one of %s, or empty", strings.Join(SuitabilityOutcomes, ", "))
		case (h.SuitabilityOutcome == "") != (h.SuitabilityAssessedOn == nil):
			return invalidAt(path+".suitability_outcome", "give both the outcome and suitability_assessed_on, or neither")
		case h.ProtectedHoursMonth < 0 || h.ProtectedHoursMonth > 200:
			return invalidAt(path+".protected_hours_month", "must be between 0 and 200")
		}
		ids, err := dogIDs(path+".dogs", h.Dogs)
		if err != nil {
			return err
		}
		row := OK9Handler{OrganisationID: im.orgID, DisplayName: h.DisplayName, PeerSupporterTrainedOn: dbTimePtr(h.PeerSupporterTrainedOn),
			MHFATrainedOn: dbTimePtr(h.MHFATrainedOn), RefresherTrainedOn: dbTimePtr(h.RefresherTrainedOn), Status: h.Status,
			SuitabilityAssessedOn: dbTimePtr(h.SuitabilityAssessedOn), SuitabilityOutcome: h.SuitabilityOutcome,
			SupervisorAgreedOn: dbTimePtr(h.SupervisorAgreedOn), ProtectedHoursMonth: h.ProtectedHoursMonth, DogIDs: ids, CreatedAt: dbTime(h.CreatedAt)}
		if err := im.tx.Create(&row).Error; err != nil {
			return err
		}
		handlers[h.DisplayName] = row.ID
	}
	rows := make([]OK9Deployment, 0, len(x.Deployments))
	for i, d := range x.Deployments {
		path := fmt.Sprintf("ok9.deployments[%d]", i)
		handler, ok := handlers[d.Handler]
		switch {
		case !ok:
			return invalidAt(path+".handler", "there is no handler called %q in ok9.handlers", d.Handler)
		case len(d.Dogs) == 0:
			return invalidAt(path+".dogs", "a deployment needs at least one dog")
		case !slices.Contains(deploymentKinds, d.Kind):
			return invalidAt(path+".kind", "must be one of %s", strings.Join(deploymentKinds, ", "))
		case d.Minutes < 1 || d.Minutes > 24*60:
			return invalidAt(path+".minutes", "must be between 1 and 1440")
		case d.PeopleEngaged < 0:
			return invalidAt(path+".people_engaged", "cannot be negative")
		}
		ids, err := dogIDs(path+".dogs", d.Dogs)
		if err != nil {
			return err
		}
		host, err := im.host(path, d.HostOrganisation)
		if err != nil {
			return err
		}
		rows = append(rows, OK9Deployment{OrganisationID: im.orgID, HostOrganisationID: host, DeployedOn: dbTime(d.DeployedOn), Kind: d.Kind,
			HandlerID: handler, DogIDs: ids, PeopleEngaged: d.PeopleEngaged, Minutes: d.Minutes, Notes: d.Notes,
			OverrideReason: d.OverrideReason, GateOverrideReason: d.GateOverrideReason, CreatedBy: d.CreatedBy, CreatedAt: dbTime(d.CreatedAt)})
	}
	return createAll(im.tx, rows)
}

// dogs adds the scheme's dogs and returns their ids by call name.
func (im *importer) dogs(list []ExportOK9Dog) (map[string]int64, error) {
	dogs := map[string]int64{}
	for i, d := range list {
		path := fmt.Sprintf("ok9.dogs[%d]", i)
		switch {
		case strings.TrimSpace(d.CallName) == "":
			return nil, invalidAt(path+".call_name", "must not be empty")
		case dogs[d.CallName] != 0:
			return nil, invalidAt(path+".call_name", "there are two dogs called %s", d.CallName)
		case !slices.Contains(DogStatuses, d.Status):
			return nil, invalidAt(path+".status", "must be one of %s", strings.Join(DogStatuses, ", "))
		}
		row := OK9Dog{OrganisationID: im.orgID, CallName: d.CallName, Status: d.Status, AssessmentPassedOn: dbTimePtr(d.AssessmentPassedOn),
			NextWelfareCheckOn: dbTimePtr(d.NextWelfareCheckOn), CreatedAt: dbTime(d.CreatedAt)}
		if err := im.tx.Create(&row).Error; err != nil {
			return nil, err
		}
		dogs[d.CallName] = row.ID
	}
	return dogs, nil
}

// host finds a mutual-aid deployment's host organisation by slug. A host
// missing here is not an error: the deployment is the lender's record and
// is kept, without the link, and the result says so.
func (im *importer) host(path, slug string) (*int64, error) {
	if slug == "" {
		return nil, nil
	}
	var found []Organisation
	if err := im.tx.Select("id").Where("slug = ?", slug).Find(&found).Error; err != nil {
		return nil, err
	}
	if len(found) == 0 {
		im.res.Warnings = append(im.res.Warnings, fmt.Sprintf("%s.host_organisation: there is no organisation %q here, "+
			"so this mutual-aid deployment is imported without its host", path, slug))
		return nil, nil
	}
	return &found[0].ID, nil
}

func (im *importer) peerSupport() error {
	seen := map[int]bool{}
	rows := make([]PeerSupportReturn, 0, len(im.e.PeerSupportReturns))
	for i, e := range im.e.PeerSupportReturns {
		path := fmt.Sprintf("peer_support_returns[%d]", i)
		r := PeerSupportReturn{OrganisationID: im.orgID, Year: e.Year, CoordinatorInPost: e.CoordinatorInPost,
			CoordinatorFullTime: e.CoordinatorFullTime, OHClinicianTrained: e.OHClinicianTrained, PeerSupporters: e.PeerSupporters,
			PeerChampions: e.PeerChampions, PeerCoordinators: e.PeerCoordinators, TrainedTrainers: e.TrainedTrainers,
			DemobDefusingTrained: e.DemobDefusingTrained, TRiMPractitioners: e.TRiMPractitioners, ESTIPLead: e.ESTIPLead,
			SupervisionInPlace: e.SupervisionInPlace, ConfidentialityInPlace: e.ConfidentialityInPlace, Contacts: e.Contacts,
			WalkTheTalkAttended: e.WalkTheTalkAttended, TrainersDelivering: e.TrainersDelivering, DemobCoursePlaces: e.DemobCoursePlaces,
			SupervisionSessions: e.SupervisionSessions, SupportersSupervised: e.SupportersSupervised,
			UpdatedBy: e.UpdatedBy, UpdatedAt: dbTime(e.UpdatedAt)}
		err := validateReturn(&r)
		if err == nil {
			err = checkAgainstWorkforce(im.tx, &r) // the workforce is imported first
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			return invalidAt(path+"."+fe.Field, "%s", fe.Message)
		}
		if err != nil {
			return at(path, err)
		}
		if seen[r.Year] {
			return invalidAt(path+".year", "%d is listed twice", r.Year)
		}
		seen[r.Year] = true
		rows = append(rows, r)
	}
	return createAll(im.tx, rows)
}

// traumaReturns adds the quarterly trauma returns, held to the same rules
// as a return saved by hand (the workforce bound when the export gives one).
func (im *importer) traumaReturns() error {
	seen := map[[2]int]bool{}
	rows := make([]TraumaReturn, 0, len(im.e.TraumaReturns))
	for i, e := range im.e.TraumaReturns {
		path := fmt.Sprintf("trauma_returns[%d]", i)
		r := TraumaReturn{OrganisationID: im.orgID, Year: e.Year, Quarter: e.Quarter, Incidents: e.Incidents, PlanningMeetings: e.PlanningMeetings,
			RiskAssessments: e.RiskAssessments, Reviews: e.Reviews, Defusings: e.Defusings, Demobilisations: e.Demobilisations, ESTIMs: e.ESTIMs,
			ReferralsOH: e.ReferralsOH, ReferralsPsych: e.ReferralsPsych, PractitionersTrained: e.PractitionersTrained,
			TeamLeadersTrained: e.TeamLeadersTrained, ManagersTrained: e.ManagersTrained, UpdatedBy: e.UpdatedBy, UpdatedAt: dbTime(e.UpdatedAt)}
		workforce, err := workforceFor(im.tx, im.orgID, r.Year)
		if err != nil {
			return err
		}
		if workforce == 0 {
			workforce = maxCount
		}
		if err := checkTraumaReturn(&r, workforce); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				return invalidAt(path+"."+fe.Field, "%s", fe.Message)
			}
			return err
		}
		key := [2]int{r.Year, r.Quarter}
		if seen[key] {
			return invalidAt(path+".quarter", "%d Q%d is listed twice", r.Year, r.Quarter)
		}
		seen[key] = true
		rows = append(rows, r)
	}
	return createAll(im.tx, rows)
}

// vans imports the organisation's van requests, each booked on the van of
// its name here (a van this installation lacks joins its fleet), and
// the van visits of files written before the fleet as delivered requests.
func (im *importer) vans() error {
	var fleet []Van
	if err := im.tx.Find(&fleet).Error; err != nil {
		return err
	}
	rows := make([]VanRequest, 0, len(im.e.VanRequests)+len(im.e.VanVisits))
	for i, e := range im.e.VanRequests {
		path := fmt.Sprintf("van_requests[%d]", i)
		r := VanRequest{OrganisationID: im.orgID, Kind: e.Kind, StartsOn: e.StartsOn, EndsOn: e.EndsOn, Place: e.Place,
			ExpectedAttendance: e.ExpectedAttendance, Contact: e.Contact, State: e.State,
			VanDelivery: VanDelivery{HealthChecks: e.HealthChecks, FatigueAssessments: e.FatigueAssessments, TraumaSupport: e.TraumaSupport,
				WellbeingAdvice: e.WellbeingAdvice, Referrals: e.Referrals, Partners: e.Partners},
			DeclineReason: e.DeclineReason, CreatedBy: e.CreatedBy, CreatedAt: dbTime(e.CreatedAt), UpdatedBy: e.UpdatedBy, UpdatedAt: dbTime(e.UpdatedAt)}
		if !slices.Contains(VanRequestStates, r.State) {
			return invalidAt(path+".state", "must be one of %s", strings.Join(VanRequestStates, ", "))
		}
		if err := validVanRequest(&r); err != nil {
			return invalidAt(path, "%s", apperr.Message(err))
		}
		if err := ValidVanDelivery(r.VanDelivery); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				return invalidAt(path+"."+fe.Field, "%s", fe.Message)
			}
			return err
		}
		if e.Van != "" {
			i := slices.IndexFunc(fleet, func(v Van) bool { return strings.EqualFold(v.Name, e.Van) })
			if i < 0 {
				van := Van{Name: strings.TrimSpace(e.Van), InService: true, CreatedAt: im.s.now()}
				if van.Name == "" || len(van.Name) > 60 {
					return invalidAt(path+".van", "must be a van's name, in 60 characters or fewer")
				}
				if err := im.tx.Create(&van).Error; err != nil {
					return err
				}
				fleet, i = append(fleet, van), len(fleet)
			}
			r.VanID = &fleet[i].ID
		}
		rows = append(rows, r)
	}
	for i, v := range im.e.VanVisits {
		path := fmt.Sprintf("van_visits[%d]", i)
		switch {
		case strings.TrimSpace(v.Location) == "":
			return invalidAt(path+".location", "must not be empty")
		case v.HealthChecks < 0 || v.FatigueAssessments < 0 || v.Referrals < 0:
			return invalidAt(path, "checks, assessments and referrals cannot be negative")
		}
		on := dbTime(v.VisitedOn)
		rows = append(rows, VanRequest{OrganisationID: im.orgID, Kind: "hotspot", StartsOn: on, EndsOn: on, Place: v.Location, State: VanDelivered,
			VanDelivery: VanDelivery{HealthChecks: v.HealthChecks, FatigueAssessments: v.FatigueAssessments, Referrals: v.Referrals},
			CreatedBy:   v.CreatedBy, CreatedAt: dbTime(v.CreatedAt), UpdatedBy: v.CreatedBy, UpdatedAt: dbTime(v.CreatedAt)})
	}
	return createAll(im.tx, rows)
}

func (im *importer) businessCase() error {
	rows := make([]AssumptionOverride, 0, len(im.e.BusinessCase))
	seen := map[string]bool{}
	for i, a := range im.e.BusinessCase {
		path := fmt.Sprintf("business_case_assumptions[%d]", i)
		switch {
		case a.Key == "" || seen[a.Key]:
			return invalidAt(path+".key", "must be a key listed once")
		case a.Value < 0 || math.IsNaN(a.Value) || math.IsInf(a.Value, 0):
			return invalidAt(path+".value", "must be a number of zero or more")
		case strings.TrimSpace(a.Source) == "":
			return invalidAt(path+".source", "must not be empty")
		}
		seen[a.Key] = true
		rows = append(rows, AssumptionOverride{OrganisationID: im.orgID, Key: a.Key, Value: a.Value, Source: a.Source,
			UpdatedBy: a.UpdatedBy, UpdatedAt: dbTime(a.UpdatedAt)})
	}
	return createAll(im.tx, rows)
}

// audit adds the organisation's trail as it was recorded, oldest first, so
// that the new ids keep its order.
func (im *importer) audit() error {
	orgID := im.orgID
	rows := make([]AuditEvent, 0, len(im.e.Audit))
	for i, e := range im.e.Audit {
		path := fmt.Sprintf("audit[%d]", i)
		if e.Action == "" || e.EntityType == "" || e.ActorLabel == "" {
			return invalidAt(path, "action, entity_type and actor_label must not be empty")
		}
		ev := AuditEvent{At: dbTime(e.At), OrganisationID: &orgID, ActorLabel: e.ActorLabel, Action: e.Action, EntityType: e.EntityType,
			EntityID: e.EntityID, Before: e.Before, After: e.After, RequestID: e.RequestID, IP: e.IP}
		if e.Actor != "" {
			id, ok := im.users[e.Actor]
			if !ok {
				return invalidAt(path+".actor", "%s is not among the exported people", e.Actor)
			}
			ev.ActorUserID = &id
		}
		rows = append(rows, ev)
	}
	return createAll(im.tx, rows)
}

package server

import (
	"io"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

func (s *Server) downloadWorkbook(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	name, data, err := s.reports.SelfAssessmentXLSX(*la)
	if err != nil {
		return err
	}
	return sendFile(c, reporting.XLSXType, name, data)
}

type uploadPage struct {
	Assessment *loadedAssessment
	Problems   []assessmentbook.Problem
	Changes    []reporting.Change
	NewActions []assessmentbook.Action
	UploadID   int64
}

func (s *Server) showUpload(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if !la.Editable() {
		return apperr.Errorf(apperr.EINVALID, "This assessment has been %s, so a workbook cannot be uploaded to it", la.Status)
	}
	return s.render(c, "workbook_upload", views.Page{Title: "Upload a filled-in workbook", BackLink: "/assessments/" + itoa(la.ID), Data: uploadPage{Assessment: la}})
}

// uploadWorkbook checks an uploaded workbook and shows every change it
// would make; nothing is saved until the person confirms.
func (s *Server) uploadWorkbook(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if !la.Editable() {
		return apperr.Errorf(apperr.EINVALID, "This assessment has been %s, so a workbook cannot be uploaded to it", la.Status)
	}
	page := uploadPage{Assessment: la}
	fail := func(msg string) error {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "workbook_upload", views.Page{Title: "Upload a filled-in workbook", BackLink: "/assessments/" + itoa(la.ID),
			Errors: []views.FieldError{{Field: "workbook", Message: msg}}, Data: page})
	}
	fh, err := c.FormFile("workbook")
	if err != nil {
		return fail("Choose the workbook to upload")
	}
	if fh.Size > assessmentbook.MaxUploadBytes {
		return fail("The file is larger than 5 MiB")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, assessmentbook.MaxUploadBytes+1))
	if err != nil {
		return err
	}
	parsed, problems, err := s.reports.ReadSelfAssessmentXLSX(*la, data)
	if err != nil {
		return fail(err.Error())
	}
	if len(problems) > 0 {
		page.Problems = problems
		count := figure.Count(float64(len(problems)), "cell has a problem, shown", "cells have problems, listed") + " below."
		if len(problems) > assessmentbook.MaxProblems {
			count = "More than " + strconv.Itoa(assessmentbook.MaxProblems) + " cells have problems; the first " + strconv.Itoa(assessmentbook.MaxProblems) + " are listed below."
		}
		return fail(count + " Nothing has been saved: correct them and upload the workbook again")
	}
	page.Changes, page.NewActions = reporting.WorkbookChanges(*la, parsed)
	versions := map[string]int{}
	for _, r := range la.Responses {
		versions[r.StandardID] = r.Version
	}
	up, err := s.deps.Store.SaveUpload(c.UserContext(), scopeOf(currentUser(c)), store.WorkbookUpload{AssessmentID: la.ID, UserID: currentUser(c).ID, Data: data, Versions: versions})
	if err != nil {
		return err
	}
	page.UploadID = up.ID
	return s.render(c, "workbook_preview", views.Page{Title: "Check the changes", BackLink: "/assessments/" + itoa(la.ID), Data: page})
}

// applyWorkbook saves a previewed upload, all of it or nothing.
func (s *Server) applyWorkbook(c *fiber.Ctx) error {
	la, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(c.Params("uid"), 10, 64)
	u := currentUser(c)
	up, err := s.deps.Store.Upload(c.UserContext(), scopeOf(u), la.ID, u.ID, uid)
	if err != nil {
		return err
	}
	parsed, problems, err := s.reports.ReadSelfAssessmentXLSX(*la, up.Data)
	if err != nil || len(problems) > 0 {
		return apperr.Errorf(apperr.EINVALID, "The stored upload no longer matches this assessment: upload the workbook again")
	}
	changes, newActions := reporting.WorkbookChanges(*la, parsed)
	changed := map[string]bool{}
	for _, ch := range changes {
		changed[ch.StandardID] = true
	}
	var answers []store.Response
	for _, r := range parsed.Responses {
		if changed[r.StandardID] {
			answers = append(answers, store.Response{StandardID: r.StandardID, Level: r.Level, Target: r.Target, Evidence: r.Evidence, Links: r.Links})
		}
	}
	var actions []store.Action
	for _, a := range newActions {
		act := store.Action{StandardID: a.StandardID, What: a.What, Owner: a.Owner, Status: a.Status}
		if a.Due != "" {
			due, _ := time.Parse(dateLayout, a.Due)
			act.DueOn = &due
		}
		actions = append(actions, act)
	}
	if err := s.deps.Store.ApplyWorkbook(c.UserContext(), s.actor(c), scopeOf(u), up, answers, actions); err != nil {
		return err
	}
	return c.Redirect(doneURL("/assessments/"+itoa(la.ID), "saved"), fiber.StatusSeeOther)
}

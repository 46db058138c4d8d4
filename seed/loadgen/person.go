package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds how much of a response is kept in memory: the largest
// downloads (benchmark PDF, gap analysis workbook) are well under this.
const maxBody = 32 << 20

// person is one simulated person working through the mix.
type person struct {
	Person
	base   string
	cycle  int64
	levels []int
	mix    Mix
	client *http.Client
	rng    *rand.Rand
	rec    *Recorder
	budget *budget
	// forwardedFor, when set, is sent as X-Forwarded-For on every request:
	// this person's own address, as behind a proxy.
	forwardedFor string
}

var (
	csrfField    = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	versionField = regexp.MustCompile(`name="version" value="(\d+)"`)
)

// errStop ends a person's loop: the run's time or request budget is spent.
var errStop = errors.New("stop")

func newPerson(p Person, base string, plan *Plan, mix Mix, transport http.RoundTripper, timeout time.Duration, rng *rand.Rand, rec *Recorder, b *budget) *person {
	jar, _ := cookiejar.New(nil)
	return &person{Person: p, base: base, cycle: plan.CycleID, levels: plan.Levels, mix: mix.For(p.Role), rng: rng, rec: rec, budget: b,
		client: &http.Client{Transport: transport, Jar: jar, Timeout: timeout,
			// Redirects are checked, never followed: a page that sends a
			// signed-in person to the sign-in page is an error, and a
			// redirect can never take the run off this machine.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// personAddress is the i-th person's own address for X-Forwarded-For, in
// 198.18.0.0/15, the range set aside for benchmarks (RFC 2544), so it is
// nobody's real address.
func personAddress(i int) string {
	return fmt.Sprintf("198.%d.%d.%d", 18+(i>>16)&1, (i>>8)&255, i&255)
}

// response is what a request got back.
type response struct {
	status   int
	location string
	body     []byte
}

// check decides a response's outcome; it returns a message for a failure.
type check func(r response) (Outcome, string)

// do sends one request, reads the whole answer and records it under
// action. A request cut short because the run ended is not recorded.
func (p *person) do(ctx context.Context, rec *Recorder, action string, req *http.Request, ok check) (response, Outcome, error) {
	if rec == p.rec && !p.budget.take() {
		return response{}, Failed, errStop
	}
	if p.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", p.forwardedFor)
	}
	start := time.Now()
	resp, err := p.client.Do(req.WithContext(ctx))
	var r response
	if err == nil {
		r.status, r.location = resp.StatusCode, resp.Header.Get("Location")
		r.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
	}
	took := time.Since(start)
	if ctx.Err() != nil {
		return r, Failed, errStop
	}
	if err != nil {
		rec.Record(action, took, Failed, err.Error())
		return r, Failed, nil
	}
	outcome, msg := ok(r)
	rec.Record(action, took, outcome, msg)
	return r, outcome, nil
}

func (p *person) get(path string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, p.base+path, nil)
	return req
}

func (p *person) api(method, path string, body []byte) *http.Request {
	req, _ := http.NewRequest(method, p.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+p.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func (p *person) postForm(path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

var (
	titleTag  = regexp.MustCompile(`<title>([^<]*)</title>`)
	reference = regexp.MustCompile(`quote this reference[^:]*:\s*(?:<[^>]*>)?([\w-]+)`)
)

// describe names a response that was not what it should be: its status, and
// for an error page its title and the reference the server logged it under.
func describe(r response) string {
	s := fmt.Sprintf("status %d", r.status)
	if r.location != "" {
		s += " to " + r.location
	}
	if m := titleTag.FindSubmatch(r.body); m != nil {
		s += ": " + strings.TrimSpace(html.UnescapeString(string(m[1])))
	} else if snippet := strings.Join(strings.Fields(string(r.body[:min(len(r.body), 160)])), " "); snippet != "" {
		s += ": " + snippet
	}
	if m := reference.FindSubmatch(r.body); m != nil {
		s += " (reference " + string(m[1]) + ")"
	}
	return s
}

// page expects a 200 answer whose body starts as the content should.
func page(prefix string) check {
	return func(r response) (Outcome, string) {
		if r.status != http.StatusOK {
			return Failed, describe(r)
		}
		if !bytes.HasPrefix(bytes.TrimSpace(r.body), []byte(prefix)) {
			return Failed, fmt.Sprintf("the body does not start with %q", prefix)
		}
		return OK, ""
	}
}

var (
	htmlPage = page("<!DOCTYPE html>")
	jsonBody = page("{")
	pdfFile  = page("%PDF-")
	xlsxFile = page("PK") // a zip archive
)

// redirect expects a 303 to a path that is not the sign-in page.
func redirect(conflictOK bool) check {
	return func(r response) (Outcome, string) {
		switch {
		case r.status == http.StatusConflict && conflictOK:
			return Conflict, ""
		case r.status == http.StatusSeeOther && !strings.HasPrefix(r.location, "/sign-in"):
			return OK, ""
		}
		return Failed, describe(r)
	}
}

// withCSRF is htmlPage for a page that must hold a form token.
func withCSRF(r response) (Outcome, string) {
	if o, msg := htmlPage(r); o != OK {
		return o, msg
	}
	if csrfField.Find(r.body) == nil {
		return Failed, "the page has no _csrf field"
	}
	return OK, ""
}

// signIn signs in through the real form, as a browser would, recording the
// two requests in warm.
func (p *person) signIn(ctx context.Context, warm *Recorder) bool {
	r, outcome, err := p.do(ctx, warm, ActionSignInPage, p.get("/sign-in"), withCSRF)
	if err != nil || outcome != OK {
		return false
	}
	m := csrfField.FindSubmatch(r.body)
	form := url.Values{"_csrf": {string(m[1])}, "email": {p.Email}, "password": {Password}}
	_, outcome, err = p.do(ctx, warm, ActionSignIn, p.postForm("/sign-in", form), redirect(false))
	return err == nil && outcome == OK
}

// work runs steps until the run ends, pausing before each one, so that
// people signed in together do not all start at the same instant.
func (p *person) work(ctx context.Context, think time.Duration) {
	for {
		if think > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(p.rng.Int64N(int64(think) + 1))):
			}
		}
		if ctx.Err() != nil || p.step(ctx, p.mix.Pick(p.rng)) != nil {
			return
		}
	}
}

func (p *person) step(ctx context.Context, s Step) error {
	reports := "/reports/" + strconv.FormatInt(p.cycle, 10)
	assessment := "/assessments/" + strconv.FormatInt(p.AssessmentID, 10)
	var err error
	switch s {
	case StepHome:
		_, _, err = p.do(ctx, p.rec, ActionHome, p.get("/"), htmlPage)
	case StepAssessments:
		_, _, err = p.do(ctx, p.rec, ActionList, p.get("/assessments"), htmlPage)
	case StepAssessment:
		_, _, err = p.do(ctx, p.rec, ActionAssessment, p.get(assessment), htmlPage)
	case StepSave:
		err = p.saveForm(ctx, assessment)
	case StepBenchmark:
		_, _, err = p.do(ctx, p.rec, ActionBenchmark, p.get(reports+"/benchmark"), htmlPage)
	case StepBenchmarkPDF:
		_, _, err = p.do(ctx, p.rec, ActionPDF, p.get(reports+"/benchmark.pdf"), pdfFile)
	case StepGapWorkbook:
		_, _, err = p.do(ctx, p.rec, ActionWorkbook, p.get(reports+"/gap-analysis.xlsx"), xlsxFile)
	case StepAPIList:
		_, _, err = p.do(ctx, p.rec, ActionAPIList, p.api(http.MethodGet, "/api/v1/assessments", nil), jsonBody)
	case StepAPISave:
		err = p.saveAPI(ctx)
	}
	return err
}

// standard picks one of the person's own standards.
func (p *person) standard() (string, bool) {
	if len(p.Standards) == 0 {
		return "", false
	}
	return p.Standards[p.rng.IntN(len(p.Standards))], true
}

func (p *person) evidence() string {
	return "Load test evidence " + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// withForm is htmlPage for a page that must hold an editable answer form.
func withForm(r response) (Outcome, string) {
	if o, msg := htmlPage(r); o != OK {
		return o, msg
	}
	if csrfField.Find(r.body) == nil || versionField.Find(r.body) == nil {
		return Failed, "the page has no editable answer form"
	}
	return OK, ""
}

// saveForm reads a standard's form, then saves an answer through it.
func (p *person) saveForm(ctx context.Context, assessment string) error {
	sid, ok := p.standard()
	if !ok {
		return nil
	}
	path := assessment + "/standards/" + sid
	r, outcome, err := p.do(ctx, p.rec, ActionStandard, p.get(path), withForm)
	if err != nil || outcome != OK {
		return err
	}
	csrf, version := csrfField.FindSubmatch(r.body), versionField.FindSubmatch(r.body)
	level := p.levels[p.rng.IntN(len(p.levels))]
	form := url.Values{"_csrf": {string(csrf[1])}, "version": {string(version[1])}, "level": {strconv.Itoa(level)}, "evidence": {p.evidence()}}
	_, _, err = p.do(ctx, p.rec, ActionSave, p.postForm(path, form), redirect(true))
	return err
}

// saveAPI reads the assessment through the API, then saves an answer.
func (p *person) saveAPI(ctx context.Context) error {
	sid, ok := p.standard()
	if !ok {
		return nil
	}
	path := "/api/v1/assessments/" + strconv.FormatInt(p.AssessmentID, 10)
	version := -1
	readVersion := func(r response) (Outcome, string) {
		if o, msg := jsonBody(r); o != OK {
			return o, msg
		}
		var got struct {
			Responses []struct {
				StandardID string `json:"standard_id"`
				Version    int    `json:"version"`
			} `json:"responses"`
		}
		if err := json.Unmarshal(r.body, &got); err != nil {
			return Failed, "the assessment is not JSON: " + err.Error()
		}
		for _, resp := range got.Responses {
			if resp.StandardID == sid {
				version = resp.Version
				return OK, ""
			}
		}
		return Failed, "the assessment has no response for " + sid
	}
	_, outcome, err := p.do(ctx, p.rec, ActionAPIRead, p.api(http.MethodGet, path, nil), readVersion)
	if err != nil || outcome != OK {
		return err
	}
	level := p.levels[p.rng.IntN(len(p.levels))]
	body, _ := json.Marshal(map[string]any{"level": level, "evidence": p.evidence(), "version": version})
	_, _, err = p.do(ctx, p.rec, ActionAPISave, p.api(http.MethodPut, path+"/responses/"+sid, body), func(r response) (Outcome, string) {
		switch r.status {
		case http.StatusOK:
			return OK, ""
		case http.StatusConflict:
			return Conflict, ""
		}
		return Failed, describe(r)
	})
	return err
}

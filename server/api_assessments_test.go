package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// apiCall sends a JSON request with a bearer token and decodes the reply.
func apiCall(t *testing.T, f *fixture, token, method, path, body string, out any) int {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func TestAssessmentAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		as := f.startAssessment(f.orgA, "2026/27")
		owner, viewer := f.apiToken(f.people["A owner"]), f.apiToken(f.people["A viewer"])
		base := "/api/v1/assessments/" + itoa(as.ID)

		var list struct{ Assessments []store.Assessment }
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/assessments", "", &list); code != 200 || len(list.Assessments) != 1 {
			t.Fatalf("list = %d %+v", code, list)
		}
		var full struct {
			Assessment store.Assessment
			Responses  []store.Response
		}
		if code := apiCall(t, f, viewer, http.MethodGet, base, "", &full); code != 200 || len(full.Responses) < 45 || full.Responses[0].StandardID != "LEAD-01" {
			t.Fatalf("get = %d, %d responses", code, len(full.Responses))
		}

		var saved store.Response
		if code := apiCall(t, f, owner, http.MethodPut, base+"/responses/LEAD-01", `{"level":3,"target":4,"evidence":"Strategy","version":1}`, &saved); code != 200 || saved.Version != 2 || *saved.Level != 3 {
			t.Fatalf("save = %d %+v", code, saved)
		}
		var conflict struct {
			Error   struct{ Code string }
			Current store.Response
		}
		if code := apiCall(t, f, owner, http.MethodPut, base+"/responses/LEAD-01", `{"level":1,"version":1}`, &conflict); code != 409 || conflict.Error.Code != "conflict" || conflict.Current.Version != 2 {
			t.Errorf("stale save = %d %+v", code, conflict)
		}
		var bad struct{ Error struct{ Message string } }
		if code := apiCall(t, f, owner, http.MethodPut, base+"/responses/LEAD-02", `{"level":9,"version":1}`, &bad); code != 422 || !strings.Contains(bad.Error.Message, "level") {
			t.Errorf("level off the scale = %d %+v", code, bad)
		}
		if code := apiCall(t, f, owner, http.MethodPut, base+"/responses/LEAD-02", `{"level":2,"version":1,"colour":"red"}`, &bad); code != 422 || !strings.Contains(bad.Error.Message, "colour") {
			t.Errorf("unknown field = %d %+v", code, bad)
		}
		if code := apiCall(t, f, viewer, http.MethodPut, base+"/responses/LEAD-02", `{"level":2,"version":1}`, nil); code != 403 {
			t.Errorf("viewer save = %d", code)
		}
		var missing struct{ Missing []string }
		if code := apiCall(t, f, owner, http.MethodPost, base+"/submit", `{"signed_off_name":"A","signed_off_role":"B"}`, &missing); code != 422 || len(missing.Missing) < 40 {
			t.Errorf("incomplete submit = %d, %d missing", code, len(missing.Missing))
		}
		if code := apiCall(t, f, viewer, http.MethodPost, base+"/submit", `{"signed_off_name":"A","signed_off_role":"B"}`, nil); code != 403 {
			t.Errorf("viewer submit = %d", code)
		}
	})
}

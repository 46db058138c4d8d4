package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// vanForm is a request for a van, as the page posts it.
func vanForm(from, to, place string) url.Values {
	return url.Values{"kind": {"critical_incident"}, "starts_on": {from}, "ends_on": {to}, "place": {place}, "attendance": {"120"}, "contact": {"Wellbeing lead"}}
}

// onlyVanRequest is the one request of an organisation in 2026 at place.
func onlyVanRequest(t *testing.T, st *store.Store, orgID int64, place string) store.VanRequest {
	t.Helper()
	list, err := st.VanRequests(context.Background(), store.AllOrganisations(), orgID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.Place == place {
			return r
		}
	}
	t.Fatalf("no request at %q among %+v", place, list)
	return store.VanRequest{}
}

// TestVanJourney: an organisation requests a van and sees it waiting; the
// national team adds a van, books it, is refused a clashing booking with
// the clash named, and records what the visit delivered; the organisation
// sees the visit delivered. A viewer cannot request, another organisation
// cannot withdraw, and only national admins see the fleet pages.
func TestVanJourney(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner, viewer, bOwner, admin := f.signedIn(f.people["A owner"]), f.signedIn(f.people["A viewer"]), f.signedIn(f.people["B owner"]), f.signedIn(f.people["admin"])

		if _, body := viewer.get("/provision/vans?year=2026"); strings.Contains(body, "Send request") {
			t.Error("a viewer is offered the request form")
		}
		if resp, _ := viewer.post("/provision/vans", vanForm("2026-06-03", "2026-06-05", "Viewer's place")); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer's request = %d", resp.StatusCode)
		}
		resp, _ := owner.post("/provision/vans", vanForm("2026-06-03", "2026-06-05", "Custody suite, Alpha town"))
		if next := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || next != "/provision/vans?year=2026&done=van-requested" {
			t.Fatalf("request = %d to %q", resp.StatusCode, next)
		}
		if _, body := owner.get("/provision/vans?year=2026&done=van-requested"); !strings.Contains(body, "Van request sent to the national team") ||
			!strings.Contains(body, "Custody suite, Alpha town") || !strings.Contains(body, "Requested") || !strings.Contains(body, "from 3 June 2026 to 5 June 2026") {
			t.Errorf("the organisation's page does not show the request: %s", body)
		}
		if resp, _ := bOwner.post("/provision/vans", vanForm("2026-06-05", "2026-06-05", "Fire station, Beta town")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("B's request = %d", resp.StatusCode)
		}
		ra, rb := onlyVanRequest(t, st, f.orgA.ID, "Custody suite, Alpha town"), onlyVanRequest(t, st, f.orgB.ID, "Fire station, Beta town")

		if _, body := admin.get("/"); !strings.Contains(body, "<strong>2</strong> wellbeing van requests waiting for a van") {
			t.Errorf("the national admin's home does not count the waiting requests: %s", body)
		}
		// Only the national team sees the fleet.
		for _, path := range []string{"/national/vans", "/national/vans/requests/" + itoa(ra.ID)} {
			if resp, _ := owner.get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("an owner got %s: %d", path, resp.StatusCode)
			}
		}
		if resp, _ := owner.post("/national/vans/requests/"+itoa(ra.ID)+"/schedule", url.Values{"van": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an owner booked a van: %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/national/vans", url.Values{"name": {"Oscar Kilo 1"}, "registration": {"OK21 WBV"}, "in_service": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add van = %d", resp.StatusCode)
		}
		fleet, _ := st.Vans(context.Background())
		if len(fleet) != 1 || !fleet[0].InService {
			t.Fatalf("fleet = %+v", fleet)
		}
		van := itoa(fleet[0].ID)
		if _, body := admin.get("/national/vans?year=2026"); !strings.Contains(body, "Waiting for a van") || !strings.Contains(body, "Request "+itoa(ra.ID)) ||
			!strings.Contains(body, "Request "+itoa(rb.ID)) || !strings.Contains(body, "No bookings") {
			t.Errorf("the fleet page does not list the waiting requests: %s", body)
		}
		if resp, _ := admin.post("/national/vans/requests/"+itoa(ra.ID)+"/schedule", url.Values{"van": {van}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking = %d", resp.StatusCode)
		}
		// The same van on an overlapping day is refused, naming the booking.
		resp, body := admin.post("/national/vans/requests/"+itoa(rb.ID)+"/schedule", url.Values{"van": {van}})
		text := html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="#van"`) ||
			!strings.Contains(text, "Oscar Kilo 1 is already booked from 3 June 2026 to 5 June 2026 for "+f.orgA.Name+"'s request "+itoa(ra.ID)) {
			t.Errorf("clash = %d %s", resp.StatusCode, body)
		}
		if got, _ := st.VanRequest(context.Background(), store.AllOrganisations(), rb.ID); got.State != store.VanRequested || got.VanID != nil {
			t.Errorf("the refused booking changed B's request: %+v", got)
		}
		if _, body := admin.get("/national/vans?year=2026"); !strings.Contains(body, "<th scope=\"row\" class=\"govuk-table__header\">Oscar Kilo 1</th><td class=\"govuk-table__cell\">from 3 June 2026 to 5 June 2026</td>") {
			t.Errorf("the calendar does not show the booking by van and dates: %s", body)
		}
		// What the visit delivered: a count below 0 is refused and kept.
		delivery := url.Values{"health_checks": {"40"}, "fatigue": {"12"}, "trauma": {"-2"}, "advice": {"30"}, "referrals": {"3"}, "partners": {"Chaplaincy, Occupational health"}}
		resp, body = admin.post("/national/vans/requests/"+itoa(ra.ID)+"/delivery", delivery)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="#trauma"`) || !strings.Contains(body, `value="Chaplaincy, Occupational health"`) {
			t.Errorf("negative count = %d %s", resp.StatusCode, body)
		}
		if got, _ := st.VanRequest(context.Background(), store.AllOrganisations(), ra.ID); got.State != store.VanScheduled {
			t.Errorf("a refused delivery changed the request: %+v", got)
		}
		delivery.Set("trauma", "5")
		if resp, _ := admin.post("/national/vans/requests/"+itoa(ra.ID)+"/delivery", delivery); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("delivery = %d", resp.StatusCode)
		}
		if _, body := owner.get("/provision/vans?year=2026"); !strings.Contains(body, "Delivered") || !strings.Contains(body, "1 visit delivered in 2026: 40 physical health checks") ||
			!strings.Contains(body, "5 trauma support") || !strings.Contains(body, "Oscar Kilo 1") ||
			!strings.Contains(body, "40 physical health checks, 12 fatigue assessments, 5 trauma support conversations, 30 wellbeing advice conversations and 3 referrals; on board: Chaplaincy, Occupational health") {
			t.Errorf("the organisation does not see its delivered visit: %s", body)
		}
		if _, body := admin.get("/national/vans?year=2026"); !strings.Contains(body, "Trauma support conversations</dt><dd class=\"govuk-summary-list__value\">5</dd>") {
			t.Errorf("the fleet's totals are missing: %s", body)
		}
		// A national admin sees an organisation's own page, years kept to it.
		if _, body := admin.get("/provision/vans?year=2026&org=" + itoa(f.orgA.ID)); !strings.Contains(body, "Custody suite, Alpha town") ||
			!strings.Contains(body, "/provision/vans?year=2025&org="+itoa(f.orgA.ID)) || strings.Contains(body, "Send request") {
			t.Errorf("the admin's view of A's vans: %s", body)
		}
		// Taking the van out of service shows in words, not colour.
		if resp, _ := admin.post("/national/vans/"+van, url.Values{"name": {"Oscar Kilo 1"}, "registration": {"OK21 WBV"}, "in_service": {"no"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("out of service = %d", resp.StatusCode)
		}
		if _, body := admin.get("/national/vans?year=2026"); !strings.Contains(body, "Oscar Kilo 1 (OK21 WBV): out of service") || !strings.Contains(body, "Return to service: Oscar Kilo 1") {
			t.Errorf("the fleet does not say the van is out of service: %s", body)
		}
		// Withdrawing: the organisation's own waiting request only.
		resp, body = owner.post("/provision/vans/"+itoa(ra.ID)+"/withdraw", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="#requests"`) || !strings.Contains(body, `id="requests"`) || !strings.Contains(body, "only a request not yet scheduled can be withdrawn") {
			t.Errorf("withdrawing a delivered request = %d %s", resp.StatusCode, body)
		}
		if resp, _ := owner.post("/provision/vans/"+itoa(rb.ID)+"/withdraw", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("A withdrew B's request: %d", resp.StatusCode)
		}
		if resp, _ := bOwner.post("/provision/vans/"+itoa(rb.ID)+"/withdraw", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("B's withdrawal = %d", resp.StatusCode)
		}
		if got, _ := st.VanRequest(context.Background(), store.AllOrganisations(), rb.ID); got.State != store.VanWithdrawn {
			t.Errorf("B's request is %q", got.State)
		}
		// The trail says it in words.
		if _, body := admin.get("/audit"); !strings.Contains(body, "Booked a wellbeing van for a request") || !strings.Contains(body, "Recorded what a wellbeing van visit delivered") {
			t.Errorf("the audit trail does not say the steps in words: %s", body)
		}
	})
}

// TestVanAPI: the API takes the same steps by the same rules: a request,
// a booking, a clash refused with 409 naming the booking, a negative count
// refused naming the field, the national calendar for national admins
// only, and no reach into another organisation's requests.
func TestVanAPI(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		owner, viewer, bOwner, admin := f.apiToken(f.people["A owner"]), f.apiToken(f.people["A viewer"]), f.apiToken(f.people["B owner"]), f.apiToken(f.people["admin"])
		body := `{"kind":"major_event","starts_on":"2026-07-01","ends_on":"2026-07-02","place":"Showground","expected_attendance":300,"contact":"Event lead"}`
		var ra, rb store.VanRequest
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/vans", body, &ra); code != 201 || ra.State != store.VanRequested {
			t.Fatalf("request = %d %+v", code, ra)
		}
		if code := apiCall(t, f, viewer, http.MethodPost, "/api/v1/provision/vans", body, nil); code != 403 {
			t.Errorf("a viewer's request = %d", code)
		}
		if code := apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/vans", strings.Replace(body, "2026-07-01", "2026-07-02", 1), &rb); code != 201 {
			t.Fatalf("B's request = %d", code)
		}
		var van store.Van
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/vans", `{"name":"Oscar Kilo 2","in_service":true}`, nil); code != 403 {
			t.Errorf("an owner added a van: %d", code)
		}
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/vans", `{"name":"Oscar Kilo 2","registration":"OK22 WBV","in_service":true}`, &van); code != 201 || van.ID == 0 {
			t.Fatalf("add van = %d %+v", code, van)
		}
		booking := `{"van_id":` + itoa(van.ID) + `}`
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/van-requests/"+itoa(ra.ID)+"/schedule", booking, nil); code != 403 {
			t.Errorf("an owner booked a van: %d", code)
		}
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/van-requests/"+itoa(ra.ID)+"/schedule", booking, nil); code != 200 {
			t.Fatalf("booking = %d", code)
		}
		var refused struct {
			Error struct{ Code, Message string }
		}
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/van-requests/"+itoa(rb.ID)+"/schedule", booking, &refused); code != 409 ||
			!strings.Contains(refused.Error.Message, "Oscar Kilo 2 is already booked from 1 July 2026 to 2 July 2026 for "+f.orgA.Name+"'s request "+itoa(ra.ID)) {
			t.Errorf("clash = %d %+v", code, refused)
		}
		delivery := `{"health_checks":80,"fatigue_assessments":20,"trauma_support":-1,"wellbeing_advice":50,"referrals":4,"partners":"Police Federation"}`
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/van-requests/"+itoa(ra.ID)+"/delivery", delivery, &refused); code != 422 || !strings.Contains(refused.Error.Message, "trauma_support") {
			t.Errorf("negative count = %d %+v", code, refused)
		}
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/van-requests/"+itoa(ra.ID)+"/delivery", strings.Replace(delivery, "-1", "6", 1), nil); code != 200 {
			t.Fatalf("delivery = %d", code)
		}
		var cal struct {
			Requests []store.VanRequest
			Totals   store.VanTotals
		}
		if code := apiCall(t, f, owner, http.MethodGet, "/api/v1/van-requests?year=2026", "", nil); code != 403 {
			t.Errorf("an owner read the fleet calendar: %d", code)
		}
		if code := apiCall(t, f, admin, http.MethodGet, "/api/v1/van-requests?year=2026", "", &cal); code != 200 || len(cal.Requests) != 2 || cal.Totals.Visits != 1 ||
			cal.Totals.HealthChecks != 80 || cal.Totals.TraumaSupport != 6 || cal.Totals.PartnersOnBoard != 1 {
			t.Errorf("calendar = %d %+v", code, cal)
		}
		var own struct {
			Requests []store.VanRequest
			Totals   store.VanTotals
		}
		if code := apiCall(t, f, viewer, http.MethodGet, "/api/v1/provision/vans?year=2026", "", &own); code != 200 || len(own.Requests) != 1 || own.Requests[0].State != store.VanDelivered || own.Totals.WellbeingAdvice != 50 {
			t.Errorf("A's requests = %d %+v", code, own)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/vans/"+itoa(rb.ID)+"/withdraw", "", nil); code != 404 {
			t.Errorf("A withdrew B's request: %d", code)
		}
		if code := apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/vans/"+itoa(ra.ID)+"/withdraw", "", nil); code != 409 {
			t.Errorf("withdrawing a delivered request: %d", code)
		}
		if code := apiCall(t, f, bOwner, http.MethodPost, "/api/v1/provision/vans/"+itoa(rb.ID)+"/withdraw", "", nil); code != 200 {
			t.Errorf("B's withdrawal = %d", code)
		}
		// A van out of service cannot be booked.
		if code := apiCall(t, f, admin, http.MethodPut, "/api/v1/vans/"+itoa(van.ID), `{"name":"Oscar Kilo 2","registration":"OK22 WBV","in_service":false}`, &van); code != 200 || van.InService {
			t.Fatalf("out of service = %d %+v", code, van)
		}
		var later store.VanRequest
		apiCall(t, f, owner, http.MethodPost, "/api/v1/provision/vans", strings.ReplaceAll(body, "2026-07-0", "2026-09-0"), &later)
		if code := apiCall(t, f, admin, http.MethodPost, "/api/v1/van-requests/"+itoa(later.ID)+"/schedule", booking, &refused); code != 422 || !strings.Contains(refused.Error.Message, "out of service") {
			t.Errorf("booking a van out of service = %d %+v", code, refused)
		}
	})
}

package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc/pdftest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

func TestNationalOutputs(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		base := "/national/" + itoa(f.cycle.ID)

		// Only national admins reach the national outputs.
		for _, role := range fixtureRoles {
			cl := f.signedIn(f.people["A "+role])
			for _, p := range []string{"/national", base, base + "/workbook.xlsx", base + "/summary.pdf"} {
				if resp, _ := cl.get(p); resp.StatusCode != 403 {
					t.Errorf("A %s: GET %s = %d, want 403", role, p, resp.StatusCode)
				}
			}
			if resp, _ := cl.post(base+"/batch", nil); resp.StatusCode != 403 {
				t.Errorf("A %s started a batch: %d", role, resp.StatusCode)
			}
		}

		admin := f.signedIn(f.people["admin"])
		resp, page := admin.get(base)
		if resp.StatusCode != 200 || !strings.Contains(page, f.peers[0].Name) || !strings.Contains(page, f.orgB.Name) {
			t.Fatalf("national page = %d, names every organisation: %v", resp.StatusCode, strings.Contains(page, f.peers[0].Name))
		}

		// The workbook names every organisation with its figures.
		_, data := admin.get(base + "/workbook.xlsx")
		x, err := excelize.OpenReader(bytes.NewReader([]byte(data)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Organisations")
		names := map[string][]string{}
		for _, r := range rows[1:] {
			names[r[0]] = r
		}
		if len(names) != 7 || names[f.peers[4].Name] == nil || names[f.orgB.Name] == nil {
			t.Fatalf("Organisations sheet rows: %v", names)
		}
		if !strings.Contains(strings.Join(names[f.orgB.Name], "|"), "not started") {
			t.Errorf("B is not shown as not started: %v", names[f.orgB.Name])
		}
		x.Close()

		// The summary names no organisation.
		_, pdf := admin.get(base + "/summary.pdf")
		text := pdftest.Text(t, []byte(pdf))
		if !strings.Contains(text, "2.5") {
			t.Errorf("summary lacks the national median 2.5")
		}
		for _, o := range append(f.peers, f.orgA, f.orgB) {
			if strings.Contains(text, o.Name) {
				t.Errorf("summary fit to publish names %s", o.Name)
			}
		}
	})
}

func TestBenchmarkBatch(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
	admin := f.signedIn(f.people["admin"])
	resp, _ := admin.post("/national/"+itoa(f.cycle.ID)+"/batch", url.Values{})
	if resp.StatusCode != 303 {
		t.Fatalf("start batch = %d", resp.StatusCode)
	}
	progress := resp.Header.Get("Location")
	deadline := time.Now().Add(30 * time.Second)
	var page string
	for {
		_, page = admin.get(progress)
		if strings.Contains(page, "reports ready") || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(page, "7 reports ready") {
		t.Fatalf("batch did not finish:\n%s", page)
	}
	// Another admin's batch is not visible to a different person.
	if resp, _ := f.signedIn(f.people["A owner"]).get(progress); resp.StatusCode != 403 {
		t.Errorf("owner opened a batch: %d", resp.StatusCode)
	}
	resp, data := admin.get(progress + "/download")
	if resp.StatusCode != 200 {
		t.Fatalf("download = %d", resp.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(data)), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Errorf("%s is not a PDF", zf.Name)
		}
		seen[zf.Name] = true
	}
	if len(seen) != 7 || !seen["benchmark-alpha-2026-27.pdf"] || !seen["benchmark-borset-2026-27.pdf"] {
		t.Errorf("zip holds %v", seen)
	}
	text := pdftest.Text(t, mustRead(t, zr, "benchmark-alpha-2026-27.pdf"))
	if !strings.Contains(text, f.orgA.Name) || strings.Contains(text, f.orgB.Name) {
		t.Errorf("A's report in the batch does not name A alone")
	}
}

func mustRead(t *testing.T, zr *zip.Reader, name string) []byte {
	t.Helper()
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	b.ReadFrom(rc)
	return b.Bytes()
}

// TestNationalOrganisationList: the national list searches by name,
// filters by sector and status, sorts, shows each organisation's progress
// and links the organisation to its assessment.
func TestNationalOrganisationList(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newBenchFixture(t, st, 2, 2, 3, 3, 4)
		base := "/national/" + itoa(f.cycle.ID)
		admin := f.signedIn(f.people["admin"])
		total := len(f.frameworkStandards(t, f.startAssessment(f.orgB, f.cycle.Name)))
		_, page := admin.get(base)
		if !strings.Contains(page, "All 7 organisations.") || !strings.Contains(page, itoa(int64(total))+" of "+itoa(int64(total))) || !strings.Contains(page, "0 of "+itoa(int64(total))) {
			t.Fatalf("the list does not show every organisation with its progress\n%s", page)
		}
		as, _ := st.ListAssessments(context.Background(), store.Scope{OrgID: f.peers[0].ID})
		if !strings.Contains(page, `<a class="govuk-link" href="/assessments/`+itoa(as[0].ID)+`">`+f.peers[0].Name+`</a>`) {
			t.Error("the organisation's name does not link to its assessment")
		}
		_, page = admin.get(base + "?q=" + url.QueryEscape("peer force 3"))
		if !strings.Contains(page, "1 of 7 organisations match") || !strings.Contains(page, f.peers[3].Name) || strings.Contains(page, f.peers[2].Name+"</a>") {
			t.Errorf("search by name did not narrow the list to Peer Force 3")
		}
		_, page = admin.get(base + "?sector=fire")
		if !strings.Contains(page, "1 of 7 organisations match") || !strings.Contains(page, f.orgB.Name) {
			t.Errorf("the sector filter did not keep only the fire service")
		}
		// Region and peer group: the choices are those the organisations have.
		moved := f.peers[1]
		moved.Region, moved.PeerGroup = "North East", "Metropolitan forces"
		if _, err := st.UpdateOrganisation(context.Background(), store.SystemActor("test"), moved); err != nil {
			t.Fatal(err)
		}
		_, page = admin.get(base)
		if !strings.Contains(page, `<option value="North East">North East</option>`) || !strings.Contains(page, `<option value="Metropolitan forces">Metropolitan forces</option>`) {
			t.Errorf("the region and peer group filters do not offer the organisations' own\n%s", page)
		}
		_, page = admin.get(base + "?region=" + url.QueryEscape("North East"))
		if !strings.Contains(page, "1 of 7 organisations match") || !strings.Contains(page, moved.Name+"</a>") || !strings.Contains(page, `<option value="North East" selected>`) {
			t.Errorf("the region filter did not keep only the North East force")
		}
		_, page = admin.get(base + "?peer_group=test&sector=police")
		if !strings.Contains(page, "5 of 7 organisations match") || strings.Contains(page, moved.Name+"</a>") || strings.Contains(page, f.orgB.Name+"</a>") {
			t.Errorf("the peer group and sector filters together did not keep the other police forces")
		}
		_, page = admin.get(base + "?status=draft")
		if !strings.Contains(page, f.orgB.Name) || strings.Contains(page, f.peers[0].Name+"</a>") {
			t.Errorf("the status filter did not keep only assessments in progress")
		}
		_, page = admin.get(base + "?sort=overall")
		if i, j := strings.Index(page, f.peers[4].Name+"</a>"), strings.Index(page, f.peers[0].Name+"</a>"); i < 0 || j < 0 || i > j {
			t.Errorf("sorting by overall level does not put the level-4 force first")
		}
	})
}

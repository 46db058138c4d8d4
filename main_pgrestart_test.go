package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// privatePostgres is a PostgreSQL cluster of the test's own, so that it can
// be stopped and started without disturbing the shared server other tests
// use at the same time.
type privatePostgres struct {
	bin, dir, data string
	port           int
	cred           *syscall.Credential // the postgres OS user, when the test runs as root
	url            string
}

// startPrivatePostgres makes and starts a cluster in a temporary folder on
// a free port. Without PostgreSQL's server programs the test is skipped,
// except under CI=true, where that fails.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	initdbs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(initdbs) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL's initdb and pg_ctl are needed under CI=true (apt-get install postgresql)")
		}
		t.Skip("skipped: no /usr/lib/postgresql/*/bin/initdb to run a private PostgreSQL (apt-get install postgresql)")
	}
	slices.SortFunc(initdbs, func(a, b string) int { return pgMajor(a) - pgMajor(b) })
	pg := &privatePostgres{bin: filepath.Dir(initdbs[len(initdbs)-1])}
	dir, err := os.MkdirTemp("", "toolkit-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir, pg.data = dir, filepath.Join(dir, "data")
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, a private PostgreSQL needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if out, err := pg.run("initdb", "-D", pg.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	pg.port, _ = strconv.Atoi(addr[strings.LastIndex(addr, ":")+1:])
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	pg.start(t)
	t.Cleanup(func() { pg.run("pg_ctl", "-D", pg.data, "-m", "immediate", "-w", "stop") })
	return pg
}

// pgMajor reads the version out of /usr/lib/postgresql/N/bin/initdb.
func pgMajor(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

func (pg *privatePostgres) run(program string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(pg.bin, program), args...)
	cmd.Dir = pg.dir
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (pg *privatePostgres) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", pg.port, pg.dir)
	if out, err := pg.run("pg_ctl", "-D", pg.data, "-l", filepath.Join(pg.dir, "server.log"), "-o", opts, "-w", "-t", "30", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "server.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

func (pg *privatePostgres) stop(t *testing.T) {
	t.Helper()
	if out, err := pg.run("pg_ctl", "-D", pg.data, "-m", "fast", "-w", "-t", "30", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// outcome is one request of the load.
type outcome struct {
	kind       string // save, api read, page read
	start, end time.Time
	status     int
	err        error // transport failure: refused, reset or timed out
	body       string
}

// clearFailure says whether a failed request got a proper error answer: a
// 503 with the product's JSON error or its error page.
func clearFailure(o outcome) bool {
	if o.status != http.StatusServiceUnavailable {
		return false
	}
	if o.kind == "page read" {
		return strings.Contains(o.body, "Sorry, the service is not available right now") && strings.Contains(o.body, "quote this reference")
	}
	var e struct {
		Error struct{ Code, Message, RequestID string } `json:"error"`
	}
	return json.Unmarshal([]byte(o.body), &e) == nil && e.Error.Message != "" && !strings.Contains(e.Error.Message, "SQLSTATE")
}

// signIn signs the fixture's owner in through the sign-in form.
func signIn(t *testing.T, base string, fx saveFixture) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page")
	}
	resp, err = client.PostForm(base+"/sign-in", url.Values{"_csrf": {string(m[1])}, "email": {fx.email}, "password": {fx.password}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()
	return client
}

// TestPostgresRestartUnderLoad stops PostgreSQL under the running program
// while saves and reads go on, and starts it again: the program must stay
// up, answer every request during the outage promptly with a clear error,
// report the outage on /readyz, and serve normally again by itself.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := startPrivatePostgres(t)
	settings := map[string]string{"DATABASE_URL": pg.url, "DATA_DIR": t.TempDir()}
	fx := prepareSaves(t, pg.url, settings["DATA_DIR"])
	p := startProgram(t, settings)
	browser := signIn(t, p.base, fx)

	var mu sync.Mutex
	var results []outcome
	record := func(o outcome) {
		mu.Lock()
		results = append(results, o)
		mu.Unlock()
	}
	stopLoad := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 5 * time.Second}
	worker := func(kind string, do func(n int) outcome) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				o := do(n)
				o.kind = kind
				record(o)
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	const writers = 3
	for w := range writers {
		versions := map[string]int{}
		worker("save", func(n int) outcome {
			sid := fx.standards[w+writers*(n%(len(fx.standards)/writers))]
			if versions[sid] == 0 {
				versions[sid] = 1
			}
			o := outcome{start: time.Now()}
			status, body, err := apiCall(client, http.MethodPut, saveURL(p.base, fx, sid), fx.token, answerBody(versions[sid], fmt.Sprintf("writer %d save %d", w, n)))
			o.end, o.status, o.err, o.body = time.Now(), status, err, string(body)
			var saved struct {
				Version int `json:"version"`
				Current struct {
					Version int `json:"version"`
				} `json:"current"`
			}
			json.Unmarshal(body, &saved)
			switch status {
			case http.StatusOK:
				versions[sid] = saved.Version
			case http.StatusConflict:
				// A save whose commit landed as the database went away was
				// answered with an error; the next one learns it landed.
				versions[sid] = saved.Current.Version
			}
			return o
		})
	}
	worker("api read", func(int) outcome {
		o := outcome{start: time.Now()}
		status, body, err := apiCall(client, http.MethodGet, fmt.Sprintf("%s/api/v1/assessments/%d", p.base, fx.assessmentID), fx.token, nil)
		o.end, o.status, o.err, o.body = time.Now(), status, err, string(body)
		return o
	})
	worker("page read", func(int) outcome {
		o := outcome{start: time.Now()}
		resp, err := browser.Get(fmt.Sprintf("%s/assessments/%d", p.base, fx.assessmentID))
		o.end, o.err = time.Now(), err
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			o.end, o.status, o.body = time.Now(), resp.StatusCode, string(b)
		}
		return o
	})
	defer func() {
		select {
		case <-stopLoad:
		default:
			close(stopLoad)
		}
		wg.Wait()
	}()

	time.Sleep(time.Second)
	stopBegin := time.Now()
	pg.stop(t)
	stopDone := time.Now()
	readyDown := false
	for range 60 {
		status, body := getStatus(p.base + "/readyz")
		if status == http.StatusServiceUnavailable && strings.Contains(body, `"database":"unreachable"`) {
			readyDown = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !readyDown {
		t.Error("/readyz did not report the database outage within 3 seconds")
	}
	if status, _ := getStatus(p.base + "/healthz"); status != http.StatusOK {
		t.Errorf("/healthz during the outage: %d", status)
	}
	time.Sleep(2 * time.Second)
	startBegin := time.Now()
	pg.start(t)
	startDone := time.Now()

	var recovered time.Time
	for time.Since(startDone) < 15*time.Second && recovered.IsZero() {
		mu.Lock()
		for _, o := range results {
			if o.kind == "save" && o.start.After(startDone) && o.status == http.StatusOK {
				recovered = o.end
				break
			}
		}
		mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	if recovered.IsZero() {
		t.Fatalf("no save succeeded within 15s of PostgreSQL coming back; output:\n%s", p.logs.String())
	}
	time.Sleep(time.Second) // a second of normal service after recovery
	close(stopLoad)
	wg.Wait()
	if p.exited() {
		t.Fatalf("the program exited (%v); output:\n%s", p.err, p.logs.String())
	}
	if status, body := getStatus(p.base + "/readyz"); status != http.StatusOK {
		t.Errorf("/readyz after recovery: %d %s", status, body)
	}

	failedDuringOutage, servedAfter := 0, 0
	for _, o := range results {
		switch {
		case o.err != nil:
			t.Errorf("%s at %s: no answer (%v): the program must answer, not drop or hang", o.kind, o.start.Format("15:04:05.000"), o.err)
		case o.end.Before(stopBegin), o.start.After(recovered.Add(500 * time.Millisecond)):
			if o.status != http.StatusOK && o.status != http.StatusConflict {
				t.Errorf("%s with the database up: %d %.300s", o.kind, o.status, o.body)
			}
			if o.start.After(recovered) {
				servedAfter++
			}
		case o.start.After(stopDone) && o.end.Before(startBegin):
			if !clearFailure(o) {
				t.Errorf("%s during the outage: %d %.300s", o.kind, o.status, o.body)
			}
			if d := o.end.Sub(o.start); d > 3*time.Second {
				t.Errorf("%s during the outage took %s to fail", o.kind, d)
			}
			failedDuringOutage++
		default: // as the database stops or starts: may fail, but clearly
			if o.status != http.StatusOK && o.status != http.StatusConflict && !clearFailure(o) {
				t.Errorf("%s as the database stopped or started: %d %.300s", o.kind, o.status, o.body)
			}
		}
	}
	if failedDuringOutage == 0 || servedAfter == 0 {
		t.Errorf("%d requests during the outage, %d after recovery: the load did not cover both", failedDuringOutage, servedAfter)
	}
	t.Logf("%d requests; %d answered with an error during the 2s outage; saves served again %s after PostgreSQL was back",
		len(results), failedDuringOutage, recovered.Sub(startDone).Round(time.Millisecond))
	if testing.Verbose() {
		for _, kind := range []string{"save", "api read", "page read"} {
			for _, o := range results {
				if o.kind == kind && o.start.After(stopDone) && o.end.Before(startBegin) {
					t.Logf("during the outage, a %s got %d: %.200s", kind, o.status, strings.Join(strings.Fields(o.body), " "))
					break
				}
			}
		}
	}
}

package main

// Fault tests: the product runs as its own process (this test binary,
// re-run as the program itself) and is killed, stopped, or has its
// database taken away, the way operations would see it.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
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

	"github.com/jackc/pgx/v5"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/seed"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// runAsProgram makes the test binary behave as the toolkit itself, so a
// test can start, signal and kill the real program without a build step.
const runAsProgram = "TOOLKIT_TEST_RUN_AS_PROGRAM"

func TestMain(m *testing.M) {
	if os.Getenv(runAsProgram) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// process is the toolkit serving in a child process.
type process struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // how it exited, once done is closed
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to end by itself, at most d.
func (p *process) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(d):
		t.Fatalf("the process did not exit within %s; output:\n%s", d, p.logs.String())
		return nil
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProgram runs `toolkit serve` with the settings and waits until
// /readyz says ready. The process is killed when the test ends, if it is
// still running.
func startProgram(t *testing.T, settings map[string]string) *process {
	t.Helper()
	p := launchProgram(t, settings)
	p.waitReady(t)
	return p
}

// launchProgram starts `toolkit serve` without waiting for it, so several
// can start at the same moment.
func launchProgram(t *testing.T, settings map[string]string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), runAsProgram+"=1", "LISTEN_ADDR="+addr, "LOG_FORMAT=json", "DEMO_DATA=off", "SHUTDOWN_TIMEOUT=10s")
	for k, v := range settings {
		cmd.Env = append(cmd.Env, k+"="+v) // later entries win
	}
	p := &process{cmd: cmd, base: "http://" + addr, logs: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		if !p.exited() {
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// waitReady waits until /readyz says ready, at most 20 seconds.
func (p *process) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if status, _ := getStatus(p.base + "/readyz"); status == http.StatusOK {
			return
		}
		if p.exited() {
			t.Fatalf("the program exited during start-up (%v); output:\n%s", p.err, p.logs.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within 20s; output:\n%s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var quickClient = &http.Client{Timeout: 5 * time.Second}

func getStatus(u string) (int, string) {
	resp, err := quickClient.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(b)
}

// databases lists where a fault test runs: the embedded database in its
// data folder, and a fresh PostgreSQL schema when TEST_DATABASE_URL is set
// (under CI=true it must be).
func databases(t *testing.T) map[string]func(t *testing.T) string {
	t.Helper()
	out := map[string]func(t *testing.T) string{"sqlite": func(*testing.T) string { return "" }}
	base := os.Getenv("TEST_DATABASE_URL")
	switch {
	case base != "":
		out["postgres"] = func(t *testing.T) string { return freshSchema(t, base) }
	case os.Getenv("CI") == "true":
		t.Fatal("TEST_DATABASE_URL must be set under CI=true")
	default:
		t.Log("PostgreSQL runs skipped: set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return out
}

// freshSchema makes an empty schema, dropped when the test ends, and
// returns a URL that selects it.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "f_" + hex.EncodeToString(b)
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal("TEST_DATABASE_URL is not a valid URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// saveFixture is an organisation with an owner, an API token and an open
// assessment with a blank answer for every standard.
type saveFixture struct {
	token        string
	assessmentID int64
	standards    []string
	email        string
	password     string
}

func prepareSaves(t *testing.T, databaseURL, dataDir string) saveFixture {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(ctx, databaseURL, dataDir, log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordEditions(ctx, editionRecords(set)); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	org, err := st.CreateOrganisation(ctx, cliActor, store.Organisation{Slug: "faults", Name: "Faults Constabulary", Sector: "police", Nation: "England"})
	must(err)
	fx := saveFixture{email: "owner@faults.example", password: "quiet harbour lantern seventeen"}
	owner, err := st.CreateUser(ctx, cliActor, store.AllOrganisations(), store.User{Email: fx.email, DisplayName: "Fault Owner", Role: store.RoleOwner, OrganisationID: &org.ID})
	must(err)
	hash, err := auth.HashPassword(fx.password)
	must(err)
	must(st.SetPassword(ctx, cliActor, store.AllOrganisations(), owner.ID, hash))
	now := time.Now().UTC()
	c, err := st.CreateCycle(ctx, cliActor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.AddDate(0, 0, -1), ClosesOn: now.AddDate(0, 6, 0)})
	must(err)
	fx.assessmentID, fx.standards, err = startBlankAssessment(ctx, st, set, org.ID, c.ID)
	must(err)
	token, tokenHash, err := auth.NewToken()
	must(err)
	_, err = st.CreateAPIToken(ctx, cliActor, store.APIToken{UserID: owner.ID, Name: "fault tests", Hash: tokenHash, Prefix: token[:8]})
	must(err)
	fx.token = token
	return fx
}

// savedAnswer is what the API says about one response.
type savedAnswer struct {
	StandardID string `json:"standard_id"`
	Version    int    `json:"version"`
	Evidence   string `json:"evidence"`
}

// apiCall sends one API request and returns the status and body; err is a
// transport failure (refused, reset, timed out).
func apiCall(client *http.Client, method, u, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}

func saveURL(base string, fx saveFixture, standard string) string {
	return fmt.Sprintf("%s/api/v1/assessments/%d/responses/%s", base, fx.assessmentID, standard)
}

func answerBody(version int, evidence string) map[string]any {
	return map[string]any{"level": 1 + version%3, "evidence": evidence, "version": version}
}

// savedAnswers reads every response of the fixture's assessment.
func savedAnswers(t *testing.T, base string, fx saveFixture) map[string]savedAnswer {
	t.Helper()
	status, body, err := apiCall(quickClient, http.MethodGet, fmt.Sprintf("%s/api/v1/assessments/%d", base, fx.assessmentID), fx.token, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("read the assessment: %d %v %s", status, err, body)
	}
	var out struct {
		Responses []savedAnswer `json:"responses"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]savedAnswer{}
	for _, r := range out.Responses {
		m[r.StandardID] = r
	}
	return m
}

// TestSIGKILLLosesNoAcknowledgedSave kills the program with SIGKILL while
// several clients stream saves, restarts it on the same data, and expects
// every save that was answered 200 to be there, at least at that version.
func TestSIGKILLLosesNoAcknowledgedSave(t *testing.T) {
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			settings := map[string]string{"DATABASE_URL": dbURL(t), "DATA_DIR": t.TempDir()}
			fx := prepareSaves(t, settings["DATABASE_URL"], settings["DATA_DIR"])
			p := startProgram(t, settings)

			const writers = 4
			var mu sync.Mutex
			acked := map[string]savedAnswer{}
			total := 0 // acknowledged saves
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					client := &http.Client{Timeout: 5 * time.Second}
					versions := map[string]int{}
					var mine []string // each writer owns its standards, so no save conflicts
					for i, sid := range fx.standards {
						if i%writers == w {
							mine = append(mine, sid)
						}
					}
					for n := 0; ; n++ {
						sid := mine[n%len(mine)]
						if versions[sid] == 0 {
							versions[sid] = 1
						}
						evidence := fmt.Sprintf("writer %d save %d", w, n)
						status, body, err := apiCall(client, http.MethodPut, saveURL(p.base, fx, sid), fx.token, answerBody(versions[sid], evidence))
						if err != nil {
							return // killed: this save may or may not have landed, and nobody was told it did
						}
						if status != http.StatusOK {
							t.Errorf("save %s: %d %s", sid, status, body)
							return
						}
						var saved savedAnswer
						if err := json.Unmarshal(body, &saved); err != nil || saved.Version != versions[sid]+1 {
							t.Errorf("save %s answered %s", sid, body)
							return
						}
						versions[sid] = saved.Version
						mu.Lock()
						acked[sid] = saved
						total++
						mu.Unlock()
					}
				}()
			}
			// Kill once the stream is well under way: every standard saved
			// a few times.
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				n := total
				mu.Unlock()
				if n >= 4*len(fx.standards) || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := p.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			err := p.wait(t, 5*time.Second)
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the process was not killed by SIGKILL: %v", err)
			}
			wg.Wait()
			if len(acked) == 0 {
				t.Fatalf("no save was acknowledged before the kill; output:\n%s", p.logs.String())
			}

			again := startProgram(t, settings) // waits for /readyz 200
			got := savedAnswers(t, again.base, fx)
			for sid, want := range acked {
				g := got[sid]
				if g.Version < want.Version || (g.Version == want.Version && g.Evidence != want.Evidence) {
					t.Errorf("%s: acknowledged version %d (%q), after restart version %d (%q)", sid, want.Version, want.Evidence, g.Version, g.Evidence)
				}
			}
			t.Logf("%d acknowledged saves over %d standards survived SIGKILL", total, len(acked))
			if status, body := getStatus(again.base + "/readyz"); status != http.StatusOK {
				t.Errorf("/readyz after restart: %d %s", status, body)
			}
		})
	}
}

// TestSIGTERMFinishesTheRequestInFlight sends SIGTERM while a save is half
// sent: the program must stop taking new connections, let that save finish
// and answer it, then exit 0; the save is there after a restart.
// (server.TestServeDrainsInFlightRequests covers the same inside one
// process; this is the real signal on the real program.)
func TestSIGTERMFinishesTheRequestInFlight(t *testing.T) {
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			settings := map[string]string{"DATABASE_URL": dbURL(t), "DATA_DIR": t.TempDir()}
			fx := prepareSaves(t, settings["DATABASE_URL"], settings["DATA_DIR"])
			p := startProgram(t, settings)

			body, _ := json.Marshal(answerBody(1, "sent either side of SIGTERM"))
			conn, err := net.DialTimeout("tcp", strings.TrimPrefix(p.base, "http://"), 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			head := fmt.Sprintf("PUT /api/v1/assessments/%d/responses/%s HTTP/1.1\r\nHost: toolkit\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", fx.assessmentID, fx.standards[0], fx.token, len(body))
			half := len(body) / 2
			if _, err := io.WriteString(conn, head+string(body[:half])); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond) // the server is now reading the body
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			// New connections are refused while the request is in flight.
			refused := false
			for range 40 {
				if _, err := quickClient.Get(p.base + "/healthz"); err != nil {
					refused = true
					break
				}
				time.Sleep(25 * time.Millisecond)
			}
			if !refused {
				t.Error("the program still took new connections a second after SIGTERM")
			}
			if p.exited() {
				t.Fatalf("the program exited with a request in flight (%v); output:\n%s", p.err, p.logs.String())
			}
			if _, err := conn.Write(body[half:]); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer to the request in flight: %v; output:\n%s", err, p.logs.String())
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(answer), `"version":2`) {
				t.Fatalf("request in flight answered %d %s", resp.StatusCode, answer)
			}
			if err := p.wait(t, 10*time.Second); err != nil {
				t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, p.logs.String())
			}
			if !strings.Contains(p.logs.String(), "draining requests in flight") {
				t.Errorf("the program did not say it was draining:\n%s", p.logs.String())
			}
			again := startProgram(t, settings)
			if got := savedAnswers(t, again.base, fx)[fx.standards[0]]; got.Version != 2 || got.Evidence != "sent either side of SIGTERM" {
				t.Errorf("after restart: %+v", got)
			}
		})
	}
}

// batchOrgs is how many organisations the SIGTERM batch test renders: enough
// that the batch is still running when the signal comes.
const batchOrgs = 300

// prepareBatch fills an empty database with a synthetic cycle of batchOrgs
// organisations and a national admin who can sign in, and returns the
// admin's sign-in and the cycle.
func prepareBatch(t *testing.T, databaseURL, dataDir string) (saveFixture, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, databaseURL, dataDir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Migrate(ctx))
	set, err := frameworks.Load()
	must(err)
	must(st.RecordEditions(ctx, editionRecords(set)))
	must(seed.Synthetic(ctx, st, set, batchOrgs, 1, time.Now().UTC()))
	fx := saveFixture{email: "admin@batch.example", password: "quiet harbour lantern seventeen"}
	admin, err := st.CreateUser(ctx, cliActor, store.AllOrganisations(), store.User{Email: fx.email, DisplayName: "Batch Admin", Role: store.RoleNationalAdmin})
	must(err)
	hash, err := auth.HashPassword(fx.password)
	must(err)
	must(st.SetPassword(ctx, cliActor, store.AllOrganisations(), admin.ID, hash))
	cycles, err := st.Cycles(ctx)
	must(err)
	if len(cycles) == 0 {
		t.Fatal("the synthetic data has no cycle")
	}
	return fx, cycles[0].ID
}

var reWritten = regexp.MustCompile(`(\d+) of (\d+) reports written`)

// TestSIGTERMPausesTheBatchThenClosesTheStore sends SIGTERM while a
// benchmark batch is being written: the program hands the batch's job back
// to the queue, only then closes the store, and exits 0; started again, it
// finishes the batch.
func TestSIGTERMPausesTheBatchThenClosesTheStore(t *testing.T) {
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			settings := map[string]string{"DATABASE_URL": dbURL(t), "DATA_DIR": t.TempDir()}
			fx, cycleID := prepareBatch(t, settings["DATABASE_URL"], settings["DATA_DIR"])
			p := startProgram(t, settings)
			browser := signIn(t, p.base, fx)
			get := func(base, path string) string {
				t.Helper()
				resp, err := browser.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				page, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d", path, resp.StatusCode)
				}
				return string(page)
			}
			national := "/national/" + strconv.FormatInt(cycleID, 10)
			m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(get(p.base, national))
			if m == nil {
				t.Fatal("national page: no CSRF token")
			}
			resp, err := browser.PostForm(p.base+national+"/batch", url.Values{"_csrf": {m[1]}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			progress := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || progress == "" {
				t.Fatalf("start batch = %d", resp.StatusCode)
			}
			// SIGTERM once the first reports are written.
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				page := get(p.base, progress)
				if w := reWritten.FindStringSubmatch(page); w != nil && w[1] != "0" {
					break
				}
				if !strings.Contains(page, `data-running="true"`) {
					t.Fatalf("the batch of %d organisations finished before SIGTERM could be sent: raise batchOrgs", batchOrgs)
				}
				if time.Now().After(deadline) {
					t.Fatalf("no report written in a minute:\n%s", p.logs.String())
				}
			}
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := p.wait(t, 30*time.Second); err != nil {
				t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, p.logs.String())
			}
			logs := p.logs.String()
			paused := strings.Index(logs, "benchmark batch paused")
			closed := strings.Index(logs, "database closed")
			switch {
			case paused < 0:
				t.Errorf("the program did not say the batch was paused:\n%s", logs)
			case closed < 0:
				t.Errorf("the program did not say it closed the database:\n%s", logs)
			case closed < paused:
				t.Errorf("the database was closed before the batch was paused:\n%s", logs)
			}
			if strings.Contains(logs, "benchmark batch failed") || strings.Contains(logs, `"level":"ERROR"`) {
				t.Errorf("errors logged on the way down:\n%s", logs)
			}

			// Started again, it finishes the batch.
			again := startProgram(t, settings)
			for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
				page := get(again.base, progress)
				if strings.Contains(page, strconv.Itoa(batchOrgs)+" reports ready") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the paused batch was not finished after the restart:\n%s\n%s", page, again.logs.String())
				}
			}
			stopProgram(t, again)
		})
	}
}

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

// startBlankAssessment starts an organisation's self-assessment in a cycle
// on the 2024 edition with every standard unanswered, and lists the
// standards, for the tests that run the real program against it.
func startBlankAssessment(ctx context.Context, st *store.Store, set *frameworks.Set, orgID, cycleID int64) (int64, []string, error) {
	var blank []store.Response
	var ids []string
	for _, s := range set.Framework("blwf", "2024").Standards() {
		blank = append(blank, store.Response{StandardID: s.ID})
		ids = append(ids, s.ID)
	}
	as, err := st.StartAssessment(ctx, cliActor, store.AllOrganisations(), store.Assessment{OrganisationID: orgID, CycleID: cycleID,
		FrameworkKey: "blwf", FrameworkVersion: "2024", FrameworkSHA256: set.Edition("blwf", "2024").SHA256}, blank)
	return as.ID, ids, err
}

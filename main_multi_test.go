package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"net/netip"
	"slices"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/server/auth"
	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/bluelight-wellbeing/toolkit/server/mail/mailtest"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"go.yaml.in/yaml/v3"
)

// pinHeader asks the test's proxy for one instance by name ("a" or "b");
// without it the proxy takes them in turn. instanceHeader, on each answer,
// names the instance that gave it.
const (
	pinHeader      = "X-Test-Pin"
	instanceHeader = "X-Test-Instance"
)

// roundRobin is a reverse proxy on loopback in front of several instances,
// as nginx is in docker-compose.yml: no sticky sessions.
type roundRobin struct {
	names   []string
	targets map[string]*url.URL
	next    atomic.Int64
}

func startRoundRobin(t *testing.T, instances map[string]*process) *httptest.Server {
	t.Helper()
	rr := &roundRobin{targets: map[string]*url.URL{}}
	for _, name := range []string{"a", "b"} {
		u, err := url.Parse(instances[name].base)
		if err != nil {
			t.Fatal(err)
		}
		rr.names = append(rr.names, name)
		rr.targets[name] = u
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			name := r.In.Header.Get(pinHeader)
			if _, ok := rr.targets[name]; !ok {
				name = rr.names[int(rr.next.Add(1)-1)%len(rr.names)]
			}
			r.Out.Header.Del(pinHeader)
			r.SetURL(rr.targets[name])
			r.Out.Host = r.In.Host // as nginx does with proxy_set_header Host
			// Append the client to what it sent, as nginx's
			// $proxy_add_x_forwarded_for does.
			r.Out.Header["X-Forwarded-For"] = r.In.Header["X-Forwarded-For"]
			r.SetXForwarded()
			r.Out.Header.Set(instanceHeader, name) // read back in ModifyResponse
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set(instanceHeader, resp.Request.Header.Get(instanceHeader))
			return nil
		},
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv
}

// browser is one person's browser talking to the proxy: its cookies, no
// redirects followed.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	// forwardedFor, when set, is sent as X-Forwarded-For: a client behind
	// another proxy, whose address the instances learn through ours.
	forwardedFor string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends one request, pinned to an instance when pin is not "", and
// returns the status, the body and the instance that answered.
func (b *browser) do(method, path, pin string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if pin != "" {
		req.Header.Set(pinHeader, pin)
	}
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusSeeOther {
		out = []byte(resp.Header.Get("Location"))
	}
	return resp.StatusCode, string(out), resp.Header.Get(instanceHeader)
}

var reFormToken = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formToken reads the CSRF token of the first form on a page.
func (b *browser) formToken(path, pin string) string {
	b.t.Helper()
	status, body, _ := b.do(http.MethodGet, path, pin, nil)
	m := reFormToken.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s = %d with no form token", path, status)
	}
	return m[1]
}

// signIn signs in with the form got from one instance and sent to the other.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	token := b.formToken("/sign-in", "a")
	status, where, by := b.do(http.MethodPost, "/sign-in", "b", url.Values{"_csrf": {token}, "email": {email}, "password": {password}})
	if status != http.StatusSeeOther || by != "b" || strings.HasPrefix(where, "/sign-in") {
		b.t.Fatalf("sign in as %s through b with a's form: %d to %.200q", email, status, where)
	}
}

// multiFixture is what the two-instance test works on: an organisation
// whose self-assessment is due within two weeks, its owner, and a national
// admin.
type multiFixture struct {
	saveFixture
	cycleID      int64
	admin, owner string
}

func prepareTwoInstances(t *testing.T, databaseURL string) multiFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, databaseURL, t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fx := multiFixture{admin: "national@multi.example", owner: "owner@multi.example"}
	fx.password = "quiet harbour lantern seventeen"
	fx.email = fx.owner
	org, err := st.CreateOrganisation(ctx, cliActor, store.Organisation{Slug: "multi", Name: "Multi Fire and Rescue Service", Sector: "fire", Nation: "England"})
	must(err)
	hash, err := auth.HashPassword(fx.password)
	must(err)
	for _, u := range []store.User{
		{Email: fx.admin, DisplayName: "National Admin", Role: store.RoleNationalAdmin},
		{Email: fx.owner, DisplayName: "Multi Owner", Role: store.RoleOwner, OrganisationID: &org.ID},
	} {
		made, err := st.CreateUser(ctx, cliActor, store.AllOrganisations(), u)
		must(err)
		must(st.SetPassword(ctx, cliActor, store.AllOrganisations(), made.ID, hash))
		if u.Role == store.RoleOwner {
			token, tokenHash, err := auth.NewToken()
			must(err)
			_, err = st.CreateAPIToken(ctx, cliActor, store.APIToken{UserID: made.ID, Name: "two instances", Hash: tokenHash, Prefix: token[:8]})
			must(err)
			fx.token = token
		}
	}
	// Closing in ten days: the owner is reminded that the return is due.
	now := time.Now().UTC()
	c, err := st.CreateCycle(ctx, cliActor, store.Cycle{Name: "2026/27", FrameworkKey: "blwf", FrameworkVersion: "2024", OpensOn: now.AddDate(0, 0, -30), ClosesOn: now.AddDate(0, 0, 10)})
	must(err)
	fx.cycleID = c.ID
	fx.assessmentID, fx.standards, err = startBlankAssessment(ctx, st, set, org.ID, c.ID)
	must(err)
	return fx
}

// stopProgram sends SIGTERM and expects a clean exit.
func stopProgram(t *testing.T, p *process) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t, 20*time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, p.logs.String())
	}
}

// launchTogether starts one instance per name at the same moment and waits
// until every one is ready.
func launchTogether(t *testing.T, settings map[string]string, names ...string) map[string]*process {
	t.Helper()
	out := map[string]*process{}
	for _, name := range names {
		s := map[string]string{"DATA_DIR": t.TempDir()}
		for k, v := range settings {
			s[k] = v
		}
		out[name] = launchProgram(t, s)
	}
	for _, name := range names {
		out[name].waitReady(t)
	}
	return out
}

var reSubmission = regexp.MustCompile(`<th scope="row" class="govuk-table__header">[^<]*</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>`)

// submitted reads the national page's count of returned self-assessments
// from one instance: drawn from that instance's cached cycle figures.
func submitted(t *testing.T, admin *browser, cycleID int64, pin string) int {
	t.Helper()
	status, body, by := admin.do(http.MethodGet, fmt.Sprintf("/national/%d", cycleID), pin, nil)
	m := reSubmission.FindStringSubmatch(body)
	if status != http.StatusOK || by != pin || m == nil {
		t.Fatalf("national page through %s (answered by %q) = %d with no submission table", pin, by, status)
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// postgresOnly is the PostgreSQL server of TEST_DATABASE_URL, for tests of
// several instances (the embedded database is for one); without it the
// test is skipped, except under CI=true, where that fails.
func postgresOnly(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_DATABASE_URL must be set under CI=true")
		}
		t.Skip("PostgreSQL tests skipped: set TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return base
}

// TestTwoInstancesOnOnePostgres runs two app processes on one PostgreSQL
// database behind a round-robin reverse proxy on loopback, with no sticky
// sessions, and checks that whatever instance answers, people see one
// service: start-up on an empty database, reminders, sessions, form tokens,
// the benchmark figures, a batch of reports, the sign-in limit and sign-out.
func TestTwoInstancesOnOnePostgres(t *testing.T) {
	base := postgresOnly(t)
	relay := mailtest.Start(t, config.SMTPNone, "toolkit", "relay password 1")
	settings := map[string]string{
		"DATABASE_URL":        freshSchema(t, base),
		"TRUSTED_PROXIES":     "127.0.0.1",
		"INITIAL_ADMIN_EMAIL": "first@multi.example",
		"REMINDER_INTERVAL":   "1h",
		"SMTP_HOST":           relay.Host, "SMTP_PORT": strconv.Itoa(relay.Port), "SMTP_MODE": "none",
		"SMTP_USER": "toolkit", "SMTP_PASSWORD": "relay password 1", "SMTP_FROM": "toolkit@multi.example",
	}

	// Two instances starting at the same moment on an empty database both
	// come up: one migrates while the other waits, the editions are
	// recorded once, and one of them creates the first admin.
	first := launchTogether(t, settings, "a", "b")
	logs := first["a"].logs.String() + first["b"].logs.String()
	if n := strings.Count(logs, "No accounts existed"); n != 1 {
		t.Errorf("the first admin was announced %d times, want once:\n%s", n, logs)
	}
	if n := strings.Count(logs, `"msg":"applied migration"`); n == 0 {
		t.Errorf("no migration applied:\n%s", logs)
	}
	stopProgram(t, first["a"])
	stopProgram(t, first["b"])

	fx := prepareTwoInstances(t, settings["DATABASE_URL"])

	// Both scan for reminders as they start: each reminder is sent once
	// (counted once both have stopped, so both scans are over).
	inst := launchTogether(t, settings, "a", "b")
	due := "The 2026/27 self-assessment is due on " + time.Now().UTC().AddDate(0, 0, 10).Format("2 January 2006")
	for deadline := time.Now().Add(20 * time.Second); len(relay.To(fx.owner)) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no reminder reached %s:\n%s\n%s", fx.owner, inst["a"].logs.String(), inst["b"].logs.String())
		}
	}
	defer func() {
		seen := map[string]int{}
		for _, m := range relay.Messages() {
			seen[strings.Join(m.To, ",")+": "+m.Header.Get("Subject")]++
		}
		if n := seen[fx.owner+": "+due]; n != 1 {
			t.Errorf("%q sent %d times to the owner, want once; sent: %v", due, n, seen)
		}
		for what, n := range seen {
			if n > 1 {
				t.Errorf("%q sent %d times", what, n)
			}
		}
	}()

	proxy := startRoundRobin(t, inst)

	// A session made through one instance works on the other.
	admin := newBrowser(t, proxy.URL)
	admin.signIn(fx.admin, fx.password)
	if status, body, _ := admin.do(http.MethodGet, "/national", "a", nil); status != http.StatusOK || !strings.Contains(body, "2026/27") {
		t.Fatalf("the national list through a after signing in through b = %d", status)
	}

	// A form's token from one instance is accepted by the other: the owner
	// saves an answer with the form read from a through b.
	owner := newBrowser(t, proxy.URL)
	owner.signIn(fx.owner, fx.password)
	formStd := fx.standards[0]
	page := fmt.Sprintf("/assessments/%d/standards/%s", fx.assessmentID, formStd)
	token := owner.formToken(page, "a")
	if status, where, by := owner.do(http.MethodPost, page, "b", url.Values{"_csrf": {token}, "level": {"2"}, "version": {"1"}, "evidence": {"Saved through b"}}); status != http.StatusSeeOther || by != "b" || !strings.Contains(where, "saved") {
		t.Fatalf("saving with a's form through b = %d to %q", status, where)
	}
	if status, body, _ := owner.do(http.MethodGet, page, "a", nil); status != http.StatusOK || !strings.Contains(body, "Saved through b") {
		t.Errorf("the answer saved through b is not on a's page (%d)", status)
	}

	// A change through one instance is in the other's cached figures at
	// once: both have the figures cached before the return is submitted
	// through a, and b shows it on the very next request.
	if a, b := submitted(t, admin, fx.cycleID, "a"), submitted(t, admin, fx.cycleID, "b"); a != 0 || b != 0 {
		t.Fatalf("before submission: a says %d returned, b %d", a, b)
	}
	api := &http.Client{Timeout: 20 * time.Second}
	for _, sid := range fx.standards[1:] { // through the proxy in turn
		if status, body, err := apiCall(api, http.MethodPut, saveURL(proxy.URL, fx.saveFixture, sid), fx.token, answerBody(1, "Answered")); err != nil || status != http.StatusOK {
			t.Fatalf("answer %s: %d %v %s", sid, status, err, body)
		}
	}
	submit, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/assessments/%d/submit", proxy.URL, fx.assessmentID),
		strings.NewReader(`{"signed_off_name":"Chief Fire Officer Ada Smith","signed_off_role":"Chief fire officer"}`))
	submit.Header.Set("Authorization", "Bearer "+fx.token)
	submit.Header.Set("Content-Type", "application/json")
	submit.Header.Set(pinHeader, "a")
	resp, err := api.Do(submit)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(instanceHeader) != "a" {
		t.Fatalf("submit through a = %d", resp.StatusCode)
	}
	if b := submitted(t, admin, fx.cycleID, "b"); b != 1 {
		t.Errorf("b shows %d returned right after the submission through a, want 1", b)
	}

	// A batch of benchmark PDFs started through a is followed and
	// downloaded through b: it is a job in the database, with its PDFs.
	national := fmt.Sprintf("/national/%d", fx.cycleID)
	token = admin.formToken(national, "a")
	status, progress, _ := admin.do(http.MethodPost, national+"/batch", "a", url.Values{"_csrf": {token}})
	if status != http.StatusSeeOther || !strings.HasPrefix(progress, "/national/batches/") {
		t.Fatalf("start a batch through a = %d to %q", status, progress)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		status, body, _ := admin.do(http.MethodGet, progress, "b", nil)
		if status == http.StatusOK && strings.Contains(body, "reports ready") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch started through a is not finished on b's page (%d):\n%s", status, body)
		}
	}
	if status, body, _ := admin.do(http.MethodGet, progress+"/download", "b", nil); status != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("downloading through b the batch started through a = %d, %d bytes", status, len(body))
	} else if zr, err := zip.NewReader(strings.NewReader(body), int64(len(body))); err != nil || len(zr.File) == 0 {
		t.Errorf("the zip through b holds %v (err %v)", zr, err)
	}

	// The sign-in limit is shared, by the address the proxy forwards: five
	// wrong passwords for the owner from one address through a, and the
	// next from another unfamiliar address through b is refused unchecked;
	// the owner, at the address they signed in from, still gets in.
	stranger := newBrowser(t, proxy.URL)
	stranger.forwardedFor = "198.51.100.7"
	token = stranger.formToken("/sign-in", "a")
	try := func(pin string) (int, string) {
		status, body, _ := stranger.do(http.MethodPost, "/sign-in", pin, url.Values{"_csrf": {token}, "email": {fx.owner}, "password": {"not the password at all"}})
		return status, body
	}
	for i := range 5 {
		if status, body := try("a"); status != http.StatusUnauthorized || strings.Contains(body, "too many failed attempts") {
			t.Fatalf("wrong password %d through a = %d, want 401", i+1, status)
		}
	}
	stranger.forwardedFor = "198.51.100.8"
	if status, body := try("b"); status != http.StatusTooManyRequests || !strings.Contains(body, "too many failed attempts") {
		t.Errorf("the sixth attempt, from another address through b, = %d; want refused for the failures through a", status)
	}
	newBrowser(t, proxy.URL).signIn(fx.owner, fx.password) // from 127.0.0.1, familiar: through b

	// Signing out through one instance ends the session on the other.
	token = admin.formToken("/national", "b")
	if status, where, _ := admin.do(http.MethodPost, "/sign-out", "b", url.Values{"_csrf": {token}}); status != http.StatusSeeOther || !strings.HasPrefix(where, "/sign-in") {
		t.Fatalf("sign out through b = %d to %q", status, where)
	}
	if status, where, _ := admin.do(http.MethodGet, "/national", "a", nil); status != http.StatusSeeOther || !strings.HasPrefix(where, "/sign-in") {
		t.Errorf("a still serves the session ended through b: %d to %q", status, where)
	}

	stopProgram(t, inst["a"])
	stopProgram(t, inst["b"])
}

// The compose file and the proxy beside it: checked without docker.
// composeFile is the part of docker-compose.yml the checks below read.
type composeFile struct {
	Services map[string]struct {
		Build       string            `yaml:"build"`
		Image       string            `yaml:"image"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Networks    yaml.Node         `yaml:"networks"`
	} `yaml:"services"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
}

// TestComposeAndNginxAgree checks, without running docker, that
// docker-compose.yml and deploy/nginx.conf describe one service: nginx
// sends requests to every app instance on the port it listens on, the
// instances share one database and believe forwarded addresses from the
// proxy alone, and the published port reaches nginx.
func TestComposeAndNginxAgree(t *testing.T) {
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(raw, &cf); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	conf, err := os.ReadFile("deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	nginx := string(conf)

	// The app instances are the services built from this repository.
	var apps []string
	for name, s := range cf.Services {
		if s.Build == "." {
			apps = append(apps, name)
		}
	}
	slices.Sort(apps)
	if len(apps) < 2 {
		t.Fatalf("app instances in docker-compose.yml: %v, want at least two", apps)
	}
	proxy, ok := cf.Services["proxy"]
	if !ok || !strings.HasPrefix(proxy.Image, "nginx:") {
		t.Fatalf("no nginx service named proxy in docker-compose.yml")
	}
	if !slices.Contains(proxy.Volumes, "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro") {
		t.Errorf("the proxy does not mount deploy/nginx.conf: %v", proxy.Volumes)
	}

	// The proxy's fixed address, inside the network's subnet.
	var proxyNets map[string]struct {
		IPv4 string `yaml:"ipv4_address"`
	}
	if err := proxy.Networks.Decode(&proxyNets); err != nil || len(proxyNets) != 1 {
		t.Fatalf("the proxy needs one network with a fixed address (%v)", err)
	}
	var proxyAddr netip.Addr
	for netName, n := range proxyNets {
		proxyAddr, err = netip.ParseAddr(n.IPv4)
		if err != nil {
			t.Fatalf("the proxy's ipv4_address %q: %v", n.IPv4, err)
		}
		subnets := cf.Networks[netName].IPAM.Config
		if len(subnets) != 1 || !netip.MustParsePrefix(subnets[0].Subnet).Contains(proxyAddr) {
			t.Errorf("the proxy's address %s is not in network %s's subnet %v", proxyAddr, netName, subnets)
		}
	}

	// Every instance: one database, one port, TRUSTED_PROXIES the proxy
	// alone, and settings the app accepts.
	var port, databaseURL string
	for _, name := range apps {
		env := cf.Services[name].Environment
		cfg, err := config.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("%s's settings: %v", name, err)
		}
		if databaseURL == "" {
			databaseURL = cfg.DatabaseURL
		}
		if cfg.DatabaseURL != databaseURL || !strings.Contains(cfg.DatabaseURL, "@db:") {
			t.Errorf("%s's DATABASE_URL %q: every instance must use the one database, the db service", name, cfg.DatabaseURL)
		}
		if !slices.Equal(cfg.TrustedProxies, []string{proxyAddr.String()}) {
			t.Errorf("%s believes forwarded addresses from %v, want the proxy alone (%s)", name, cfg.TrustedProxies, proxyAddr)
		}
		_, p, _ := strings.Cut(cfg.ListenAddr, ":")
		if port != "" && p != port {
			t.Errorf("%s listens on port %s, the others on %s", name, p, port)
		}
		port = p
		if len(cf.Services[name].Ports) != 0 {
			t.Errorf("%s publishes %v: only the proxy should be reachable from outside", name, cf.Services[name].Ports)
		}
	}

	// nginx: one upstream listing exactly those instances on that port, the
	// one location passing to it, listening where compose publishes.
	upstream := regexp.MustCompile(`(?s)upstream\s+(\w+)\s*\{(.*?)\}`).FindStringSubmatch(nginx)
	if upstream == nil {
		t.Fatal("deploy/nginx.conf has no upstream block")
	}
	var servers []string
	for _, m := range regexp.MustCompile(`(?m)^\s*server\s+([^\s;]+)`).FindAllStringSubmatch(upstream[2], -1) {
		servers = append(servers, m[1])
	}
	slices.Sort(servers)
	var want []string
	for _, name := range apps {
		want = append(want, name+":"+port)
	}
	slices.Sort(want)
	if !slices.Equal(servers, want) {
		t.Errorf("nginx upstream %s lists %v, compose runs %v", upstream[1], servers, want)
	}
	if !strings.Contains(nginx, "proxy_pass http://"+upstream[1]+";") {
		t.Errorf("nginx does not pass requests to upstream %s", upstream[1])
	}
	for _, h := range []string{"X-Forwarded-For $proxy_add_x_forwarded_for;", "X-Forwarded-Proto $scheme;", "Host $host;"} {
		if !strings.Contains(nginx, "proxy_set_header "+h) {
			t.Errorf("nginx does not set %s", h)
		}
	}
	listen := regexp.MustCompile(`(?m)^\s*listen\s+(\d+);`).FindStringSubmatch(nginx)
	if len(proxy.Ports) != 1 || listen == nil || !strings.HasSuffix(proxy.Ports[0], ":"+listen[1]) {
		t.Errorf("compose publishes the proxy's %v, nginx listens on %v", proxy.Ports, listen)
	}
	if regexp.MustCompile(`(?m)^\s*(ip_hash|hash|sticky)\b`).MatchString(nginx) {
		t.Error("nginx pins clients to one instance; nothing needs it")
	}

	// The largest body the app takes, the workbook upload, gets through.
	size := regexp.MustCompile(`client_max_body_size\s+(\d+)m;`).FindStringSubmatch(nginx)
	if size == nil {
		t.Fatal("nginx sets no client_max_body_size in megabytes")
	}
	if mb, _ := strconv.Atoi(size[1]); mb<<20 <= assessmentbook.MaxUploadBytes {
		t.Errorf("nginx takes bodies up to %s MiB, the workbook upload may be %d bytes", size[1], assessmentbook.MaxUploadBytes)
	}
}

// TestBatchSurvivesAKilledInstance kills (SIGKILL) the instance running a
// batch of benchmark PDFs part way through: another instance takes the
// batch up within two minutes and finishes it, and the zip holds each
// organisation's report once, none missing.
func TestBatchSurvivesAKilledInstance(t *testing.T) {
	base := postgresOnly(t)
	t.Parallel() // most of it is waiting for the dead instance's job to be taken up
	ctx := context.Background()
	databaseURL := freshSchema(t, base)
	var out bytes.Buffer
	if code := run(ctx, []string{"seed", "-synthetic", "-orgs", "60", "-cycles", "1"}, envOf(map[string]string{"DATABASE_URL": databaseURL, "DATA_DIR": t.TempDir()}), nil, &out, &out); code != 0 {
		t.Fatalf("seed: %d %s", code, out.String())
	}
	st, err := store.Open(ctx, databaseURL, t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	password := "quiet harbour lantern seventeen"
	admin, err := st.CreateUser(ctx, cliActor, store.AllOrganisations(), store.User{Email: "national@kill.example", DisplayName: "National Admin", Role: store.RoleNationalAdmin})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(ctx, cliActor, store.AllOrganisations(), admin.ID, hash); err != nil {
		t.Fatal(err)
	}
	cycles, err := st.Cycles(ctx)
	if err != nil || len(cycles) == 0 {
		t.Fatalf("cycles: %v %v", cycles, err)
	}
	cycle := cycles[len(cycles)-1]

	settings := map[string]string{"DATABASE_URL": databaseURL, "LOG_LEVEL": "warn"}
	a := launchTogether(t, settings, "a")["a"]
	b := newBrowser(t, a.base)
	token := b.formToken("/sign-in", "")
	if status, where, _ := b.do(http.MethodPost, "/sign-in", "", url.Values{"_csrf": {token}, "email": {admin.Email}, "password": {password}}); status != http.StatusSeeOther || strings.HasPrefix(where, "/sign-in") {
		t.Fatalf("sign in = %d to %q", status, where)
	}
	national := fmt.Sprintf("/national/%d", cycle.ID)
	token = b.formToken(national, "")
	status, progress, _ := b.do(http.MethodPost, national+"/batch", "", url.Values{"_csrf": {token}})
	if status != http.StatusSeeOther || !strings.HasPrefix(progress, "/national/batches/") {
		t.Fatalf("start the batch = %d to %q", status, progress)
	}
	id := strings.TrimPrefix(progress, "/national/batches/")
	sys := store.SystemActor("test")

	// Killed as soon as it has written its first report.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		bt, err := st.Batch(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if bt.Done > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch wrote nothing in a minute:\n%s", a.logs.String())
		}
	}
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	a.wait(t, 10*time.Second)
	killed, err := st.Batch(ctx, sys, id)
	if err != nil {
		t.Fatal(err)
	}
	if !killed.Running() || killed.Done >= killed.Total {
		t.Fatalf("the batch was over (%d of %d) before its instance was killed: the test needs a slower batch", killed.Done, killed.Total)
	}
	t.Logf("killed with %d of %d reports written", killed.Done, killed.Total)

	killedAt := time.Now()
	other := launchTogether(t, settings, "b")["b"]
	b.base = other.base // the session is in the database
	for deadline := killedAt.Add(2 * time.Minute); ; time.Sleep(250 * time.Millisecond) {
		bt, err := st.Batch(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		if bt.Done > killed.Done || !bt.Running() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the killed instance's batch was not taken up within two minutes:\n%s", other.logs.String())
		}
	}
	t.Logf("taken up %v after the kill", time.Since(killedAt).Round(time.Second))
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		status, body, _ := b.do(http.MethodGet, progress, "", nil)
		if status == http.StatusOK && strings.Contains(body, fmt.Sprintf("%d reports ready", killed.Total)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch taken up was not finished (%d):\n%s\n%s", status, body, other.logs.String())
		}
	}

	status, body, _ := b.do(http.MethodGet, progress+"/download", "", nil)
	if status != http.StatusOK {
		t.Fatalf("download = %d", status)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, f := range zr.File {
		seen[f.Name]++
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		io.ReadFull(rc, head)
		rc.Close()
		if string(head) != "%PDF-" {
			t.Errorf("%s is not a PDF", f.Name)
		}
	}
	orgs, err := st.ListOrganisations(ctx, store.AllOrganisations())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if n := seen[reporting.BenchmarkFileName(o, cycle)]; n != 1 {
			t.Errorf("%s's report is in the zip %d times", o.Slug, n)
		}
	}
	if len(zr.File) != killed.Total || len(seen) != killed.Total {
		t.Errorf("the zip holds %d files (%d names), want %d", len(zr.File), len(seen), killed.Total)
	}
}

package server_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// Body limits: 1 MiB for every route, except the workbook upload, which may
// take the app's BodyLimit (a 5 MiB workbook and its form).
const formLimit = 1 << 20

var uploadRoute = "POST /assessments/:id/upload"

// fingerprint hashes every row of every table, to show nothing changed.
func fingerprint(t *testing.T, st *store.Store) [32]byte {
	t.Helper()
	tables, err := st.DB().Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, table := range tables {
		if strings.HasPrefix(table, "river_") {
			continue // the job queue's own heartbeats, which move by themselves
		}
		rows, err := st.DB().Raw("SELECT * FROM " + table + " ORDER BY 1").Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if name, _ := vals[0].(string); table == "sqlite_sequence" && strings.HasPrefix(name, "river_") {
				continue // the job queue's counters (its jobs are not a request's change)
			}
			fmt.Fprintln(h, table, vals)
		}
		rows.Close()
	}
	return [32]byte(h.Sum(nil))
}

// TestBodyLimitOnEveryRoute sends every route, signed in with a valid CSRF
// token, a body one byte over its limit, and expects 413 and no change.
// Routes come from the app itself, so a new route cannot escape the limit.
func TestBodyLimitOnEveryRoute(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.openCycle("2026/27")
		f.startAssessment(f.orgA, "2026/27")
		owner := f.signedIn(f.people["A owner"])
		owner.bearer = f.apiToken(f.people["A owner"])
		uploadLimit := f.srv.App().Config().BodyLimit
		if uploadLimit <= formLimit {
			t.Fatalf("BodyLimit %d leaves no room for the workbook upload", uploadLimit)
		}
		send := func(method, path string, body io.Reader, size int64) int {
			t.Helper()
			req := httptest.NewRequest(method, path, body)
			req.ContentLength = size
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+owner.bearer)
			}
			req.Header.Set("X-CSRF-Token", owner.csrf)
			for k, v := range owner.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := f.srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			return resp.StatusCode
		}
		over := func(n int) []byte { return bytes.Repeat([]byte("a"), n+1) }
		before := fingerprint(t, st)

		checked, upload := 0, ""
		for _, r := range f.srv.App().GetRoutes(true) {
			if r.Method == fiber.MethodHead {
				continue
			}
			limit := formLimit
			if r.Method+" "+r.Path == uploadRoute {
				limit = uploadLimit
			}
			path := reParam.ReplaceAllString(r.Path, "1")
			if limit == uploadLimit {
				upload = path // over the app's BodyLimit: checked on a real connection below
				continue
			}
			body := over(limit)
			if got := send(r.Method, path, bytes.NewReader(body), int64(len(body))); got != fiber.StatusRequestEntityTooLarge {
				t.Errorf("%s %s with %d bytes = %d, want 413", r.Method, r.Path, len(body), got)
			}
			checked++
		}
		if upload == "" {
			t.Fatalf("no route %s", uploadRoute)
		}
		if got := overOnTheWire(t, f, upload, uploadLimit, owner); got != fiber.StatusRequestEntityTooLarge {
			t.Errorf("%s with %d bytes = %d, want 413", uploadRoute, uploadLimit+1, got)
		}
		if checked < 50 {
			t.Fatalf("only %d routes checked", checked)
		}
		// Without a length up front, the limit holds all the same.
		if got := chunkedOnTheWire(t, f, "/tokens", over(formLimit), owner); got != fiber.StatusRequestEntityTooLarge {
			t.Errorf("chunked POST /tokens = %d, want 413", got)
		}
		if after := fingerprint(t, st); after != before {
			t.Error("a request over the limit changed the database")
		}

		// The limits are not lower than they say.
		if got := send(fiber.MethodGet, "/healthz", bytes.NewReader(over(formLimit-1)), formLimit); got != fiber.StatusOK {
			t.Errorf("GET /healthz with a body of exactly 1 MiB = %d, want 200", got)
		}
		if got := send(fiber.MethodPost, "/assessments/1/upload", bytes.NewReader(over(uploadLimit-1)), int64(uploadLimit)); got == fiber.StatusRequestEntityTooLarge {
			t.Errorf("the upload with a body of exactly the limit = %d", got)
		}
		t.Logf("%d routes refused a body over their limit", checked+1)
	})
}

// overOnTheWire posts limit+1 bytes to path over a real connection. Over the
// app's BodyLimit fasthttp refuses the body as it arrives, and app.Test
// reports that as an error instead of returning the 413 it sent.
func overOnTheWire(t *testing.T, f *fixture, path string, limit int, cl *client) int {
	t.Helper()
	var cookies []string
	for k, v := range cl.cookies {
		cookies = append(cookies, k+"="+v)
	}
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=x\r\nX-CSRF-Token: %s\r\nCookie: %s\r\nContent-Length: %d\r\n\r\n",
		path, cl.csrf, strings.Join(cookies, "; "), limit+1)
	return onTheWire(t, f, head, bytes.Repeat([]byte("a"), limit+1)).StatusCode
}

// chunkedOnTheWire posts body as a form in chunks, with no length up front.
func chunkedOnTheWire(t *testing.T, f *fixture, path string, body []byte, cl *client) int {
	t.Helper()
	var cookies []string
	for k, v := range cl.cookies {
		cookies = append(cookies, k+"="+v)
	}
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nX-CSRF-Token: %s\r\nCookie: %s\r\nTransfer-Encoding: chunked\r\n\r\n",
		path, cl.csrf, strings.Join(cookies, "; "))
	var chunks bytes.Buffer
	for rest := body; len(rest) > 0; {
		n := min(len(rest), 4096)
		fmt.Fprintf(&chunks, "%x\r\n%s\r\n", n, rest[:n])
		rest = rest[n:]
	}
	chunks.WriteString("0\r\n\r\n")
	return onTheWire(t, f, head, chunks.Bytes()).StatusCode
}

// onTheWire serves the app on loopback, sends head and then body (the
// server may stop reading at any point) on one connection, and reads the
// response: for what fasthttp answers itself, before the app sees the
// request, which app.Test cannot show.
func onTheWire(t *testing.T, f *fixture, head string, body []byte) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(serveOn(t, f.srv), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	go conn.Write(body)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

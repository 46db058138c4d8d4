package server_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/bluelight-wellbeing/toolkit/server"
	"github.com/bluelight-wellbeing/toolkit/server/requestid"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestRequestDeadlines lists the routes that get the long deadline: the
// workbook upload and the downloads of generated files. Everything else
// gets 30 seconds.
func TestRequestDeadlines(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	s := newServer(t, st)
	long := map[string]bool{
		"POST /assessments/:id/upload":               true,
		"GET /assessments/:id/workbook.xlsx":         true,
		"GET /reports/:cycle/benchmark.pdf":          true,
		"GET /reports/:cycle/gap-analysis.xlsx":      true,
		"GET /reports/:cycle/business-case.pdf":      true,
		"GET /national/:cycle/workbook.xlsx":         true,
		"GET /national/:cycle/summary.pdf":           true,
		"GET /national/batches/:batch/download":      true,
		"GET /audit.csv":                             true,
		"GET /assessments/:id/upload":                true, // the same path as the upload; its page is quick anyway
		"HEAD /assessments/:id/workbook.xlsx":        true,
		"HEAD /reports/:cycle/benchmark.pdf":         true,
		"HEAD /reports/:cycle/gap-analysis.xlsx":     true,
		"HEAD /reports/:cycle/business-case.pdf":     true,
		"HEAD /national/:cycle/workbook.xlsx":        true,
		"HEAD /national/:cycle/summary.pdf":          true,
		"HEAD /national/batches/:batch/download":     true,
		"HEAD /audit.csv":                            true,
		"HEAD /assessments/:id/upload":               true,
		"POST /assessments/:id/upload/:uid/apply":    false, // applying is quick: the upload did the work
		"GET /reports/:cycle/business-case":          false,
		"GET /national/:cycle":                       false,
		"GET /national/batches/:batch":               false,
		"GET /assets/*":                              false,
		"GET /api/v1/assessments/:id":                false,
		"PUT /api/v1/assessments/:id/responses/:sid": false,
	}
	param := regexp.MustCompile(`:[a-z]+|\*`)
	seen := map[string]bool{}
	for _, r := range s.App().GetRoutes(true) {
		name := r.Method + " " + r.Path
		path := param.ReplaceAllString(r.Path, "7")
		want := 30 * time.Second
		if long[name] {
			want = 5 * time.Minute
		}
		seen[name] = true
		for _, p := range []string{path, path + "/", strings.ToUpper(path)} {
			if got := server.TimeoutFor(p); got != want {
				t.Errorf("%s %s: deadline %s, want %s", r.Method, p, got, want)
			}
		}
	}
	for name := range long {
		if !seen[name] {
			t.Errorf("no route %s: update this test", name)
		}
	}
}

// TestClientGoingAwayCancelsStoreWork serves on a real listener, holds a
// request inside its store query, closes the client's connection, and
// expects the context that query was given to be cancelled. The context
// also carries the request id and the 30-second deadline.
func TestClientGoingAwayCancelsStoreWork(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		cookie := f.signedIn(f.people["admin"]).cookies["session"]
		const id = "client-goes-away-1"

		type seen struct {
			deadline time.Time
			err      error
		}
		entered, ended := make(chan seen, 1), make(chan seen, 1)
		err := st.DB().Callback().Query().Before("gorm:query").Register("test:hold", func(db *gorm.DB) {
			ctx := db.Statement.Context
			if db.Statement.Table != "organisations" || requestid.From(ctx) != id {
				return
			}
			d, _ := ctx.Deadline()
			entered <- seen{deadline: d}
			select {
			case <-ctx.Done():
				ended <- seen{err: ctx.Err()}
			case <-time.After(15 * time.Second):
				ended <- seen{err: errors.New("not cancelled within 15s")}
			}
		})
		if err != nil {
			t.Fatal(err)
		}

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- f.srv.Serve(ctx, ln, 5*time.Second) }()
		defer func() { cancel(); <-served }()

		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /organisations HTTP/1.1\r\nHost: toolkit\r\nCookie: session=%s\r\nX-Request-Id: %s\r\n\r\n", cookie, id)
		var in seen
		select {
		case in = <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the request never reached the store")
		}
		if left := time.Until(in.deadline); left < 25*time.Second || left > 30*time.Second {
			t.Errorf("the store's context has %s left, want just under 30s", left)
		}
		closed := time.Now()
		conn.Close()
		out := <-ended
		if !errors.Is(out.err, context.Canceled) {
			t.Fatalf("after the client went away the store's context ended with %v, want context.Canceled", out.err)
		}
		t.Logf("store work cancelled %s after the client closed", time.Since(closed).Round(time.Millisecond))
	})
}

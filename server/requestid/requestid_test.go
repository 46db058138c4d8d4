package requestid_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/requestid"
)

func TestLogHandlerAddsTheRequestIDOnce(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(requestid.LogHandler(slog.NewTextHandler(&buf, nil)))
	ctx := requestid.With(context.Background(), "abc12345")
	line := func(f func()) string { buf.Reset(); f(); return strings.TrimSpace(buf.String()) }

	if got := line(func() { log.InfoContext(ctx, "with") }); !strings.HasSuffix(got, "request_id=abc12345") {
		t.Errorf("logged with the context: %s", got)
	}
	if got := line(func() { log.Info("without") }); strings.Contains(got, "request_id") {
		t.Errorf("logged without a context: %s", got)
	}
	if got := line(func() { log.With("request_id", "abc12345").InfoContext(ctx, "both") }); strings.Count(got, "request_id") != 1 {
		t.Errorf("logger with the id, logged with the context: %s", got)
	}
	if got := line(func() { log.WithGroup("g").InfoContext(ctx, "grouped", "k", 1) }); strings.Contains(got, "request_id") {
		t.Errorf("id put inside a group: %s", got)
	}
	if requestid.From(context.Background()) != "" || requestid.From(ctx) != "abc12345" {
		t.Error("From")
	}
}

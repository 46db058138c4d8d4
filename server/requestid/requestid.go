// Package requestid carries a request's id in its context.Context, so that
// code below the HTTP layer (the store, log lines written with a context)
// can name the request it works for without knowing about HTTP.
package requestid

import (
	"context"
	"log/slog"
)

type key struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, key{}, id)
}

// From returns the id ctx carries, or "" when it carries none.
func From(ctx context.Context) string {
	id, _ := ctx.Value(key{}).(string)
	return id
}

// LogHandler wraps h so that every record logged with a context that carries
// a request id gets it as the attribute request_id, unless the logger has it
// already (a logger made with With("request_id", ...)).
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h: h} }

type logHandler struct {
	h    slog.Handler
	has  bool // request_id is among the logger's own attributes
	open bool // a group is open: request_id would land inside it
}

func (l logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

func (l logHandler) Handle(ctx context.Context, r slog.Record) error {
	if !l.has && !l.open {
		if id := From(ctx); id != "" {
			r = r.Clone()
			r.AddAttrs(slog.String("request_id", id))
		}
	}
	return l.h.Handle(ctx, r)
}

func (l logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	has := l.has
	for _, a := range attrs {
		if a.Key == "request_id" && !l.open {
			has = true
		}
	}
	return logHandler{h: l.h.WithAttrs(attrs), has: has, open: l.open}
}

func (l logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return l
	}
	return logHandler{h: l.h.WithGroup(name), has: l.has, open: true}
}

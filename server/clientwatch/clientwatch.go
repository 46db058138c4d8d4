// Package clientwatch notices when an HTTP client has gone away while its
// request is being handled, so the request's work can be cancelled.
package clientwatch

import (
	"context"
	"net"
	"syscall"
	"time"
)

// fasthttp reads the whole request and then runs the handler on the
// connection's own goroutine; nothing reads the socket while the handler
// runs, so nothing notices the client leave (valyala/fasthttp#468, #965; its
// RequestCtx.Done closes only when the whole server shuts down). net/http
// notices with a background one-byte read, but a read here would consume
// the first byte of a pipelined next request and race with fasthttp's own
// reads once the handler returns.
//
// So Watch peeks instead: every pollInterval it asks the kernel,
// without blocking and without consuming anything (recv with MSG_PEEK on a
// non-blocking socket), whether the connection has reached end of stream.
//   - would block: the client is still there; look again later.
//   - 0 bytes (EOF) or a reset: the client has gone; cancel the context.
//   - data waiting (a pipelined request): the client is still there and we
//     cannot see past the data without reading it, so stop watching, as
//     net/http does.
//
// The watcher stops, and has stopped, before the handler returns, so it
// never touches the connection while fasthttp is using it. Peeking through
// syscall.RawConn keeps to Go's own locking of the socket. Connections that
// are not sockets (app.Test's in-memory ones) are not watched: their
// requests still have a deadline.
const pollInterval = 200 * time.Millisecond

// peekResult is what one look at the socket found.
type peekResult int

const (
	peekOpen peekResult = iota // nothing to read yet
	peekGone                   // end of stream, reset or closed
	peekData                   // bytes waiting: cannot tell any more
)

// Watch calls cancel when the client behind conn goes away, until the
// returned stop is called; stop waits for the watcher to finish. It returns
// nil when conn cannot be watched.
func Watch(conn net.Conn, cancel context.CancelFunc) (stop func()) {
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok { // TLS: watch the socket under it
		conn = tc.NetConn()
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil || !canPeek {
		return nil
	}
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(pollInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			switch peek(rc) {
			case peekGone:
				cancel()
				return
			case peekData:
				return
			}
		}
	}()
	return func() { close(done); <-exited }
}

//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package clientwatch

import (
	"errors"
	"syscall"
)

const canPeek = true

// peek looks at the socket without waiting and without consuming anything:
// Go's network sockets are non-blocking, so recv says EAGAIN when there is
// nothing to read yet.
func peek(rc syscall.RawConn) peekResult {
	var buf [1]byte
	var n int
	var err error
	if cerr := rc.Read(func(fd uintptr) bool {
		n, _, err = syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK)
		return true // never park in the poller: the caller polls on a ticker
	}); cerr != nil {
		return peekGone // the socket is closed
	}
	switch {
	case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
		return peekOpen
	case err != nil, n == 0:
		return peekGone
	}
	return peekData
}

//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package clientwatch

import "syscall"

// canPeek is false where recv with MSG_PEEK is not available through the
// syscall package: requests there end only at their deadline.
const canPeek = false

func peek(syscall.RawConn) peekResult { return peekOpen }

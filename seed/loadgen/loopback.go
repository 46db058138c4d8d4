package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// CheckLoopback parses the server's address and refuses any whose host is
// not this machine's loopback (127.0.0.0/8, ::1 or localhost): a load run
// is for a server on this machine, never someone else's. It returns the
// address reduced to scheme and host.
func CheckLoopback(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("-url %q: give the server's address, such as http://127.0.0.1:8080", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("-url %q: give only the scheme, host and port, such as http://127.0.0.1:8080", raw)
	}
	if !loopbackHost(u.Hostname()) {
		return "", fmt.Errorf("-url %q: the load generator only runs against a server on this machine (127.0.0.0/8, ::1 or localhost), not %q", raw, u.Hostname())
	}
	return u.Scheme + "://" + u.Host, nil
}

func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackDialer connects only to loopback addresses, whatever a name
// resolves to, as a second guard behind CheckLoopback.
func loopbackDialer() *net.Dialer {
	return &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return fmt.Errorf("refusing to connect to %s: not a loopback address", address)
			}
			return nil
		},
	}
}

// dialLoopback is the transport's DialContext.
func dialLoopback(ctx context.Context, network, address string) (net.Conn, error) {
	return loopbackDialer().DialContext(ctx, network, address)
}

package server

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// proxies are the reverse proxies (TRUSTED_PROXIES) whose forwarded headers
// the server believes. Fiber is told the same list, so that c.IP(),
// c.Protocol() and c.Hostname() ignore X-Forwarded-* from anyone else.
type proxies []netip.Prefix

func parseProxies(list []string) (proxies, error) {
	var out proxies
	for _, item := range list {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return nil, fmt.Errorf("trusted proxy %q is not an IP address or CIDR range", item)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (ps proxies) contain(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedClient makes c.IP() report the client behind trusted proxies.
// X-Forwarded-For lists the addresses a request passed through, each added
// by the next hop; only those added by a trusted proxy can be believed, and
// anything to their left was written by the client. So it walks back from
// the connection through trusted proxies and replaces the header with the
// first address that is not one: the client, as the nearest trusted proxy
// saw it. Requests from anyone else keep their header, which Fiber then
// ignores.
func (s *Server) forwardedClient(c *fiber.Ctx) error {
	if len(s.proxies) == 0 || !c.IsProxyTrusted() {
		return c.Next()
	}
	client, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Next()
	}
	client = client.Unmap()
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0 && s.proxies.contain(client); i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbled: the nearest trusted proxy is the best we know
		}
		client = hop.Unmap()
	}
	c.Request().Header.Set(fiber.HeaderXForwardedFor, client.String())
	return c.Next()
}

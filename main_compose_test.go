package main

import (
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/bluelight-wellbeing/toolkit/reports/assessmentbook"
	"github.com/bluelight-wellbeing/toolkit/server/config"
)

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

// Package static holds the built stylesheet, scripts and images served under
// /assets (see build.sh), with content-hashed names so that pages can link
// files that browsers cache for a year and still see every change at once.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed dist
var dist embed.FS

// Prefix is where the assets are served.
const Prefix = "/assets/"

// contentTypes is fixed here rather than read from the system's MIME table,
// which a small container image may not have (and which varies for .ico).
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".ico":   "image/x-icon",
	".png":   "image/png",
	".woff2": "font/woff2",
	".json":  "application/json",
}

type asset struct {
	data        []byte
	contentType string
}

var (
	byName   = map[string]asset{}  // plain name, e.g. "images/favicon.ico"
	byHashed = map[string]asset{}  // hashed name, e.g. "app.3fa9c1d2e0.css"
	hashed   = map[string]string{} // plain name -> hashed name
)

func init() {
	files := map[string][]byte{}
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := dist.ReadFile(p)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(p, "dist/")] = data
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
	for name, data := range files {
		hashed[name] = hashedName(name, data)
	}
	// app.js imports its sibling "./govuk-frontend.min.js". Point the import
	// at the hashed name, so that both files can be cached for a year and a
	// new app.js never runs against an old copy of GOV.UK Frontend.
	for name, data := range files {
		if path.Ext(name) != ".js" {
			continue
		}
		rewritten := data
		for dep, h := range hashed {
			if dep == name || path.Dir(dep) != path.Dir(name) {
				continue
			}
			for _, q := range []string{`'`, `"`} {
				rewritten = bytes.ReplaceAll(rewritten, []byte(q+"./"+path.Base(dep)+q), []byte(q+"./"+path.Base(h)+q))
			}
		}
		if !bytes.Equal(rewritten, data) {
			files[name] = rewritten
			hashed[name] = hashedName(name, rewritten)
		}
	}
	for name, data := range files {
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "application/octet-stream"
		}
		a := asset{data: data, contentType: ct}
		byName[name], byHashed[hashed[name]] = a, a
	}
}

// hashedName puts the first 10 hex digits of the content's SHA-256 before
// the extension: "app.css" becomes "app.3fa9c1d2e0.css".
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// Path returns the cache-busting URL of a built file, e.g. Path("app.css")
// is "/assets/app.3fa9c1d2e0.css". Templates name fixed files, so an unknown
// name is a programming error and panics (when the templates first render).
func Path(name string) string {
	h, ok := hashed[name]
	if !ok {
		panic("static: no asset named " + name)
	}
	return Prefix + h
}

// Lookup finds a file by the part of its URL after /assets/, hashed
// ("app.3fa9c1d2e0.css") or plain ("images/favicon.ico": url()s inside the
// stylesheet and browsers' own favicon requests use plain names). Immutable
// is true for a hashed name, whose content never changes, so it may be cached
// for a year; a plain name's content changes between releases.
func Lookup(name string) (data []byte, contentType string, immutable, ok bool) {
	if a, found := byHashed[name]; found {
		return a.data, a.contentType, true, true
	}
	if a, found := byName[name]; found {
		return a.data, a.contentType, false, true
	}
	return nil, "", false, false
}

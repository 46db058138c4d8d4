// Package static holds the built stylesheet, scripts and images served under
// /assets, with content-hashed names so they can be cached for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed dist
var dist embed.FS

// Prefix is where the assets are served.
const Prefix = "/assets/"

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
	err := fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := dist.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "dist/")
		ext := path.Ext(name)
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(data)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a := asset{data: data, contentType: ct}
		byName[name], byHashed[h], hashed[name] = a, a, h
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
}

// Path returns the cache-busting URL of a built file, e.g. Path("app.css")
// is "/assets/app.3fa9c1d2e0.css". Templates name fixed files, so an unknown
// name is a programming error and panics.
func Path(name string) string {
	h, ok := hashed[name]
	if !ok {
		panic("static: no asset named " + name)
	}
	return Prefix + h
}

// Lookup finds a file by the name after /assets/. Hashed names never change
// content, so immutable is true for them and they may be cached for a year;
// plain names (used by url() inside the stylesheet) may change between
// releases.
func Lookup(name string) (data []byte, contentType string, immutable, ok bool) {
	if a, found := byHashed[name]; found {
		return a.data, a.contentType, true, true
	}
	if a, found := byName[name]; found {
		return a.data, a.contentType, false, true
	}
	return nil, "", false, false
}

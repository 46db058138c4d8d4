package nationalbook

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
)

// canonical rewrites a zip with its entries sorted by name. excelize writes
// the parts of a workbook in map order, so the same workbook can come out
// as different bytes; sorted, it always comes out the same ("[Content_Types].xml"
// sorts first, where readers expect it). The entries are copied still
// compressed, so this costs little.
func canonical(b []byte) ([]byte, error) {
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := slices.Clone(r.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	var out bytes.Buffer
	out.Grow(len(b))
	w := zip.NewWriter(&out)
	for _, f := range files {
		src, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		dst, err := w.CreateRaw(&f.FileHeader)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(dst, src); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

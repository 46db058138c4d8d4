package assessmentbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on what is inside an upload. A filled-in workbook of 200 standards
// and 500 actions has about 15 parts, none over 1 MiB unpacked, and fewer
// than 20,000 XML elements in any part; these leave a wide margin while
// keeping the cost of reading a hostile file to tens of megabytes. They are
// checked on the zip headers before anything is unpacked, and again while
// each part is streamed (a header may lie).
const (
	maxParts         = 1_000
	maxUnpackedBytes = 50 << 20 // every part together
	maxPartBytes     = 4 << 20  // one XML part, such as a sheet
	maxStringsBytes  = 16 << 20 // the shared string table, where the text lives
	maxElements      = 100_000  // XML elements in one part
)

// book is an uploaded workbook: its zip parts, and where its sheets and its
// shared string table are. Nothing is unpacked until a part is read.
type book struct {
	parts   map[string]*zip.File // by normalised part name
	sheets  map[string]string    // sheet name -> part name, as the workbook lists them
	order   []string             // sheet names in workbook order
	strings string               // part name of the shared string table, or ""
}

// partName normalises a part name: OPC names are case-insensitive and some
// writers use backslashes or a leading slash.
func partName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// clip shortens text taken from an upload before it goes into a message.
func clip(s string) string {
	n := 0
	for i := range s {
		if n++; n > 120 {
			return s[:i] + "..."
		}
	}
	return s
}

func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// openBook checks the zip against the limits and finds the sheets.
func openBook(data []byte) (*book, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotWorkbook, err)
	}
	if len(zr.File) > maxParts {
		return nil, fmt.Errorf("the file holds %d parts; an assessment workbook holds about 15 and the limit is %d, so this cannot be one: download the assessment workbook, fill it in and upload that", len(zr.File), maxParts)
	}
	b := &book{parts: map[string]*zip.File{}, sheets: map[string]string{}}
	var total uint64
	for _, f := range zr.File {
		name := partName(f.Name)
		if _, dup := b.parts[name]; dup {
			return nil, fmt.Errorf("%w (it holds %s twice)", ErrNotWorkbook, f.Name)
		}
		b.parts[name] = f
		if f.UncompressedSize64 > maxUnpackedBytes || total+f.UncompressedSize64 > maxUnpackedBytes {
			return nil, fmt.Errorf("the workbook unpacks to more than %d MiB, so it cannot be a filled-in assessment", maxUnpackedBytes>>20)
		}
		total += f.UncompressedSize64
	}
	if err := b.findSheets(); err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if err := b.checkSize(partName(f.Name), f); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// describe names a part for the person who uploaded it.
func (b *book) describe(name string) string {
	shown := name
	if f, ok := b.parts[name]; ok {
		shown = f.Name
	}
	for _, sheet := range b.order {
		if b.sheets[sheet] == name {
			return fmt.Sprintf("the %s sheet (%s)", sheet, shown)
		}
	}
	if name == b.strings {
		return "the workbook's text (" + shown + ")"
	}
	return shown
}

// checkSize holds an XML part to its limit by the size its header records.
func (b *book) checkSize(name string, f *zip.File) error {
	if !isXMLPart(name) {
		return nil // never unpacked; counted in the total
	}
	limit := uint64(maxPartBytes)
	if name == b.strings {
		limit = maxStringsBytes
	}
	if f.UncompressedSize64 > limit {
		return fmt.Errorf("%s unpacks to %s; the limit is %s, and a filled-in assessment is far smaller: download the assessment workbook again", b.describe(name), mib(f.UncompressedSize64), mib(limit))
	}
	return nil
}

func isXMLPart(name string) bool {
	ext := path.Ext(name)
	return ext == ".xml" || ext == ".rels" || ext == ".vml"
}

// xmlPart streams one part through an XML decoder, counting its elements.
type xmlPart struct {
	book     *book
	name     string
	r        io.ReadCloser
	d        *xml.Decoder
	elements int
}

// open starts reading a part; a missing part is an error naming it.
func (b *book) open(name string) (*xmlPart, error) {
	f, ok := b.parts[name]
	if !ok {
		return nil, fmt.Errorf("%w (%s is missing)", ErrNotWorkbook, name)
	}
	if err := b.checkSize(name, f); err != nil {
		return nil, err
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s cannot be unpacked: %v", b.describe(name), err)
	}
	d := xml.NewDecoder(r)
	d.Strict = true
	return &xmlPart{book: b, name: name, r: r, d: d}, nil
}

// next returns the next token, or io.EOF once the whole part has been read
// and found to be the size its header records.
func (p *xmlPart) next() (xml.Token, error) {
	tok, err := p.d.Token()
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zip.ErrChecksum):
		return nil, fmt.Errorf("%s is damaged: it does not unpack to the size and content its header records", p.book.describe(p.name))
	case err != nil:
		return nil, fmt.Errorf("%s cannot be read: %s", p.book.describe(p.name), clip(err.Error()))
	}
	if _, ok := tok.(xml.StartElement); ok {
		if p.elements++; p.elements > maxElements {
			return nil, fmt.Errorf("%s has more than %d XML elements; a filled-in assessment has far fewer, so it cannot be one: download the assessment workbook again", p.book.describe(p.name), maxElements)
		}
	}
	return tok, nil
}

func (p *xmlPart) close() { p.r.Close() }

// each calls fn for every token of a part until the part ends.
func (b *book) each(name string, fn func(tok xml.Token) error) error {
	p, err := b.open(name)
	if err != nil {
		return err
	}
	defer p.close()
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// relationships reads a .rels part: relationship id -> target part name,
// and the first target of each type (by the last segment of its type URI,
// which is the same in the transitional and strict schemas).
func (b *book) relationships(relsName, baseDir string) (byID, byType map[string]string, err error) {
	byID, byType = map[string]string{}, map[string]string{}
	err = b.each(relsName, func(tok xml.Token) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" {
			return nil
		}
		if mode, _ := attr(e, "TargetMode"); strings.EqualFold(mode, "External") {
			return nil
		}
		id, _ := attr(e, "Id")
		target, _ := attr(e, "Target")
		typ, _ := attr(e, "Type")
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target)
		} else {
			target = path.Join("/", baseDir, target)
		}
		target = partName(target)
		byID[id] = target
		kind := typ[strings.LastIndex(typ, "/")+1:]
		if _, seen := byType[kind]; !seen {
			byType[kind] = target
		}
		return nil
	})
	return byID, byType, err
}

// findSheets follows the package relationships to the workbook part, and
// the workbook's to its sheets and shared strings.
func (b *book) findSheets() error {
	_, root, err := b.relationships("_rels/.rels", "")
	if err != nil {
		return err
	}
	wb, ok := root["officeDocument"]
	if !ok {
		return fmt.Errorf("%w (it names no workbook part)", ErrNotWorkbook)
	}
	dir, file := path.Split(wb)
	ids, types, err := b.relationships(dir+"_rels/"+file+".rels", dir)
	if err != nil {
		return err
	}
	b.strings = types["sharedStrings"]
	return b.each(wb, func(tok xml.Token) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "sheet" {
			return nil
		}
		name, _ := attr(e, "name")
		id, _ := attr(e, "id") // r:id; the decoder has resolved its prefix
		if target, ok := ids[id]; ok {
			if _, dup := b.sheets[name]; !dup {
				b.sheets[name] = target
				b.order = append(b.order, name)
			}
		}
		return nil
	})
}

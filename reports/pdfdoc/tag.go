package pdfdoc

// Tagged PDF. fpdf writes no structure of its own, so the document keeps
// it here: while drawing, each piece of content is wrapped in a
// marked-content sequence (BDC ... EMC, with an MCID unique on its page)
// written into the page with fpdf's raw writes, and recorded against the
// structure element it belongs to. Running footers, table rules and
// repeated header rows are wrapped as artefacts. When the document is
// written, Bytes rewrites fpdf's output once (finish): it compresses the
// pages with reused compressors, adds /StructParents to each page and
// /MarkInfo, /StructTreeRoot and /ViewerPreferences to the catalog, and
// puts the structure tree and its parent tree in a compressed object
// stream found through a cross-reference stream (PDF 1.5). fpdf's other
// objects are copied byte for byte.

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// kid is one child of a structure element: another element (elem >= 0)
// or a marked-content sequence on a page (elem < 0).
type kid struct {
	elem       int
	page, mcid int
}

type elem struct {
	typ    string // structure type: Document, H1, P, L, LI, Lbl, LBody, Table, TR, TH, TD, Figure
	alt    string // alternative text (figures)
	attrs  string // attribute dictionary, e.g. <</O /Table /Scope /Column>>
	parent int
	kids   []kid
}

type tagger struct {
	elems []elem
	open  []int
	// next MCID by page; owners[page][mcid] is the element it belongs to.
	next   map[int]int
	owners map[int][]int
}

func newTagger() tagger {
	return tagger{elems: []elem{{typ: "Document", parent: -1}}, open: []int{0}, next: map[int]int{}, owners: map[int][]int{}}
}

// BeginTag opens a structure element of type typ inside the open one;
// alt is its alternative text (for a Figure) or "". Every BeginTag needs
// an EndTag.
func (d *Doc) BeginTag(typ, alt string) { d.beginTagAttrs(typ, alt, "") }

func (d *Doc) beginTagAttrs(typ, alt, attrs string) {
	t := &d.tags
	parent := t.open[len(t.open)-1]
	t.elems = append(t.elems, elem{typ: typ, alt: alt, attrs: attrs, parent: parent})
	i := len(t.elems) - 1
	t.elems[parent].kids = append(t.elems[parent].kids, kid{elem: i})
	t.open = append(t.open, i)
}

// EndTag closes the element BeginTag opened.
func (d *Doc) EndTag() {
	if len(d.tags.open) > 1 {
		d.tags.open = d.tags.open[:len(d.tags.open)-1]
	}
}

// Marked draws fn's content as content of the open structure element, on
// the current page. fn must not start a page: automatic page breaks are
// off while it runs, so callers make room first (NeedSpace).
func (d *Doc) Marked(fn func()) {
	t := &d.tags
	owner := t.open[len(t.open)-1]
	page := d.PageNo()
	mcid := t.next[page]
	t.next[page] = mcid + 1
	t.owners[page] = append(t.owners[page], owner)
	t.elems[owner].kids = append(t.elems[owner].kids, kid{elem: -1, page: page, mcid: mcid})
	auto, margin := d.GetAutoPageBreak()
	d.SetAutoPageBreak(false, margin)
	d.RawWriteStr(fmt.Sprintf("/%s <</MCID %d>> BDC", t.elems[owner].typ, mcid))
	fn()
	d.RawWriteStr("EMC")
	d.SetAutoPageBreak(auto, margin)
}

// Tagged draws fn as one element of type typ holding its content.
func (d *Doc) Tagged(typ string, fn func()) {
	d.BeginTag(typ, "")
	d.Marked(fn)
	d.EndTag()
}

// TextBlock writes text wrapped to the content width in the current font,
// lh millimetres a line, as one element of type typ (a P, say), breaking
// across pages as Para does.
func (d *Doc) TextBlock(typ, text string, lh float64) {
	d.BeginTag(typ, "")
	d.TextLines(d.SplitText(text, ContentWidth), Margin, ContentWidth, lh)
	d.EndTag()
}

// Figure draws fn as a figure whose alternative text, alt, says what it
// shows to someone who cannot see it.
func (d *Doc) Figure(alt string, fn func()) {
	d.BeginTag("Figure", alt)
	d.Marked(fn)
	d.EndTag()
}

// Artifact draws fn as an artefact: content such as rules, borders and
// running footers that a screen reader skips.
func (d *Doc) Artifact(fn func()) {
	d.RawWriteStr("/Artifact BMC")
	fn()
	d.RawWriteStr("EMC")
}

// pdfString writes s as a PDF text string: UTF-16BE with a byte order
// mark when it is not plain ASCII, escaped either way.
func pdfString(s string) string {
	ascii := true
	for _, r := range s {
		if r > 126 || r < 32 {
			ascii = false
			break
		}
	}
	var b []byte
	if ascii {
		b = []byte(s)
	} else {
		b = []byte{0xfe, 0xff}
		for _, r := range s {
			if r > 0xffff {
				r -= 0x10000
				hi, lo := 0xd800+(r>>10), 0xdc00+(r&0x3ff)
				b = append(b, byte(hi>>8), byte(hi), byte(lo>>8), byte(lo))
				continue
			}
			b = append(b, byte(r>>8), byte(r))
		}
	}
	var out strings.Builder
	out.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			out.WriteByte('\\')
			out.WriteByte(c)
		case '\r':
			out.WriteString(`\r`)
		case '\n':
			out.WriteString(`\n`)
		default:
			out.WriteByte(c)
		}
	}
	out.WriteByte(')')
	return out.String()
}

var (
	startxrefRe = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	trailerRe   = regexp.MustCompile(`(?s)trailer\s*<<(.*?)>>\s*startxref`)
	rootRe      = regexp.MustCompile(`/Root (\d+) 0 R`)
	infoRe      = regexp.MustCompile(`/Info (\d+) 0 R`)
	sizeRe      = regexp.MustCompile(`/Size (\d+)`)
	kidsRe      = regexp.MustCompile(`(?s)/Type /Pages\s*/Kids \[([^\]]*)\]`)
	refRe       = regexp.MustCompile(`(\d+) 0 R`)
)

// object returns the dictionary text of object n ("<<...>>") as fpdf
// wrote it, found through the cross-reference table.
func object(pdf []byte, offsets map[int]int, n int) (string, error) {
	off, ok := offsets[n]
	if !ok {
		return "", fmt.Errorf("pdfdoc: object %d is not in the cross-reference table", n)
	}
	head := fmt.Sprintf("%d 0 obj", n)
	if !bytes.HasPrefix(pdf[off:], []byte(head)) {
		return "", fmt.Errorf("pdfdoc: object %d is not at offset %d", n, off)
	}
	body := pdf[off+len(head):]
	end := bytes.Index(body, []byte("endobj"))
	if end < 0 {
		return "", fmt.Errorf("pdfdoc: object %d has no endobj", n)
	}
	s := strings.TrimSpace(string(body[:end]))
	if !strings.HasPrefix(s, "<<") || !strings.HasSuffix(s, ">>") {
		return "", fmt.Errorf("pdfdoc: object %d is not a dictionary", n)
	}
	return s, nil
}

// xrefOffsets reads a classic cross-reference table (fpdf writes one).
func xrefOffsets(pdf []byte, at int) (map[int]int, error) {
	s := string(pdf[at:])
	if !strings.HasPrefix(s, "xref") {
		return nil, fmt.Errorf("pdfdoc: no cross-reference table at %d", at)
	}
	lines := strings.Split(s, "\n")
	out := map[int]int{}
	for i := 1; i < len(lines); {
		f := strings.Fields(lines[i])
		if len(f) != 2 {
			break // "trailer"
		}
		first, err1 := strconv.Atoi(f[0])
		count, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("pdfdoc: bad cross-reference subsection %q", lines[i])
		}
		for k := 0; k < count; k++ {
			e := strings.Fields(lines[i+1+k])
			if len(e) == 3 && e[2] == "n" {
				off, _ := strconv.Atoi(e[0])
				out[first+k] = off
			}
		}
		i += 1 + count
	}
	return out, nil
}

// addDict puts entries at the end of the dictionary text d.
func addDict(d, entries string) string {
	return strings.TrimSuffix(d, ">>") + "\n" + entries + "\n>>"
}

// zlibs reuses compressors: a new one costs about a megabyte, and fpdf
// made one for every page of every report.
var zlibs = sync.Pool{New: func() any { w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed); return w }}

func deflate(dst *bytes.Buffer, data []byte) {
	w := zlibs.Get().(*zlib.Writer)
	w.Reset(dst)
	w.Write(data) // writes to a bytes.Buffer cannot fail
	w.Close()
	zlibs.Put(w)
}

// versionRe is a header older than PDF 1.5, whatever fpdf chose.
var versionRe = regexp.MustCompile(`^%PDF-1\.[0-4]`)

var contentsRe = regexp.MustCompile(`/Contents (\d+) 0 R`)

// finish rewrites fpdf's output (written with page compression off) as
// the finished file: page contents compressed, the structure tree and its
// parent tree added, /StructParents on every page, and /MarkInfo,
// /StructTreeRoot and /ViewerPreferences on the catalog. Every other
// object is copied as fpdf wrote it.
func (d *Doc) finish(pdf []byte) ([]byte, error) {
	m := startxrefRe.FindSubmatch(pdf)
	tm := trailerRe.FindSubmatch(pdf)
	if m == nil || tm == nil {
		return nil, fmt.Errorf("pdfdoc: cannot find the trailer of fpdf's output")
	}
	xrefAt, _ := strconv.Atoi(string(m[1]))
	trailer := string(tm[1])
	rm, im, sm := rootRe.FindStringSubmatch(trailer), infoRe.FindStringSubmatch(trailer), sizeRe.FindStringSubmatch(trailer)
	if rm == nil || sm == nil {
		return nil, fmt.Errorf("pdfdoc: the trailer has no /Root or /Size")
	}
	root, _ := strconv.Atoi(rm[1])
	size, _ := strconv.Atoi(sm[1])
	offsets, err := xrefOffsets(pdf, xrefAt)
	if err != nil {
		return nil, err
	}
	km := kidsRe.FindSubmatch(pdf)
	if km == nil {
		return nil, fmt.Errorf("pdfdoc: cannot find the page tree")
	}
	var pages []int
	for _, r := range refRe.FindAllStringSubmatch(string(km[1]), -1) {
		n, _ := strconv.Atoi(r[1])
		pages = append(pages, n)
	}

	// Each object runs from its offset to the next one's (or the table).
	nums := make([]int, 0, len(offsets))
	for n := range offsets {
		nums = append(nums, n)
	}
	slices.SortFunc(nums, func(a, b int) int { return offsets[a] - offsets[b] })
	raw := map[int][]byte{}
	for i, n := range nums {
		end := xrefAt
		if i+1 < len(nums) {
			end = offsets[nums[i+1]]
		}
		raw[n] = pdf[offsets[n]:end]
	}
	first := xrefAt
	if len(nums) > 0 {
		first = offsets[nums[0]]
	}

	replace := map[int]string{}
	cat, err := object(pdf, offsets, root)
	if err != nil {
		return nil, err
	}
	// New objects: the tree root, the parent tree and the elements, all
	// in one compressed object stream, then that stream and the
	// cross-reference stream that finds them.
	treeRoot, parentTree, firstElem := size, size+1, size+2
	objNum := func(e int) int { return firstElem + e }
	objStm := firstElem + len(d.tags.elems)
	xrefObj := objStm + 1
	total := xrefObj + 1
	replace[root] = addDict(cat, fmt.Sprintf("/MarkInfo <</Marked true>>\n/StructTreeRoot %d 0 R\n/ViewerPreferences <</DisplayDocTitle true>>", treeRoot))
	contents := map[int]bool{}
	for i, p := range pages {
		pg, err := object(pdf, offsets, p)
		if err != nil {
			return nil, err
		}
		replace[p] = addDict(pg, fmt.Sprintf("/StructParents %d\n/Tabs /S", i))
		for _, c := range contentsRe.FindAllStringSubmatch(pg, -1) {
			n, _ := strconv.Atoi(c[1])
			contents[n] = true
		}
	}

	var out bytes.Buffer
	out.Grow(len(pdf) / 2)
	// Object streams need PDF 1.5.
	out.Write(versionRe.ReplaceAll(pdf[:first], []byte("%PDF-1.5")))
	newOffsets := make([]int, total)
	write := func(n int, body string) {
		newOffsets[n] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	var stmHead, stmBody strings.Builder
	inStm := map[int]int{} // object number: index in the object stream
	stash := func(n int, body string) {
		fmt.Fprintf(&stmHead, "%d %d ", n, stmBody.Len())
		inStm[n] = len(inStm)
		stmBody.WriteString(body)
		stmBody.WriteString("\n")
	}
	for n := 1; n < size; n++ {
		newOffsets[n] = out.Len()
		switch {
		case replace[n] != "":
			write(n, replace[n])
		case contents[n]:
			if err := compressContent(&out, n, raw[n]); err != nil {
				return nil, err
			}
		case raw[n] != nil:
			out.Write(raw[n])
		default:
			newOffsets[n] = -1 // not in use
		}
	}
	stash(treeRoot, fmt.Sprintf("<</Type /StructTreeRoot\n/K [%d 0 R]\n/ParentTree %d 0 R\n/ParentTreeNextKey %d>>", objNum(0), parentTree, len(pages)))
	var tree strings.Builder
	for i := range pages {
		fmt.Fprintf(&tree, "%d [", i)
		for _, owner := range d.tags.owners[i+1] {
			fmt.Fprintf(&tree, "%d 0 R ", objNum(owner))
		}
		tree.WriteString("]\n")
	}
	stash(parentTree, "<</Nums [\n"+tree.String()+"]>>")
	for i, e := range d.tags.elems {
		var b strings.Builder
		fmt.Fprintf(&b, "<</Type /StructElem\n/S /%s\n", e.typ)
		if e.parent < 0 {
			fmt.Fprintf(&b, "/P %d 0 R\n", treeRoot)
		} else {
			fmt.Fprintf(&b, "/P %d 0 R\n", objNum(e.parent))
		}
		if e.alt != "" {
			fmt.Fprintf(&b, "/Alt %s\n", pdfString(e.alt))
		}
		if e.attrs != "" {
			fmt.Fprintf(&b, "/A %s\n", e.attrs)
		}
		b.WriteString("/K [")
		for _, k := range e.kids {
			if k.elem >= 0 {
				fmt.Fprintf(&b, "%d 0 R ", objNum(k.elem))
			} else {
				fmt.Fprintf(&b, "<</Type /MCR /Pg %d 0 R /MCID %d>> ", pages[k.page-1], k.mcid)
			}
		}
		b.WriteString("]>>")
		stash(objNum(i), b.String())
	}
	var z bytes.Buffer
	deflate(&z, []byte(stmHead.String()+stmBody.String()))
	newOffsets[objStm] = out.Len()
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n", objStm, len(inStm), stmHead.Len(), z.Len())
	out.Write(z.Bytes())
	out.WriteString("\nendstream\nendobj\n")

	// The cross-reference stream: type 1 entries give an offset, type 2
	// an object stream and index, type 0 a free number.
	xref := out.Len()
	newOffsets[xrefObj] = xref
	entries := make([]byte, 0, total*7)
	entry := func(typ byte, a uint32, b uint16) {
		entries = append(entries, typ, byte(a>>24), byte(a>>16), byte(a>>8), byte(a), byte(b>>8), byte(b))
	}
	entry(0, 0, 0xffff)
	for n := 1; n < total; n++ {
		switch idx, ok := inStm[n]; {
		case ok:
			entry(2, uint32(objStm), uint16(idx))
		case newOffsets[n] < 0:
			entry(0, 0, 0)
		default:
			entry(1, uint32(newOffsets[n]), 0)
		}
	}
	z.Reset()
	deflate(&z, entries)
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R", xrefObj, total, root)
	if im != nil {
		fmt.Fprintf(&out, " /Info %s 0 R", im[1])
	}
	fmt.Fprintf(&out, " /Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
	out.Write(z.Bytes())
	fmt.Fprintf(&out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}

var plainStreamRe = regexp.MustCompile(`^(\d+) 0 obj\s*<</Length (\d+)>>\s*stream\n`)

// compressContent writes object n, an uncompressed content stream as
// fpdf writes one, compressed.
func compressContent(out *bytes.Buffer, n int, raw []byte) error {
	m := plainStreamRe.FindSubmatchIndex(raw)
	if m == nil {
		return fmt.Errorf("pdfdoc: object %d is not an uncompressed content stream", n)
	}
	length, _ := strconv.Atoi(string(raw[m[4]:m[5]]))
	start := m[1]
	if start+length > len(raw) {
		return fmt.Errorf("pdfdoc: object %d is shorter than its /Length", n)
	}
	var z bytes.Buffer
	z.Grow(length / 3)
	deflate(&z, raw[start:start+length])
	fmt.Fprintf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", n, z.Len())
	out.Write(z.Bytes())
	out.WriteString("\nendstream\nendobj\n")
	return nil
}

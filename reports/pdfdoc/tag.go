package pdfdoc

// Tagged PDF. fpdf writes no structure of its own, so the document keeps
// it here: while drawing, each piece of content is wrapped in a
// marked-content sequence (BDC ... EMC, with an MCID unique on its page)
// written into the page with fpdf's raw writes, and recorded against the
// structure element it belongs to. Running footers and table rules are
// wrapped as artefacts. When the document is written, Bytes appends a
// standard incremental update that adds the structure tree, its parent
// tree, /StructParents on every page and /MarkInfo, /StructTreeRoot and
// /ViewerPreferences on the catalog, leaving fpdf's own objects as they
// are.

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// structure appends the structure tree to pdf, fpdf's finished output, as
// an incremental update.
func (d *Doc) structure(pdf []byte) ([]byte, error) {
	m := startxrefRe.FindSubmatch(pdf)
	tm := trailerRe.FindSubmatch(pdf)
	if m == nil || tm == nil {
		return nil, fmt.Errorf("pdfdoc: cannot find the trailer of fpdf's output")
	}
	prev, _ := strconv.Atoi(string(m[1]))
	trailer := string(tm[1])
	rm, im, sm := rootRe.FindStringSubmatch(trailer), infoRe.FindStringSubmatch(trailer), sizeRe.FindStringSubmatch(trailer)
	if rm == nil || sm == nil {
		return nil, fmt.Errorf("pdfdoc: the trailer has no /Root or /Size")
	}
	root, _ := strconv.Atoi(rm[1])
	size, _ := strconv.Atoi(sm[1])
	offsets, err := xrefOffsets(pdf, prev)
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

	// Number the new objects: the tree root, the parent tree, then one
	// per structure element.
	next := size
	treeRoot, parentTree := next, next+1
	firstElem := next + 2
	objNum := func(e int) int { return firstElem + e }
	total := firstElem + len(d.tags.elems)

	var buf bytes.Buffer
	buf.Write(pdf)
	if pdf[len(pdf)-1] != '\n' {
		buf.WriteByte('\n')
	}
	newOffsets := map[int]int{}
	write := func(n int, body string) {
		newOffsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", n, body)
	}

	cat, err := object(pdf, offsets, root)
	if err != nil {
		return nil, err
	}
	write(root, addDict(cat, fmt.Sprintf("/MarkInfo <</Marked true>>\n/StructTreeRoot %d 0 R\n/ViewerPreferences <</DisplayDocTitle true>>", treeRoot)))
	for i, p := range pages {
		pg, err := object(pdf, offsets, p)
		if err != nil {
			return nil, err
		}
		write(p, addDict(pg, fmt.Sprintf("/StructParents %d\n/Tabs /S", i)))
	}
	write(treeRoot, fmt.Sprintf("<</Type /StructTreeRoot\n/K [%d 0 R]\n/ParentTree %d 0 R\n/ParentTreeNextKey %d>>", objNum(0), parentTree, len(pages)))
	var nums strings.Builder
	for i := range pages {
		fmt.Fprintf(&nums, "%d [", i)
		for _, owner := range d.tags.owners[i+1] {
			fmt.Fprintf(&nums, "%d 0 R ", objNum(owner))
		}
		nums.WriteString("]\n")
	}
	write(parentTree, "<</Nums [\n"+nums.String()+"]>>")
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
		// A page for the element's marked content, so a kid needs no /Pg
		// of its own when it is on that page.
		b.WriteString("/K [")
		for _, k := range e.kids {
			if k.elem >= 0 {
				fmt.Fprintf(&b, "%d 0 R ", objNum(k.elem))
			} else {
				fmt.Fprintf(&b, "<</Type /MCR /Pg %d 0 R /MCID %d>> ", pages[k.page-1], k.mcid)
			}
		}
		b.WriteString("]>>")
		write(objNum(i), b.String())
	}

	xref := buf.Len()
	buf.WriteString("xref\n")
	nums2 := make([]int, 0, len(newOffsets))
	for n := range newOffsets {
		nums2 = append(nums2, n)
	}
	slices.Sort(nums2)
	for _, n := range nums2 {
		fmt.Fprintf(&buf, "%d 1\n%010d 00000 n \n", n, newOffsets[n])
	}
	buf.WriteString("trailer\n<<\n")
	fmt.Fprintf(&buf, "/Size %d\n/Root %d 0 R\n", total, root)
	if im != nil {
		fmt.Fprintf(&buf, "/Info %s 0 R\n", im[1])
	}
	fmt.Fprintf(&buf, "/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n", prev, xref)
	return buf.Bytes(), nil
}

// Package pdfdoc is the page set-up the PDF reports share: an A4 document
// with Go's own Unicode fonts embedded (so Welsh names such as "Heddlu
// Dyfed-Powys" and letters such as ŵ and ŷ render), document metadata, a
// running footer with "Page N of M", and a layout layer that keeps
// things together: headings with what follows, paragraphs with two lines
// each side of a page break, list items whole, table rows whole under a
// repeated header, words unbroken. Everything drawn through it is tagged
// for screen readers (tag.go). It holds no report content.
package pdfdoc

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Family is the font family name registered in every document. The Go
// fonts are BSD licensed and cover Latin Extended-A, which has every Welsh
// letter.
const Family = "Go"

// Page geometry in millimetres (A4 portrait).
const (
	PageWidth  = 210.0
	PageHeight = 297.0
	Margin     = 15.0
	// ContentWidth is the width between the left and right margins.
	ContentWidth = PageWidth - 2*Margin
	footerSpace  = 15.0
)

// aliasPages is replaced by the page count when the document is written.
const aliasPages = "{nb}"

// Meta is the document information every report sets.
type Meta struct {
	Title   string // document title, also printed in the footer
	Subject string
	Author  string // e.g. the organisation or "National Police Wellbeing Service"
	Creator string // the producing software, e.g. "Blue Light Wellbeing Toolkit"
	// Lang is the document's natural language as a BCP 47 tag; "en-GB" if
	// empty. Screen readers use it to choose a voice.
	Lang string
	// Created is written as the creation and modification date. It must be
	// set: a fixed date makes the same input give byte-identical output.
	Created time.Time
}

// Doc is an fpdf document with the shared set-up. The embedded *fpdf.Fpdf
// is there for drawing; fpdf keeps the first error, returned by Bytes.
type Doc struct {
	*fpdf.Fpdf
	title string
	tags  tagger
	// wrapped caches table cells as wrapped: a row's height is needed
	// several times before it is drawn.
	wrapped map[wrapKey]wrap
}

type wrapKey struct {
	text string
	bold bool
	w    float64
}

type wrap struct {
	lines []string
	size  float64
}

// New starts a document with fonts, metadata and footer set up. The
// caller adds pages.
func New(m Meta) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	d := &Doc{Fpdf: f, title: m.Title, tags: newTagger()}
	f.AddUTF8FontFromBytes(Family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(Family, "B", gobold.TTF)
	f.SetMargins(Margin, Margin, Margin)
	f.SetAutoPageBreak(true, Margin+footerSpace)
	f.SetTitle(m.Title, true)
	f.SetSubject(m.Subject, true)
	f.SetAuthor(m.Author, true)
	f.SetCreator(m.Creator, true)
	f.SetProducer("Blue Light Wellbeing Toolkit", true)
	lang := m.Lang
	if lang == "" {
		lang = "en-GB"
	}
	f.SetLang(lang)
	created := m.Created
	if created.IsZero() {
		// Never fall back to the clock: output must depend on input only.
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	// Bytes compresses the pages itself, with compressors it reuses.
	f.SetCompression(false)
	f.AliasNbPages(aliasPages)
	f.SetDisplayMode("fullwidth", "single")
	f.SetFooterFunc(d.footer)
	f.SetFont(Family, "", 10)
	return d
}

func (d *Doc) footer() {
	d.SetY(-Margin - 5)
	d.SetFont(Family, "", 8)
	d.SetTextColor(80, 80, 80)
	d.Artifact(func() {
		d.CellFormat(ContentWidth*0.7, 5, d.title, "", 0, "L", false, 0, "")
		d.CellFormat(ContentWidth*0.3, 5, fmt.Sprintf("Page %d of %s", d.PageNo(), aliasPages), "", 0, "R", false, 0, "")
	})
	d.SetTextColor(0, 0, 0)
}

// Bytes writes the finished document, tagged, or returns the first error
// met while building it.
func (d *Doc) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return nil, err
	}
	return d.finish(buf.Bytes())
}

// RGB is a colour.
type RGB struct{ R, G, B int }

// Hex parses "#d4351c" (or "d4351c"); it returns grey for anything else.
func Hex(s string) RGB {
	s = strings.TrimPrefix(s, "#")
	n, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return RGB{191, 193, 195}
	}
	return RGB{int(n >> 16), int(n >> 8 & 0xff), int(n & 0xff)}
}

// Light reports whether dark text reads better than white on the colour.
func (c RGB) Light() bool { return c.R*299+c.G*587+c.B*114 > 140000 }

// Fill sets the fill colour.
func (d *Doc) Fill(c RGB) { d.SetFillColor(c.R, c.G, c.B) }

// Draw sets the line colour.
func (d *Doc) Draw(c RGB) { d.SetDrawColor(c.R, c.G, c.B) }

// Ink sets the text colour.
func (d *Doc) Ink(c RGB) { d.SetTextColor(c.R, c.G, c.B) }

// Colours used by more than one report.
var (
	White     = RGB{255, 255, 255}
	Black     = RGB{11, 12, 12}
	Grey      = RGB{80, 90, 95}
	LightGrey = RGB{243, 242, 241}
	MidGrey   = RGB{177, 180, 182}
	Blue      = RGB{29, 112, 184}
	DarkBlue  = RGB{0, 48, 120}
)

// keepWithHeading is how much of what follows a heading must fit below
// it, so a heading never sits at the foot of a page: about four lines of
// text, or a table's header row and its first two rows.
const keepWithHeading = 25.0

// Heading writes a heading: level 1 is a section title, 2 a sub-heading.
// It keeps the heading with the start of what follows and adds a bookmark
// so the PDF has an outline.
func (d *Doc) Heading(level int, text string) {
	d.HeadingKeep(level, text, keepWithHeading)
}

// HeadingKeep is Heading kept with keep millimetres of what follows, for
// a caller that knows the height of its next block (a chart, say).
func (d *Doc) HeadingKeep(level int, text string, keep float64) {
	size, gap := 16.0, 9.0
	if level > 1 {
		size, gap = 12.5, 7.0
	}
	d.SetFont(Family, "B", size)
	lines := d.SplitText(text, ContentWidth)
	d.NeedSpace(3 + float64(len(lines))*gap + keep)
	if d.GetY() > Margin+0.5 {
		d.Ln(2)
	}
	d.Bookmark(text, level-1, -1)
	d.Ink(DarkBlue)
	d.Tagged(fmt.Sprintf("H%d", min(max(level, 1), 6)), func() {
		for k, l := range lines {
			d.CellFormat(ContentWidth, gap, spaced(l, k < len(lines)-1), "", 2, "L", false, 0, "")
		}
	})
	d.Ink(Black)
	d.SetFont(Family, "", 10)
	d.Ln(1)
}

// Para writes wrapped text. Blank lines in text start new paragraphs. A
// paragraph that must break across pages leaves at least two lines on
// each page; a shorter one moves whole to the next page.
func (d *Doc) Para(text string) {
	d.SetFont(Family, "", 10)
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		d.SetFont(Family, "", 10)
		d.BeginTag("P", "")
		d.TextLines(d.SplitText(strings.TrimSpace(p), ContentWidth), Margin, ContentWidth, 5)
		d.EndTag()
		d.Ln(2)
	}
}

// Notices prints the content notices of the editions a report shows
// (frameworks.Set.ContentNotices): one paragraph each, in bold so that it is
// not taken for a footnote, then the text goes on in the body font.
func (d *Doc) Notices(notices []string) {
	if len(notices) == 0 {
		return // and the page is as it was without them
	}
	for _, n := range notices {
		d.SetFont(Family, "B", 10)
		d.BeginTag("P", "")
		d.TextLines(d.SplitText(strings.TrimSpace(n), ContentWidth), Margin, ContentWidth, 5)
		d.EndTag()
		d.Ln(2)
	}
	d.SetFont(Family, "", 10)
}

// TextLines writes lines already split to width w at x, lh millimetres
// apart, in the current font, with the page breaks Para promises, as
// content of the open structure element.
func (d *Doc) TextLines(lines []string, x, w, lh float64) {
	i := 0
	for i < len(lines) {
		left := len(lines) - i
		fit := int(math.Floor((d.SpaceLeft() + 0.01) / lh))
		n := left
		switch {
		case fit >= left:
		case fit >= 2 && left-fit >= 2:
			n = fit
		case fit >= 3 && left > 3:
			n = left - 2 // leave two for the next page
		default:
			n = 0
		}
		if n == 0 {
			d.AddPage()
			continue
		}
		d.Marked(func() {
			for k, l := range lines[i : i+n] {
				d.SetX(x)
				d.CellFormat(w, lh, spaced(l, i+k < len(lines)-1), "", 2, "L", false, 0, "")
			}
		})
		i += n
	}
}

// Bullets writes a list, one wrapped item each. An item never breaks
// across pages, a list never starts with fewer than two items (or all of
// a short one) at the foot of a page, and its last item never stands
// alone at the top of one.
func (d *Doc) Bullets(items []string) { d.bullets(items, 10, 5, 1) }

// SmallBullets is Bullets in smaller type, for a page that must hold a lot
// (a one-page summary).
func (d *Doc) SmallBullets(items []string) { d.bullets(items, 8.5, 4, 0.5) }

func (d *Doc) bullets(items []string, size, lh, gap float64) {
	d.SetFont(Family, "", size)
	indent := lh
	wrapped := make([][]string, len(items))
	heights := make([]float64, len(items))
	total := 0.0
	for i, it := range items {
		wrapped[i] = d.SplitText(it, ContentWidth-indent)
		if len(wrapped[i]) == 0 {
			wrapped[i] = []string{""}
		}
		heights[i] = float64(len(wrapped[i]))*lh + gap
		total += heights[i]
	}
	if len(items) == 0 {
		return
	}
	// A short list moves whole; a long one needs its first two items.
	if total <= 60 {
		d.NeedSpace(total)
	} else {
		d.NeedSpace(heights[0] + heights[1])
	}
	d.BeginTag("L", "")
	for i := range items {
		need := heights[i]
		if i == len(items)-2 {
			need += heights[i+1]
		}
		d.NeedSpace(need)
		y := d.GetY()
		d.BeginTag("LI", "")
		d.Tagged("Lbl", func() {
			d.SetXY(Margin, y)
			d.CellFormat(indent, lh, "•", "", 0, "L", false, 0, "")
		})
		d.SetXY(Margin+indent, y)
		d.Tagged("LBody", func() {
			for k, l := range wrapped[i] {
				d.SetX(Margin + indent)
				d.CellFormat(ContentWidth-indent, lh, spaced(l, k < len(wrapped[i])-1), "", 2, "L", false, 0, "")
			}
		})
		d.EndTag()
		d.Ln(gap)
	}
	d.EndTag()
	d.Ln(1)
}

// spaced ends a wrapped line with the space it was broken at, when more
// follows, so text read out of the page (by a screen reader, or copied)
// does not run the last word of one line into the first of the next. The
// space is invisible at a line's end in left-aligned text.
func spaced(line string, more bool) string {
	if more && line != "" && !strings.HasSuffix(line, " ") {
		return line + " "
	}
	return line
}

// SpaceLeft is the height in millimetres left above the footer.
func (d *Doc) SpaceLeft() float64 { return PageHeight - Margin - footerSpace - d.GetY() }

// NeedSpace starts a new page unless h millimetres are left above the
// footer. It never adds a page to a page that is still empty.
func (d *Doc) NeedSpace(h float64) {
	if h > d.SpaceLeft() && d.GetY() > Margin+0.5 {
		d.AddPage()
	}
}

// Column is one table column.
type Column struct {
	Header string
	Width  float64 // millimetres; the widths should add up to ContentWidth
	Align  string  // "L", "C" or "R"; "L" if empty
}

// Cell is one table cell. Fill is a colour for the cell background; the
// zero RGB means none.
type Cell struct {
	Text string
	Fill RGB
	Bold bool
	// Span is how many columns the cell covers, from its own; 0 or 1 is
	// one. The cells it covers are left out of the row. A heading row
	// within a table (an area's name, say) spans the whole row.
	Span int
}

// Cells makes plain cells from strings.
func Cells(texts ...string) []Cell {
	cs := make([]Cell, len(texts))
	for i, t := range texts {
		cs[i] = Cell{Text: t}
	}
	return cs
}

const (
	tableLine = 4.2
	tablePad  = 1.2
	tableFont = 8.5
	// minTableFont is the smallest size a cell shrinks to so that a long
	// word fits its column unbroken.
	minTableFont = 6.0
)

// Table writes a table whose cells wrap at spaces. A row never splits
// across pages, the header row is repeated on each page, the header and
// the first row stay together, and so do the last two rows. A column too
// narrow for its longest word is widened from columns with room to spare;
// if the table has none, that cell's text is set smaller, never broken
// inside a word.
func (d *Doc) Table(cols []Column, rows [][]Cell) {
	cols = d.fitColumns(cols, rows)
	d.SetLineWidth(0.2)
	d.Draw(MidGrey)
	header := make([]Cell, len(cols))
	for i, c := range cols {
		header[i] = Cell{Text: c.Header, Fill: LightGrey, Bold: true}
	}
	hh := d.rowHeight(cols, header)
	first := 0.0
	if len(rows) > 0 {
		first = d.rowHeight(cols, rows[0])
	}
	d.NeedSpace(hh + first)
	d.BeginTag("Table", "")
	d.row(cols, header, true, false)
	usable := PageHeight - 2*Margin - footerSpace
	for i, r := range rows {
		h := d.rowHeight(cols, r)
		need := h
		// A group's heading row stays with its first row, and the last
		// row never stands alone under a repeated header.
		if i+1 < len(rows) && (i == len(rows)-2 || groupRow(cols, r)) {
			need += d.rowHeight(cols, rows[i+1])
			if need+hh > usable {
				need = h // the pair cannot share any page
			}
		}
		if need > d.SpaceLeft() && d.GetY() > Margin+0.5 {
			d.AddPage()
			// The repeated header is pagination, read once already.
			d.Artifact(func() { d.row(cols, header, true, true) })
		}
		d.row(cols, r, false, false)
	}
	d.EndTag()
	d.SetFont(Family, "", 10)
	d.Ln(3)
}

// span is one cell of a row as laid out: its cell, left edge, width and
// the column it starts in.
type span struct {
	c     Cell
	x, w  float64
	col   int
	align string
}

func spans(cols []Column, r []Cell, header bool) []span {
	var out []span
	x := Margin
	ci := 0
	for col := 0; col < len(cols); {
		c := Cell{}
		if ci < len(r) {
			c = r[ci]
		}
		ci++
		n := max(c.Span, 1)
		n = min(n, len(cols)-col)
		w := 0.0
		for _, cc := range cols[col : col+n] {
			w += cc.Width
		}
		align := cols[col].Align
		if align == "" || header || n > 1 {
			align = "L"
		}
		out = append(out, span{c: c, x: x, w: w, col: col, align: align})
		x += w
		col += n
	}
	return out
}

// groupRow reports whether r is one cell across every column: a heading
// for the rows under it.
func groupRow(cols []Column, r []Cell) bool {
	return len(cols) > 1 && len(r) == 1 && r[0].Span >= len(cols)
}

// innerWidth is the width a cell's text may take in a span w wide, as
// SplitText measures it.
func (d *Doc) innerWidth(w float64) float64 { return w - 2*tablePad + 2*d.GetCellMargin() }

// longestWord is the width of the widest word of text at size.
func (d *Doc) longestWord(text string, bold bool, size float64) float64 {
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont(Family, style, size)
	w := 0.0
	for _, word := range strings.Fields(text) {
		w = math.Max(w, d.GetStringWidth(word))
	}
	return w
}

// fitColumns widens any column whose longest word does not fit, taking
// the width from the columns with the most room beyond their own longest
// word, so the total stays the same; when none has room, a table narrower
// than the page grows towards the page's width.
func (d *Doc) fitColumns(cols []Column, rows [][]Cell) []Column {
	out := append([]Column(nil), cols...)
	need := make([]float64, len(cols))
	slack := 2*tablePad + 0.6 // padding, and a little for rounding
	for i, c := range cols {
		need[i] = d.longestWord(c.Header, true, tableFont) + slack
	}
	for _, r := range rows {
		for _, s := range spans(cols, r, false) {
			if max(s.c.Span, 1) == 1 {
				need[s.col] = math.Max(need[s.col], d.longestWord(s.c.Text, s.c.Bold, tableFont)+slack)
			}
		}
	}
	for i := range out {
		for out[i].Width < need[i] {
			// Take from the column with the most spare width.
			best, room := -1, 0.0
			for j := range out {
				if r := out[j].Width - need[j]; j != i && r > room {
					best, room = j, r
				}
			}
			if best < 0 {
				// No column can spare any: widen the table into the
				// page's margin-to-margin width, if it is narrower.
				total := 0.0
				for _, c := range out {
					total += c.Width
				}
				out[i].Width += math.Max(0, math.Min(need[i]-out[i].Width, ContentWidth-total))
				break
			}
			take := math.Min(need[i]-out[i].Width, room)
			out[i].Width += take
			out[best].Width -= take
		}
	}
	return out
}

// cellFont is the size cell c's text is set at in a span w wide: the
// table's size, or smaller if its longest word would not fit.
func (d *Doc) cellFont(c Cell, w float64) float64 {
	size := tableFont
	inner := w - 2*tablePad
	for size > minTableFont && d.longestWord(c.Text, c.Bold, size) > inner {
		size -= 0.5
	}
	return size
}

// lines wraps cell c to a span w wide and leaves its font set.
func (d *Doc) lines(c Cell, w float64) []string {
	style := ""
	if c.Bold {
		style = "B"
	}
	key := wrapKey{c.Text, c.Bold, w}
	if got, ok := d.wrapped[key]; ok {
		d.SetFont(Family, style, got.size)
		return got.lines
	}
	size := d.cellFont(c, w)
	d.SetFont(Family, style, size)
	out := []string{""}
	if c.Text != "" {
		out = nil
		for _, para := range strings.Split(c.Text, "\n") {
			ls := d.SplitText(para, d.innerWidth(w))
			if len(ls) == 0 {
				ls = []string{""}
			}
			out = append(out, ls...)
		}
	}
	if d.wrapped == nil {
		d.wrapped = map[wrapKey]wrap{}
	}
	d.wrapped[key] = wrap{out, size}
	return out
}

func (d *Doc) rowHeight(cols []Column, r []Cell) float64 {
	n := 1
	for _, s := range spans(cols, r, false) {
		n = max(n, len(d.lines(s.c, s.w)))
	}
	return float64(n)*tableLine + 2*tablePad
}

// row draws one table row. header marks its cells as column headers;
// artifact draws it untagged (a repeated header), since it is already
// inside an artefact.
func (d *Doc) row(cols []Column, r []Cell, header, artifact bool) {
	h := d.rowHeight(cols, r)
	y := d.GetY()
	ss := spans(cols, r, header)
	if !artifact {
		d.BeginTag("TR", "")
		// Cell backgrounds and rules are decoration.
		d.Artifact(func() { d.cellBoxes(ss, y, h) })
	} else {
		d.cellBoxes(ss, y, h)
	}
	group := groupRow(cols, r)
	for _, s := range ss {
		c := s.c
		ink := Black
		if c.Fill != (RGB{}) && !c.Fill.Light() {
			ink = White
		}
		d.Ink(ink)
		draw := func() {
			ls := d.lines(c, s.w)
			for j, line := range ls {
				d.SetXY(s.x+tablePad-d.GetCellMargin(), y+tablePad+float64(j)*tableLine)
				d.CellFormat(d.innerWidth(s.w), tableLine, spaced(line, j < len(ls)-1 && s.align == "L"), "", 0, s.align, false, 0, "")
			}
		}
		if artifact {
			draw()
			continue
		}
		typ, attrs := "TD", ""
		switch {
		case header:
			typ, attrs = "TH", "/Scope /Column"
		case group:
			typ, attrs = "TH", "/Scope /Row"
		}
		if n := max(c.Span, 1); n > 1 {
			attrs += fmt.Sprintf(" /ColSpan %d", min(n, len(cols)-s.col))
		}
		if attrs != "" {
			attrs = "<</O /Table " + strings.TrimSpace(attrs) + ">>"
		}
		d.beginTagAttrs(typ, "", attrs)
		d.Marked(draw)
		d.EndTag()
	}
	if !artifact {
		d.EndTag()
	}
	d.Ink(Black)
	d.SetXY(Margin, y+h)
}

// cellBoxes draws the row's cell backgrounds and borders.
func (d *Doc) cellBoxes(ss []span, y, h float64) {
	for _, s := range ss {
		style := "D"
		if s.c.Fill != (RGB{}) {
			d.Fill(s.c.Fill)
			style = "FD"
		}
		d.Rect(s.x, y, s.w, h, style)
	}
}

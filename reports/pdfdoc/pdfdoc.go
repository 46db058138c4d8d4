// Package pdfdoc is the page set-up the PDF reports share: an A4 document
// with Go's own Unicode fonts embedded (so Welsh names such as "Heddlu
// Dyfed-Powys" and letters such as ŵ and ŷ render), document metadata, a
// running footer with "Page N of M", and a few layout helpers (headings,
// paragraphs, wrapped tables). It holds no report content.
package pdfdoc

import (
	"bytes"
	"fmt"
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
}

// New starts a document with fonts, metadata and footer set up. The
// caller adds pages.
func New(m Meta) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	d := &Doc{Fpdf: f, title: m.Title}
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
	d.CellFormat(ContentWidth*0.7, 5, d.title, "", 0, "L", false, 0, "")
	d.CellFormat(ContentWidth*0.3, 5, fmt.Sprintf("Page %d of %s", d.PageNo(), aliasPages), "", 0, "R", false, 0, "")
	d.SetTextColor(0, 0, 0)
}

// Bytes writes the finished document, or returns the first error met
// while building it.
func (d *Doc) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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

// Heading writes a heading: level 1 is a section title, 2 a sub-heading.
// It keeps the heading with at least keep millimetres of what follows and
// adds a bookmark so the PDF has an outline.
func (d *Doc) Heading(level int, text string) {
	size, gap := 16.0, 9.0
	if level > 1 {
		size, gap = 12.5, 7.0
	}
	d.NeedSpace(gap + 20)
	d.Ln(2)
	d.Bookmark(text, level-1, -1)
	d.SetFont(Family, "B", size)
	d.Ink(DarkBlue)
	d.MultiCell(ContentWidth, gap, text, "", "L", false)
	d.Ink(Black)
	d.SetFont(Family, "", 10)
	d.Ln(1)
}

// Para writes wrapped text. Blank lines in text start new paragraphs.
func (d *Doc) Para(text string) {
	d.SetFont(Family, "", 10)
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		d.MultiCell(ContentWidth, 5, strings.TrimSpace(p), "", "L", false)
		d.Ln(2)
	}
}

// Bullets writes a list, one wrapped item each.
func (d *Doc) Bullets(items []string) {
	d.SetFont(Family, "", 10)
	for _, it := range items {
		y := d.GetY()
		d.SetX(Margin)
		d.CellFormat(5, 5, "•", "", 0, "L", false, 0, "")
		d.SetXY(Margin+5, y)
		d.MultiCell(ContentWidth-5, 5, it, "", "L", false)
		d.Ln(1)
	}
	d.Ln(1)
}

// NeedSpace starts a new page unless h millimetres are left above the
// footer.
func (d *Doc) NeedSpace(h float64) {
	if d.GetY()+h > PageHeight-Margin-footerSpace {
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
)

// Table writes a table whose cells wrap; a row never splits across pages,
// and the header row is repeated on each page.
func (d *Doc) Table(cols []Column, rows [][]Cell) {
	d.SetFont(Family, "", 8.5)
	d.SetLineWidth(0.2)
	d.Draw(MidGrey)
	header := make([]Cell, len(cols))
	for i, c := range cols {
		header[i] = Cell{Text: c.Header, Fill: LightGrey, Bold: true}
	}
	d.row(cols, header, true)
	for _, r := range rows {
		if d.GetY()+d.rowHeight(cols, r) > PageHeight-Margin-footerSpace {
			d.AddPage()
			d.row(cols, header, true)
		}
		d.row(cols, r, false)
	}
	d.SetFont(Family, "", 10)
	d.Ln(3)
}

func (d *Doc) lines(c Cell, w float64) []string {
	style := ""
	if c.Bold {
		style = "B"
	}
	d.SetFont(Family, style, 8.5)
	if c.Text == "" {
		return []string{""}
	}
	var out []string
	for _, para := range strings.Split(c.Text, "\n") {
		ls := d.SplitText(para, w-2*tablePad+2*d.GetCellMargin())
		if len(ls) == 0 {
			ls = []string{""}
		}
		out = append(out, ls...)
	}
	return out
}

func (d *Doc) rowHeight(cols []Column, r []Cell) float64 {
	n := 1
	for i, c := range r {
		if i < len(cols) {
			n = max(n, len(d.lines(c, cols[i].Width)))
		}
	}
	return float64(n)*tableLine + 2*tablePad
}

func (d *Doc) row(cols []Column, r []Cell, header bool) {
	h := d.rowHeight(cols, r)
	x, y := Margin, d.GetY()
	for i, col := range cols {
		c := Cell{}
		if i < len(r) {
			c = r[i]
		}
		style := "D"
		if c.Fill != (RGB{}) {
			d.Fill(c.Fill)
			style = "FD"
		}
		d.Rect(x, y, col.Width, h, style)
		ink := Black
		if c.Fill != (RGB{}) && !c.Fill.Light() {
			ink = White
		}
		d.Ink(ink)
		align := col.Align
		if align == "" || header {
			align = "L"
		}
		for j, line := range d.lines(c, col.Width) {
			d.SetXY(x+tablePad-d.GetCellMargin(), y+tablePad+float64(j)*tableLine)
			d.CellFormat(col.Width-2*tablePad+2*d.GetCellMargin(), tableLine, line, "", 0, align, false, 0, "")
		}
		x += col.Width
	}
	d.Ink(Black)
	d.SetXY(Margin, y+h)
}

package assessmentbook

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sharedText reads the workbook's shared string table, where a
// spreadsheet keeps the text of its cells. Phonetic guides are not text.
func (b *book) sharedText() ([]string, error) {
	if b.strings == "" {
		return nil, nil
	}
	var (
		out       []string
		cur       []string // the text runs of the item being read
		inSI, inT bool
		skip      int // depth inside a phonetic run
	)
	err := b.each(b.strings, func(tok xml.Token) error {
		switch e := tok.(type) {
		case xml.StartElement:
			switch {
			case skip > 0:
				skip++
			case e.Name.Local == "si":
				inSI, inT, cur = true, false, cur[:0]
			case inSI && e.Name.Local == "rPh":
				skip = 1
			case inSI && e.Name.Local == "t":
				inT = true
			}
		case xml.EndElement:
			switch {
			case skip > 0:
				skip--
			case e.Name.Local == "t":
				inT = false
			case inSI && e.Name.Local == "si":
				out = append(out, decodeCellText(strings.Join(cur, "")))
				inSI = false
			}
		case xml.CharData:
			if inT && skip == 0 {
				cur = append(cur, string(e)) // one copy, of the exact size; Join keeps a lone run as it is
			}
		}
		return nil
	})
	return out, err
}

// cell is what Parse needs of one cell: its text, and whether a formula
// computes it.
type cell struct {
	text    string
	formula bool
}

// grid is what Parse reads of a worksheet: the cells of its first columns,
// and which rows hold anything in any column.
type grid struct {
	cells map[[2]int]cell // by {column, row}, both from 1
	used  map[int]bool
}

func (g *grid) at(col, row int) cell { return g.cells[[2]int{col, row}] }

// rows lists the rows that hold anything, in order.
func (g *grid) rows() []int {
	out := make([]int, 0, len(g.used))
	for r := range g.used {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// readSheet streams a worksheet, keeping the cells of columns 1 to cols.
// It reads the XML itself: excelize's cell functions load the whole sheet
// into memory, and its row iterator pads every row out to its last cell,
// so a small file naming cell XFD1048576 would cost gigabytes.
func (b *book) readSheet(sheet string, cols int, shared []string) (*grid, error) {
	g := &grid{cells: map[[2]int]cell{}, used: map[int]bool{}}
	var (
		row, col               int
		inCell, inV, inIS, inT bool
		skip                   int // depth inside a phonetic run
		typ                    string
		c                      cell
		text                   []string // the text runs of the cell being read
	)
	damaged := func(format string, args ...any) error {
		return fmt.Errorf("the %s sheet is damaged: %s", sheet, fmt.Sprintf(format, args...))
	}
	err := b.each(b.sheets[sheet], func(tok xml.Token) error {
		switch e := tok.(type) {
		case xml.StartElement:
			switch {
			case skip > 0:
				skip++
			case e.Name.Local == "row":
				row++
				if r, ok := attr(e, "r"); ok {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 || n > excelize.TotalRows {
						return damaged("%q is not a row number", clip(r))
					}
					row = n
				}
				col = 0
			case e.Name.Local == "c":
				col++
				if ref, ok := attr(e, "r"); ok {
					var err error
					if col, row, err = excelize.CellNameToCoordinates(ref); err != nil {
						return damaged("%q is not a cell reference", clip(ref))
					}
				}
				if row == 0 {
					row = 1
				}
				typ, _ = attr(e, "t")
				inCell, inV, inIS, inT, c, text = true, false, false, false, cell{}, text[:0]
			case inCell && e.Name.Local == "v":
				inV = true
			case inCell && e.Name.Local == "f":
				c.formula = true
			case inCell && e.Name.Local == "is":
				inIS = true
			case inIS && e.Name.Local == "rPh":
				skip = 1
			case inIS && e.Name.Local == "t":
				inT = true
			}
		case xml.EndElement:
			switch {
			case skip > 0:
				skip--
			case e.Name.Local == "v":
				inV = false
			case e.Name.Local == "t":
				inT = false
			case e.Name.Local == "is":
				inIS = false
			case inCell && e.Name.Local == "c":
				inCell = false
				value := strings.Join(text, "")
				switch typ {
				case "s":
					if v := strings.TrimSpace(value); v != "" {
						i, err := strconv.Atoi(v)
						if err != nil || i < 0 || i >= len(shared) {
							name, _ := excelize.CoordinatesToCellName(col, row)
							return damaged("cell %s refers to text %q, which the workbook does not have", name, clip(v))
						}
						c.text = shared[i]
					}
				case "inlineStr":
					c.text = decodeCellText(value)
				default:
					c.text = value
				}
				if c.text != "" || c.formula {
					g.used[row] = true
					if col <= cols {
						g.cells[[2]int{col, row}] = c
					}
				}
			}
		case xml.CharData:
			if skip == 0 && (typ == "inlineStr" && inT || typ != "inlineStr" && inV) {
				text = append(text, string(e))
			}
		}
		return nil
	})
	return g, err
}

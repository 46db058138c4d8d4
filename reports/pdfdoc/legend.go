package pdfdoc

// LegendKey is one entry of a chart legend: a mark drawn as the chart draws
// it, and the label beside it.
type LegendKey struct {
	// Mark draws the entry's sample in the KeyMarkWidth by KeyMarkHeight
	// box whose top left corner is (x, y).
	Mark  func(x, y float64)
	Label string
}

// The box a legend key's mark is drawn in, in millimetres; its label
// starts 2 mm to the right of it.
const (
	KeyMarkWidth  = 7.0
	KeyMarkHeight = 4.0
	keyLabelX     = KeyMarkWidth + 2
)

// ChartLegend draws the key to a chart on one line just below the current
// position, in 8 point text: each key's mark with its label to the right,
// a key every spacing millimetres from the left margin. It then moves to
// the left margin, height millimetres below the line's top, and leaves
// the legend's font set.
func (d *Doc) ChartLegend(spacing, height float64, keys ...LegendKey) {
	y := d.GetY() + 1
	x := Margin
	d.SetFont(Family, "", 8)
	for _, k := range keys {
		k.Mark(x, y)
		d.SetXY(x+keyLabelX, y)
		d.CellFormat(spacing-keyLabelX, KeyMarkHeight, k.Label, "", 0, "L", false, 0, "")
		x += spacing
	}
	d.SetXY(Margin, y+height)
}

// BarMark is a legend mark for a bar in colour c: a filled band across
// the middle of the key's box.
func (d *Doc) BarMark(c RGB) func(x, y float64) {
	return func(x, y float64) {
		d.Fill(c)
		d.Rect(x, y+0.5, KeyMarkWidth, KeyMarkHeight-1, "F")
	}
}

// BoxMark is a legend mark for a shaded range in colour c: the key's
// whole box, filled.
func (d *Doc) BoxMark(c RGB) func(x, y float64) {
	return func(x, y float64) {
		d.Fill(c)
		d.Rect(x, y, KeyMarkWidth, KeyMarkHeight, "F")
	}
}

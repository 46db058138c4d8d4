package businesscase

import (
	"fmt"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/reports/pdfdoc"
)

// Title is the document title.
const Title = "Business case for wellbeing and trauma support"

// Document is everything the business case PDF shows.
type Document struct {
	// Organisation is the display name (Welsh names render as written).
	Organisation string
	// Cycle is the assessment cycle the figures come from, e.g. "2025/26".
	Cycle string
	// Produced is printed on page one and written as the PDF creation
	// date, so the same Document always gives the same bytes.
	Produced time.Time
	// Author goes in the PDF metadata; the organisation if empty.
	Author string
	// Lang is the BCP 47 language tag; "en-GB" if empty.
	Lang string
	// PeerGroup describes the comparison group, e.g. "Police forces with
	// 1,500 to 3,000 staff (n=11)", or is a whole sentence starting
	// "Compared with" when the organisation's own peer group was too small.
	PeerGroup string
	// Notices say whose wording the framework and risk model behind the
	// figures are (frameworks.Set.ContentNotices); printed on page one.
	Notices []string

	// Inputs are the organisation's figures (need and provision).
	Inputs Inputs
	// Gaps are the gaps that matter, in words (Generate's Plan.Gaps, plus
	// any added by hand).
	Gaps []string
	// Recommendations are the costed measures, in the order to present.
	Recommendations []Recommendation
	// Unchecked lists what could not be assessed and why.
	Unchecked []string
	// Assumptions are the assumptions available; Appendix A lists those
	// whose keys are in Used, the ones the sums use.
	Assumptions Assumptions
	Used        []string
	// DaysLostBasis says where the working days lost behind the returns
	// come from (Plan.DaysLostBasis).
	DaysLostBasis string
	// Sources lists data figures beyond Inputs for Appendix B.
	Sources []Source
}

// Source traces one data figure to where it came from.
type Source struct{ Figure, Value, Source string }

// NewDocument runs Generate and fills a Document from its plan.
func NewDocument(organisation, cycle string, produced time.Time, in Inputs, as Assumptions) (Document, error) {
	p, err := Generate(in, as)
	if err != nil {
		return Document{}, err
	}
	return Document{Organisation: organisation, Cycle: cycle, Produced: produced, Inputs: in,
		Gaps: p.Gaps, Recommendations: p.Recommendations, Unchecked: p.Unchecked, Assumptions: as, Used: p.Used(), DaysLostBasis: p.DaysLostBasis}, nil
}

// PeerGroupSentence says which group the provision is compared with. The
// group's name may itself hold a colon ("Police: large"), so it is not
// printed after a "Peer group:" label.
func (doc Document) PeerGroupSentence() string {
	if doc.PeerGroup == "" || strings.HasPrefix(doc.PeerGroup, "Compared with ") {
		return doc.PeerGroup
	}
	name, rest, _ := strings.Cut(doc.PeerGroup, " (")
	if rest != "" {
		rest = " (" + rest
	}
	return "Compared with the peer group “" + name + "”" + rest + "."
}

// Render writes the business case as a PDF.
func Render(doc Document) ([]byte, error) {
	author := doc.Author
	if author == "" {
		author = doc.Organisation
	}
	d := pdfdoc.New(pdfdoc.Meta{
		Title:   Title + ": " + doc.Organisation,
		Subject: "What to fund for wellbeing and psychological risk, what it costs and what it should return",
		Author:  author, Creator: "Blue Light Wellbeing Toolkit", Lang: doc.Lang, Created: doc.Produced,
	})
	as := doc.Assumptions.Effective()
	ask(d, doc)
	duty(d, doc)
	need(d, doc)
	provision(d, doc)
	gaps(d, doc)
	recommendations(d, doc, as)
	appendixAssumptions(d, doc, as)
	appendixSources(d, doc)
	references(d, doc)
	return d.Bytes()
}

func ask(d *pdfdoc.Doc, doc Document) {
	d.AddPage()
	d.SetFont(pdfdoc.Family, "B", 20)
	d.Ink(pdfdoc.DarkBlue)
	d.Tagged("H1", func() { d.MultiCell(pdfdoc.ContentWidth, 9, Title, "", "L", false) })
	d.SetFont(pdfdoc.Family, "B", 14)
	d.Ink(pdfdoc.Black)
	d.Tagged("P", func() { d.MultiCell(pdfdoc.ContentWidth, 7, doc.Organisation, "", "L", false) })
	d.SetFont(pdfdoc.Family, "", 10)
	d.Ink(pdfdoc.Grey)
	d.Tagged("P", func() {
		d.MultiCell(pdfdoc.ContentWidth, 5, fmt.Sprintf("Figures from the %s cycle. Produced %s for the %s.", doc.Cycle, doc.Produced.Format("2 January 2006"), doc.Audience()), "", "L", false)
	})
	d.Ink(pdfdoc.Black)
	d.Ln(3)
	d.Notices(doc.Notices)
	d.Heading(1, "The ask")
	text := doc.AskText()
	if len(doc.Recommendations) == 0 {
		d.Para(text)
		return
	}
	cost, ret := Totals(doc.Recommendations)
	d.SetFont(pdfdoc.Family, "B", 11)
	d.TextBlock("P", text, 5.5)
	d.Ln(3)
	cols := []pdfdoc.Column{{Header: "Measure", Width: 110}, {Header: "First-year cost", Width: 35, Align: "R"}, {Header: "Expected return a year", Width: 35, Align: "R"}}
	var rows [][]pdfdoc.Cell
	for _, r := range doc.Recommendations {
		rows = append(rows, pdfdoc.Cells(r.Title, figure.Money(r.Cost), moneyOrNot(r.Return)))
	}
	rows = append(rows, []pdfdoc.Cell{{Text: "Total", Bold: true}, {Text: figure.Money(cost), Bold: true}, {Text: figure.Money(ret), Bold: true}})
	d.Table(cols, rows)
	d.SetFont(pdfdoc.Family, "", 9)
	d.Ink(pdfdoc.Grey)
	d.TextBlock("P", "Returns are estimates. Each one is worked out in the recommendations section from the assumptions in Appendix A; assumptions marked \"our estimate\" are the toolkit's, not published figures, and should be replaced with local ones.", 4.5)
	d.Ink(pdfdoc.Black)
}

func moneyOrNot(x float64) string {
	if x <= 0 {
		return "not estimated"
	}
	return figure.Money(x)
}

func need(d *pdfdoc.Doc, doc Document) {
	in := doc.Inputs
	d.Ln(4)
	d.Heading(1, "The need")
	d.Para(in.NeedText())
	cols := []pdfdoc.Column{{Header: "Figure", Width: 120}, {Header: "Value", Width: 60, Align: "R"}}
	rows := [][]pdfdoc.Cell{
		pdfdoc.Cells("Workforce (headcount)", in.Workforce.Format(0)),
		pdfdoc.Cells("People in high risk roles", in.HighRiskPeople.Format(0)),
		pdfdoc.Cells("People in very high risk roles", in.VeryHighRiskPeople.Format(0)),
		pdfdoc.Cells("Of those, screening in date", in.ScreenedInDate.Format(0)),
		pdfdoc.Cells("Screening compliance in high and very high risk roles, "+asAt(in.ScreeningAsAt), percent(in.ScreeningCompliance())),
	}
	for _, key := range []string{KeyOwnDaysLost, KeyIllHealthRetirements} {
		if a, ok := doc.Assumptions.Get(key); ok {
			rows = append(rows, pdfdoc.Cells(a.Name+" (our figure)", figure.Number(a.Value, 0)))
		}
	}
	d.Table(cols, rows)
	if len(in.ScreeningTrend) > 0 {
		d.Heading(2, "Screening compliance over time")
		var rows [][]pdfdoc.Cell
		for _, p := range in.ScreeningTrend {
			rows = append(rows, pdfdoc.Cells(p.Label, percent(p.Value)))
		}
		d.Table([]pdfdoc.Column{{Header: "Register counted", Width: 120}, {Header: "Compliance", Width: 60, Align: "R"}}, rows)
	}
}

// asAt names the day a count was taken.
func asAt(day time.Time) string {
	if day.IsZero() {
		return "as at the day produced"
	}
	return "as at " + day.Format("2 January 2006")
}

// percent shows a rate as whole per cent, as every report does.
func percent(v figure.Value) string {
	if !v.Ok() {
		return v.Format(0)
	}
	return v.Format(0) + "%"
}

func provision(d *pdfdoc.Doc, doc Document) {
	in := doc.Inputs
	comparator := in.comparatorWord()
	if comparator == "Peer" {
		d.Heading(1, "Current provision against peers")
	} else {
		d.Heading(1, "Current provision against the "+strings.ToLower(comparator))
	}
	if doc.PeerGroup != "" {
		d.Para(doc.PeerGroupSentence())
	}
	coord := "no"
	if in.CoordinatorInPost {
		coord = "yes"
	}
	cols := []pdfdoc.Column{{Header: "Provision", Width: 85}, {Header: "Ours", Width: 30, Align: "R"}, {Header: comparator + " median", Width: 30, Align: "R"}, {Header: "Note", Width: 35}}
	d.Table(cols, [][]pdfdoc.Cell{
		pdfdoc.Cells("Peer supporters per 1,000 staff", in.Per1000(in.PeerSupporters).Format(1), in.PeerSupportersPeerMedian.Format(1), hidden(in.Per1000(in.PeerSupporters), in.PeerSupportersPeerMedian)),
		pdfdoc.Cells("OK9 wellbeing dogs per 1,000 staff", in.Per1000(in.OK9Dogs).Format(2), in.OK9DogsPeerMedian.Format(2), hidden(in.Per1000(in.OK9Dogs), in.OK9DogsPeerMedian)),
		pdfdoc.Cells("OK9 handlers trained in peer support", fraction(in.OK9HandlersPeerTrained, in.OK9Handlers), "", ""),
		pdfdoc.Cells("Peer support coordinator in post", coord, "", ""),
		pdfdoc.Cells("Frontline supervisors trained to demobilise", percent(in.DemobilisingCover), "", hidden(in.DemobilisingCover)),
		pdfdoc.Cells("Teams with a trained defuser available", percent(in.DefusingCover), "", hidden(in.DefusingCover)),
	})
}

func fraction(part, whole figure.Value) string {
	if !part.Ok() || !whole.Ok() {
		return worst(part, whole).Format(0)
	}
	return figure.Number(part.V, 0) + " of " + figure.Number(whole.V, 0)
}

// hidden gives the reasons any of the values are not shown.
func hidden(vs ...figure.Value) string {
	var notes []string
	for _, v := range vs {
		if !v.Ok() && v.Note != "" {
			notes = append(notes, v.Note)
		}
	}
	return strings.Join(notes, "; ")
}

func gaps(d *pdfdoc.Doc, doc Document) {
	d.Heading(1, "The gaps that matter")
	if len(doc.Gaps) == 0 {
		d.Para("We found no gap against the rules this business case checks.")
	} else {
		d.Bullets(doc.Gaps)
	}
	if len(doc.Unchecked) > 0 {
		d.Heading(2, "What we could not check")
		d.Bullets(doc.Unchecked)
	}
}

func recommendations(d *pdfdoc.Doc, doc Document, as Assumptions) {
	if len(doc.Recommendations) == 0 {
		return
	}
	d.Heading(1, "Recommendations")
	for i, r := range doc.Recommendations {
		d.Heading(2, fmt.Sprintf("%d. %s", i+1, r.Title))
		d.Para(r.Rationale)
		lines := [][2]string{
			{"Cost", figure.Money(r.Cost) + workings(r.CostWorking)},
			{"Expected return", moneyOrNot(r.Return) + " a year" + workings(r.ReturnWorking)},
			{"Benefit", r.Benefit},
		}
		var names []string
		for _, k := range r.Assumptions {
			if a, ok := as.Get(k); ok {
				names = append(names, a.Name)
			} else {
				names = append(names, k)
			}
		}
		lines = append(lines, [2]string{"Assumptions used", strings.Join(names, "; ")})
		for _, kv := range lines {
			if strings.TrimSpace(kv[1]) == "" {
				continue
			}
			// Each line of the workings stays whole, with its label.
			d.SetFont(pdfdoc.Family, "", 10)
			text := d.SplitText(kv[1], pdfdoc.ContentWidth-35)
			d.NeedSpace(float64(len(text))*5 + 1)
			y := d.GetY()
			d.BeginTag("P", "")
			d.SetFont(pdfdoc.Family, "B", 10)
			d.Marked(func() { d.CellFormat(35, 5, kv[0]+" ", "", 0, "L", false, 0, "") })
			d.SetFont(pdfdoc.Family, "", 10)
			d.SetXY(pdfdoc.Margin+35, y)
			d.TextLines(text, pdfdoc.Margin+35, pdfdoc.ContentWidth-35, 5)
			d.EndTag()
			d.Ln(1)
		}
		d.Ln(2)
	}
}

func workings(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func appendixAssumptions(d *pdfdoc.Doc, doc Document, as Assumptions) {
	d.Heading(1, "Appendix A: assumptions")
	if len(doc.Used) == 0 {
		d.Para("No sums were needed, so no assumption is used.")
		return
	}
	d.Para("Every assumption the sums use, and no other. \"Our estimate\" marks a figure the toolkit team estimated, not a published one. " + doc.DaysLostBasis)
	cols := []pdfdoc.Column{{Header: "Assumption", Width: 55}, {Header: "Value", Width: 22, Align: "R"}, {Header: "Unit", Width: 28}, {Header: "Source", Width: 75}}
	var rows [][]pdfdoc.Cell
	for _, key := range doc.Used {
		if a, ok := as.Get(key); ok {
			v, u := a.Amount()
			rows = append(rows, pdfdoc.Cells(a.Name, v, u, a.Source))
		}
	}
	d.Table(cols, rows)
}

// duty sets out the employer's legal duty, the reason to act whatever the
// return.
func duty(d *pdfdoc.Doc, doc Document) {
	d.NeedSpace(40)
	d.Heading(1, "Why this is required, whatever the return")
	for _, p := range doc.Duty() {
		d.Para(p)
	}
}

// references cites every source in full.
func references(d *pdfdoc.Doc, doc Document) {
	d.NeedSpace(40)
	d.Heading(1, "References")
	d.Bullets(doc.References())
}

func trimNumber(x float64) string {
	s := figure.Number(x, 2)
	s = strings.TrimSuffix(s, ".00")
	return s
}

func appendixSources(d *pdfdoc.Doc, doc Document) {
	in := doc.Inputs
	d.Heading(1, "Appendix B: where the data figures come from")
	src := func(name string, v figure.Value, dec int) []pdfdoc.Cell {
		s := v.Source
		if s == "" {
			s = "not recorded"
		}
		return pdfdoc.Cells(name, v.Format(dec), s)
	}
	rows := [][]pdfdoc.Cell{
		src("Workforce (headcount)", in.Workforce, 0),
		src("People in high risk roles", in.HighRiskPeople, 0),
		src("People in very high risk roles", in.VeryHighRiskPeople, 0),
		src("People in those roles with screening in date", in.ScreenedInDate, 0),
		src("Peer supporters", in.PeerSupporters, 0),
		src(in.comparatorWord()+" median, peer supporters per 1,000", in.PeerSupportersPeerMedian, 1),
		src("OK9 dogs", in.OK9Dogs, 0),
		src("OK9 handlers", in.OK9Handlers, 0),
		src("OK9 handlers trained in peer support", in.OK9HandlersPeerTrained, 0),
		src(in.comparatorWord()+" median, OK9 dogs per 1,000", in.OK9DogsPeerMedian, 2),
		src("Supervisors trained to demobilise (%)", in.DemobilisingCover, 0),
		src("Teams with a trained defuser (%)", in.DefusingCover, 0),
	}
	for _, p := range in.ScreeningTrend {
		rows = append(rows, src("Screening compliance (%), "+p.Label, p.Value, 0))
	}
	for _, s := range doc.Sources {
		rows = append(rows, pdfdoc.Cells(s.Figure, s.Value, s.Source))
	}
	d.Table([]pdfdoc.Column{{Header: "Figure", Width: 70}, {Header: "Value", Width: 25, Align: "R"}, {Header: "Source", Width: 85}}, rows)
	d.Para("Rates per 1,000 staff divide the count by the workforce above. Screening compliance divides the people with screening in date by the people in high and very high risk roles.")
}

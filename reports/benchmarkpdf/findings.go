package benchmarkpdf

import "github.com/bluelight-wellbeing/toolkit/reports/pdfdoc"

// KeyFindings is the one-page summary at the front of the report: what the
// figures mean for the organisation, in sentences written by rules from the
// same figures as the rest of the report (see reporting.Findings).
type KeyFindings struct {
	// Headline is the overall level, its change and where it stands
	// against the comparator.
	Headline string `json:"headline"`
	// Strengths and Gaps are up to three standards each, chosen by Rule.
	Strengths []Finding `json:"strengths"`
	Gaps      []Finding `json:"priority_gaps"`
	Rule      string    `json:"rule"`
	// Provision and Risk are one sentence each per figure.
	Provision []string `json:"provision"`
	Risk      []string `json:"risk"`
	// Next is what to do next: the business case's ask in a sentence.
	Next string `json:"next"`
}

// Finding is one standard picked out as a strength or a gap.
type Finding struct {
	ID string `json:"standard_id"`
	// Statement is the standard's statement, without its full stop.
	Statement string `json:"statement"`
	// Why says it in figures, e.g. "level 3; median 2.0 in your peer
	// group and 2.1 nationally".
	Why string `json:"why"`
}

// findings writes the summary page, straight after the cover, in a
// smaller type than the body so that it fits one page.
func findings(d *pdfdoc.Doc, r Report) {
	k := r.Findings
	if k == nil {
		return
	}
	d.AddPage()
	d.Heading(1, "Summary")
	d.SetFont(pdfdoc.Family, "", 10)
	d.TextBlock("P", k.Headline, 5)
	d.Ln(2)
	list := func(title string, items []string) {
		d.SetFont(pdfdoc.Family, "B", 10)
		d.Ink(pdfdoc.DarkBlue)
		d.TextBlock("H2", title, 6)
		d.Ink(pdfdoc.Black)
		d.SmallBullets(items)
		d.Ln(1)
	}
	standards := func(fs []Finding, none string) []string {
		if len(fs) == 0 {
			return []string{none}
		}
		var items []string
		for _, f := range fs {
			items = append(items, f.ID+" "+f.Statement+" ("+f.Why+")")
		}
		return items
	}
	list("Strengths", standards(k.Strengths, "No standard is above both medians."))
	list("Priority gaps", standards(k.Gaps, "No standard is below both medians."))
	d.SetFont(pdfdoc.Family, "", 8)
	d.Ink(pdfdoc.Grey)
	d.TextBlock("P", k.Rule, 3.8)
	d.Ink(pdfdoc.Black)
	d.Ln(2)
	list("Provision", k.Provision)
	list("Risk in high-risk roles", k.Risk)
	list("What to do next", []string{k.Next})
}

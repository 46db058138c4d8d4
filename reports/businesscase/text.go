package businesscase

import (
	"fmt"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// The words of the business case that the PDF and the web page share, so
// that both say the same thing from the same figures.

// LegalDuty is the reason to act that does not depend on any return.
func LegalDuty(sector string) []string {
	out := []string{
		"The Health and Safety at Work etc. Act 1974 (section 2) requires every employer to ensure, so far as is reasonably practicable, the health, safety and welfare at work of its employees, and that includes their mental health.",
		"The Management of Health and Safety at Work Regulations 1999 (regulation 3) require a suitable and sufficient assessment of the risks to employees; the Health and Safety Executive treats work-related stress and psychological hazards as risks to assess, through its Management Standards.",
	}
	if sector == "police" {
		out = append(out, "The national guidance on psychological risk management in policing says the same for forces: each force must assess the psychological hazards its officers and staff face and put reasonable controls in place.")
	}
	return append(out, "The measures below are how we meet that duty for the people most exposed to trauma. Their estimated returns are a further reason to fund them, not the only one.")
}

// AskSentence is the ask in one sentence, for summaries that link to the
// business case.
func (doc Document) AskSentence() string {
	n := float64(len(doc.Recommendations))
	if n == 0 {
		return "The business case finds no gap that needs new funding this year."
	}
	cost, _ := Totals(doc.Recommendations)
	return fmt.Sprintf("The business case asks the %s to fund %s %s costing %s in the first year.", doc.Audience(), figure.Number(n, 0), figure.Noun(n, "measure", "measures"), figure.Money(cost))
}

// AskText is the ask in a sentence or two: what to fund, what it costs,
// what it should return, and what a return below the cost means.
func (doc Document) AskText() string {
	n := float64(len(doc.Recommendations))
	if n == 0 {
		return "Our figures show no gap that needs new funding this year. The sections below set out the need and our provision against peers."
	}
	cost, ret := Totals(doc.Recommendations)
	text := fmt.Sprintf("We ask the %s to fund %s %s costing %s in the first year.", doc.Audience(), figure.Number(n, 0), figure.Noun(n, "measure", "measures"), figure.Money(cost))
	roi, ok := ROI(cost, ret)
	switch {
	case ret <= 0:
		text += " We cannot put a money value on the return: " + doc.DaysLostBasis
	case ok && roi >= 0:
		text += fmt.Sprintf(" We expect them to return about %s a year in working time no longer lost, a return on investment of %s%%.", figure.Money(ret), figure.Number(roi, 0))
	default:
		text += fmt.Sprintf(" We expect them to return about %s a year in working time no longer lost. That is less than the first-year cost: each year's return covers about %s%% of it, so in money alone the measures take more than a year to pay for themselves, and the return counts only working time, not better care. The case rests first on the legal duty set out below.",
			figure.Money(ret), figure.Number(100*ret/cost, 0))
	}
	return text
}

// ChiefOfficers names the team a sector's business case goes to.
func ChiefOfficers(sector string) string {
	switch sector {
	case "fire":
		return "chief fire officer and the service's leadership team"
	case "ambulance":
		return "chief executive and the trust board"
	case "police":
		return "chief constable and the chief officer team"
	}
	return "chief officer team"
}

// NeedText says who is most exposed: the roles the register bands high or
// very high, or the sector's usual examples when the register names none.
func (in Inputs) NeedText() string {
	if len(in.HighRiskRoles) > 0 {
		n := float64(len(in.HighRiskRoles))
		return fmt.Sprintf("Some roles carry a much higher risk of psychological harm. Our role risk register bands %s %s high or very high: %s. Good practice is to screen people in these roles before they start and at least once a year after, every six months for the most exposed.",
			figure.Number(n, 0), figure.Noun(n, "role", "roles"), joinWords(in.HighRiskRoles))
	}
	return "Some roles carry a much higher risk of psychological harm; among " + figure.SectorPlural(in.Sector) + " they include " + sectorRoles(in.Sector) + ". Our role risk register bands none of our roles high or very high yet, so the figures below show no one in them."
}

// References are the sources the business case cites, in full.
func (doc Document) References() []string {
	refs := []string{
		"Health and Safety at Work etc. Act 1974, c. 37, section 2.",
		"The Management of Health and Safety at Work Regulations 1999, SI 1999/3242, regulation 3.",
		"Health and Safety Executive. Management Standards for work-related stress.",
		McCrone2024 + ".",
	}
	if doc.Inputs.Sector == "police" {
		refs = append(refs, NPWSDaysLost+".")
	}
	switch doc.Inputs.Sector {
	case "ambulance":
		refs = append(refs, "NHS England. NHS Sickness Absence Rates: monthly official statistics by organisation, staff group and reason.")
	case "fire":
		refs = append(refs, "Home Office. Fire and rescue workforce and pensions statistics, published annually.")
	}
	return refs
}

func joinWords(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	out := list[0]
	for _, s := range list[1 : len(list)-1] {
		out += ", " + s
	}
	return out + " and " + list[len(list)-1]
}

// Duty is LegalDuty for the document's sector.
func (doc Document) Duty() []string { return LegalDuty(doc.Inputs.Sector) }

// Audience is ChiefOfficers for the document's sector.
func (doc Document) Audience() string { return ChiefOfficers(doc.Inputs.Sector) }

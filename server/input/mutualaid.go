package input

import "github.com/bluelight-wellbeing/toolkit/server/store"

// AidRequest is an organisation's request for OK9 mutual aid.
type AidRequest struct {
	Incident   string  `json:"incident" form:"incident"`
	Location   string  `json:"location" form:"location"`
	StartsOn   *string `json:"starts_on" form:"starts_on"`
	EndsOn     *string `json:"ends_on" form:"ends_on"`
	DogsNeeded int     `json:"dogs_needed" form:"dogs"`
}

// Mutual aid is for an incident's aftermath: a month at most, and a number
// of dogs the national scheme could find.
const (
	maxAidDays = 30
	maxAidDogs = 50
)

func (in AidRequest) Validate() Problems {
	var ps Problems
	ps.text("incident", "Say what happened, in 2,000 characters or fewer", "incident is required: what happened, in 2,000 characters or fewer", in.Incident, true, MaxNarrative)
	ps.text("location", "Say where the dogs are needed, in 200 characters or fewer", "location is required: where the dogs are needed, in 200 characters or fewer", in.Location, true, MaxPlace)
	ps.date("starts_on", "the first day support is needed", in.StartsOn, true)
	ps.date("ends_on", "the last day support is needed", in.EndsOn, true)
	if from, to := day(in.StartsOn), day(in.EndsOn); from != nil && to != nil && (to.Before(*from) || to.After(from.AddDate(0, 0, maxAidDays))) {
		ps.add("ends_on", "The last day must be on or after the first day, and within 30 days of it", "ends_on must be on or after starts_on, and within 30 days of it")
	}
	if in.DogsNeeded < 1 || in.DogsNeeded > maxAidDogs {
		ps.add("dogs_needed", "Enter how many dogs are needed, between 1 and 50", "dogs_needed must be from 1 to 50")
	}
	return ps
}

// Apply puts a valid request on the record.
func (in AidRequest) Apply(r *store.AidRequest) {
	r.Incident, r.Location, r.DogsNeeded = trimmed(in.Incident), trimmed(in.Location), in.DogsNeeded
	r.StartsOn, r.EndsOn = *day(in.StartsOn), *day(in.EndsOn)
}

// AidOffer is a national admin's offer of one organisation's dogs to a
// request. The page names its fields by organisation, so it reads them
// itself.
type AidOffer struct {
	OrganisationID int64   `json:"organisation_id"`
	DogIDs         []int64 `json:"dog_ids"`
	// OverrideReason is why the dogs go though the lender's scheme is not
	// in good standing; the store records it in the audit trail.
	OverrideReason string `json:"override_reason"`
}

func (in AidOffer) Validate() Problems {
	var ps Problems
	if in.OrganisationID == 0 {
		ps.add("organisation_id", "Choose the organisation that would lend the dogs", "organisation_id is required: the organisation that would lend the dogs")
	}
	if len(in.DogIDs) == 0 {
		ps.add("dog_ids", "Choose at least one dog to offer", "dog_ids must name at least one of that organisation's dogs")
	}
	ps.text("override_reason", "Keep the reason to 2,000 characters", "override_reason must be 2,000 characters or fewer", in.OverrideReason, false, MaxNarrative)
	return ps
}

// AidDecision is the lending organisation's owner's answer to an offer.
type AidDecision struct {
	Decision       string `json:"decision" form:"decision"` // accept or decline
	HandlerID      int64  `json:"handler_id" form:"handler"`
	Minutes        int    `json:"minutes" form:"minutes"` // planned working time on each day of the request
	OverrideReason string `json:"override_reason" form:"override_reason"`
	DeclineReason  string `json:"decline_reason" form:"decline_reason"`
}

func (in AidDecision) Validate() Problems {
	var ps Problems
	switch in.Decision {
	case "accept":
		if in.HandlerID == 0 {
			ps.add("handler_id", "Choose the handler who will go with the dogs", "handler_id is required to accept: the handler who will go with the dogs")
		}
		if in.Minutes < 1 || in.Minutes > MaxMinutes {
			ps.add("minutes", "Enter the planned working time on each day, in minutes, from 1 to 1440",
				"minutes is required to accept: the planned working time on each day of the request, from 1 to 1440")
		}
		ps.text("override_reason", "Keep the reason to 2,000 characters", "override_reason must be 2,000 characters or fewer", in.OverrideReason, false, MaxNarrative)
	case "decline":
		ps.text("decline_reason", "Say why you cannot lend the dogs, in 1,000 characters or fewer", "decline_reason is required to decline: why the dogs cannot go, in 1,000 characters or fewer", in.DeclineReason, true, MaxReason)
	default:
		ps.add("decision", "Choose whether to lend the dogs", `decision must be "accept" or "decline"`)
	}
	return ps
}

// Answer is the store's form of a valid decision.
func (in AidDecision) Answer() store.AidDecision {
	return store.AidDecision{Accept: in.Decision == "accept", HandlerID: in.HandlerID, Minutes: in.Minutes,
		OverrideReason: trimmed(in.OverrideReason), DeclineReason: trimmed(in.DeclineReason)}
}

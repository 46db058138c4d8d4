package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/views"
)

// confirmPage asks before an action that cannot be undone (the GOV.UK
// pattern): it says what will happen, then one button does it and a link
// goes back without changing anything. It works without JavaScript.
type confirmPage struct {
	Caption string
	Lead    string     // the sentence above the list of what follows
	Details []keyValue // what the action is about, as a summary list
	Follows []string   // what happens once it is done
	Warning string
	// Action is where the button posts; Hidden carries what was typed on the
	// page before (a decision and its details), sent again unchanged.
	Action     string
	Hidden     []keyValue
	Button     string
	Primary    bool // a green button: the action is a yes, not a removal
	Cancel     string
	CancelText string
	// Change, when set, is a second button that sends Hidden back with
	// "change" so the page before shows what was typed, unsent.
	Change string
}

type keyValue struct{ Key, Value string }

func (s *Server) renderConfirm(c *fiber.Ctx, title, back string, p confirmPage) error {
	return s.render(c, "confirm", views.Page{Title: title, BackLink: back, Data: p})
}

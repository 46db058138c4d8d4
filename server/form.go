package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/server/input"
)

// readForm reads a posted form into the input package's types.
func readForm(c *fiber.Ctx) *input.Form {
	return input.NewForm(formValue(c), func(name string) []string {
		var out []string
		for _, v := range c.Request().PostArgs().PeekMulti(name) {
			out = append(out, string(v))
		}
		return out
	})
}

const dateLayout = "2006-01-02"

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// formValue reads one field of the posted form.
func formValue(c *fiber.Ctx) func(name string) string {
	return func(name string) string { return c.FormValue(name) }
}

package browsertest

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"
)

// page serves fixed HTML under our strict Content-Security-Policy.
func page(html string) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", "default-src 'self'")
		c.Type("html")
		return c.SendString(html)
	})
	return app
}

func TestViolationsAreFound(t *testing.T) {
	b := New(t)
	base := ServeFiber(t, page(`<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>
		<h1>Bad page</h1><img src="/x.png"><input type="text" name="q"></main></body></html>`))
	b.Do(t, chromedp.Navigate(base+"/"))
	vs, err := b.Violations(t)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s; got %v", want, ids)
		}
	}
}

func TestCleanPagePassesUnderCSP(t *testing.T) {
	b := New(t)
	base := ServeFiber(t, page(`<!DOCTYPE html><html lang="en"><head><title>Good</title></head><body><main>
		<h1>Good page</h1><form><label for="q">Search</label><input id="q" name="q" type="text"><button>Go</button></form></main></body></html>`))
	b.Do(t, chromedp.Navigate(base+"/"))
	b.CheckAccessibility(t, "clean page")
	b.Do(t, chromedp.SetValue(chromedp.CSS("#q"), "dogs"))
	if got := Run(t, b, chromedp.Evaluate[string](`document.getElementById("q").value`)); got != "dogs" {
		t.Errorf("typed value = %q", got)
	}
}

package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
)

// homePage is a plain start page until the GOV.UK Frontend shell arrives: it
// shows what is loaded and where the API is.
var homePage = template.Must(template.New("home").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Blue Light Wellbeing Toolkit</title></head>
<body>
<main>
<h1>Blue Light Wellbeing Toolkit</h1>
<p>Self-assessment against the Blue Light Wellbeing Framework and psychological risk assessment of high-risk roles.</p>
<h2>Loaded editions</h2>
<table>
<caption>Framework editions, crosswalks and risk models</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Key</th><th scope="col">Version</th><th scope="col">Title</th><th scope="col">Status</th></tr></thead>
<tbody>
{{range .}}<tr><td>{{.Kind}}</td><td>{{.Key}}</td><td>{{.Version}}</td><td>{{.Title}}</td><td>{{.Status}}</td></tr>
{{end}}</tbody>
</table>
<p><a href="/api/v1/openapi.json">API description (OpenAPI)</a></p>
</main>
</body>
</html>
`))

func (s *Server) home(c *fiber.Ctx) error {
	var eds []*frameworks.Edition
	if s.deps.Frameworks != nil {
		eds = s.deps.Frameworks.Editions
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return homePage.Execute(c.Response().BodyWriter(), eds)
}

package mail

import (
	"bytes"
	htmltemplate "html/template"
	texttemplate "text/template"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
)

// Notice is one thing an email tells: a heading, a sentence or two, and a
// link to the page where it is done.
type Notice struct {
	Title, Body, Link string
}

// Email is the content of one email before it is written out.
type Email struct {
	Subject     string
	Name        string // whom it is for, for the greeting
	Intro       string
	Notices     []Notice
	SettingsURL string // the person's email settings; every email links to it
	// Transactional emails (set-password links) are always sent; the
	// footer says so instead of offering to stop them.
	Transactional bool
}

const service = "Blue Light Wellbeing Toolkit"

var textEmail = texttemplate.Must(texttemplate.New("text").Parse(`Hello {{.Name}},

{{.Intro}}
{{range .Notices}}
{{.Title}}
{{.Body}}
{{.Link}}
{{end}}
--
` + service + `
{{if .Transactional}}You receive this email because someone asked for it for your account. Choose which other emails you receive: {{.SettingsURL}}{{else}}Choose which emails you receive, and how often: {{.SettingsURL}}{{end}}
`))

var htmlEmail = htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Subject}}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; margin: 0; padding: 16px;">
<p style="margin: 0 0 16px;">Hello {{.Name}},</p>
<p style="margin: 0 0 16px;">{{.Intro}}</p>
{{range .Notices}}<h2 style="font-size: 19px; margin: 24px 0 8px;">{{.Title}}</h2>
<p style="margin: 0 0 8px;">{{.Body}}</p>
<p style="margin: 0 0 16px;"><a href="{{.Link}}" style="color: #1d70b8;">{{.Title}}</a></p>
{{end}}<hr style="border: 0; border-top: 1px solid #b1b4b6; margin: 32px 0 16px;">
<p style="margin: 0; font-size: 14px;">` + service + `<br>
{{if .Transactional}}You receive this email because someone asked for it for your account. <a href="{{.SettingsURL}}" style="color: #1d70b8;">Choose which other emails you receive</a>.{{else}}<a href="{{.SettingsURL}}" style="color: #1d70b8;">Choose which emails you receive, and how often</a>.{{end}}</p>
</body>
</html>
`))

// Render writes the email out for to, in plain text and HTML.
func Render(to string, e Email) (Message, error) {
	var text, html bytes.Buffer
	if err := textEmail.Execute(&text, e); err != nil {
		return Message{}, err
	}
	if err := htmlEmail.Execute(&html, e); err != nil {
		return Message{}, err
	}
	return Message{To: to, ToName: e.Name, Subject: e.Subject, Text: text.String(), HTML: html.String(), SettingsURL: e.SettingsURL}, nil
}

// Plural is "1 reminder", "2 reminders", as the reports count.
func Plural(n int, one, many string) string { return figure.Count(float64(n), one, many) }

package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/server/config"
	"github.com/bluelight-wellbeing/toolkit/server/mail/mailtest"
)

// Serve says on start where emails go, and never logs the relay's password.
func TestServeSaysWhereEmailsGo(t *testing.T) {
	_, logs, stop := startServe(t, map[string]string{"DATA_DIR": t.TempDir(), "DEMO_DATA": "off"})
	stop()
	if !strings.Contains(logs.String(), "SMTP_HOST is not set: emails are written to this log instead of being sent") {
		t.Errorf("no word of the missing relay:\n%s", logs.String())
	}

	relay := mailtest.Start(t, config.SMTPNone, "toolkit", "relay password 1")
	_, logs, stop = startServe(t, map[string]string{"DATA_DIR": t.TempDir(), "DEMO_DATA": "off",
		"SMTP_HOST": relay.Host, "SMTP_PORT": strconv.Itoa(relay.Port), "SMTP_MODE": "none", "SMTP_USER": "toolkit",
		"SMTP_PASSWORD": "relay password 1", "SMTP_FROM": "toolkit@wellbeing.test"})
	stop()
	out := logs.String()
	if !strings.Contains(out, "emails go through the SMTP relay") || !strings.Contains(out, `"password_set":true`) {
		t.Errorf("no word of the relay:\n%s", out)
	}
	if strings.Contains(out, "relay password 1") {
		t.Error("the relay's password is in the log")
	}
}

package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bluelight-wellbeing/toolkit/server/browsertest"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// layout measures, in the browser, the two heat map tables and whether the
// page scrolls sideways.
const layoutJS = `(() => {
  const t = [...document.querySelectorAll("table.app-heatmap")].map(e => e.getBoundingClientRect());
  const wrap = [...document.querySelectorAll(".app-heatmap")].every(e => e.parentElement.scrollWidth <= e.parentElement.clientWidth + 1);
  return {n: t.length, aLeft: t[0] ? t[0].left : 0, aRight: t[0] ? t[0].right : 0, aTop: t[0] ? t[0].top : 0, aBottom: t[0] ? t[0].bottom : 0,
    bLeft: t[1] ? t[1].left : 0, bTop: t[1] ? t[1].top : 0, fits: wrap, pageWidth: document.documentElement.scrollWidth};
})()`

type heatLayout struct {
	N                            int
	ALeft, ARight, ATop, ABottom float64
	BLeft, BTop                  float64
	Fits                         bool
	PageWidth                    float64
}

// TestRiskPagesLayout: at 1280 px the heat map's two grids sit side by side
// without overlapping or scrolling; on a 375 px phone they stack and the
// page does not scroll sideways; the rating form fits a 375 px screen.
func TestRiskPagesLayout(t *testing.T) {
	st := storetest.Open(t, store.DialectSQLite)
	f := newFixture(t, st)
	m := builtinFrameworks(t).CurrentRiskModel().RiskModel
	owner := f.people["A owner"]
	cl := f.signedIn(owner)
	for _, id := range []string{"RL-01", "RL-16", "RL-08"} {
		role, _ := m.Role(id)
		cl.get("/risk/roles/" + id + "/review")
		if resp, body := cl.post("/risk/roles/"+id, everyControlForm(m, role)); resp.StatusCode != 303 {
			t.Fatalf("save %s = %d\n%s", id, resp.StatusCode, body)
		}
	}
	// A draft, so that the register lists it and the form shows it.
	if resp, body := cl.post("/risk/roles/RL-01", url.Values{"action": {"draft"}, "headcount": {"12"}}); resp.StatusCode != 303 {
		t.Fatalf("draft = %d\n%s", resp.StatusCode, body)
	}
	setPassword(t, f, owner)
	b := browsertest.New(t)
	base := browsertest.ServeFiber(t, f.srv.App())
	b.Do(t, chromedp.Navigate(base+"/sign-in"), chromedp.SetValue(chromedp.CSS("#email"), owner.Email), chromedp.SetValue(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("header")))
	measure := func(width int64, path string) heatLayout {
		b.Do(t, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
		if loc := browsertest.Run(t, b, chromedp.Location()); !strings.HasSuffix(loc, path) {
			t.Fatalf("at %s, want %s", loc, path)
		}
		return browsertest.Run(t, b, chromedp.Evaluate[heatLayout](layoutJS))
	}
	wide := measure(1280, "/risk/heatmap")
	if wide.N != 2 || wide.ARight > wide.BLeft || wide.ATop != wide.BTop || !wide.Fits || wide.PageWidth > 1280 {
		t.Errorf("heat map at 1280 px: %+v; want two grids side by side, apart, with no scrolling", wide)
	}
	phone := measure(375, "/risk/heatmap")
	if phone.N != 2 || phone.BTop < phone.ABottom || phone.PageWidth > 375 {
		t.Errorf("heat map at 375 px: %+v; want the grids stacked and no sideways scrolling", phone)
	}
	if form := measure(375, "/risk/roles/RL-01/review"); form.PageWidth > 375 {
		t.Errorf("the rating form is %v px wide on a 375 px screen", form.PageWidth)
	}
	b.CheckAccessibility(t, "rating form at 375 px, a draft")
	if reg := measure(375, "/risk"); reg.PageWidth > 375 {
		t.Errorf("the register with a draft is %v px wide on a 375 px screen", reg.PageWidth)
	}
	b.CheckAccessibility(t, "register with a draft at 375 px")
	measure(1280, "/risk/heatmap")
	b.CheckAccessibility(t, "heat map")
}

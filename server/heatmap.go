package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/reporting"
	"github.com/bluelight-wellbeing/toolkit/server/views"
)

type heatmapPage struct {
	OrgName            string
	Residual, Inherent reporting.HeatGrid
	OrgQuery           string
	Notice             string
}

// showHeatmap draws the register on the model's grid, before and after
// controls side by side on a wide screen and one above the other on a
// phone, with the band named in every cell so colour is never the only
// signal, and each cell linking to the roles in it.
func (s *Server) showHeatmap(c *fiber.Ctx) error {
	org, err := s.orgInView(c)
	if err != nil {
		return err
	}
	model := s.deps.Frameworks.CurrentRiskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	list, err := s.deps.Store.RoleRegister(c.UserContext(), scopeOf(currentUser(c)), org.ID)
	if err != nil {
		return err
	}
	residual, inherent, _ := reporting.RoleGrids(model.RiskModel, list)
	page := heatmapPage{OrgName: org.Name, Residual: residual, Inherent: inherent, OrgQuery: orgQuery(c, org),
		Notice: model.ContentNotice()}
	return s.render(c, "risk_heatmap", views.Page{Title: "Risk heat map: " + org.Name, BackLink: "/risk" + page.OrgQuery, Data: page})
}

// bandStyles is a stylesheet of the current risk model's band colours, so
// the heat map takes its colours from the model (the content security
// policy allows stylesheets from the site, not inline styles). Text on
// each band is black or white, whichever contrasts more.
func (s *Server) bandStyles(c *fiber.Ctx) error {
	model := s.deps.Frameworks.CurrentRiskModel()
	if model == nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.SendString(BandCSS(model.RiskModel.Bands))
}

// BandCSS writes a class per band (app-band--<key>) with the band's colour.
func BandCSS(bands []frameworks.Band) string {
	var b strings.Builder
	b.WriteString(".app-heatmap{table-layout:fixed;width:100%;min-width:18rem}.app-heatmap th,.app-heatmap td{padding:4px;font-size:1rem;overflow-wrap:anywhere}")
	// Links in a cell take the cell's text colour, which contrasts with its band.
	b.WriteString(".app-heatmap__cell a.govuk-link:link,.app-heatmap__cell a.govuk-link:visited,.app-heatmap__cell a.govuk-link:hover{color:inherit}.app-heatmap__cell a.govuk-link:focus{color:#0b0c0c}")
	for _, band := range bands {
		text := "#0b0c0c"
		if luminance(band.Colour) < 0.18 {
			text = "#ffffff"
		}
		fmt.Fprintf(&b, ".app-band--%s{background-color:%s;color:%s}", band.Key, band.Colour, text)
	}
	return b.String()
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2.2).
func luminance(hex string) float64 {
	if len(hex) != 7 {
		return 1
	}
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}

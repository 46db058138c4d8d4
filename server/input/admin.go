package input

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bluelight-wellbeing/toolkit/reports/figure"
	"github.com/bluelight-wellbeing/toolkit/server/store"
)

// Cycle is a national assessment cycle a national admin opens.
type Cycle struct {
	Name     string   `json:"name" form:"name"`         // its length is the store's rule
	Edition  string   `json:"edition" form:"framework"` // key/version
	OpensOn  *string  `json:"opens_on" form:"opens"`
	ClosesOn *string  `json:"closes_on" form:"closes"`
	Editions []string `json:"-"` // the editions loaded, as key/version, set by the caller
}

func (in Cycle) Validate() Problems {
	var ps Problems
	ps.required("name", "Enter a name for the cycle, like 2026/27", "name is required: like 2026/27", in.Name)
	if !slices.Contains(in.Editions, in.Edition) {
		ps.add("edition", "Choose a framework edition", "edition must be one of "+strings.Join(in.Editions, ", "))
	}
	if day, ok := isoDay(in.OpensOn); !ok {
		ps.add("opens_on", dateWrong("the opening date", in.OpensOn, "must be a real date"), "opens_on must be a date like 2026-04-01")
	} else if day == nil {
		ps.add("opens_on", "Enter the opening date", "opens_on is required: a date like 2026-04-01")
	}
	if day, ok := isoDay(in.ClosesOn); !ok {
		ps.add("closes_on", dateWrong("the closing date", in.ClosesOn, "must be a real date"), "closes_on must be a date like 2027-03-31")
	} else if day == nil {
		ps.add("closes_on", "Enter the closing date", "closes_on is required: a date like 2027-03-31")
	}
	return ps
}

// Record is a valid cycle as the store keeps it.
func (in Cycle) Record() store.Cycle {
	key, version, _ := strings.Cut(in.Edition, "/")
	opens, _ := isoDay(in.OpensOn)
	return store.Cycle{Name: trimmed(in.Name), FrameworkKey: key, FrameworkVersion: version, OpensOn: *opens, ClosesOn: closingTime(in.ClosesOn)}
}

// CycleChange extends, closes or reopens a cycle; which statuses there are
// is the store's rule. The page names the closing date by cycle, so it
// reads it itself.
type CycleChange struct {
	ClosesOn *string `json:"closes_on"` // blank leaves it as it is
	Status   string  `json:"status" form:"status"`
}

func (in CycleChange) Validate() Problems {
	var ps Problems
	if _, ok := isoDay(in.ClosesOn); !ok {
		ps.add("closes_on", dateWrong("the new closing date", in.ClosesOn, "must be a real date"), "closes_on must be a date like 2027-03-31")
	}
	return ps
}

// Closes is the new closing time, or zero to leave it as it is.
func (in CycleChange) Closes() time.Time { return closingTime(in.ClosesOn) }

// closingTime is the end of the closing day, when a cycle closes; zero for
// no day.
func closingTime(v *string) time.Time {
	day, _ := isoDay(v)
	if day == nil {
		return time.Time{}
	}
	return day.Add(24*time.Hour - time.Second)
}

// Organisation is an organisation's name and place in the service.
type Organisation struct {
	Name      string `json:"name" form:"name"`
	Slug      string `json:"slug" form:"slug"`
	Sector    string `json:"sector" form:"sector"`
	Nation    string `json:"nation" form:"nation"` // which nations there are is the store's rule
	Region    string `json:"region" form:"region"`
	PeerGroup string `json:"peer_group" form:"peer_group"`
}

func (in Organisation) Validate() Problems {
	var ps Problems
	ps.required("name", "Enter the organisation's name", "name is required", in.Name)
	ps.required("slug", "Enter a short name, like avon-somerset", "slug is required: a short name, like avon-somerset", in.Slug)
	if !slices.Contains(store.Sectors, in.Sector) {
		ps.add("sector", "Choose a sector", "sector must be one of "+strings.Join(store.Sectors, ", "))
	}
	return ps
}

// Apply puts the input on the record; the page shows it again as typed
// when the input or the store refuses it.
func (in Organisation) Apply(o *store.Organisation) {
	o.Name, o.Slug, o.Sector, o.Nation = trimmed(in.Name), strings.ToLower(trimmed(in.Slug)), in.Sector, in.Nation
	o.Region, o.PeerGroup = trimmed(in.Region), trimmed(in.PeerGroup)
}

// Workforce is an organisation's headcount for a year, which benchmarks
// use for rates per 1,000 people. Every figure is required.
type Workforce struct {
	Year       *int `json:"year" form:"year,omitempty"`
	Officers   *int `json:"officers" form:"officers,omitempty"`
	Staff      *int `json:"staff" form:"staff,omitempty"`
	Volunteers *int `json:"volunteers" form:"volunteers,omitempty"`
}

func (in Workforce) Validate() Problems {
	var ps Problems
	if ps.wholeNumber("year", "Year", in.Year) && (*in.Year < firstYear || *in.Year > lastYear) {
		ps.add("year", "Year must be between 2000 and 2100", "year must be from 2000 to 2100")
	}
	ps.wholeNumber("officers", "Officers or operational staff", in.Officers)
	ps.wholeNumber("staff", "Other staff", in.Staff)
	ps.wholeNumber("volunteers", "Volunteers", in.Volunteers)
	return ps
}

// wholeNumber checks a required whole number from 0 to MaxCount, worded
// alike whether it is missing or wrong; it says whether it was right.
func (ps *Problems) wholeNumber(field, label string, v *int) bool {
	if v == nil || *v < 0 || *v > MaxCount {
		ps.add(field, label+" must be a whole number from 0 to 1,000,000", field+" must be a whole number from 0 to 1,000,000")
		return false
	}
	return true
}

// Record is valid figures as the store keeps them.
func (in Workforce) Record(orgID int64) store.Workforce {
	return store.Workforce{OrganisationID: orgID, Year: *in.Year, Officers: *in.Officers, Staff: *in.Staff, Volunteers: *in.Volunteers}
}

// AuditEntityTypes are the kinds of record the audit trail can be filtered by.
var AuditEntityTypes = []string{"organisation", "workforce", "user", "api_token", "cycle", "assessment", "response", "action"}

// AuditFilter narrows the audit trail. A bad date is a problem and left
// out of the filter; an unknown kind of record is all records.
type AuditFilter struct {
	From   *string `json:"from" form:"from"`
	To     *string `json:"to" form:"to"`
	Entity string  `json:"entity" form:"entity"`
	Person int64   `json:"person" form:"person"`
}

func (in AuditFilter) Validate() Problems {
	var ps Problems
	if _, ok := isoDay(in.From); !ok {
		ps.add("from", dateWrong("date from", in.From, "must be a real date"), "from must be a date like 2026-11-23")
	}
	if _, ok := isoDay(in.To); !ok {
		ps.add("to", dateWrong("date to", in.To, "must be a real date"), "to must be a date like 2026-11-23")
	}
	return ps
}

// Filter is the store's filter: the valid parts of the input.
func (in AuditFilter) Filter() store.AuditFilter {
	f := store.AuditFilter{ActorUserID: in.Person}
	if from, _ := isoDay(in.From); from != nil {
		f.From = *from
	}
	if to, _ := isoDay(in.To); to != nil {
		f.To = to.Add(24 * time.Hour) // the whole of the last day
	}
	if slices.Contains(AuditEntityTypes, in.Entity) {
		f.EntityType = in.Entity
	}
	return f
}

// Assumption is an organisation's own figure for one assumption of the
// business case, as typed, and where it comes from.
type Assumption struct {
	Key, Name string  // the assumption's, from its default
	Default   float64 // the default figure
	Min, Max  float64 // the range of sensible figures, from the default
	Unit      string  // what the figure counts, from the default
	// Optional marks a figure only the organisation can give, with no
	// default: left blank, it is not given.
	Optional bool
	Value    string
	Source   string
}

// given reports whether a figure was typed for an optional assumption, or
// the assumption is not optional.
func (a Assumption) given() bool { return !a.Optional || trimmed(a.Value) != "" }

// Assumptions are an organisation's figures for every assumption. The page
// names its fields by assumption, "value-" or "source-" and the key, and
// so do its problems: there is no API for them.
type Assumptions []Assumption

const maxAssumptionSource = 500

func (in Assumptions) Validate() Problems {
	var ps Problems
	for _, a := range in {
		v, ok := a.figure()
		value, source := "value-"+a.Key, "source-"+a.Key
		switch src := trimmed(a.Source); {
		case !a.given() && src == "": // not given, and nothing to keep
		case !a.given():
			ps.add(value, a.Name+": enter your figure, or clear its source", value+" is required when its source is given")
		case !ok:
			ps.add(value, a.Name+": enter a number of zero or more", value+" must be a number of zero or more")
		case v < a.Min || v > a.Max:
			r := a.rangeText()
			ps.add(value, a.Name+": enter a figure from "+r, value+" must be from "+r)
		case v == a.Default && src == "" && !a.Optional: // the default stands
		case src == "":
			ps.add(source, a.Name+": say where your figure comes from", source+" is required for a figure other than the default")
		case len(src) > maxAssumptionSource:
			ps.add(source, a.Name+": the source must be 500 characters or fewer", source+" must be 500 characters or fewer")
		}
	}
	return ps
}

// rangeText is the assumption's range in words, e.g. "0 to 100 %".
func (a Assumption) rangeText() string {
	if per, ok := strings.CutPrefix(a.Unit, "GBP"); ok { // money reads in pounds, as the page shows it
		return figure.Pounds(a.Min) + " to " + figure.Pounds(a.Max) + per
	}
	return strconv.FormatFloat(a.Min, 'f', -1, 64) + " to " + strconv.FormatFloat(a.Max, 'f', -1, 64) + " " + a.Unit
}

func (a Assumption) figure() (float64, bool) {
	raw := trimmed(a.Value)
	v, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", ""), 64)
	return v, raw != "" && err == nil && v >= 0 && !math.IsInf(v, 1) // NaN is not >= 0
}

// Overrides are the valid figures that replace a default: those that
// differ from it, or whose source is given.
func (in Assumptions) Overrides() []store.AssumptionOverride {
	var out []store.AssumptionOverride
	for _, a := range in {
		if !a.given() {
			continue
		}
		if v, _ := a.figure(); a.Optional || v != a.Default || trimmed(a.Source) != "" {
			out = append(out, store.AssumptionOverride{Key: a.Key, Value: v, Source: trimmed(a.Source)})
		}
	}
	return out
}

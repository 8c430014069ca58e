package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// countryFile is the base name of a country chart's downloads.
func countryFile(q dashboard.CountryQuery, kind string) string {
	return fmt.Sprintf("armsdash_%s_%s_%d-%d", slug(q.Name), kind, q.From, q.To)
}

// yearlySeries is the yearly TIV of one side of a country with its
// five-year moving sums, plus the OLS trend line of imports.
func yearlySeries(fi *dashboard.FlowIndex, q dashboard.CountryQuery, cy dashboard.CountryYearly) Series {
	side, id, kind := "exports to all recipients", "chart-country-exports", "exports"
	if cy.Imports {
		side, id, kind = "imports from all suppliers", "chart-country-imports", "imports"
	}
	n := len(cy.Values)
	mov := make([]float64, n)
	for i := range mov {
		mov[i] = round(cy.MovingSum[i], 2)
	}
	supplier, recipient := q.Name, ""
	if cy.Imports {
		supplier, recipient = "", q.Name
	}
	bars := splitEstimated(fmt.Sprintf("%s %s", q.Name, side), cy.Values, fi.EstimatedYearly(supplier, recipient, q.From, q.To))
	notes := []string{"A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV. The moving sum of a year adds it and the four before, also before the range; it is n/a where the data do not reach four years back (before " + strconv.Itoa(fi.Coverage.MinYear+4) + ")."}
	if len(bars) > 1 {
		notes = append(notes, estimatedNote(q.Name+"'s "+kind, fi.EstimatedShare(supplier, recipient, q.Period()), q.Period()))
	}
	s := yearlyTIV(fi, q.Period())
	s.ID, s.File = id, countryFile(q, kind)
	s.Title = fmt.Sprintf("%s's arms %s per year, %s, with five-year moving sums", q.Name, kind, q.Period())
	s.Series = append(bars, Named{Name: "five-year moving sum (that year and the four before)", Values: mov, Line: true})
	s.Notes = notes
	if tr := cy.Trend; tr != nil {
		fit := make([]float64, n)
		for i := range fit {
			fit[i] = round(tr.Intercept+tr.Slope*float64(q.From+i), 2)
		}
		s.Series = append(s.Series, Named{Name: "linear trend of yearly imports (OLS fit)", Values: fit, Line: true})
	}
	return s
}

// trendText describes the OLS trend of yearly imports.
func trendText(q dashboard.CountryQuery, cy dashboard.CountryYearly) string {
	tr := cy.Trend
	switch {
	case cy.Constant:
		return fmt.Sprintf("Linear trend of %s's yearly imports, %s: n/a, they are %s million TIV every year.", q.Name, q.Period(), millions(cy.Values[0]))
	case tr == nil:
		return fmt.Sprintf("No trend: %s has %d years; a linear trend needs at least 3.", q.Period(), len(cy.Values))
	}
	return fmt.Sprintf("Linear trend (ordinary least squares) of %s's yearly imports, %s: %+.1f ± %.1f million TIV per year (slope ± standard error), R² = %.2f, n = %d years. With few years and lumpy deliveries, read it as a description, not a forecast.",
		q.Name, q.Period(), tr.Slope, tr.SlopeSE, tr.R2, tr.N)
}

// lineOptions turns the series at the given indexes into lines, for
// moving sums and trends drawn over yearly bars.
func lineOptions(b []byte, lines ...int) ([]byte, error) {
	return patchOptions(b, func(o map[string]any) {
		ss, _ := o["series"].([]any)
		for _, i := range lines {
			if i < len(ss) {
				if m, ok := ss[i].(map[string]any); ok {
					m["type"], m["connectNulls"], m["symbolSize"] = "line", false, 6
				}
			}
		}
	})
}

// patchOptions decodes ECharts options, lets edit change them and encodes
// them again with encoding/json, so they stay safe inside <script>.
func patchOptions(b []byte, edit func(map[string]any)) ([]byte, error) {
	var o map[string]any
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("chart options: %w", err)
	}
	edit(o)
	out, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("chart options: %w", err)
	}
	return out, nil
}

// partnerRow is one line of a ranking table.
type partnerRow struct {
	Name, Link, TIV, Share string
	// PairLink is the pair page of the country and this partner.
	PairLink string
}

// sideView is one side of a country's trade: its partners, or why the
// flow set cannot give them.
type sideView struct {
	Heading string
	Reason  string // why the side is not shown; "" when it is
	Total   string // TIV over the period, formatted
	// Estimated says how much of Total rests on SIPRI's estimates; ""
	// when the data do not say (breakdown.go).
	Estimated string
	Rows      []partnerRow
	HHI       string
	Top       string
	API       string // the same ranking as JSON
	Notes     []string
}

// sideOf words one side of the profile.
func sideOf(fi *dashboard.FlowIndex, q dashboard.CountryQuery, imports bool) sideView {
	cs := fi.CountrySideOf(q, imports)
	v := sideView{Heading: fmt.Sprintf("Suppliers of %s's imports, %s", q.Name, q.Period()), Reason: cs.Reason}
	api := url.Values{"recipient": {q.Name}, "from": {strconv.Itoa(q.From)}, "to": {strconv.Itoa(q.To)}, "top": {"10"}}
	if !imports {
		v.Heading = fmt.Sprintf("Customers of %s's exports, %s", q.Name, q.Period())
		api.Del("recipient")
		api.Set("supplier", q.Name)
	}
	if cs.Total != nil {
		v.Reason += fmt.Sprintf(" Its total exports in %s: %s million TIV.", q.Period(), millions(*cs.Total))
	}
	r := cs.Ranking
	if r == nil {
		return v
	}
	if q.Dataset != "" {
		api.Set("dataset", q.Dataset)
	}
	v.API = "/api/v1/rankings?" + api.Encode()
	countries := fi.Coverage.Countries()
	v.Total, v.Estimated = millions(r.TotalTIV), estimateText(r.EstimatedShare, "it")
	v.Notes = r.Notes
	for _, p := range r.Partners {
		row := partnerRow{Name: p.Name, TIV: millions(p.TIV), Share: "n/a"}
		if p.Percent != nil {
			row.Share = analysis.FormatPercent(*p.Percent) + " (" + strconv.FormatFloat(*p.Percent, 'f', 2, 64) + ")"
		}
		if p.Others {
			row.Name = fmt.Sprintf("all others (%d partners below the top %d)", r.Count-r.Top, r.Top)
		} else if slices.Contains(countries, p.Name) {
			row.Link = q.CountryLink(p.Name)
			pair := dashboard.DyadQuery{Supplier: p.Name, Recipient: q.Name, From: q.From, To: q.To, Dataset: q.Dataset}
			if !imports {
				pair.Supplier, pair.Recipient = q.Name, p.Name
			}
			row.PairLink = pair.Link("/dyad")
		}
		v.Rows = append(v.Rows, row)
	}
	v.HHI = "n/a"
	if r.HHI != nil {
		v.HHI = fmt.Sprintf("%.0f", *r.HHI)
		top := r.Partners[0]
		if top.Percent != nil {
			v.Top = fmt.Sprintf("%s, %s (%.2f%%)", top.Name, analysis.FormatPercent(*top.Percent), *top.Percent)
		}
	}
	return v
}

// countryPage is the view model of country.html.
type countryPage struct {
	basePage
	Q                dashboard.CountryQuery
	Countries        []string
	MinYear, MaxYear int
	Dataset          data.Dataset
	Imports, Exports sideView
	Trend            string
	Charts           []chartView
	Missing          []string // sides whose yearly chart is not shown, and why
	WDI              wdiView  // World Bank WDI beside SIPRI (wdi.go)
	MarkerNote       string   // SIPRI's * and ** explained, when a name shown carries one

	// Editions is every edition held of each side (editions.go).
	Editions editionsView
	// Breakdowns are the country's imports and exports by category,
	// status and local production (breakdown.go); State and Dimensions
	// give the by= chosen and its values.
	Breakdowns []breakdownView
	State      dashboard.ChartState
	Dimensions []string
}

// countryPageQuery is a validated /country query: the country and period,
// and the charts' display state.
type countryPageQuery = withState[countryChartQuery]

// parseCountryPage reads a /country query.
var parseCountryPage = stateParser(parseCountry, pageMeasures("/country", dashboard.MeasureTIVOnly))

// country serves /country: one country's suppliers, customers,
// concentration and yearly volumes.
func (s *Server) country(r *rq, pq countryPageQuery) (*response, error) {
	fi, q := pq.Q.fi, pq.Q.Q
	c := fi.Coverage
	page := countryPage{
		Q: q, Countries: c.Countries(), MinYear: c.MinYear, MaxYear: c.MaxYear, Dataset: fi.Set.Dataset,
		Imports: sideOf(fi, q, true), Exports: sideOf(fi, q, false),
	}
	page.basePage = s.base(r.c, fmt.Sprintf("%s: arms imports and exports, %s", q.Name, q.Period()), "country", q.Link("/country"))
	page.DataLabel = fi.Label()
	page.NeedCharts = true
	pc, err := s.pageCharts(r, "/country", pq.Q, pq.State)
	if err != nil {
		return nil, err
	}
	// The breakdowns have a section of their own, which says once why
	// one is missing.
	taken, views := takeCharts(pc.Views, "chart-country-imports-breakdown", "chart-country-exports-breakdown")
	missing := slices.DeleteFunc(withoutNoDetails(fi, pc.Missing), func(m string) bool {
		return m == noneToBreakDown(q, true) || m == noneToBreakDown(q, false)
	})
	page.WDI, page.Charts, page.Missing = wdiSection(r.d, q.Name, views, missing)
	page.Editions, page.Charts, page.Missing = editionsSection(r.d, q, page.Charts, page.Missing)
	page.State, page.Dimensions = pq.State, dashboard.BreakdownDimensions
	imports := dashboard.BreakdownQuery{Recipient: q.Name, From: q.From, To: q.To, Dataset: q.Dataset}
	exports := dashboard.BreakdownQuery{Supplier: q.Name, From: q.From, To: q.To, Dataset: q.Dataset}
	page.Breakdowns = []breakdownView{
		breakdownViewOf(fi, imports, "imports-breakdown", fmt.Sprintf("What %s imported, %s", q.Name, q.Period()), noneToBreakDown(q, true), taken[0]),
		breakdownViewOf(fi, exports, "exports-breakdown", fmt.Sprintf("What %s exported, %s", q.Name, q.Period()), noneToBreakDown(q, false), taken[1]),
	}
	// A side the data does not hold is explained in its own section above
	// the charts; its chart's reason is the same sentence, said once.
	page.Missing = slices.DeleteFunc(page.Missing, func(m string) bool {
		return m == page.Imports.Reason || m == page.Exports.Reason
	})
	if fi.ImportsReason(q.Name) == "" {
		page.Trend = trendText(q, fi.CountryYearlyOf(q, true))
	}
	names := []string{q.Name}
	for _, side := range []sideView{page.Imports, page.Exports} {
		for _, r := range side.Rows {
			names = append(names, r.Name)
		}
	}
	page.MarkerNote = markerNote(names...)
	return s.renderPage("country", page)
}

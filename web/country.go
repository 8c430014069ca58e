package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// countryQuery is a validated /country query.
type countryQuery struct {
	Name     string
	From, To int
	Dataset  string // flow set asked for; "" for the preferred one
}

func (q countryQuery) values() url.Values {
	v := url.Values{"name": {q.Name}, "from": {strconv.Itoa(q.From)}, "to": {strconv.Itoa(q.To)}}
	if q.Dataset != "" {
		v.Set("dataset", q.Dataset)
	}
	return v
}

// link returns path with the query, e.g. "/country?from=2020&name=Pakistan&to=2024".
func (q countryQuery) link(path string) string { return path + "?" + q.values().Encode() }

func (q countryQuery) period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

func (q countryQuery) file(kind string) string {
	return fmt.Sprintf("armsdash_%s_%s_%d-%d", slug(q.Name), kind, q.From, q.To)
}

// countryLink is the profile of name over the same period and dataset.
func (q countryQuery) countryLink(name string) string {
	q.Name = name
	return q.link("/country")
}

// countries lists every country of the flow set, supplier or recipient,
// leaving out rows that sum several recipients.
func countries(idx *flowIndex) []string {
	m := map[string]bool{}
	for _, c := range idx.suppliers {
		m[c] = true
	}
	for _, c := range idx.recipients {
		m[c] = true
	}
	return sortedKeys(m)
}

// parseCountryQuery validates a /country query: name defaults to the
// recipient the dyad page shows first; from and to default to the last
// five years of data.
func (s *Server) parseCountryQuery(snap *data.Snapshot, v url.Values) (*flowIndex, countryQuery, error) {
	var q countryQuery
	q.Dataset = strings.TrimSpace(v.Get("dataset"))
	idx, err := s.flowIndexFor(snap, q.Dataset)
	if err != nil {
		return nil, q, err
	}
	name := v.Get("name")
	if strings.TrimSpace(name) == "" {
		name = idx.defaultQuery.Recipient
	}
	if q.Name, err = country("name", name, countries(idx), "a country"); err != nil {
		return nil, q, err
	}
	p, err := readPeriod(v, idx, max(idx.minYear, idx.maxYear-4), idx.maxYear)
	if err != nil {
		return nil, q, err
	}
	q.From, q.To = p.From, p.To
	return idx, q, nil
}

// countrySeriesFunc builds one chart of the country page; it fails with a
// *RequestError when the flow set cannot give that side.
type countrySeriesFunc func(idx *flowIndex, q countryQuery) (Series, error)

// unavailable is the 404 of a side the flow set does not hold.
func unavailable(msg string) error { return &RequestError{Status: http.StatusNotFound, Msg: msg} }

// importsReason says why the set cannot give q.Name's imports, or "".
func importsReason(idx *flowIndex, name string) string {
	if idx.importsComplete[name] {
		return ""
	}
	return fmt.Sprintf("%s does not hold all of %s's imports (it holds only those of %s), so they are not shown.", idx.set.Dataset.Label(), name, strings.Join(completeImporters(idx), ", "))
}

func completeImporters(idx *flowIndex) []string {
	var out []string
	for _, r := range idx.recipients {
		if idx.importsComplete[r] {
			out = append(out, r)
		}
	}
	return out
}

// exportsReason says why the set cannot give q.Name's yearly exports, or "".
func exportsReason(idx *flowIndex, name string) string {
	if idx.exportsComplete[name] {
		return ""
	}
	return fmt.Sprintf("%s does not hold all of %s's exports, so they are not shown.", idx.set.Dataset.Label(), name)
}

// yearlySeries is the yearly TIV of one side with its five-year moving
// sums, plus the OLS trend line of imports.
func yearlySeries(idx *flowIndex, q countryQuery, imports bool) Series {
	// The moving sums reach back four years before the range where the
	// data do, so a 2020–2024 view still shows 2016–2020 for 2020.
	start := max(q.From-4, idx.minYear)
	supplier, recipient := q.Name, ""
	side, id, kind := "exports to all recipients", "chart-country-exports", "exports"
	if imports {
		supplier, recipient = "", q.Name
		side, id, kind = "imports from all suppliers", "chart-country-imports", "imports"
	}
	longer := analysis.YearlyTIV(idx.transfers, supplier, recipient, start, q.To)
	yearly := longer[q.From-start:]
	n := len(yearly)
	mov := make([]float64, n)
	for i := range mov {
		mov[i] = math.NaN()
	}
	for i, v := range analysis.MovingSum(longer, 5) {
		if j := start + i + 4 - q.From; j >= 0 {
			mov[j] = round(v, 2)
		}
	}
	vals := make([]float64, n)
	for i, v := range yearly {
		vals[i] = round(v, 2)
	}
	s := Series{
		ID:     id,
		Title:  fmt.Sprintf("%s's arms %s per year, %s, with five-year moving sums", q.Name, kind, q.period()),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: sourceLabel(idx.set.Dataset),
		Rule:   tivRule + ", " + q.period().String(),
		X:      years(q.From, q.To),
		Series: []Named{
			{Name: fmt.Sprintf("%s %s", q.Name, side), Values: vals},
			{Name: "five-year moving sum (that year and the four before)", Values: mov},
		},
		Notes: []string{"A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV. The moving sum of a year adds it and the four before, also before the range; it is n/a where the data do not reach four years back (before " + strconv.Itoa(idx.minYear+4) + ")."},
		File:  q.file(kind),
	}
	if imports {
		if tr, err := trendOf(q, yearly); err == nil {
			fit := make([]float64, n)
			for i := range fit {
				fit[i] = round(tr.Intercept+tr.Slope*float64(q.From+i), 2)
			}
			s.Series = append(s.Series, Named{Name: "linear trend of yearly imports (OLS fit)", Values: fit})
		}
	}
	return s
}

// trendOf fits the OLS trend of yearly values over q's years.
func trendOf(q countryQuery, yearly []float64) (analysis.Trend, error) {
	x := make([]float64, len(yearly))
	for i := range x {
		x[i] = float64(q.From + i)
	}
	return analysis.LinearTrend(x, yearly)
}

// trendText describes the OLS trend of yearly imports.
func trendText(q countryQuery, yearly []float64) string {
	tr, err := trendOf(q, yearly)
	if err != nil {
		return fmt.Sprintf("No trend: %s has %d years; a linear trend needs at least 3.", q.period(), len(yearly))
	}
	return fmt.Sprintf("Linear trend (ordinary least squares) of %s's yearly imports, %s: %+.1f ± %.1f million TIV per year (slope ± standard error), R² = %.2f, n = %d years. With few years and lumpy deliveries, read it as a description, not a forecast.",
		q.Name, q.period(), tr.Slope, tr.SlopeSE, tr.R2, tr.N)
}

func countryImportsSeries(idx *flowIndex, q countryQuery) (Series, error) {
	if r := importsReason(idx, q.Name); r != "" {
		return Series{}, unavailable(r)
	}
	return yearlySeries(idx, q, true), nil
}

func countryExportsSeries(idx *flowIndex, q countryQuery) (Series, error) {
	if r := exportsReason(idx, q.Name); r != "" {
		return Series{}, unavailable(r)
	}
	return yearlySeries(idx, q, false), nil
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
}

// sideView is one side of a country's trade: its partners, or why the
// flow set cannot give them.
type sideView struct {
	Heading string
	Reason  string // why the side is not shown; "" when it is
	Total   string // TIV over the period, formatted
	Rows    []partnerRow
	HHI     string
	Top     string
	API     string // the same ranking as JSON
	Notes   []string
}

// sideOf builds one side of the profile from the shared ranking.
func sideOf(idx *flowIndex, q countryQuery, imports bool) sideView {
	rq := RankingQuery{Side: "recipient", Country: q.Name, Period: q.period(), Top: 10}
	v := sideView{Heading: fmt.Sprintf("Suppliers of %s's imports, %s", q.Name, q.period())}
	api := url.Values{"recipient": {q.Name}, "from": {strconv.Itoa(q.From)}, "to": {strconv.Itoa(q.To)}, "top": {"10"}}
	if !imports {
		rq.Side = "supplier"
		v.Heading = fmt.Sprintf("Customers of %s's exports, %s", q.Name, q.period())
		api.Del("recipient")
		api.Set("supplier", q.Name)
		switch {
		case !idx.exportsComplete[q.Name]:
			v.Reason = exportsReason(idx, q.Name)
			return v
		case !customersRankable(idx, q.Name):
			total := analysis.YearlyTIV(idx.transfers, q.Name, "", q.From, q.To)
			var sum float64
			for _, t := range total {
				sum += t
			}
			v.Reason = customersUnavailable(idx, q.Name) + fmt.Sprintf(" Its total exports in %s: %s million TIV.", q.period(), millions(sum))
			return v
		}
	} else if r := importsReason(idx, q.Name); r != "" {
		v.Reason = r
		return v
	}
	if q.Dataset != "" {
		api.Set("dataset", q.Dataset)
	}
	v.API = "/api/v1/rankings?" + api.Encode()
	known := map[string]bool{}
	for _, c := range countries(idx) {
		known[c] = true
	}
	r := rankingOf(idx, rq)
	v.Total = millions(r.TotalTIV)
	v.Notes = r.Notes
	for _, p := range r.Partners {
		row := partnerRow{Name: p.Name, TIV: millions(p.TIV), Share: "n/a"}
		if p.Percent != nil {
			row.Share = analysis.FormatPercent(*p.Percent) + " (" + strconv.FormatFloat(*p.Percent, 'f', 2, 64) + ")"
		}
		if p.Others {
			row.Name = fmt.Sprintf("all others (%d partners below the top %d)", countPartners(idx, rq)-rq.Top, rq.Top)
		} else if known[p.Name] {
			row.Link = q.countryLink(p.Name)
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

func countPartners(idx *flowIndex, rq RankingQuery) int {
	if rq.Side == "recipient" {
		return len(analysis.RankSuppliers(idx.transfers, rq.Country, rq.Period, 0))
	}
	return len(analysis.RankRecipients(idx.transfers, rq.Country, rq.Period, 0))
}

// countryPage is the view model of country.html.
type countryPage struct {
	basePage
	Q                countryQuery
	Countries        []string
	MinYear, MaxYear int
	Dataset          data.Dataset
	Imports, Exports sideView
	Trend            string
	Charts           []chartView
	Missing          []string // sides whose yearly chart is not shown, and why
	Notices          []string // display values in the query that were not understood
	WDI              wdiView  // World Bank WDI beside SIPRI (wdi.go)
}

// country serves /country: one country's suppliers, customers,
// concentration and yearly volumes.
func (s *Server) country(c *gin.Context) error {
	idx, q, err := s.parseCountryQuery(s.snapshot(c), c.Request.URL.Query())
	if err != nil {
		return err
	}
	page := countryPage{
		Q: q, Countries: countries(idx), MinYear: idx.minYear, MaxYear: idx.maxYear, Dataset: idx.set.Dataset,
		Imports: sideOf(idx, q, true), Exports: sideOf(idx, q, false),
	}
	page.basePage = s.base(c, fmt.Sprintf("%s: arms imports and exports, %s", q.Name, q.period()), "country", q.link("/country"))
	page.DataLabel = idx.set.Dataset.Label()
	page.NeedCharts = true
	// The registry's charts (chartroutes.go); notices name invalid display values.
	pc, err := s.pageChartsOf(c, "/country")
	if err != nil {
		return err
	}
	page.Notices = pc.Notices
	page.WDI, page.Charts, page.Missing = wdiSection(s.snapshot(c), q.Name, pc.Views, pc.Missing)
	// A side the data does not hold is explained in its own section above
	// the charts; its chart's reason is the same sentence, said once.
	page.Missing = slices.DeleteFunc(page.Missing, func(m string) bool {
		return m == page.Imports.Reason || m == page.Exports.Reason
	})
	if importsReason(idx, q.Name) == "" {
		page.Trend = trendText(q, analysis.YearlyTIV(idx.transfers, "", q.Name, q.From, q.To))
	}
	return s.render(c, "country", page)
}

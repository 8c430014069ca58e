package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// World Bank WDI on the country page: WDI's republished SIPRI arms imports
// (and exports) of one country, per year, beside the yearly totals of the
// page's SIPRI flow set.

// The WDI indicators taken from SIPRI, and what the country page calls them.
const (
	wdiImports = "MS.MIL.MPRT.KD" // "Arms imports (SIPRI trend indicator values)"
	wdiExports = "MS.MIL.XPRT.KD" // "Arms exports (SIPRI trend indicator values)"
	wdiChartID = "chart-country-wdi"
)

// wdiAddHint says how to load a WDI file.
const wdiAddHint = "armsdash import -db FILE wdi.csv"

// wdiSide is one WDI indicator of one country: the newest loaded WDI
// dataset holding the indicator, and the country's values in it.
type wdiSide struct {
	Code    string       // indicator code, wdiImports or wdiExports
	Dataset data.Dataset // the newest WDI dataset holding Code
	Loaded  bool         // some WDI dataset holds Code
	Older   int          // how many older WDI datasets also hold Code (not drawn)
	// Values are the country's values, by year ascending; aggregates
	// (World, South Asia …) are never among them.
	Values []data.IndicatorValue
}

// wdiData is what the WDI section of one country page draws.
type wdiData struct {
	Name             string // the country, as the flow set names it
	ISO3             string
	Imports, Exports wdiSide
}

// wdiUnavailable says why no WDI chart can be drawn for a country.
type wdiUnavailable struct {
	Msg string
	// NoneLoaded is true when no WDI dataset with an arms indicator is
	// loaded at all, so the page says how to add one.
	NoneLoaded bool
}

// wdiSideOf finds indicator code in snap's WDI datasets, newest first
// (the order of Snapshot.IndicatorSets), and takes the values of the
// economy with ISO 3166 alpha-3 code iso3 from the first that holds it.
// Rows are matched by WDI's country code through data.CountryByISO3, never
// by WDI's spelling of the name; aggregate rows are skipped. An empty iso3
// matches nothing.
func wdiSideOf(snap *data.Snapshot, code, iso3 string) wdiSide {
	side := wdiSide{Code: code}
	for _, set := range snap.IndicatorSets {
		if !slices.ContainsFunc(set.Values, func(v data.IndicatorValue) bool { return v.Indicator == code }) {
			continue
		}
		if side.Loaded {
			side.Older++
			continue
		}
		side.Loaded, side.Dataset = true, set.Dataset
		if iso3 == "" {
			continue
		}
		for _, v := range set.Values {
			if v.Indicator != code || v.Aggregate {
				continue
			}
			if c, ok := data.CountryByISO3(v.CountryCode); ok && c.ISO3 == iso3 {
				side.Values = append(side.Values, v)
			}
		}
		slices.SortStableFunc(side.Values, func(a, b data.IndicatorValue) int { return a.Year - b.Year })
	}
	return side
}

// wdiOf returns the WDI values of the country name, or why there are none: no WDI
// arms indicator loaded, a country without an ISO 3166 code, or no value
// for the country in the loaded files.
func wdiOf(snap *data.Snapshot, name string) (wdiData, *wdiUnavailable) {
	w := wdiData{Name: name}
	if c, ok := data.LookupCountry(name); ok {
		w.ISO3 = c.ISO3
	}
	w.Imports = wdiSideOf(snap, wdiImports, w.ISO3)
	w.Exports = wdiSideOf(snap, wdiExports, w.ISO3)
	switch {
	case !w.Imports.Loaded && !w.Exports.Loaded:
		msg := "No World Bank WDI file with SIPRI's arms imports (" + wdiImports + ") or exports (" + wdiExports + ") is loaded."
		if n := len(snap.IndicatorSets); n > 0 {
			msg = fmt.Sprintf("The %d World Bank WDI file(s) loaded hold neither SIPRI's arms imports (%s) nor exports (%s).", n, wdiImports, wdiExports)
		}
		return w, &wdiUnavailable{Msg: msg, NoneLoaded: true}
	case w.ISO3 == "":
		return w, &wdiUnavailable{Msg: fmt.Sprintf("World Bank WDI lists economies by ISO 3166 code, and %s has none, so WDI has no row for it.", name)}
	case len(w.Imports.Values) == 0 && len(w.Exports.Values) == 0:
		var in []string
		for _, s := range []wdiSide{w.Imports, w.Exports} {
			if s.Loaded {
				in = append(in, fmt.Sprintf("%s in “%s” (%s)", s.Code, s.Dataset.Name, vintageText(s.Dataset.Vintage)))
			}
		}
		return w, &wdiUnavailable{Msg: fmt.Sprintf("World Bank WDI has no value for %s (code %s): no row, or only empty cells, for %s.", name, w.ISO3, strings.Join(in, " or "))}
	}
	return w, nil
}

// wdiSeriesName names one series with its dataset and vintage.
func wdiSeriesName(country, what string, d data.Dataset) string {
	return fmt.Sprintf("%s %s (“%s”, %s)", country, what, d.Name, vintageText(d.Vintage))
}

// wdiSourceLabel is sourceLabel, save that a WDI file's vintage is its
// "Last Updated Date", not a generation date.
func wdiSourceLabel(d data.Dataset) string {
	if d.Format == data.FormatWDI && d.Vintage != "" {
		return d.Source + " last updated " + d.Vintage
	}
	return sourceLabel(d)
}

// wdiChart is the WDI chart of one country: the series and the datasets
// drawn.
type wdiChart struct {
	Series   Series
	Datasets []data.Dataset
	FlowSet  string // the flow set of the SIPRI series, "" when none is drawn
	From, To int
	Rows     dataTable
	// SIPRI are the indexes of the SIPRI series, drawn as lines over
	// WDI's bars.
	SIPRI []int
}

// wdiSeriesOf builds the WDI chart of w. Each WDI indicator the country has
// values for is one series, in millions of SIPRI TIV (the WDI value / 1e6,
// not rounded); years WDI leaves empty are NaN, never 0. Beside WDI's
// imports it draws the SIPRI yearly import total of the flow set (the sum
// over suppliers of the deliveries to the country, per delivery year,
// rounded to 0.01) when the set holds all the country's imports, and
// likewise exports beside WDI's exports. SIPRI values are 0 in a year the
// set covers without deliveries and NaN outside the set's years. The x
// axis runs over every year either source gives for the country.
func wdiSeriesOf(idx *flowIndex, w wdiData) wdiChart {
	type part struct {
		side  wdiSide
		what  string // e.g. "arms imports"
		sipri bool   // the flow set holds the whole side
		sum   func(from, to int) []float64
	}
	parts := []part{
		{w.Imports, "WDI arms imports " + wdiImports, importsReason(idx, w.Name) == "",
			func(from, to int) []float64 { return analysis.YearlyTIV(idx.transfers, "", w.Name, from, to) }},
		{w.Exports, "WDI arms exports " + wdiExports, exportsReason(idx, w.Name) == "",
			func(from, to int) []float64 { return analysis.YearlyTIV(idx.transfers, w.Name, "", from, to) }},
	}
	from, to := math.MaxInt, math.MinInt
	var out wdiChart
	for _, p := range parts {
		if len(p.side.Values) == 0 {
			continue
		}
		from, to = min(from, p.side.Values[0].Year), max(to, p.side.Values[len(p.side.Values)-1].Year)
		if !slices.ContainsFunc(out.Datasets, func(d data.Dataset) bool { return d.SHA256 == p.side.Dataset.SHA256 }) {
			out.Datasets = append(out.Datasets, p.side.Dataset)
		}
		if p.sipri {
			from, to = min(from, idx.minYear), max(to, idx.maxYear)
			out.FlowSet = idx.set.Dataset.Name
		}
	}
	if out.FlowSet != "" {
		out.Datasets = append(out.Datasets, idx.set.Dataset)
	}
	out.From, out.To = from, to
	var sources []string
	for _, d := range out.Datasets {
		sources = append(sources, wdiSourceLabel(d))
	}
	s := Series{
		ID:     wdiChartID,
		Title:  fmt.Sprintf("%s's arms transfers per year as World Bank WDI republishes them, beside SIPRI, %d–%d", w.Name, from, to),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: strings.Join(sources, "; "),
		Rule:   fmt.Sprintf("SIPRI TIV, millions (a volume measure, not money), per year; WDI's values (TIV × 1,000,000) divided by 1,000,000; %d–%d", from, to),
		X:      years(from, to),
		File:   fmt.Sprintf("armsdash_%s_wdi_%d-%d", slug(w.Name), from, to),
		Notes: []string{
			"World Bank WDI republishes SIPRI's trend-indicator values multiplied by 1,000,000; they are divided by 1,000,000 here, so every series is in millions of SIPRI TIV, a volume measure, not money, whatever WDI's indicator code suggests.",
			"A year WDI leaves empty is n/a (a gap in the chart), not 0: WDI gives no value for it.",
			fmt.Sprintf("The chart covers every year either source gives for %s (%d–%d), not only the period chosen above.", w.Name, from, to),
		},
	}
	rows := dataTable{Head: []string{"source", "dataset", "vintage", "indicator", "country as written in the file", "country code",
		"supplier", "recipient", "year", "value as written in the file", "unit of that value", "SIPRI TIV (millions)"}}
	for _, p := range parts {
		if len(p.side.Values) == 0 {
			if p.side.Loaded {
				s.Notes = append(s.Notes, fmt.Sprintf("“%s” holds %s but no value for %s.", p.side.Dataset.Name, p.side.Code, w.Name))
			}
			continue
		}
		d := p.side.Dataset
		vals := make([]float64, len(s.X))
		for i := range vals {
			vals[i] = math.NaN()
		}
		for _, v := range p.side.Values {
			tiv, _ := v.TIVMillions()
			vals[v.Year-from] = tiv
			rows.Rows = append(rows.Rows, []string{"World Bank WDI", d.Name, vintageText(d.Vintage), v.Indicator, v.CountryName, v.CountryCode,
				"", "", strconv.Itoa(v.Year), formatValue(v.Value), "SIPRI TIV × 1,000,000", formatValue(tiv)})
		}
		s.Series = append(s.Series, Named{Name: wdiSeriesName(w.Name, p.what, d), Values: vals})
		if p.side.Older > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("%d older WDI file(s) also hold %s; only the newest, “%s”, is drawn.", p.side.Older, p.side.Code, d.Name))
		}
		imports := p.side.Code == wdiImports
		if !p.sipri {
			reason := exportsReason(idx, w.Name)
			if imports {
				reason = importsReason(idx, w.Name)
			}
			s.Notes = append(s.Notes, reason+" So no SIPRI series is drawn beside WDI's.")
			continue
		}
		sipri := make([]float64, len(s.X))
		lo, hi := max(from, idx.minYear), min(to, idx.maxYear)
		yearly := p.sum(lo, hi)
		for i := range sipri {
			sipri[i] = math.NaN()
			if y := from + i; y >= lo && y <= hi {
				sipri[i] = round(yearly[y-lo], 2)
			}
		}
		what := "SIPRI imports from all suppliers"
		if !imports {
			what = "SIPRI exports to all recipients"
		}
		out.SIPRI = append(out.SIPRI, len(s.Series))
		s.Series = append(s.Series, Named{Name: wdiSeriesName(w.Name, what, idx.set.Dataset), Values: sipri})
		for _, f := range idx.set.Flows {
			if imports && f.Recipient == w.Name || !imports && f.Supplier == w.Name {
				rows.Rows = append(rows.Rows, []string{"SIPRI", idx.set.Dataset.Name, vintageText(idx.set.Dataset.Vintage), "deliveries", w.Name, w.ISO3,
					f.Supplier, f.Recipient, strconv.Itoa(f.Year), formatValue(f.TIV), "SIPRI TIV millions", formatValue(f.TIV)})
			}
		}
	}
	if out.FlowSet != "" {
		s.Notes = append(s.Notes,
			fmt.Sprintf("SIPRI series: deliveries summed over all partners by delivery year, from “%s” (%s), rounded to 0.01 million TIV; 0 in a year without deliveries, n/a outside the years the file covers (%d–%d).", idx.set.Dataset.Name, idx.set.Dataset.Label(), idx.minYear, idx.maxYear),
			"SIPRI revises past years with every release, and a WDI download copies one release, so the two can differ for the same year.")
	}
	// By year, then source, indicator, supplier and recipient.
	slices.SortStableFunc(rows.Rows, func(a, b []string) int {
		for _, k := range []int{8, 0, 3, 6, 7} {
			if c := strings.Compare(a[k], b[k]); c != 0 {
				return c
			}
		}
		return 0
	})
	out.Series, out.Rows = s, rows
	return out
}

// countryWDIChart builds the WDI chart of /country (chart registry). It is
// a 404 naming the reason when WDI has nothing for the country.
func countryWDIChart(s *Server, c *gin.Context, _ chartState) (*builtChart, error) {
	snap := s.snapshot(c)
	idx, q, err := s.parseCountryQuery(snap, c.Request.URL.Query())
	if err != nil {
		return nil, err
	}
	w, why := wdiOf(snap, q.Name)
	if why != nil {
		return nil, &RequestError{Status: http.StatusNotFound, Msg: why.Msg}
	}
	wc := wdiSeriesOf(idx, w)
	b := &builtChart{Series: wc.Series, Query: q.values(), Datasets: wc.Datasets, FlowSet: wc.FlowSet,
		Period: fmt.Sprintf("%d–%d", wc.From, wc.To), Rows: wc.Rows}
	b.patch = func(_ chartState, o []byte) ([]byte, error) { return lineOptions(o, wc.SIPRI...) }
	return b, nil
}

// wdiView is the WDI section of the country page.
type wdiView struct {
	Charts []chartView // the WDI chart, or none
	// Reason says why there is no chart; NoneLoaded adds how to load a
	// WDI file (AddHint).
	Reason     string
	NoneLoaded bool
	AddHint    string
}

// wdiSection takes the WDI chart out of the page's charts and says why it
// is missing when it is: the rest go back as the page's other charts, and
// the WDI reason is taken out of missing.
func wdiSection(snap *data.Snapshot, name string, views []chartView, missing []string) (wdiView, []chartView, []string) {
	v := wdiView{AddHint: wdiAddHint}
	var rest []chartView
	for _, cv := range views {
		if cv.ID == wdiChartID {
			v.Charts = append(v.Charts, cv)
		} else {
			rest = append(rest, cv)
		}
	}
	if _, why := wdiOf(snap, name); why != nil && len(v.Charts) == 0 {
		v.Reason, v.NoneLoaded = why.Msg, why.NoneLoaded
		missing = slices.DeleteFunc(slices.Clone(missing), func(m string) bool { return m == why.Msg })
	}
	return v, rest, missing
}

package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// World Bank WDI on the country page: WDI's republished SIPRI arms imports
// (and exports) of one country, per year, beside the yearly totals of the
// page's SIPRI flow set.

// wdiChartID is the element id of the WDI chart.
const wdiChartID = "chart-country-wdi"

// wdiAddHint says how to load a WDI file.
const wdiAddHint = "armsdash import -db FILE wdi.csv"

// wdiSeriesName names one series: what it is, never the file it comes
// from (the source line names the files and their vintages).
func wdiSeriesName(country, what string) string { return country + " " + what }

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
func wdiSeriesOf(fi *dashboard.FlowIndex, w dashboard.WDI) wdiChart {
	parts := []wdiPart{
		{w.Imports, "WDI arms imports " + dashboard.WDIImports, "SIPRI imports from all suppliers", fi.ImportsReason(w.Name), "", w.Name},
		{w.Exports, "WDI arms exports " + dashboard.WDIExports, "SIPRI exports to all recipients", fi.ExportsReason(w.Name), w.Name, ""},
	}
	out := wdiCoverage(fi, parts)
	b := wdiBuilder{fi: fi, w: w, from: out.From, s: wdiSeriesHead(w.Name, out),
		rows: dataTable{Head: []string{"source", "dataset", "vintage", "indicator", "country as written in the file", "country code",
			"supplier", "recipient", "year", "value as written in the file", "unit of that value", "SIPRI TIV (millions)"}}}
	for _, p := range parts {
		if len(p.side.Values) == 0 {
			if p.side.Loaded {
				b.s.Notes = append(b.s.Notes, fmt.Sprintf("“%s” holds %s but no value for %s.", p.side.Dataset.Name, p.side.Code, w.Name))
			}
			continue
		}
		b.addWDI(p)
		if p.notHeld != "" {
			b.s.Notes = append(b.s.Notes, p.notHeld+" So no SIPRI series is drawn beside WDI's.")
			continue
		}
		b.addSIPRI(p, out.To)
	}
	if out.FlowSet != "" {
		c := fi.Coverage
		b.s.Notes = append(b.s.Notes,
			fmt.Sprintf("SIPRI series: deliveries summed over all partners by delivery year, from “%s” (%s), rounded to 0.01 million TIV; 0 in a year without deliveries, n/a outside the years the file covers (%d–%d).", fi.Set.Dataset.Name, fi.Label(), c.MinYear, c.MaxYear),
			"SIPRI revises past years with every release, and a WDI download copies one release, so the two can differ for the same year.")
	}
	// By year, then source, indicator, supplier and recipient.
	slices.SortStableFunc(b.rows.Rows, func(x, y []string) int {
		for _, k := range []int{8, 0, 3, 6, 7} {
			if c := strings.Compare(x[k], y[k]); c != 0 {
				return c
			}
		}
		return 0
	})
	out.Series, out.Rows = b.s, b.rows
	return out
}

// wdiPart is one side of the WDI chart: WDI's indicator and, when the
// flow set holds the side in full (notHeld ""), SIPRI's yearly totals of
// supplier to recipient ("" for any).
type wdiPart struct {
	side                dashboard.WDISide
	what, sipriWhat     string // series names, e.g. "WDI arms imports MS.MIL.MPRT.KD"
	notHeld             string // why the flow set cannot give the side, "" when it can
	supplier, recipient string
}

// wdiCoverage finds the years the chart covers (every year either source
// gives) and the datasets it draws from.
func wdiCoverage(fi *dashboard.FlowIndex, parts []wdiPart) wdiChart {
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
		if p.notHeld == "" {
			from, to = min(from, fi.Coverage.MinYear), max(to, fi.Coverage.MaxYear)
			out.FlowSet = fi.Set.Dataset.Name
		}
	}
	if out.FlowSet != "" {
		out.Datasets = append(out.Datasets, fi.Set.Dataset)
	}
	out.From, out.To = from, to
	return out
}

// wdiSeriesHead is the WDI chart's Series without its series.
func wdiSeriesHead(name string, c wdiChart) Series {
	var sources []string
	for _, d := range c.Datasets {
		sources = append(sources, fmt.Sprintf("%s, file “%s”", wdiSourceLabel(d), d.Name))
	}
	from, to := c.From, c.To
	return Series{
		ID:     wdiChartID,
		Title:  fmt.Sprintf("%s's arms transfers per year as World Bank WDI republishes them, beside SIPRI, %d–%d", name, from, to),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: strings.Join(sources, "; "),
		Rule:   fmt.Sprintf("SIPRI TIV, millions (a volume measure, not money), per year; WDI's values (TIV × 1,000,000) divided by 1,000,000; %d–%d", from, to),
		X:      years(from, to),
		File:   fmt.Sprintf("armsdash_%s_wdi_%d-%d", slug(name), from, to),
		Notes: []string{
			"World Bank WDI republishes SIPRI's trend-indicator values multiplied by 1,000,000; they are divided by 1,000,000 here, so every series is in millions of SIPRI TIV, a volume measure, not money, whatever WDI's indicator code suggests.",
			"A year WDI leaves empty is n/a (a gap in the chart), not 0: WDI gives no value for it.",
			fmt.Sprintf("The chart covers every year either source gives for %s (%d–%d), not only the period chosen above.", name, from, to),
		},
	}
}

// wdiBuilder adds the series and rows of the WDI chart.
type wdiBuilder struct {
	fi   *dashboard.FlowIndex
	w    dashboard.WDI
	from int
	s    Series
	rows dataTable
}

// addWDI adds WDI's series of p and its rows; years WDI leaves empty are
// NaN.
func (b *wdiBuilder) addWDI(p wdiPart) {
	d := p.side.Dataset
	vals := make([]float64, len(b.s.X))
	for i := range vals {
		vals[i] = math.NaN()
	}
	for _, v := range p.side.Values {
		tiv, _ := v.TIVMillions()
		vals[v.Year-b.from] = tiv
		b.rows.Rows = append(b.rows.Rows, []string{"World Bank WDI", d.Name, vintageText(d.Vintage), v.Indicator, v.CountryName, v.CountryCode,
			"", "", strconv.Itoa(v.Year), formatValue(v.Value), "SIPRI TIV × 1,000,000", formatValue(tiv)})
	}
	b.s.Series = append(b.s.Series, Named{Name: wdiSeriesName(b.w.Name, p.what), Values: vals})
	if p.side.Older > 0 {
		b.s.Notes = append(b.s.Notes, fmt.Sprintf("%d older WDI file(s) also hold %s; only the newest, “%s”, is drawn.", p.side.Older, p.side.Code, d.Name))
	}
}

// addSIPRI adds the flow set's yearly totals of p, rounded to 0.01, and
// their rows: 0 in a year the set covers without deliveries, NaN outside
// its years.
func (b *wdiBuilder) addSIPRI(p wdiPart, to int) {
	fi, c := b.fi, b.fi.Coverage
	sipri := make([]float64, len(b.s.X))
	lo, hi := max(b.from, c.MinYear), min(to, c.MaxYear)
	yearly := fi.Yearly(p.supplier, p.recipient, lo, hi)
	for i := range sipri {
		sipri[i] = math.NaN()
		if y := b.from + i; y >= lo && y <= hi {
			sipri[i] = round(yearly[y-lo], 2)
		}
	}
	b.s.Series = append(b.s.Series, Named{Name: wdiSeriesName(b.w.Name, p.sipriWhat), Values: sipri, Line: true})
	ds := fi.Set.Dataset
	for _, f := range fi.Set.Flows {
		if p.recipient != "" && f.Recipient == p.recipient || p.supplier != "" && f.Supplier == p.supplier {
			b.rows.Rows = append(b.rows.Rows, []string{"SIPRI", ds.Name, vintageText(ds.Vintage), "deliveries", b.w.Name, b.w.ISO3,
				f.Supplier, f.Recipient, strconv.Itoa(f.Year), formatValue(f.TIV), "SIPRI TIV millions", formatValue(f.TIV)})
		}
	}
}

// countryWDIChart builds the WDI chart of /country (chart registry). It is
// a *dashboard.NotDrawableError naming the reason when WDI has nothing for
// the country.
func countryWDIChart(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(countryChartQuery)
	w, why := r.d.WDIOf(q.Q.Name)
	if why != nil {
		return nil, &dashboard.NotDrawableError{Msg: why.Msg}
	}
	wc := wdiSeriesOf(q.fi, w)
	b := &builtChart{Series: wc.Series, Query: q.Q.Values(), Datasets: wc.Datasets, FlowSet: wc.FlowSet,
		Period: fmt.Sprintf("%d–%d", wc.From, wc.To), rows: func() dataTable { return wc.Rows }}
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
func wdiSection(d *dashboard.Dashboard, name string, views []chartView, missing []string) (wdiView, []chartView, []string) {
	v := wdiView{AddHint: wdiAddHint}
	var rest []chartView
	for _, cv := range views {
		if cv.ID == wdiChartID {
			v.Charts = append(v.Charts, cv)
		} else {
			rest = append(rest, cv)
		}
	}
	if _, why := d.WDIOf(name); why != nil && len(v.Charts) == 0 {
		v.Reason, v.NoneLoaded = why.Msg, why.NoneLoaded
		missing = slices.DeleteFunc(slices.Clone(missing), func(m string) bool { return m == why.Msg })
	}
	return v, rest, missing
}

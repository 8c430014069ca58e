package web

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Breakdowns and estimates on the pages: what SIPRI's per-delivery-year
// listing knows beyond yearly totals (dashboard/breakdown.go). A pair's,
// a country's and the world's TIV split by armament category, status or
// local production (by=), as stacked yearly bars and a split of the
// period, and the part of each total resting on SIPRI's estimates of
// numbers or years.

// breakdownAPIQuery is a validated /api/v1/breakdown query.
type breakdownAPIQuery = flowQuery[dashboard.BreakdownQuery]

// parseBreakdownAPI reads a /api/v1/breakdown query.
var parseBreakdownAPI = flowParser((*dashboard.Dashboard).ParseBreakdown)

// apiBreakdown serves /api/v1/breakdown: the period's TIV split by one
// dimension, unrounded.
func apiBreakdown(_ *rq, q breakdownAPIQuery) (*response, error) {
	return jsonResponse(q.fi.Breakdown(q.Q))
}

// estimateText says how much of a total, named by of, rests on SIPRI's
// estimates, e.g. "70% of it rests on SIPRI's estimates of numbers
// delivered or delivery years"; "" when share is nil.
func estimateText(share *float64, of string) string {
	if share == nil {
		return ""
	}
	return fmt.Sprintf("%s of %s rests on SIPRI's estimates of numbers delivered or delivery years", analysis.FormatPercent(*share), of)
}

// estimatedNote is the note under a yearly chart whose bars of the TIV
// what received are split into firm and estimated parts; share is the
// estimated share over period.
func estimatedNote(what string, share *float64, period analysis.Period) string {
	n := fmt.Sprintf("The lighter part of each bar of %s is the TIV of deliveries whose number or year SIPRI estimates (its listing flags “Numbers delivered is estimate” or “Delivery year is estimate”)", what)
	if share != nil {
		n += fmt.Sprintf(": %s of the %s total", analysis.FormatPercent(*share), period)
	}
	return n + "."
}

// splitEstimated returns the series of yearly TIV values of one whole,
// named name, as drawn: one series when fi has no details, else its firm
// part and, stacked on it in a lighter tint, its part resting on SIPRI's
// estimates (est, yearly from the same year). Values are rounded to
// 0.01.
func splitEstimated(name string, values, est []float64) []Named {
	firm, light := make([]float64, len(values)), make([]float64, len(values))
	for i, v := range values {
		if est == nil {
			firm[i] = round(v, 2)
			continue
		}
		firm[i], light[i] = round(v-est[i], 2), round(est[i], 2)
	}
	if est == nil {
		return []Named{{Name: name, Values: firm}}
	}
	return []Named{
		{Name: name + ", firm figures", Values: firm, Stack: "estimates"},
		{Name: name + ", resting on SIPRI estimates", Values: light, Stack: "estimates", Light: true},
	}
}

// breakdownSeries is the yearly TIV of bq split by its dimension, stacked.
func breakdownSeries(fi *dashboard.FlowIndex, bq dashboard.BreakdownQuery, id, title, file string) Series {
	b, by := fi.BreakdownWithYears(bq)
	s := Series{
		ID:      id,
		Title:   title,
		XName:   "year",
		YName:   "SIPRI TIV (millions)",
		Unit:    "SIPRI TIV millions",
		Source:  sourceLabel(fi.Set.Dataset),
		Rule:    tivRule + ", by " + dashboard.DimensionLabel(bq.By) + ", " + bq.Period().String(),
		Stacked: true,
		X:       years(bq.From, bq.To),
		File:    file,
	}
	var split []string
	for k, key := range by.Keys {
		vals := make([]float64, len(by.Values[k]))
		for i, v := range by.Values[k] {
			vals[i] = round(v, 2)
		}
		s.Series = append(s.Series, Named{Name: key, Values: vals})
		if r := b.Rows[k]; r.Share != nil {
			split = append(split, fmt.Sprintf("%s %s", key, analysis.FormatPercent(*r.Share)))
		}
	}
	if len(split) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("Over %s: %s of %s million TIV.", bq.Period(), strings.Join(split, ", "), millions(b.TotalTIV)))
	}
	if t := estimateText(b.EstimatedShare, "the total"); t != "" {
		s.Notes = append(s.Notes, t+".")
	}
	s.Notes = append(s.Notes, "A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV; the JSON API gives them unrounded.")
	return s
}

// detailRows is the full-data table of a breakdown chart: the listing's
// rows summed by supplier, recipient, year, category, status and local
// production, those of bq's sides and period.
func detailRows(fi *dashboard.FlowIndex, bq dashboard.BreakdownQuery) dataTable {
	src := sourceLabel(fi.Set.Dataset)
	t := dataTable{Head: []string{"supplier", "recipient", "year", "armament category", "status", "local production",
		fmt.Sprintf("TIV (SIPRI TIV millions; %s)", src), fmt.Sprintf("of which resting on SIPRI estimates of numbers or years (SIPRI TIV millions; %s)", src), "dataset"}}
	p := bq.Period()
	for _, d := range fi.Set.AllDetails() {
		if !p.Contains(d.Year) || bq.Supplier != "" && d.Supplier != bq.Supplier || bq.Recipient != "" && d.Recipient != bq.Recipient {
			continue
		}
		local := "No"
		if d.LocalProduction {
			local = "Yes"
		}
		t.Rows = append(t.Rows, []string{d.Supplier, d.Recipient, strconv.Itoa(d.Year), d.Category, d.Status, local,
			formatValue(d.TIV), formatValue(d.EstimatedTIV), fi.Set.Dataset.Name})
	}
	return t
}

// breakdownChart is what the breakdown charts share: the chart of bq
// drawn from fi, or why it cannot be drawn: fi.NoDetails(), or none when
// bq's sides have no deliveries in its period.
func breakdownChart(fi *dashboard.FlowIndex, bq dashboard.BreakdownQuery, q chartQuery, none error, id, title, file string) (*builtChart, error) {
	if err := fi.NoDetails(); err != nil {
		return nil, err
	}
	if fi.Total(bq.Supplier, bq.Recipient, bq.Period()) == 0 {
		return nil, none
	}
	b := flowChart(fi, breakdownSeries(fi, bq, id, title, file), q.Values(), bq.Period().String())
	b.rows = func() dataTable { return detailRows(fi, bq) }
	return b, nil
}

// dyadBreakdownChart builds /dyad/breakdown: the pair's yearly TIV split
// by the page's by=.
func dyadBreakdownChart(_ *rq, cq chartQuery, st dashboard.ChartState) (*builtChart, error) {
	q := cq.(dyadChartQuery)
	bq := dashboard.BreakdownQuery{Supplier: q.Q.Supplier, Recipient: q.Q.Recipient, From: q.Q.From, To: q.Q.To, By: st.By, Dataset: q.Q.Dataset}
	return breakdownChart(q.fi, bq, q, noTransfers(q), "chart-dyad-breakdown",
		fmt.Sprintf("Arms deliveries from %s to %s per year by %s, %s", q.Q.Supplier, q.Q.Recipient, dashboard.DimensionLabel(bq.By), q.Q.Period()),
		dyadFile(q.Q, "by_"+bq.By))
}

// countryBreakdownChart builds /country/imports-breakdown (imports) or
// /country/exports-breakdown: one side of the country's yearly TIV split
// by the page's by=.
func countryBreakdownChart(imports bool) func(*rq, chartQuery, dashboard.ChartState) (*builtChart, error) {
	return func(_ *rq, cq chartQuery, st dashboard.ChartState) (*builtChart, error) {
		q := cq.(countryChartQuery)
		c := q.Q
		bq := dashboard.BreakdownQuery{Supplier: c.Name, From: c.From, To: c.To, By: st.By, Dataset: c.Dataset}
		side := "exports"
		if imports {
			bq.Supplier, bq.Recipient, side = "", c.Name, "imports"
		}
		return breakdownChart(q.fi, bq, q, &dashboard.NotDrawableError{Msg: noneToBreakDown(c, imports)},
			"chart-country-"+side+"-breakdown",
			fmt.Sprintf("%s's arms %s per year by %s, %s", c.Name, side, dashboard.DimensionLabel(bq.By), c.Period()),
			countryFile(c, side+"_by_"+bq.By))
	}
}

// noneToBreakDown says that a country has no imports (or exports) in the
// period to break down.
func noneToBreakDown(c dashboard.CountryQuery, imports bool) string {
	if imports {
		return fmt.Sprintf("SIPRI records no deliveries of major arms to %s in %s, so its imports are not broken down.", c.Name, c.Period())
	}
	return fmt.Sprintf("SIPRI records no deliveries of major arms from %s in %s, so its exports are not broken down.", c.Name, c.Period())
}

// worldCategoriesChart builds /world/categories: the world total per
// year, every year the data cover, split by armament category.
func worldCategoriesChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(worldChartQuery)
	fi, c := q.fi, q.fi.Coverage
	all := dashboard.BreakdownQuery{From: c.MinYear, To: c.MaxYear, By: dashboard.ByCategory, Dataset: q.Q.Dataset}
	b, err := breakdownChart(fi, all, q, &dashboard.NotDrawableError{Msg: "No deliveries are recorded."}, "chart-world-categories",
		fmt.Sprintf("The world's arms transfers per year by armament category, %d–%d", c.MinYear, c.MaxYear),
		fmt.Sprintf("armsdash_world_categories_%d-%d", c.MinYear, c.MaxYear))
	if err != nil {
		return nil, err
	}
	b.Period = fmt.Sprintf("%d–%d", c.MinYear, c.MaxYear)
	period := dashboard.BreakdownQuery{From: q.Q.From, To: q.Q.To, By: dashboard.ByCategory}
	var split []string
	for _, r := range fi.Breakdown(period).Rows {
		if r.Share != nil {
			split = append(split, r.Key+" "+analysis.FormatPercent(*r.Share))
		}
	}
	if len(split) > 0 {
		b.Series.Notes = append([]string{fmt.Sprintf("Every year the data cover, not only %s. In %s: %s.", q.Q.Period(), q.Q.Period(), strings.Join(split, ", "))}, b.Series.Notes...)
	}
	return b, nil
}

// breakdownRowView is one line of a period split.
type breakdownRowView struct {
	Key, TIV, Share, Estimated string
}

// breakdownTable is the period split by one dimension.
type breakdownTable struct {
	Heading string // e.g. "By armament category"
	Column  string // e.g. "Armament category"
	Rows    []breakdownRowView
	API     string // the same split as JSON
}

// breakdownView is a page's breakdown section: the total with its
// estimated share, the chart by the chosen dimension and the period split
// by every dimension; or why the data held give none.
type breakdownView struct {
	ID, Heading string
	// Reason says why there is no breakdown; "" when there is.
	Reason    string
	Total     string // million TIV over the period, formatted
	Estimated string // estimateText of the total
	Charts    []chartView
	Tables    []breakdownTable
}

// breakdownViewOf words the breakdowns of bq over fi for a page, with the
// page's breakdown charts; heading names what is broken down, and none
// says why there is nothing to break down when bq has no deliveries.
func breakdownViewOf(fi *dashboard.FlowIndex, bq dashboard.BreakdownQuery, id, heading, none string, charts []chartView) breakdownView {
	v := breakdownView{ID: id, Heading: heading, Charts: charts}
	if err := fi.NoDetails(); err != nil {
		v.Reason = err.Error()
		return v
	}
	if fi.Total(bq.Supplier, bq.Recipient, bq.Period()) == 0 {
		v.Reason = none
		return v
	}
	for _, by := range dashboard.BreakdownDimensions {
		bq.By = by
		b := fi.Breakdown(bq)
		label := dashboard.DimensionLabel(by)
		t := breakdownTable{Heading: "By " + label, Column: strings.ToUpper(label[:1]) + label[1:], API: link("/api/v1/breakdown", bq.Values())}
		for _, r := range b.Rows {
			t.Rows = append(t.Rows, breakdownRowView{Key: r.Key, TIV: millions(r.TIV), Share: percentOrNA(r.Share), Estimated: percentOrNA(r.EstimatedShare)})
		}
		v.Tables = append(v.Tables, t)
		v.Total, v.Estimated = millions(b.TotalTIV), estimateText(b.EstimatedShare, "it")
	}
	return v
}

// percentOrNA formats a share as SIPRI rounds it, "n/a" when nil.
func percentOrNA(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return analysis.FormatPercent(*p)
}

// takeCharts removes the views whose IDs are ids from views and returns
// them, in ids order, and the rest.
func takeCharts(views []chartView, ids ...string) (taken [][]chartView, rest []chartView) {
	taken = make([][]chartView, len(ids))
	for _, cv := range views {
		if i := slices.Index(ids, cv.ID); i >= 0 {
			taken[i] = append(taken[i], cv)
		} else {
			rest = append(rest, cv)
		}
	}
	return taken, rest
}

// withoutNoDetails removes fi's NoDetails reason from a page's missing
// charts: the breakdown section says it once.
func withoutNoDetails(fi *dashboard.FlowIndex, missing []string) []string {
	var nd *dashboard.NotDrawableError
	if err := fi.NoDetails(); errors.As(err, &nd) {
		return slices.DeleteFunc(slices.Clone(missing), func(m string) bool { return m == nd.Msg })
	}
	return missing
}

// estimatedColumn adds to t, the rows of a flow set's yearly flows (see
// flowRows), the TIV of each resting on SIPRI's estimates, before the
// dataset column, when the set is a listing with details.
func estimatedColumn(fi *dashboard.FlowIndex, t dataTable, flows []data.Flow) dataTable {
	if !fi.HasDetails() {
		return t
	}
	type key struct {
		s, r string
		y    int
	}
	est := map[key]float64{}
	for _, d := range fi.Set.AllDetails() {
		est[key{d.Supplier, d.Recipient, d.Year}] += d.EstimatedTIV
	}
	last := len(t.Head) - 1 // the dataset stays the last column
	t.Head = slices.Insert(t.Head, last, fmt.Sprintf("of which resting on SIPRI estimates of numbers or years (SIPRI TIV millions; %s)", sourceLabel(fi.Set.Dataset)))
	for i, f := range flows {
		t.Rows[i] = slices.Insert(t.Rows[i], last, formatValue(est[key{f.Supplier, f.Recipient, f.Year}]))
	}
	return t
}

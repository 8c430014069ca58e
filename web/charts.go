package web

import (
	"fmt"
	"math"
	"net/url"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// The chart builders of the registry (chartroutes.go): each turns a
// page's validated query into the Series a chart draws, from the numbers
// the domain layer computes.

// dyadTIVChart builds /dyad/tiv: the supplier's yearly deliveries to the
// recipient beside the recipient's imports (measure=share: the yearly
// share), with the years of dated events marked.
func dyadTIVChart(r *rq, cq chartQuery, st dashboard.ChartState) (*builtChart, error) {
	q := cq.(dyadChartQuery)
	if err := noTransfers(q); err != nil {
		return nil, err
	}
	ser := dyadTIVSeries(q.fi, q.Q)
	if st.Measure == dashboard.MeasureShare {
		ser = dyadYearlyShareSeries(q.fi, q.Q)
	}
	b := flowChart(q.fi, ser, q.Q.Values(), q.Q.Period().String())
	b.rows = func() dataTable {
		return flowRows(q.fi, q.Q.Period(), func(f data.Flow) bool { return f.Recipient == q.Q.Recipient })
	}
	stats, err := r.dyadStats(q.fi, q.Q)
	if err != nil {
		return nil, err
	}
	b.markers = stats.Markers
	b.patch = func(st dashboard.ChartState, o []byte) ([]byte, error) {
		if !st.Markers {
			return o, nil
		}
		js, err := withMarkers(templateJS(o), b.markers)
		return []byte(js), err
	}
	return b, nil
}

// dyadSharesChart builds /dyad/shares: both shares by five-year period.
func dyadSharesChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(dyadChartQuery)
	if err := noTransfers(q); err != nil {
		return nil, err
	}
	b := flowChart(q.fi, dyadShareSeries(q.fi, q.Q), q.Q.Values(), q.Q.Period().String())
	b.rows = func() dataTable {
		return flowRows(q.fi, q.Q.Period(), func(f data.Flow) bool {
			return f.Recipient == q.Q.Recipient || f.Supplier == q.Q.Supplier
		})
	}
	return b, nil
}

// noTransfers is the *dashboard.NotDrawableError of a pair with no
// deliveries in the period, whose charts would show only zeros; nil when
// there are some.
func noTransfers(q dyadChartQuery) error {
	if q.fi.Total(q.Q.Supplier, q.Q.Recipient, q.Q.Period()) > 0 {
		return nil
	}
	return &dashboard.NotDrawableError{Msg: fmt.Sprintf("SIPRI records no deliveries of major arms from %s to %s in %s, so the pair's yearly deliveries and shares are not charted. See %s's suppliers and %s's customers on their country pages.",
		q.Q.Supplier, q.Q.Recipient, q.Q.Period(), q.Q.Recipient, q.Q.Supplier)}
}

// dyadEventsChart builds /dyad/events: the pair's events per year by type.
func dyadEventsChart(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(dyadChartQuery)
	return &builtChart{Series: dyadEventSeries(r.d, q.Q), Query: q.Q.Values(), Datasets: r.d.EventDatasets(),
		Period: q.Q.Period().String(), rows: func() dataTable { return eventRows(eventsInPeriod(r.d, q.Q)) }}, nil
}

// eventsInPeriod returns the events between the query's two countries in
// its period, with those whose source gives no year.
func eventsInPeriod(d *dashboard.Dashboard, q dashboard.DyadQuery) []data.Event {
	var out []data.Event
	for _, e := range d.EventsBetween(q.Supplier, q.Recipient) {
		if y := e.Year(); y == 0 || q.Period().Contains(y) {
			out = append(out, e)
		}
	}
	return out
}

// dyadYearlyShareSeries is the dyad TIV chart with measure=share: the
// supplier's share of the recipient's imports in each year.
func dyadYearlyShareSeries(fi *dashboard.FlowIndex, q dashboard.DyadQuery) Series {
	complete := fi.Coverage.ImportsComplete(q.Recipient)
	vals := make([]float64, 0, q.To-q.From+1)
	for y := q.From; y <= q.To; y++ {
		v := math.NaN()
		if complete {
			v = fi.SupplierShare(q.Supplier, q.Recipient, analysis.Period{From: y, To: y}).Percent()
		}
		vals = append(vals, v)
	}
	notes := []string{fmt.Sprintf("A share is n/a in a year in which %s received no deliveries at all. Single years are lumpy: one large delivery moves a share a long way; the five-year shares below are steadier.", q.Recipient)}
	if !complete {
		notes = append(notes, fmt.Sprintf("Every share is n/a: %s (%s) does not hold all of %s's imports.", fi.Set.Dataset.Name, fi.Label(), q.Recipient))
	}
	return Series{
		ID:      "chart-dyad-tiv",
		Title:   fmt.Sprintf("%s's share of %s's arms imports per year, %s", q.Supplier, q.Recipient, q.Period()),
		XName:   "year",
		YName:   "share (%)",
		Unit:    "percent of SIPRI TIV",
		Source:  sourceLabel(fi.Set.Dataset),
		Rule:    "shares of " + tivRule + ", per delivery year, " + q.Period().String() + ", in percent, " + percentRule,
		Percent: true,
		X:       years(q.From, q.To),
		Series:  []Named{{Name: fmt.Sprintf("%s's share of %s's imports", q.Supplier, q.Recipient), Values: vals}},
		Notes:   notes,
		File:    dyadFile(q, "tiv_share"),
	}
}

// countryChartQuery is the validated query of the country page's charts.
type countryChartQuery = flowQuery[dashboard.CountryQuery]

// parseCountry reads a country query.
var parseCountry = flowParser((*dashboard.Dashboard).ParseCountry)

// countryChart builds /country/imports (imports) or /country/exports: the
// yearly volumes with moving sums (and the trend of imports). A side the
// flow set does not hold in full is a *dashboard.NotDrawableError.
func countryChart(imports bool) func(*rq, chartQuery, dashboard.ChartState) (*builtChart, error) {
	return func(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
		q := cq.(countryChartQuery)
		reason := q.fi.ExportsReason(q.Q.Name)
		if imports {
			reason = q.fi.ImportsReason(q.Q.Name)
		}
		if reason != "" {
			return nil, &dashboard.NotDrawableError{Msg: reason}
		}
		b := flowChart(q.fi, yearlySeries(q.fi, q.Q, q.fi.CountryYearlyOf(q.Q, imports)), q.Q.Values(), q.Q.Period().String())
		b.rows = func() dataTable {
			return flowRows(q.fi, q.Q.Period(), func(f data.Flow) bool {
				return imports && f.Recipient == q.Q.Name || !imports && f.Supplier == q.Q.Name
			})
		}
		return b, nil
	}
}

// eventsChartQuery is the validated query of the events page's chart:
// the filter and the weight.
type eventsChartQuery struct {
	Filter dashboard.EventFilter
	Weight dashboard.EventWeight
}

// Values returns the canonical parameters.
func (q eventsChartQuery) Values() url.Values {
	v := q.Filter.Values()
	q.Weight.Set(v)
	return v
}

func parseEventsChart(r *rq) (chartQuery, error) {
	return eventsChartQuery{r.d.ParseEventFilter(r.p), dashboard.ParseWeight(r.p)}, nil
}

// eventTypesChart builds /events/types: the events the filter selects, by
// type.
func eventTypesChart(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q, snap := cq.(eventsChartQuery), r.snapshot()
	f := q.Filter
	b := &builtChart{Query: q.Values(), Datasets: r.d.EventDatasets(), Period: f.Period()}
	counts, _, _ := r.d.CountEvents(f)
	if snap.EventsTruncated {
		b.rows = func() dataTable { return eventCountRows(counts) }
	} else {
		b.rows = func() dataTable { return eventRows(data.FilterEvents(snap.Events, data.EventFilter(f), 0, 0)) }
	}
	b.Series = eventTypeSeries(r.d, f, q.Weight, counts)
	return b, nil
}

// eventCountRows is the full-data table of the events chart when the
// snapshot holds counts but not the events: one row per year (empty when
// the source gives none), sides and type, with the events' weights.
func eventCountRows(counts []data.EventCount) dataTable {
	t := dataTable{Head: []string{"year", "side A", "side B", "type", "events", "sources (weight)", "articles (weight)"}}
	for _, c := range counts {
		t.Rows = append(t.Rows, []string{yearText(c.Year), c.SideA, c.SideB, c.Type, fmt.Sprint(c.Count), fmt.Sprint(c.Sources), fmt.Sprint(c.Articles)})
	}
	return t
}

// eventTypeSeries is the events page's chart: the events counts count,
// weighted by w, by type.
func eventTypeSeries(d *dashboard.Dashboard, f dashboard.EventFilter, w dashboard.EventWeight, counts []data.EventCount) Series {
	types := d.EventTypes()
	file := "armsdash_events_by_type"
	if f.Country != "" {
		file += "_" + slug(f.Country)
	}
	if f.Type != "" {
		file += "_" + slug(f.Type)
	}
	if f.From != 0 || f.To != 0 {
		file += fmt.Sprintf("_%s-%s", yearText(f.From), yearText(f.To))
	}
	w = w.OrDefault()
	title := "Events by type"
	if w != dashboard.WeightEvents {
		title += ", weighted by " + string(w)
		file += "_by_" + string(w)
	}
	return Series{
		ID:         "chart-events-types",
		Title:      title,
		XName:      "type",
		YName:      string(w),
		Unit:       "number of " + w.Noun(),
		Source:     eventSourceLabel(d),
		Rule:       "events in the list below, by type, " + w.Rule(),
		X:          types,
		EveryLabel: true,
		Counts:     true,
		Series:     []Named{{Name: string(w), Values: dashboard.ByType(counts, types, w)}},
		Notes:      eventNotes(d, w),
		File:       file,
	}
}

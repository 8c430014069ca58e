package web

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// The chart registry: every chart the dashboard draws, once. routes()
// registers each chart in every form from this one table, and the pages
// build their chart views from it, so a chart, its table, its downloads
// and its embed always come from the same Series.

// chartDef is one chart of the registry.
type chartDef struct {
	// path is the chart's URL without an extension, e.g. "/dyad/tiv":
	// path+".csv", ".json", ".data.csv", ".svg", ".png", ".zip" and
	// "/embed"+path serve it.
	path string
	// page is the page that shows the chart, e.g. "/dyad"; the chart
	// takes the same query as the page.
	page string
	// measures is true when the page offers measure=share.
	measures bool
	// build parses the page's query and computes the chart.
	build func(s *Server, c *gin.Context, st chartState) (*builtChart, error)
}

// builtChart is a chart computed for one request.
type builtChart struct {
	Series Series // the numbers, as the table, the CSV and the JSON give them
	// Query is the validated page query: countries, period, dataset.
	Query url.Values
	// Datasets are the files the chart is drawn from: their vintages
	// label it and their SHA-256 digests pin it.
	Datasets []data.Dataset
	FlowSet  string // name of the flow set drawn, "" for event charts
	Period   string // e.g. "1995–2024", or "all years held"
	Rows     dataTable
	Notices  []string // about the page query, e.g. a narrowed range
	// patch, when not nil, changes the chart's ECharts options after
	// the state is applied (lines over bars, event markers).
	patch func(st chartState, options []byte) ([]byte, error)
	// markers, when not nil, gives the years of dated events of the pair,
	// drawn as vertical lines on the chart and its images (markers=on).
	markers func() ([]markerRow, error)
}

// chartRegistry lists every chart. It is a function, not a variable, so
// that the builders may use anything in the package without an
// initialisation cycle.
func chartRegistry() []chartDef {
	return []chartDef{
		{path: "/dyad/tiv", page: "/dyad", measures: true, build: dyadChart(dyadTIVSeries, "tiv")},
		{path: "/dyad/shares", page: "/dyad", measures: true, build: dyadChart(dyadShareSeries, "shares")},
		{path: "/dyad/events", page: "/dyad", measures: true, build: dyadChart(dyadEventSeries, "events")},
		{path: "/events/types", page: "/events", build: eventTypesChart},
		{path: "/country/imports", page: "/country", build: countryChart(countryImportsSeries, true)},
		{path: "/country/exports", page: "/country", build: countryChart(countryExportsSeries, false)},
		{path: "/country/wdi", page: "/country", build: countryWDIChart},
	}
}

// chartDefOf returns the registered chart at path (no extension).
func chartDefOf(path string) (chartDef, bool) {
	for _, d := range chartRegistry() {
		if d.path == path {
			return d, true
		}
	}
	return chartDef{}, false
}

// chartsOn returns the registered charts of a page, in page order.
func chartsOn(page string) []chartDef {
	var out []chartDef
	for _, d := range chartRegistry() {
		if d.page == page {
			out = append(out, d)
		}
	}
	return out
}

// chartForms are the download forms every chart has, by extension.
var chartForms = []string{"csv", "json", "data.csv", "svg", "png", "zip"}

// registerCharts adds every form of every chart to routes via get.
func (s *Server) registerCharts(get func(string, handlerFunc)) {
	for _, d := range chartRegistry() {
		for _, ext := range chartForms {
			get(d.path+"."+ext, s.chartForm(d, ext))
		}
		get(strings.TrimSuffix(embedPrefix, "/")+d.path, s.chartEmbed(d))
	}
}

// flowChart fills what every chart drawn from a flow set shares.
func flowChart(idx *flowIndex, ser Series, q url.Values, period string) *builtChart {
	return &builtChart{Series: ser, Query: q, Datasets: []data.Dataset{idx.set.Dataset}, FlowSet: idx.set.Dataset.Name, Period: period}
}

// dyadChart builds one chart of /dyad. kind is "tiv", "shares" or
// "events".
func dyadChart(f seriesFunc, kind string) func(*Server, *gin.Context, chartState) (*builtChart, error) {
	return func(s *Server, c *gin.Context, st chartState) (*builtChart, error) {
		idx, q, notices, err := s.dyadQueryOf(c)
		if err != nil {
			return nil, err
		}
		if kind == "events" {
			ser := f(idx, q)
			events := eventsBetween(idx.snap.Events, q)
			return &builtChart{Series: ser, Query: q.values(), Datasets: eventDatasets(idx.snap), Period: q.period().String(),
				Rows: eventRows(events), Notices: notices}, nil
		}
		ser := f(idx, q)
		if kind == "tiv" && st.Measure == measureShare {
			ser = dyadYearlyShareSeries(idx, q)
		}
		b := flowChart(idx, ser, q.values(), q.period().String())
		b.Notices = notices
		b.Rows = flowRows(idx, q.period(), func(f data.Flow) bool {
			return f.Recipient == q.Recipient || kind == "shares" && f.Supplier == q.Supplier
		})
		if kind == "tiv" {
			b.markers = func() ([]markerRow, error) {
				stats, err := dyadStatsOf(idx, q, nil)
				if err != nil {
					return nil, err
				}
				return stats.MarkerRows, nil
			}
			b.patch = func(st chartState, o []byte) ([]byte, error) {
				if !st.Markers {
					return o, nil
				}
				rows, err := b.markers()
				if err != nil {
					return nil, err
				}
				js, err := withMarkers(templateJS(o), rows)
				return []byte(js), err
			}
		}
		return b, nil
	}
}

// dyadYearlyShareSeries is the dyad TIV chart with measure=share: the
// supplier's share of the recipient's imports in each year.
func dyadYearlyShareSeries(idx *flowIndex, q dyadQuery) Series {
	complete := idx.importsComplete[q.Recipient]
	vals := make([]float64, 0, q.To-q.From+1)
	for y := q.From; y <= q.To; y++ {
		v := math.NaN()
		if complete {
			v = round(analysis.SupplierShare(idx.transfers, q.Supplier, q.Recipient, analysis.Period{From: y, To: y}).Percent(), 1)
		}
		vals = append(vals, v)
	}
	notes := []string{fmt.Sprintf("A share is n/a in a year in which %s received no deliveries at all. Single years are lumpy: one large delivery moves a share a long way; the five-year shares below are steadier.", q.Recipient)}
	if !complete {
		notes = append(notes, fmt.Sprintf("Every share is n/a: %s (%s) does not hold all of %s's imports.", idx.set.Dataset.Name, idx.set.Dataset.Label(), q.Recipient))
	}
	return Series{
		ID:      "chart-dyad-tiv",
		Title:   fmt.Sprintf("%s's share of %s's arms imports per year, %s", q.Supplier, q.Recipient, q.period()),
		XName:   "year",
		YName:   "share (%)",
		Unit:    "percent of SIPRI TIV",
		Source:  sourceLabel(idx.set.Dataset),
		Rule:    "shares of " + tivRule + ", per delivery year, in percent rounded to 0.1, " + q.period().String(),
		Percent: true,
		X:       years(q.From, q.To),
		Series:  []Named{{Name: fmt.Sprintf("%s's share of %s's imports", q.Supplier, q.Recipient), Values: vals}},
		Notes:   notes,
		File:    q.file("tiv_share"),
	}
}

// countryChart builds one chart of /country.
func countryChart(f countrySeriesFunc, imports bool) func(*Server, *gin.Context, chartState) (*builtChart, error) {
	return func(s *Server, c *gin.Context, st chartState) (*builtChart, error) {
		idx, q, err := s.parseCountryQuery(s.snapshot(c), c.Request.URL.Query())
		if err != nil {
			return nil, err
		}
		ser, err := f(idx, q)
		if err != nil {
			return nil, err
		}
		b := flowChart(idx, ser, q.values(), q.period().String())
		b.Rows = flowRows(idx, q.period(), func(f data.Flow) bool {
			return imports && f.Recipient == q.Name || !imports && f.Supplier == q.Name
		})
		b.patch = func(_ chartState, o []byte) ([]byte, error) { return lineOptions(o, 1, 2) }
		return b, nil
	}
}

// eventTypesChart builds the chart of /events.
func eventTypesChart(s *Server, c *gin.Context, st chartState) (*builtChart, error) {
	snap, f, ignored, types, _ := s.eventsQuery(c)
	period := "all years held"
	if f.From != 0 || f.To != 0 {
		period = fmt.Sprintf("%s–%s", yearText(f.From), yearText(f.To))
	}
	var rows dataTable
	if snap.EventsTruncated {
		rows = eventCountRows(snap.EventCounts, f)
		ignored = append(ignored, fmt.Sprintf("%d events are held, more than the %d a full-data CSV lists: it gives their counts by year, sides and type instead.", snap.EventsTotal, data.SnapshotEventLimit))
	} else {
		rows = eventRows(data.FilterEvents(snap.Events, data.EventFilter(f), 0, 0))
	}
	return &builtChart{Series: eventTypeSeries(snap, f, types), Query: f.values(), Datasets: eventDatasets(snap),
		Period: period, Rows: rows, Notices: ignored}, nil
}

// eventsBetween returns the events between the query's two countries in
// its period, with those whose source gives no year.
func eventsBetween(events []data.Event, q dyadQuery) []data.Event {
	var out []data.Event
	for _, e := range pairEvents(events, q.Supplier, q.Recipient) {
		if y := e.Year(); y == 0 || q.period().Contains(y) {
			out = append(out, e)
		}
	}
	return out
}

// eventDatasets returns the datasets events come from.
func eventDatasets(snap *data.Snapshot) []data.Dataset {
	var out []data.Dataset
	for _, d := range snap.Datasets {
		if d.Format == data.FormatEvents || d.Format == data.FormatGDELT {
			out = append(out, d)
		}
	}
	return out
}

// pinOf is the pin of the data a chart is drawn from: the first pinLen
// hex digits of the dataset's SHA-256, or, for a chart drawn from several
// files, of the SHA-256 of their digests, one per line. It is "" when
// there is no dataset to pin.
func pinOf(ds []data.Dataset) string {
	switch len(ds) {
	case 0:
		return ""
	case 1:
		if len(ds[0].SHA256) < pinLen {
			return ""
		}
		return strings.ToLower(ds[0].SHA256[:pinLen])
	}
	h := sha256.New()
	for _, d := range ds {
		fmt.Fprintln(h, strings.ToLower(d.SHA256))
	}
	return hex.EncodeToString(h.Sum(nil))[:pinLen]
}

// datasetsText names datasets with vintage and the start of their digest.
func datasetsText(ds []data.Dataset) string {
	if len(ds) == 0 {
		return "no data of this kind"
	}
	var parts []string
	for _, d := range ds {
		p := fmt.Sprintf("“%s” (%s", d.Name, d.Label())
		if len(d.SHA256) >= pinLen {
			p += ", SHA-256 " + d.SHA256[:pinLen] + "…"
		}
		parts = append(parts, p+")")
	}
	return strings.Join(parts, "; ")
}

// goneError is the 410 of a pinned chart whose data is no longer loaded.
func goneError(st chartState, q url.Values, now []data.Dataset) error {
	what := "SHA-256 " + st.Pin + "…"
	if name := q.Get("dataset"); name != "" {
		what = fmt.Sprintf("dataset “%s”, %s", truncate(name), what)
	}
	return &RequestError{Status: http.StatusGone, Msg: fmt.Sprintf(
		"The data this chart was pinned to (%s) is no longer loaded here, so the chart is not drawn from other data. Loaded now: %s. Remove pin= from the address to see the chart with the data loaded now.",
		what, datasetsText(now))}
}

// buildChecked builds chart d in state st and checks its pin. A pinned
// chart whose dataset is gone, or whose data differ from the pin, is a
// 410 Gone.
func (s *Server) buildChecked(c *gin.Context, d chartDef, st chartState) (*builtChart, error) {
	b, err := d.build(s, c, st)
	if st.Pin == "" {
		return b, err
	}
	var re *RequestError
	if err != nil {
		if errors.As(err, &re) && re.Status == http.StatusNotFound {
			return nil, goneError(st, c.Request.URL.Query(), s.snapshot(c).Datasets)
		}
		return nil, err
	}
	if pinOf(b.Datasets) != st.Pin {
		return nil, goneError(st, c.Request.URL.Query(), b.Datasets)
	}
	return b, nil
}

// link returns path with the chart's query and state.
func (b *builtChart) link(path string, st chartState) string {
	v := url.Values{}
	for k, vs := range b.Query {
		v[k] = slices.Clone(vs)
	}
	st.set(v)
	if q := v.Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// pinnedLink is path with the chart's query pinned to its data: the flow
// set named and pin= set. It is "" when the chart has no data to pin.
func (b *builtChart) pinnedLink(path string, st chartState) string {
	pin := pinOf(b.Datasets)
	if pin == "" {
		return ""
	}
	q := url.Values{}
	for k, vs := range b.Query {
		q[k] = slices.Clone(vs)
	}
	if b.FlowSet != "" {
		q.Set("dataset", b.FlowSet)
	}
	st.Pin = pin
	st.set(q)
	return path + "?" + q.Encode()
}

// options returns the chart's ECharts options in state st.
func (b *builtChart) options(st chartState) ([]byte, error) {
	o, err := st.options(b.Series)
	if err != nil || b.patch == nil {
		return o, err
	}
	return b.patch(st, o)
}

// cacheControl sets how long a chart form may be cached: a year for a
// pinned chart, whose bytes cannot change; five minutes for a live embed
// or image (live when the data change); other live forms keep the
// server's default (see cache.go).
func cacheControl(c *gin.Context, st chartState, ext string) {
	switch {
	case st.Pin != "":
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	case ext == "embed" || ext == "svg" || ext == "png":
		c.Header("Cache-Control", "public, max-age=300")
	}
}

// chartView builds the view of chart d for a page in state st.
func (s *Server) chartViewOf(c *gin.Context, d chartDef, b *builtChart, st chartState) (chartView, error) {
	drawn := st.drawn(b.Series)
	cv, err := chart(drawn, b.link(d.path+".csv", st), b.link(d.page, st), nonce(c))
	if err != nil {
		return chartView{}, err
	}
	o, err := b.options(st)
	if err != nil {
		return chartView{}, err
	}
	cv.Options = templateJS(o)
	cv.Table = b.Series.Table()
	cv.Dataset = b.FlowSet
	if st.Pin == "" {
		cv.Pinned = b.pinnedLink(strings.TrimSuffix(embedPrefix, "/")+d.path, st)
	}
	return cv, nil
}

// pageCharts is what pageChartsOf gives a page.
type pageCharts struct {
	Views []chartView
	State chartState // the display state, invalid values replaced by defaults
	// Notices name each display value that was not understood.
	Notices []string
	// Missing says why a chart could not be drawn from the data held.
	Missing []string
}

// pageChartsOf builds the views of every registered chart of page for a
// request, in its display state. A chart that cannot be drawn from the
// data held (a 404 *RequestError) is left out and named in Missing; so is,
// on a pinned page, a chart drawn from other data than the pin names. When
// no chart is drawn from the pinned data, the page is the 410 Gone of
// buildChecked.
func (s *Server) pageChartsOf(c *gin.Context, page string) (pageCharts, error) {
	defs := chartsOn(page)
	measures := len(defs) > 0 && defs[0].measures
	st, bad := parseChartState(c.Request.URL.Query(), measures)
	pc := pageCharts{State: st, Notices: notices(bad)}
	var gone error // the first pinned chart whose data differ from the pin
	for _, d := range defs {
		b, err := s.buildChecked(c, d, st)
		var re *RequestError
		switch {
		case errors.As(err, &re) && re.Status == http.StatusNotFound && st.Pin == "":
			pc.Missing = append(pc.Missing, re.Msg)
			continue
		case errors.As(err, &re) && re.Status == http.StatusGone:
			// A page's charts draw from different files (the events chart
			// from event lists, WDI from WDI), and a pin names the data of
			// one chart: the others are left out, saying why.
			gone = cmp.Or(gone, err)
			pc.Missing = append(pc.Missing, fmt.Sprintf("A chart (%s) is left out: this address is pinned (pin=%s) to data the chart is not drawn from. Remove pin= from the address to see every chart with the data loaded now.", d.path, st.Pin))
			continue
		case err != nil:
			return pc, err
		}
		cv, err := s.chartViewOf(c, d, b, st)
		if err != nil {
			return pc, err
		}
		pc.Views = append(pc.Views, cv)
	}
	if len(pc.Views) == 0 && gone != nil {
		return pc, gone // no chart is drawn from the pinned data
	}
	return pc, nil
}

// chartLink is one download link under a chart.
type chartLink struct {
	Label, URL, Title string
	Download          bool // a CSV the browser saves rather than shows
}

// Downloads lists the chart's forms other than its CSV, with the same
// query (and so the same state) as the CSV link.
func (v chartView) Downloads() []chartLink {
	path, query, ok := chartPath(v.CSV)
	if !ok {
		return nil
	}
	if query != "" {
		query = "?" + query
	}
	return []chartLink{
		{"Full data (CSV)", path + ".data.csv" + query, "The rows the chart is computed from", true},
		{"JSON", path + ".json" + query, "The numbers drawn, with unit, source, vintage, counting rule and period", false},
		{"SVG", path + ".svg" + query, "The chart as a vector image", false},
		{"PNG", path + ".png" + query, "The chart as a picture, 960×540 pixels", false},
		{"ZIP", path + ".zip" + query, "Both CSVs, metadata.json and a README with a citation line", false},
	}
}

// chartEmbed serves chart d alone, framable by other sites. Invalid
// display values are named in a notice, as on the page.
func (s *Server) chartEmbed(d chartDef) handlerFunc {
	return func(c *gin.Context) error {
		st, bad := parseChartState(c.Request.URL.Query(), d.measures)
		b, err := s.buildChecked(c, d, st)
		if err != nil {
			return err
		}
		o, err := b.options(st)
		if err != nil {
			return err
		}
		drawn := st.drawn(b.Series)
		drawn.Notes = append(notices(bad), drawn.Notes...)
		cacheControl(c, st, "embed")
		return s.renderEmbedOptions(c, drawn, o, b.link(d.page, st), b.link(d.path+".csv", st))
	}
}

// chartForm serves chart d in form ext. Any invalid display value is a
// 400 naming it: a file has no place for a notice.
func (s *Server) chartForm(d chartDef, ext string) handlerFunc {
	return func(c *gin.Context) error {
		st, bad := parseChartState(c.Request.URL.Query(), d.measures)
		if len(bad) > 0 {
			return bad[0]
		}
		b, err := s.buildChecked(c, d, st)
		if err != nil {
			return err
		}
		var img imageQuery
		if ext == "svg" || ext == "png" {
			if img, err = parseImageQuery(c.Request.URL.Query()); err != nil {
				return err
			}
		}
		body, ctype, disposition, err := s.chartFile(c, d, b, st, ext, img)
		if err != nil {
			return err
		}
		cacheControl(c, st, ext)
		c.Header("Content-Disposition", disposition)
		c.Data(http.StatusOK, ctype, body)
		return nil
	}
}

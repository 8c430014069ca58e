package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// The chart registry: every chart the dashboard draws, once. routes()
// registers each chart in every form from this one table, and the pages
// build their chart views from it, so a chart, its table, its downloads
// and its embed always come from the same Series.

// chartQuery is the validated query a chart is drawn for: its page's
// query (countries, period, dataset), not its display state.
type chartQuery = canonical

// chartDef is one chart of the registry.
type chartDef struct {
	// path is the chart's URL without an extension, e.g. "/dyad/tiv":
	// path+".csv", ".json", ".data.csv", ".svg", ".png", ".zip" and
	// "/embed"+path serve it.
	path string
	// page is the page that shows the chart, e.g. "/dyad"; the chart
	// takes the same query as the page.
	page string
	// measures says which measure= values the page's charts take.
	measures dashboard.Measures
	// parse reads the page's chart query; build computes the chart for it.
	parse func(r *rq) (chartQuery, error)
	build func(r *rq, q chartQuery, st dashboard.ChartState) (*builtChart, error)
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
	// rows gives the rows the chart is computed from (the full-data CSV),
	// made only when a download asks for them.
	rows func() dataTable
	// patch, when not nil, changes the chart's ECharts options after
	// the state is applied (lines over bars, event markers).
	patch func(st dashboard.ChartState, options []byte) ([]byte, error)
	// markers, when not nil, gives the years of dated events of the pair,
	// drawn as vertical lines on the chart and its images (markers=on).
	markers []dashboard.Marker
}

// Rows returns the rows the chart is computed from.
func (b *builtChart) Rows() dataTable {
	if b.rows == nil {
		return dataTable{}
	}
	return b.rows()
}

// chartRegistry lists every chart. It is a function, not a variable, so
// that the builders may use anything in the package without an
// initialisation cycle.
func chartRegistry() []chartDef {
	return []chartDef{
		{path: "/dyad/tiv", page: "/dyad", measures: dashboard.MeasureTIVOrShare, parse: chartParser(parseDyad), build: dyadTIVChart},
		{path: "/dyad/shares", page: "/dyad", measures: dashboard.MeasureTIVOrShare, parse: chartParser(parseDyad), build: dyadSharesChart},
		{path: "/dyad/events", page: "/dyad", measures: dashboard.MeasureTIVOrShare, parse: chartParser(parseDyad), build: dyadEventsChart},
		{path: "/events/types", page: "/events", parse: parseEventsChart, build: eventTypesChart},
		{path: "/country/imports", page: "/country", parse: chartParser(parseCountry), build: countryChart(true)},
		{path: "/country/exports", page: "/country", parse: chartParser(parseCountry), build: countryChart(false)},
		{path: "/country/wdi", page: "/country", parse: chartParser(parseCountry), build: countryWDIChart},
		{path: "/country/flows", page: "/country", parse: chartParser(parseCountry), build: countryFlowsChart},
		{path: "/network/flows", page: "/network", parse: chartParser(flowParser((*dashboard.Dashboard).ParseNetwork)), build: networkFlowsChart},
		{path: "/world/totals", page: "/world", parse: chartParser(parseWorld), build: worldTotalsChart},
		{path: "/world/map", page: "/world", parse: chartParser(parseWorld), build: worldMapChart},
		{path: "/world/flows", page: "/world", parse: chartParser(parseWorld), build: worldFlowsChart},
		{path: "/compare/countries", page: "/compare", measures: dashboard.MeasureOfPage, parse: chartParser(parseCompare), build: compareChart},
	}
}

// chartParser adapts a page query's parser to a chart's.
func chartParser[Q canonical](parse func(r *rq) (Q, error)) func(r *rq) (chartQuery, error) {
	return func(r *rq) (chartQuery, error) {
		q, err := parse(r)
		return q, err
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
var chartForms = []string{"csv", "json", "data.csv", "tidy.csv", "svg", "png", "zip"}

// chartFormQuery is the validated query of one chart form: the page's
// chart query, the display state and, for images, the size.
type chartFormQuery struct {
	Q     chartQuery
	State dashboard.ChartState
	Size  dashboard.ImageSize
}

// Values returns the canonical parameters.
func (q chartFormQuery) Values() url.Values {
	v := q.Q.Values()
	q.State.Set(v)
	q.Size.Set(v)
	return v
}

// registerCharts adds every form of every chart to routes via get.
func (s *Server) registerCharts(get func(string, gin.HandlerFunc)) {
	for _, d := range chartRegistry() {
		for _, ext := range chartForms {
			image := ext == "svg" || ext == "png"
			get(d.path+"."+ext, route(s, routeOpts{policy: asFile, expensive: image || ext == "zip"}, chartFormParser(d, image), s.chartForm(d, ext)))
		}
		get(strings.TrimSuffix(embedPrefix, "/")+d.path, route(s, routeOpts{policy: asPage}, chartFormParser(d, false), s.chartEmbed(d)))
	}
}

// chartFormParser reads the query of chart d's forms; image reads w and h
// too.
func chartFormParser(d chartDef, image bool) func(r *rq) (chartFormQuery, error) {
	return func(r *rq) (chartFormQuery, error) {
		q, err := d.parse(r)
		if err != nil {
			return chartFormQuery{}, err
		}
		fq := chartFormQuery{Q: q, State: dashboard.ParseChartState(r.p, d.measures),
			Size: dashboard.ImageSize{W: dashboard.DefaultImageW, H: dashboard.DefaultImageH}}
		if image {
			fq.Size = dashboard.ParseImageSize(r.p)
		}
		return fq, nil
	}
}

// flowChart fills what every chart drawn from a flow set shares.
func flowChart(fi *dashboard.FlowIndex, ser Series, q url.Values, period string) *builtChart {
	return &builtChart{Series: ser, Query: q, Datasets: []data.Dataset{fi.Set.Dataset}, FlowSet: fi.Set.Dataset.Name, Period: period}
}

// buildChecked builds chart d for q in state st and checks its pin. A
// pinned chart that cannot be drawn, or whose data differ from the pin, is
// a *dashboard.GoneError.
func (s *Server) buildChecked(r *rq, d chartDef, q chartQuery, st dashboard.ChartState) (*builtChart, error) {
	b, err := d.build(r, q, st)
	if st.Pin == "" {
		return b, err
	}
	var nd *dashboard.NotDrawableError
	if err != nil {
		if errors.As(err, &nd) {
			return nil, dashboard.Gone(st.Pin, q.Values().Get("dataset"), r.snapshot().Datasets)
		}
		return nil, err
	}
	if dashboard.PinOf(b.Datasets) != st.Pin {
		return nil, dashboard.Gone(st.Pin, q.Values().Get("dataset"), b.Datasets)
	}
	return b, nil
}

// link returns path with the chart's query and state.
func (b *builtChart) link(path string, st dashboard.ChartState) string {
	return b.sizedLink(path, st, dashboard.ImageSize{W: dashboard.DefaultImageW, H: dashboard.DefaultImageH})
}

// sizedLink is link with an image size (left out when the default).
func (b *builtChart) sizedLink(path string, st dashboard.ChartState, size dashboard.ImageSize) string {
	v := url.Values{}
	for k, vs := range b.Query {
		v[k] = slices.Clone(vs)
	}
	st.Set(v)
	size.Set(v)
	return link(path, v)
}

// imgSource is one <source> of a chart's <picture>.
type imgSource struct{ Media, URL string }

// Media queries and size of the images that replace the default one.
const (
	narrowMedia = "(max-width: 40rem)"
	darkMedia   = "(prefers-color-scheme: dark)"
)

// narrowImage is the size of a chart's image in a narrow window (a
// phone): about as wide as the window, so its text stays readable.
var narrowImage = dashboard.ImageSize{W: 360, H: 420}

// images returns the URL of chart d's SVG in state st, the same as its
// .svg download, and the <source>s a <picture> puts before it: a
// phone-sized SVG for narrow windows and, when followDark (an embed in
// theme auto), dark ones for readers who prefer a dark scheme.
func (b *builtChart) images(d chartDef, st dashboard.ChartState, followDark bool) (string, []imgSource) {
	svg := d.path + ".svg"
	var out []imgSource
	if followDark {
		dark := st
		dark.Theme = dashboard.ThemeDark
		out = append(out, imgSource{darkMedia + " and " + narrowMedia, b.sizedLink(svg, dark, narrowImage)},
			imgSource{darkMedia, b.link(svg, dark)})
	}
	out = append(out, imgSource{narrowMedia, b.sizedLink(svg, st, narrowImage)})
	return b.link(svg, st), out
}

// pinnedLink is path with the chart's query pinned to its data: the flow
// set named and pin= set. It is "" when the chart has no data to pin.
func (b *builtChart) pinnedLink(path string, st dashboard.ChartState) string {
	pin := dashboard.PinOf(b.Datasets)
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
	st.Set(q)
	return path + "?" + q.Encode()
}

// options returns the chart's ECharts options in state st.
func (b *builtChart) options(st dashboard.ChartState) ([]byte, error) {
	o, err := stateOptions(st, b.Series)
	if err != nil || b.patch == nil {
		return o, err
	}
	return b.patch(st, o)
}

// cacheControl is how long a chart form may be cached: a year for a
// pinned chart, whose bytes cannot change; five minutes for a live embed
// or image (live when the data change); other live forms keep the
// server's default ("" here; see serve).
func cacheControl(st dashboard.ChartState, ext string) string {
	switch {
	case st.Pin != "":
		return "public, max-age=31536000, immutable"
	case ext == "embed" || ext == "svg" || ext == "png":
		return "public, max-age=300"
	}
	return ""
}

// chartViewOf builds the view of chart d for a page in state st.
func (s *Server) chartViewOf(r *rq, d chartDef, b *builtChart, st dashboard.ChartState) (chartView, error) {
	drawn := drawnSeries(st, b.Series)
	cv, err := chart(drawn, b.link(d.path+".csv", st), b.link(d.page, st))
	if err != nil {
		return chartView{}, err
	}
	o, err := b.options(st)
	if err != nil {
		return chartView{}, err
	}
	cv.Options = templateJS(o)
	if b.Series.Map != nil {
		cv.MapURL = b.Series.Map.URL
	}
	cv.Table = b.Series.Table()
	cv.Dataset = b.FlowSet
	cv.Desc = describe(b.Series, st, b.Period)
	cv.Live = s.echarts.Live()
	// A page is light unless theme=dark asks otherwise.
	cv.Theme = dashboard.ThemeLight
	cv.SVG, cv.Sources = b.images(d, st, false)
	if st.Theme == dashboard.ThemeDark {
		cv.Theme = dashboard.ThemeDark
	}
	if st.Pin == "" {
		cv.Pinned = b.pinnedLink(strings.TrimSuffix(embedPrefix, "/")+d.path, st)
	}
	return cv, nil
}

// pageCharts is what pageCharts gives a page.
type pageCharts struct {
	Views []chartView
	// Missing says why a chart could not be drawn from the data held.
	Missing []string
}

// pageCharts builds the views of every registered chart of page for the
// page's chart query q, in display state st. A chart that cannot be drawn
// from the data held (a *dashboard.NotDrawableError) is left out and named
// in Missing; so is, on a pinned page, a chart drawn from other data than
// the pin names. When no chart is drawn from the pinned data, the page is
// the *dashboard.GoneError of buildChecked.
func (s *Server) pageCharts(r *rq, page string, q chartQuery, st dashboard.ChartState) (pageCharts, error) {
	var pc pageCharts
	var gone error // the first pinned chart whose data differ from the pin
	for _, d := range chartsOn(page) {
		b, err := s.buildChecked(r, d, q, st)
		var nd *dashboard.NotDrawableError
		var ge *dashboard.GoneError
		switch {
		case errors.As(err, &nd):
			if !slices.Contains(pc.Missing, nd.Msg) {
				pc.Missing = append(pc.Missing, nd.Msg)
			}
			continue
		case errors.As(err, &ge):
			// A page's charts draw from different files (the events chart
			// from event lists, WDI from WDI), and a pin names the data of
			// one chart: the others are left out, saying why.
			gone = cmp.Or(gone, err)
			pc.Missing = append(pc.Missing, fmt.Sprintf("A chart (%s) is left out: this address is pinned (pin=%s) to data the chart is not drawn from. Remove pin= from the address to see every chart with the data loaded now.", d.path, st.Pin))
			continue
		case err != nil:
			return pc, err
		}
		cv, err := s.chartViewOf(r, d, b, st)
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
		{"Tidy CSV", path + ".tidy.csv" + query, "One row per value drawn: series, x, value, unit, with flags in columns of their own", true},
		{"JSON", path + ".json" + query, "The numbers drawn, with unit, source, vintage, counting rule and period", false},
		{"SVG", path + ".svg" + query, "The chart as a vector image", false},
		{"PNG", path + ".png" + query, "The chart as a picture, 960×540 pixels", false},
		{"ZIP", path + ".zip" + query, "Both CSVs, metadata.json and a README with a citation line", false},
	}
}

// chartEmbed serves chart d alone, framable by other sites. Values it
// cannot use are named in notices, as on the page.
func (s *Server) chartEmbed(d chartDef) func(r *rq, fq chartFormQuery) (*response, error) {
	return func(r *rq, fq chartFormQuery) (*response, error) {
		b, err := s.buildChecked(r, d, fq.Q, fq.State)
		if err != nil {
			return nil, err
		}
		o, err := b.options(fq.State)
		if err != nil {
			return nil, err
		}
		resp, err := s.renderEmbed(r, b, d, fq.State, o)
		if err != nil {
			return nil, err
		}
		resp.setCacheControl(cacheControl(fq.State, "embed"))
		return resp, nil
	}
}

// chartForm serves chart d in form ext.
func (s *Server) chartForm(d chartDef, ext string) func(r *rq, fq chartFormQuery) (*response, error) {
	return func(r *rq, fq chartFormQuery) (*response, error) {
		b, err := s.buildChecked(r, d, fq.Q, fq.State)
		if err != nil {
			return nil, err
		}
		resp, err := s.chartFile(r, d, b, fq.State, ext, fq.Size)
		if err != nil {
			return nil, err
		}
		resp.setCacheControl(cacheControl(fq.State, ext))
		return resp, nil
	}
}

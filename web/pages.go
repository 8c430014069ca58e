package web

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// basePage is what the layout needs on every page.
type basePage struct {
	Title     string
	Nav       string // which nav entry is current: "overview", "dyad", "events", "sources"
	Permalink string // canonical URL of the page, "" for none
	DataLabel string // label and vintage of the arms-transfer data
	Version   string // snapshot version
	DyadLink  string // the default dyad page
	DyadTitle string // e.g. "China–Pakistan"
	// NeedCharts loads ECharts.
	NeedCharts bool
	ECharts    echartsAsset
	// Countries are offered by the search box as the user types.
	Countries []string
}

// base fills the layout fields for a page.
func (s *Server) base(c *gin.Context, title, nav, permalink string) basePage {
	snap := s.snapshot(c)
	b := basePage{
		Title: title, Nav: nav, Permalink: permalink,
		Version: snap.Version, ECharts: s.echarts,
		DataLabel: "no arms-transfer data loaded", DyadLink: "/dyad", DyadTitle: "Dyad",
	}
	if fi, err := s.dashboardOf(snap).Flows(""); err == nil {
		b.DataLabel = fi.Label()
		b.DyadLink = fi.Default.Link("/dyad")
		b.DyadTitle = fi.Default.Supplier + "–" + fi.Default.Recipient
		b.Countries = fi.Coverage.Countries()
	}
	return b
}

// headline is one reported figure beside the same measure computed from
// the data held.
type headline struct {
	Title           string
	Reported        string // e.g. "72%" or "about 47%"
	ReportedLabel   string // e.g. "SIPRI, as reported in 001_544cb1125bb3d864.txt"
	ReportedVintage string // e.g. "SIPRI's 2022 release"
	VintageNote     string
	Quote           string
	Computed        string // e.g. "75%", or "n/a"
	ComputedExact   string // e.g. "75.29%"
	ComputedLabel   string // dataset label with vintage
	ComputedDetail  string // the sums behind it, or why it is n/a
	ChartLink       string // the dyad page's shares chart, "" when there is none
	// EditionsLink is the country page's editions of the side the figure
	// is a share of, where this figure is one case among every edition
	// held; "" when the flow set cannot show the country or period.
	EditionsLink string
}

// overviewPage is the view model of overview.html.
type overviewPage struct {
	basePage
	Builtin        bool
	PairTitle      string // e.g. "China and Pakistan"
	Headlines      []headline
	Datasets       []data.Dataset
	FlowRows       int
	FlowRange      string
	EventCount     int
	FigureCount    int
	EquipmentCount int
	ArticleCount   int
	Equipment      []data.Equipment
	// World is the world headline, shown when the data hold a listing of
	// all suppliers and recipients; nil otherwise.
	World *overviewWorld
}

// overviewWorld is the overview's world headline: the top exporters and
// importers of the last five full years, and the map.
type overviewWorld struct {
	Period, Previous, Total, Change string
	Estimated                       string // how much of Total rests on SIPRI's estimates (breakdown.go)
	Exporters, Importers            []worldRowView
	Map                             []chartView
	Link                            string
	// Featured is the pair the dashboard was started for (China and
	// Pakistan when the data hold them), with both shares of the period.
	Featured featuredPair
}

// featuredPair is the overview's featured pair.
type featuredPair struct {
	Supplier, Recipient           string
	SupplierShare, RecipientShare string // as SIPRI rounds them
	Link                          string
}

// overviewTop is how many exporters and importers the overview lists.
const overviewTop = 5

// overview serves /: what is held, and the headline figures.
func (s *Server) overview(r *rq, _ noQuery) (*response, error) {
	snap := r.snapshot()
	page := overviewPage{
		Builtin: snap.Builtin, Datasets: snap.Datasets,
		EventCount: snap.EventsTotal, FigureCount: len(snap.Figures), EquipmentCount: len(snap.Equipment),
		ArticleCount: len(citedArticles(snap)), Equipment: snap.Equipment,
	}
	page.basePage = s.base(r.c, "Overview", "overview", "/")
	if fi, err := r.d.Flows(""); err == nil {
		page.FlowRows = len(fi.Set.Flows)
		page.FlowRange = fmt.Sprintf("deliveries %d–%d, %s", fi.Coverage.MinYear, fi.Coverage.MaxYear, fi.Label())
		page.PairTitle = fi.Default.Supplier + " and " + fi.Default.Recipient
	}
	for _, fc := range r.d.CheckFigures() {
		page.Headlines = append(page.Headlines, headlineOf(fc))
	}
	w, err := s.overviewWorld(r)
	if err != nil {
		return nil, err
	}
	page.World, page.NeedCharts = w, w != nil
	return s.renderPage("overview", page)
}

// overviewWorld builds the world headline from the preferred flow set,
// or gives nil when it is not a listing of all suppliers and recipients.
func (s *Server) overviewWorld(r *rq) (*overviewWorld, error) {
	fi, q, err := r.d.ParseWorld(dashboard.NewParams(url.Values{"top": {strconv.Itoa(overviewTop)}}))
	var nd *dashboard.NotDrawableError
	switch {
	case errors.As(err, &nd):
		return nil, nil
	case err != nil:
		return nil, err
	}
	w := r.world(fi, q)
	out := &overviewWorld{Period: w.Period.String(), Previous: w.Previous.String(), Total: millions(w.Total), Link: link("/world", q.Values()),
		Estimated: estimateText(w.EstimatedShare, "it")}
	if w.Change != nil {
		out.Change = analysis.FormatChange(*w.Change)
	}
	cq := dashboard.CountryQuery{From: q.From, To: q.To}
	out.Exporters, out.Importers = worldRows(w.Exporters, cq, true), worldRows(w.Importers, cq, false)
	pair := fi.Default
	sh := fi.Shares(dashboard.ShareQuery{Supplier: pair.Supplier, Recipient: pair.Recipient, From: q.From, To: q.To})
	out.Featured = featuredPair{Supplier: pair.Supplier, Recipient: pair.Recipient, SupplierShare: "n/a", RecipientShare: "n/a", Link: pair.Link("/dyad")}
	if p := sh.SupplierShareOfRecipientImports; p != nil {
		out.Featured.SupplierShare = analysis.FormatPercent(*p)
	}
	if p := sh.RecipientShareOfSupplierExports; p != nil {
		out.Featured.RecipientShare = analysis.FormatPercent(*p)
	}
	if d, ok := chartDefOf("/world/map"); ok {
		wq := worldChartQuery{fi: fi, Q: q}
		b, err := s.buildChecked(r, d, wq, dashboard.DefaultState)
		var nd *dashboard.NotDrawableError
		switch {
		case errors.As(err, &nd): // no map shapes installed: the tables stand alone
		case err != nil:
			return nil, err
		default:
			cv, err := s.chartViewOf(r, d, b, dashboard.DefaultState)
			if err != nil {
				return nil, err
			}
			out.Map = []chartView{cv}
		}
	}
	return out, nil
}

// headlineOf words a reported figure beside the share computed from the
// data held.
func headlineOf(fc dashboard.FigureCheck) headline {
	fig, p := fc.Figure, fc.Period
	h := headline{
		Reported:      analysis.FormatPercent(fig.Percent),
		ReportedLabel: fig.Label(),
		VintageNote:   fig.VintageNote,
		Quote:         fig.Quote,
		Computed:      "n/a",
	}
	if fig.Approximate {
		h.Reported = "about " + h.Reported
	}
	if fig.Vintage != "" {
		h.ReportedVintage = fmt.Sprintf("%s's %s release", fig.Publisher, fig.Vintage)
	}
	if fc.SupplierShare {
		h.Title = fmt.Sprintf("%s's share of %s's arms imports, %s", fig.Supplier, fig.Recipient, p)
	} else {
		h.Title = fmt.Sprintf("%s's share of %s's arms exports, %s", fig.Recipient, fig.Supplier, p)
	}
	if fc.Flows == nil {
		h.ComputedLabel = "no arms-transfer data loaded"
		return h
	}
	h.ComputedLabel = fc.Flows.Label()
	if fc.Computed == nil {
		h.ComputedDetail = fc.Reason
		return h
	}
	sh := *fc.Computed
	of := fmt.Sprintf("%s received %s of the %s million TIV %s exported", fig.Recipient, millions(sh.Part), millions(sh.Total), fig.Supplier)
	if fc.SupplierShare {
		of = fmt.Sprintf("%s delivered %s of the %s million TIV %s imported", fig.Supplier, millions(sh.Part), millions(sh.Total), fig.Recipient)
	}
	q := dashboard.DyadQuery{Supplier: fig.Supplier, Recipient: fig.Recipient, From: fc.Flows.Coverage.MinYear, To: fc.Flows.Coverage.MaxYear}
	h.ChartLink = q.Link("/dyad") + "#chart-dyad-shares"
	h.Computed = analysis.FormatPercent(sh.Percent())
	if pct := sh.Percent(); !math.IsNaN(pct) {
		h.ComputedExact = strconv.FormatFloat(pct, 'f', 2, 64) + "%"
	}
	h.ComputedDetail = fmt.Sprintf("Computed: %s in %s (%s).", of, p, tivRule)
	country, side := fig.Recipient, dashboard.SideImports
	if !fc.SupplierShare {
		country, side = fig.Supplier, dashboard.SideExports
	}
	if slices.Contains(fc.Flows.Coverage.Countries(), country) {
		h.EditionsLink = dashboard.CountryQuery{Name: country, From: p.From, To: p.To}.Link("/country") + "#editions-" + side
	}
	return h
}

// millions formats a TIV sum with two decimals and thousands separators.
func millions(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// eventsPage is the view model of events.html.
type eventsPage struct {
	basePage
	F         dashboard.EventFilter
	Weight    dashboard.EventWeight // what the chart counts
	Weights   []dashboard.EventWeight
	Types     []string
	Countries []string
	Notices   []string
	Events    []data.Event // the events of this page of the list
	Pager     eventsPager
	Total     int // events held
	Rows      int // rows they take: an event reported several times is one
	Chart     chartView
}

// FromText and ToText are the filter's years as the form shows them.
func (p eventsPage) FromText() string { return yearText(p.F.From) }

// ToText is the last year as the form shows it.
func (p eventsPage) ToText() string { return yearText(p.F.To) }

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// eventsPager places one page of the /events list: page Page of Pages
// shows the Selected events at positions First to Last (1-based; both 0
// when none). The URLs keep the filter and are "" where there is no such
// page.
type eventsPager struct {
	Page, Pages, First, Last, Selected  int
	FirstURL, PrevURL, NextURL, LastURL string
}

// newEventsPager places the page of q.
func newEventsPager(q dashboard.EventsQuery) eventsPager {
	p := eventsPager{Page: q.Page, Pages: q.Pages, Selected: q.Selected}
	if q.Selected > 0 {
		p.First = q.Offset() + 1
		p.Last = min(q.Page*dashboard.EventsPerPage, q.Selected)
	}
	link := func(n int) string { return link("/events", q.PageValues(n)) }
	if p.Page > 1 {
		p.FirstURL, p.PrevURL = link(1), link(p.Page-1)
	}
	if p.Page < p.Pages {
		p.NextURL, p.LastURL = link(p.Page+1), link(p.Pages)
	}
	return p
}

// eventsPageQuery is a validated /events query: the list's filter and
// page, and the chart's display state.
type eventsPageQuery = withState[dashboard.EventsQuery]

// parseEventsPage reads an /events query.
var parseEventsPage = stateParser(func(r *rq) (dashboard.EventsQuery, error) { return r.d.ParseEvents(r.p), nil }, dashboard.MeasureTIVOnly)

// events serves /events: the chart of the events the filter selects by
// type, and the list of them a page of dashboard.EventsPerPage at a time,
// from the snapshot when it holds the events and from the store when it
// holds too many (data.SnapshotEventLimit) to keep.
func (s *Server) events(r *rq, pq eventsPageQuery) (*response, error) {
	snap, q := r.snapshot(), pq.Q
	page := eventsPage{F: q.Filter, Weight: q.Weight, Weights: dashboard.EventWeights, Types: r.d.EventTypes(), Countries: r.d.EventCountries(),
		Pager: newEventsPager(q), Total: snap.EventsTotal, Rows: snap.EventRows}
	page.basePage = s.base(r.c, "Events", "events", link("/events", q.Values()))
	page.NeedCharts = true
	filter := data.EventFilter(q.Filter)
	switch {
	case !snap.EventsTruncated:
		page.Events = data.FilterEvents(snap.Events, filter, q.Offset(), dashboard.EventsPerPage)
	case s.admin.store != nil && q.Selected > 0:
		events, err := s.admin.store.Events(r.c.Request.Context(), filter, q.Offset(), dashboard.EventsPerPage)
		if err != nil {
			return nil, fmt.Errorf("events page %d: %w", q.Page, err)
		}
		page.Events = events
	case q.Selected > 0:
		page.Notices = append(page.Notices, fmt.Sprintf("%d events are held (%d rows), more than the %d rows this page lists, so the list shows none; the counts and the chart use all of them.", snap.EventsTotal, snap.EventRows, data.SnapshotEventLimit))
	}
	if q.Yearless > 0 {
		page.Notices = append(page.Notices, fmt.Sprintf("%d events whose source gives no year are left out by the year filter.", q.Yearless))
	}
	pc, err := s.pageCharts(r, "/events", eventsChartQuery{q.Filter, q.Weight}, pq.State)
	if err != nil {
		return nil, err
	}
	page.Chart, page.Notices = pc.Views[0], append(pc.Missing, page.Notices...)
	return s.renderPage("events", page)
}

// article is one cited source file and what was taken from it.
type article struct {
	Name      string
	Figures   []data.Figure
	Events    []data.Event
	Equipment []data.Equipment
}

// citedArticles groups the snapshot's figures, events and equipment by the
// article (or file) they come from, sorted by name.
func citedArticles(snap *data.Snapshot) []article {
	m := map[string]*article{}
	get := func(name string) *article {
		if m[name] == nil {
			m[name] = &article{Name: name}
		}
		return m[name]
	}
	for _, f := range snap.Figures {
		a := get(f.Source)
		a.Figures = append(a.Figures, f)
	}
	for _, e := range snap.Events {
		a := get(e.Source)
		a.Events = append(a.Events, e)
	}
	for _, e := range snap.Equipment {
		a := get(e.Source)
		a.Equipment = append(a.Equipment, e)
	}
	out := make([]article, 0, len(m))
	for _, a := range m {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// sourcesPage is the view model of sources.html.
type sourcesPage struct {
	basePage
	Datasets []data.Dataset
	Articles []article
}

// sources serves /sources: every dataset and article.
func (s *Server) sources(r *rq, _ noQuery) (*response, error) {
	snap := r.snapshot()
	page := sourcesPage{Datasets: snap.Datasets, Articles: citedArticles(snap)}
	page.basePage = s.base(r.c, "Sources", "sources", "/sources")
	return s.renderPage("sources", page)
}

// link returns path with query v, or path alone when v is empty.
func link(path string, v url.Values) string {
	if q := v.Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

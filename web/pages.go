package web

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
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
	Nonce      string // CSP nonce for inline scripts
}

// base fills the layout fields for a page.
func (s *Server) base(c *gin.Context, title, nav, permalink string) basePage {
	snap := s.snapshot(c)
	b := basePage{
		Title: title, Nav: nav, Permalink: permalink,
		Version: snap.Version, ECharts: s.echarts, Nonce: nonce(c),
		DataLabel: "no arms-transfer data loaded", DyadLink: "/dyad", DyadTitle: "Dyad",
	}
	if idx, err := s.flows.get(snap); err == nil {
		b.DataLabel = idx.set.Dataset.Label()
		b.DyadLink = idx.defaultQuery.link("/dyad")
		b.DyadTitle = idx.defaultQuery.Supplier + "–" + idx.defaultQuery.Recipient
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
}

// overview serves /: what is held, and the headline figures.
func (s *Server) overview(c *gin.Context) error {
	snap := s.snapshot(c)
	page := overviewPage{
		Builtin: snap.Builtin, Datasets: snap.Datasets,
		EventCount: snap.EventsTotal, FigureCount: len(snap.Figures), EquipmentCount: len(snap.Equipment),
		ArticleCount: len(citedArticles(snap)), Equipment: snap.Equipment,
	}
	page.basePage = s.base(c, "Overview", "overview", "/")
	idx, idxErr := s.flows.get(snap)
	if idxErr == nil {
		page.FlowRows = len(idx.set.Flows)
		page.FlowRange = fmt.Sprintf("deliveries %d–%d, %s", idx.minYear, idx.maxYear, idx.set.Dataset.Label())
		page.PairTitle = idx.defaultQuery.Supplier + " and " + idx.defaultQuery.Recipient
	}
	for _, fig := range snap.Figures {
		page.Headlines = append(page.Headlines, headlineOf(fig, idx))
	}
	return s.render(c, "overview", page)
}

// headlineOf sets a reported figure beside the share computed from idx
// (nil when no flows are loaded).
func headlineOf(fig data.Figure, idx *flowIndex) headline {
	p := analysis.Period{From: fig.From, To: fig.To}
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
	supplierShare := fig.Measure == data.MeasureSupplierShare
	if supplierShare {
		h.Title = fmt.Sprintf("%s's share of %s's arms imports, %s", fig.Supplier, fig.Recipient, p)
	} else {
		h.Title = fmt.Sprintf("%s's share of %s's arms exports, %s", fig.Recipient, fig.Supplier, p)
	}
	if idx == nil {
		h.ComputedLabel = "no arms-transfer data loaded"
		return h
	}
	h.ComputedLabel = idx.set.Dataset.Label()
	switch {
	case p.From < idx.minYear || p.To > idx.maxYear:
		h.ComputedDetail = fmt.Sprintf("Not computed: the data covers %d–%d only.", idx.minYear, idx.maxYear)
		return h
	case supplierShare && !idx.importsComplete[fig.Recipient]:
		h.ComputedDetail = fmt.Sprintf("Not computed: the data does not hold all of %s's imports.", fig.Recipient)
		return h
	case !supplierShare && !idx.exportsComplete[fig.Supplier]:
		h.ComputedDetail = fmt.Sprintf("Not computed: the data does not hold all of %s's exports.", fig.Supplier)
		return h
	}
	var sh analysis.Share
	var of string
	if supplierShare {
		sh = analysis.SupplierShare(idx.transfers, fig.Supplier, fig.Recipient, p)
		of = fmt.Sprintf("%s delivered %s of the %s million TIV %s imported", fig.Supplier, millions(sh.Part), millions(sh.Total), fig.Recipient)
	} else {
		sh = analysis.RecipientShare(idx.transfers, fig.Supplier, fig.Recipient, p)
		of = fmt.Sprintf("%s received %s of the %s million TIV %s exported", fig.Recipient, millions(sh.Part), millions(sh.Total), fig.Supplier)
	}
	q := dyadQuery{Supplier: fig.Supplier, Recipient: fig.Recipient, From: idx.minYear, To: idx.maxYear}
	h.ChartLink = q.link("/dyad") + "#chart-dyad-shares"
	h.Computed = analysis.FormatPercent(sh.Percent())
	if pct := sh.Percent(); !math.IsNaN(pct) {
		h.ComputedExact = strconv.FormatFloat(pct, 'f', 2, 64) + "%"
	}
	h.ComputedDetail = fmt.Sprintf("Computed: %s in %s (%s).", of, p, tivRule)
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
	F         eventFilter
	Types     []string
	Countries []string
	Ignored   []string
	Notices   []string
	Events    []data.Event // the events of this page of the list
	Pager     eventsPager
	Total     int // events held
	Chart     chartView
}

// eventsPerPage is how many events /events lists at a time.
const eventsPerPage = 100

// eventsPager places one page of the /events list: the list of the
// Selected events is cut into Pages pages of eventsPerPage (at least one
// page, even when empty); page Page shows the events at positions First
// to Last (1-based; both 0 when none). The URLs keep the filter and are
// "" where there is no such page.
type eventsPager struct {
	Page, Pages, First, Last, Selected  int
	FirstURL, PrevURL, NextURL, LastURL string
}

// newEventsPager places page of the selected events filtered by f; a page
// outside 1..Pages is an error message for the page to name, and page 1 is
// shown instead.
func newEventsPager(f eventFilter, selected int, raw string) (p eventsPager, ignored string) {
	p = eventsPager{Page: 1, Selected: selected, Pages: max(1, (selected+eventsPerPage-1)/eventsPerPage)}
	if raw = strings.TrimSpace(raw); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil || n < 1:
			ignored = fmt.Sprintf("page “%s” is not a page number; give 1 to %d.", truncate(raw), p.Pages)
		case n > p.Pages:
			ignored = fmt.Sprintf("page %d is past the last page, %d.", n, p.Pages)
		default:
			p.Page = n
		}
	}
	if selected > 0 {
		p.First = (p.Page-1)*eventsPerPage + 1
		p.Last = min(p.Page*eventsPerPage, selected)
	}
	link := func(n int) string { return f.pageLink("/events", n) }
	if p.Page > 1 {
		p.FirstURL, p.PrevURL = link(1), link(p.Page-1)
	}
	if p.Page < p.Pages {
		p.NextURL, p.LastURL = link(p.Page+1), link(p.Pages)
	}
	return p, ignored
}

// eventCountries lists every country on either side of a counted event.
func eventCountries(counts []data.EventCount) []string {
	m := map[string]bool{}
	for _, c := range counts {
		m[c.SideA], m[c.SideB] = true, true
	}
	delete(m, "")
	return sortedKeys(m)
}

// eventTypes lists data.EventTypes, then any other type the counted events
// use.
func eventTypes(counts []data.EventCount) []string {
	types := slices.Clone(data.EventTypes)
	for _, t := range orderedTypes(counts) {
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	return types
}

// filterCounts returns the counts f selects and how many events without a
// year a year filter left out.
func filterCounts(counts []data.EventCount, f eventFilter) (out []data.EventCount, yearless int) {
	for _, c := range counts {
		ok, noYear := f.selects(c.Type, c.SideA, c.SideB, c.Year)
		if noYear {
			yearless += int(c.Count)
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, yearless
}

// eventCountRows is the full-data table of the events chart when the
// snapshot holds counts but not the events: the counts f selects, one row
// per year (empty when the source gives none), sides and type.
func eventCountRows(counts []data.EventCount, f eventFilter) dataTable {
	t := dataTable{Head: []string{"year", "side A", "side B", "type", "events"}}
	selected, _ := filterCounts(counts, f)
	for _, c := range selected {
		t.Rows = append(t.Rows, []string{yearText(c.Year), c.SideA, c.SideB, c.Type, strconv.FormatInt(c.Count, 10)})
	}
	return t
}

// selects is data.EventFilter.Selects.
func (f eventFilter) selects(typ, a, b string, year int) (ok, noYear bool) {
	return data.EventFilter(f).Selects(typ, a, b, year)
}

// eventTypeSeries is the events page's chart: the events f selects, all
// of them (snap.EventCounts, not the rows), by type.
func eventTypeSeries(snap *data.Snapshot, f eventFilter, types []string) Series {
	counts := make([]float64, len(types))
	selected, _ := filterCounts(snap.EventCounts, f)
	for _, c := range selected {
		if i := slices.Index(types, c.Type); i >= 0 {
			counts[i] += float64(c.Count)
		}
	}
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
	return Series{
		ID:         "chart-events-types",
		Title:      "Events by type",
		XName:      "type",
		YName:      "events",
		Unit:       "number of events",
		Source:     eventSourceLabel(snap),
		Rule:       "events in the list below, counted by type",
		X:          types,
		EveryLabel: true,
		Counts:     true,
		Series:     []Named{{Name: "events", Values: counts}},
		File:       file,
	}
}

// eventsQuery reads the events filter of a request.
func (s *Server) eventsQuery(c *gin.Context) (*data.Snapshot, eventFilter, []string, []string, []string) {
	snap := s.snapshot(c)
	types, countries := eventTypes(snap.EventCounts), eventCountries(snap.EventCounts)
	f, ignored := parseEventFilter(c.Request.URL.Query(), types, countries)
	return snap, f, ignored, types, countries
}

// events serves /events: the chart of the events the filter selects by
// type, and the list of them a page of eventsPerPage at a time, from the
// snapshot when it holds the events and from the store when it holds too
// many (data.SnapshotEventLimit) to keep.
func (s *Server) events(c *gin.Context) error {
	snap, f, ignored, types, countries := s.eventsQuery(c)
	counts, yearless := filterCounts(snap.EventCounts, f)
	selected := 0
	for _, n := range counts {
		selected += int(n.Count)
	}
	pager, bad := newEventsPager(f, selected, c.Query("page"))
	if bad != "" {
		ignored = append(ignored, bad)
	}
	page := eventsPage{F: f, Types: types, Countries: countries, Ignored: ignored, Pager: pager, Total: snap.EventsTotal}
	page.basePage = s.base(c, "Events", "events", f.pageLink("/events", pager.Page))
	page.NeedCharts = true
	offset := (pager.Page - 1) * eventsPerPage
	switch {
	case !snap.EventsTruncated:
		page.Events = data.FilterEvents(snap.Events, data.EventFilter(f), offset, eventsPerPage)
	case s.admin.store != nil && pager.Selected > 0:
		events, err := s.admin.store.Events(c.Request.Context(), data.EventFilter(f), offset, eventsPerPage)
		if err != nil {
			return fmt.Errorf("events page %d: %w", pager.Page, err)
		}
		page.Events = events
	case pager.Selected > 0:
		page.Notices = append(page.Notices, fmt.Sprintf("%d events are held, more than the %d this page lists, so the list shows none; the counts and the chart use all of them.", snap.EventsTotal, data.SnapshotEventLimit))
	}
	if yearless > 0 {
		page.Notices = append(page.Notices, fmt.Sprintf("%d events whose source gives no year are left out by the year filter.", yearless))
	}
	pc, err := s.pageChartsOf(c, "/events") // the registry's chart (chartroutes.go), in the query's display state
	if err != nil {
		return err
	}
	page.Chart, page.Notices = pc.Views[0], append(pc.Notices, page.Notices...)
	return s.render(c, "events", page)
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
func (s *Server) sources(c *gin.Context) error {
	snap := s.snapshot(c)
	page := sourcesPage{Datasets: snap.Datasets, Articles: citedArticles(snap)}
	page.basePage = s.base(c, "Sources", "sources", "/sources")
	return s.render(c, "sources", page)
}

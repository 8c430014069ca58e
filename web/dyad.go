package web

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// tivRule is the counting rule of every TIV figure.
const tivRule = "deliveries by delivery year, SIPRI TIV, millions (a volume measure, not money)"

// percentRule says how a chart of percentages rounds them (Series.shown).
const percentRule = "rounded as SIPRI rounds shares (whole numbers from 10%, one decimal below) in the chart, its table and its CSV, unrounded in the JSON, tidy and full-data downloads"

// sourceLabel is the dataset label as CSV headers give it, e.g.
// "SIPRI Arms Transfers Database generated 2026-02-12"; for a GDELT file,
// the span of its updates (data.Dataset.Label).
func sourceLabel(d data.Dataset) string {
	if d.Updates.First != "" {
		return d.Label()
	}
	if d.Vintage == "" {
		return d.Source + " (undated)"
	}
	return d.Source + " generated " + d.Vintage
}

// round rounds v to the given number of decimals; NaN stays NaN.
func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "x"
	}
	return out
}

// dyadFile is the base name of a dyad chart's downloads.
func dyadFile(q dashboard.DyadQuery, kind string) string {
	return fmt.Sprintf("armsdash_%s_%s_%s_%d-%d", slug(q.Supplier), slug(q.Recipient), kind, q.From, q.To)
}

func years(from, to int) []string {
	var x []string
	for y := from; y <= to; y++ {
		x = append(x, strconv.Itoa(y))
	}
	return x
}

// yearlyTIV is a chart of yearly SIPRI TIV over period p drawn from the
// flow set of fi: its axes, unit, source, counting rule and years; the
// caller gives the rest (ID, title, series, notes, file).
func yearlyTIV(fi *dashboard.FlowIndex, p analysis.Period) Series {
	return Series{XName: "year", YName: "SIPRI TIV (millions)", Unit: "SIPRI TIV millions",
		Source: sourceLabel(fi.Set.Dataset), Rule: tivRule + ", " + p.String(), X: years(p.From, p.To)}
}

// dyadTIVSeries is chart 1: the yearly TIV the supplier delivered to the
// recipient, beside the recipient's imports from all suppliers.
func dyadTIVSeries(fi *dashboard.FlowIndex, q dashboard.DyadQuery) Series {
	part := fi.Yearly(q.Supplier, q.Recipient, q.From, q.To)
	total := fi.Yearly("", q.Recipient, q.From, q.To)
	complete := fi.Coverage.ImportsComplete(q.Recipient)
	parts := splitEstimated(q.Supplier+" to "+q.Recipient, part, fi.EstimatedYearly(q.Supplier, q.Recipient, q.From, q.To))
	for i := range total {
		total[i] = round(total[i], 2)
		if !complete {
			total[i] = math.NaN()
		}
	}
	notes := []string{"A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV."}
	if len(parts) > 1 {
		notes = append(notes, estimatedNote(q.Supplier+" to "+q.Recipient, fi.EstimatedShare(q.Supplier, q.Recipient, q.Period()), q.Period()))
	}
	if !complete {
		notes = append(notes, fmt.Sprintf("%s's imports from all suppliers are n/a: %s (%s) holds only %s's exports, not what %s received from others.", q.Recipient, fi.Set.Dataset.Name, fi.Label(), strings.Join(fi.Coverage.Suppliers, ", "), q.Recipient))
	}
	s := yearlyTIV(fi, q.Period())
	s.ID, s.File = "chart-dyad-tiv", dyadFile(q, "tiv")
	s.Title = fmt.Sprintf("Arms deliveries to %s, %s: from %s and from all suppliers", q.Recipient, q.Period(), q.Supplier)
	s.Series = append(parts, Named{Name: q.Recipient + " imports from all suppliers", Values: total})
	s.Notes = notes
	return s
}

// dyadShareSeries is chart 2: the supplier's share of the recipient's
// imports and the recipient's share of the supplier's exports, by
// five-year period ending in the query's last year.
func dyadShareSeries(fi *dashboard.FlowIndex, q dashboard.DyadQuery) Series {
	periods := analysis.FivePeriods(q.From, q.To)
	imp := Named{Name: fmt.Sprintf("%s's share of %s's imports", q.Supplier, q.Recipient)}
	exp := Named{Name: fmt.Sprintf("%s's share of %s's exports", q.Recipient, q.Supplier)}
	s := Series{
		ID:      "chart-dyad-shares",
		Title:   fmt.Sprintf("%s and %s: shares of arms transfers by five-year period, %s", q.Supplier, q.Recipient, q.Period()),
		XName:   "period",
		YName:   "share (%)",
		Unit:    "percent of SIPRI TIV",
		Source:  sourceLabel(fi.Set.Dataset),
		Rule:    "shares of " + tivRule + ", summed over each five-year period, in percent, " + percentRule,
		Percent: true,
		File:    dyadFile(q, "shares"),
	}
	complete := fi.Coverage.ExportsComplete(q.Supplier)
	importsComplete := fi.Coverage.ImportsComplete(q.Recipient)
	for _, p := range periods {
		s.X = append(s.X, p.String())
		iv := math.NaN()
		if importsComplete {
			iv = fi.SupplierShare(q.Supplier, q.Recipient, p).Percent()
		}
		imp.Values = append(imp.Values, iv)
		v := math.NaN()
		if complete {
			v = fi.RecipientShare(q.Supplier, q.Recipient, p).Percent()
		}
		exp.Values = append(exp.Values, v)
	}
	s.Series = []Named{imp, exp}
	switch {
	case len(periods) == 0:
		s.Notes = append(s.Notes, fmt.Sprintf("%s is shorter than five years, so it holds no five-year period. Choose a longer range.", q.Period()))
	case periods[0].From > q.From:
		s.Notes = append(s.Notes, fmt.Sprintf("Periods are five-year windows ending in %d; %d–%d, before the first whole period, is left out.", q.To, q.From, periods[0].From-1))
	default:
		s.Notes = append(s.Notes, fmt.Sprintf("Periods are five-year windows ending in %d.", q.To))
	}
	if !importsComplete {
		s.Notes = append(s.Notes, fmt.Sprintf("%s's share of %s's imports is n/a: the data held here (%s) does not include all of %s's imports, only those from %s.", q.Supplier, q.Recipient, fi.Label(), q.Recipient, strings.Join(fi.Coverage.Suppliers, ", ")))
	}
	if !complete {
		s.Notes = append(s.Notes, fmt.Sprintf("%s's share of %s's exports is n/a: the data held here (%s) does not include all of %s's exports, only those to %s.", q.Recipient, q.Supplier, fi.Label(), q.Supplier, strings.Join(fi.Coverage.Recipients, ", ")))
	}
	s.Notes = append(s.Notes, "A share is n/a when there were no deliveries in the period. SIPRI revises its data every year, so shares for the same period differ between releases.")
	return s
}

// notGiven labels events whose source gives no year.
const notGiven = "year not given"

// eventSourceLabel names the datasets events come from.
func eventSourceLabel(d *dashboard.Dashboard) string {
	var labels []string
	for _, ds := range d.EventDatasets() {
		labels = append(labels, sourceLabel(ds))
	}
	if len(labels) == 0 {
		return "no event data loaded"
	}
	return strings.Join(labels, "; ")
}

// eventNotes are the notes every event chart carries: that the counts
// cover only the GDELT updates loaded, when any are, and how w counts.
func eventNotes(d *dashboard.Dashboard, w dashboard.EventWeight) []string {
	var notes []string
	for _, ds := range d.EventDatasets() {
		if ds.Updates.First != "" {
			notes = append(notes, "GDELT's events are counted only over the updates loaded (see the source above): GDELT reports every 15 minutes (version 2.0) or every day (1.0), and an event it reported in an update not loaded here is not counted.")
			break
		}
	}
	if w != dashboard.WeightEvents && w != "" {
		notes = append(notes, fmt.Sprintf("Weighted: %s. The rate ratio below still counts events.", w.Rule()))
	}
	return notes
}

// articles lists the distinct sources of events, in order of appearance.
func articles(events []data.Event) []string {
	var out []string
	for _, e := range events {
		if !slices.Contains(out, e.Source) {
			out = append(out, e.Source)
		}
	}
	return out
}

// dyadEventSeries is chart 3: events between the two countries per year,
// stacked by type, with a last category for events whose source gives no
// year. It counts from the snapshot's EventCounts (dashboard.PairCounts),
// so every event counts even when the snapshot holds no event rows.
func dyadEventSeries(d *dashboard.Dashboard, q dashboard.DyadQuery) Series {
	var counts []data.EventCount
	outside, total := 0, 0
	for _, c := range d.PairCounts(q.Supplier, q.Recipient) {
		if c.Year != 0 && (c.Year < q.From || c.Year > q.To) {
			outside += int(c.Count)
			continue
		}
		counts = append(counts, c)
		total += int(c.Count)
	}
	w := q.Weight
	title := fmt.Sprintf("Military-diplomacy events between %s and %s per year, by type", q.Supplier, q.Recipient)
	if w != dashboard.WeightEvents && w != "" {
		title += ", weighted by " + string(w)
	}
	s := Series{
		ID:      "chart-dyad-events",
		Title:   title,
		XName:   "year",
		YName:   string(w.OrDefault()),
		Unit:    "number of " + w.Noun(),
		Source:  eventSourceLabel(d),
		Rule:    fmt.Sprintf("events counted by the year their source gives, %s, %s; events whose source gives no year counted under “%s”", q.Period(), w.Rule(), notGiven),
		Stacked: true,
		Counts:  true,
		X:       append(years(q.From, q.To), notGiven),
		File:    dyadFile(q, "events"),
	}
	if w = w.OrDefault(); w != dashboard.WeightEvents {
		s.File = dyadFile(q, "events_by_"+string(w))
	}
	yearless := 0
	for _, t := range dashboard.OrderedTypes(counts) {
		values := make([]float64, q.To-q.From+1)
		none := 0.0
		for _, c := range counts {
			switch {
			case c.Type != t:
			case c.Year == 0:
				none += float64(w.Of(c))
				yearless += int(c.Count)
			default:
				values[c.Year-q.From] += float64(w.Of(c))
			}
		}
		s.Series = append(s.Series, Named{Name: t, Values: append(values, none)})
	}
	truncated := d.Snapshot().EventsTruncated
	switch {
	case total == 0:
		s.Notes = append(s.Notes, fmt.Sprintf("No events between %s and %s are held for %s.", q.Supplier, q.Recipient, q.Period()))
	case yearless == total && !truncated:
		s.Notes = append(s.Notes, fmt.Sprintf("None of the %d events has a known year: their sources (%s) give only “on Monday”, “in late April” and the like, so all are counted under “%s”. See the Events page for how each source dates them.", total, strings.Join(articles(eventsInPeriod(d, q)), ", "), notGiven))
	case yearless == total:
		s.Notes = append(s.Notes, fmt.Sprintf("None of the %d events has a known year, so all are counted under “%s”.", total, notGiven))
	case yearless > 0:
		s.Notes = append(s.Notes, fmt.Sprintf("%d of the %d events have no known year and are counted under “%s”.", yearless, total, notGiven))
	}
	if outside > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d events dated outside %s are left out.", outside, q.Period()))
	}
	s.Notes = append(s.Notes, eventNotes(d, w)...)
	return s
}

// chartView is what the "chart" template draws: the chart's container and
// init script, notes, the table of the numbers drawn and its links.
type chartView struct {
	ID, Title, Rule, Source, Unit string
	Dataset                       string // name of the flow set drawn, "" for none
	Notes                         []string
	Options                       template.JS // JSON from encoding/json only
	Table                         Table
	CSV, Permalink                string
	// Pinned is the embed URL pinned to the data drawn (dataset= and
	// pin=), "" when the chart has none or is already pinned.
	Pinned string
	// MapURL is the GeoJSON a map chart registers before it draws; ""
	// for other charts.
	MapURL string
	// Desc is the chart's text description (describe): its aria-label
	// and the alt text of its image.
	Desc string
	// Live draws the chart with ECharts; without it, or without
	// JavaScript, the chart is its server-drawn SVG, SVG, or the first of
	// Sources whose media query matches (a narrow window, a dark scheme).
	Live    bool
	SVG     string
	Sources []imgSource
	// Theme is the ECharts theme: "light", "dark" or "auto" (follow
	// prefers-color-scheme).
	Theme string
}

// chart builds the view of s; csvPath and page are the CSV endpoint and
// the page it belongs to, both with the same query.
func chart(s Series, csvURL, pageURL string) (chartView, error) {
	b, err := s.Options()
	if err != nil {
		return chartView{}, err
	}
	return chartView{
		ID: s.ID, Title: s.Title, Rule: s.Rule, Source: s.Source, Unit: s.Unit, Notes: s.Notes,
		Options:   template.JS(b), // safe: encoding/json output, HTML-escaped
		Table:     s.Table(),
		CSV:       csvURL,
		Permalink: pageURL + "#" + s.ID,
	}, nil
}

// dyadPage is the view model of dyad.html.
type dyadPage struct {
	basePage
	Q                dashboard.DyadQuery
	Weights          []dashboard.EventWeight // the choices of weight=
	Suppliers        []string
	Recipients       []string
	MinYear, MaxYear int
	Notices          []string
	Charts           []chartView
	State            dashboard.ChartState // how the charts are drawn
	Stats            *dyadStats           // sections below the charts (dyadstats.go)
	Deals            *dealsView           // the trade register's deals for the pair (deals.go)
	Orders           *ordersView          // the pair's orders and backlog in that register (orders.go)
	MarkerNote       string               // SIPRI's * and ** explained, when the pair's names carry one
	SupplierLink     string               // the supplier's country page
	RecipientLink    string               // the recipient's country page
	Breakdown        breakdownView        // the pair's TIV by category, status, local production (breakdown.go)
	Dimensions       []string             // the values of by=
}

// dyadChartQuery is the validated query of the dyad page's charts.
type dyadChartQuery = flowQuery[dashboard.DyadQuery]

// parseDyad reads a dyad query.
var parseDyad = flowParser((*dashboard.Dashboard).ParseDyad)

// withRegister is a query with the trade register of the pair's deals
// and, for a deals table, which deals of the period it lists.
type withRegister[Q canonical] struct {
	Q        Q
	Register *dashboard.Register // nil when none is loaded
	Chosen   string              // register= when not the pair's default register
	In       string              // deals=, one of dashboard.DealsChoices; "" where no table is listed
}

// Values returns the query's canonical parameters with register= and
// deals= when they are not the defaults.
func (q withRegister[Q]) Values() url.Values {
	v := q.Q.Values()
	if q.Chosen != "" {
		v.Set("register", q.Chosen)
	}
	if q.In != "" && q.In != dashboard.DealsEither {
		v.Set("deals", q.In)
	}
	return v
}

// dealsQuery is the deals query of the dyad query dq with q's register
// and listing.
func (q withRegister[Q]) dealsQuery(dq dashboard.DyadQuery) dashboard.DealsQuery {
	return dashboard.DealsQuery{Supplier: dq.Supplier, Recipient: dq.Recipient, From: dq.From, To: dq.To, In: cmp.Or(q.In, dashboard.DealsEither), Register: q.Chosen}
}

// registerChoice is the register a request chose for a pair's deals.
type registerChoice struct {
	reg    *dashboard.Register
	chosen string
}

// registerParser reads a query with parse, then the register of the pair
// pair gives (see dashboard.DealIndex.ParseRegister) and, when table,
// which deals a table lists (deals=). The request keeps the register
// chosen, for the charts of the page drawn from it (registerOf).
func registerParser[Q canonical](parse func(r *rq) (Q, error), pair func(Q) dashboard.DyadQuery, table bool) func(r *rq) (withRegister[Q], error) {
	return func(r *rq) (withRegister[Q], error) {
		q, err := parse(r)
		if err != nil {
			return withRegister[Q]{}, err
		}
		dq := pair(q)
		reg, chosen := r.d.Deals().ParseRegister(r.p, dq.Supplier, dq.Recipient)
		r.register = &registerChoice{reg, chosen}
		wr := withRegister[Q]{Q: q, Register: reg, Chosen: chosen}
		if table {
			wr.In = dashboard.ParseDealsIn(r.p)
		}
		return wr, nil
	}
}

// registerOf returns the register of q's pair the request chose
// (registerParser), else the pair's default one; nil when none is loaded.
func (r *rq) registerOf(q dashboard.DyadQuery) registerChoice {
	if r.register != nil {
		return *r.register
	}
	return registerChoice{reg: r.d.Deals().RegisterFor(q.Supplier, q.Recipient)}
}

// dyadPageQuery is a validated /dyad query: the pair and period, the
// charts' display state, the trade register of the deals and which deals
// of the period the table lists.
type dyadPageQuery = withRegister[withState[dyadChartQuery]]

// parseDyadPage reads a /dyad query.
var parseDyadPage = registerParser(stateParser(parseDyad, pageMeasures("/dyad", dashboard.MeasureTIVOrShare)),
	func(q withState[dyadChartQuery]) dashboard.DyadQuery { return q.Q.Q }, true)

// dyad serves /dyad: the charts about one supplier and one recipient,
// the statistics below them, the pair's orders and its deals.
func (s *Server) dyad(r *rq, pq dyadPageQuery) (*response, error) {
	fi, q, state := pq.Q.Q.fi, pq.Q.Q.Q, pq.Q.State
	c := fi.Coverage
	page := dyadPage{Q: q, Weights: dashboard.EventWeights, Suppliers: c.Suppliers, Recipients: c.Recipients, MinYear: c.MinYear, MaxYear: c.MaxYear, State: state}
	page.basePage = s.base(r.c, fmt.Sprintf("%s → %s, %s", q.Supplier, q.Recipient, q.Period()), "dyad", q.Link("/dyad"))
	page.NeedCharts = true
	page.DataLabel = fi.Set.Dataset.Name + " (" + fi.Label() + ")"
	pc, err := s.pageCharts(r, "/dyad", pq.Q.Q, state)
	if err != nil {
		return nil, err
	}
	taken, rest := takeCharts(pc.Views, "chart-dyad-breakdown")
	page.Charts, page.Notices = rest, withoutNoDetails(fi, pc.Missing)
	page.Breakdown = breakdownViewOf(fi, dashboard.BreakdownQuery{Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To, Dataset: q.Dataset},
		"breakdown", fmt.Sprintf("What %s delivered to %s, %s", q.Supplier, q.Recipient, q.Period()),
		fmt.Sprintf("SIPRI records no deliveries from %s to %s in %s, so there is nothing to break down.", q.Supplier, q.Recipient, q.Period()), taken[0])
	page.Dimensions = dashboard.BreakdownDimensions
	st, err := r.dyadStats(fi, q)
	if err != nil {
		return nil, err
	}
	page.Stats = dyadStatsView(r.d, fi, q, st, state)
	dq := pq.dealsQuery(q)
	page.Deals = dealsViewOf(r.d.Deals(), dq, pq.Register, dyadDealsPaths(q))
	page.Orders = ordersViewOf(pq.Register, dq)
	// The orders section says why there are no orders to chart; the
	// deals section, that no register is loaded.
	page.Notices = slices.DeleteFunc(page.Notices, func(m string) bool {
		return m == dashboard.ErrNoRegister.Msg || page.Orders != nil && m == page.Orders.Reason
	})
	page.MarkerNote = markerNote(q.Supplier, q.Recipient)
	page.SupplierLink, page.RecipientLink = page.Stats.SupplierLink, page.Stats.RecipientLink
	return s.renderPage("dyad", page)
}

// dyadStats returns the dyad statistics of q, computing them once per
// request: the page and its TIV chart's markers share them.
func (r *rq) dyadStats(fi *dashboard.FlowIndex, q dashboard.DyadQuery) (*dashboard.DyadStats, error) {
	if r.stats != nil && r.stats.Query == q {
		return r.stats, nil
	}
	st, err := r.d.DyadStats(fi, q)
	if err != nil {
		return nil, err
	}
	r.stats = st
	return st, nil
}

// slugFile keeps only characters safe in a Content-Disposition filename.
func slugFile(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "armsdash"
	}
	return b.String()
}

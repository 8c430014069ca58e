package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// tivRule is the counting rule of every TIV figure.
const tivRule = "deliveries by delivery year, SIPRI TIV, millions (a volume measure, not money)"

// seriesFunc builds the series of one chart of the dyad page.
type seriesFunc func(idx *flowIndex, q dyadQuery) Series

// sourceLabel is the dataset label as CSV headers give it, e.g.
// "SIPRI Arms Transfers Database generated 2026-02-12".
func sourceLabel(d data.Dataset) string {
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

func (q dyadQuery) file(kind string) string {
	return fmt.Sprintf("armsdash_%s_%s_%s_%d-%d", slug(q.Supplier), slug(q.Recipient), kind, q.From, q.To)
}

func years(from, to int) []string {
	var x []string
	for y := from; y <= to; y++ {
		x = append(x, strconv.Itoa(y))
	}
	return x
}

// dyadTIVSeries is chart 1: the yearly TIV the supplier delivered to the
// recipient, beside the recipient's imports from all suppliers.
func dyadTIVSeries(idx *flowIndex, q dyadQuery) Series {
	part := analysis.YearlyTIV(idx.transfers, q.Supplier, q.Recipient, q.From, q.To)
	total := analysis.YearlyTIV(idx.transfers, "", q.Recipient, q.From, q.To)
	complete := idx.importsComplete[q.Recipient]
	for i := range part {
		part[i], total[i] = round(part[i], 2), round(total[i], 2)
		if !complete {
			total[i] = math.NaN()
		}
	}
	notes := []string{"A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV."}
	if !complete {
		notes = append(notes, fmt.Sprintf("%s's imports from all suppliers are n/a: %s (%s) holds only %s's exports, not what %s received from others.", q.Recipient, idx.set.Dataset.Name, idx.set.Dataset.Label(), strings.Join(idx.suppliers, ", "), q.Recipient))
	}
	return Series{
		ID:     "chart-dyad-tiv",
		Title:  fmt.Sprintf("Arms deliveries to %s, %s: from %s and from all suppliers", q.Recipient, q.period(), q.Supplier),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: sourceLabel(idx.set.Dataset),
		Rule:   tivRule + ", " + q.period().String(),
		X:      years(q.From, q.To),
		Series: []Named{
			{Name: q.Supplier + " to " + q.Recipient, Values: part},
			{Name: q.Recipient + " imports from all suppliers", Values: total},
		},
		Notes: notes,
		File:  q.file("tiv"),
	}
}

// dyadShareSeries is chart 2: the supplier's share of the recipient's
// imports and the recipient's share of the supplier's exports, by
// five-year period ending in the query's last year.
func dyadShareSeries(idx *flowIndex, q dyadQuery) Series {
	periods := analysis.FivePeriods(q.From, q.To)
	imp := Named{Name: fmt.Sprintf("%s's share of %s's imports", q.Supplier, q.Recipient)}
	exp := Named{Name: fmt.Sprintf("%s's share of %s's exports", q.Recipient, q.Supplier)}
	s := Series{
		ID:      "chart-dyad-shares",
		Title:   fmt.Sprintf("%s and %s: shares of arms transfers by five-year period, %s", q.Supplier, q.Recipient, q.period()),
		XName:   "period",
		YName:   "share (%)",
		Unit:    "percent of SIPRI TIV",
		Source:  sourceLabel(idx.set.Dataset),
		Rule:    "shares of " + tivRule + ", summed over each five-year period, in percent rounded to 0.1",
		Percent: true,
		File:    q.file("shares"),
	}
	complete := idx.exportsComplete[q.Supplier]
	importsComplete := idx.importsComplete[q.Recipient]
	for _, p := range periods {
		s.X = append(s.X, p.String())
		iv := math.NaN()
		if importsComplete {
			iv = round(analysis.SupplierShare(idx.transfers, q.Supplier, q.Recipient, p).Percent(), 1)
		}
		imp.Values = append(imp.Values, iv)
		v := math.NaN()
		if complete {
			v = round(analysis.RecipientShare(idx.transfers, q.Supplier, q.Recipient, p).Percent(), 1)
		}
		exp.Values = append(exp.Values, v)
	}
	s.Series = []Named{imp, exp}
	switch {
	case len(periods) == 0:
		s.Notes = append(s.Notes, fmt.Sprintf("%s is shorter than five years, so it holds no five-year period. Choose a longer range.", q.period()))
	case periods[0].From > q.From:
		s.Notes = append(s.Notes, fmt.Sprintf("Periods are five-year windows ending in %d; %d–%d, before the first whole period, is left out.", q.To, q.From, periods[0].From-1))
	default:
		s.Notes = append(s.Notes, fmt.Sprintf("Periods are five-year windows ending in %d.", q.To))
	}
	if !importsComplete {
		s.Notes = append(s.Notes, fmt.Sprintf("%s's share of %s's imports is n/a: the data held here (%s) does not include all of %s's imports, only those from %s.", q.Supplier, q.Recipient, idx.set.Dataset.Label(), q.Recipient, strings.Join(idx.suppliers, ", ")))
	}
	if !complete {
		s.Notes = append(s.Notes, fmt.Sprintf("%s's share of %s's exports is n/a: the data held here (%s) does not include all of %s's exports, only those to %s.", q.Recipient, q.Supplier, idx.set.Dataset.Label(), q.Supplier, strings.Join(idx.recipients, ", ")))
	}
	s.Notes = append(s.Notes, "A share is n/a when there were no deliveries in the period. SIPRI revises its data every year, so shares for the same period differ between releases.")
	return s
}

// notGiven labels events whose source gives no year.
const notGiven = "year not given"

// orderedTypes returns the event types of counts in data.EventTypes order,
// then any others alphabetically.
func orderedTypes(counts []data.EventCount) []string {
	seen := map[string]bool{}
	for _, c := range counts {
		seen[c.Type] = true
	}
	var out []string
	for _, t := range data.EventTypes {
		if seen[t] {
			out = append(out, t)
			delete(seen, t)
		}
	}
	return append(out, sortedKeys(seen)...)
}

// eventSourceLabel names the datasets events come from.
func eventSourceLabel(snap *data.Snapshot) string {
	var labels []string
	for _, d := range snap.Datasets {
		if d.Format == data.FormatEvents || d.Format == data.FormatGDELT {
			labels = append(labels, sourceLabel(d))
		}
	}
	if len(labels) == 0 {
		return "no event data loaded"
	}
	return strings.Join(labels, "; ")
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
// year. It counts from the snapshot's EventCounts, so every event counts
// even when the snapshot holds no event rows.
func dyadEventSeries(idx *flowIndex, q dyadQuery) Series {
	var counts []data.EventCount
	outside, total := 0, 0
	for _, c := range pairCounts(idx.snap.EventCounts, q.Supplier, q.Recipient) {
		if c.Year != 0 && (c.Year < q.From || c.Year > q.To) {
			outside += int(c.Count)
			continue
		}
		counts = append(counts, c)
		total += int(c.Count)
	}
	s := Series{
		ID:      "chart-dyad-events",
		Title:   fmt.Sprintf("Military-diplomacy events between %s and %s per year, by type", q.Supplier, q.Recipient),
		XName:   "year",
		YName:   "events",
		Unit:    "number of events",
		Source:  eventSourceLabel(idx.snap),
		Rule:    fmt.Sprintf("events counted by the year their source gives, %s; events whose source gives no year counted under “%s”", q.period(), notGiven),
		Stacked: true,
		Counts:  true,
		X:       append(years(q.From, q.To), notGiven),
		File:    q.file("events"),
	}
	yearless := 0
	for _, t := range orderedTypes(counts) {
		values := analysis.EventsPerYear(nil, q.From, q.To)
		none := 0.0
		for _, c := range counts {
			switch {
			case c.Type != t:
			case c.Year == 0:
				none += float64(c.Count)
			default:
				values[c.Year-q.From] += float64(c.Count)
			}
		}
		yearless += int(none)
		s.Series = append(s.Series, Named{Name: t, Values: append(values, none)})
	}
	switch {
	case total == 0:
		s.Notes = append(s.Notes, fmt.Sprintf("No events between %s and %s are held for %s.", q.Supplier, q.Recipient, q.period()))
	case yearless == total && !idx.snap.EventsTruncated:
		s.Notes = append(s.Notes, fmt.Sprintf("None of the %d events has a known year: their sources (%s) give only “on Monday”, “in late April” and the like, so all are counted under “%s”. See the Events page for how each source dates them.", total, strings.Join(articles(eventsBetween(idx.snap.Events, q)), ", "), notGiven))
	case yearless == total:
		s.Notes = append(s.Notes, fmt.Sprintf("None of the %d events has a known year, so all are counted under “%s”.", total, notGiven))
	case yearless > 0:
		s.Notes = append(s.Notes, fmt.Sprintf("%d of the %d events have no known year and are counted under “%s”.", yearless, total, notGiven))
	}
	if outside > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d events dated outside %s are left out.", outside, q.period()))
	}
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
	Nonce  string
}

// chart builds the view of s; csvPath and page are the CSV endpoint and
// the page it belongs to, both with the same query.
func chart(s Series, csvURL, pageURL, nonce string) (chartView, error) {
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
		Nonce:     nonce,
	}, nil
}

// dyadPage is the view model of dyad.html.
type dyadPage struct {
	basePage
	Q                dyadQuery
	Suppliers        []string
	Recipients       []string
	MinYear, MaxYear int
	Notices          []string
	Charts           []chartView
	State            chartState // how the charts are drawn (state.go)
	Stats            *dyadStats // sections below the charts (dyadstats.go)
	Deals            *dealsView // the trade register's deals for the pair (deals.go)
}

// dyadQueryOf parses the request's dyad query.
func (s *Server) dyadQueryOf(c *gin.Context) (*flowIndex, dyadQuery, []string, error) {
	idx, err := s.flowIndexFor(s.snapshot(c), c.Query("dataset"))
	if err != nil {
		return nil, dyadQuery{}, nil, err
	}
	q, notices, err := parseDyadQuery(c.Request.URL.Query(), idx)
	if c.Query("dataset") != "" && !idx.isDefault() {
		q.Dataset = idx.set.Dataset.Name
	}
	return idx, q, notices, err
}

// dyad serves /dyad: three charts about one supplier and one recipient.
func (s *Server) dyad(c *gin.Context) error {
	idx, q, notices, err := s.dyadQueryOf(c)
	if err != nil {
		return err
	}
	page := dyadPage{
		Q: q, Suppliers: idx.suppliers, Recipients: idx.recipients,
		MinYear: idx.minYear, MaxYear: idx.maxYear, Notices: notices,
	}
	page.basePage = s.base(c, fmt.Sprintf("%s → %s, %s", q.Supplier, q.Recipient, q.period()), "dyad", q.link("/dyad"))
	page.NeedCharts = true
	page.DataLabel = idx.set.Dataset.Name + " (" + idx.set.Dataset.Label() + ")"
	pc, err := s.pageChartsOf(c, "/dyad") // the registry's charts (chartroutes.go)
	if err != nil {
		return err
	}
	page.Charts, page.State, page.Notices = pc.Views, pc.State, append(append(pc.Notices, page.Notices...), pc.Missing...)
	if err := s.addDyadStats(c, idx, q, &page); err != nil {
		return err
	}
	s.addDeals(c, q, &page)
	return s.render(c, "dyad", page)
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

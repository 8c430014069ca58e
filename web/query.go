package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// The pair /dyad shows when the data names no other: the one armsdash was
// started for.
const (
	defaultSupplier  = "China"
	defaultRecipient = "Pakistan"
)

// The years a query may name at all; anything outside is a 400.
const (
	minQueryYear = 1950
	maxQueryYear = 2100
)

// flowIndex is what the dyad pages need to know about the preferred flow
// set of a snapshot: its rows as analysis transfers, which countries it
// covers, and its years.
type flowIndex struct {
	snap      *data.Snapshot
	set       data.FlowSet
	transfers []analysis.Transfer
	// suppliers are the countries with deliveries in the set; recipients
	// are those whose imports from every supplier the set holds.
	suppliers, recipients []string
	// exportsComplete reports whether the set holds all of a supplier's
	// exports, which the recipient's share of them needs.
	exportsComplete map[string]bool
	// importsComplete reports whether the set holds all of a recipient's
	// imports, which the supplier's share of them needs.
	importsComplete map[string]bool
	// recipientsLabel heads the list of recipients on a 404 page.
	recipientsLabel  string
	minYear, maxYear int
	// defaultQuery is the pair and range /dyad shows when none is given.
	defaultQuery dyadQuery
}

// indexCache holds the flow index of the last snapshot seen, and the
// indexes of the flow sets asked for by name in it (see flowIndexFor).
type indexCache struct {
	p     atomic.Pointer[flowIndex]
	mu    sync.Mutex
	snap  *data.Snapshot        // the snapshot named belongs to
	named map[string]*flowIndex // by dataset name
}

// get returns the flow index of snap, building it when snap changed.
func (ic *indexCache) get(snap *data.Snapshot) (*flowIndex, error) {
	if idx := ic.p.Load(); idx != nil && idx.snap == snap {
		return idx, nil
	}
	idx, err := newFlowIndex(snap)
	if err != nil {
		return nil, err
	}
	ic.p.Store(idx)
	return idx, nil
}

// errNoFlows is shown when the snapshot holds no arms-transfer data.
var errNoFlows = &RequestError{Status: http.StatusNotFound, Msg: "No arms-transfer data is loaded, so there is nothing to chart. Import a SIPRI file with armsdash import."}

// newFlowIndex indexes the preferred flow set of snap.
func newFlowIndex(snap *data.Snapshot) (*flowIndex, error) {
	set, ok := snap.FlowSet("")
	if !ok || len(set.Flows) == 0 {
		return nil, errNoFlows
	}
	return newSetIndex(snap, set), nil
}

// newSetIndex indexes set, one of the flow sets of snap.
//
// An extract made by data.ExtractDyad holds one recipient's imports from
// every supplier and one supplier's exports, the rest of them summed into
// a row named data.OtherRecipients(supplier). So in such a set a recipient
// is complete unless it is such a summed row, and a supplier's exports are
// complete only when the set has its summed row. A SIPRI TIV table
// covers one side: a table of one supplier's exports holds all of them but
// none of its recipients' imports from anyone else (and the other way
// round for a table of one recipient's imports), so every recipient in it
// can be chosen but only the complete side's shares are computed. Any
// other flow set (a per-delivery-year listing) is a whole listing,
// complete for every country.
func newSetIndex(snap *data.Snapshot, set data.FlowSet) *flowIndex {
	idx := &flowIndex{snap: snap, set: set, exportsComplete: map[string]bool{}, importsComplete: map[string]bool{},
		recipientsLabel: "Recipients whose imports the data holds in full"}
	extract := set.Dataset.Format == data.FormatFlows
	table := set.Dataset.Format == data.FormatSIPRITIVTable || set.Dataset.Format == data.FormatSIPRITIVTableOld
	sup, rec, aggregate := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range set.Flows {
		aggregate[data.OtherRecipients(f.Supplier)] = true
	}
	idx.minYear, idx.maxYear = set.Flows[0].Year, set.Flows[0].Year
	for _, f := range set.Flows {
		idx.transfers = append(idx.transfers, analysis.Transfer{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV})
		idx.minYear, idx.maxYear = min(idx.minYear, f.Year), max(idx.maxYear, f.Year)
		sup[f.Supplier] = true
		if !aggregate[f.Recipient] {
			rec[f.Recipient] = true
		}
		if !extract && !table || f.Recipient == data.OtherRecipients(f.Supplier) {
			idx.exportsComplete[f.Supplier] = true
		}
	}
	idx.suppliers, idx.recipients = sortedKeys(sup), sortedKeys(rec)
	for _, r := range idx.recipients {
		idx.importsComplete[r] = !table
	}
	if table {
		idx.recipientsLabel = "Recipients in the table"
		if len(idx.suppliers) == 1 {
			idx.exportsComplete[idx.suppliers[0]] = true
		}
		if len(idx.recipients) == 1 {
			idx.importsComplete[idx.recipients[0]] = true
		}
	}
	idx.defaultQuery = dyadQuery{From: idx.minYear, To: idx.maxYear}
	// Default to the pair the reported figures are about, else to the pair
	// armsdash was started for (China–Pakistan), else to the largest flow
	// of the last five years between a supplier whose exports the set holds
	// in full and a recipient of it.
	usable := func(s, r string) bool { return sup[s] && rec[r] && s != r }
	for _, fig := range snap.Figures {
		if usable(fig.Supplier, fig.Recipient) {
			idx.defaultQuery.Supplier, idx.defaultQuery.Recipient = fig.Supplier, fig.Recipient
			break
		}
	}
	if idx.defaultQuery.Supplier == "" && usable(defaultSupplier, defaultRecipient) {
		idx.defaultQuery.Supplier, idx.defaultQuery.Recipient = defaultSupplier, defaultRecipient
	}
	if idx.defaultQuery.Supplier == "" {
		type pair struct{ s, r string }
		recent := map[pair]float64{}
		var best pair
		for _, f := range set.Flows {
			if f.Year <= idx.maxYear-5 || !idx.exportsComplete[f.Supplier] || !usable(f.Supplier, f.Recipient) {
				continue
			}
			p := pair{f.Supplier, f.Recipient}
			recent[p] += f.TIV
			if recent[p] > recent[best] || (recent[p] == recent[best] && (p.s+p.r) < (best.s+best.r)) {
				best = p
			}
		}
		idx.defaultQuery.Supplier, idx.defaultQuery.Recipient = best.s, best.r
	}
	if idx.defaultQuery.Supplier == "" {
		f := set.Flows[0]
		idx.defaultQuery.Supplier, idx.defaultQuery.Recipient = f.Supplier, f.Recipient
	}
	return idx
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dyadQuery is a validated /dyad query: a supplier and a recipient that
// the flow set covers, and a range of years inside its coverage.
type dyadQuery struct {
	Supplier, Recipient string
	From, To            int
	// Dataset names the flow set used when it is not the default one.
	Dataset string
}

// values returns the query's URL parameters.
func (q dyadQuery) values() url.Values {
	v := url.Values{
		"supplier":  {q.Supplier},
		"recipient": {q.Recipient},
		"from":      {strconv.Itoa(q.From)},
		"to":        {strconv.Itoa(q.To)},
	}
	if q.Dataset != "" {
		v.Set("dataset", q.Dataset)
	}
	return v
}

// link returns the URL of path with the query, e.g. the permalink
// "/dyad?from=1995&recipient=Pakistan&supplier=China&to=2024".
func (q dyadQuery) link(path string) string { return path + "?" + q.values().Encode() }

// period returns the query's range of years.
func (q dyadQuery) period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// parseDyadQuery validates a /dyad query against the flow index. Missing
// parameters take the defaults. An unknown country is a 404 listing the
// known ones; a malformed or inverted year is a 400 naming the parameter.
// A range reaching past the data's years is narrowed to them, with a
// notice saying so.
func parseDyadQuery(v url.Values, idx *flowIndex) (q dyadQuery, notices []string, err error) {
	q = idx.defaultQuery
	if a, b := strings.TrimSpace(v.Get("supplier")), strings.TrimSpace(v.Get("recipient")); a != "" && b != "" {
		ca, _ := data.CanonicalCountry(a)
		cb, _ := data.CanonicalCountry(b)
		if strings.EqualFold(ca, cb) {
			return q, nil, &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("supplier and recipient are both %s; choose two different countries.", truncate(ca))}
		}
	}
	if q.Supplier, err = pickCountry(v.Get("supplier"), q.Supplier, idx.suppliers, "supplier", "Suppliers with data", idx.set.Dataset.Label()); err != nil {
		return q, nil, err
	}
	if q.Recipient, err = pickCountry(v.Get("recipient"), q.Recipient, idx.recipients, "recipient", idx.recipientsLabel, idx.set.Dataset.Label()); err != nil {
		return q, nil, err
	}
	if q.Supplier == q.Recipient {
		return q, nil, &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("supplier and recipient are both %s; choose two different countries.", q.Supplier)}
	}
	if q.From, err = parseYear(v, "from", q.From); err != nil {
		return q, nil, err
	}
	if q.To, err = parseYear(v, "to", q.To); err != nil {
		return q, nil, err
	}
	if q.From > q.To {
		return q, nil, &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("from (%d) is after to (%d); the first year must not be after the last.", q.From, q.To)}
	}
	if q.To < idx.minYear || q.From > idx.maxYear {
		return q, nil, &RequestError{Status: http.StatusNotFound, Msg: fmt.Sprintf("No data for %s: %s covers deliveries in %d–%d.", q.period(), idx.set.Dataset.Label(), idx.minYear, idx.maxYear)}
	}
	if q.From < idx.minYear || q.To > idx.maxYear {
		asked := q.period()
		q.From, q.To = max(q.From, idx.minYear), min(q.To, idx.maxYear)
		notices = append(notices, fmt.Sprintf("The data covers deliveries in %d–%d, so the range asked for, %s, was narrowed to %s.", idx.minYear, idx.maxYear, asked, q.period()))
	}
	return q, notices, nil
}

// pickCountry resolves raw against known: exactly, then by canonical name
// ("china" finds China). Empty raw gives def.
func pickCountry(raw, def string, known []string, param, knownLabel, dataset string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	if slices.Contains(known, raw) {
		return raw, nil
	}
	if c, ok := data.CanonicalCountry(raw); ok && slices.Contains(known, c) {
		return c, nil
	}
	return "", &RequestError{
		Status:     http.StatusNotFound,
		Msg:        fmt.Sprintf("No data for country “%s” as %s in %s.", truncate(raw), param, dataset),
		Known:      known,
		KnownLabel: knownLabel,
	}
}

// parseYear reads parameter name as a year in minQueryYear..maxQueryYear;
// when it is absent or empty it returns def.
func parseYear(v url.Values, name string, def int) (int, error) {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def, nil
	}
	y, err := strconv.Atoi(raw)
	if err != nil {
		return 0, &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("Parameter %s: “%s” is not a year; give a year from %d to %d, e.g. 2020.", name, truncate(raw), minQueryYear, maxQueryYear)}
	}
	if y < minQueryYear || y > maxQueryYear {
		return 0, &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("Parameter %s: %d is outside %d–%d.", name, y, minQueryYear, maxQueryYear)}
	}
	return y, nil
}

// eventFilter is a validated /events query. Zero values mean "any"; it
// converts to data.EventFilter, which defines what it selects.
type eventFilter struct {
	Type, Country string
	From, To      int
}

// values returns the filter's URL parameters, leaving out empty ones.
func (f eventFilter) values() url.Values {
	v := url.Values{}
	if f.Type != "" {
		v.Set("type", f.Type)
	}
	if f.Country != "" {
		v.Set("country", f.Country)
	}
	if f.From != 0 {
		v.Set("from", strconv.Itoa(f.From))
	}
	if f.To != 0 {
		v.Set("to", strconv.Itoa(f.To))
	}
	return v
}

// link returns path with the filter as its query.
func (f eventFilter) link(path string) string {
	if q := f.values().Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// pageLink is link with page n of the event list (none for page 1).
func (f eventFilter) pageLink(path string, n int) string {
	v := f.values()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if q := v.Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// FromText and ToText are the years as the form shows them.
func (f eventFilter) FromText() string { return yearText(f.From) }

// ToText is the last year as the form shows it.
func (f eventFilter) ToText() string { return yearText(f.To) }

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// parseEventFilter reads an /events query. Values that are not understood
// are ignored and described in ignored, so the page can name them.
func parseEventFilter(v url.Values, types, countries []string) (f eventFilter, ignored []string) {
	if t := strings.TrimSpace(v.Get("type")); t != "" {
		if slices.Contains(types, t) {
			f.Type = t
		} else {
			ignored = append(ignored, fmt.Sprintf("type “%s” is not one of %s.", truncate(t), strings.Join(types, ", ")))
		}
	}
	if c := strings.TrimSpace(v.Get("country")); c != "" {
		canon, _ := data.CanonicalCountry(c)
		switch {
		case slices.Contains(countries, c):
			f.Country = c
		case slices.Contains(countries, canon):
			f.Country = canon
		default:
			ignored = append(ignored, fmt.Sprintf("country “%s”: no events involve it (countries with events: %s).", truncate(c), strings.Join(countries, ", ")))
		}
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"from", &f.From}, {"to", &f.To}} {
		y, err := parseYear(v, p.name, 0)
		if err != nil {
			ignored = append(ignored, err.Error())
			continue
		}
		*p.dst = y
	}
	if f.From != 0 && f.To != 0 && f.From > f.To {
		ignored = append(ignored, fmt.Sprintf("from (%d) is after to (%d); both are ignored.", f.From, f.To))
		f.From, f.To = 0, 0
	}
	return f, ignored
}

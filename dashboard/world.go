package dashboard

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// The world view: SIPRI's fact-sheet table of top exporters and importers,
// computed live for any period from a listing of all suppliers and
// recipients.

// WorldQuery asks for the world's arms transfers over From..To, with the
// Top exporters and importers (0: all of them).
type WorldQuery struct {
	From, To int
	Top      int
	// Side is SideExports or SideImports: which the world map shows.
	Side    string
	Dataset string // the flow set when it is not the preferred one
}

// The sides of the world map.
const (
	SideExports = "exports"
	SideImports = "imports"
)

// DefaultWorldTop is how many exporters and importers the world view lists
// when top= is not given.
const DefaultWorldTop = 10

// Values returns the query's canonical parameters.
func (q WorldQuery) Values() url.Values {
	v := url.Values{}
	setPeriod(v, q.From, q.To, q.Dataset)
	switch q.Top {
	case DefaultWorldTop:
	case 0:
		v.Set("top", "all")
	default:
		v.Set("top", strconv.Itoa(q.Top))
	}
	if q.Side != SideExports {
		v.Set("side", q.Side)
	}
	return v
}

// Period returns From..To.
func (q WorldQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// Previous returns the period of the same length just before q's.
func (q WorldQuery) Previous() analysis.Period {
	n := q.To - q.From + 1
	return analysis.Period{From: q.From - n, To: q.To - n}
}

// ErrNotWorld says that the flow set is not a listing of all suppliers
// and recipients, so world totals and shares of them cannot be computed.
func errNotWorld(fi *FlowIndex) error {
	return &NotDrawableError{Msg: fmt.Sprintf("The world view needs SIPRI's listing of all suppliers and recipients (the per-delivery-year listing); %s (%s) is %s, so world totals cannot be computed from it. Import the full listing with armsdash import.",
		fi.Set.Dataset.Name, fi.Label(), map[data.CoverageKind]string{data.CoverageExtract: "an extract about one pair", data.CoverageTable: "a TIV table of one country"}[fi.Coverage.Kind])}
}

// LastFullYear is the last year fi covers in full: its last delivery
// year, or the year before the file was generated when the data reach
// into that year (a year SIPRI has not finished recording).
func (fi *FlowIndex) LastFullYear() int {
	last := fi.Coverage.MaxYear
	if v := fi.Set.Dataset.Vintage; len(v) >= 4 {
		if y, err := strconv.Atoi(v[:4]); err == nil && last >= y {
			last = y - 1
		}
	}
	return max(last, fi.Coverage.MinYear)
}

// ParseWorld reads a world query: dataset (a listing of all suppliers and
// recipients, else a *NotDrawableError), from and to (by default the last
// five full years of the data), top (a number, or "all"; default
// DefaultWorldTop) and side (exports or imports, for the map).
func (d *Dashboard) ParseWorld(p *Params) (*FlowIndex, WorldQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, WorldQuery{}, err
	}
	q := WorldQuery{Dataset: name}
	last := fi.LastFullYear()
	q.From, q.To = readPeriod(p, fi, max(fi.Coverage.MinYear, last-4), last)
	q.Top = DefaultWorldTop
	if raw := p.Raw("top"); raw == "all" {
		q.Top = 0
	} else {
		q.Top = p.Int("top", DefaultWorldTop, 1, 1000, "number of countries (or all)")
	}
	q.Side = p.Choice("side", SideExports, []string{SideExports, SideImports})
	// Refused only now, every parameter read, so that a bad value is
	// named before the data that cannot answer (see Params.Invalid).
	if fi.Coverage.Kind != data.CoverageListing {
		return nil, WorldQuery{}, errNotWorld(fi)
	}
	return fi, q, nil
}

// World is the world's arms transfers over a period: the total, its change
// against the previous period of the same length, and the top exporters
// and importers. Percentages are unrounded.
type World struct {
	Query    WorldQuery
	Period   analysis.Period
	Previous analysis.Period
	// HasPrevious is false when the data do not cover the whole previous
	// period; previous shares and changes are then nil.
	HasPrevious bool
	Total       float64
	// EstimatedShare is the percentage of Total resting on SIPRI's
	// estimates of numbers delivered or delivery years (see
	// FlowIndex.EstimatedShare); nil when the set has no details.
	EstimatedShare *float64
	// PreviousTotal is the world total of the previous period; Change is
	// (Total / PreviousTotal − 1) × 100, nil when there is no previous
	// period or its total is 0.
	PreviousTotal float64
	Change        *float64
	// Exporters and Importers are ranked by TIV over the period, largest
	// first (ties by name); the Top of them, or all.
	Exporters, Importers []WorldRow
	// Suppliers and Recipients count every exporter and importer.
	Suppliers, Recipients int
	// all holds every exporter and importer, ranked.
	allExporters, allImporters []WorldRow
}

// Ranked returns every exporter (side SideExports) or importer, ranked.
func (w *World) Ranked(side string) []WorldRow {
	if side == SideImports {
		return w.allImporters
	}
	return w.allExporters
}

// WorldRow is one line of the exporters' or importers' table.
type WorldRow struct {
	Rank    int     `json:"rank"`
	Country string  `json:"country"`
	TIV     float64 `json:"tiv"`
	// Share is the country's percentage of the world total.
	Share float64 `json:"share_of_global"`
	// PreviousShare is its share of the previous period's total; nil
	// when the data do not cover that period.
	PreviousShare *float64 `json:"previous_share_of_global"`
	PreviousTIV   float64  `json:"-"`
	// Change is the change in volume against the previous period,
	// (TIV / PreviousTIV − 1) × 100; nil when the previous TIV is 0 or not
	// covered.
	Change *float64 `json:"change_percent"`
	// Partners are the three main recipients (of an exporter) or suppliers
	// (of an importer), with their share of the country's total.
	Partners []WorldPartner `json:"top_partners"`
}

// WorldPartner is one main partner of a WorldRow.
type WorldPartner struct {
	Country string  `json:"country"`
	TIV     float64 `json:"tiv"`
	Share   float64 `json:"share"`
}

// worldPartners is how many main partners a WorldRow lists.
const worldPartners = 3

// World computes the world view of a validated query over fi, a listing.
// Every exporter and importer of a period is ranked once per flow set
// (periodCache) and shared: callers must not change the rows.
func (fi *FlowIndex) World(q WorldQuery) *World {
	e := fi.periods.of(q.Period())
	e.world.once.Do(func() { e.world.w = fi.world(q) })
	w := *e.world.w
	w.Query = q
	w.Exporters, w.Importers = w.allExporters, w.allImporters
	if q.Top > 0 {
		w.Exporters, w.Importers = w.Exporters[:min(q.Top, len(w.Exporters))], w.Importers[:min(q.Top, len(w.Importers))]
	}
	return &w
}

// world computes the world view of q's period (and the one before it),
// every exporter and importer ranked: what World cuts to q's Top.
func (fi *FlowIndex) world(q WorldQuery) *World {
	w := &World{Period: q.Period(), Previous: q.Previous()}
	w.HasPrevious = w.Previous.From >= fi.Coverage.MinYear
	type side struct {
		now, before map[string]float64
		pairs       map[string]map[string]float64 // country → partner → TIV now
	}
	exp := side{map[string]float64{}, map[string]float64{}, map[string]map[string]float64{}}
	imp := side{map[string]float64{}, map[string]float64{}, map[string]map[string]float64{}}
	add := func(s side, country, partner string, tiv float64) {
		s.now[country] += tiv
		if s.pairs[country] == nil {
			s.pairs[country] = map[string]float64{}
		}
		s.pairs[country][partner] += tiv
	}
	for _, t := range fi.transfers {
		switch {
		case w.Period.Contains(t.Year):
			w.Total += t.TIV
			add(exp, t.Supplier, t.Recipient, t.TIV)
			add(imp, t.Recipient, t.Supplier, t.TIV)
		case w.HasPrevious && w.Previous.Contains(t.Year):
			w.PreviousTotal += t.TIV
			exp.before[t.Supplier] += t.TIV
			imp.before[t.Recipient] += t.TIV
		}
	}
	if w.HasPrevious {
		w.Change = change(w.PreviousTotal, w.Total)
	}
	w.EstimatedShare = fi.EstimatedShare("", "", w.Period)
	rows := func(s side) []WorldRow {
		out := make([]WorldRow, 0, len(s.now))
		for c, tiv := range s.now {
			r := WorldRow{Country: c, TIV: tiv, Share: percent(tiv, w.Total), PreviousTIV: s.before[c]}
			if w.HasPrevious {
				if w.PreviousTotal > 0 {
					r.PreviousShare = ptr(percent(s.before[c], w.PreviousTotal))
				}
				r.Change = change(s.before[c], tiv)
			}
			r.Partners = topPartners(s.pairs[c], tiv)
			out = append(out, r)
		}
		slices.SortFunc(out, func(a, b WorldRow) int { return cmp.Or(cmp.Compare(b.TIV, a.TIV), cmp.Compare(a.Country, b.Country)) })
		for i := range out {
			out[i].Rank = i + 1
		}
		return out
	}
	w.allExporters, w.allImporters = rows(exp), rows(imp)
	w.Suppliers, w.Recipients = len(w.allExporters), len(w.allImporters)
	return w
}

// topPartners returns the worldPartners largest partners of a country
// whose total is total, with their share of it.
func topPartners(partners map[string]float64, total float64) []WorldPartner {
	out := make([]WorldPartner, 0, len(partners))
	for c, tiv := range partners {
		out = append(out, WorldPartner{Country: c, TIV: tiv, Share: percent(tiv, total)})
	}
	slices.SortFunc(out, func(a, b WorldPartner) int {
		return cmp.Or(cmp.Compare(b.TIV, a.TIV), cmp.Compare(a.Country, b.Country))
	})
	return out[:min(worldPartners, len(out))]
}

// percent is part / total × 100; 0 when total is 0.
func percent(part, total float64) float64 {
	if total == 0 {
		return 0
	}
	return part / total * 100
}

// change is analysis.Change as a pointer: nil when undefined.
func change(before, now float64) *float64 {
	if pct, ok := analysis.Change(before, now); ok {
		return &pct
	}
	return nil
}

// WorldYearly is the world total per year over every year fi covers,
// with the five-year moving sum (NaN for the first four years).
func (fi *FlowIndex) WorldYearly() (years []int, totals, movingSums []float64) {
	c := fi.Coverage
	totals = fi.Yearly("", "", c.MinYear, c.MaxYear)
	movingSums = make([]float64, len(totals))
	for i := range movingSums {
		movingSums[i] = math.NaN()
	}
	for i, v := range analysis.MovingSum(totals, 5) {
		movingSums[i+4] = v
	}
	for y := c.MinYear; y <= c.MaxYear; y++ {
		years = append(years, y)
	}
	return years, totals, movingSums
}

// PairFlow is the TIV one supplier delivered to one recipient over a
// period.
type PairFlow struct {
	Supplier, Recipient string
	TIV                 float64
}

// LargestFlows returns the n largest supplier→recipient flows of p,
// largest first (ties by supplier, then recipient); with country not "",
// only the flows to or from it. n <= 0 gives all of them. Rows that sum a
// supplier's other recipients (an extract's) are not flows between two
// countries and are left out. Every flow of a period is ranked once per
// flow set (periodCache); callers must not change what is returned.
func (fi *FlowIndex) LargestFlows(p analysis.Period, n int, country string) []PairFlow {
	var out []PairFlow
	if country == "" {
		e := fi.periods.of(p)
		e.flows.once.Do(func() { e.flows.all = fi.largestFlows(p, "") })
		out = e.flows.all
	} else {
		out = fi.largestFlows(p, country)
	}
	if n > 0 && len(out) > n {
		out = out[:n:n]
	}
	return out
}

// largestFlows ranks every flow of p to or from country ("": any), as
// LargestFlows returns them.
func (fi *FlowIndex) largestFlows(p analysis.Period, country string) []PairFlow {
	links := analysis.SumByPair(fi.transfers, func(t analysis.Transfer) bool {
		return p.Contains(t.Year) && (country == "" || t.Supplier == country || t.Recipient == country) && !data.IsOtherRecipients(t.Recipient, t.Supplier)
	})
	out := make([]PairFlow, 0, len(links))
	for _, l := range links {
		if l.TIV > 0 {
			out = append(out, PairFlow(l))
		}
	}
	slices.SortFunc(out, func(a, b PairFlow) int {
		return cmp.Or(cmp.Compare(b.TIV, a.TIV), cmp.Compare(a.Supplier, b.Supplier), cmp.Compare(a.Recipient, b.Recipient))
	})
	return out
}

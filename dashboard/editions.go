package dashboard

import (
	"cmp"
	"maps"
	"math"
	"net/url"
	"slices"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// Editions: the same yearly figure as each file held gives it. SIPRI
// revises its whole database every year, so a country's imports in a
// year differ between a listing generated in 2026, a TIV table of 2023
// and World Bank WDI's copy of an older release; setting them side by
// side shows the revisions.

// Edition is one dataset's yearly TIV of one side of one country, in
// millions (a volume measure, not money).
type Edition struct {
	Dataset data.Dataset
	// Years lists the years the edition gives, ascending. A listing, a
	// flows file and a TIV table give every year they cover, 0 for a year
	// without deliveries; WDI gives only the years it has a value for.
	Years []YearTIV
}

// Value returns the edition's figure for year y; ok is false when it
// gives none.
func (e Edition) Value(y int) (v float64, ok bool) {
	i, found := slices.BinarySearchFunc(e.Years, y, func(t YearTIV, y int) int { return cmp.Compare(t.Year, y) })
	if !found {
		return 0, false
	}
	return e.Years[i].TIV, true
}

// In returns e with only the years from..to (0: open).
func (e Edition) In(from, to int) Edition {
	out := Edition{Dataset: e.Dataset}
	for _, y := range e.Years {
		if (from == 0 || y.Year >= from) && (to == 0 || y.Year <= to) {
			out.Years = append(out.Years, y)
		}
	}
	return out
}

// editionKey is a country and a side.
type editionKey struct {
	country string
	imports bool
}

// Editions returns every edition the snapshot holds of country's imports
// (or exports), newest vintage first (undated last; equal vintages in the
// order below):
//
//   - each flow set that holds all of them (Coverage.ImportsComplete or
//     ExportsComplete): the sum of its flows by year, over the years it
//     covers;
//   - each TIV table's totals of the country against all countries
//     (Snapshot.TotalSets), over the years the table covers;
//   - each WDI file's SIPRI indicator (WDIImports, WDIExports) for the
//     country, matched by ISO 3166 code, in millions (value / 1e6), the
//     years with a value.
//
// Nil when none holds them. The index behind it is built once per
// snapshot, each flow set's editions once per set (setIndex, shared by
// the snapshots that hold it): callers must not change them.
func (d *Dashboard) Editions(country string, imports bool) []Edition {
	return d.editionIndex()[editionKey{country, imports}]
}

// EditionCountries lists the countries with an edition of either side,
// sorted.
func (d *Dashboard) EditionCountries() []string {
	seen := map[string]bool{}
	for k := range d.editionIndex() {
		seen[k.country] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// editionIndex builds (once) every edition of every country and side.
func (d *Dashboard) editionIndex() map[editionKey][]Edition {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.editions != nil {
		return d.editions
	}
	idx := map[editionKey][]Edition{}
	add := func(ds data.Dataset, sums map[editionKey]map[int]float64, from, to int) {
		for k, byYear := range sums {
			e := Edition{Dataset: ds}
			if from == 0 { // only the years given
				for y, v := range byYear {
					e.Years = append(e.Years, YearTIV{y, v})
				}
				slices.SortFunc(e.Years, func(a, b YearTIV) int { return cmp.Compare(a.Year, b.Year) })
			} else {
				for y := from; y <= to; y++ {
					e.Years = append(e.Years, YearTIV{y, byYear[y]})
				}
			}
			idx[k] = append(idx[k], e)
		}
	}
	for _, set := range d.snap.FlowSets {
		for k, e := range d.setIndexOf(set).flowEditions() {
			idx[k] = append(idx[k], e)
		}
	}
	for _, set := range d.snap.TotalSets {
		sums := map[editionKey]map[int]float64{}
		from, to := math.MaxInt, 0
		for _, f := range set.Flows {
			from, to = min(from, f.Year), max(to, f.Year)
			if f.Supplier == "" {
				addSum(sums, editionKey{f.Recipient, true}, f.Year, f.TIV)
			} else {
				addSum(sums, editionKey{f.Supplier, false}, f.Year, f.TIV)
			}
		}
		add(set.Dataset, sums, from, to)
	}
	for _, set := range d.snap.IndicatorSets {
		sums := map[editionKey]map[int]float64{}
		for _, v := range set.Values {
			if (v.Indicator != WDIImports && v.Indicator != WDIExports) || v.Aggregate {
				continue
			}
			c, ok := data.CountryByISO3(v.CountryCode)
			tiv, valid := v.TIVMillions()
			if ok && valid {
				addSum(sums, editionKey{c.Name, v.Indicator == WDIImports}, v.Year, tiv)
			}
		}
		add(set.Dataset, sums, 0, 0)
	}
	for _, eds := range idx {
		slices.SortStableFunc(eds, func(a, b Edition) int { return compareVintage(a.Dataset.Vintage, b.Dataset.Vintage) })
	}
	d.editions = idx
	return idx
}

// flowEditions returns (once) the editions the set gives: of every
// country and side it holds in full, the sum of its flows by year over
// every year the set covers.
func (ix *setIndex) flowEditions() map[editionKey]Edition {
	ix.editions.once.Do(func() {
		c := ix.coverage
		// Every year of the set, so each side's sums are a slice from
		// MinYear; a run of one supplier's flows (the order of a
		// listing's) looks its sums up once.
		span := c.MaxYear - c.MinYear + 1
		byKey := map[editionKey][]float64{}
		sumsOf := func(k editionKey) []float64 {
			v := byKey[k]
			if v == nil {
				v = make([]float64, span)
				byKey[k] = v
			}
			return v
		}
		var supplier string
		var exports []float64
		for i, f := range ix.set.Flows {
			if c.ImportsComplete(f.Recipient) {
				sumsOf(editionKey{f.Recipient, true})[f.Year-c.MinYear] += f.TIV
			}
			if i == 0 || f.Supplier != supplier {
				supplier, exports = f.Supplier, nil
				if c.ExportsComplete(f.Supplier) {
					exports = sumsOf(editionKey{f.Supplier, false})
				}
			}
			if exports != nil {
				exports[f.Year-c.MinYear] += f.TIV
			}
		}
		ix.editions.byKey = make(map[editionKey]Edition, len(byKey))
		for k, v := range byKey {
			e := Edition{Dataset: ix.set.Dataset, Years: make([]YearTIV, span)}
			for i, tiv := range v {
				e.Years[i] = YearTIV{c.MinYear + i, tiv}
			}
			ix.editions.byKey[k] = e
		}
	})
	return ix.editions.byKey
}

// addSum adds v to sums[k][year].
func addSum(sums map[editionKey]map[int]float64, k editionKey, year int, v float64) {
	if sums[k] == nil {
		sums[k] = map[int]float64{}
	}
	sums[k][year] += v
}

// compareVintage orders vintages newest first, undated last.
func compareVintage(a, b string) int {
	if (a == "") != (b == "") {
		return cmp.Compare(len(b), len(a)) // dated first
	}
	return cmp.Compare(b, a)
}

// Revision is one year as the editions that give it differ.
type Revision struct {
	Year int
	// Values holds each edition's figure, in the order of the editions
	// given to Revisions; NaN where one gives none.
	Values []float64
	// Spread is the largest figure less the smallest, in millions of TIV;
	// High and Low index the editions that give them.
	Spread    float64
	High, Low int
}

// Revisions returns the years from..to (0: open) that two or more of eds
// give with different figures, the largest Spread first (equal spreads
// by year), at most n (n <= 0: all). A year the editions agree on is no
// revision.
func Revisions(eds []Edition, from, to, n int) []Revision {
	years := map[int]bool{}
	for _, e := range eds {
		for _, y := range e.In(from, to).Years {
			years[y.Year] = true
		}
	}
	var out []Revision
	for y := range years {
		r := Revision{Year: y, Values: make([]float64, len(eds)), High: -1, Low: -1}
		for i, e := range eds {
			v, ok := e.Value(y)
			if !ok {
				r.Values[i] = math.NaN()
				continue
			}
			r.Values[i] = v
			if r.High < 0 || v > r.Values[r.High] {
				r.High = i
			}
			if r.Low < 0 || v < r.Values[r.Low] {
				r.Low = i
			}
		}
		if r.High >= 0 && r.High != r.Low {
			if r.Spread = r.Values[r.High] - r.Values[r.Low]; r.Spread > 0 {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(a, b Revision) int {
		return cmp.Or(cmp.Compare(b.Spread, a.Spread), cmp.Compare(a.Year, b.Year))
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// FigureEdition is a figure reported in an article as one edition gives
// it: the release the article quotes, or a flow set held here.
type FigureEdition struct {
	Label    string // e.g. "SIPRI's 2022 release, as reported in 001_….txt", or a dataset label
	Vintage  string // the release year or the dataset's vintage; "" when undated
	Reported bool   // the figure as the article reports it
	// Percent is the share; nil when the edition cannot give it, and
	// Reason says why.
	Percent *float64
	Reason  string
}

// FigureEditions sets fig as reported beside the same share computed
// from every flow set held, newest vintage first: the overview's "72%
// then, 75% now" as one case of the editions of a figure.
func (d *Dashboard) FigureEditions(fig data.Figure) []FigureEdition {
	out := []FigureEdition{{Label: fig.Label(), Vintage: fig.Vintage, Reported: true, Percent: ptr(fig.Percent)}}
	for _, set := range d.snap.FlowSets {
		fi, err := d.Flows(set.Dataset.Name)
		if err != nil || fi.Set.Dataset.SHA256 != set.Dataset.SHA256 {
			continue
		}
		fc := checkFigure(fig, fi)
		fe := FigureEdition{Label: set.Dataset.Name + " (" + fi.Label() + ")", Vintage: set.Dataset.Vintage, Reason: fc.Reason}
		if fc.Computed != nil {
			if p := fc.Computed.Percent(); !math.IsNaN(p) {
				fe.Percent = &p
			}
		}
		out = append(out, fe)
	}
	slices.SortStableFunc(out[1:], func(a, b FigureEdition) int { return compareVintage(a.Vintage, b.Vintage) })
	return out
}

// FiguresAbout returns the reported figures about country's imports (a
// supplier's share of them) or exports (a recipient's share of them).
func (d *Dashboard) FiguresAbout(country string, imports bool) []data.Figure {
	var out []data.Figure
	for _, fig := range d.snap.Figures {
		supplierShare := fig.Measure == data.MeasureSupplierShare
		if imports && supplierShare && fig.Recipient == country || !imports && !supplierShare && fig.Supplier == country {
			out = append(out, fig)
		}
	}
	return out
}

// EditionsQuery asks for the editions of one side of one country's
// trade, over all years or a period.
type EditionsQuery struct {
	Country string
	Side    string // SideImports or SideExports
	// From and To bound the years, each 0 when open.
	From, To int
}

// Imports reports whether the query is about imports.
func (q EditionsQuery) Imports() bool { return q.Side == SideImports }

// Values returns the query's canonical URL parameters.
func (q EditionsQuery) Values() url.Values {
	v := url.Values{"country": {q.Country}, "side": {q.Side}}
	setOptionalPeriod(v, q.From, q.To)
	return v
}

// Period returns the years asked for, an open end as the first or last
// year any edition gives.
func (q EditionsQuery) Period(eds []Edition) analysis.Period {
	p := analysis.Period{From: q.From, To: q.To}
	for _, e := range eds {
		if len(e.Years) == 0 {
			continue
		}
		if q.From == 0 && (p.From == 0 || e.Years[0].Year < p.From) {
			p.From = e.Years[0].Year
		}
		if q.To == 0 && e.Years[len(e.Years)-1].Year > p.To {
			p.To = e.Years[len(e.Years)-1].Year
		}
	}
	return p
}

// ParseEditions reads an editions query: country (required; any country
// an edition gives, by its canonical name), side (imports or exports, by
// default imports), and from and to (optional years; from after to is
// recorded and both dropped). Every unusable value is recorded in p.
func (d *Dashboard) ParseEditions(p *Params) EditionsQuery {
	q := EditionsQuery{}
	q.Country = p.Country("country", "", CountrySpec{Known: d.EditionCountries(), Role: "a country", KnownLabel: "Countries with yearly imports or exports held", Dataset: "any dataset held"})
	q.Side = p.Choice("side", SideImports, []string{SideImports, SideExports})
	q.From, q.To = p.OptionalPeriod("showing every year")
	return q
}

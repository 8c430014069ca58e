package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// DyadQuery asks about one supplier and one recipient over a range of
// years: a supplier and a recipient the flow set covers, and years inside
// its coverage.
type DyadQuery struct {
	Supplier, Recipient string
	From, To            int
	// Dataset names the flow set when it is not the preferred one.
	Dataset string
	// Weight is what the events chart and the lagged correlation count
	// (see EventWeight).
	Weight EventWeight
}

// Values returns the query's canonical URL parameters.
func (q DyadQuery) Values() url.Values {
	v := url.Values{"supplier": {q.Supplier}, "recipient": {q.Recipient}}
	setPeriod(v, q.From, q.To, q.Dataset)
	q.Weight.Set(v)
	return v
}

// Link returns path with the query, e.g.
// "/dyad?from=1995&recipient=Pakistan&supplier=China&to=2024".
func (q DyadQuery) Link(path string) string { return path + "?" + q.Values().Encode() }

// Period returns From..To.
func (q DyadQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// ParseDyad reads a dyad query: dataset, supplier, recipient, from and to,
// each defaulting to the flow set's Default, and weight. It fails only
// when no flow set is loaded (ErrNoFlows); every unusable value is
// recorded in p and replaced by its default.
func (d *Dashboard) ParseDyad(p *Params) (*FlowIndex, DyadQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, DyadQuery{}, err
	}
	def := fi.Default
	q := DyadQuery{Dataset: name, Weight: ParseWeight(p)}
	c := fi.Coverage
	if same := sameCountry(p.Raw("supplier"), p.Raw("recipient")); same != "" {
		p.Fail(&InvalidParamError{Param: "recipient", Value: same,
			Msg:   fmt.Sprintf("supplier and recipient are both %s; choose two different countries", same),
			Using: fmt.Sprintf("showing %s → %s", def.Supplier, def.Recipient)})
		q.Supplier, q.Recipient = def.Supplier, def.Recipient
		q.From, q.To = readPeriod(p, fi, def.From, def.To)
		return fi, q, nil
	}
	q.Supplier = p.Country("supplier", def.Supplier, CountrySpec{Known: c.Suppliers, Role: "supplier", KnownLabel: "Suppliers with data", Dataset: fi.Label()})
	q.Recipient = p.Country("recipient", def.Recipient, CountrySpec{Known: c.Recipients, Role: "recipient", KnownLabel: fi.recipientsLabel(), Dataset: fi.Label()})
	if q.Supplier == q.Recipient {
		p.Fail(&InvalidParamError{Param: "recipient", Value: q.Recipient,
			Msg:   fmt.Sprintf("supplier and recipient are both %s; choose two different countries", q.Recipient),
			Using: fmt.Sprintf("showing %s → %s", def.Supplier, def.Recipient)})
		q.Supplier, q.Recipient = def.Supplier, def.Recipient
	}
	q.From, q.To = readPeriod(p, fi, def.From, def.To)
	return fi, q, nil
}

// sameCountry returns the country a and b both name (by canonical name,
// any case), or "" when they differ or either is empty.
func sameCountry(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	ca, _ := data.CanonicalCountry(a)
	cb, _ := data.CanonicalCountry(b)
	if !strings.EqualFold(ca, cb) {
		return ""
	}
	return Shorten(ca)
}

// readPeriod reads from and to for a page over fi: absent years take the
// defaults; a malformed year, or from after to, is recorded and the
// defaults shown; a range wholly outside the years fi covers is recorded
// and the defaults shown; a range reaching past them is narrowed to them
// with a notice.
func readPeriod(p *Params, fi *FlowIndex, defFrom, defTo int) (from, to int) {
	from, to = p.Year("from", defFrom), p.Year("to", defTo)
	lo, hi := fi.Coverage.MinYear, fi.Coverage.MaxYear
	using := fmt.Sprintf("showing %d–%d", defFrom, defTo)
	switch {
	case from > to:
		p.Fail(&InvalidParamError{Param: "from", Value: strconv.Itoa(from), Using: using,
			Msg: fmt.Sprintf("%d is after to (%d); the first year must not be after the last", from, to)})
		return defFrom, defTo
	case to < lo || from > hi:
		param := "from"
		if to < lo {
			param = "to"
		}
		p.Fail(&InvalidParamError{Param: param, Value: fmt.Sprintf("%d–%d", from, to), Using: using,
			Msg: fmt.Sprintf("no data for %d–%d: %s covers deliveries in %d–%d", from, to, fi.Label(), lo, hi)})
		return defFrom, defTo
	case from < lo || to > hi:
		asked := analysis.Period{From: from, To: to}
		from, to = max(from, lo), min(to, hi)
		p.Note("The data covers deliveries in %d–%d, so the range asked for, %s, was narrowed to %d–%d.", lo, hi, asked, from, to)
	}
	return from, to
}

// setPeriod adds from, to and (when not "") dataset to v.
func setPeriod(v url.Values, from, to int, dataset string) {
	v.Set("from", strconv.Itoa(from))
	v.Set("to", strconv.Itoa(to))
	if dataset != "" {
		v.Set("dataset", dataset)
	}
}

// setOptionalPeriod adds from and to to v, each only when not 0 (open).
func setOptionalPeriod(v url.Values, from, to int) {
	if from != 0 {
		v.Set("from", strconv.Itoa(from))
	}
	if to != 0 {
		v.Set("to", strconv.Itoa(to))
	}
}

// CountryQuery asks about one country's imports and exports over a range
// of years.
type CountryQuery struct {
	Name     string
	From, To int
	Dataset  string // the flow set when it is not the preferred one
}

// Values returns the query's canonical URL parameters.
func (q CountryQuery) Values() url.Values {
	v := url.Values{"name": {q.Name}}
	setPeriod(v, q.From, q.To, q.Dataset)
	return v
}

// Link returns path with the query, e.g.
// "/country?from=2020&name=Pakistan&to=2024".
func (q CountryQuery) Link(path string) string { return path + "?" + q.Values().Encode() }

// Period returns From..To.
func (q CountryQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// CountryLink is the country page of name over the same period and data.
func (q CountryQuery) CountryLink(name string) string {
	q.Name = name
	return q.Link("/country")
}

// ParseCountry reads a country query: dataset; name, by default the
// recipient of the flow set's default pair; from and to, by default the
// last five years the set covers.
func (d *Dashboard) ParseCountry(p *Params) (*FlowIndex, CountryQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, CountryQuery{}, err
	}
	q := CountryQuery{Dataset: name}
	q.Name = p.Country("name", fi.Default.Recipient, CountrySpec{Known: fi.Coverage.Countries(), Role: "a country", KnownLabel: "Countries with data", Dataset: fi.Label()})
	from, to := lastFive(fi)
	q.From, q.To = readPeriod(p, fi, from, to)
	return fi, q, nil
}

// lastFive returns the last five years fi covers (fewer when it covers
// fewer).
func lastFive(fi *FlowIndex) (from, to int) {
	return max(fi.Coverage.MinYear, fi.Coverage.MaxYear-4), fi.Coverage.MaxYear
}

// NetworkQuery asks for the supplier→recipient network of a period.
type NetworkQuery struct {
	From, To int
	Dataset  string
}

// Values returns the query's canonical URL parameters.
func (q NetworkQuery) Values() url.Values {
	v := url.Values{}
	setPeriod(v, q.From, q.To, q.Dataset)
	return v
}

// Period returns From..To.
func (q NetworkQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// ParseNetwork reads a network query: dataset, from and to (by default the
// last five years the set covers).
func (d *Dashboard) ParseNetwork(p *Params) (*FlowIndex, NetworkQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, NetworkQuery{}, err
	}
	q := NetworkQuery{Dataset: name}
	from, to := lastFive(fi)
	q.From, q.To = readPeriod(p, fi, from, to)
	return fi, q, nil
}

// CompareQuery asks for several countries' yearly imports (or exports)
// side by side.
type CompareQuery struct {
	Countries []string
	// Measure is SideImports or SideExports.
	Measure  string
	From, To int
	Dataset  string
}

// MaxCompared is the most countries one comparison draws.
const MaxCompared = 12

// Values returns the query's canonical parameters: the countries joined
// by "~", as Our World in Data writes a list in a URL.
func (q CompareQuery) Values() url.Values {
	v := url.Values{"country": {strings.Join(q.Countries, "~")}}
	if q.Measure != SideImports {
		v.Set("measure", q.Measure)
	}
	setPeriod(v, q.From, q.To, q.Dataset)
	return v
}

// Period returns From..To.
func (q CompareQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// ParseCompare reads a comparison: country (names separated by "~", each
// a country of the flow set; an unknown one is recorded with a suggestion
// and left out; by default the default pair's two countries), measure
// (imports or exports), from and to (by default every year the set
// covers) and dataset.
func (d *Dashboard) ParseCompare(p *Params) (*FlowIndex, CompareQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, CompareQuery{}, err
	}
	q := CompareQuery{Dataset: name}
	known := fi.Coverage.Countries()
	for _, raw := range strings.Split(p.Raw("country"), "~") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		c, ok := MatchCountry(raw, known)
		switch {
		case !ok:
			p.Fail(&InvalidParamError{Param: "country", Value: raw, Known: knownList(known), KnownLabel: "Countries with data",
				Msg:        fmt.Sprintf("no data for “%s” in %s", Shorten(raw), fi.Label()),
				Suggestion: Suggest(raw, known), Using: "it is left out"})
		case slices.Contains(q.Countries, c):
		case len(q.Countries) == MaxCompared:
			p.Fail(&InvalidParamError{Param: "country", Value: raw, Msg: fmt.Sprintf("at most %d countries can be compared", MaxCompared), Using: "the rest are left out"})
		default:
			q.Countries = append(q.Countries, c)
		}
	}
	if len(q.Countries) == 0 {
		q.Countries = []string{fi.Default.Recipient, fi.Default.Supplier}
	}
	q.Measure = p.Choice("measure", SideImports, []string{SideImports, SideExports})
	q.From, q.To = readPeriod(p, fi, fi.Coverage.MinYear, fi.Coverage.MaxYear)
	return fi, q, nil
}

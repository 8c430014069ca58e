package dashboard

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// Breakdowns and estimates: what SIPRI's per-delivery-year listing says
// beyond yearly totals. Its rows are summed in the store by supplier,
// recipient, year, armament category, status and local production
// (data.FlowSet.Details); from them a flow's TIV splits by any of the
// three, and every total has the part of it resting on SIPRI's estimates
// of numbers delivered or delivery years.

// The dimensions a breakdown splits TIV by (by=).
const (
	ByCategory        = "category"         // armament category, e.g. "Aircraft"
	ByStatus          = "status"           // New, Second hand, Second hand but modernized
	ByLocalProduction = "local_production" // Yes or No
)

// BreakdownDimensions lists the values of by=, the default first.
var BreakdownDimensions = []string{ByCategory, ByStatus, ByLocalProduction}

// DimensionLabel names a dimension in a sentence, e.g. "armament
// category".
func DimensionLabel(by string) string {
	switch by {
	case ByStatus:
		return "status"
	case ByLocalProduction:
		return "local production"
	}
	return "armament category"
}

// keyOf is the value of dimension by of d: its category ("not given"
// when empty), status, or "Yes" or "No" for local production.
func keyOf(d data.FlowDetail, by string) string {
	switch by {
	case ByStatus:
		return d.Status
	case ByLocalProduction:
		if d.LocalProduction {
			return "Yes"
		}
		return "No"
	}
	if d.Category == "" {
		return "not given"
	}
	return d.Category
}

// estimatedTransfers returns the TIV of details resting on SIPRI's
// estimates as transfers, what FlowIndex.EstimatedYearly sums: adjacent
// details of one supplier, recipient and year (all of them, as
// data.SumDetails sorts them) make one transfer, so a listing gives as
// many as it has flows rather than details (flows: their number, to
// allocate once).
func estimatedTransfers(details []data.FlowDetail, flows int) []analysis.Transfer {
	if len(details) == 0 {
		return nil
	}
	out := make([]analysis.Transfer, 0, flows)
	for _, d := range details {
		if i := len(out) - 1; i >= 0 && out[i].Supplier == d.Supplier && out[i].Recipient == d.Recipient && out[i].Year == d.Year {
			out[i].TIV += d.EstimatedTIV
			continue
		}
		out = append(out, analysis.Transfer{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, TIV: d.EstimatedTIV})
	}
	return out
}

// HasDetails reports whether fi's set is a listing that gives breakdowns
// and estimates (data.FlowSet.Details).
func (fi *FlowIndex) HasDetails() bool { return fi.Set.HasDetails() }

// NoDetails is the *NotDrawableError of a flow set that gives no
// breakdowns (an extract, a TIV table); nil when fi has details.
func (fi *FlowIndex) NoDetails() error {
	if fi.HasDetails() {
		return nil
	}
	return &NotDrawableError{Msg: fmt.Sprintf("Breakdowns by armament category, status and local production, and the part of each volume resting on SIPRI's estimates, need SIPRI's per-delivery-year listing; %s (%s) gives only yearly totals. Import the listing with armsdash import.",
		fi.Set.Dataset.Name, fi.Label())}
}

// EstimatedYearly returns the part of Yearly(supplier, recipient, from,
// to) resting on SIPRI's estimates: in each year, the TIV of the listing's
// rows whose "Numbers delivered is estimate" or "Delivery year is
// estimate" is Yes ("" on a side means any country). nil when fi has no
// details.
func (fi *FlowIndex) EstimatedYearly(supplier, recipient string, from, to int) []float64 {
	if !fi.HasDetails() {
		return nil
	}
	fi.indexEstimated()
	return analysis.YearlyTIV(rowsOf(fi.estimated.transfers, fi.estimated.runs, supplier, recipient), supplier, recipient, from, to)
}

// EstimatedShare is the percentage of the TIV supplier delivered to
// recipient over p ("" on a side: any country) that rests on SIPRI's
// estimates of numbers delivered or delivery years:
//
//	estimated share = 100 × Σ TIV(rows with an estimate flag Yes) / Σ TIV(rows)
//
// unrounded. nil when fi has no details or the total is 0 (undefined).
func (fi *FlowIndex) EstimatedShare(supplier, recipient string, p analysis.Period) *float64 {
	if !fi.HasDetails() {
		return nil
	}
	return shareOf(sum(fi.EstimatedYearly(supplier, recipient, p.From, p.To)), fi.Total(supplier, recipient, p))
}

// shareOf is 100 × part / total; nil when total is 0.
func shareOf(part, total float64) *float64 {
	if total == 0 {
		return nil
	}
	return ptr(100 * part / total)
}

func sum(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}
	return s
}

// BreakdownQuery asks for the TIV Supplier delivered to Recipient over
// From..To split by By; "" on a side means every country.
type BreakdownQuery struct {
	Supplier, Recipient string
	From, To            int
	By                  string // ByCategory, ByStatus or ByLocalProduction
	Dataset             string // the flow set when it is not the preferred one
}

// Values returns the query's canonical parameters: a side only when it
// names a country.
func (q BreakdownQuery) Values() url.Values {
	v := url.Values{"by": {q.By}}
	if q.Supplier != "" {
		v.Set("supplier", q.Supplier)
	}
	if q.Recipient != "" {
		v.Set("recipient", q.Recipient)
	}
	setPeriod(v, q.From, q.To, q.Dataset)
	return v
}

// Period returns From..To.
func (q BreakdownQuery) Period() analysis.Period { return analysis.Period{From: q.From, To: q.To} }

// ParseBreakdown reads a breakdown query: dataset; supplier and recipient
// (each optional, a country of the set; absent means every country; not
// both the same); from and to (both required, inside the years the set
// covers); by (one of BreakdownDimensions, default ByCategory). Every
// unusable value is recorded in p. err is ErrNoFlows with no flow set,
// and fi.NoDetails() when the set gives no breakdowns.
func (d *Dashboard) ParseBreakdown(p *Params) (*FlowIndex, BreakdownQuery, error) {
	fi, name, err := d.flowsParam(p)
	if err != nil {
		return nil, BreakdownQuery{}, err
	}
	c := fi.Coverage
	q := BreakdownQuery{Dataset: name}
	if p.Raw("supplier") != "" {
		q.Supplier = p.Country("supplier", "", CountrySpec{Known: c.Suppliers, Role: "supplier", KnownLabel: "Suppliers with data", Dataset: fi.Label()})
	}
	if p.Raw("recipient") != "" {
		q.Recipient = p.Country("recipient", "", CountrySpec{Known: c.Recipients, Role: "recipient", KnownLabel: "Recipients with data", Dataset: fi.Label()})
	}
	if q.Supplier != "" && q.Supplier == q.Recipient {
		p.Fail(&InvalidParamError{Param: "recipient", Value: q.Recipient, Msg: fmt.Sprintf("supplier and recipient are both %s; choose two different countries, or leave one out for all", q.Supplier)})
		q.Recipient = ""
	}
	q.From, q.To = requiredPeriod(p, fi)
	q.By = p.Choice("by", ByCategory, BreakdownDimensions)
	return fi, q, fi.NoDetails()
}

// BreakdownRow is one value of a breakdown's dimension over the period.
type BreakdownRow struct {
	Key string  `json:"key"`
	TIV float64 `json:"tiv"`
	// Share is the row's percentage of the total; nil when the total is 0.
	Share *float64 `json:"share"`
	// EstimatedShare is the percentage of the row's TIV resting on
	// SIPRI's estimates; nil when its TIV is 0.
	EstimatedShare *float64 `json:"estimated_share"`
	estimated      float64
}

// Breakdown is the answer to a BreakdownQuery: the total over the period
// split by one dimension. Percentages are unrounded.
type Breakdown struct {
	Supplier  string  `json:"supplier"`  // "" for every supplier
	Recipient string  `json:"recipient"` // "" for every recipient
	From      int     `json:"from"`
	To        int     `json:"to"`
	By        string  `json:"by"`
	TotalTIV  float64 `json:"total_tiv"`
	// EstimatedShare is the percentage of TotalTIV resting on SIPRI's
	// estimates of numbers delivered or delivery years; nil when the
	// total is 0.
	EstimatedShare *float64 `json:"estimated_share"`
	// Rows are the values of the dimension with deliveries in the
	// period, largest TIV first (ties by key).
	Rows         []BreakdownRow `json:"rows"`
	Unit         string         `json:"unit"`
	CountingRule string         `json:"counting_rule"`
	Dataset      DatasetInfo    `json:"dataset"`
	Notes        []string       `json:"notes,omitempty"`
}

// matches reports whether d is a delivery of q's sides.
func (q BreakdownQuery) matches(d data.FlowDetail) bool {
	return (q.Supplier == "" || d.Supplier == q.Supplier) && (q.Recipient == "" || d.Recipient == q.Recipient)
}

// Breakdown splits the TIV of a validated query q by q.By:
//
//	tiv(key)   = Σ TIV of the details of q's sides in q's period with that key
//	share(key) = 100 × tiv(key) / Σ tiv
//
// with the estimated shares of each row and of the total (see
// EstimatedShare). A row is listed for every key with deliveries in the
// period, even of 0 TIV. With no deliveries the rows are empty, the
// shares nil and a note says so.
func (fi *FlowIndex) Breakdown(q BreakdownQuery) *Breakdown {
	if q.Supplier == "" && q.Recipient == "" {
		b, _ := fi.BreakdownWithYears(q)
		return b
	}
	b, _ := fi.breakdown(q, false)
	return b
}

// breakdown computes Breakdown(q) and, when yearly, BreakdownYearly(q),
// in one pass over the details.
func (fi *FlowIndex) breakdown(q BreakdownQuery, yearly bool) (*Breakdown, BreakdownYears) {
	b := &Breakdown{Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To, By: q.By,
		Rows: []BreakdownRow{}, Unit: Unit, CountingRule: CountingRule, Dataset: InfoOf(fi.Set.Dataset)}
	type sums struct {
		row   BreakdownRow
		years []float64 // by year from q.From, when yearly
	}
	byKey := map[string]*sums{}
	var estimated float64
	p := q.Period()
	var last *sums // the key of the detail before, often the same
	for _, d := range fi.detailsOf(q.Supplier, q.Recipient) {
		if !p.Contains(d.Year) || !q.matches(d) {
			continue
		}
		if k := keyOf(d, q.By); last == nil || last.row.Key != k {
			if last = byKey[k]; last == nil {
				last = &sums{row: BreakdownRow{Key: k}}
				if yearly {
					last.years = make([]float64, q.To-q.From+1)
				}
				byKey[k] = last
			}
		}
		last.row.TIV += d.TIV
		last.row.estimated += d.EstimatedTIV
		b.TotalTIV += d.TIV
		estimated += d.EstimatedTIV
		if yearly {
			last.years[d.Year-q.From] += d.TIV
		}
	}
	all := make([]*sums, 0, len(byKey))
	for _, s := range byKey {
		r := &s.row
		r.Share, r.EstimatedShare = shareOf(r.TIV, b.TotalTIV), shareOf(r.estimated, r.TIV)
		r.TIV = Clean(r.TIV)
		all = append(all, s)
	}
	slices.SortFunc(all, func(x, y *sums) int {
		return cmp.Or(cmp.Compare(y.row.TIV, x.row.TIV), cmp.Compare(x.row.Key, y.row.Key))
	})
	by := BreakdownYears{From: q.From}
	for _, s := range all {
		b.Rows = append(b.Rows, s.row)
		if yearly {
			by.Keys, by.Values = append(by.Keys, s.row.Key), append(by.Values, s.years)
		}
	}
	b.EstimatedShare = shareOf(estimated, b.TotalTIV)
	b.TotalTIV = Clean(b.TotalTIV)
	if b.TotalTIV == 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("No deliveries %s are recorded with TIV in %s, so the shares are undefined (null).", q.sides(), p))
	}
	return b, by
}

// sides words the query's sides, e.g. "from China to Pakistan", "to
// Pakistan", "between any countries".
func (q BreakdownQuery) sides() string {
	switch {
	case q.Supplier != "" && q.Recipient != "":
		return "from " + q.Supplier + " to " + q.Recipient
	case q.Supplier != "":
		return "from " + q.Supplier
	case q.Recipient != "":
		return "to " + q.Recipient
	}
	return "between any countries"
}

// BreakdownYears is a breakdown year by year: Values[k][i] is the TIV of
// Keys[k] in year From+i.
type BreakdownYears struct {
	From   int
	Keys   []string
	Values [][]float64
}

// BreakdownYearly splits the TIV of a validated query q by q.By in each
// year of its period. Keys are ordered as Breakdown(q).Rows, so a key
// keeps its place (and colour) in the chart and the table.
func (fi *FlowIndex) BreakdownYearly(q BreakdownQuery) BreakdownYears {
	_, by := fi.breakdown(q, true)
	return by
}

// BreakdownWithYears returns Breakdown(q) and BreakdownYearly(q), read
// from the details in one pass. The world's (no side named) is computed
// once per flow set, period and dimension (periodCache) and shared:
// callers must not change it.
func (fi *FlowIndex) BreakdownWithYears(q BreakdownQuery) (*Breakdown, BreakdownYears) {
	if q.Supplier != "" || q.Recipient != "" || !slices.Contains(BreakdownDimensions, q.By) {
		return fi.breakdown(q, true)
	}
	wb := fi.periods.of(q.Period()).worldBreakdown(q.By)
	wb.once.Do(func() { wb.b, wb.years = fi.breakdown(q, true) })
	return wb.b, wb.years
}

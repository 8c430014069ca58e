package dashboard

import (
	"fmt"
	"math"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// Unit and CountingRule are what every TIV figure is.
const (
	Unit         = "SIPRI TIV, millions (volume, not money)"
	CountingRule = "deliveries by delivery year"
)

// DatasetInfo is the provenance carried with every figure.
type DatasetInfo struct {
	Name        string `json:"name"`
	Source      string `json:"source"`
	Vintage     string `json:"vintage"`
	Attribution string `json:"attribution"`
}

// InfoOf returns the provenance of d.
func InfoOf(d data.Dataset) DatasetInfo {
	return DatasetInfo{Name: d.Name, Source: d.Source, Vintage: d.Vintage, Attribution: d.Attribution}
}

// ShareQuery asks for a supplier's share of a recipient's imports and the
// recipient's share of the supplier's exports over From..To.
type ShareQuery struct {
	Supplier, Recipient string
	From, To            int
	Dataset             string // flow set name; "" for the preferred one
}

// TIVTotals are the sums behind the shares, in millions of TIV.
type TIVTotals struct {
	SupplierToRecipient   float64  `json:"supplier_to_recipient"`
	RecipientImportsTotal *float64 `json:"recipient_imports_total"` // nil when the set does not hold them all
	SupplierExportsTotal  *float64 `json:"supplier_exports_total"`  // nil when the set does not hold them all
	// EstimatedShare gives, for each total, the percentage of it resting
	// on SIPRI's estimates of numbers delivered or delivery years (see
	// FlowIndex.EstimatedShare); nil when the set is not a listing.
	EstimatedShare *EstimatedShares `json:"estimated_share"`
}

// EstimatedShares are the estimated shares of the TIVTotals, unrounded
// percentages; each nil when its total is nil or 0.
type EstimatedShares struct {
	SupplierToRecipient   *float64 `json:"supplier_to_recipient"`
	RecipientImportsTotal *float64 `json:"recipient_imports_total"`
	SupplierExportsTotal  *float64 `json:"supplier_exports_total"`
}

// EstimatesText says how much of each total behind the shares rests on
// SIPRI's estimates, as SIPRI rounds percentages, e.g. "Resting on SIPRI's
// estimates of numbers delivered or delivery years: 70% of the TIV from
// China to Pakistan, 62% of Pakistan's imports and 70% of China's
// exports."; "" when the data give no estimates.
func (sh *Shares) EstimatesText() string {
	e := sh.TIV.EstimatedShare
	if e == nil {
		return ""
	}
	var parts []string
	for _, p := range []struct {
		share *float64
		what  string
	}{
		{e.SupplierToRecipient, fmt.Sprintf("the TIV from %s to %s", sh.Supplier, sh.Recipient)},
		{e.RecipientImportsTotal, sh.Recipient + "'s imports"},
		{e.SupplierExportsTotal, sh.Supplier + "'s exports"},
	} {
		if p.share != nil {
			parts = append(parts, analysis.FormatPercent(*p.share)+" of "+p.what)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	last := parts[len(parts)-1]
	if len(parts) > 1 {
		last = strings.Join(parts[:len(parts)-1], ", ") + " and " + last
	}
	return "Resting on SIPRI's estimates of numbers delivered or delivery years: " + last + "."
}

// estimatedShares returns the estimated shares of the totals t of q over
// fi; nil when fi has no details.
func (fi *FlowIndex) estimatedShares(q ShareQuery, t TIVTotals) *EstimatedShares {
	if !fi.HasDetails() {
		return nil
	}
	p := analysis.Period{From: q.From, To: q.To}
	e := &EstimatedShares{SupplierToRecipient: fi.EstimatedShare(q.Supplier, q.Recipient, p)}
	if t.RecipientImportsTotal != nil {
		e.RecipientImportsTotal = fi.EstimatedShare("", q.Recipient, p)
	}
	if t.SupplierExportsTotal != nil {
		e.SupplierExportsTotal = fi.EstimatedShare(q.Supplier, "", p)
	}
	return e
}

// Shares is the answer to a ShareQuery. Shares are unrounded percentages;
// a nil share could not be computed, and Notes say why.
type Shares struct {
	Supplier                        string      `json:"supplier"`
	Recipient                       string      `json:"recipient"`
	From                            int         `json:"from"`
	To                              int         `json:"to"`
	SupplierShareOfRecipientImports *float64    `json:"supplier_share_of_recipient_imports"`
	RecipientShareOfSupplierExports *float64    `json:"recipient_share_of_supplier_exports"`
	TIV                             TIVTotals   `json:"tiv"`
	Unit                            string      `json:"unit"`
	CountingRule                    string      `json:"counting_rule"`
	Dataset                         DatasetInfo `json:"dataset"`
	Notes                           []string    `json:"notes,omitempty"`
}

// Period returns From..To.
func (s *Shares) Period() analysis.Period { return analysis.Period{From: s.From, To: s.To} }

// ParseShares reads supplier, recipient, from and to (all required, the
// years inside the set's coverage) and dataset (optional). It returns the
// flow set and the query; every unusable value is recorded in p. err is
// ErrNoFlows when there is no flow set.
func (d *Dashboard) ParseShares(p *Params) (*FlowIndex, ShareQuery, error) {
	fi, _, err := d.flowsParam(p)
	if err != nil {
		return nil, ShareQuery{}, err
	}
	c := fi.Coverage
	q := ShareQuery{Dataset: fi.Set.Dataset.Name}
	q.Supplier = p.Country("supplier", "", CountrySpec{Known: c.Suppliers, Role: "supplier"})
	q.Recipient = p.Country("recipient", "", CountrySpec{Known: c.Recipients, Role: "a recipient whose imports it holds in full"})
	if q.Supplier != "" && q.Supplier == q.Recipient {
		p.Fail(&InvalidParamError{Param: "recipient", Value: q.Recipient, Msg: fmt.Sprintf("supplier and recipient are both %s; choose two different countries", q.Supplier)})
	}
	q.From, q.To = requiredPeriod(p, fi)
	return fi, q, nil
}

// requiredPeriod reads from and to, both required and inside the years fi
// covers, from not after to.
func requiredPeriod(p *Params, fi *FlowIndex) (from, to int) {
	lo, hi, what := fi.Coverage.MinYear, fi.Coverage.MaxYear, fi.Label()
	from, okFrom := p.RequiredYear("from", lo, hi, what)
	to, okTo := p.RequiredYear("to", lo, hi, what)
	if okFrom && okTo && from > to {
		p.Fail(&InvalidParamError{Param: "from", Value: fmt.Sprint(from), Msg: fmt.Sprintf("%d is after to (%d); the first year must not be after the last", from, to)})
	}
	return from, to
}

// Shares computes the shares of a validated query q over fi.
func (fi *FlowIndex) Shares(q ShareQuery) *Shares {
	p := analysis.Period{From: q.From, To: q.To}
	out := &Shares{
		Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To,
		Unit: Unit, CountingRule: CountingRule, Dataset: InfoOf(fi.Set.Dataset),
	}
	c, label := fi.Coverage, fi.Label()
	imp := fi.SupplierShare(q.Supplier, q.Recipient, p)
	out.TIV.SupplierToRecipient, out.TIV.RecipientImportsTotal = Clean(imp.Part), ptr(Clean(imp.Total))
	switch {
	case !c.ImportsComplete(q.Recipient):
		out.TIV.RecipientImportsTotal = nil
		out.Notes = append(out.Notes, fmt.Sprintf("%s does not hold all of %s's imports, so %s's share of them cannot be computed (null).", label, q.Recipient, q.Supplier))
	case imp.Total == 0:
		out.Notes = append(out.Notes, fmt.Sprintf("%s imported nothing in %s, so %s's share of its imports is undefined (null).", q.Recipient, p, q.Supplier))
	default:
		out.SupplierShareOfRecipientImports = ptr(imp.Percent())
	}
	if !c.ExportsComplete(q.Supplier) {
		out.Notes = append(out.Notes, fmt.Sprintf("%s does not hold all of %s's exports, so %s's share of them cannot be computed (null).", label, q.Supplier, q.Recipient))
		out.TIV.EstimatedShare = fi.estimatedShares(q, out.TIV)
		return out
	}
	exp := fi.RecipientShare(q.Supplier, q.Recipient, p)
	out.TIV.SupplierExportsTotal = ptr(Clean(exp.Total))
	if exp.Total == 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s exported nothing in %s, so %s's share of its exports is undefined (null).", q.Supplier, p, q.Recipient))
	} else {
		out.RecipientShareOfSupplierExports = ptr(exp.Percent())
	}
	out.TIV.EstimatedShare = fi.estimatedShares(q, out.TIV)
	return out
}

func ptr(v float64) *float64 { return &v }

// Clean rounds a TIV sum to six decimals, removing the binary noise of
// adding (3026.6300000000006) but nothing of SIPRI's three decimals.
func Clean(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// Sides of a ranking.
const (
	SideRecipient = "recipient" // rank the country's suppliers
	SideSupplier  = "supplier"  // rank the country's customers
)

// RankingQuery asks for the partners of one country over a period.
type RankingQuery struct {
	Side    string // SideRecipient or SideSupplier
	Country string
	Period  analysis.Period
	Top     int
}

// Partner is one line of a Ranking.
type Partner struct {
	Name    string   `json:"name"`
	TIV     float64  `json:"tiv"`
	Percent *float64 `json:"percent"`
	Others  bool     `json:"others,omitempty"`
}

// Ranking is a country's suppliers or customers over a period, largest
// first, with the HHI of all of them (not only the top ones).
type Ranking struct {
	Recipient string    `json:"recipient,omitempty"`
	Supplier  string    `json:"supplier,omitempty"`
	From      int       `json:"from"`
	To        int       `json:"to"`
	Top       int       `json:"top"`
	Partners  []Partner `json:"partners"`
	TotalTIV  float64   `json:"total_tiv"`
	// EstimatedShare is the percentage of TotalTIV resting on SIPRI's
	// estimates of numbers delivered or delivery years; nil when the set
	// is not a listing or the total is 0.
	EstimatedShare *float64    `json:"estimated_share"`
	HHI            *float64    `json:"hhi"`
	Unit           string      `json:"unit"`
	CountingRule   string      `json:"counting_rule"`
	Dataset        DatasetInfo `json:"dataset"`
	Notes          []string    `json:"notes,omitempty"`
	// Count is how many partners there are in all, Top or not.
	Count int `json:"-"`
}

// MaxTop is the largest top= of a ranking.
const MaxTop = 100

// ParseRanking reads recipient= or supplier= (exactly one), from, to
// (required), top (default 10, 1 to MaxTop) and dataset.
func (d *Dashboard) ParseRanking(p *Params) (*FlowIndex, RankingQuery, error) {
	fi, _, err := d.flowsParam(p)
	if err != nil {
		return nil, RankingQuery{}, err
	}
	c := fi.Coverage
	var q RankingQuery
	rec, sup := p.Raw("recipient"), p.Raw("supplier")
	switch {
	case rec != "" && sup != "":
		p.Fail(&InvalidParamError{Param: "supplier", Value: sup, Msg: "give either recipient= (to rank its suppliers) or supplier= (to rank its customers), not both"})
	case rec != "":
		q.Side = SideRecipient
		q.Country = p.Country("recipient", "", CountrySpec{Known: c.Recipients, Role: "a recipient whose imports it holds in full"})
	case sup != "":
		q.Side = SideSupplier
		q.Country = p.Country("supplier", "", CountrySpec{Known: c.Suppliers, Role: "supplier"})
	default:
		p.Fail(&InvalidParamError{Param: "recipient", Msg: "missing; give recipient= (to rank its suppliers) or supplier= (to rank its customers)"})
	}
	q.Period.From, q.Period.To = requiredPeriod(p, fi)
	q.Top = p.Int("top", 10, 1, MaxTop, "number of partners")
	switch {
	case q.Country == "":
	case q.Side == SideRecipient && !c.ImportsComplete(q.Country):
		p.Fail(&InvalidParamError{Param: "recipient", Value: q.Country, Msg: fmt.Sprintf("%s does not hold all of %s's imports, so its suppliers cannot be ranked", fi.Label(), q.Country)})
	case q.Side == SideSupplier && !c.CustomersByCountry(q.Country):
		p.Fail(&InvalidParamError{Param: "supplier", Value: q.Country, Msg: fi.CustomersUnavailable(q.Country)})
	}
	return fi, q, nil
}

// ImportsReason says why fi cannot give country's imports, or "".
func (fi *FlowIndex) ImportsReason(country string) string {
	if fi.Coverage.ImportsComplete(country) {
		return ""
	}
	return fmt.Sprintf("%s does not hold all of %s's imports (it holds only those of %s), so they are not shown.", fi.Label(), country, joinOr(fi.Coverage.CompleteImporters(), "no country"))
}

// ExportsReason says why fi cannot give country's yearly exports, or "".
func (fi *FlowIndex) ExportsReason(country string) string {
	if fi.Coverage.ExportsComplete(country) {
		return ""
	}
	return fmt.Sprintf("%s does not hold all of %s's exports, so they are not shown.", fi.Label(), country)
}

// CustomersUnavailable says why supplier's customers cannot be ranked.
func (fi *FlowIndex) CustomersUnavailable(supplier string) string {
	if fi.Coverage.ExportsComplete(supplier) {
		return fmt.Sprintf("%s holds %s's exports only as a total, not by recipient, so its customers cannot be ranked. Import SIPRI's full listing for that.", fi.Label(), supplier)
	}
	return fmt.Sprintf("%s does not hold %s's exports, so its customers cannot be ranked.", fi.Label(), supplier)
}

// Ranking ranks the partners of a validated query.
func (fi *FlowIndex) Ranking(q RankingQuery) *Ranking {
	r := &Ranking{From: q.Period.From, To: q.Period.To, Top: q.Top, Unit: Unit, CountingRule: CountingRule, Dataset: InfoOf(fi.Set.Dataset), Partners: []Partner{}}
	rank := analysis.RankRecipients
	if q.Side == SideRecipient {
		r.Recipient, rank = q.Country, analysis.RankSuppliers
	} else {
		r.Supplier = q.Country
	}
	r.EstimatedShare = fi.EstimatedShare(r.Supplier, r.Recipient, q.Period)
	ts := fi.transfersOf(r.Supplier, r.Recipient)
	all := rank(ts, q.Country, q.Period, 0)
	r.Count = len(all)
	tivs := make([]float64, len(all))
	for i, p := range all {
		tivs[i] = p.TIV
		r.TotalTIV += p.TIV
	}
	r.TotalTIV = Clean(r.TotalTIV)
	if h := analysis.HHI(tivs); !math.IsNaN(h) {
		r.HHI = &h
	}
	for _, p := range rank(ts, q.Country, q.Period, q.Top) {
		pt := Partner{Name: p.Name, TIV: Clean(p.TIV), Others: p.Others}
		if !math.IsNaN(p.Percent) {
			pt.Percent = ptr(p.Percent)
		}
		r.Partners = append(r.Partners, pt)
	}
	if len(all) == 0 {
		dir := "from"
		if q.Side == SideRecipient {
			dir = "to"
		}
		r.Notes = append(r.Notes, fmt.Sprintf("No deliveries %s %s are recorded in %s; shares and HHI are undefined (null).", dir, q.Country, q.Period))
	}
	return r
}

func joinOr(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	out := list[0]
	for _, s := range list[1:] {
		out += ", " + s
	}
	return out
}

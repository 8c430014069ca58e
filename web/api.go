package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// This file holds the computation shared by the JSON API, the dyad and
// country pages and `armsdash share`: validating a query against a flow
// set, and the shares and rankings it implies.

// Unit and CountingRule are what every TIV figure of the API is.
const (
	Unit         = "SIPRI TIV, millions (volume, not money)"
	CountingRule = "deliveries by delivery year"
)

// ParamError is a query parameter (or command-line flag) that is missing
// or invalid. It unwraps to a 400 *RequestError, so HTML pages show it
// like any other bad request.
type ParamError struct {
	Param string   // the parameter's name, e.g. "from"
	Msg   string   // what was wrong, naming the value given
	Known []string // valid values, when there are few enough to list
}

// Error returns "parameter NAME: MSG".
func (e *ParamError) Error() string { return "parameter " + e.Param + ": " + e.Msg }

// Unwrap returns the error as the request error pages show.
func (e *ParamError) Unwrap() error {
	re := &RequestError{Status: http.StatusBadRequest, Msg: "Parameter " + e.Param + ": " + e.Msg}
	if len(e.Known) > 0 {
		re.Known, re.KnownLabel = e.Known, "Valid values of "+e.Param
	}
	return re
}

// DatasetInfo is the provenance carried with every figure.
type DatasetInfo struct {
	Name        string `json:"name"`
	Source      string `json:"source"`
	Vintage     string `json:"vintage"`
	Attribution string `json:"attribution"`
}

func datasetInfo(d data.Dataset) DatasetInfo {
	return DatasetInfo{Name: d.Name, Source: d.Source, Vintage: d.Vintage, Attribution: d.Attribution}
}

// selectFlows indexes the flow set named name in snap (the preferred one
// when name is ""). An unknown name is a *ParamError listing the sets.
func selectFlows(snap *data.Snapshot, name string) (*flowIndex, error) {
	set, ok := snap.FlowSet(name)
	if !ok {
		if name == "" {
			return nil, errNoFlows
		}
		var known []string
		for _, fs := range snap.FlowSets {
			known = append(known, fs.Dataset.Name)
		}
		return nil, &ParamError{Param: "dataset", Msg: fmt.Sprintf("no flow set named “%s” is loaded.", truncate(name)), Known: known}
	}
	if len(set.Flows) == 0 {
		return nil, errNoFlows
	}
	return newSetIndex(snap, set), nil
}

// requiredYear reads parameter name of v as a year in the data's coverage.
func requiredYear(v url.Values, name string, idx *flowIndex) (int, error) {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return 0, &ParamError{Param: name, Msg: fmt.Sprintf("missing; give a year from %d to %d.", idx.minYear, idx.maxYear)}
	}
	return checkYear(name, raw, idx)
}

// optionalYear is requiredYear with def for an absent parameter.
func optionalYear(v url.Values, name string, def int, idx *flowIndex) (int, error) {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return def, nil
	}
	return checkYear(name, raw, idx)
}

func checkYear(name, raw string, idx *flowIndex) (int, error) {
	y, err := strconv.Atoi(raw)
	if err != nil {
		return 0, &ParamError{Param: name, Msg: fmt.Sprintf("“%s” is not a year; give a year from %d to %d.", truncate(raw), idx.minYear, idx.maxYear)}
	}
	if y < idx.minYear || y > idx.maxYear {
		return 0, &ParamError{Param: name, Msg: fmt.Sprintf("%d is outside the years %s covers, %d–%d.", y, idx.set.Dataset.Label(), idx.minYear, idx.maxYear)}
	}
	return y, nil
}

// period reads from and to (defaults defFrom and defTo when absent, both
// required when defFrom is 0) and checks that from is not after to.
func readPeriod(v url.Values, idx *flowIndex, defFrom, defTo int) (analysis.Period, error) {
	var p analysis.Period
	var err error
	if defFrom == 0 {
		if p.From, err = requiredYear(v, "from", idx); err != nil {
			return p, err
		}
		if p.To, err = requiredYear(v, "to", idx); err != nil {
			return p, err
		}
	} else {
		if p.From, err = optionalYear(v, "from", defFrom, idx); err != nil {
			return p, err
		}
		if p.To, err = optionalYear(v, "to", defTo, idx); err != nil {
			return p, err
		}
	}
	if p.From > p.To {
		return p, &ParamError{Param: "from", Msg: fmt.Sprintf("%d is after to (%d); the first year must not be after the last.", p.From, p.To)}
	}
	return p, nil
}

// country resolves parameter param (value raw) against known, exactly or
// by canonical name; missing or unknown is a *ParamError.
func country(param, raw string, known []string, role string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", &ParamError{Param: param, Msg: "missing; name a country, e.g. " + param + "=" + exampleOf(known) + "."}
	}
	if slices.Contains(known, raw) {
		return raw, nil
	}
	if c, ok := data.CanonicalCountry(raw); ok && slices.Contains(known, c) {
		return c, nil
	}
	pe := &ParamError{Param: param, Msg: fmt.Sprintf("no data for “%s” as %s in this dataset.", truncate(raw), role)}
	if len(known) <= 300 {
		pe.Known = known
	}
	return "", pe
}

func exampleOf(known []string) string {
	if slices.Contains(known, "Pakistan") {
		return "Pakistan"
	}
	if len(known) > 0 {
		return url.QueryEscape(known[0])
	}
	return "Pakistan"
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

// ComputeShares reads supplier, recipient, from and to (all required)
// and dataset (optional) from v and checks them against snap, returning
// the shares. Every invalid value is a *ParamError naming its parameter.
func ComputeShares(snap *data.Snapshot, v url.Values) (*Shares, error) {
	idx, err := selectFlows(snap, strings.TrimSpace(v.Get("dataset")))
	if err != nil {
		return nil, err
	}
	return sharesQuery(idx, v)
}

// sharesQuery is ComputeShares on the flow set idx already selected.
func sharesQuery(idx *flowIndex, v url.Values) (*Shares, error) {
	var err error
	q := ShareQuery{Dataset: idx.set.Dataset.Name}
	if q.Supplier, err = country("supplier", v.Get("supplier"), idx.suppliers, "supplier"); err != nil {
		return nil, err
	}
	if q.Recipient, err = country("recipient", v.Get("recipient"), idx.recipients, "a recipient whose imports it holds in full"); err != nil {
		return nil, err
	}
	if q.Supplier == q.Recipient {
		return nil, &ParamError{Param: "recipient", Msg: fmt.Sprintf("supplier and recipient are both %s; choose two different countries.", q.Supplier)}
	}
	p, err := readPeriod(v, idx, 0, 0)
	if err != nil {
		return nil, err
	}
	q.From, q.To = p.From, p.To
	return sharesOf(idx, q), nil
}

// sharesOf computes the shares of a validated query.
func sharesOf(idx *flowIndex, q ShareQuery) *Shares {
	p := analysis.Period{From: q.From, To: q.To}
	out := &Shares{
		Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To,
		Unit: Unit, CountingRule: CountingRule, Dataset: datasetInfo(idx.set.Dataset),
	}
	imp := analysis.SupplierShare(idx.transfers, q.Supplier, q.Recipient, p)
	out.TIV.SupplierToRecipient, out.TIV.RecipientImportsTotal = clean(imp.Part), ptr(clean(imp.Total))
	switch {
	case !idx.importsComplete[q.Recipient]:
		out.TIV.RecipientImportsTotal = nil
		out.Notes = append(out.Notes, fmt.Sprintf("%s does not hold all of %s's imports, so %s's share of them cannot be computed (null).", idx.set.Dataset.Label(), q.Recipient, q.Supplier))
	case imp.Total == 0:
		out.Notes = append(out.Notes, fmt.Sprintf("%s imported nothing in %s, so %s's share of its imports is undefined (null).", q.Recipient, p, q.Supplier))
	default:
		out.SupplierShareOfRecipientImports = ptr(imp.Percent())
	}
	if !idx.exportsComplete[q.Supplier] {
		out.Notes = append(out.Notes, fmt.Sprintf("%s does not hold all of %s's exports, so %s's share of them cannot be computed (null).", idx.set.Dataset.Label(), q.Supplier, q.Recipient))
		return out
	}
	exp := analysis.RecipientShare(idx.transfers, q.Supplier, q.Recipient, p)
	out.TIV.SupplierExportsTotal = ptr(clean(exp.Total))
	if exp.Total == 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s exported nothing in %s, so %s's share of its exports is undefined (null).", q.Supplier, p, q.Recipient))
	} else {
		out.RecipientShareOfSupplierExports = ptr(exp.Percent())
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// clean rounds a TIV sum to six decimals, removing the binary noise of
// adding (3026.6300000000006) but nothing of SIPRI's three decimals.
func clean(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// RankingQuery asks for the partners of one country over a period.
type RankingQuery struct {
	Side    string // "recipient": rank its suppliers; "supplier": rank its customers
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
	Recipient    string      `json:"recipient,omitempty"`
	Supplier     string      `json:"supplier,omitempty"`
	From         int         `json:"from"`
	To           int         `json:"to"`
	Top          int         `json:"top"`
	Partners     []Partner   `json:"partners"`
	TotalTIV     float64     `json:"total_tiv"`
	HHI          *float64    `json:"hhi"`
	Unit         string      `json:"unit"`
	CountingRule string      `json:"counting_rule"`
	Dataset      DatasetInfo `json:"dataset"`
	Notes        []string    `json:"notes,omitempty"`
}

// maxTop is the largest top= accepted.
const maxTop = 100

// ComputeRanking reads recipient= or supplier= (exactly one), from, to,
// top (default 10) and dataset from v and ranks the country's partners.
func ComputeRanking(snap *data.Snapshot, v url.Values) (*Ranking, error) {
	idx, err := selectFlows(snap, strings.TrimSpace(v.Get("dataset")))
	if err != nil {
		return nil, err
	}
	return rankingQuery(idx, v)
}

// rankingQuery is ComputeRanking on the flow set idx already selected.
func rankingQuery(idx *flowIndex, v url.Values) (*Ranking, error) {
	var err error
	rec, sup := strings.TrimSpace(v.Get("recipient")), strings.TrimSpace(v.Get("supplier"))
	var q RankingQuery
	switch {
	case rec != "" && sup != "":
		return nil, &ParamError{Param: "supplier", Msg: "give either recipient= (to rank its suppliers) or supplier= (to rank its customers), not both."}
	case rec != "":
		q.Side = "recipient"
		if q.Country, err = country("recipient", rec, idx.recipients, "a recipient whose imports it holds in full"); err != nil {
			return nil, err
		}
	case sup != "":
		q.Side = "supplier"
		if q.Country, err = country("supplier", sup, idx.suppliers, "supplier"); err != nil {
			return nil, err
		}
	default:
		return nil, &ParamError{Param: "recipient", Msg: "missing; give recipient= (to rank its suppliers) or supplier= (to rank its customers)."}
	}
	if q.Period, err = readPeriod(v, idx, 0, 0); err != nil {
		return nil, err
	}
	q.Top = 10
	if raw := strings.TrimSpace(v.Get("top")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxTop {
			return nil, &ParamError{Param: "top", Msg: fmt.Sprintf("“%s” is not a whole number from 1 to %d.", truncate(raw), maxTop)}
		}
		q.Top = n
	}
	if q.Side == "recipient" && !idx.importsComplete[q.Country] {
		return nil, &ParamError{Param: "recipient", Msg: fmt.Sprintf("%s does not hold all of %s's imports, so its suppliers cannot be ranked.", idx.set.Dataset.Label(), q.Country)}
	}
	if q.Side == "supplier" && !customersRankable(idx, q.Country) {
		return nil, &ParamError{Param: "supplier", Msg: customersUnavailable(idx, q.Country)}
	}
	return rankingOf(idx, q), nil
}

// customersRankable reports whether the set holds supplier's exports
// country by country: a whole listing does; an extract holds at most
// their total.
func customersRankable(idx *flowIndex, supplier string) bool {
	return idx.set.Dataset.Format != data.FormatFlows && idx.exportsComplete[supplier]
}

// customersUnavailable says why supplier's customers cannot be ranked.
func customersUnavailable(idx *flowIndex, supplier string) string {
	if idx.exportsComplete[supplier] {
		return fmt.Sprintf("%s holds %s's exports only as a total, not by recipient, so its customers cannot be ranked. Import SIPRI's full listing for that.", idx.set.Dataset.Label(), supplier)
	}
	return fmt.Sprintf("%s does not hold %s's exports, so its customers cannot be ranked.", idx.set.Dataset.Label(), supplier)
}

// rankingOf ranks a validated query's partners.
func rankingOf(idx *flowIndex, q RankingQuery) *Ranking {
	r := &Ranking{From: q.Period.From, To: q.Period.To, Top: q.Top, Unit: Unit, CountingRule: CountingRule, Dataset: datasetInfo(idx.set.Dataset), Partners: []Partner{}}
	var all []analysis.Ranked
	if q.Side == "recipient" {
		r.Recipient = q.Country
		all = analysis.RankSuppliers(idx.transfers, q.Country, q.Period, 0)
	} else {
		r.Supplier = q.Country
		all = analysis.RankRecipients(idx.transfers, q.Country, q.Period, 0)
	}
	tivs := make([]float64, len(all))
	for i, p := range all {
		tivs[i] = p.TIV
		r.TotalTIV += p.TIV
	}
	r.TotalTIV = clean(r.TotalTIV)
	if h := analysis.HHI(tivs); !math.IsNaN(h) {
		r.HHI = &h
	}
	var top []analysis.Ranked
	if q.Side == "recipient" {
		top = analysis.RankSuppliers(idx.transfers, q.Country, q.Period, q.Top)
	} else {
		top = analysis.RankRecipients(idx.transfers, q.Country, q.Period, q.Top)
	}
	for _, p := range top {
		pt := Partner{Name: p.Name, TIV: clean(p.TIV), Others: p.Others}
		if !math.IsNaN(p.Percent) {
			pt.Percent = ptr(p.Percent)
		}
		r.Partners = append(r.Partners, pt)
	}
	if len(all) == 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("No deliveries %s %s are recorded in %s; shares and HHI are undefined (null).", map[bool]string{true: "to", false: "from"}[q.Side == "recipient"], q.Country, q.Period))
	}
	return r
}

// apiShares serves /api/v1/shares.
func (s *Server) apiShares(c *gin.Context) error {
	v := c.Request.URL.Query()
	idx, err := s.flowIndexFor(s.snapshot(c), v.Get("dataset"))
	if err != nil {
		return err
	}
	out, err := sharesQuery(idx, v)
	if err != nil {
		return err
	}
	return writeJSON(c, out)
}

// apiRankings serves /api/v1/rankings.
func (s *Server) apiRankings(c *gin.Context) error {
	v := c.Request.URL.Query()
	idx, err := s.flowIndexFor(s.snapshot(c), v.Get("dataset"))
	if err != nil {
		return err
	}
	out, err := rankingQuery(idx, v)
	if err != nil {
		return err
	}
	return writeJSON(c, out)
}

// writeJSON encodes v into a buffer and sends it.
func writeJSON(c *gin.Context, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
	return nil
}

// apiError is the body of every API error response.
type apiError struct {
	Error     string   `json:"error"`
	Param     string   `json:"param,omitempty"`
	Known     []string `json:"known,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
}

// handleJSON adapts an API handler to gin, turning a returned error into
// a JSON error response: a *ParamError or *RequestError with its status
// and message, anything else as a 500 with a generic message (the error
// itself is logged with the request id).
func (s *Server) handleJSON(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := h(c)
		if err == nil {
			return
		}
		status, body := http.StatusInternalServerError, apiError{RequestID: requestID(c)}
		var pe *ParamError
		var re *RequestError
		switch {
		case errors.As(err, &pe):
			status, body.Error, body.Param, body.Known = http.StatusBadRequest, pe.Error(), pe.Param, pe.Known
		case errors.As(err, &re):
			status, body.Error = re.Status, re.Msg
		default:
			s.log.Error("internal error", "request_id", body.RequestID, "path", c.Request.URL.Path, "err", err)
			body.Error = "internal error; report the request id"
		}
		b, merr := json.Marshal(body)
		if merr != nil {
			b = []byte(`{"error":"internal error"}`)
		}
		c.Data(status, "application/json; charset=utf-8", b)
		c.Abort()
	}
}

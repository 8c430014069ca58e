package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// The dyad page's sections below its charts: the whole-period shares
// (the computation of /api/v1/shares), change between the last two
// five-year periods, the event rate ratio, the lagged correlation of
// events and deliveries, and event markers on the TIV chart.

// rateConfidence is the level of the rate ratio's confidence interval.
const rateConfidence = 0.95

// changeRow is one line of the change table.
type changeRow struct {
	What, T1, T2, Change string
}

// rateView is the rate ratio of events between two periods.
type rateView struct {
	P1, P2          string
	C1, C2          int
	RR, CI, PValue  string
	Enough          bool
	Reason          string
	Undated, Dated  int
	OutsidePeriods  int
	Shown           bool // there are two periods to compare
	NoPeriodsReason string
}

// lagRow is one lag of the correlation table.
type lagRow struct {
	Lag, N            int
	Pearson, Spearman string
	Warning           string
}

// markerRow is one year marked on the TIV chart.
type markerRow struct {
	Year   int
	Count  int      // events between the pair dated in Year
	Events []string // "date type: summary"; none when the snapshot holds no event rows
}

// dyadStats is the view of the extra sections of the dyad page.
type dyadStats struct {
	Period                      string
	Shares                      *Shares
	SupplierShare, RecipientSh  string // SIPRI-rounded with the exact value
	SharesAPI                   string
	PartTIV, ImportsTIV         string // TIV behind the shares, formatted; "n/a" when not held
	ExportsTIV                  string
	SupplierLink, RecipientLink string
	Rule, DataLabel, EventLabel string
	ChangePeriods               string
	Changes                     []changeRow
	ChangeNote                  string
	Rates                       rateView
	Lags                        []lagRow
	LagNote                     string
	Markers                     bool
	MarkersToggle               string
	MarkerRows                  []markerRow
}

// pairEvents returns the events between a and b, either way round.
func pairEvents(events []data.Event, a, b string) []data.Event {
	var out []data.Event
	for _, e := range events {
		if e.SideA == a && e.SideB == b || e.SideA == b && e.SideB == a {
			out = append(out, e)
		}
	}
	return out
}

// pairCounts returns the counts of events between a and b, either way
// round.
func pairCounts(counts []data.EventCount, a, b string) []data.EventCount {
	var out []data.EventCount
	for _, c := range counts {
		if c.SideA == a && c.SideB == b || c.SideA == b && c.SideB == a {
			out = append(out, c)
		}
	}
	return out
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

// shareWithExact formats a share as SIPRI rounds it with two decimals.
func shareWithExact(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%s (%.2f%%)", analysis.FormatPercent(*p), *p)
}

// dyadStatsOf computes the extra sections for a validated dyad query.
func dyadStatsOf(idx *flowIndex, q dyadQuery, v url.Values) (*dyadStats, error) {
	markers := true
	switch m := strings.TrimSpace(v.Get("markers")); m {
	case "", "on":
	case "off":
		markers = false
	default:
		return nil, &ParamError{Param: "markers", Msg: fmt.Sprintf("“%s” is neither on nor off.", truncate(m)), Known: []string{"on", "off"}}
	}
	p := q.period()
	st := &dyadStats{
		Period: p.String(), Rule: tivRule, DataLabel: idx.set.Dataset.Label(), EventLabel: eventSourceLabel(idx.snap),
		Markers: markers,
	}
	cq := countryQuery{From: q.From, To: q.To, Dataset: q.Dataset}
	known := map[string]bool{}
	for _, c := range countries(idx) {
		known[c] = true
	}
	if known[q.Supplier] {
		st.SupplierLink = cq.countryLink(q.Supplier)
	}
	if known[q.Recipient] {
		st.RecipientLink = cq.countryLink(q.Recipient)
	}
	toggle := url.Values{}
	for k, vs := range q.values() {
		toggle[k] = vs
	}
	toggle.Set("markers", map[bool]string{true: "off", false: "on"}[markers])
	st.MarkersToggle = "/dyad?" + toggle.Encode() + "#chart-dyad-tiv-figure"

	// Whole-period shares: the computation of /api/v1/shares and `armsdash share`.
	st.Shares = sharesOf(idx, ShareQuery{Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To, Dataset: idx.set.Dataset.Name})
	st.SupplierShare = shareWithExact(st.Shares.SupplierShareOfRecipientImports)
	st.RecipientSh = shareWithExact(st.Shares.RecipientShareOfSupplierExports)
	st.PartTIV, st.ImportsTIV, st.ExportsTIV = millions(st.Shares.TIV.SupplierToRecipient), millionsOrNA(st.Shares.TIV.RecipientImportsTotal), millionsOrNA(st.Shares.TIV.SupplierExportsTotal)
	api := q.values()
	st.SharesAPI = "/api/v1/shares?" + api.Encode()

	// Change between the last two five-year periods.
	periods := analysis.FivePeriods(q.From, q.To)
	var p1, p2 analysis.Period
	if len(periods) >= 2 {
		p1, p2 = periods[len(periods)-2], periods[len(periods)-1]
		st.ChangePeriods = fmt.Sprintf("%s to %s", p1, p2)
		row := func(what string, ok bool, why string, supplier, recipient string) changeRow {
			r := changeRow{What: what}
			if !ok {
				r.T1, r.T2, r.Change = "n/a", "n/a", "n/a: "+why
				return r
			}
			t1 := sum(analysis.YearlyTIV(idx.transfers, supplier, recipient, p1.From, p1.To))
			t2 := sum(analysis.YearlyTIV(idx.transfers, supplier, recipient, p2.From, p2.To))
			r.T1, r.T2 = millions(t1), millions(t2)
			if pct, ok := analysis.Change(t1, t2); ok {
				r.Change = fmt.Sprintf("%+.0f%%", pct)
			} else {
				r.Change = "n/a (no deliveries in " + p1.String() + ")"
			}
			return r
		}
		notHeld := "not held in full by this dataset"
		st.Changes = []changeRow{
			row(q.Supplier+" → "+q.Recipient, true, "", q.Supplier, q.Recipient),
			row(q.Recipient+" → "+q.Supplier, idx.importsComplete[q.Supplier], q.Supplier+"'s imports are "+notHeld, q.Recipient, q.Supplier),
			row(q.Recipient+"'s imports from all suppliers", idx.importsComplete[q.Recipient], notHeld, "", q.Recipient),
			row(q.Supplier+"'s exports to all recipients", idx.exportsComplete[q.Supplier], notHeld, q.Supplier, ""),
		}
	} else {
		st.ChangeNote = fmt.Sprintf("%s holds fewer than two five-year periods; choose a range of at least ten years to compare them.", p)
	}

	// Events: rate ratio and lagged correlation, dated events only,
	// counted from the snapshot's EventCounts.
	perYear := map[int]int{} // dated events of the pair by year
	for _, c := range pairCounts(idx.snap.EventCounts, q.Supplier, q.Recipient) {
		if c.Year != 0 {
			perYear[c.Year] += int(c.Count)
			st.Rates.Dated += int(c.Count)
		} else {
			st.Rates.Undated += int(c.Count)
		}
	}
	if len(periods) >= 2 {
		st.Rates.Shown = true
		st.Rates.P1, st.Rates.P2 = p1.String(), p2.String()
		for y, n := range perYear {
			switch {
			case p1.Contains(y):
				st.Rates.C1 += n
			case p2.Contains(y):
				st.Rates.C2 += n
			default:
				st.Rates.OutsidePeriods += n
			}
		}
		rr, err := analysis.RateRatio(st.Rates.C1, float64(p1.To-p1.From+1), st.Rates.C2, float64(p2.To-p2.From+1), rateConfidence)
		if err != nil {
			return nil, err
		}
		st.Rates.RR, st.Rates.CI, st.Rates.PValue = num(rr.RR, 2), fmt.Sprintf("%s – %s", num(rr.Lower, 2), num(rr.Upper, 2)), num(rr.P, 3)
		st.Rates.Enough, st.Rates.Reason = rr.Enough, rr.Reason
	} else {
		st.Rates.NoPeriodsReason = st.ChangeNote
	}

	yrs := make([]int, 0, q.To-q.From+1)
	for y := q.From; y <= q.To; y++ {
		yrs = append(yrs, y)
	}
	eventsPerYear := analysis.EventsPerYear(nil, q.From, q.To)
	for y, n := range perYear {
		if y >= q.From && y <= q.To {
			eventsPerYear[y-q.From] += float64(n)
		}
	}
	for _, r := range analysis.LaggedCorrelation(yrs, eventsPerYear, analysis.YearlyTIV(idx.transfers, q.Supplier, q.Recipient, q.From, q.To), -3, 3) {
		st.Lags = append(st.Lags, lagRow{Lag: r.Lag, N: r.N, Pearson: num(r.Pearson, 2), Spearman: num(r.Spearman, 2), Warning: r.Warning})
	}
	if st.Rates.Dated == 0 {
		st.LagNote = fmt.Sprintf("No event between %s and %s has a known year, so yearly event counts are all zero and no correlation can be computed.", q.Supplier, q.Recipient)
	}

	// Markers: years of dated events in the period, with the events when
	// the snapshot holds their rows.
	byYear := map[int][]string{}
	for _, e := range pairEvents(idx.snap.Events, q.Supplier, q.Recipient) {
		if y := e.Year(); y != 0 && p.Contains(y) {
			byYear[y] = append(byYear[y], fmt.Sprintf("%s %s: %s", e.Date, e.Type, e.Summary))
		}
	}
	for y := q.From; y <= q.To; y++ {
		if perYear[y] > 0 && p.Contains(y) {
			st.MarkerRows = append(st.MarkerRows, markerRow{Year: y, Count: perYear[y], Events: byYear[y]})
		}
	}
	return st, nil
}

func millionsOrNA(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return millions(*v)
}

// num formats v with the given decimals, "n/a" for NaN and "∞" for +Inf.
func num(v float64, decimals int) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// withMarkers adds an ECharts markLine to the first series of the TIV
// chart: one vertical line per marked year, named by its event count.
func withMarkers(js template.JS, rows []markerRow) (template.JS, error) {
	if len(rows) == 0 {
		return js, nil
	}
	b, err := patchOptions([]byte(js), func(o map[string]any) {
		ss, _ := o["series"].([]any)
		if len(ss) == 0 {
			return
		}
		first, ok := ss[0].(map[string]any)
		if !ok {
			return
		}
		var lines []any
		for _, r := range rows {
			name := fmt.Sprintf("%d: %d event(s)", r.Year, r.Count)
			lines = append(lines, map[string]any{"xAxis": strconv.Itoa(r.Year), "name": name})
		}
		first["markLine"] = map[string]any{
			"symbol": []string{"none", "none"}, "silent": true, "animation": false,
			"lineStyle": map[string]any{"type": "dashed", "color": "#8a4b00"},
			"label":     map[string]any{"show": true, "formatter": "{b}", "position": "insideEndTop"},
			"data":      lines,
		}
	})
	return template.JS(b), err // safe: re-encoded by encoding/json, HTML-escaped
}

// addDyadStats fills page.Stats and marks event years on the TIV chart
// unless markers=off.
func (s *Server) addDyadStats(c *gin.Context, idx *flowIndex, q dyadQuery, page *dyadPage) error {
	st, err := dyadStatsOf(idx, q, c.Request.URL.Query())
	if err != nil {
		return err
	}
	page.Stats = st
	if !st.Markers {
		return nil
	}
	for i := range page.Charts {
		if page.Charts[i].ID == "chart-dyad-tiv" {
			if page.Charts[i].Options, err = withMarkers(page.Charts[i].Options, st.MarkerRows); err != nil {
				return err
			}
		}
	}
	return nil
}

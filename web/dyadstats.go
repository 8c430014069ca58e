package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
)

// The dyad page's sections below its charts: the whole-period shares
// (the computation of /api/v1/shares), change between the last two
// five-year periods, the event rate ratio, the lagged correlation of
// events and deliveries, and event markers on the TIV chart.

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

// dyadStats is the view of the extra sections of the dyad page.
type dyadStats struct {
	Period                      string
	Shares                      *dashboard.Shares
	SupplierShare, RecipientSh  string // SIPRI-rounded with the exact value
	SharesAPI                   string
	PartTIV, ImportsTIV         string // TIV behind the shares, formatted; "n/a" when not held
	ExportsTIV                  string
	Estimates                   string // how much of those totals rests on SIPRI's estimates (breakdown.go)
	SupplierLink, RecipientLink string
	Rule, DataLabel, EventLabel string
	LagCounts                   string // what the correlation's yearly series counts, by weight=
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

// shareWithExact formats a share as SIPRI rounds it with two decimals.
func shareWithExact(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return fmt.Sprintf("%s (%.2f%%)", analysis.FormatPercent(*p), *p)
}

// markerRow is one year marked on the TIV chart, as the page lists it.
type markerRow struct {
	Year   int
	Count  int      // events between the pair dated in Year
	Events []string // "date type: summary"; none when the snapshot holds no event rows
}

// dyadStatsView words the statistics st of q for the page, in display
// state state (for the markers toggle).
func dyadStatsView(d *dashboard.Dashboard, fi *dashboard.FlowIndex, q dashboard.DyadQuery, st *dashboard.DyadStats, state dashboard.ChartState) *dyadStats {
	p := q.Period()
	v := &dyadStats{
		Period: p.String(), Rule: tivRule, DataLabel: fi.Label(), EventLabel: eventSourceLabel(d),
		Markers: state.Markers, Shares: st.Shares, LagCounts: "count of dated events",
	}
	if w := q.Weight.OrDefault(); w != dashboard.WeightEvents {
		v.LagCounts = "count of dated events, " + w.Rule() + ","
	}
	cq := dashboard.CountryQuery{From: q.From, To: q.To, Dataset: q.Dataset}
	countries := fi.Coverage.Countries()
	if slices.Contains(countries, q.Supplier) {
		v.SupplierLink = cq.CountryLink(q.Supplier)
	}
	if slices.Contains(countries, q.Recipient) {
		v.RecipientLink = cq.CountryLink(q.Recipient)
	}
	toggle := q.Values()
	state.Markers = !state.Markers
	state.Set(toggle)
	v.MarkersToggle = "/dyad?" + toggle.Encode() + "#chart-dyad-tiv-figure"

	// Whole-period shares: the computation of /api/v1/shares and `armsdash share`.
	v.SupplierShare = shareWithExact(st.Shares.SupplierShareOfRecipientImports)
	v.RecipientSh = shareWithExact(st.Shares.RecipientShareOfSupplierExports)
	v.PartTIV, v.ImportsTIV, v.ExportsTIV = millions(st.Shares.TIV.SupplierToRecipient), millionsOrNA(st.Shares.TIV.RecipientImportsTotal), millionsOrNA(st.Shares.TIV.SupplierExportsTotal)
	shares := q.Values()
	shares.Del("weight") // the shares take no events
	v.SharesAPI = "/api/v1/shares?" + shares.Encode()
	v.Estimates = st.Shares.EstimatesText()

	if ch := st.Change; ch != nil {
		v.ChangePeriods = fmt.Sprintf("%s to %s", ch.First, ch.Second)
		for _, r := range ch.Rows {
			row := changeRow{What: r.What, T1: "n/a", T2: "n/a", Change: "n/a: " + r.Why}
			if r.Held {
				row.T1, row.T2 = millions(r.First), millions(r.Second)
				row.Change = "n/a (no deliveries in " + ch.First.String() + ")"
				if r.ChangeOK {
					row.Change = analysis.FormatChange(r.Percent)
				}
			}
			v.Changes = append(v.Changes, row)
		}
	} else {
		v.ChangeNote = fmt.Sprintf("%s holds fewer than two five-year periods; choose a range of at least ten years to compare them.", p)
	}

	v.Rates.Dated, v.Rates.Undated = st.Events.Dated, st.Events.Undated
	switch rc := st.Rates; {
	case rc != nil:
		rr := rc.Result
		v.Rates.Shown = true
		v.Rates.P1, v.Rates.P2 = rc.First.String(), rc.Second.String()
		v.Rates.C1, v.Rates.C2, v.Rates.OutsidePeriods = rc.C1, rc.C2, rc.Outside
		lo, hi := intervalText(rr.Lower, rr.Upper)
		v.Rates.RR, v.Rates.CI, v.Rates.PValue = num(rr.RR, 2), lo+" – "+hi, num(rr.PCentral, 3)
		v.Rates.Enough, v.Rates.Reason = rr.Enough, rr.Reason
	case st.TooFew != "":
		v.Rates.NoPeriodsReason = st.TooFew
	default:
		v.Rates.NoPeriodsReason = v.ChangeNote
	}
	for _, r := range st.Lags {
		v.Lags = append(v.Lags, lagRow{Lag: r.Lag, N: r.N, Pearson: num(r.Pearson, 2), Spearman: num(r.Spearman, 2), Warning: r.Warning})
	}
	switch {
	case st.Events.Dated == 0:
		v.LagNote = fmt.Sprintf("No event between %s and %s has a known year, so yearly event counts are all zero and no correlation can be computed.", q.Supplier, q.Recipient)
	case st.TooFew != "":
		v.LagNote = st.TooFew
	}
	for _, m := range st.Markers {
		row := markerRow{Year: m.Year, Count: m.Count}
		for _, e := range m.Events {
			line := fmt.Sprintf("%s %s: %s", e.Date, e.Type, e.Summary)
			if len(e.Also) > 0 {
				line += fmt.Sprintf(" (one event, in %d rows)", 1+len(e.Also))
			}
			row.Events = append(row.Events, line)
		}
		v.MarkerRows = append(v.MarkerRows, row)
	}
	return v
}

// intervalText writes the bounds of a rate ratio's interval with two
// decimals, rounded outward (the lower bound down, the upper up), and with
// more decimals where two would carry a bound to or across 1: the printed
// interval leaves out 1 exactly when the interval does, as the p-value
// beside it says. An infinite upper bound is "∞".
func intervalText(lo, hi float64) (string, string) {
	bound := func(v float64, round func(float64) float64) string {
		for d := 2; d < 6; d++ {
			p := math.Pow(10, float64(d))
			if r := round(v*p) / p; (r < 1) == (v < 1) && (r > 1) == (v > 1) {
				return num(r, d)
			}
		}
		return num(round(v*1e6)/1e6, 6)
	}
	return bound(lo, math.Floor), bound(hi, math.Ceil)
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
func withMarkers(js template.JS, rows []dashboard.Marker) (template.JS, error) {
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

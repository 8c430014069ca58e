package web

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// The world view (/world): SIPRI's fact-sheet table of top exporters and
// importers for any period, the world total per year, a world map and
// the largest flows, from a listing of all suppliers and recipients.

// worldChartQuery is the validated query of the world page's charts.
type worldChartQuery = flowQuery[dashboard.WorldQuery]

// parseWorld reads a world query.
var parseWorld = flowParser((*dashboard.Dashboard).ParseWorld)

// worldRowView is one line of the exporters' or importers' table, as
// SIPRI rounds it.
type worldRowView struct {
	Rank                  int
	Country, Link         string
	TIV                   string
	Share, PreviousShare  string
	Change                string
	Partners              []worldPartnerView
	ShareExact, ChangeRaw string // unrounded, for the title attribute
}

// worldPartnerView is one main partner, with its share of the country's
// total as SIPRI rounds it.
type worldPartnerView struct{ Country, Link, Share string }

// worldTable is the exporters' or importers' table.
type worldTable struct {
	Heading, Lower, Side, Partners string
	Period, Previous               string
	Count                          int
	Rows                           []worldRowView
}

// worldPage is the view model of world.html.
type worldPage struct {
	basePage
	Q                        dashboard.WorldQuery
	Period, Previous         string
	MinYear, MaxYear         int
	Total, Change            string
	Estimated                string // how much of Total rests on SIPRI's estimates (breakdown.go)
	HasPrevious              bool
	ExportTable, ImportTable worldTable
	Suppliers, Recipients    int
	Charts                   []chartView
	Missing                  []string
	Markers                  bool   // a listed name carries SIPRI's * or ** marker
	TopAll, TopDefault       string // links to all countries and to the top 10
	SideExports, SideImpts   string // links to the map of each side
	API                      string
	// Unavailable says why the data held give no world view.
	Unavailable string
}

// worldPageQuery is a validated /world query with the charts' state, or
// why the data held cannot give a world view.
type worldPageQuery struct {
	withState[worldChartQuery]
	Unavailable string
}

// parseWorldPage reads a /world query; data that cannot give a world view
// (an extract, a TIV table) are not an error of the page, which says why.
func parseWorldPage(r *rq) (worldPageQuery, error) {
	q, err := stateParser(parseWorld, dashboard.MeasureTIVOnly)(r)
	var nd *dashboard.NotDrawableError
	if errors.As(err, &nd) {
		return worldPageQuery{Unavailable: nd.Msg}, nil
	}
	return worldPageQuery{withState: q}, err
}

// world serves /world.
func (s *Server) world(r *rq, pq worldPageQuery) (*response, error) {
	if pq.Unavailable != "" {
		page := worldPage{Unavailable: pq.Unavailable}
		page.basePage = s.base(r.c, "The world's arms transfers", "world", "/world")
		return s.renderPage("world", page)
	}
	fi, q := pq.Q.fi, pq.Q.Q
	w := r.world(fi, q)
	page := worldPage{Q: q, Period: w.Period.String(), Previous: w.Previous.String(), MinYear: fi.Coverage.MinYear, MaxYear: fi.Coverage.MaxYear,
		Total: millions(w.Total), HasPrevious: w.HasPrevious, Suppliers: w.Suppliers, Recipients: w.Recipients}
	page.basePage = s.base(r.c, "The world's arms transfers, "+w.Period.String(), "world", link("/world", q.Values()))
	page.NeedCharts = true
	page.DataLabel = fi.Label()
	if w.Change != nil {
		page.Change = analysis.FormatChange(*w.Change)
	}
	page.Estimated = estimateText(w.EstimatedShare, "it")
	cq := dashboard.CountryQuery{From: q.From, To: q.To, Dataset: q.Dataset}
	page.ExportTable = worldTable{Heading: "Exporters", Lower: "exporters", Side: "exports", Partners: "recipients", Period: page.Period, Previous: page.Previous,
		Count: w.Suppliers, Rows: worldRows(w.Exporters, cq, true)}
	page.ImportTable = worldTable{Heading: "Importers", Lower: "importers", Side: "imports", Partners: "suppliers", Period: page.Period, Previous: page.Previous,
		Count: w.Recipients, Rows: worldRows(w.Importers, cq, false)}
	for _, rows := range [][]worldRowView{page.ExportTable.Rows, page.ImportTable.Rows} {
		for _, row := range rows {
			page.Markers = page.Markers || strings.HasSuffix(row.Country, "*")
		}
	}
	pc, err := s.pageCharts(r, "/world", pq.Q, pq.State)
	if err != nil {
		return nil, err
	}
	page.Charts, page.Missing = pc.Views, pc.Missing
	all, def, exp, imp := q, q, q, q
	all.Top, def.Top, exp.Side, imp.Side = 0, dashboard.DefaultWorldTop, dashboard.SideExports, dashboard.SideImports
	page.TopAll, page.TopDefault = link("/world", all.Values()), link("/world", def.Values())
	page.SideExports, page.SideImpts = link("/world", exp.Values())+"#chart-world-map", link("/world", imp.Values())+"#chart-world-map"
	page.API = link("/api/v1/world", q.Values())
	return s.renderPage("world", page)
}

// worldRows words ranked rows as SIPRI rounds them; exporters link their
// main recipients, importers their main suppliers, to the pair page.
func worldRows(rows []dashboard.WorldRow, cq dashboard.CountryQuery, exporters bool) []worldRowView {
	out := make([]worldRowView, 0, len(rows))
	for _, r := range rows {
		v := worldRowView{Rank: r.Rank, Country: r.Country, Link: cq.CountryLink(r.Country), TIV: millions(r.TIV),
			Share: analysis.FormatPercent(r.Share), PreviousShare: "n/a", Change: "n/a", ShareExact: strconv.FormatFloat(r.Share, 'f', 4, 64) + "%"}
		if r.PreviousShare != nil {
			v.PreviousShare = analysis.FormatPercent(*r.PreviousShare)
		}
		if r.Change != nil {
			v.Change = analysis.FormatChange(*r.Change)
			v.ChangeRaw = strconv.FormatFloat(*r.Change, 'f', 2, 64) + "%"
		} else if r.PreviousShare != nil {
			v.Change = "new" // nothing in the previous period
		}
		for _, p := range r.Partners {
			dq := dashboard.DyadQuery{Supplier: r.Country, Recipient: p.Country, From: cq.From, To: cq.To, Dataset: cq.Dataset}
			if !exporters {
				dq.Supplier, dq.Recipient = p.Country, r.Country
			}
			v.Partners = append(v.Partners, worldPartnerView{Country: p.Country, Link: dq.Link("/dyad"), Share: analysis.FormatPercent(p.Share)})
		}
		out = append(out, v)
	}
	return out
}

// worldTotalsChart builds /world/totals: the world total per year, every
// year the data cover, with its five-year moving sum.
func worldTotalsChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(worldChartQuery)
	fi := q.fi
	years, totals, sums := fi.WorldYearly()
	x := make([]string, len(years))
	for i, y := range years {
		x[i] = strconv.Itoa(y)
		totals[i], sums[i] = round(totals[i], 2), round(sums[i], 2)
	}
	c := fi.Coverage
	ser := Series{
		ID:     "chart-world-totals",
		Title:  fmt.Sprintf("The world's arms transfers per year, %d–%d, with five-year moving sums", c.MinYear, c.MaxYear),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: sourceLabel(fi.Set.Dataset),
		Rule:   tivRule + ", every supplier and recipient",
		X:      x,
		Series: []Named{
			{Name: "world total", Values: totals},
			{Name: "five-year moving sum (that year and the four before)", Values: sums},
		},
		Notes: []string{fmt.Sprintf("Every year the data cover, not only %s: SIPRI compares five-year periods because single years are lumpy. The moving sum is n/a before %d, the first year with four years of data before it.", q.Q.Period(), c.MinYear+4)},
		File:  fmt.Sprintf("armsdash_world_totals_%d-%d", c.MinYear, c.MaxYear),
	}
	b := flowChart(fi, ser, q.Values(), fmt.Sprintf("%d–%d", c.MinYear, c.MaxYear))
	b.rows = func() dataTable { return flowRows(fi, fi.Years(), func(data.Flow) bool { return true }) }
	b.patch = func(_ dashboard.ChartState, o []byte) ([]byte, error) { return lineOptions(o, 1) }
	return b, nil
}

// worldMapSpec places the period's exporters (or importers), rows, on the
// map; it also returns the names it cannot place.
func (s *Server) worldMapSpec(rows []dashboard.WorldRow, q dashboard.WorldQuery) (*mapSpec, []string) {
	names, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		names[i], values[i] = r.Country, r.TIV
	}
	cq := dashboard.CountryQuery{From: q.From, To: q.To, Dataset: q.Dataset}
	return newMapSpec(s.worldMap, names, values, cq.CountryLink)
}

// worldMapChart builds /world/map: every exporter (side=exports) or
// importer of the period on a world map.
func worldMapChart(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(worldChartQuery)
	fi, wq := q.fi, q.Q
	rows := r.world(fi, wq).Ranked(wq.Side)
	spec, unplaced := r.s.worldMapSpec(rows, wq)
	if spec == nil {
		return nil, &dashboard.NotDrawableError{Msg: errNoMapShapes}
	}
	what := "exports"
	if wq.Side == dashboard.SideImports {
		what = "imports"
	}
	ser := Series{
		ID: "chart-world-map", Title: fmt.Sprintf("Arms %s by country, %s", what, wq.Period()),
		XName: "country", YName: "SIPRI TIV (millions)", Unit: "SIPRI TIV millions", Source: sourceLabel(fi.Set.Dataset),
		Rule: tivRule + ", " + wq.Period().String(), Map: spec,
		File: fmt.Sprintf("armsdash_world_%s_map_%d-%d", what, wq.From, wq.To),
	}
	vals := make([]float64, len(rows))
	for i, r := range rows {
		ser.X, vals[i] = append(ser.X, r.Country), round(r.TIV, 2)
	}
	ser.Series = []Named{{Name: "TIV " + what[:len(what)-1] + "ed", Values: vals}}
	if len(unplaced) > 0 {
		ser.Notes = append(ser.Notes, fmt.Sprintf("Not on the map, having no ISO 3166 code: %s. The table lists them with their values. SIPRI marks non-state actors * and international organisations **; “unknown” is SIPRI's entry for deliveries whose supplier or recipient it cannot name.", strings.Join(unplaced, "; ")))
	}
	ser.Notes = append(ser.Notes, "States too small for the map's shapes are drawn as points. Click a country to open its page.")
	b := flowChart(fi, ser, q.Values(), wq.Period().String())
	b.rows = func() dataTable { return flowRows(fi, wq.Period(), func(data.Flow) bool { return true }) }
	return b, nil
}

// worldFlowsTop is how many flows the world's flows chart draws.
const worldFlowsTop = 25

// worldFlowsChart builds /world/flows: the period's largest
// supplier→recipient flows.
func worldFlowsChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(worldChartQuery)
	fi, wq := q.fi, q.Q
	flows := fi.LargestFlows(wq.Period(), worldFlowsTop, "")
	ser := flowSeries("chart-world-flows", fmt.Sprintf("The %d largest flows of major arms, %s", len(flows), wq.Period()), sourceLabel(fi.Set.Dataset),
		tivRule+", supplier to recipient, "+wq.Period().String(), fmt.Sprintf("armsdash_world_flows_%d-%d", wq.From, wq.To), flows)
	ser.Notes = []string{"Suppliers on the left, recipients on the right; a band's width is the TIV delivered over the period."}
	b := flowChart(fi, ser, q.Values(), wq.Period().String())
	b.rows = func() dataTable {
		return flowRows(fi, wq.Period(), func(f data.Flow) bool {
			for _, l := range flows {
				if l.Supplier == f.Supplier && l.Recipient == f.Recipient {
					return true
				}
			}
			return false
		})
	}
	return b, nil
}

// worldAPI is the body of /api/v1/world: the world view unrounded.
type worldAPI struct {
	Period             periodJSON              `json:"period"`
	PreviousPeriod     *periodJSON             `json:"previous_period"`
	TotalTIV           float64                 `json:"total_tiv"`
	TotalChangePercent *float64                `json:"total_change_percent"`
	EstimatedShare     *float64                `json:"estimated_share"` // of total_tiv, resting on SIPRI's estimates
	Exporters          []dashboard.WorldRow    `json:"exporters"`
	Importers          []dashboard.WorldRow    `json:"importers"`
	Unit               string                  `json:"unit"`
	CountingRule       string                  `json:"counting_rule"`
	Datasets           []dashboard.DatasetInfo `json:"datasets"`
}

// periodJSON is a period in the API.
type periodJSON struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// apiWorld serves /api/v1/world.
func apiWorld(_ *rq, q worldChartQuery) (*response, error) {
	w := q.fi.World(q.Q)
	out := worldAPI{Period: periodJSON{w.Period.From, w.Period.To}, TotalTIV: dashboard.Clean(w.Total), TotalChangePercent: w.Change, EstimatedShare: w.EstimatedShare,
		Exporters: cleanRows(w.Exporters), Importers: cleanRows(w.Importers), Unit: dashboard.Unit, CountingRule: dashboard.CountingRule,
		Datasets: []dashboard.DatasetInfo{dashboard.InfoOf(q.fi.Set.Dataset)}}
	if w.HasPrevious {
		out.PreviousPeriod = &periodJSON{w.Previous.From, w.Previous.To}
	}
	return jsonResponse(out)
}

// cleanRows rounds the TIV sums of rows to six decimals (binary noise of
// adding, not data); shares stay unrounded.
func cleanRows(rows []dashboard.WorldRow) []dashboard.WorldRow {
	out := make([]dashboard.WorldRow, len(rows))
	for i, r := range rows {
		r.TIV = dashboard.Clean(r.TIV)
		partners := make([]dashboard.WorldPartner, len(r.Partners))
		for j, p := range r.Partners {
			p.TIV = dashboard.Clean(p.TIV)
			partners[j] = p
		}
		r.Partners = partners
		if r.Change != nil && (math.IsInf(*r.Change, 0) || math.IsNaN(*r.Change)) {
			r.Change = nil
		}
		out[i] = r
	}
	return out
}

// markerNote explains SIPRI's markers when any of names carries one: a
// name ending in "**" is an international organisation, one ending in
// "*" a non-state actor. "" when none does.
func markerNote(names ...string) string {
	for _, n := range names {
		if strings.HasSuffix(n, "*") {
			return "SIPRI marks non-state actors (armed groups, rebel forces, governments not recognised as states) with * and international organisations (NATO, the United Nations, the African Union …) with **."
		}
	}
	return ""
}

// countryFlowsTop is how many flows a country's and the network's flows
// charts draw.
const countryFlowsTop = 20

// countryFlowsChart builds /country/flows: the largest flows to and from
// the country over the period.
func countryFlowsChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(countryChartQuery)
	fi, c := q.fi, q.Q
	flows := fi.LargestFlows(c.Period(), countryFlowsTop, c.Name)
	if len(flows) == 0 {
		return nil, &dashboard.NotDrawableError{Msg: fmt.Sprintf("SIPRI records no deliveries to or from %s in %s, so there are no flows to draw.", c.Name, c.Period())}
	}
	ser := flowSeries("chart-country-flows", fmt.Sprintf("%s's largest arms flows, %s", c.Name, c.Period()), sourceLabel(fi.Set.Dataset),
		tivRule+", supplier to recipient, "+c.Period().String(), countryFile(c, "flows"), flows)
	ser.Notes = []string{fmt.Sprintf("The %d largest flows to or from %s; suppliers on the left, recipients on the right.", len(flows), c.Name)}
	b := flowChart(fi, ser, q.Values(), c.Period().String())
	b.rows = func() dataTable {
		return flowRows(fi, c.Period(), func(f data.Flow) bool { return f.Supplier == c.Name || f.Recipient == c.Name })
	}
	return b, nil
}

// networkFlowsChart builds /network/flows: the period's largest flows.
func networkFlowsChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(flowQuery[dashboard.NetworkQuery])
	fi, n := q.fi, q.Q
	flows := fi.LargestFlows(n.Period(), countryFlowsTop, "")
	if len(flows) == 0 {
		return nil, &dashboard.NotDrawableError{Msg: fmt.Sprintf("No deliveries are recorded in %s.", n.Period())}
	}
	ser := flowSeries("chart-network-flows", fmt.Sprintf("The %d largest flows of major arms, %s", len(flows), n.Period()), sourceLabel(fi.Set.Dataset),
		tivRule+", supplier to recipient, "+n.Period().String(), fmt.Sprintf("armsdash_network_flows_%d-%d", n.From, n.To), flows)
	b := flowChart(fi, ser, q.Values(), n.Period().String())
	b.rows = func() dataTable { return flowRows(fi, n.Period(), func(data.Flow) bool { return true }) }
	return b, nil
}

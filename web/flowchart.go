package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/armsdash/armsdash/dashboard"
)

// The flows chart: the largest supplier→recipient flows of a period as a
// Sankey diagram, suppliers on the left, recipients on the right. A
// country that both supplies and receives appears on both sides, so the
// nodes are named "X →" (supplying) and "→ X" (receiving).

// flowLink is one supplier→recipient flow of the chart.
type flowLink struct {
	From, To string
	Value    float64
}

// flowSeries is the flows chart of flows: the table lists each flow, and
// Links draws them.
func flowSeries(id, title, source, rule, file string, flows []dashboard.PairFlow) Series {
	s := Series{ID: id, Title: title, XName: "supplier → recipient", YName: "SIPRI TIV (millions)", Unit: "SIPRI TIV millions",
		Source: source, Rule: rule, File: file, Links: []flowLink{}}
	vals := make([]float64, len(flows))
	for i, f := range flows {
		s.X = append(s.X, f.Supplier+" → "+f.Recipient)
		vals[i] = round(f.TIV, 2)
		s.Links = append(s.Links, flowLink{From: f.Supplier, To: f.Recipient, Value: f.TIV})
	}
	s.Series = []Named{{Name: "TIV delivered", Values: vals}}
	return s
}

// supplierNode and recipientNode name a country's node on each side.
func supplierNode(c string) string  { return c + " →" }
func recipientNode(c string) string { return "→ " + c }

// flowOptions returns the ECharts options of the Sankey diagram.
func (s Series) flowOptions() ([]byte, error) {
	var nodes []map[string]any
	seen := map[string]bool{}
	node := func(name string, depth int) {
		if !seen[name] {
			seen[name] = true
			nodes = append(nodes, map[string]any{"name": name, "depth": depth})
		}
	}
	var links []map[string]any
	for _, l := range s.Links {
		node(supplierNode(l.From), 0)
		node(recipientNode(l.To), 1)
		links = append(links, map[string]any{"source": supplierNode(l.From), "target": recipientNode(l.To), "value": round(l.Value, 2)})
	}
	o := map[string]any{
		"animation": false,
		"tooltip":   map[string]any{"show": true, "trigger": "item", "renderMode": "richText"},
		"series": []map[string]any{{
			"type": "sankey", "left": 8, "right": 8, "top": 8, "bottom": 8, "nodeGap": 6, "nodeWidth": 12,
			"data": nodes, "links": links, "emphasis": map[string]any{"focus": "adjacency"},
			"lineStyle": map[string]any{"color": "gradient", "opacity": 0.35},
			"label":     map[string]any{"fontSize": 11},
			"levels":    []map[string]any{{"depth": 0, "label": map[string]any{"position": "right"}}, {"depth": 1, "label": map[string]any{"position": "left"}}},
		}},
	}
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", s.ID, err)
	}
	return b, nil
}

// newFlowImage draws the flows for an SVG or PNG: suppliers and
// recipients as bars on the left and right, each as tall as its total,
// joined by bands as wide as each flow.
func newFlowImage(s Series) (*plotImage, error) {
	ci := &plotImage{plot: plot.New(), legend: plot.NewLegend()}
	p := ci.plot
	p.Title.Text = s.Title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(flowPlotter{links: s.Links})
	ci.footer = []string{"Source: " + s.Source + ". Unit: " + s.Unit + ".", "Counting rule: " + s.Rule + "."}
	return ci, nil
}

// flowPlotter draws a two-column Sankey diagram in plot coordinates 0–1.
type flowPlotter struct{ links []flowLink }

// column places the nodes of one side: their order (largest first) and
// each node's bottom and top in 0–1.
type column struct {
	order  []string
	lo, hi map[string]float64
}

// layout stacks the totals of one side from the top, with gaps.
func layout(totals map[string]float64, sum float64) column {
	col := column{lo: map[string]float64{}, hi: map[string]float64{}}
	for k := range totals {
		col.order = append(col.order, k)
	}
	slices.SortFunc(col.order, func(a, b string) int { return cmp.Or(cmp.Compare(totals[b], totals[a]), cmp.Compare(a, b)) })
	const gapShare = 0.15
	gap := gapShare / float64(max(1, len(col.order)-1))
	y := 1.0
	for _, k := range col.order {
		h := totals[k] / sum * (1 - gapShare)
		col.hi[k], col.lo[k] = y, y-h
		y -= h + gap
	}
	return col
}

// Plot implements plot.Plotter.
func (fp flowPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	out, in := map[string]float64{}, map[string]float64{}
	var sum float64
	for _, l := range fp.links {
		out[l.From] += l.Value
		in[l.To] += l.Value
		sum += l.Value
	}
	if sum <= 0 {
		return
	}
	left, right := layout(out, sum), layout(in, sum)
	const x0, x1, bar = 0.22, 0.78, 0.015
	// Each node stacks its links in the order of their other ends, so
	// that bands cross as little as they can.
	rank := func(col column) map[string]int {
		m := map[string]int{}
		for i, k := range col.order {
			m[k] = i
		}
		return m
	}
	lrank, rrank := rank(left), rank(right)
	order := make([]int, len(fp.links))
	for i := range order {
		order[i] = i
	}
	ltop, rtop := make([]float64, len(fp.links)), make([]float64, len(fp.links))
	used := map[string]float64{}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rrank[fp.links[a].To], rrank[fp.links[b].To]) })
	for _, i := range order {
		l := fp.links[i]
		ltop[i] = left.hi[l.From] - used[l.From]
		used[l.From] += l.Value / sum * (1 - 0.15)
	}
	used = map[string]float64{}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(lrank[fp.links[a].From], lrank[fp.links[b].From]) })
	for _, i := range order {
		l := fp.links[i]
		rtop[i] = right.hi[l.To] - used[l.To]
		used[l.To] += l.Value / sum * (1 - 0.15)
	}
	for i, l := range fp.links {
		h := l.Value / sum * (1 - 0.15)
		col := palette[lrank[l.From]%len(palette)]
		band := []vg.Point{
			{X: trX(x0 + bar), Y: trY(ltop[i])}, {X: trX(x1 - bar), Y: trY(rtop[i])},
			{X: trX(x1 - bar), Y: trY(rtop[i] - h)}, {X: trX(x0 + bar), Y: trY(ltop[i] - h)},
		}
		c.FillPolygon(color.NRGBA{col.R, col.G, col.B, 0x80}, band)
	}
	label := draw.TextStyle{Color: color.Gray{0x22}, Font: plt.Legend.TextStyle.Font, Handler: plt.Title.TextStyle.Handler}
	label.Font.Size = vg.Points(8)
	label.YAlign = -0.5
	drawSide := func(col column, x float64, right bool) {
		for _, k := range col.order {
			rect := []vg.Point{{X: trX(x), Y: trY(col.lo[k])}, {X: trX(x + bar), Y: trY(col.lo[k])}, {X: trX(x + bar), Y: trY(col.hi[k])}, {X: trX(x), Y: trY(col.hi[k])}}
			c.FillPolygon(color.Gray{0x55}, rect)
			mid := trY((col.lo[k] + col.hi[k]) / 2)
			sty := label
			at := vg.Point{X: trX(x) - vg.Points(3), Y: mid}
			sty.XAlign = -1
			if right {
				at.X, sty.XAlign = trX(x+bar)+vg.Points(3), 0
			}
			c.FillText(sty, at, strings.TrimSpace(k))
		}
	}
	drawSide(left, x0, false)
	drawSide(right, x1-bar, true)
}

package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/armsdash/armsdash/analysis"
)

// Series is the numbers one chart draws: a label for each x position and
// one or more named series of values. The chart, its HTML table and its
// CSV are all made from one Series, so they show the same numbers.
type Series struct {
	ID     string // element id of the chart, fixed so output is stable, e.g. "chart-dyad-tiv"
	Title  string
	XName  string // what the x labels are, e.g. "year"; the first CSV column's header
	YName  string // the value axis, e.g. "TIV (millions)"
	Unit   string // unit of the values, e.g. "SIPRI TIV millions"
	Source string // dataset label with vintage, e.g. "SIPRI Arms Transfers Database generated 2026-02-12"
	Rule   string // counting rule shown with the chart
	// Stacked draws the series as stacked bars instead of side by side.
	Stacked bool
	// Percent marks the values as percentages.
	Percent bool
	// Counts marks the values as counts: the value axis has whole-number ticks.
	Counts bool
	// EveryLabel shows every x label, slanted, instead of letting ECharts
	// skip some when they crowd.
	EveryLabel bool
	// Map, when not nil, draws the series as a world map (worldmap.go):
	// X are countries and the first series their values.
	Map *mapSpec
	// Links, when not nil, draws the series as a flows diagram
	// (flowchart.go): X label each link and the first series holds their
	// values.
	Links  []flowLink
	X      []string
	Series []Named
	Notes  []string // shown under the chart
	File   string   // base name for the CSV download, without ".csv"
}

// Named is one series: a name and one value per x label. NaN means no
// value (e.g. a share of a zero total): the chart leaves a gap, the table
// says "n/a" and the CSV cell is empty.
type Named struct {
	Name   string
	Values []float64
	// Line draws the series as a line with points over the bars of the
	// others (moving sums, trends, a second source), on the page and in
	// the images alike.
	Line bool
	// Stack, when not "", stacks the series on the series before it with
	// the same Stack, as parts of one whole (TIV on firm figures and on
	// estimates), also in a chart whose series stand side by side.
	Stack string
	// Light draws the series in a lighter tint of the colour of the
	// series before it: the part of its whole resting on estimates.
	Light bool
}

// stackOf returns the stack series k is drawn in: "total" for every
// series of a Stacked chart, else the series' own Stack ("": none).
func (s Series) stackOf(k int) string {
	if s.Stacked {
		return "total"
	}
	return s.Series[k].Stack
}

// colorOf returns the colour series k is drawn in, on the page and in the
// images: the palette's colour of its position, or, for a Light series,
// the colour of the series before it lightened. set is true when the page
// must be told (a chart with a Light series); the others take the same
// colours from the palette by position.
func (s Series) colorOf(k int) (c color.RGBA, set bool) {
	set = slices.ContainsFunc(s.Series, func(n Named) bool { return n.Light })
	if k == 0 || !s.Series[k].Light {
		return palette[k%len(palette)], set
	}
	base := palette[(k-1)%len(palette)]
	tint := func(v uint8) uint8 { return v + uint8((0xff-int(v))*55/100) }
	return color.RGBA{tint(base.R), tint(base.G), tint(base.B), 0xff}, true
}

// header returns the CSV header: XName, then each series' name with its
// unit and source.
func (s Series) header() []string {
	h := []string{s.XName}
	for _, n := range s.Series {
		h = append(h, fmt.Sprintf("%s (%s; %s)", n.Name, s.Unit, s.Source))
	}
	return h
}

// shown is v as the chart, its table, its image and its CSV show it: a
// percentage rounded as SIPRI rounds shares (analysis.RoundPercent: whole
// numbers from 10%, one decimal below), any other value as it is. The
// JSON, the tidy CSV and the full-data CSV keep the values unrounded.
func (s Series) shown(v float64) float64 {
	if s.Percent {
		r, _ := analysis.RoundPercent(v)
		return r
	}
	return v
}

// cell writes v as the table and the CSV show it (see shown): "" for no
// value, a percentage with the decimals SIPRI gives it ("81", "4.7").
func (s Series) cell(v float64) string {
	if r, d := analysis.RoundPercent(v); s.Percent && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return strconv.FormatFloat(r, 'f', d, 64)
	}
	return formatValue(v)
}

// formatValue writes v unrounded, as the tidy and full-data CSVs give
// it; "" for NaN and infinities.
func formatValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// CSV returns the series as UTF-8 CSV: a header row naming units and
// source, then one row per x label, each value as the table shows it
// (cell). Cells that a spreadsheet would read as a formula are prefixed
// with "'".
func (s Series) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	write := func(rec []string) {
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		w.Write(rec)
	}
	write(s.header())
	for i, x := range s.X {
		rec := []string{x}
		for _, n := range s.Series {
			rec = append(rec, s.cell(n.Values[i]))
		}
		write(rec)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvSafe defuses formula injection: a cell starting with = + - @ (or a tab
// or carriage return) that is not a number gets a leading "'".
func csvSafe(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return cell
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil {
		return cell
	}
	return "'" + cell
}

// Table is the HTML table under a chart: a header row and rows of cells.
type Table struct {
	Head []string   // XName, then each series' name
	Rows [][]string // one per x label: the label, then each value
}

// Table returns the series as the HTML table shows it: the same numbers
// as the CSV (cell), "n/a" where there is no value.
func (s Series) Table() Table {
	t := Table{Head: []string{s.XName}}
	for _, n := range s.Series {
		t.Head = append(t.Head, n.Name)
	}
	for i, x := range s.X {
		row := []string{x}
		for _, n := range s.Series {
			v := s.cell(n.Values[i])
			if v == "" {
				v = "n/a"
			}
			row = append(row, v)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Options returns the ECharts options for the series, as JSON encoded by
// encoding/json with its default HTML escaping (<, > and & become \u003c,
// \u003e and \u0026), so the JSON can sit inside a <script> element. Unlike
// go-echarts' own renderer it does not turn "__f__" markers into
// JavaScript: every string from the data stays a string.
func (s Series) Options() ([]byte, error) {
	switch {
	case s.Map != nil:
		return s.mapOptions()
	case s.Links != nil:
		return s.flowOptions()
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: s.ID}),
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "plain"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: s.XName, NameLocation: "middle", NameGap: 32, Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Name: s.YName, Type: "value"}),
	)
	switch {
	case s.Percent:
		bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: s.YName, Type: "value", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}))
	case s.Counts:
		bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Name: s.YName, Type: "value", MinInterval: 1}))
	}
	grid := opts.Grid{Left: "64", Right: "24", Top: "48", Bottom: "56", ContainLabel: opts.Bool(true)}
	if s.EveryLabel {
		grid.Left, grid.Bottom = "96", "72" // room for slanted labels
	}
	bar.SetGlobalOptions(charts.WithGridOpts(grid))
	// The images' palette, so that page and image colour each series
	// alike, also past ECharts' nine colours.
	hex := make([]string, len(palette))
	for i, c := range palette {
		hex[i] = cssColor(c)
	}
	bar.SetGlobalOptions(charts.WithColorsOpts(hex))
	bar.SetXAxis(s.X)
	for k, n := range s.Series {
		points := make([]opts.BarData, len(n.Values))
		for i, v := range n.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				points[i] = opts.BarData{Value: "-"} // ECharts' "no value"
			} else {
				points[i] = opts.BarData{Value: s.shown(v)}
			}
		}
		var so []charts.SeriesOpts
		if stack := s.stackOf(k); stack != "" {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: stack}))
		}
		if c, set := s.colorOf(k); set {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: cssColor(c)}))
		}
		bar.AddSeries(n.Name, points, so...)
	}
	bar.Validate()
	o := bar.JSON()
	// Tooltips as rich text, not HTML: names from imported files never
	// reach innerHTML, whatever ECharts' own escaping does.
	o["tooltip"] = map[string]any{"show": true, "trigger": "axis", "renderMode": "richText"}
	if s.EveryLabel {
		// go-echarts types axisLabel.interval as a string, but ECharts
		// needs the number 0 to show every label.
		o["xAxis"] = []map[string]any{{
			"type": "category", "name": s.XName, "nameLocation": "middle", "nameGap": 56, "data": s.X,
			"axisLabel": map[string]any{"interval": 0, "rotate": 30},
		}}
	}
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", s.ID, err)
	}
	var lines []int
	for k, n := range s.Series {
		if n.Line {
			lines = append(lines, k)
		}
	}
	if len(lines) == 0 {
		return b, nil
	}
	return lineOptions(b, lines...)
}

package web

import (
	"fmt"
	"math"
	"net/url"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The URL is the whole state of a chart. A chart's address holds two
// kinds of parameters:
//
//   - what is drawn: the countries, the period (from, to) and the flow set
//     (dataset), validated by each page's own typed query (dyadQuery,
//     countryQuery, eventFilter);
//   - how it is drawn: measure, scale, chart and markers, read by
//     parseChartState into a chartState, plus pin, which ties the chart to
//     one exact file (checked in chartroutes.go).
//
// Every link a chart offers (permalink, CSV, JSON, images, ZIP, embed)
// carries both, leaving out values equal to the defaults, so copying any
// of them reproduces the view exactly.
//
// Invalid display values are handled by one rule per kind of response:
// HTML pages and embeds name each invalid value in a notice at the top and
// draw the default instead; the machine forms (.csv, .json, .data.csv,
// .svg, .png, .zip), which have no place for a notice, answer 400 naming
// the parameter and the value.

// Display parameter values and their defaults.
const (
	measureTIV   = "tiv"
	measureShare = "share"
	scaleLinear  = "linear"
	scaleLog     = "log"
	kindBar      = "bar"
	kindLine     = "line"
)

// chartState is how a chart is drawn, as the query gives it.
type chartState struct {
	// Measure is measureTIV or measureShare: the dyad TIV chart draws
	// the supplier's deliveries either as TIV or as a yearly share of the
	// recipient's imports. Pages with no such chart have measureTIV.
	Measure string
	// Scale is scaleLinear or scaleLog. On a log scale zero values cannot
	// be drawn; they are left out of the chart (not of its table or CSV)
	// with a note saying how many.
	Scale string
	// Chart is kindBar or kindLine.
	Chart string
	// Markers draws dashed lines at the years of dated events on the dyad
	// TIV chart (markers=on, the default; markers=off hides them).
	Markers bool
	// Pin is the first pinLen hex digits of the SHA-256 of the data the
	// chart was pinned to; "" follows whatever data is loaded.
	Pin string
}

// defaultState is the state of a URL with no display parameters.
var defaultState = chartState{Measure: measureTIV, Scale: scaleLinear, Chart: kindBar, Markers: true}

// pinLen is the number of hex digits of a dataset's SHA-256 in pin=.
const pinLen = 12

// choice is one enumerated display parameter.
type choice struct {
	name  string
	valid []string
	dst   *string
}

// parseChartState reads the display parameters of v. measures says
// whether the page offers measure=share; on pages that do not, any
// measure other than tiv is invalid. Each invalid value is returned as a
// *ParamError and the default is used in its place.
func parseChartState(v url.Values, measures bool) (chartState, []*ParamError) {
	st := defaultState
	var bad []*ParamError
	measureValid := []string{measureTIV, measureShare}
	if !measures {
		measureValid = []string{measureTIV}
	}
	markers := "on"
	for _, c := range []choice{
		{"measure", measureValid, &st.Measure},
		{"scale", []string{scaleLinear, scaleLog}, &st.Scale},
		{"chart", []string{kindBar, kindLine}, &st.Chart},
		{"markers", []string{"on", "off"}, &markers},
	} {
		raw := strings.TrimSpace(v.Get(c.name))
		if raw == "" {
			continue
		}
		ok := false
		for _, want := range c.valid {
			if strings.EqualFold(raw, want) {
				*c.dst, ok = want, true
			}
		}
		if !ok {
			bad = append(bad, &ParamError{Param: c.name, Known: c.valid,
				Msg: fmt.Sprintf("%s=%s is not one of %s; showing %s", c.name, truncate(raw), strings.Join(c.valid, ", "), *c.dst)})
		}
	}
	st.Markers = markers == "on"
	if raw := strings.TrimSpace(v.Get("pin")); raw != "" {
		if validPin(raw) {
			st.Pin = strings.ToLower(raw)
		} else {
			bad = append(bad, &ParamError{Param: "pin",
				Msg: fmt.Sprintf("pin=%s is not %d hexadecimal digits of a SHA-256; showing the data loaded now", truncate(raw), pinLen)})
		}
	}
	return st, bad
}

// validPin reports whether s is pinLen hex digits.
func validPin(s string) bool {
	if len(s) != pinLen {
		return false
	}
	for _, r := range strings.ToLower(s) {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// notices turns parse problems into the sentences a page shows.
func notices(bad []*ParamError) []string {
	var out []string
	for _, pe := range bad {
		out = append(out, pe.Msg+".")
	}
	return out
}

// set adds to v every value of st that differs from the default, so that
// links carry the whole state and nothing more.
func (st chartState) set(v url.Values) {
	if st.Measure != defaultState.Measure {
		v.Set("measure", st.Measure)
	}
	if st.Scale != defaultState.Scale {
		v.Set("scale", st.Scale)
	}
	if st.Chart != defaultState.Chart {
		v.Set("chart", st.Chart)
	}
	if !st.Markers {
		v.Set("markers", "off")
	}
	if st.Pin != "" {
		v.Set("pin", st.Pin)
	}
}

// drawn returns the series as the chart draws it in state st: on a log
// scale every value that is not positive becomes NaN (no point, no bar)
// and a note says how many were left out. The table and the CSV keep
// using s itself.
func (st chartState) drawn(s Series) Series {
	if st.Scale != scaleLog {
		return s
	}
	out := s
	out.Series = make([]Named, len(s.Series))
	dropped := 0
	for k, n := range s.Series {
		vals := make([]float64, len(n.Values))
		for i, v := range n.Values {
			if v <= 0 && !math.IsNaN(v) {
				v = math.NaN()
				dropped++
			}
			vals[i] = v
		}
		out.Series[k] = Named{Name: n.Name, Values: vals}
	}
	out.Notes = append([]string{}, s.Notes...)
	if dropped > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("Logarithmic scale: zero cannot be drawn on a log scale, so %d zero values are left out of the chart; the table and the CSV keep them.", dropped))
	}
	return out
}

// options returns the ECharts options of s drawn in state st: the value
// axis logarithmic when st.Scale is log, every series a line when
// st.Chart is line. The result is encoding/json output, safe in <script>.
func (st chartState) options(s Series) ([]byte, error) {
	b, err := st.drawn(s).Options()
	if err != nil || st == defaultState || st.Scale == scaleLinear && st.Chart == kindBar {
		return b, err
	}
	return patchOptions(b, func(o map[string]any) {
		if st.Scale == scaleLog {
			axes, _ := o["yAxis"].([]any)
			for _, a := range axes {
				if m, ok := a.(map[string]any); ok {
					m["type"] = "log"
					m["logBase"] = 10
					delete(m, "minInterval")
				}
			}
		}
		if st.Chart == kindLine {
			ss, _ := o["series"].([]any)
			for _, x := range ss {
				if m, ok := x.(map[string]any); ok {
					m["type"], m["connectNulls"], m["symbolSize"] = "line", false, 6
				}
			}
		}
	})
}

// addLine draws series k of s as a line with points, broken where a value
// is missing; for a stacked chart each line is drawn at the running total
// of the series up to it, as ECharts stacks lines.
func (ci *chartImage) addLine(s Series, k int, vals plotter.Values, miss []bool) error {
	col := palette[k%len(palette)]
	y := make([]float64, len(vals))
	for i := range vals {
		y[i] = vals[i]
		if s.Stacked {
			for j := 0; j < k; j++ {
				if v := s.Series[j].Values[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
					y[i] += v
				}
			}
		}
	}
	var seg plotter.XYs
	flush := func() error {
		if len(seg) == 0 {
			return nil
		}
		l, pts, err := plotter.NewLinePoints(seg)
		if err != nil {
			return fmt.Errorf("chart %s: %w", s.ID, err)
		}
		l.Color, l.Width = col, vg.Points(1.5)
		pts.Color, pts.Shape = col, draw.CircleGlyph{}
		ci.plot.Add(l, pts)
		seg = nil
		return nil
	}
	for i := range y {
		if miss[i] {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		seg = append(seg, plotter.XY{X: float64(i), Y: y[i]})
	}
	if err := flush(); err != nil {
		return err
	}
	thumb := &plotter.Line{LineStyle: draw.LineStyle{Color: col, Width: vg.Points(1.5)}}
	ci.legend.Add(s.Series[k].Name, thumb)
	ci.missing = append(ci.missing, miss)
	return nil
}

// floorLog is plot.LogScale with values below the axis minimum drawn at
// the minimum, so that bars, which start at zero, start at the axis.
type floorLog struct{}

// Normalize returns the position of x on a log axis from min to max.
func (floorLog) Normalize(min, max, x float64) float64 {
	return plot.LogScale{}.Normalize(min, max, math.Max(x, min))
}

// logAxis makes the value axis of p logarithmic, from the power of ten
// at or below the smallest positive value to the largest value (the
// largest stacked total when s is stacked; 100 for percentages).
func logAxis(p *plot.Plot, s Series) {
	lo, hi := math.Inf(1), 0.0
	for i := range s.X {
		total := 0.0
		for _, n := range s.Series {
			if v := n.Values[i]; v > 0 && !math.IsInf(v, 0) {
				lo, hi, total = math.Min(lo, v), math.Max(hi, v), total+v
			}
		}
		if s.Stacked {
			hi = math.Max(hi, total)
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 1, 10
	}
	lo = math.Pow(10, math.Floor(math.Log10(lo)))
	if s.Percent {
		hi = 100
	}
	p.Y.Min, p.Y.Max = lo, math.Max(hi, lo*10)
	p.Y.Scale = floorLog{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
}

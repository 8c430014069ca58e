package web

import (
	"fmt"
	"math"

	"github.com/armsdash/armsdash/dashboard"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// How a chart is drawn (dashboard.ChartState: measure, scale, chart,
// markers, pin) applied to its Series, for the page's ECharts options and
// the server-drawn images alike.

// drawnSeries returns the series as the chart draws it in state st: on a
// log scale every value that is not positive becomes NaN (no point, no
// bar) and a note says how many were left out. The table and the CSV keep
// using s itself.
func drawnSeries(st dashboard.ChartState, s Series) Series {
	if st.Scale != dashboard.ScaleLog || s.Map != nil || s.Links != nil {
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
		n.Values = vals
		out.Series[k] = n
	}
	out.Notes = append([]string{}, s.Notes...)
	if dropped > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("Logarithmic scale: zero cannot be drawn on a log scale, so %d zero values are left out of the chart; the table and the CSV keep them.", dropped))
	}
	return out
}

// stateOptions returns the ECharts options of s drawn in state st: the
// value axis logarithmic when st.Scale is log, every series a line when
// st.Chart is line. The result is encoding/json output, safe in <script>.
func stateOptions(st dashboard.ChartState, s Series) ([]byte, error) {
	b, err := drawnSeries(st, s).Options()
	if err != nil || st.Scale == dashboard.ScaleLinear && st.Chart == dashboard.KindBar || s.Map != nil || s.Links != nil {
		return b, err
	}
	return patchOptions(b, func(o map[string]any) {
		if st.Scale == dashboard.ScaleLog {
			axes, _ := o["yAxis"].([]any)
			for _, a := range axes {
				if m, ok := a.(map[string]any); ok {
					m["type"] = "log"
					m["logBase"] = 10
					delete(m, "minInterval")
				}
			}
		}
		if st.Chart == dashboard.KindLine {
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
	if c, ok := s.colorOf(k); ok {
		col = c
	}
	y := make([]float64, len(vals))
	for i := range vals {
		y[i] = vals[i]
		if stack := s.stackOf(k); stack != "" {
			for j := 0; j < k; j++ {
				if s.stackOf(j) != stack {
					continue
				}
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
// largest total of a stack when series are stacked; 100 for
// percentages).
func logAxis(p *plot.Plot, s Series) {
	lo, hi := math.Inf(1), 0.0
	for i := range s.X {
		totals := map[string]float64{} // by stack
		for k, n := range s.Series {
			if v := n.Values[i]; v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
				if stack := s.stackOf(k); stack != "" {
					totals[stack] += v
					hi = math.Max(hi, totals[stack])
				}
			}
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

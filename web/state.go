package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
)

// How a chart is drawn (dashboard.ChartState: measure, scale, chart,
// markers, theme, pin) applied to its Series, for the page's ECharts
// options and the server-drawn images alike.

// drawnSeries returns the series as the chart draws it in state st: on a
// log scale every value that is not positive becomes NaN (no point) and a
// note names the zero years left out. The table and the CSV keep using s
// itself.
func drawnSeries(st dashboard.ChartState, s Series) Series {
	if st.Scale != dashboard.ScaleLog || s.Map != nil || s.Links != nil {
		return s
	}
	out := s
	out.Series = make([]Named, len(s.Series))
	dropped := 0
	var where []string
	for k, n := range s.Series {
		vals := make([]float64, len(n.Values))
		var xs []string
		for i, v := range n.Values {
			if v <= 0 && !math.IsNaN(v) {
				v = math.NaN()
				dropped++
				xs = append(xs, s.X[i])
			}
			vals[i] = v
		}
		out.Series[k] = n
		out.Series[k].Values = vals
		if len(xs) > 0 {
			where = append(where, fmt.Sprintf("%s: %s", n.Name, listShort(xs, 8)))
		}
	}
	out.Notes = append([]string{}, s.Notes...)
	out.Notes = append(out.Notes, "Logarithmic scale: values are drawn as points joined by lines, since a bar on a log scale would start at an arbitrary floor and values below it would hang down from it.")
	if dropped > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("Logarithmic scale: zero cannot be drawn on a log scale, so %d zero values are left out of the chart (%s); the table and the CSV keep them.", dropped, strings.Join(where, "; ")))
	}
	return out
}

// listShort joins xs, naming at most n of them and counting the rest.
func listShort(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(xs[:n], ", "), len(xs)-n)
}

// stateOptions returns the ECharts options of s drawn in state st: every
// series a line with points when st.Chart is line or the scale is log
// (seriesType), the value axis logarithmic on a log scale. The result is
// encoding/json output, safe in <script>.
func stateOptions(st dashboard.ChartState, s Series) ([]byte, error) {
	d := drawnSeries(st, s)
	b, err := d.Options()
	if err != nil || st.Scale == dashboard.ScaleLinear && st.Chart == dashboard.KindBar || s.Map != nil || s.Links != nil {
		return b, err
	}
	var lines []int
	for k := range d.Series {
		if seriesType(d, k, st) == typeLine {
			lines = append(lines, k)
		}
	}
	b, err = lineOptions(b, lines...)
	if err != nil || st.Scale != dashboard.ScaleLog {
		return b, err
	}
	return patchOptions(b, func(o map[string]any) {
		axes, _ := o["yAxis"].([]any)
		for _, a := range axes {
			if m, ok := a.(map[string]any); ok {
				m["type"] = "log"
				m["logBase"] = 10
				delete(m, "minInterval")
				delete(m, "min") // a log axis starts at the data's smallest power of ten
			}
		}
	})
}

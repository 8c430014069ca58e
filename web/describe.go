package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
)

// describe is the text alternative of a chart, the same on the page
// (aria-label), in the embed and in the SVG (<desc>): what it shows and
// how, the period, and for each series its highest and lowest value with
// where they fall (the first such x when several share it). Series with
// no value, and charts with no series, say so.
func describe(s Series, st dashboard.ChartState, period string) string {
	var b strings.Builder
	kinds := map[string]bool{}
	for k := range s.Series {
		kinds[seriesType(s, k, st)] = true
	}
	how := "Bar chart"
	switch {
	case kinds[typeBar] && kinds[typeLine]:
		how = "Bar and line chart"
	case kinds[typeLine]:
		how = "Line chart"
	}
	if s.Stacked {
		how = "Stacked " + strings.ToLower(how)
	}
	if st.Scale == dashboard.ScaleLog {
		how += " on a logarithmic scale"
	}
	fmt.Fprintf(&b, "%s: %s. ", how, strings.TrimSuffix(s.Title, "."))
	if period != "" {
		fmt.Fprintf(&b, "Period %s; ", period)
	}
	fmt.Fprintf(&b, "%d %s values, in %s.", len(s.X), s.XName, s.Unit)
	if len(s.Series) == 0 {
		b.WriteString(" Nothing is drawn: there are no values.")
	}
	for _, n := range s.Series {
		lo, hi := -1, -1
		for i, v := range n.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if lo < 0 || v < n.Values[lo] {
				lo = i
			}
			if hi < 0 || v > n.Values[hi] {
				hi = i
			}
		}
		if hi < 0 {
			fmt.Fprintf(&b, " %s: no value.", n.Name)
			continue
		}
		unit := ""
		if s.Percent {
			unit = "%"
		}
		fmt.Fprintf(&b, " %s: highest %s%s (%s), lowest %s%s (%s).", n.Name, addCommas(n.Values[hi]), unit, s.X[hi], addCommas(n.Values[lo]), unit, s.X[lo])
	}
	return b.String()
}

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
	switch {
	case s.Links != nil:
		return describeFlows(s, period)
	case s.Map != nil:
		return describeMap(s, period)
	}
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
		fmt.Fprintf(&b, " %s: highest %s%s (%s), lowest %s%s (%s).", n.Name, addCommas(s.shown(n.Values[hi])), unit, s.X[hi], addCommas(s.shown(n.Values[lo])), unit, s.X[lo])
	}
	return b.String()
}

// describeFlows is describe for a flows diagram: its links, the highest
// and the lowest.
func describeFlows(s Series, period string) string {
	names, values := make([]string, len(s.Links)), make([]float64, len(s.Links))
	for i, l := range s.Links {
		names[i], values[i] = l.From+" to "+l.To, l.Value
	}
	return describeItems("Flow diagram", "flows", s, period, names, values)
}

// describeMap is describe for a world map: the countries placed, the
// highest and the lowest.
func describeMap(s Series, period string) string {
	names, values := make([]string, len(s.Map.Items)), make([]float64, len(s.Map.Items))
	for i, it := range s.Map.Items {
		names[i], values[i] = it.Name, it.Value
	}
	return describeItems("World map", "countries coloured by value", s, period, names, values)
}

// describeItems describes a chart of named values (how is what it is,
// what the items are): title, period, how many, unit, and the highest and
// the lowest item.
func describeItems(how, what string, s Series, period string, names []string, values []float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s. ", how, strings.TrimSuffix(s.Title, "."))
	if period != "" {
		fmt.Fprintf(&b, "Period %s; ", period)
	}
	fmt.Fprintf(&b, "%d %s, in %s.", len(names), what, s.Unit)
	if len(names) == 0 {
		b.WriteString(" Nothing is drawn: there are no values.")
		return b.String()
	}
	hi, lo := 0, 0
	for i, v := range values {
		if v > values[hi] {
			hi = i
		}
		if v < values[lo] {
			lo = i
		}
	}
	fmt.Fprintf(&b, " Highest: %s, %s; lowest: %s, %s.", names[hi], addCommas(values[hi]), names[lo], addCommas(values[lo]))
	return b.String()
}

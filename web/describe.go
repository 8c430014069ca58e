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
		fmt.Fprintf(&b, " %s: highest %s%s (%s), lowest %s%s (%s).", n.Name, addCommas(n.Values[hi]), unit, s.X[hi], addCommas(n.Values[lo]), unit, s.X[lo])
	}
	return b.String()
}

// describeFlows is describe for a flows diagram: its links, the highest
// and the lowest.
func describeFlows(s Series, period string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Flow diagram: %s. ", strings.TrimSuffix(s.Title, "."))
	if period != "" {
		fmt.Fprintf(&b, "Period %s; ", period)
	}
	fmt.Fprintf(&b, "%d flows, in %s.", len(s.Links), s.Unit)
	if len(s.Links) == 0 {
		b.WriteString(" Nothing is drawn: there are no values.")
		return b.String()
	}
	hi, lo := s.Links[0], s.Links[0]
	for _, l := range s.Links {
		if l.Value > hi.Value {
			hi = l
		}
		if l.Value < lo.Value {
			lo = l
		}
	}
	fmt.Fprintf(&b, " Highest: %s to %s, %s; lowest: %s to %s, %s.", hi.From, hi.To, addCommas(hi.Value), lo.From, lo.To, addCommas(lo.Value))
	return b.String()
}

// describeMap is describe for a world map: the countries placed, the
// highest and the lowest.
func describeMap(s Series, period string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "World map: %s. ", strings.TrimSuffix(s.Title, "."))
	if period != "" {
		fmt.Fprintf(&b, "Period %s; ", period)
	}
	items := s.Map.Items
	fmt.Fprintf(&b, "%d countries coloured by value, in %s.", len(items), s.Unit)
	if len(items) == 0 {
		b.WriteString(" Nothing is drawn: there are no values.")
		return b.String()
	}
	hi, lo := items[0], items[0]
	for _, it := range items {
		if it.Value > hi.Value {
			hi = it
		}
		if it.Value < lo.Value {
			lo = it
		}
	}
	fmt.Fprintf(&b, " Highest: %s, %s; lowest: %s, %s.", hi.Name, addCommas(hi.Value), lo.Name, addCommas(lo.Value))
	return b.String()
}

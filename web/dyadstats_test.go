package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// TestDyadStatsBuiltin checks the sections below the dyad charts on the
// built-in data, where no event has a known year.
func TestDyadStatsBuiltin(t *testing.T) {
	snap := builtinSnapshot(t)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	set, _ := snap.FlowSet("")
	var t1, t2 float64
	for _, f := range set.Flows {
		if f.Supplier == "China" && f.Recipient == "Pakistan" {
			switch {
			case f.Year >= 2015 && f.Year <= 2019:
				t1 += f.TIV
			case f.Year >= 2020 && f.Year <= 2024:
				t2 += f.TIV
			}
		}
	}
	change, _ := analysis.Change(t1, t2)
	res, body := get(t, h, "/dyad?"+dyadQ)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	page := text(body)
	for _, w := range []string{
		"Shares over 1995–2024", "/api/v1/shares?from=1995&recipient=Pakistan&supplier=China&to=2024",
		`href="/country?from=1995&name=Pakistan&to=2024"`, `href="/country?from=1995&name=China&to=2024"`,
		"2015–2019 to 2020–2024",
		fmt.Sprintf("<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>", millions(t1), millions(t2), analysis.FormatChange(change)),
		"n/a: China's imports are not held in full by this dataset",
		"0 events have a known year; 7 have none and are left out of every rate, correlation and marker below",
		"Too few years with events to correlate (0 of 30 years).",
		"No event between China and Pakistan has a known year",
		"Hide the markers",
		"nothing to mark",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(page, "Pearson r") || strings.Contains(page, "Rate ratio (second") {
		t.Error("a correlation or a rate ratio is shown though no year has events")
	}
	if res, body := get(t, h, "/dyad?"+dyadQ+"&markers=maybe"); res.StatusCode != 200 || !strings.Contains(text(body), "Parameter markers: markers=maybe is not one of on, off. Showing on.") {
		t.Errorf("markers=maybe: %d, or no notice", res.StatusCode)
	}
}

// TestDyadMarkers checks that dated events become markLines on the TIV
// chart, listed in a table, and that markers=off removes them. The
// events are synthetic and exist only in this test.
func TestDyadMarkers(t *testing.T) {
	base := builtinSnapshot(t)
	snap := *base
	snap.Events = append([]data.Event{
		{Date: "2019-03-04", Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: `test </script><b>x</b>`, Source: "test"},
		{Date: "2019", Precision: "year", SideA: "Pakistan", SideB: "China", Type: "agreement", Summary: "test two", Source: "test"},
		{Date: "2022-05", Precision: "month", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: "test three", Source: "test"},
		{Date: "2022-06-01", Precision: "day", SideA: "China", SideB: "India", Type: "visit", Summary: "other pair", Source: "test"},
	}, base.Events...)
	snap.SetEvents(snap.Events)
	h := newTestServer(t, &snap, t.TempDir(), nil).Handler()

	_, body := get(t, h, "/dyad?"+dyadQ)
	o := chartOptions(t, body, "chart-dyad-tiv")
	ml, ok := o["series"].([]any)[0].(map[string]any)["markLine"].(map[string]any)
	if !ok {
		t.Fatal("no markLine on the TIV chart")
	}
	var got []string
	for _, d := range ml["data"].([]any) {
		m := d.(map[string]any)
		got = append(got, fmt.Sprint(m["xAxis"], "=", m["name"]))
	}
	if want := "[2019=2019: 2 event(s) 2022=2022: 1 event(s)]"; fmt.Sprint(got) != want {
		t.Errorf("markLine data %v, want %s", got, want)
	}
	if strings.Contains(body, "</script><b>") {
		t.Error("event summary not escaped")
	}
	page := text(body)
	for _, w := range []string{"<th scope=\"row\">2019</th>", "2022-05 visit: test three", "3 events have a known year"} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	// Events in 2 of the 30 years: no rate ratio, no correlation.
	if !strings.Contains(page, "Too few years with events to correlate (2 of 30 years).") || strings.Contains(page, "Pearson r") {
		t.Error("the page correlates events of 2 years")
	}

	_, off := get(t, h, "/dyad?"+dyadQ+"&markers=off")
	if _, has := chartOptions(t, off, "chart-dyad-tiv")["series"].([]any)[0].(map[string]any)["markLine"]; has {
		t.Error("markers=off still draws markLines")
	}
	if !strings.Contains(text(off), "Show the markers") {
		t.Error("markers=off page has no link to show them")
	}

	// The static images draw the same markers, and none with markers=off.
	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{dyadQ, []string{">2 events<", ">1 event<", "dated events of the pair"}, nil},
		{dyadQ + "&markers=off", nil, []string{"dated events of the pair"}},
	} {
		_, svg := get(t, h, "/dyad/tiv.svg?"+c.query)
		for _, w := range c.want {
			if !strings.Contains(svg, w) {
				t.Errorf("%s: SVG lacks %q", c.query, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(svg, w) {
				t.Errorf("%s: SVG has %q", c.query, w)
			}
		}
	}
}

// TestDyadStatsEnoughYears checks that with events in at least
// dashboard.MinEventYears years the rate ratio and the lagged correlation
// are shown, the interval printed as rounded outward and the p-value the
// central one. The events are synthetic and exist only in this test.
func TestDyadStatsEnoughYears(t *testing.T) {
	base := builtinSnapshot(t)
	snap := *base
	snap.Events = nil
	for i, y := range []int{2015, 2016, 2018, 2020, 2021, 2021, 2022, 2023, 2023, 2024, 2024, 2024} {
		snap.Events = append(snap.Events, data.Event{Date: fmt.Sprintf("%d-03-%02d", y, i+1), Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: "test", Source: "test"})
	}
	snap.SetEvents(snap.Events)
	h := newTestServer(t, &snap, t.TempDir(), nil).Handler()
	_, body := get(t, h, "/dyad?"+dyadQ)
	page := text(body)
	rr, err := analysis.RateRatio(3, 5, 9, 5, dashboard.RateConfidence)
	if err != nil {
		t.Fatal(err)
	}
	lo := strconv.FormatFloat(math.Floor(rr.Lower*100)/100, 'f', 2, 64)
	hi := strconv.FormatFloat(math.Ceil(rr.Upper*100)/100, 'f', 2, 64)
	for _, w := range []string{"Pearson r", "<td class=\"num\">3 events</td><td class=\"num\">9 events</td>",
		lo + " – " + hi, strconv.FormatFloat(rr.PCentral, 'f', 3, 64)} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(page, "Too few years") {
		t.Error("8 years with events called too few")
	}
}

// TestIntervalText checks that the printed interval keeps each bound on
// its side of 1.
func TestIntervalText(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0.0712, 0.9996, "0.07 – 0.9996"},
		{0.5, 2.345, "0.50 – 2.35"},
		{1.0004, 3.1, "1.0004 – 3.10"},
		{0, math.Inf(1), "0.00 – ∞"},
	} {
		lo, hi := intervalText(c.lo, c.hi)
		if got := lo + " – " + hi; got != c.want {
			t.Errorf("intervalText(%v, %v) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

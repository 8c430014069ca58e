package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// TestDyadStatsBuiltin checks the sections below the dyad charts on the
// built-in data, where no event has a known year.
func TestDyadStatsBuiltin(t *testing.T) {
	snap, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
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
		fmt.Sprintf("<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%+.0f%%</td>", millions(t1), millions(t2), change),
		"n/a: China's imports are not held in full by this dataset",
		"0 events have a known year; 7 have none and are left out of every rate, correlation and marker below",
		"No change can be called: no events in either period: nothing to compare.",
		"No event between China and Pakistan has a known year",
		"Hide the markers",
		"nothing to mark",
	} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if n := strings.Count(page, "a correlation needs at least 3 years") + strings.Count(page, "one series does not change"); n != 7 {
		t.Errorf("%d of 7 lags carry a warning", n)
	}
	if res, body := get(t, h, "/dyad?"+dyadQ+"&markers=maybe"); res.StatusCode != 200 || !strings.Contains(text(body), "Parameter markers: markers=maybe is not one of on, off. Showing on.") {
		t.Errorf("markers=maybe: %d, or no notice", res.StatusCode)
	}
}

// TestDyadMarkers checks that dated events become markLines on the TIV
// chart, listed in a table, and that markers=off removes them. The
// events are synthetic and exist only in this test.
func TestDyadMarkers(t *testing.T) {
	base, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	snap := *base
	snap.Events = append([]data.Event{
		{Date: "2019-03-04", Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: `test </script><b>x</b>`, Source: "test"},
		{Date: "2019", Precision: "year", SideA: "Pakistan", SideB: "China", Type: "agreement", Summary: "test two", Source: "test"},
		{Date: "2022-05", Precision: "month", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: "test three", Source: "test"},
		{Date: "2022-06-01", Precision: "day", SideA: "China", SideB: "India", Type: "visit", Summary: "other pair", Source: "test"},
	}, base.Events...)
	snap.EventCounts, snap.EventsTotal = data.CountEvents(snap.Events), len(snap.Events)
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
	// 2015–2019: 2 events, 2020–2024: 1 — too few to call a change.
	if !strings.Contains(page, "only 3 events in the two periods together") {
		t.Error("rate ratio reason missing")
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

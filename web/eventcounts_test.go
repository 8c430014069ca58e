package web

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"gonum.org/v1/gonum/floats"
)

// TestChartsFromEventCounts checks that a snapshot holding event counts
// but no event rows (as a store with more than data.SnapshotEventLimit
// events gives) draws the dyad events chart, the /events chart, the rate
// ratio and the markers with the same numbers as one holding the rows.
// The dated events are synthetic and exist only in this test.
func TestChartsFromEventCounts(t *testing.T) {
	base := builtinSnapshot(t)
	full := *base
	full.Events = append([]data.Event{
		{Date: "2019-03-04", Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: "one", Source: "test"},
		{Date: "2019", Precision: "year", SideA: "Pakistan", SideB: "China", Type: "visit", Summary: "two", Source: "test"},
		{Date: "2022-05", Precision: "month", SideA: "China", SideB: "Pakistan", Type: "agreement", Summary: "three", Source: "test"},
		{Date: "1990-01-01", Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit", Summary: "before", Source: "test"},
		{Date: "2022-06-01", Precision: "day", SideA: "China", SideB: "India", Type: "visit", Summary: "other pair", Source: "test"},
	}, base.Events...)
	full.SetEvents(full.Events)
	countsOnly := full
	countsOnly.Events, countsOnly.EventsTruncated = nil, true

	hFull := newTestServer(t, &full, t.TempDir(), nil).Handler()
	hCounts := newTestServer(t, &countsOnly, t.TempDir(), nil).Handler()

	seriesOf := func(h http.Handler, path, id string) map[string][]float64 {
		t.Helper()
		res, body := get(t, h, path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		out := map[string][]float64{}
		for _, s := range chartOptions(t, body, id)["series"].([]any) {
			m := s.(map[string]any)
			var vs []float64
			for _, d := range m["data"].([]any) {
				switch d := d.(type) {
				case float64:
					vs = append(vs, d)
				case map[string]any:
					vs = append(vs, d["value"].(float64))
				default:
					t.Fatalf("%s: data item %T", id, d)
				}
			}
			out[fmt.Sprint(m["name"])] = vs
		}
		return out
	}

	// Dyad events chart: 1995–2024 and "year not given" (index 30).
	dyadFull := seriesOf(hFull, "/dyad?"+dyadQ, "chart-dyad-events")
	dyadCounts := seriesOf(hCounts, "/dyad?"+dyadQ, "chart-dyad-events")
	if !reflect.DeepEqual(dyadFull, dyadCounts) {
		t.Errorf("dyad events chart from counts\n%v\ndiffers from the one from rows\n%v", dyadCounts, dyadFull)
	}
	if v := dyadCounts["visit"]; len(v) != 31 || v[2019-1995] != 2 || v[30] != 0 {
		t.Errorf("visit series %v; want 2 in 2019, none undated", v)
	}
	if v := dyadCounts["agreement"]; len(v) != 31 || v[2022-1995] != 1 {
		t.Errorf("agreement series %v; want 1 in 2022", v)
	}
	if v := dyadCounts["defence-ministers"]; len(v) != 31 || v[30] != 1 {
		t.Errorf("defence-ministers series %v; want 1 undated", v)
	}

	// The rate ratio, correlation and markers count the same events.
	_, page := get(t, hCounts, "/dyad?"+dyadQ)
	for _, w := range []string{"4 events have a known year", "<th scope=\"row\">2019</th><td>2 event(s); too many events are held"} {
		if !strings.Contains(text(page), w) {
			t.Errorf("dyad page from counts lacks %q", w)
		}
	}

	// /events chart by type, unfiltered and filtered by year.
	for _, q := range []string{"", "?from=2019&to=2019", "?country=India"} {
		eFull := seriesOf(hFull, "/events"+q, "chart-events-types")
		eCounts := seriesOf(hCounts, "/events"+q, "chart-events-types")
		if !reflect.DeepEqual(eFull, eCounts) {
			t.Errorf("/events%s chart from counts %v differs from rows %v", q, eCounts, eFull)
		}
	}
	d := dashboard.New(&countsOnly)
	types := d.EventTypes()
	f := dashboard.EventFilter{From: 2019, To: 2019}
	counts, _, _ := d.CountEvents(f)
	got := eventTypeSeries(d, f, dashboard.WeightEvents, counts).Series[0].Values
	if visit := got[slices.Index(types, "visit")]; visit != 2 || floats.Sum(got) != 2 {
		t.Errorf("events of 2019 by type %v; want 2 visits", got)
	}
	_, body := get(t, hCounts, "/events")
	if want := fmt.Sprintf("%d events are held (%d rows), more than the %d rows this page lists", full.EventsTotal, full.EventRows, data.SnapshotEventLimit); !strings.Contains(text(body), want) {
		t.Errorf("/events lacks the notice %q", want)
	}
	if _, body := get(t, hFull, "/events"); strings.Contains(text(body), "this page lists") {
		t.Error("/events with all rows shows the truncation notice")
	}
}

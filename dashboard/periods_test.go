package dashboard

import (
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// TestPeriodCache checks that the cache keeps the maxPeriods periods
// asked for last, and gives a period asked for again its own entry.
func TestPeriodCache(t *testing.T) {
	var c periodCache
	p := func(y int) analysis.Period { return analysis.Period{From: y, To: y + 4} }
	first := c.of(p(2000))
	for y := 2001; y < 2000+maxPeriods; y++ {
		c.of(p(y))
	}
	if c.of(p(2000)) != first {
		t.Fatal("a period still held got a new entry")
	}
	c.of(p(3000)) // drops 2001, the least recently asked for
	if len(c.entries) != maxPeriods {
		t.Fatalf("%d entries; want at most %d", len(c.entries), maxPeriods)
	}
	for _, e := range c.entries {
		if e.period == p(2001) {
			t.Error("the least recently asked for period is still held")
		}
	}
	if c.entries[0].period != p(3000) || c.entries[1] != first {
		t.Errorf("entries start %v, %v; want the latest first", c.entries[0].period, c.entries[1].period)
	}
}

// TestNetworkAndFlowsOnce checks that the network and the ranked flows
// of a period, kept per flow set, are those of the query, computed anew:
// the network carries each query's own dataset name, and another period
// is computed apart.
// The flows are made up for the test and never shown as data.
func TestNetworkAndFlowsOnce(t *testing.T) {
	fl := func(s, r string, year int, tiv float64) data.Flow {
		return data.Flow{Supplier: s, Recipient: r, Year: year, TIV: tiv}
	}
	snap := &data.Snapshot{Version: "1", FlowSets: []data.FlowSet{{
		Dataset: data.Dataset{Name: "listing.csv", Format: data.FormatSIPRIDeliveries, SHA256: "aa"},
		Flows:   []data.Flow{fl("A", "B", 2020, 5), fl("A", "C", 2021, 7), fl("B", "C", 2020, 2), fl("C", "A", 2022, 9), fl("D", "E", 2022, 1)},
	}}}
	fi, err := New(snap).Flows("")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []NetworkQuery{{From: 2020, To: 2021}, {From: 2020, To: 2022}, {From: 2020, To: 2021, Dataset: "listing.csv"}} {
		got, fresh := fi.Network(q), fi.network(q.Period())
		fresh.Query = q
		if !reflect.DeepEqual(got.Query, q) || got.Countries != fresh.Countries || got.Links != fresh.Links ||
			!reflect.DeepEqual(got.Communities, fresh.Communities) || len(got.Nodes) != len(fresh.Nodes) {
			t.Errorf("Network(%+v) = %+v; computed anew %+v", q, got, fresh)
		}
		if got, want := fi.LargestFlows(q.Period(), 2, ""), fi.largestFlows(q.Period(), "")[:2]; !reflect.DeepEqual(got, want) {
			t.Errorf("LargestFlows(%v, 2) = %v; computed anew %v", q.Period(), got, want)
		}
	}
	if n := fi.Network(NetworkQuery{From: 2020, To: 2021}); n.Countries != 3 {
		t.Errorf("network of 2020–2021 has %d countries; want 3 (A, B, C)", n.Countries)
	}
}

// TestWorldAndBreakdownOnce checks that the world view and the world's
// breakdown of a period, kept per flow set, are those of each query:
// its own Top and Query, the same rows as computed anew.
// The details are made up for the test and never shown as data.
func TestWorldAndBreakdownOnce(t *testing.T) {
	det := func(s, r string, year int, category string, tiv float64) data.FlowDetail {
		return data.FlowDetail{Supplier: s, Recipient: r, Year: year, Category: category, Status: "New", TIV: tiv, EstimatedTIV: tiv / 2}
	}
	details := []data.FlowDetail{det("A", "B", 2020, "Aircraft", 5), det("A", "B", 2020, "Ships", 1), det("A", "C", 2021, "Ships", 7),
		det("B", "C", 2019, "Aircraft", 3), det("C", "A", 2022, "Aircraft", 9), det("D", "E", 2022, "Missiles", 1)}
	snap := &data.Snapshot{Version: "1", FlowSets: []data.FlowSet{{
		Dataset: data.Dataset{Name: "listing.csv", Format: data.FormatSIPRIDeliveries, SHA256: "aa"},
		Flows:   data.FlowsOf(details), Details: details,
	}}}
	fi, err := New(snap).Flows("")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []WorldQuery{{From: 2021, To: 2022, Top: 1, Side: SideExports}, {From: 2021, To: 2022, Top: 0, Side: SideImports}, {From: 2020, To: 2022, Top: 2}} {
		got, fresh := fi.World(q), fi.world(q)
		if got.Query != q {
			t.Errorf("World(%+v).Query = %+v", q, got.Query)
		}
		if want := min(len(fresh.allExporters), q.Top); q.Top > 0 && len(got.Exporters) != want || q.Top == 0 && len(got.Exporters) != len(fresh.allExporters) {
			t.Errorf("World(%+v) lists %d exporters of %d", q, len(got.Exporters), len(fresh.allExporters))
		}
		if !reflect.DeepEqual(got.Ranked(SideExports), fresh.allExporters) || !reflect.DeepEqual(got.Ranked(SideImports), fresh.allImporters) ||
			got.Total != fresh.Total || got.Suppliers != fresh.Suppliers || got.Recipients != fresh.Recipients {
			t.Errorf("World(%+v) = %+v; computed anew %+v", q, got, fresh)
		}
	}
	for _, q := range []BreakdownQuery{{From: 2020, To: 2022, By: ByCategory}, {From: 2020, To: 2022, By: ByStatus}, {From: 2021, To: 2022, By: ByCategory}} {
		b, years := fi.BreakdownWithYears(q)
		fb, fyears := fi.breakdown(q, true)
		if !reflect.DeepEqual(b, fb) || !reflect.DeepEqual(years, fyears) || !reflect.DeepEqual(fi.Breakdown(q), fb) {
			t.Errorf("breakdown of %+v = %+v, %+v; computed anew %+v, %+v", q, b, years, fb, fyears)
		}
	}
}

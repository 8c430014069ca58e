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

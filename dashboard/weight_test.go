package dashboard

import (
	"fmt"
	"net/url"
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// TestDyadStatsWeight: weight=articles changes what the lagged
// correlation correlates (each event weighted by its articles), not the
// rate ratio, which counts events; an event reported each way round
// counts once either way. The events are synthetic and exist only in
// this test.
func TestDyadStatsWeight(t *testing.T) {
	base := builtinSnapshot(t)
	snap := *base
	var rows []data.Event
	articles := map[int]float64{}
	for i, y := range []int{2015, 2016, 2018, 2020, 2021, 2022, 2023, 2024, 2024} {
		url := fmt.Sprintf("https://test.example/%d", i)
		e := data.Event{Date: fmt.Sprintf("%d-03-01", y), Precision: "day", SideA: "China", SideB: "Pakistan", Type: "visit",
			Source: "test", SourceID: fmt.Sprint(2 * i), Code: "042", SourceURL: url, NumSources: 1, NumArticles: i + 1}
		swapped := e
		swapped.SideA, swapped.SideB, swapped.SourceID, swapped.NumArticles = "Pakistan", "China", fmt.Sprint(2*i+1), 1
		rows = append(rows, e, swapped)
		articles[y] += float64(i + 1)
	}
	snap.SetEvents(append(rows, base.Events...))
	d := New(&snap)
	fi, err := d.Flows("")
	if err != nil {
		t.Fatal(err)
	}
	stats := map[EventWeight]*DyadStats{}
	for _, w := range EventWeights {
		p := NewParams(url.Values{"supplier": {"China"}, "recipient": {"Pakistan"}, "from": {"1995"}, "to": {"2024"}, "weight": {string(w)}})
		_, q, err := d.ParseDyad(p)
		if err != nil || q.Weight != w {
			t.Fatalf("weight=%s read as %q, %v", w, q.Weight, err)
		}
		if stats[w], err = d.DyadStats(fi, q); err != nil {
			t.Fatal(err)
		}
	}
	ev, art := stats[WeightEvents], stats[WeightArticles]
	if ev.Events.PerYear[2024] != 2 || ev.Events.Dated != 9 || ev.Rates == nil || ev.Rates.C1 != 3 || ev.Rates.C2 != 6 {
		t.Fatalf("events: %+v, rates %+v; want 9 dated events (2 in 2024), 3 in 2015–2019 and 6 in 2020–2024", ev.Events, ev.Rates)
	}
	if art.Rates == nil || art.Rates.C1 != ev.Rates.C1 || art.Rates.C2 != ev.Rates.C2 || art.Rates.Result != ev.Rates.Result {
		t.Errorf("weight=articles changed the rate ratio: %+v; want %+v", art.Rates, ev.Rates)
	}
	years := make([]int, 0, 30)
	weighted := make([]float64, 0, 30)
	for y := 1995; y <= 2024; y++ {
		years, weighted = append(years, y), append(weighted, articles[y])
	}
	want := analysis.LaggedCorrelation(years, weighted, fi.Yearly("China", "Pakistan", 1995, 2024), -3, 3)
	if !reflect.DeepEqual(art.Lags, want) {
		t.Errorf("weight=articles correlates\n%+v\nwant the articles' yearly sums\n%+v", art.Lags, want)
	}
	if reflect.DeepEqual(art.Lags, ev.Lags) {
		t.Error("weight=articles gives the correlation of weight=events")
	}
	if src := stats[WeightSources]; !reflect.DeepEqual(src.Lags, ev.Lags) {
		t.Error("every event has one source, yet weight=sources changes the correlation")
	}
}

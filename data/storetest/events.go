package storetest

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// eventsFile returns an events dataset of n events cycling through types,
// sides and dates of every precision (undated ones included), each with a
// Summary naming its dataset and position, so order can be checked.
func eventsFile(name string, n int) *data.File {
	f := &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatEvents, SHA256: SHA(name), Rows: n}}
	sides := [][2]string{{"China", "Pakistan"}, {"Pakistan", "China"}, {"India", "Russia"}, {"China", "Bangladesh"}}
	types := []string{"visit", "agreement", "defence-ministers"}
	dates := [][2]string{{"2019-05-02", "day"}, {"2020-07", "month"}, {"2021", "year"}, {"", "unknown"}, {"2023-01-09", "day"}}
	for i := range n {
		sd, d := sides[i%len(sides)], dates[(i/2)%len(dates)]
		f.Events = append(f.Events, data.Event{Date: d[0], Precision: d[1], SideA: sd[0], SideB: sd[1],
			Type: types[(i/3)%len(types)], Summary: fmt.Sprintf("%s #%d", name, i), Source: name})
	}
	return f
}

// testEventsPages checks Store.Events against data.FilterEvents on the
// snapshot's events for a grid of filters, offsets and limits, before and
// after a dataset in the middle is removed.
func testEventsPages(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	a, b, c := eventsFile("a.csv", 37), eventsFile("b.csv", 23), eventsFile("c.csv", 41)
	for _, f := range []*data.File{a, b, c} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	filters := []data.EventFilter{
		{},
		{Type: "visit"},
		{Country: "China"},
		{Country: "Russia", Type: "agreement"},
		{From: 2020},
		{To: 2020},
		{From: 2020, To: 2021, Country: "Pakistan"},
		{Type: "no such type"},
	}
	pages := [][2]int{{0, 0}, {0, 10}, {10, 10}, {95, 10}, {-3, 5}, {1000, 10}}
	check := func(step string, all []data.Event) {
		t.Helper()
		for _, f := range filters {
			for _, p := range pages {
				got, err := s.Events(ctx, f, p[0], p[1])
				if err != nil {
					t.Fatalf("%s: Events(%+v, %d, %d): %v", step, f, p[0], p[1], err)
				}
				want := data.FilterEvents(all, f, p[0], p[1])
				if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
					t.Errorf("%s: Events(%+v, offset %d, limit %d) gave %d events; want %d (first got %v, want %v)",
						step, f, p[0], p[1], len(got), len(want), firstSummary(got), firstSummary(want))
				}
			}
		}
	}
	all := append(append(append([]data.Event(nil), a.Events...), b.Events...), c.Events...)
	if snap, err := s.Snapshot(ctx); err != nil || !reflect.DeepEqual(snap.Events, all) {
		t.Fatalf("snapshot events are not a, b, c in file order (err %v)", err)
	}
	check("three datasets", all)
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	check("b removed", append(append([]data.Event(nil), a.Events...), c.Events...))
	d := eventsFile("d.csv", 5)
	if _, err := s.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	check("d added", append(append(append([]data.Event(nil), a.Events...), c.Events...), d.Events...))
}

func firstSummary(es []data.Event) string {
	if len(es) == 0 {
		return "none"
	}
	return es[0].Summary
}

// testEventCountsManyEvents checks the counts grouped in SQL against
// counting in Go, on thousands of events over many years, a year range,
// and byte order.
func testEventCountsManyEvents(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	f := &data.File{Dataset: data.Dataset{Name: "ev.csv", Format: data.FormatEvents, SHA256: SHA("ev")}}
	sides := []string{"China", "Pakistan", "India", "Côte d'Ivoire", "Cuba"}
	for i := range 5000 {
		f.Events = append(f.Events, data.Event{Date: fmt.Sprintf("%d-01-02", 1990+i%37), Precision: "day",
			SideA: sides[i%5], SideB: sides[(i/5)%5], Type: data.EventTypes[i%len(data.EventTypes)], Source: "t"})
	}
	if _, err := s.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventCounts(ctx, 2000, 2010)
	if err != nil {
		t.Fatal(err)
	}
	want := map[data.EventCount]int64{}
	for _, ev := range f.Events {
		if y := ev.Year(); y >= 2000 && y <= 2010 {
			want[data.EventCount{Year: y, SideA: ev.SideA, SideB: ev.SideB, Type: ev.Type}]++
		}
	}
	gotMap := map[data.EventCount]int64{}
	for i, c := range got {
		if i > 0 {
			p := got[i-1]
			if p.Year > c.Year || (p.Year == c.Year && (p.SideA > c.SideA || (p.SideA == c.SideA && (p.SideB > c.SideB || (p.SideB == c.SideB && p.Type >= c.Type))))) {
				t.Errorf("not in byte order: %v before %v", p, c)
			}
		}
		gotMap[data.EventCount{Year: c.Year, SideA: c.SideA, SideB: c.SideB, Type: c.Type}] = c.Count
	}
	if !reflect.DeepEqual(gotMap, want) {
		t.Errorf("EventCounts differs from counting in Go: %d groups, want %d", len(gotMap), len(want))
	}
}

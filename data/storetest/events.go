package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
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
// snapshot's events (data.DedupEvents of the rows) for a grid of filters,
// offsets and limits, before and after a dataset in the middle is
// removed. Within a file, rows of one date, pair (either way round) and
// type are one event; b2.csv repeats b.csv's rows, which count once
// until b.csv is removed.
func testEventsPages(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	a, b, c := eventsFile("a.csv", 37), eventsFile("b.csv", 23), eventsFile("c.csv", 41)
	b2 := eventsFile("b.csv", 23)
	b2.Dataset.Name, b2.Dataset.SHA256 = "b2.csv", SHA("b2.csv")
	for _, f := range []*data.File{a, b, b2, c} {
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
	rows := func(fs ...*data.File) []data.Event {
		var out []data.Event
		for _, f := range fs {
			out = append(out, f.Events...)
		}
		return out
	}
	all := data.DedupEvents(rows(a, b, b2, c))
	if len(all) >= len(rows(a, b, c)) {
		t.Fatalf("%d events of %d rows: the files hold no rows of one event", len(all), len(rows(a, b, b2, c)))
	}
	if snap, err := s.Snapshot(ctx); err != nil || !reflect.DeepEqual(snap.Events, all) {
		t.Fatalf("snapshot events are not those of a, b, b2, c, deduplicated, in file order (err %v)", err)
	}
	check("four datasets", all)
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	check("b removed", data.DedupEvents(rows(a, b2, c)))
	d := eventsFile("d.csv", 5)
	if _, err := s.Import(ctx, d); err != nil {
		t.Fatal(err)
	}
	check("d added", data.DedupEvents(rows(a, b2, c, d)))
}

// testEventsAcrossDatasets deals handMadeEvents out to three files in
// turn, so that the rows of one event, with different weights, are in
// two or three datasets, and checks the counts (with their weights), the
// list of events and the snapshot's counts against data.CountEvents and
// data.DedupEvents of the rows kept, in import order, as datasets are
// removed (those holding an event's heaviest rows, then the one holding
// its first row) and imported again.
func testEventsAcrossDatasets(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	files := map[string]*data.File{}
	for i, ev := range handMadeEvents() {
		name := fmt.Sprintf("part%d.csv", i%3)
		if files[name] == nil {
			files[name] = &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatEvents, SHA256: SHA(name)}}
		}
		files[name].Events = append(files[name].Events, ev)
	}
	var kept []string
	check := func(step string) {
		t.Helper()
		var rows []data.Event
		for _, name := range kept {
			rows = append(rows, files[name].Events...)
		}
		want, dedup := data.CountEvents(rows), data.DedupEvents(rows)
		if got, err := s.EventCounts(ctx, 0, 0); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: EventCounts(0, 0) = %v, %v;\ndata.CountEvents gives %v", step, got, err, want)
		}
		if got, err := s.Events(ctx, data.EventFilter{}, 0, 0); err != nil || !reflect.DeepEqual(got, dedup) {
			t.Errorf("%s: Events = %+v, %v;\nwant data.DedupEvents of the rows %+v", step, got, err, dedup)
		}
		if got, err := s.Events(ctx, data.EventFilter{}, 2, 3); err != nil || !reflect.DeepEqual(got, data.FilterEvents(dedup, data.EventFilter{}, 2, 3)) {
			t.Errorf("%s: Events(offset 2, limit 3) = %+v, %v", step, got, err)
		}
		snap, err := s.Snapshot(ctx)
		if err != nil || !reflect.DeepEqual(snap.EventCounts, want) || snap.EventsTotal != len(dedup) {
			t.Errorf("%s: snapshot counts %v, total %d, %v; want %v, %d", step, snap.EventCounts, snap.EventsTotal, err, want, len(dedup))
		}
	}
	for _, step := range []struct{ name, action string }{
		{"part0.csv", "import"}, {"part1.csv", "import"}, {"part2.csv", "import"},
		{"part1.csv", "remove"}, {"part2.csv", "remove"}, {"part2.csv", "import"}, {"part1.csv", "import"},
		{"part0.csv", "remove"},
	} {
		var err error
		if step.action == "import" {
			_, err = s.Import(ctx, files[step.name])
			kept = append(kept, step.name)
		} else {
			err = s.Remove(ctx, step.name)
			kept = slices.DeleteFunc(kept, func(n string) bool { return n == step.name })
		}
		if err != nil {
			t.Fatal(err)
		}
		check(step.action + " " + step.name)
	}
}

// testEventsImportedConcurrently imports four files of the same events
// at once: each event counts once, whichever import commits first.
func testEventsImportedConcurrently(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	const n = 4
	var rows []data.Event
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		f := eventsFile("same.csv", 3000)
		f.Dataset.Name, f.Dataset.SHA256 = fmt.Sprint("copy", i, ".csv"), SHA(fmt.Sprint("copy", i))
		rows = append(rows, f.Events...)
		wg.Go(func() { _, errs[i] = s.Import(ctx, f) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	want, dedup := data.CountEvents(rows), data.DedupEvents(rows) // the copies are alike: any order
	if got, err := s.EventCounts(ctx, 0, 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("EventCounts(0, 0) = %v, %v;\ndata.CountEvents gives %v", got, err, want)
	}
	if got, err := s.Events(ctx, data.EventFilter{}, 0, 0); err != nil || !reflect.DeepEqual(got, dedup) {
		t.Errorf("Events gave %d events, %v; want %d", len(got), err, len(dedup))
	}
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
			SideA: sides[i%5], SideB: sides[(i/5)%5], Type: data.EventTypes[i%len(data.EventTypes)], Source: fmt.Sprint("t", i)})
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

// readGDELT reads the GDELT file rel of ../shared/data/gdelt (skipping t
// when it is absent), its bytes changed by edit when not nil.
func readGDELT(t *testing.T, rel, name string, edit func([]byte) []byte) *data.File {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, "gdelt/"+rel))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		b = edit(b)
	}
	f, err := data.Read(name, b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// totalEvents sums counts.
func totalEvents(counts []data.EventCount) (n int64) {
	for _, c := range counts {
		n += c.Count
	}
	return n
}

// testGDELTCountedOnce imports the real GDELT files and counts each event
// once, across files. The expected counts are pandas' on the raw files
// (see data.TestDedupGDELTReal): the four GDELT 2.0 exports hold 316 rows
// kept and 106 interactions, one of them Russia–India's agreement,
// reported once each way; the GDELT 1.0 sample 34 rows and 33 (grouped
// likewise, its historical rows, which have no SOURCEURL, by
// GLOBALEVENTID).
func testGDELTCountedOnce(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	for _, name := range []string{"20161013151500.export.CSV", "20191024143000.export.CSV", "20260514083000.export.CSV", "20260514090000.export.CSV"} {
		if _, err := s.Import(ctx, readGDELT(t, "events_v2/"+name, name, nil)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, rows int, events int64) {
		t.Helper()
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if snap.EventRows != rows || totalEvents(snap.EventCounts) != events || int64(snap.EventsTotal) != events || int64(len(snap.Events)) != events {
			t.Errorf("%s: %d rows, %d events counted, total %d, %d listed; want %d rows, %d events",
				step, snap.EventRows, totalEvents(snap.EventCounts), snap.EventsTotal, len(snap.Events), rows, events)
		}
		var ri int64
		for _, c := range snap.EventCounts {
			if c.SideA == "Russia" && c.SideB == "India" || c.SideA == "India" && c.SideB == "Russia" {
				ri += c.Count
			}
		}
		if ri != 1 {
			t.Errorf("%s: %d Russia–India events; want 1 (one article, reported each way)", step, ri)
		}
	}
	check("four GDELT 2.0 files", 316, 106)

	// The zip of a file imported is the same dataset.
	var dup *data.DuplicateError
	if _, err := s.Import(ctx, readGDELT(t, "events_v2/20260514083000.export.CSV.zip", "20260514083000.export.CSV.zip", nil)); !errors.As(err, &dup) {
		t.Errorf("importing the zip of an imported file: %v; want a *data.DuplicateError", err)
	}
	// The same rows in another file (here with CRLF line endings, so
	// other bytes) count once, whichever file is removed.
	crlf := readGDELT(t, "events_v2/20260514083000.export.CSV", "copy.CSV", func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	})
	if _, err := s.Import(ctx, crlf); err != nil {
		t.Fatal(err)
	}
	check("the 08:30 rows twice", 316+19, 106)
	if err := s.Remove(ctx, "20260514083000.export.CSV"); err != nil {
		t.Fatal(err)
	}
	check("the 08:30 file removed, its copy kept", 316, 106)

	// GDELT 1.0: daily and historical rows.
	if _, err := s.Import(ctx, readGDELT(t, "events_v1/every10th_20160728daily_1982historical.csv", "v1.csv", nil)); err != nil {
		t.Fatal(err)
	}
	check("and the GDELT 1.0 sample", 316+34, 106+33)
}

// CheckBackfill imports rows of one event in two datasets (and others)
// into s, makes them look as if stored before migration 5 (no key, each
// row first, weight 1) with execSQL, and checks that backfill, the
// engine's sqlstore Backfill, gives back the counts, the events and the
// pages of events the import gave.
func CheckBackfill(t *testing.T, s data.Store, execSQL func(sql string) error, backfill func() error) {
	t.Helper()
	ctx := context.Background()
	events := handMadeEvents()
	half := len(events) / 2
	for i, part := range [][]data.Event{events[:half], events[half:]} {
		name := fmt.Sprintf("part%d.csv", i)
		if _, err := s.Import(ctx, &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatEvents, SHA256: SHA(name)}, Events: part}); err != nil {
			t.Fatal(err)
		}
	}
	state := func() string {
		counts, err := s.EventCounts(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.Events(ctx, data.EventFilter{}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v\n%+v", counts, page)
	}
	want := state()
	if err := execSQL(`UPDATE events SET event_key = '', is_first = TRUE, ev_sources = 1, ev_articles = 1`); err != nil {
		t.Fatal(err)
	}
	if state() == want {
		t.Fatal("the rows made old still count as they did")
	}
	if err := backfill(); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != want {
		t.Errorf("after backfill:\n%s\nwant\n%s", got, want)
	}
	if err := backfill(); err != nil || state() != want {
		t.Errorf("a second backfill: %v, or it changed the counts", err)
	}
}

package data

import (
	"cmp"
	"slices"
)

// SnapshotEventLimit is the most event rows a store's Snapshot loads into
// Snapshot.Events (deduplicated there: see DedupEvents). A store holding
// more (a GDELT import runs to millions) loads none: Snapshot.EventsTruncated is set and pages draw every count
// from Snapshot.EventCounts, which the database computes. A partial list
// would be an arbitrary sample of the events, so none is held rather than
// some. 20,000 events take a few megabytes.
const SnapshotEventLimit = 20000

// CountEvents counts events as Store.EventCounts(ctx, 0, 0) counts the
// stored events: one event per key (DedupEvents), each counted under the
// year, sides and type of its first row; one EventCount per year, side A,
// side B and type, ordered by Year, SideA, SideB, Type (byte order),
// undated events under Year 0, with the events' Sources and Articles
// summed. nil when events is empty.
func CountEvents(events []Event) []EventCount {
	type key struct {
		year       int
		a, b, kind string
	}
	m := map[key]*EventCount{}
	for _, e := range DedupEvents(events) {
		k := key{e.Year(), e.SideA, e.SideB, e.Type}
		c := m[k]
		if c == nil {
			c = &EventCount{Year: k.year, SideA: k.a, SideB: k.b, Type: k.kind}
			m[k] = c
		}
		c.Count++
		c.Sources += e.Sources()
		c.Articles += e.Articles()
	}
	var out []EventCount
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y EventCount) int {
		return cmp.Or(cmp.Compare(x.Year, y.Year), cmp.Compare(x.SideA, y.SideA), cmp.Compare(x.SideB, y.SideB), cmp.Compare(x.Type, y.Type))
	})
	return out
}

// EventFilter selects events. Zero fields select everything: Type "" any
// type, Country "" any country, From or To 0 no bound on that side.
type EventFilter struct {
	Type    string // the event's Type equals it
	Country string // SideA or SideB equals it (canonical names, byte equality)
	// From and To bound the year of the event's date, inclusive. When
	// either is set, events whose date has no year are left out.
	From, To int
}

// Selects reports whether f selects an event of type typ between sides a
// and b dated in year (0: the date has no year), and, when it does not,
// whether it left the event out only because f bounds the year and the
// event has none (noYear), so pages can say how many such events a year
// filter hides.
func (f EventFilter) Selects(typ, a, b string, year int) (ok, noYear bool) {
	if f.Type != "" && typ != f.Type {
		return false, false
	}
	if f.Country != "" && a != f.Country && b != f.Country {
		return false, false
	}
	if f.From != 0 || f.To != 0 {
		if year == 0 {
			return false, true
		}
		if (f.From != 0 && year < f.From) || (f.To != 0 && year > f.To) {
			return false, false
		}
	}
	return true, false
}

// SelectsEvent is Selects for e.
func (f EventFilter) SelectsEvent(e Event) bool {
	ok, _ := f.Selects(e.Type, e.SideA, e.SideB, e.Year())
	return ok
}

// FilterEvents returns the events f selects, in order, skipping the first
// offset of them and returning at most limit (limit <= 0: all the rest),
// as Store.Events does on the stored events.
func FilterEvents(events []Event, f EventFilter, offset, limit int) []Event {
	var out []Event
	for _, e := range events {
		if !f.SelectsEvent(e) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, e)
	}
	return out
}

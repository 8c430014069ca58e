package data

import (
	"cmp"
	"slices"
)

// SnapshotEventLimit is the most event rows a store's Snapshot loads into
// Snapshot.Events. A store holding more (a GDELT import runs to millions)
// loads none: Snapshot.EventsTruncated is set and pages draw every count
// from Snapshot.EventCounts, which the database computes. A partial list
// would be an arbitrary sample of the events, so none is held rather than
// some. 20,000 events take a few megabytes.
const SnapshotEventLimit = 20000

// CountEvents counts events as Store.EventCounts(ctx, 0, 0) counts the
// stored events: one EventCount per year, side A, side B and type, ordered
// by Year, SideA, SideB, Type (byte order), undated events under Year 0.
// nil when events is empty.
func CountEvents(events []Event) []EventCount {
	type key struct {
		year       int
		a, b, kind string
	}
	m := map[key]int64{}
	for _, e := range events {
		m[key{e.Year(), e.SideA, e.SideB, e.Type}]++
	}
	var out []EventCount
	for k, n := range m {
		out = append(out, EventCount{Year: k.year, SideA: k.a, SideB: k.b, Type: k.kind, Count: n})
	}
	slices.SortFunc(out, func(x, y EventCount) int {
		return cmp.Or(cmp.Compare(x.Year, y.Year), cmp.Compare(x.SideA, y.SideA), cmp.Compare(x.SideB, y.SideB), cmp.Compare(x.Type, y.Type))
	})
	return out
}

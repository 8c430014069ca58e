package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Each event is counted once. A GDELT event export lists an interaction
// as several rows: one per GLOBALEVENTID, and often one for each order of
// the two actors ("India signs with Russia", "Russia signs with India")
// and for each way the article words it. Two imported files can hold the
// same rows (GDELT's 15-minute updates overlap with its daily files, and
// an events CSV may be imported again with rows added). The rows that
// EventKey gives the same key are one event, wherever they are stored:
// counts (CountEvents, Store.EventCounts), charts, rate ratios and
// correlations all count events, never rows.

// EventKey says which rows are one event: rows with equal keys are. See
// Event.Key.
type EventKey struct {
	GDELT bool
	Date  string
	// Lo and Hi are the two sides, in byte order, so that A–B and B–A
	// are the same pair.
	Lo, Hi string
	// Kind is the CAMEO root code (the first two digits of Code) for
	// GDELT rows, the Type for others.
	Kind string
	// Source is the SourceURL for GDELT rows, the Source for others.
	Source string
	// Extra tells apart rows that the fields above cannot: the
	// GLOBALEVENTID of a GDELT row without a source URL (GDELT 1.0's
	// historical files have none, so no two of their rows are known to
	// report the same article), the DateNote of an events CSV row (two
	// undated meetings in one article, "on Monday" and "on Friday").
	Extra string
}

// Key returns the event's key:
//
//   - a GDELT row (SourceID set) with a source URL: its day, its two
//     sides in either order, its CAMEO root code and the URL. Rows of the
//     same day between the same two countries with the same root code
//     from the same article are one interaction, however many
//     GLOBALEVENTIDs GDELT gave it and whichever actor it put first; and
//     a row with the same GLOBALEVENTID in two files, being the same row,
//     has the same key.
//   - a GDELT row without a source URL: the same, and its GLOBALEVENTID.
//   - an events CSV row: its date, its two sides in either order, its
//     type, its source and its date note.
//
// Actors, place and summary are not part of the key: they are how one
// report words the interaction, and a page lists every row of an event
// (Event.Also).
//
// The stores group rows by the same key in SQL (data/internal/sqlstore),
// and their tests check that they count as CountEvents does.
func (e Event) Key() EventKey {
	lo, hi := e.SideA, e.SideB
	if hi < lo {
		lo, hi = hi, lo
	}
	k := EventKey{GDELT: e.SourceID != "", Date: e.Date, Lo: lo, Hi: hi}
	switch {
	case !k.GDELT:
		k.Kind, k.Source, k.Extra = e.Type, e.Source, e.DateNote
	default:
		k.Kind, k.Source = e.Code[:min(2, len(e.Code))], e.SourceURL
		if e.SourceURL == "" {
			k.Extra = e.SourceID
		}
	}
	return k
}

// ID returns the key as text that the stores index: the hex SHA-256
// (its first 16 bytes) of the fields, each preceded by its length, so
// that no two keys give the same text.
func (k EventKey) ID() string {
	h := sha256.New()
	kind := "list"
	if k.GDELT {
		kind = "gdelt"
	}
	for _, f := range []string{kind, k.Date, k.Lo, k.Hi, k.Kind, k.Source, k.Extra} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// DedupEvents returns one event per key (Event.Key) of rows, in the order
// of each key's first row: that row, with the later rows of its key
// appended to its Also (theirs emptied). An event that already has Also
// keeps them, so DedupEvents of its own result returns it unchanged.
// nil when rows is empty.
func DedupEvents(rows []Event) []Event {
	var out []Event
	at := map[EventKey]int{}
	for _, r := range rows {
		k := r.Key()
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, r)
			continue
		}
		also := r.Also
		r.Also = nil
		out[i].Also = append(append(out[i].Also, r), also...)
	}
	return out
}

// Sources is the event's weight by sources: the most NumSources of its
// rows (they report one interaction, so their counts overlap rather than
// add up), and at least 1, the source that reported it.
func (e Event) Sources() int64 { return e.most(func(r Event) int { return r.NumSources }) }

// Articles is the event's weight by articles: the most NumArticles of its
// rows, and at least 1.
func (e Event) Articles() int64 { return e.most(func(r Event) int { return r.NumArticles }) }

// most returns the largest of f over e and its Also, at least 1.
func (e Event) most(f func(Event) int) int64 {
	n := max(1, f(e))
	for _, r := range e.Also {
		n = max(n, f(r))
	}
	return int64(n)
}

// SetEvents puts rows, the event rows of every dataset (oldest import
// first, each in file order), into the snapshot: Events holds them
// deduplicated (DedupEvents), EventRows counts the rows (those in an
// event's Also too), EventsTotal the events, and EventCounts counts them
// (CountEvents).
func (s *Snapshot) SetEvents(rows []Event) {
	s.Events = DedupEvents(rows)
	s.EventRows, s.EventsTotal = 0, len(s.Events)
	for _, e := range s.Events {
		s.EventRows += 1 + len(e.Also)
	}
	s.EventCounts = CountEvents(s.Events)
}

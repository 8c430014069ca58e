package data

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Store holds imported datasets. Two engines implement it: data/sqlite (a
// file, the default) and data/postgres (a server several armsdash processes
// share). Implementations are safe for concurrent use.
type Store interface {
	// Import stores f whole, in one transaction, and returns its dataset.
	// A file whose SHA-256 the store holds already is refused with a
	// *DuplicateError; on any failure the store is left as it was.
	Import(ctx context.Context, f *File) (Dataset, error)
	// Snapshot returns everything the dashboard shows, read consistently;
	// the built-in dataset (Builtin true) when the store is empty.
	Snapshot(ctx context.Context) (*Snapshot, error)
	// Entries lists the stored datasets with their import details, newest
	// import first; nil when the store is empty.
	Entries(ctx context.Context) ([]Entry, error)
	// Datasets lists the stored datasets, newest import first.
	Datasets(ctx context.Context) ([]Dataset, error)
	// Remove deletes the dataset called name (or whose SHA-256 starts with
	// name, 8 or more hex digits) with all its rows. No match is an error
	// wrapping ErrNotFound; several are an *AmbiguousError.
	Remove(ctx context.Context, name string) error
	// Version changes whenever an import or removal commits, whichever
	// process made it; for an empty store it is the built-in dataset's.
	Version(ctx context.Context) (string, error)
	// File returns a stored dataset (named as for Remove) with all its
	// rows, equal to the File that was imported as a reader without
	// Options.Lean makes it, but for its Bytes, which is 0.
	File(ctx context.Context, name string) (*File, error)
	// EventCounts counts the stored events by year, sides and type, in the
	// database; see EventCount.
	EventCounts(ctx context.Context, from, to int) ([]EventCount, error)
	// Events returns the stored events f selects, in the order Snapshot
	// lists them (oldest import first, each in file order), skipping the
	// first offset and returning at most limit (limit <= 0: all the rest),
	// as data.FilterEvents does. Pages use it to list events a page at a
	// time when a snapshot holds too many to keep (EventsTruncated).
	Events(ctx context.Context, f EventFilter, offset, limit int) ([]Event, error)
	// Close releases the store's connections.
	Close() error
}

// Entry is a stored dataset with what the store adds to it.
type Entry struct {
	Dataset
	ID         int64    // the store's key for the dataset; never reused
	Skipped    int      // rows the reader skipped (see Options.SkipBad)
	Unmapped   []string // country names the reader could not map
	ImportedAt time.Time
}

// EventCount is how many stored events of one type between SideA and SideB
// are dated in Year. Store.EventCounts(ctx, from, to) returns one per year,
// side A, side B and type that has events with from <= Year <= to (to <= 0:
// no upper bound), ordered by Year, SideA, SideB, Type (byte order). Events
// whose date has no year (Event.Year() is 0) are counted under Year 0, so
// only when from <= 0.
//
// Events are counted, not rows: the rows of every dataset that share a key
// (Event.Key) are one event, counted once, under the year, sides and type
// of its first row (oldest import first, then file order). Sides are
// counted as that row has them: an event between B and A is not one
// between A and B.
type EventCount struct {
	Year  int
	SideA string
	SideB string
	Type  string
	Count int64
	// Sources and Articles sum the events' Event.Sources and
	// Event.Articles: the counts weighted by GDELT's NumSources and
	// NumArticles (1 for an event without them).
	Sources, Articles int64
}

// DuplicateError is returned by Store.Import when the store already holds a
// file with the same SHA-256; Existing describes it. Nothing is changed.
type DuplicateError struct {
	Existing Dataset
}

// Error names the dataset that holds the same bytes.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("already imported as %q (format %s, sha256 %s)", e.Existing.Name, e.Existing.Format, shortSHA(e.Existing.SHA256))
}

// AmbiguousError is returned by Store.Remove and Store.File when a name
// matches several datasets.
type AmbiguousError struct {
	Name    string
	Matches []Dataset
}

// Error lists the matching datasets by SHA-256 prefix.
func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d datasets match %q; name one by its SHA-256 prefix:", len(e.Matches), e.Name)
	for _, d := range e.Matches {
		fmt.Fprintf(&b, " %s", shortSHA(d.SHA256))
	}
	return b.String()
}

// MatchEntries finds the entries that name designates for Store.Remove and
// Store.File: those whose Name is name or, when none is, those whose
// SHA-256 starts with name (at least 8 hex digits, any case).
func MatchEntries(es []Entry, name string) []Entry {
	var out []Entry
	for _, e := range es {
		if e.Name == name {
			out = append(out, e)
		}
	}
	if len(out) > 0 || len(name) < 8 {
		return out
	}
	for _, e := range es {
		if strings.HasPrefix(e.SHA256, strings.ToLower(name)) {
			out = append(out, e)
		}
	}
	return out
}

// MatchEntry returns the one entry of es that name designates (see
// MatchEntries). When none does the error wraps ErrNotFound; when several
// do it is an *AmbiguousError listing them.
func MatchEntry(es []Entry, name string) (Entry, error) {
	m := MatchEntries(es, name)
	switch len(m) {
	case 0:
		return Entry{}, fmt.Errorf("dataset %q: %w", name, ErrNotFound)
	case 1:
		return m[0], nil
	}
	amb := &AmbiguousError{Name: name}
	for _, e := range m {
		amb.Matches = append(amb.Matches, e.Dataset)
	}
	return Entry{}, amb
}

// shortSHA returns the first 12 hex digits of a SHA-256.
func shortSHA(sha string) string { return sha[:min(12, len(sha))] }

// StoreVersion is the Version of a store holding es (newest import first,
// as Entries lists them) whose change counter is generation: "db-" and the
// first 12 hex digits of the SHA-256 of the datasets' SHA-256s, oldest
// first, and the counter. Every engine computes its version this way, so
// equal contents and history give equal versions.
func StoreVersion(es []Entry, generation int64) string {
	h := sha256.New()
	for i := len(es) - 1; i >= 0; i-- {
		h.Write([]byte(es[i].SHA256))
	}
	h.Write([]byte("generation " + strconv.FormatInt(generation, 10)))
	return "db-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// flowRank orders the kinds of dataset that carry yearly flows, preferred
// first, as the readers table ranks them (detect.go); formats not listed
// carry none.
func flowRank() map[Format]int {
	m := map[Format]int{}
	for _, r := range readers {
		if r.flows != "" {
			m[r.format] = r.rank
		}
	}
	return m
}

// FlowEntries returns the entries of es (newest import first, as Entries
// lists them) whose format carries yearly flows, in the order
// Snapshot.FlowSets lists them: per-delivery-year listings, then flows
// files, then TIV tables; within a kind by Vintage, newest first (undated
// last), then newest import (highest ID).
func FlowEntries(es []Entry) []Entry { return rankedEntries(es, flowRank()) }

// dealRank orders the trade register formats: the current one, with TIV,
// before the legacy one, which has none.
var dealRank = map[Format]int{FormatSIPRIRegister: 0, FormatSIPRIRegisterLegacy: 1}

// DealEntries returns the entries of es that are trade registers, in the
// order Snapshot.DealSets lists them: current format before legacy, then
// as FlowEntries orders within a kind.
func DealEntries(es []Entry) []Entry { return rankedEntries(es, dealRank) }

// IndicatorEntries returns the entries of es that are World Bank WDI
// files, in the order Snapshot.IndicatorSets lists them: Vintage newest
// first (undated last), then newest import.
func IndicatorEntries(es []Entry) []Entry {
	return rankedEntries(es, map[Format]int{FormatWDI: 0})
}

// rankedEntries returns the entries of es whose format rank lists, sorted
// by rank, then Vintage newest first (undated last), then highest ID.
func rankedEntries(es []Entry, rank map[Format]int) []Entry {
	var out []Entry
	for _, e := range es {
		if _, ok := rank[e.Format]; ok {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := cmp.Compare(rank[a.Format], rank[b.Format]); c != 0 {
			return c
		}
		if a.Vintage != b.Vintage {
			if a.Vintage == "" || b.Vintage == "" {
				return cmp.Compare(len(b.Vintage), len(a.Vintage)) // dated first
			}
			return cmp.Compare(b.Vintage, a.Vintage)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}

// DatasetsOf returns the datasets of entries, in their order; nil for none.
func DatasetsOf(entries []Entry) []Dataset {
	var ds []Dataset
	for _, e := range entries {
		ds = append(ds, e.Dataset)
	}
	return ds
}

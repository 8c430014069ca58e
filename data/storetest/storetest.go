// Package storetest is the behaviour test suite every data.Store engine
// passes: data/sqlite and data/postgres call Run from their tests with an
// Engine, which opens a fresh, empty store and reaches into it where a
// test must (counting a table's rows, cancelling an import midway). The
// files it imports are made up in code to exercise the store (names such
// as "a.csv", countries "R0"…"R49"), and are never shown as data, except
// for the real files of ../shared/data that SharedFiles reads.
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// Engine is what the suite needs of a data.Store engine: a way to open
// a store, and a few hooks into its workings.
type Engine struct {
	// Open returns a fresh, empty store, closed when t ends.
	Open func(t *testing.T) data.Store
	// Reopen opens another handle on the store s, as another armsdash
	// process would, closed when t ends.
	Reopen func(t *testing.T, s data.Store) data.Store
	// Rows counts the rows of a table of s, one of rowtable.Names.
	Rows func(t *testing.T, s data.Store, table string) int
	// Exec runs one SQL statement on s, outside the store's methods, to
	// bring it back to an older schema.
	Exec func(t *testing.T, s data.Store, sql string)
	// OnWrite sets (nil: clears) the function that s calls now and then
	// while an import writes the rows of a table, with the table and the
	// rows written so far, so tests can cancel an import midway.
	OnWrite func(s data.Store, fn func(table string, n int))
	// SetNow sets the clock that stamps s's imports.
	SetNow func(s data.Store, now func() time.Time)
	// TimeResolution is how finely s keeps Entry.ImportedAt.
	TimeResolution time.Duration
	// OrderColumn is the column of the row tables that keeps file order,
	// numbering rows from 1, if they have one; "" if the engine keeps it
	// itself (SQLite's rowid). Rows inserted with Exec set it.
	OrderColumn string
}

// Run runs the suite on engine e. Each subtest opens its own store.
func Run(t *testing.T, e Engine) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e Engine)
	}{
		{"ImportRoundTrip", testImportRoundTrip},
		{"ImportedAt", testImportedAt},
		{"ImportRefusesIncompleteDataset", testImportRefusesIncomplete},
		{"ImportDuplicate", testImportDuplicate},
		{"ImportDuplicateConcurrent", testImportDuplicateConcurrent},
		{"ImportRollback", testImportRollback},
		{"RemoveAndVersion", testRemoveAndVersion},
		{"RemoveCascades", testRemoveCascades},
		{"DetailsMigration", testDetailsMigration},
		{"VersionAcrossHandles", testVersionAcrossHandles},
		{"SnapshotEmptyIsBuiltin", testSnapshotEmptyIsBuiltin},
		{"Snapshot", testSnapshot},
		{"SnapshotDealsAndIndicators", testSnapshotDealsAndIndicators},
		{"EventCounts", testEventCounts},
		{"EventCountsMatchCountEvents", testEventCountsMatchCountEvents},
		{"EventCountsManyEvents", testEventCountsManyEvents},
		{"SnapshotTruncatesEvents", testSnapshotTruncatesEvents},
		{"EventsPages", testEventsPages},
		{"EventsAcrossDatasets", testEventsAcrossDatasets},
		{"EventsImportedConcurrently", testEventsImportedConcurrently},
		{"GDELTCountedOnce", testGDELTCountedOnce},
		{"ConcurrentImportAndSnapshot", testConcurrentImportAndSnapshot},
		{"SharedFiles", testSharedFiles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, e) })
	}
}

// SHA returns the hex SHA-256 of s.
func SHA(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// SampleFile returns a file with every kind of row, every field set.
func SampleFile(name string) *data.File {
	return &data.File{
		Dataset: data.Dataset{Name: name, Format: data.FormatSIPRIDeliveries, Source: "SIPRI Arms Transfers Database",
			Attribution: "Source: SIPRI", Licence: "non-commercial", Vintage: "2026-02-12", SHA256: SHA(name), Rows: 2},
		Deliveries: []data.Delivery{
			{DealID: 7, Supplier: "China", Recipient: "Pakistan", Designation: "JF-17", Description: "FGA aircraft", Category: "Aircraft",
				OrderYear: 2008, OrderYearEstimate: true, Number: 12, NumberEstimate: true, Year: 2010, YearEstimate: true,
				Status: "New", TIVUnitNew: 15.5, TIVUnit: 15.5, TIV: 186, LocalProduction: true},
			{DealID: 8, Supplier: "China", Recipient: "Pakistan", Designation: "F-22P", Description: "frigate", Category: "Ships",
				Year: 2010, Status: "Second hand", TIV: 0.125},
		},
		Flows: []data.Flow{{Supplier: "Russia", Recipient: "India", Year: 2001, TIV: 1234.567}},
		Deals: []data.Deal{{LegacyID: 3, Supplier: "NATO", SupplierKind: data.PartyOrganisation, Recipient: "Hezbollah (Lebanon)",
			RecipientKind: data.PartyNonState, OrderYear: 2001, OrderYearUncertain: true, NumberOrdered: 4, HasNumberOrdered: true,
			NumberOrderedUncertain: true, Designation: "Mi-17", Description: "helicopter", NumberDelivered: 3, HasNumberDelivered: true,
			NumberDeliveredUncertain: true, DeliveryYears: []int{2002, 2004}, DeliveryFrom: 2002, DeliveryTo: 2004,
			Status: "Second hand but modernized", StatusUncertain: true, RecipientInvolvement: true, Comments: "a; b",
			HasTIV: true, TIVPerUnit: 5.5, TIVOrder: 22, TIVDelivered: 16.5, TIVOrderUnknown: true},
			{Supplier: "unknown supplier(s)", SupplierKind: data.PartyUnknown, Recipient: "Mali", RecipientKind: data.PartyState}},
		TIVValues: []data.TIVValue{{Supplier: "China", Recipient: "Pakistan", Year: 2020, TIV: 747}, {Recipient: "Mali", Category: "Ships", Year: 1999, Small: true}},
		Indicators: []data.IndicatorValue{{CountryName: "Korea, Dem. People’s Rep.", CountryCode: "PRK", Indicator: "MS.MIL.MPRT.KD",
			IndicatorName: "Arms imports", Year: 1991, Value: 5.61e8, Aggregate: true}},
		Events: []data.Event{{Date: "2023-04", Precision: "month", DateNote: "in April", SideA: "China", SideB: "Pakistan", Actors: "Li; Niazi",
			Type: "defence-ministers", Place: "Beijing", Summary: "met, \"quoted\"\nnext line", Source: "001.txt", SourceID: "99", Code: "042", SourceURL: "https://x.example/a",
			NumSources: 3, NumArticles: 5, Root: true}},
		Figures: []data.Figure{{Measure: data.MeasureSupplierShare, Supplier: "China", Recipient: "Pakistan", From: 2019, To: 2023,
			Percent: 81.5, Approximate: true, Quote: "81%", Publisher: "SIPRI", Vintage: "2024", VintageNote: "march", Source: "002.txt"}},
		Equipment: []data.Equipment{{Name: "JF-17", Kind: "combat aircraft", Supplier: "China", User: "Pakistan", Service: "air force",
			Relation: "co-production agreed", Quote: "q", Source: "003.txt"}},
		Unmapped: []string{"Atlantis", "Ruritania"},
		Skipped:  []*data.ParseError{{File: name, Line: 9, Column: "Delivery year", ColumnNumber: 11, Msg: `"x" is not a year`}, {File: name, Line: 12, Msg: "too short"}},
	}
}

// BigFile returns a per-delivery-year listing of n deliveries, all valid,
// and one event, its own (its source is the file's name).
func BigFile(name string, n int) *data.File {
	f := &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatSIPRIDeliveries, SHA256: SHA(name), Rows: n}}
	for i := range n {
		f.Deliveries = append(f.Deliveries, data.Delivery{DealID: i + 1, Supplier: "China", Recipient: fmt.Sprint("R", i%50),
			Year: 1990 + i%30, Status: "New", TIV: float64(i%7) / 4})
	}
	f.Events = []data.Event{{Date: "2020", Precision: "year", SideA: "China", SideB: "R1", Type: "visit", Source: name}}
	return f
}

// WithFlows gives f n flows besides its rows, China to R0…R49 over 30
// years, and returns it.
func WithFlows(f *data.File, n int) *data.File {
	for i := range n {
		f.Flows = append(f.Flows, data.Flow{Supplier: "China", Recipient: fmt.Sprint("R", i%50), Year: 1990 + i%30, TIV: float64(i%7) / 4})
	}
	return f
}

// State renders everything s holds as its API shows it (entries, version,
// every stored file with all its rows, the snapshot), to compare a store
// before and after an operation.
func State(t testing.TB, s data.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	v, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "version %s\n", v)
	es, err := s.Entries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		fmt.Fprintf(&b, "entry %+v\n", e)
		f, err := s.File(ctx, e.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "file %+v\n", *f)
		for _, pe := range f.Skipped {
			fmt.Fprintf(&b, "skipped %+v\n", *pe)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plain := *snap
	plain.FlowSets = nil
	for _, fs := range snap.FlowSets {
		plain.FlowSets = append(plain.FlowSets, fs.WithDetails())
	}
	fmt.Fprintf(&b, "snapshot %+v\n", plain)
	return b.String()
}

// datasetNames returns the names of ds, in order, separated by spaces.
func datasetNames(ds []data.Dataset) string {
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	return strings.Join(names, " ")
}

// flowSetNames returns the dataset names of snap's flow sets, in order,
// separated by spaces.
func flowSetNames(snap *data.Snapshot) string {
	var ds []data.Dataset
	for _, fs := range snap.FlowSets {
		ds = append(ds, fs.Dataset)
	}
	return datasetNames(ds)
}

// FlowsEqual compares flows in order, TIV within tol (a database and Go
// may add in different orders).
func FlowsEqual(got, want []data.Flow, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Supplier != w.Supplier || g.Recipient != w.Recipient || g.Year != w.Year || math.Abs(g.TIV-w.TIV) > tol {
			return false
		}
	}
	return true
}

// DetailsEqual compares flow details in order, TIV and EstimatedTIV
// within tol.
func DetailsEqual(got, want []data.FlowDetail, tol float64) bool {
	return slices.EqualFunc(got, want, func(g, w data.FlowDetail) bool {
		return g.Supplier == w.Supplier && g.Recipient == w.Recipient && g.Year == w.Year && g.Category == w.Category &&
			g.Status == w.Status && g.LocalProduction == w.LocalProduction &&
			math.Abs(g.TIV-w.TIV) <= tol && math.Abs(g.EstimatedTIV-w.EstimatedTIV) <= tol
	})
}

func testImportRoundTrip(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	in := SampleFile("sample.csv")
	// Stores keep at least microseconds.
	before := time.Now().Truncate(time.Microsecond)
	got, err := s.Import(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if got != in.Dataset {
		t.Errorf("Import returned %+v; want %+v", got, in.Dataset)
	}
	out, err := s.File(ctx, "sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("stored file reads back as\n%+v\nwant\n%+v", out, in)
	}
	es, err := s.Entries(ctx)
	if err != nil || len(es) != 1 {
		t.Fatalf("Entries = %v, %v", es, err)
	}
	entry := es[0]
	if entry.Dataset != in.Dataset || entry.Skipped != 2 || !reflect.DeepEqual(entry.Unmapped, in.Unmapped) {
		t.Errorf("entry = %+v; want the dataset, 2 skipped, unmapped %q", entry, in.Unmapped)
	}
	if entry.ImportedAt.Before(before) || entry.ImportedAt.After(after) {
		t.Errorf("ImportedAt = %v; want between %v and %v", entry.ImportedAt, before, after)
	}
	ds, err := s.Datasets(ctx)
	if err != nil || len(ds) != 1 || ds[0] != in.Dataset {
		t.Errorf("Datasets = %v, %v; want the one imported", ds, err)
	}
	// By SHA-256 prefix too, in either case.
	for _, prefix := range []string{in.Dataset.SHA256[:10], strings.ToUpper(in.Dataset.SHA256[:8])} {
		if f, err := s.File(ctx, prefix); err != nil || f.Dataset.Name != "sample.csv" {
			t.Errorf("File(%s) = %v, %v", prefix, f, err)
		}
	}
	// A prefix shorter than 8 digits names nothing.
	if _, err := s.File(ctx, in.Dataset.SHA256[:7]); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("File(7-digit prefix) err = %v; want ErrNotFound", err)
	}
	if _, err := s.File(ctx, "nope"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("File(nope) err = %v; want ErrNotFound", err)
	}
}

func testImportRefusesIncomplete(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	for _, tt := range []struct {
		name string
		edit func(*data.Dataset)
	}{
		{"no SHA-256", func(d *data.Dataset) { d.SHA256 = "" }},
		{"short SHA-256", func(d *data.Dataset) { d.SHA256 = d.SHA256[:63] }},
		{"no name", func(d *data.Dataset) { d.Name = "" }},
		{"no format", func(d *data.Dataset) { d.Format = "" }},
	} {
		f := SampleFile("x.csv")
		tt.edit(&f.Dataset)
		if _, err := s.Import(ctx, f); err == nil {
			t.Errorf("%s: import succeeded", tt.name)
		}
	}
	if ds, err := s.Datasets(ctx); err != nil || len(ds) != 0 {
		t.Errorf("Datasets = %v, %v; want none", ds, err)
	}
}

func testImportDuplicate(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	first := SampleFile("a.csv")
	if _, err := s.Import(ctx, first); err != nil {
		t.Fatal(err)
	}
	before := State(t, s)
	again := SampleFile("a.csv")
	again.Dataset.Name = "renamed.csv" // same bytes under another name
	_, err := s.Import(ctx, again)
	var dup *data.DuplicateError
	if !errors.As(err, &dup) {
		t.Fatalf("second import err = %v; want *data.DuplicateError", err)
	}
	if dup.Existing != first.Dataset {
		t.Errorf("Existing = %+v; want %+v", dup.Existing, first.Dataset)
	}
	if after := State(t, s); after != before {
		t.Errorf("duplicate import changed the store:\nbefore\n%.3000s\nafter\n%.3000s", before, after)
	}
}

// testImportDuplicateConcurrent imports the same bytes from several
// goroutines at once: exactly one import succeeds, the others are
// *DuplicateErrors.
func testImportDuplicateConcurrent(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f := BigFile("same.csv", 3000)
			f.Dataset.Name = fmt.Sprint("copy", i, ".csv")
			_, errs[i] = s.Import(ctx, f)
		})
	}
	wg.Wait()
	ok, dups := 0, 0
	for _, err := range errs {
		var dup *data.DuplicateError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &dup):
			dups++
		default:
			t.Errorf("concurrent import: %v", err)
		}
	}
	if ok != 1 || dups != n-1 {
		t.Errorf("%d imports succeeded, %d were duplicates; want 1 and %d", ok, dups, n-1)
	}
	if ds, err := s.Datasets(ctx); err != nil || len(ds) != 1 {
		t.Errorf("Datasets = %v, %v; want exactly one", ds, err)
	}
}

// testImportRollback makes imports fail midway: on a row the schema
// refuses, or cancelled. The store is left as it was, every connection
// still works, and the next import succeeds.
func testImportRollback(t *testing.T, e Engine) {
	ctx := context.Background()
	tests := []struct {
		name string
		file func() *data.File
		// cancelAt, if set, cancels the import once this many
		// flows are written.
		cancelAt int
		want     string // in the error
	}{
		{
			name: "flow 4322 of 5000 violates a constraint",
			file: func() *data.File {
				f := WithFlows(BigFile("bad.csv", 100), 5000)
				f.Flows[4321].Supplier = "" // a flow names its supplier
				return f
			},
			want: "flows",
		},
		{
			name: "delivery 4322 of 5000 has no supplier",
			file: func() *data.File {
				f := BigFile("bad.csv", 5000)
				f.Deliveries[4321].Supplier = "" // refused as it is packed
				return f
			},
			want: "delivery 4322 of 5000: no supplier",
		},
		{
			name: "year out of range in a later table",
			file: func() *data.File {
				f := BigFile("bad.csv", 3000)
				f.Flows = []data.Flow{{Supplier: "A", Recipient: "B", Year: 1492, TIV: 1}}
				return f
			},
			want: "flows",
		},
		{
			name:     "context cancelled after 3000 rows",
			file:     func() *data.File { return WithFlows(BigFile("bad.csv", 100), 10000) },
			cancelAt: 3000,
			want:     context.Canceled.Error(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := e.Open(t)
			if _, err := s.Import(ctx, SampleFile("kept.csv")); err != nil {
				t.Fatal(err)
			}
			before := State(t, s)
			ictx, cancel := context.WithCancel(ctx)
			defer cancel()
			if tt.cancelAt > 0 {
				e.OnWrite(s, func(table string, n int) {
					if table == "flows" && n >= tt.cancelAt {
						cancel()
					}
				})
			}
			_, err := s.Import(ictx, tt.file())
			e.OnWrite(s, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want one naming %q", err, tt.want)
			}
			if tt.cancelAt > 0 && !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v; want it to wrap context.Canceled", err)
			}
			if after := State(t, s); after != before {
				t.Errorf("failed import changed the store:\nbefore\n%.3000s\nafter\n%.3000s", before, after)
			}
			// More reads than a pool holds connections: none was left
			// broken by the failure.
			for range 64 {
				if _, err := s.Version(ctx); err != nil {
					t.Fatal(err)
				}
			}
			// The store still works: the same name imports once the data is good.
			if _, err := s.Import(ctx, BigFile("bad.csv", 100)); err != nil {
				t.Errorf("import after a failed one: %v", err)
			}
		})
	}
}

func testRemoveAndVersion(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	builtin, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	v0, err := s.Version(ctx)
	if err != nil || v0 != builtin.Version {
		t.Errorf("empty store version = %q, %v; want the built-in %q", v0, err, builtin.Version)
	}
	seen := map[string]string{v0: "empty"}
	step := func(what string) {
		t.Helper()
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[v]; ok {
			t.Errorf("version after %s = %s, same as after %s", what, v, prev)
		}
		if !strings.HasPrefix(v, "db-") {
			t.Errorf("version after %s = %s; want db-…", what, v)
		}
		seen[v] = what
	}
	if _, err := s.Import(ctx, BigFile("a.csv", 10)); err != nil {
		t.Fatal(err)
	}
	step("import a")
	b := BigFile("b.csv", 20)
	if _, err := s.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	step("import b")
	ds, err := s.Datasets(ctx)
	if err != nil || len(ds) != 2 || ds[0].Name != "b.csv" || ds[1].Name != "a.csv" {
		t.Fatalf("Datasets = %v, %v; want b.csv then a.csv", ds, err)
	}
	vBefore, _ := s.Version(ctx)
	if err := s.Remove(ctx, "nope.csv"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Remove(nope) = %v; want ErrNotFound", err)
	}
	if v, _ := s.Version(ctx); v != vBefore {
		t.Errorf("a failed Remove changed the version from %s to %s", vBefore, v)
	}
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	step("remove b")
	if f, err := s.File(ctx, "a.csv"); err != nil || len(f.Deliveries) != 10 {
		t.Errorf("a.csv after removing b: %v; want its 10 deliveries", err)
	}
	if snap, err := s.Snapshot(ctx); err != nil || len(snap.Events) != 1 || len(snap.FlowSets) != 1 {
		t.Errorf("snapshot after removing b: %v; want a's 1 event and 1 flow set", err)
	}
	// Same bytes again, after removal: allowed, and a new version.
	if _, err := s.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	step("reimport b")

	// Two datasets of one name: Remove asks for the SHA-256 prefix.
	b2 := BigFile("b.csv", 5)
	b2.Dataset.SHA256 = SHA("other bytes")
	if _, err := s.Import(ctx, b2); err != nil {
		t.Fatal(err)
	}
	step("import b2")
	var amb *data.AmbiguousError
	if err := s.Remove(ctx, "b.csv"); !errors.As(err, &amb) || len(amb.Matches) != 2 {
		t.Errorf("Remove of an ambiguous name = %v; want *data.AmbiguousError with 2 matches", err)
	}
	if _, err := s.File(ctx, "b.csv"); !errors.As(err, &amb) {
		t.Errorf("File of an ambiguous name = %v; want *data.AmbiguousError", err)
	}
	if err := s.Remove(ctx, b2.Dataset.SHA256[:8]); err != nil {
		t.Errorf("Remove by SHA-256 prefix: %v", err)
	}
	step("remove b2")
	for _, name := range []string{"a.csv", "b.csv"} {
		if err := s.Remove(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := s.Version(ctx); v != builtin.Version {
		t.Errorf("emptied store version = %q; want the built-in %q", v, builtin.Version)
	}
	// Importing again after emptying gives a version not seen before: the
	// change counter keeps counting.
	if _, err := s.Import(ctx, BigFile("a.csv", 10)); err != nil {
		t.Fatal(err)
	}
	step("import a again")
}

func testSnapshotEmptyIsBuiltin(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := data.Builtin()
	if !snap.Builtin || !reflect.DeepEqual(snap, want) {
		t.Errorf("empty store snapshot is not the built-in dataset: %+v", snap.Datasets)
	}
	if v, _ := s.Version(ctx); v != snap.Version {
		t.Errorf("Version = %q; snapshot has %q", v, snap.Version)
	}
}

func testSnapshot(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	// Imported in an order unlike the preference order.
	tiv := &data.File{Dataset: data.Dataset{Name: "tiv.csv", Format: data.FormatSIPRITIVTable, Vintage: "2026-01-01", SHA256: SHA("tiv")},
		TIVValues: []data.TIVValue{
			{Supplier: "China", Recipient: "Pakistan", Year: 2020, TIV: 747},
			{Supplier: "China", Recipient: "Bangladesh", Year: 2020, Small: true},
			{Supplier: "", Recipient: "Pakistan", Year: 2020, TIV: 900},                       // all suppliers: no flow
			{Supplier: "China", Recipient: "Pakistan", Category: "Ships", TIV: 5, Year: 2020}, // category: no flow
		}}
	world := &data.File{Dataset: data.Dataset{Name: "world.csv", Format: data.FormatSIPRITIVTableOld, Vintage: "2023-03-01", SHA256: SHA("world")},
		TIVValues: []data.TIVValue{{Recipient: "India", Year: 2000, TIV: 1}, // no pair: no flow set, a total
			{Supplier: "France", Year: 2001, TIV: 3}, {Supplier: "France", Year: 2000, Small: true}, // exports totals
			{Year: 2000, TIV: 5}, {Recipient: "India", Category: "Ships", Year: 2000, TIV: 7}}} // no country, a category: no total
	flows := &data.File{Dataset: data.Dataset{Name: "flows.csv", Format: data.FormatFlows, Vintage: "2026-02-12", SHA256: SHA("flows")},
		Flows: []data.Flow{{Supplier: "Z", Recipient: "A", Year: 2001, TIV: 2}, {Supplier: "A", Recipient: "Z", Year: 2000, TIV: 1}}}
	oldList := BigFile("old.csv", 300)
	oldList.Dataset.Vintage = "2024-01-01"
	newList := BigFile("new.csv", 500)
	newList.Dataset.Vintage = "2026-02-12"
	// Byte order, not a locale's: "Cuba" before "Côte d'Ivoire", "Zambia"
	// before "Åland".
	// Details: two rows of one group (one estimated by its number, one by
	// its year), and the groups of one pair and year apart by category,
	// status and local production.
	newList.Deliveries = append(newList.Deliveries,
		data.Delivery{Supplier: "Côte d'Ivoire", Recipient: "Åland", Year: 2001, TIV: 1},
		data.Delivery{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, TIV: 2, Category: "Ships", Status: "New", NumberEstimate: true},
		data.Delivery{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, TIV: 0.5, Category: "Ships", Status: "New", YearEstimate: true},
		data.Delivery{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, TIV: 0.25, Category: "Ships", Status: "New"},
		data.Delivery{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, TIV: 8, Category: "Ships", Status: "New", LocalProduction: true},
		data.Delivery{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, TIV: 16, Category: "Aircraft", Status: "Second hand", NumberEstimate: true, YearEstimate: true},
		data.Delivery{Supplier: "Cuba", Recipient: "Åland", Year: 2001, TIV: 3},
		data.Delivery{Supplier: "china", Recipient: "Zambia", Year: 2001, TIV: 4})
	newList.Dataset.Rows = len(newList.Deliveries)
	undated := BigFile("undated.csv", 10)
	events := &data.File{Dataset: data.Dataset{Name: "events.csv", Format: data.FormatEvents, SHA256: SHA("events")},
		Events:    []data.Event{{Date: "2023", Precision: "year", SideA: "A", SideB: "B", Type: "visit", Source: "x"}},
		Figures:   []data.Figure{{Measure: data.MeasureSupplierShare, Supplier: "China", Recipient: "Pakistan", From: 2019, To: 2023, Percent: 81, Publisher: "SIPRI", Source: "a"}},
		Equipment: []data.Equipment{{Name: "JF-17", Relation: "in service", Source: "a"}}}
	for _, f := range []*data.File{tiv, world, undated, newList, flows, oldList, events} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Builtin {
		t.Error("snapshot of a filled store says Builtin")
	}
	if v, _ := s.Version(ctx); v != snap.Version || !strings.HasPrefix(v, "db-") {
		t.Errorf("snapshot version %q, store version %q", snap.Version, v)
	}
	if got, want := datasetNames(snap.Datasets), "events.csv old.csv flows.csv new.csv undated.csv world.csv tiv.csv"; got != want {
		t.Errorf("Datasets = %s; want newest first: %s", got, want)
	}
	if got, want := flowSetNames(snap), "new.csv old.csv undated.csv flows.csv tiv.csv"; got != want {
		t.Errorf("FlowSets = %s; want %s", got, want)
	}
	for _, fs := range snap.FlowSets {
		var want []data.Flow
		switch fs.Dataset.Name {
		case "new.csv":
			want = data.SumFlows(newList.Deliveries)
		case "old.csv":
			want = data.SumFlows(oldList.Deliveries)
		case "undated.csv":
			want = data.SumFlows(undated.Deliveries)
		case "flows.csv":
			want = flows.Flows // file order kept
		case "tiv.csv":
			want = []data.Flow{{Supplier: "China", Recipient: "Bangladesh", Year: 2020}, {Supplier: "China", Recipient: "Pakistan", Year: 2020, TIV: 747}}
		}
		if !FlowsEqual(fs.Flows, want, 1e-9) {
			t.Errorf("flows of %s = %.300v; want %.300v", fs.Dataset.Name, fs.Flows, want)
		}
		var wantDetails []data.FlowDetail // only listings have details
		switch fs.Dataset.Name {
		case "new.csv":
			wantDetails = []data.FlowDetail{
				{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, Category: "Aircraft", Status: "Second hand", TIV: 16, EstimatedTIV: 16},
				{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, Category: "Ships", Status: "New", TIV: 2.75, EstimatedTIV: 2.5},
				{Supplier: "Cuba", Recipient: "Zambia", Year: 2001, Category: "Ships", Status: "New", LocalProduction: true, TIV: 8},
			}
			if !DetailsEqual(fs.AllDetails(), data.SumDetails(newList.Deliveries), 1e-9) {
				t.Errorf("details of %s differ from data.SumDetails", fs.Dataset.Name)
			}
			i := slices.IndexFunc(fs.AllDetails(), func(d data.FlowDetail) bool { return d.Supplier == "Cuba" && d.Recipient == "Zambia" })
			if i < 0 || !DetailsEqual(fs.AllDetails()[i:min(i+3, len(fs.AllDetails()))], wantDetails, 1e-9) {
				t.Errorf("details of Cuba → Zambia = %+v; want %+v", fs.AllDetails()[max(i, 0):min(max(i, 0)+3, len(fs.AllDetails()))], wantDetails)
			}
		case "old.csv", "undated.csv":
			wantDetails = data.SumDetails(map[string]*data.File{"old.csv": oldList, "undated.csv": undated}[fs.Dataset.Name].Deliveries)
			if !DetailsEqual(fs.AllDetails(), wantDetails, 1e-9) {
				t.Errorf("details of %s differ from data.SumDetails", fs.Dataset.Name)
			}
		default:
			if fs.HasDetails() || fs.AllDetails() != nil || fs.Estimated != nil {
				t.Errorf("%s: %d details, %d estimated parts; only listings have them", fs.Dataset.Name, len(fs.AllDetails()), len(fs.Estimated))
			}
		}
		// A listing's estimated parts, flow by flow, are its details'.
		if want := data.EstimatedOf(fs.AllDetails()); fs.HasDetails() && len(fs.Estimated) != len(fs.Flows) {
			t.Errorf("%s: %d estimated parts for %d flows", fs.Dataset.Name, len(fs.Estimated), len(fs.Flows))
		} else if fs.HasDetails() && !slices.EqualFunc(fs.Estimated, want, func(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }) {
			t.Errorf("%s: estimated parts %v; its details sum to %v", fs.Dataset.Name, fs.Estimated, want)
		}
	}
	// Totals: the cells naming one side against all, by supplier,
	// recipient and year (byte order: "" first), newest table first.
	wantTotals := []data.FlowSet{
		{Dataset: tiv.Dataset, Flows: []data.Flow{{Recipient: "Pakistan", Year: 2020, TIV: 900}}},
		{Dataset: world.Dataset, Flows: []data.Flow{{Recipient: "India", Year: 2000, TIV: 1}, {Supplier: "France", Year: 2000}, {Supplier: "France", Year: 2001, TIV: 3}}},
	}
	if len(snap.TotalSets) != len(wantTotals) {
		t.Errorf("%d total sets; want %d", len(snap.TotalSets), len(wantTotals))
	}
	for i := range min(len(snap.TotalSets), len(wantTotals)) {
		got, want := snap.TotalSets[i], wantTotals[i]
		if got.Dataset.Name != want.Dataset.Name || !FlowsEqual(got.Flows, want.Flows, 1e-9) {
			t.Errorf("total set %d: %s %+v; want %s %+v", i, got.Dataset.Name, got.Flows, want.Dataset.Name, want.Flows)
		}
	}
	if len(snap.Events) != 4 || len(snap.Figures) != 1 || len(snap.Equipment) != 1 {
		t.Errorf("%d events, %d figures, %d equipment; want 4 (1 per listing + 1), 1, 1", len(snap.Events), len(snap.Figures), len(snap.Equipment))
	}
	if len(snap.Events) > 0 && snap.Events[len(snap.Events)-1].SideB != "B" {
		t.Errorf("events not in import order: last is %+v", snap.Events[len(snap.Events)-1])
	}
}

// testSnapshotDealsAndIndicators checks that a snapshot carries every trade
// register's deals and every WDI file's values as imported, the current
// register format first, then newest vintage; nothing from other formats.
func testSnapshotDealsAndIndicators(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	sample := SampleFile("sample.csv") // deals and indicators, but a listing: neither set
	deal := func(name string, format data.Format, vintage string, n int) *data.File {
		f := &data.File{Dataset: data.Dataset{Name: name, Format: format, Vintage: vintage, SHA256: SHA(name), Rows: n}}
		for i := range n {
			f.Deals = append(f.Deals, data.Deal{Supplier: "China", Recipient: fmt.Sprint("R", i), OrderYear: 2000 + i,
				Designation: fmt.Sprint("D", i), DeliveryYears: []int{2001 + i, 2003 + i}, HasTIV: format == data.FormatSIPRIRegister, TIVOrder: float64(i) + 0.5})
		}
		return f
	}
	wdi := func(name, vintage string, v float64) *data.File {
		return &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatWDI, Vintage: vintage, SHA256: SHA(name), Rows: 2},
			Indicators: []data.IndicatorValue{
				{CountryName: "Pakistan", CountryCode: "PAK", Indicator: "MS.MIL.MPRT.KD", Year: 2020, Value: v},
				{CountryName: "South Asia", CountryCode: "SAS", Indicator: "MS.MIL.MPRT.KD", Year: 2020, Value: 2 * v, Aggregate: true}}}
	}
	legacy := deal("legacy.csv", data.FormatSIPRIRegisterLegacy, "2026-01-01", 2)
	old := deal("old.csv", data.FormatSIPRIRegister, "2025-03-13", 3)
	current := deal("current.csv", data.FormatSIPRIRegister, "2026-03-01", 4)
	wdiOld, wdiNew := wdi("wdi-old.csv", "2024-06-28", 1e6), wdi("wdi-new.csv", "2025-07-01", 3e6)
	for _, f := range []*data.File{sample, wdiNew, legacy, current, wdiOld, old} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ds := range snap.DealSets {
		got = append(got, ds.Dataset.Name)
		want := map[string]*data.File{"legacy.csv": legacy, "old.csv": old, "current.csv": current}[ds.Dataset.Name]
		if want == nil || !reflect.DeepEqual(ds.Deals, want.Deals) {
			t.Errorf("deals of %s = %+v; want them as imported", ds.Dataset.Name, ds.Deals)
		}
	}
	if want := "current.csv old.csv legacy.csv"; strings.Join(got, " ") != want {
		t.Errorf("DealSets = %s; want %s", strings.Join(got, " "), want)
	}
	got = nil
	for _, is := range snap.IndicatorSets {
		got = append(got, is.Dataset.Name)
		want := map[string]*data.File{"wdi-old.csv": wdiOld, "wdi-new.csv": wdiNew}[is.Dataset.Name]
		if want == nil || !reflect.DeepEqual(is.Values, want.Indicators) {
			t.Errorf("values of %s = %+v; want them as imported", is.Dataset.Name, is.Values)
		}
	}
	if want := "wdi-new.csv wdi-old.csv"; strings.Join(got, " ") != want {
		t.Errorf("IndicatorSets = %s; want %s", strings.Join(got, " "), want)
	}
	if err := s.Remove(ctx, "current.csv"); err != nil {
		t.Fatal(err)
	}
	if snap, err = s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if len(snap.DealSets) != 2 || snap.DealSets[0].Dataset.Name != "old.csv" {
		t.Errorf("after removing current.csv, DealSets = %+v; want old.csv first of 2", snap.DealSets)
	}
}

func testEventCounts(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	if got, err := s.EventCounts(ctx, 0, 0); err != nil || len(got) != 0 {
		t.Errorf("EventCounts of an empty store = %v, %v; want none", got, err)
	}
	ev := func(date, a, b, typ string) data.Event {
		prec := map[int]string{0: "unknown", 4: "year", 7: "month", 10: "day"}[len(date)]
		return data.Event{Date: date, Precision: prec, SideA: a, SideB: b, Type: typ, Source: "t"}
	}
	one := &data.File{Dataset: data.Dataset{Name: "one.csv", Format: data.FormatEvents, SHA256: SHA("one")},
		Events: []data.Event{
			ev("2019-05-01", "China", "Pakistan", "visit"),
			ev("2019-07", "China", "Pakistan", "visit"),
			ev("2019", "China", "Pakistan", "agreement"),
			ev("2020-01-02", "China", "Pakistan", "visit"),
			ev("2020-03-04", "Pakistan", "China", "visit"), // the other direction
			ev("", "China", "Pakistan", "visit"),           // no year: counted under year 0
			ev("2021-12-31", "Côte d'Ivoire", "France", "cooperation"),
			ev("2021-06-30", "Cuba", "Russia", "cooperation"),
			ev("1999-12-31", "India", "Russia", "military-chiefs"),
		}}
	two := &data.File{Dataset: data.Dataset{Name: "two.csv", Format: data.FormatGDELT, SHA256: SHA("two")},
		Events: []data.Event{
			ev("2019-05-02", "China", "Pakistan", "visit"),
			ev("2020-01-02", "China", "Bangladesh", "visit"),
			ev("2021-01-01", "Cuba", "Russia", "cooperation"),
		}}
	// A listing's events count too.
	three := BigFile("three.csv", 1) // 2020 China–R1 visit
	for _, f := range []*data.File{one, two, three} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	count := func(year int, a, b, typ string, n int64) data.EventCount {
		return data.EventCount{Year: year, SideA: a, SideB: b, Type: typ, Count: n, Sources: n, Articles: n}
	}
	all := []data.EventCount{
		count(0, "China", "Pakistan", "visit", 1),
		count(1999, "India", "Russia", "military-chiefs", 1),
		count(2019, "China", "Pakistan", "agreement", 1),
		count(2019, "China", "Pakistan", "visit", 3),
		count(2020, "China", "Bangladesh", "visit", 1),
		count(2020, "China", "Pakistan", "visit", 1),
		count(2020, "China", "R1", "visit", 1),
		count(2020, "Pakistan", "China", "visit", 1),
		count(2021, "Cuba", "Russia", "cooperation", 2), // byte order: "Cu" < "Cô"
		count(2021, "Côte d'Ivoire", "France", "cooperation", 1),
	}
	tests := []struct {
		name     string
		from, to int
		want     []data.EventCount
	}{
		{"all years", 0, 0, all},
		{"one year", 2020, 2020, all[4:8]},
		{"from 2020, no upper bound", 2020, 0, all[4:]},
		{"up to 2019", 0, 2019, all[:4]},
		{"dated only", 1, 0, all[1:]},
		{"no events in range", 2030, 2040, nil},
		{"to before from", 2021, 2019, nil},
	}
	for _, tt := range tests {
		got, err := s.EventCounts(ctx, tt.from, tt.to)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("%s: EventCounts(%d, %d) =\n%v\nwant\n%v", tt.name, tt.from, tt.to, got, tt.want)
		}
	}
	// Removing a dataset removes its events from the counts.
	if err := s.Remove(ctx, "two.csv"); err != nil {
		t.Fatal(err)
	}
	got, err := s.EventCounts(ctx, 2021, 2021)
	if want := []data.EventCount{count(2021, "Cuba", "Russia", "cooperation", 1), count(2021, "Côte d'Ivoire", "France", "cooperation", 1)}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after removing two.csv: EventCounts(2021, 2021) = %v, %v; want %v", got, err, want)
	}
}

// handMadeEvents is a set of event rows with every kind of date, undated
// ones, both directions of a pair, a non-ASCII side, and rows that are
// one event (data.Event.Key) by every rule: an events CSV row repeated,
// GDELT rows of one article with the sides swapped or another code of the
// same root, one GLOBALEVENTID twice, and GDELT rows without a source URL
// (one event only when their GLOBALEVENTIDs match); with GDELT's weights.
func handMadeEvents() []data.Event {
	ev := func(date, prec, a, b, typ string) data.Event {
		return data.Event{Date: date, Precision: prec, SideA: a, SideB: b, Type: typ, Source: "t"}
	}
	g := func(id, date, a, b, code, url string, sources, articles int) data.Event {
		return data.Event{Date: date, Precision: "day", SideA: a, SideB: b, Type: data.GDELTEventType(code), Source: "GDELT 2.0 event export x",
			SourceID: id, Code: code, SourceURL: url, NumSources: sources, NumArticles: articles, Root: id != "2"}
	}
	return []data.Event{
		ev("", "unknown", "China", "Pakistan", "defence-ministers"),
		ev("", "unknown", "China", "Pakistan", "defence-ministers"),
		ev("", "unknown", "Pakistan", "China", "visit"),
		ev("2019", "year", "China", "Pakistan", "agreement"),
		ev("2019-07", "month", "China", "Pakistan", "agreement"),
		ev("2019-07-08", "day", "China", "Pakistan", "visit"),
		ev("2020-01-02", "day", "Pakistan", "China", "visit"),
		ev("2021-12-31", "day", "Côte d'Ivoire", "France", "cooperation"),
		ev("2021-06-30", "day", "Cuba", "Russia", "cooperation"),
		ev("1950-01-01", "day", "India", "Russia", "military-chiefs"),
		ev("", "unknown", "India", "Russia", "other"),
		g("1", "2016-10-13", "India", "Russia", "057", "https://a.example/1", 1, 3),
		g("2", "2016-10-13", "Russia", "India", "057", "https://a.example/1", 2, 1),
		g("3", "2016-10-13", "Russia", "India", "062", "https://a.example/1", 1, 1),
		g("4", "2016-10-13", "Côte d'Ivoire", "Cuba", "042", "https://a.example/2", 4, 9),
		g("5", "2016-10-13", "Cuba", "Côte d'Ivoire", "043", "https://a.example/2", 1, 1),
		g("4", "2016-10-13", "Côte d'Ivoire", "Cuba", "042", "https://a.example/2", 4, 9),
		g("6", "1982-01-02", "United Kingdom", "Libya", "042", "", 1, 1),
		g("7", "1982-01-02", "Libya", "United Kingdom", "042", "", 1, 2),
		g("6", "1982-01-02", "United Kingdom", "Libya", "042", "", 1, 1),
		g("8", "2016-10-13", "India", "Russia", "057", "https://a.example/3", 0, 0),
	}
}

// testEventCountsMatchCountEvents checks the store's counts, grouped in
// SQL, and a snapshot's events and EventCounts against data.DedupEvents
// and data.CountEvents on the same rows, imported as two files (so that
// rows of one event are in different datasets).
func testEventCountsMatchCountEvents(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	events := handMadeEvents()
	half := len(events) / 2
	for i, part := range [][]data.Event{events[:half], events[half:]} {
		name := fmt.Sprintf("part%d.csv", i)
		f := &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatEvents, SHA256: SHA(name)}, Events: part}
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	want, dedup := data.CountEvents(events), data.DedupEvents(events)
	// 21 rows: 2 CSV rows are one event, 3 GDELT rows of root 05 and 06
	// are 2, 3 of root 04 are 1, 3 without a URL are 2.
	if len(events) != 21 || len(dedup) != 21-1-1-2-1 {
		t.Fatalf("%d rows, %d events; the test expects 21 and 16", len(events), len(dedup))
	}
	got, err := s.EventCounts(ctx, 0, 0)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("EventCounts(0, 0) = %v, %v;\ndata.CountEvents gives %v", got, err, want)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(snap.EventCounts, want) || snap.EventsTotal != len(dedup) || snap.EventRows != len(events) || snap.EventsTruncated {
		t.Errorf("snapshot: counts %v, total %d, rows %d, truncated %v;\nwant %v, %d, %d, false",
			snap.EventCounts, snap.EventsTotal, snap.EventRows, snap.EventsTruncated, want, len(dedup), len(events))
	}
	if !reflect.DeepEqual(snap.Events, dedup) {
		t.Errorf("snapshot's events:\n%+v\nwant data.DedupEvents of the rows:\n%+v", snap.Events, dedup)
	}
	if got := data.CountEvents(snap.Events); !reflect.DeepEqual(got, want) {
		t.Errorf("data.CountEvents(snapshot's events) = %v, want %v", got, want)
	}
	if page, err := s.Events(ctx, data.EventFilter{}, 0, 0); err != nil || !reflect.DeepEqual(page, dedup) {
		t.Errorf("Events = %+v, %v;\nwant data.DedupEvents of the rows", page, err)
	}
}

// testSnapshotTruncatesEvents lowers the event row limit below what the
// store holds: the snapshot has no event rows, but all the counts.
func testSnapshotTruncatesEvents(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	events := handMadeEvents()
	f := &data.File{Dataset: data.Dataset{Name: "ev.csv", Format: data.FormatEvents, SHA256: SHA("ev")}, Events: events}
	if _, err := s.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { rowtable.EventRowLimit = n }(rowtable.EventRowLimit)
	dedup := data.DedupEvents(events)
	for _, tt := range []struct {
		limit     int
		truncated bool
	}{
		{len(events), false},
		{len(events) - 1, true}, // more rows than the limit, though fewer events
		{0, true},
	} {
		rowtable.EventRowLimit = tt.limit
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantEvents := len(dedup)
		if tt.truncated {
			wantEvents = 0
		}
		if snap.EventsTruncated != tt.truncated || len(snap.Events) != wantEvents || snap.EventsTotal != len(dedup) || snap.EventRows != len(events) {
			t.Errorf("limit %d: truncated %v, %d events listed, total %d, rows %d; want %v, %d, %d, %d",
				tt.limit, snap.EventsTruncated, len(snap.Events), snap.EventsTotal, snap.EventRows, tt.truncated, wantEvents, len(dedup), len(events))
		}
		if want := data.CountEvents(events); !reflect.DeepEqual(snap.EventCounts, want) {
			t.Errorf("limit %d: EventCounts = %v, want %v", tt.limit, snap.EventCounts, want)
		}
	}
}

// testConcurrentImportAndSnapshot imports from two goroutines while a
// third takes snapshots: every import succeeds and every snapshot is
// consistent (each stored listing has its one flow set and one event, and
// a version always goes with the same datasets). It runs with all three
// on one handle, and on three handles of one store, as three processes
// would (writers wait for each other).
func testConcurrentImportAndSnapshot(t *testing.T, e Engine) {
	for _, handles := range []int{1, 3} {
		t.Run(fmt.Sprintf("handles=%d", handles), func(t *testing.T) {
			s := e.Open(t)
			writers, reader := [2]data.Store{s, s}, s
			if handles == 3 {
				writers, reader = [2]data.Store{s, e.Reopen(t, s)}, e.Reopen(t, s)
			}
			concurrentImportAndSnapshot(t, writers, reader)
		})
	}
}

func concurrentImportAndSnapshot(t *testing.T, writers [2]data.Store, reader data.Store) {
	ctx := context.Background()
	const perWriter = 5
	errs := make(chan error, 2*perWriter+1)
	done := make(chan struct{})
	for w, s := range writers {
		go func() {
			for i := range perWriter {
				_, err := s.Import(ctx, BigFile(fmt.Sprintf("w%d-%d.csv", w, i), 2000))
				errs <- err
			}
		}()
	}
	writersDone := make(chan struct{})
	go func() {
		defer close(done)
		versions := map[string]int{}
		for {
			select {
			case <-writersDone:
				// A failed import (reported below) must not leave this
				// reader waiting for a dataset that never comes.
				return
			default:
			}
			snap, err := reader.Snapshot(ctx)
			if err != nil {
				errs <- err
				return
			}
			if !snap.Builtin && (len(snap.FlowSets) != len(snap.Datasets) || len(snap.Events) != len(snap.Datasets)) {
				errs <- fmt.Errorf("inconsistent snapshot: %d datasets, %d flow sets, %d events", len(snap.Datasets), len(snap.FlowSets), len(snap.Events))
				return
			}
			if n, ok := versions[snap.Version]; ok && n != len(snap.Datasets) {
				errs <- fmt.Errorf("version %s with %d and with %d datasets", snap.Version, n, len(snap.Datasets))
				return
			}
			versions[snap.Version] = len(snap.Datasets)
			if len(snap.Datasets) == 2*perWriter {
				return
			}
		}
	}()
	for range 2 * perWriter {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(writersDone)
	<-done
	select {
	case err := <-errs:
		t.Error(err)
	default:
	}
	if ds, err := reader.Datasets(ctx); err != nil || len(ds) != 2*perWriter {
		t.Errorf("%d datasets (%v); want %d", len(ds), err, 2*perWriter)
	}
}

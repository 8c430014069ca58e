package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// openTemp opens a fresh store in a temporary directory.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// dump renders every row of every table (schema_migrations excepted) in
// rowid order, to compare a store before and after an operation.
func dump(t testing.TB, s *Store) string {
	t.Helper()
	ctx := context.Background()
	tables := append([]string{"meta", "datasets"}, dataTables...)
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+tbl+" ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "== %s %v\n", tbl, cols)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// sampleFile returns a file with every kind of row, every field set.
func sampleFile(name string) *data.File {
	return &data.File{
		Dataset: data.Dataset{Name: name, Format: data.FormatSIPRIDeliveries, Source: "SIPRI Arms Transfers Database",
			Attribution: "Source: SIPRI", Licence: "non-commercial", Vintage: "2026-02-12", SHA256: sha(name), Rows: 2},
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
			Type: "defence-ministers", Place: "Beijing", Summary: "met, \"quoted\"\nnext line", Source: "001.txt", SourceID: "99", Code: "042", SourceURL: "https://x.example/a"}},
		Figures: []data.Figure{{Measure: data.MeasureSupplierShare, Supplier: "China", Recipient: "Pakistan", From: 2019, To: 2023,
			Percent: 81.5, Approximate: true, Quote: "81%", Publisher: "SIPRI", Vintage: "2024", VintageNote: "march", Source: "002.txt"}},
		Equipment: []data.Equipment{{Name: "JF-17", Kind: "combat aircraft", Supplier: "China", User: "Pakistan", Service: "air force",
			Relation: "co-production agreed", Quote: "q", Source: "003.txt"}},
		Unmapped: []string{"Atlantis", "Ruritania"},
		Skipped:  []*data.ParseError{{File: name, Line: 9, Column: "Delivery year", Msg: `"x" is not a year`}, {File: name, Line: 12, Msg: "too short"}},
	}
}

func TestOpenIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	for i := range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != len(migrations) {
			t.Errorf("open %d: schema version = %d, %v; want %d", i+1, v, err, len(migrations))
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations) {
			t.Errorf("open %d: %d migrations recorded (%v); want %d", i+1, n, err, len(migrations))
		}
		var mode string
		if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk int
		if err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		if i == 0 {
			if _, err := s.Import(ctx, sampleFile("a.csv")); err != nil {
				t.Fatal(err)
			}
		} else if ds, err := s.Datasets(ctx); err != nil || len(ds) != 1 {
			t.Errorf("reopen %d: %d datasets (%v); want the 1 imported", i+1, len(ds), err)
		}
		s.Close()
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (999, 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a store with schema 999: err = %v; want a 'newer' error", err)
		if s != nil {
			s.Close()
		}
	}
}

func TestImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 123, time.UTC)
	s.now = func() time.Time { return at }
	in := sampleFile("sample.csv")
	got, err := s.Import(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
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
	if e := es[0]; e.Skipped != 2 || !e.ImportedAt.Equal(at) || !reflect.DeepEqual(e.Unmapped, in.Unmapped) {
		t.Errorf("entry = %+v; want 2 skipped, imported %v, unmapped %q", e, at, in.Unmapped)
	}
	// By SHA-256 prefix too.
	if f, err := s.File(ctx, in.Dataset.SHA256[:10]); err != nil || f.Dataset.Name != "sample.csv" {
		t.Errorf("File(sha prefix) = %v, %v", f, err)
	}
	if _, err := s.File(ctx, "nope"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("File(nope) err = %v; want ErrNotFound", err)
	}
}

func TestImportRefusesIncompleteDataset(t *testing.T) {
	s := openTemp(t)
	f := sampleFile("x.csv")
	f.Dataset.SHA256 = ""
	if _, err := s.Import(context.Background(), f); err == nil {
		t.Error("import of a dataset without SHA-256 succeeded")
	}
}

func TestImportDuplicate(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	first := sampleFile("a.csv")
	if _, err := s.Import(ctx, first); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	again := sampleFile("a.csv")
	again.Dataset.Name = "renamed.csv" // same bytes under another name
	_, err := s.Import(ctx, again)
	var dup *DuplicateError
	if !errors.As(err, &dup) {
		t.Fatalf("second import err = %v; want *DuplicateError", err)
	}
	if dup.Existing.Name != "a.csv" || dup.Existing.SHA256 != first.Dataset.SHA256 {
		t.Errorf("Existing = %+v; want a.csv", dup.Existing)
	}
	if after := dump(t, s); after != before {
		t.Errorf("duplicate import changed the store:\nbefore\n%s\nafter\n%s", before, after)
	}
}

// bigFile has n deliveries, all valid.
func bigFile(name string, n int) *data.File {
	f := &data.File{Dataset: data.Dataset{Name: name, Format: data.FormatSIPRIDeliveries, SHA256: sha(name), Rows: n}}
	for i := range n {
		f.Deliveries = append(f.Deliveries, data.Delivery{DealID: i + 1, Supplier: "China", Recipient: fmt.Sprint("R", i%50),
			Year: 1990 + i%30, Status: "New", TIV: float64(i%7) / 4})
	}
	f.Events = []data.Event{{Date: "2020", Precision: "year", SideA: "China", SideB: "R1", Type: "visit", Source: "s"}}
	return f
}

func TestImportRollback(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		file func() *data.File
		hook func(cancel context.CancelFunc) func(string, int)
		want string // in the error
	}{
		{
			name: "row violates a constraint",
			file: func() *data.File {
				f := bigFile("bad.csv", 5000)
				f.Deliveries[4321].Supplier = "" // CHECK (supplier <> '')
				return f
			},
			want: "rows 4097 to 4352 of 5000",
		},
		{
			name: "year out of range in the last table",
			file: func() *data.File {
				f := bigFile("bad.csv", 3000)
				f.Flows = []data.Flow{{Supplier: "A", Recipient: "B", Year: 1492, TIV: 1}}
				return f
			},
			want: "CHECK constraint failed",
		},
		{
			name: "context cancelled after 3000 rows",
			file: func() *data.File { return bigFile("big.csv", 10000) },
			hook: func(cancel context.CancelFunc) func(string, int) {
				return func(table string, n int) {
					if table == "deliveries" && n >= 3000 {
						cancel()
					}
				}
			},
			want: "context canceled",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			if _, err := s.Import(ctx, sampleFile("kept.csv")); err != nil {
				t.Fatal(err)
			}
			v0, _ := s.Version(ctx)
			before := dump(t, s)
			ictx, cancel := context.WithCancel(ctx)
			defer cancel()
			if tt.hook != nil {
				s.afterInsert = tt.hook(cancel)
			}
			_, err := s.Import(ictx, tt.file())
			s.afterInsert = nil
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want one containing %q", err, tt.want)
			}
			if after := dump(t, s); after != before {
				t.Errorf("failed import changed the store:\nbefore\n%.2000s\nafter\n%.2000s", before, after)
			}
			if v1, _ := s.Version(ctx); v1 != v0 {
				t.Errorf("version changed from %s to %s", v0, v1)
			}
			// The store still works: the good file imports afterwards.
			if _, err := s.Import(ctx, bigFile("good.csv", 100)); err != nil {
				t.Errorf("import after a failed one: %v", err)
			}
		})
	}
}

func TestRemoveAndVersion(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
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
		if prev, ok := seen[v]; ok && what != "empty again" {
			t.Errorf("version after %s = %s, same as after %s", what, v, prev)
		}
		seen[v] = what
	}
	if _, err := s.Import(ctx, bigFile("a.csv", 10)); err != nil {
		t.Fatal(err)
	}
	step("import a")
	b := bigFile("b.csv", 20)
	if _, err := s.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	step("import b")
	ds, err := s.Datasets(ctx)
	if err != nil || len(ds) != 2 || ds[0].Name != "b.csv" || ds[1].Name != "a.csv" {
		t.Fatalf("Datasets = %v, %v; want b.csv then a.csv", ds, err)
	}
	if err := s.Remove(ctx, "nope.csv"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Remove(nope) = %v; want ErrNotFound", err)
	}
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	step("remove b")
	var n int
	s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries`).Scan(&n)
	if n != 10 {
		t.Errorf("%d deliveries left after removing b; want a's 10 (cascade)", n)
	}
	s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`).Scan(&n)
	if n != 1 {
		t.Errorf("%d events left after removing b; want 1", n)
	}
	// Same bytes again, after removal: allowed, and a new version.
	if _, err := s.Import(ctx, b); err != nil {
		t.Fatal(err)
	}
	step("reimport b")

	// Two datasets of one name: Remove asks for the SHA-256 prefix.
	b2 := bigFile("b.csv", 5)
	b2.Dataset.SHA256 = sha("other bytes")
	if _, err := s.Import(ctx, b2); err != nil {
		t.Fatal(err)
	}
	step("import b2")
	var amb *AmbiguousError
	if err := s.Remove(ctx, "b.csv"); !errors.As(err, &amb) || len(amb.Matches) != 2 {
		t.Errorf("Remove of an ambiguous name = %v; want *AmbiguousError with 2 matches", err)
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
}

func TestSnapshotEmptyIsBuiltin(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
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

func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// Imported in an order unlike the preference order.
	tiv := &data.File{Dataset: data.Dataset{Name: "tiv.csv", Format: data.FormatSIPRITIVTable, Vintage: "2026-01-01", SHA256: sha("tiv")},
		TIVValues: []data.TIVValue{
			{Supplier: "China", Recipient: "Pakistan", Year: 2020, TIV: 747},
			{Supplier: "China", Recipient: "Bangladesh", Year: 2020, Small: true},
			{Supplier: "", Recipient: "Pakistan", Year: 2020, TIV: 900},                       // all suppliers: no flow
			{Supplier: "China", Recipient: "Pakistan", Category: "Ships", TIV: 5, Year: 2020}, // category: no flow
		}}
	world := &data.File{Dataset: data.Dataset{Name: "world.csv", Format: data.FormatSIPRITIVTableOld, Vintage: "2023-03-01", SHA256: sha("world")},
		TIVValues: []data.TIVValue{{Recipient: "India", Year: 2000, TIV: 1}}} // no pair: no flow set
	flows := &data.File{Dataset: data.Dataset{Name: "flows.csv", Format: data.FormatFlows, Vintage: "2026-02-12", SHA256: sha("flows")},
		Flows: []data.Flow{{Supplier: "Z", Recipient: "A", Year: 2001, TIV: 2}, {Supplier: "A", Recipient: "Z", Year: 2000, TIV: 1}}}
	oldList := bigFile("old.csv", 300)
	oldList.Dataset.Vintage = "2024-01-01"
	newList := bigFile("new.csv", 500)
	newList.Dataset.Vintage = "2026-02-12"
	undated := bigFile("undated.csv", 10)
	events := &data.File{Dataset: data.Dataset{Name: "events.csv", Format: data.FormatEvents, SHA256: sha("events")},
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
	var names []string
	for _, d := range snap.Datasets {
		names = append(names, d.Name)
	}
	if want := "events.csv old.csv flows.csv new.csv undated.csv world.csv tiv.csv"; strings.Join(names, " ") != want {
		t.Errorf("Datasets = %s; want newest first: %s", strings.Join(names, " "), want)
	}
	names = nil
	for _, fs := range snap.FlowSets {
		names = append(names, fs.Dataset.Name)
	}
	if want := "new.csv old.csv undated.csv flows.csv tiv.csv"; strings.Join(names, " ") != want {
		t.Errorf("FlowSets = %s; want %s", strings.Join(names, " "), want)
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
		if !flowsEqual(fs.Flows, want, 1e-9) {
			t.Errorf("flows of %s = %v; want %v", fs.Dataset.Name, fs.Flows, want)
		}
	}
	if len(snap.Events) != 4 || len(snap.Figures) != 1 || len(snap.Equipment) != 1 {
		t.Errorf("%d events, %d figures, %d equipment; want 4 (1 per listing + 1), 1, 1", len(snap.Events), len(snap.Figures), len(snap.Equipment))
	}
	if snap.Events[len(snap.Events)-1].SideB != "B" {
		t.Errorf("events not in import order: last is %+v", snap.Events[len(snap.Events)-1])
	}
}

// flowsEqual compares flows in order, TIV within tol (SQLite and Go may add
// in different orders).
func flowsEqual(got, want []data.Flow, tol float64) bool {
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

func readShared(t testing.TB, rel string) (string, []byte) {
	t.Helper()
	p := shareddata.Path(t, rel)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(p), b
}

func TestImportFullListing(t *testing.T) {
	ctx := context.Background()
	name, b := readShared(t, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv")
	f, err := data.ReadDeliveries(name, b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := openTemp(t)
	start := time.Now()
	ds, err := s.Import(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d deliveries in %v", len(f.Deliveries), time.Since(start))
	if ds.Rows != 25024 || ds.Vintage != "2026-02-12" {
		t.Errorf("dataset = %+v; want 25024 rows, vintage 2026-02-12", ds)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries`).Scan(&n); err != nil || n != 25024 {
		t.Errorf("deliveries table holds %d rows (%v); want 25024", n, err)
	}
	start = time.Now()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot in %v", time.Since(start))
	fs, ok := snap.FlowSet("")
	want := data.SumFlows(f.Deliveries)
	if !ok || !flowsEqual(fs.Flows, want, 1e-6) {
		t.Fatalf("flows from SQL (%d) differ from data.SumFlows (%d)", len(fs.Flows), len(want))
	}
	var cp float64
	for _, fl := range fs.Flows {
		if fl.Supplier == "China" && fl.Recipient == "Pakistan" {
			cp += fl.TIV
		}
	}
	var wantCP float64
	for _, d := range f.Deliveries {
		if d.Supplier == "China" && d.Recipient == "Pakistan" {
			wantCP += d.TIV
		}
	}
	if wantCP == 0 || math.Abs(cp-wantCP) > 1e-6 {
		t.Errorf("China→Pakistan total = %v; want %v", cp, wantCP)
	}
	back, err := s.File(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Deliveries, f.Deliveries) {
		t.Error("stored deliveries do not read back equal")
	}
}

func TestImportRegister(t *testing.T) {
	ctx := context.Background()
	name, b := readShared(t, "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv")
	f, err := data.Read(name, b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := openTemp(t)
	start := time.Now()
	if _, err := s.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d deals in %v", len(f.Deals), time.Since(start))
	back, err := s.File(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Deals) != 29515 || !reflect.DeepEqual(back.Deals, f.Deals) {
		t.Errorf("read back %d deals; want the 29515 imported, equal", len(back.Deals))
	}
}

// TestImportEverySharedFile imports every real file armsdash reads into one
// store and checks that each reads back equal to what the reader made, and
// that the snapshot prefers the listing's flows.
func TestImportEverySharedFile(t *testing.T) {
	ctx := context.Background()
	files := []struct {
		rel    string
		format data.Format
	}{
		{"sipri_deliveries_by_year/excerpt.csv", data.FormatSIPRIDeliveries},
		{"sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv", data.FormatSIPRIDeliveries},
		{"sipri_trade_register/china_supplier_2000-2025_cp1252.csv", data.FormatSIPRIRegister},
		{"sipri_register_legacy/trade_register_report_c2013.csv", data.FormatSIPRIRegisterLegacy},
		{"sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv", data.FormatSIPRITIVTable},
		{"sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv", data.FormatSIPRITIVTableOld},
		{"sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv", data.FormatSIPRITIVTableOld},
		{"worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv", data.FormatWDI},
		{"gdelt/events_v2/20260514083000.export.CSV.zip", data.FormatGDELT},
		{"gdelt/events_v1/every10th_20160728daily_1982historical.csv", data.FormatGDELT},
	}
	s := openTemp(t)
	for _, tt := range files {
		name, b := readShared(t, tt.rel)
		// SkipBad: a bad row in a real file (the legacy register has one)
		// is then stored in the skipped table, which is read back too.
		f, err := data.Read(name, b, data.Options{SkipBad: true})
		if err != nil {
			t.Errorf("%s: %v", tt.rel, err)
			continue
		}
		if f.Dataset.Format != tt.format {
			t.Errorf("%s: format %s; want %s", tt.rel, f.Dataset.Format, tt.format)
		}
		if _, err := s.Import(ctx, f); err != nil {
			t.Errorf("%s: %v", tt.rel, err)
			continue
		}
		back, err := s.File(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, f) {
			t.Errorf("%s (%d rows) does not read back equal", tt.rel, f.Dataset.Rows)
		}
		t.Logf("%s: %d rows, %d skipped, %d unmapped", name, f.Dataset.Rows, len(f.Skipped), len(f.Unmapped))
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fs := range snap.FlowSets {
		names = append(names, fs.Dataset.Name)
	}
	// The full listing (dated) before the excerpt (undated), then the
	// China TIV table; the old world tables name only one side.
	if want := "all_1995-2025_generated-2026-02-12.csv excerpt.csv china_exports_by_recipient_2000-2025.csv"; strings.Join(names, " ") != want {
		t.Errorf("FlowSets = %s; want %s", strings.Join(names, " "), want)
	}
	if len(snap.Events) == 0 {
		t.Error("no GDELT events in the snapshot")
	}
}

// TestConcurrentImports imports from two Stores on one file (as two
// processes would) while a third takes snapshots: every import succeeds
// (writers wait on busy_timeout) and every snapshot is consistent.
func TestConcurrentImports(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	var stores []*Store
	for range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	const perWriter = 5
	errs := make(chan error, 2*perWriter+1)
	done := make(chan struct{})
	for w := range 2 {
		go func() {
			for i := range perWriter {
				_, err := stores[w].Import(ctx, bigFile(fmt.Sprintf("w%d-%d.csv", w, i), 2000))
				errs <- err
			}
		}()
	}
	go func() {
		defer close(done)
		for {
			snap, err := stores[2].Snapshot(ctx)
			if err != nil {
				errs <- err
				return
			}
			// Each stored listing has one flow set and one event.
			if !snap.Builtin && (len(snap.FlowSets) != len(snap.Datasets) || len(snap.Events) != len(snap.Datasets)) {
				errs <- fmt.Errorf("inconsistent snapshot: %d datasets, %d flow sets, %d events", len(snap.Datasets), len(snap.FlowSets), len(snap.Events))
				return
			}
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
	<-done
	select {
	case err := <-errs:
		t.Error(err)
	default:
	}
	if ds, err := stores[0].Datasets(ctx); err != nil || len(ds) != 2*perWriter {
		t.Errorf("%d datasets (%v); want %d", len(ds), err, 2*perWriter)
	}
}

package sqlite

import (
	"context"
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
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/storetest"
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

// The engine-independent tests are in data/storetest; these helpers come
// from there too.
var (
	sha        = storetest.SHA
	sampleFile = storetest.SampleFile
	bigFile    = storetest.BigFile
	flowsEqual = storetest.FlowsEqual
)

// TestStore runs the behaviour suite every data.Store engine passes.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) data.Store { return openTemp(t) })
}

// dump renders every row of every table (schema_migrations excepted) in
// rowid order, to compare a store before and after an operation.
func dump(t testing.TB, s *Store) string {
	t.Helper()
	ctx := context.Background()
	tables := append([]string{"meta", "datasets"}, rowtable.Names...)
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

// TestMigrateSkippedColumnNumber opens a store made before skipped rows
// kept their column number: its skipped rows read back with number 0.
func TestMigrateSkippedColumnNumber(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	all := migrations
	migrations = all[:1]
	s, err := Open(ctx, path)
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO datasets (name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at)
		VALUES ('a.csv', 'sipri-deliveries', '', '', '', '', ?, 0, 1, '', '2026-01-01T00:00:00Z')`, strings.Repeat("a", 64)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO skipped (dataset_id, file, line, "column", msg) VALUES (1, 'a.csv', 9, 'Delivery year', 'bad')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, err := s.File(ctx, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []*data.ParseError{{File: "a.csv", Line: 9, Column: "Delivery year", Msg: "bad"}}
	if !reflect.DeepEqual(f.Skipped, want) {
		t.Errorf("skipped rows after migration = %v; want %v", f.Skipped, want)
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

// TestImportRoundTrip checks, beyond the suite, that ImportedAt keeps
// nanoseconds.
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

// TestRemoveCascades checks that removing a dataset leaves none of its
// rows behind.
func TestRemoveCascades(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for _, f := range []*data.File{bigFile("a.csv", 10), sampleFile("b.csv")} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"deliveries": 10, "events": 1}
	for _, tbl := range rowtable.Names {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tbl).Scan(&n); err != nil || n != want[tbl] {
			t.Errorf("%s holds %d rows (%v) after removing b.csv; want %d", tbl, n, err, want[tbl])
		}
	}
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
	writersDone := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-writersDone:
				// A failed import (reported below) must not leave this
				// reader waiting for a dataset that never comes.
				return
			default:
			}
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
	close(writersDone)
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

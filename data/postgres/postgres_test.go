package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/postgres/postgrestest"
	"github.com/armsdash/armsdash/data/storetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// openTemp opens a store in a fresh database (see postgrestest.DSN).
func openTemp(t testing.TB) *Store {
	t.Helper()
	return openDSN(t, postgrestest.DSN(t))
}

func openDSN(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestStore runs the behaviour suite every data.Store engine passes.
func TestStore(t *testing.T) {
	postgrestest.DSN(t) // skips, saying why, when there is no server
	storetest.Run(t, func(t *testing.T) data.Store { return openTemp(t) })
}

// count returns the rows of table.
func count(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	err := s.with(context.Background(), func(c *pgx.Conn) error {
		return c.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenIdempotentAndConcurrent(t *testing.T) {
	ctx := context.Background()
	dsn := postgrestest.DSN(t)
	// Several processes starting at once on a new database: the advisory
	// lock makes each migration run once.
	const n = 6
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(ctx, dsn) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		defer stores[i].Close()
	}
	if v, err := stores[0].SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Errorf("schema version = %d, %v; want %d", v, err, len(migrations))
	}
	if got := count(t, stores[0], "schema_migrations"); got != len(migrations) {
		t.Errorf("%d migrations recorded; want %d", got, len(migrations))
	}
	if _, err := stores[0].Import(ctx, storetest.SampleFile("a.csv")); err != nil {
		t.Fatal(err)
	}
	again := openDSN(t, dsn)
	if ds, err := again.Datasets(ctx); err != nil || len(ds) != 1 {
		t.Errorf("reopened: %d datasets (%v); want the 1 imported", len(ds), err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := postgrestest.DSN(t)
	s := openDSN(t, dsn)
	err := s.with(ctx, func(c *pgx.Conn) error {
		_, err := c.Exec(ctx, `INSERT INTO schema_migrations VALUES (999, now())`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a store with schema 999: err = %v; want a 'newer' error", err)
		if s != nil {
			s.Close()
		}
	}
}

func TestOpenBadDSN(t *testing.T) {
	if _, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"); err == nil {
		t.Error("Open of a server that is not there succeeded")
	}
}

// TestVersionAcrossProcesses opens two Stores on one database, as two
// armsdash processes would: each sees the other's imports and removals in
// Version and Snapshot at once.
func TestVersionAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dsn := postgrestest.DSN(t)
	a, b := openDSN(t, dsn), openDSN(t, dsn)
	va, _ := a.Version(ctx)
	if _, err := b.Import(ctx, storetest.BigFile("x.csv", 50)); err != nil {
		t.Fatal(err)
	}
	va2, err := a.Version(ctx)
	if err != nil || va2 == va {
		t.Errorf("version seen by a after b imported = %q (%v); want a change from %q", va2, err, va)
	}
	if vb, _ := b.Version(ctx); vb != va2 {
		t.Errorf("a and b disagree on the version: %q, %q", va2, vb)
	}
	if snap, err := a.Snapshot(ctx); err != nil || snap.Builtin || snap.Version != va2 {
		t.Errorf("a's snapshot after b imported: %v, builtin %v", err, snap != nil && snap.Builtin)
	}
	if err := a.Remove(ctx, "x.csv"); err != nil {
		t.Fatal(err)
	}
	if vb, _ := b.Version(ctx); vb != va {
		t.Errorf("b's version after a removed everything = %q; want the built-in %q", vb, va)
	}
}

// TestImportRollbackCancelled cancels ctx while a COPY runs: the import
// fails, the store is as before, and the connection is not reused broken.
func TestImportRollbackCancelled(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.Import(ctx, storetest.SampleFile("kept.csv")); err != nil {
		t.Fatal(err)
	}
	before := storetest.State(t, s)
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.afterCopy = func(table string, n int) {
		if table == "deliveries" && n >= 3000 {
			cancel()
		}
	}
	_, err := s.Import(ictx, storetest.BigFile("big.csv", 10000))
	s.afterCopy = nil
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	if after := storetest.State(t, s); after != before {
		t.Errorf("cancelled import changed the store:\nbefore\n%.2000s\nafter\n%.2000s", before, after)
	}
	for range 2 * int(s.pool.Config().MaxConns) { // every pooled connection still works
		if _, err := s.Version(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Import(ctx, storetest.BigFile("big.csv", 100)); err != nil {
		t.Errorf("import after a cancelled one: %v", err)
	}
}

// TestRemoveCascades checks that removing a dataset leaves none of its
// rows behind.
func TestRemoveCascades(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for _, f := range []*data.File{storetest.BigFile("a.csv", 10), storetest.SampleFile("b.csv")} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"deliveries": 10, "events": 1}
	for _, tbl := range rowtable.Names {
		if n := count(t, s, tbl); n != want[tbl] {
			t.Errorf("%s holds %d rows after removing b.csv; want %d", tbl, n, want[tbl])
		}
	}
}

// TestImportedAtMicroseconds: PostgreSQL keeps timestamps to the
// microsecond; ImportedAt reads back truncated, in UTC.
func TestImportedAtMicroseconds(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("X", 3600))
	s.now = func() time.Time { return at }
	if _, err := s.Import(ctx, storetest.SampleFile("a.csv")); err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(ctx)
	if err != nil || len(es) != 1 {
		t.Fatal(es, err)
	}
	if want := at.UTC().Truncate(time.Microsecond); !es[0].ImportedAt.Equal(want) || es[0].ImportedAt.Location() != time.UTC {
		t.Errorf("ImportedAt = %v; want %v", es[0].ImportedAt, want)
	}
}

// TestEventCountsMatchesGo checks the SQL aggregation against counting the
// snapshot's events in Go, on many events.
func TestEventCountsMatchesGo(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	f := &data.File{Dataset: data.Dataset{Name: "ev.csv", Format: data.FormatEvents, SHA256: storetest.SHA("ev")}}
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
	for _, e := range f.Events {
		if y := e.Year(); y >= 2000 && y <= 2010 {
			want[data.EventCount{Year: y, SideA: e.SideA, SideB: e.SideB, Type: e.Type}]++
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

// TestImportEverySharedFile imports every real file armsdash reads and
// checks that each reads back equal to what the reader made.
func TestImportEverySharedFile(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for _, rel := range []string{
		"sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv",
		"sipri_trade_register/china_supplier_2000-2025_cp1252.csv",
		"sipri_register_legacy/trade_register_report_c2013.csv",
		"sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv",
		"sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv",
		"worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv",
		"gdelt/events_v2/20260514083000.export.CSV.zip",
		"gdelt/events_v1/every10th_20160728daily_1982historical.csv",
	} {
		p := shareddata.Path(t, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := data.Read(filepath.Base(p), b, data.Options{SkipBad: true})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if _, err := s.Import(ctx, f); err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		back, err := s.File(ctx, f.Dataset.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, f) {
			t.Errorf("%s (%d rows) does not read back equal", rel, f.Dataset.Rows)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := snap.FlowSet("")
	if !ok || fs.Dataset.Name != "all_1995-2025_generated-2026-02-12.csv" {
		t.Fatalf("preferred flow set = %+v", fs.Dataset)
	}
	listing, _ := s.File(ctx, fs.Dataset.Name)
	if !storetest.FlowsEqual(fs.Flows, data.SumFlows(listing.Deliveries), 1e-6) {
		t.Error("flows summed in SQL differ from data.SumFlows")
	}
}

// TestImportAnalyzesLargeTables: an import of analyzeMinRows rows or more
// refreshes the table's planner statistics at once; a small one leaves it
// to autovacuum.
func TestImportAnalyzesLargeTables(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	analyzed := func(table string) bool {
		t.Helper()
		var n int64
		if err := s.pool.QueryRow(ctx, `SELECT analyze_count FROM pg_stat_user_tables WHERE relname = $1`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	if _, err := s.Import(ctx, storetest.BigFile("small.csv", 10)); err != nil {
		t.Fatal(err)
	}
	if analyzed("deliveries") {
		t.Error("an import of 10 deliveries analyzed the table")
	}
	if _, err := s.Import(ctx, storetest.BigFile("large.csv", analyzeMinRows)); err != nil {
		t.Fatal(err)
	}
	if !analyzed("deliveries") {
		t.Errorf("an import of %d deliveries did not analyze the table", analyzeMinRows)
	}
	if analyzed("events") {
		t.Error("the events table, given one row, was analyzed")
	}
}

// TestRedact checks that no password survives Redact, whether the DSN
// parses or not.
func TestRedact(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"postgres://u:secret@h:5432/db", "postgres://u:xxxxx@h:5432/db"},
		{"postgresql://u:s%40cret@h/db", "postgresql://u:xxxxx@h/db"},                            // percent-encoded
		{"postgres://u:sec@ret@h/db?sslmode=disable", "postgres://u:xxxxx@h/db?sslmode=disable"}, // '@' in the password
		{"postgres://u:secret@%zz/db", "postgres://u:xxxxx@%zz/db"},                              // does not parse
		{"postgres://u@h/db?password=secret&sslmode=disable", "postgres://u@h/db?password=xxxxx&sslmode=disable"},
		{"host=h user=u password=secret dbname=db", "host=h user=u password=xxxxx dbname=db"},
		{"host=h password = 'se cret' dbname=db", "host=h password = xxxxx dbname=db"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgres:///postgres?host=/tmp/sock&port=5432&user=postgres", "postgres:///postgres?host=/tmp/sock&port=5432&user=postgres"},
	} {
		if got := Redact(c.dsn); got != c.want {
			t.Errorf("Redact(%q) = %q; want %q", c.dsn, got, c.want)
		}
	}
}

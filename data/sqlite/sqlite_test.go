package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/storetest"
)

// openTemp opens a fresh store in a temporary directory.
func openTemp(t testing.TB) *Store {
	t.Helper()
	return storetest.MustOpen(t, Open, filepath.Join(t.TempDir(), "test.db"))
}

// TestStore runs the behaviour suite every data.Store engine passes.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Engine{
		Open:   func(t *testing.T) data.Store { return openTemp(t) },
		Reopen: func(t *testing.T, s data.Store) data.Store { return storetest.MustOpen(t, Open, s.(*Store).Path()) },
		Rows: func(t *testing.T, s data.Store, table string) int {
			var n int
			if err := s.(*Store).db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		},
		Exec: func(t *testing.T, s data.Store, sql string) {
			if _, err := s.(*Store).db.Exec(sql); err != nil {
				t.Fatal(err)
			}
		},
		OnWrite:        func(s data.Store, fn func(string, int)) { s.(*Store).afterInsert = fn },
		SetNow:         func(s data.Store, now func() time.Time) { s.(*Store).now = now },
		TimeResolution: time.Nanosecond,
	})
}

// TestMigrationsShipped: no shipped migration has changed.
func TestMigrationsShipped(t *testing.T) {
	storetest.CheckMigrations(t, migrations,
		"ae66a9ea3f8073ebb82495227de4f841384cda5ad7717e103626de645f567889",
		"02a9b3eba2aff395d0f297eac2dd72e24fa1ad634eeb6a3e19c85790fe214300",
		"d6454ba3fe101d6679d27d2a939125bfff4049b01714f08ab9fa4220a0eafa29",
		"f1c0e13584175dd95423a2bf4598eaefffbb41b8c74cbf1790f52445e5a69b27",
		"34e7501fdc9375af3915281079f48644107c5b490aad87f4882d816d4a7d2198")
}

// TestBackfill: rows stored before event keys are keyed when a store
// opens, and count as they would have (storetest.CheckBackfill).
func TestBackfill(t *testing.T) {
	s := openTemp(t)
	storetest.CheckBackfill(t, s, func(sql string) error {
		_, err := s.db.Exec(sql)
		return err
	}, func() error { return s.core.Backfill(context.Background()) })
}

// TestMigrateEventWeights opens a store made before event rows kept
// GDELT's NumSources, NumArticles and IsRootEvent and datasets their
// updates: they read back as not known (0, false, no updates), and
// count as events of weight 1.
func TestMigrateEventWeights(t *testing.T) {
	const row = `INSERT INTO events (dataset_id, date, precision, date_note, side_a, side_b, actors, type, place, summary, source, source_id, code, source_url)
		VALUES (1, '2016-10-13', 'day', '', '%s', '%s', '', 'agreement', '', '', 'g', '%[1]s', '057', 'https://a.example/1')`
	s, f := migrated(t, 2, "g.CSV", "gdelt", fmt.Sprintf(row, "India", "Russia"), fmt.Sprintf(row, "Russia", "India"))
	if len(f.Events) != 2 || f.Events[0].NumSources != 0 || f.Events[0].NumArticles != 0 || f.Events[0].Root || f.Dataset.Updates != (data.Updates{}) {
		t.Errorf("after migration: events %+v, updates %+v; want 2 events with no counts, no updates", f.Events, f.Dataset.Updates)
	}
	want := []data.EventCount{{Year: 2016, SideA: "India", SideB: "Russia", Type: "agreement", Count: 1, Sources: 1, Articles: 1}}
	if got, err := s.EventCounts(context.Background(), 0, 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("EventCounts = %+v, %v; want %+v", got, err, want)
	}
}

// TestMigrateEventKeys opens a store made before event rows kept their
// key (migration 5), holding one GDELT event as two rows of different
// weights: Open keys them, and they count as one event of the heavier
// weights.
func TestMigrateEventKeys(t *testing.T) {
	const row = `INSERT INTO events (dataset_id, date, precision, date_note, side_a, side_b, actors, type, place, summary, source, source_id, code, source_url, num_sources, num_articles, is_root)
		VALUES (1, '2016-10-13', 'day', '', '%s', '%s', '', 'agreement', '', '', 'g', '%[1]s', '057', 'https://a.example/1', %[3]d, %[4]d, 1)`
	s, _ := migrated(t, 4, "g.CSV", "gdelt", fmt.Sprintf(row, "India", "Russia", 1, 3), fmt.Sprintf(row, "Russia", "India", 2, 1))
	want := []data.EventCount{{Year: 2016, SideA: "India", SideB: "Russia", Type: "agreement", Count: 1, Sources: 2, Articles: 3}}
	if got, err := s.EventCounts(context.Background(), 0, 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("EventCounts = %+v, %v; want %+v", got, err, want)
	}
}

// migrated makes a store with only the first n migrations holding one
// dataset, called name, of format, with id 1, and the rows the
// statements insert, as an older armsdash would have stored them; then
// opens it with every migration and returns it (closed when t ends) and
// the dataset read back.
func migrated(t *testing.T, n int, name, format string, statements ...string) (*Store, *data.File) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	all := migrations
	migrations = all[:n]
	s, err := Open(ctx, path)
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO datasets (name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at)
		VALUES (?, ?, '', '', '', '', ?, 0, 1, '', '2026-01-01T00:00:00Z')`, name, format, strings.Repeat("a", 64)); err != nil {
		t.Fatal(err)
	}
	for _, st := range statements {
		if _, err := s.db.ExecContext(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = storetest.MustOpen(t, Open, path)
	f, err := s.File(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return s, f
}

// TestMigrateSkippedColumnNumber opens a store made before skipped rows
// kept their column number: its skipped rows read back with number 0.
func TestMigrateSkippedColumnNumber(t *testing.T) {
	_, f := migrated(t, 1, "a.csv", "sipri-deliveries", `INSERT INTO skipped (dataset_id, file, line, "column", msg) VALUES (1, 'a.csv', 9, 'Delivery year', 'bad')`)
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
			if _, err := s.Import(ctx, storetest.SampleFile("a.csv")); err != nil {
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

// TestImportErrorNamesRows: a row the schema refuses fails its batch of
// rows, which the error names (the suite checks that the store is left as
// it was).
func TestImportErrorNamesRows(t *testing.T) {
	s := openTemp(t)
	for _, tt := range []struct {
		name string
		file func() *data.File
		want string
	}{
		{"flow 4322 of 5000 has no supplier", func() *data.File {
			f := storetest.WithFlows(storetest.BigFile("bad.csv", 1), 5000)
			f.Flows[4321].Supplier = "" // CHECK (supplier <> '')
			return f
		}, "insert into flows, rows 4097 to 4352 of 5000"},
		{"year out of range in the last table", func() *data.File {
			f := storetest.BigFile("bad.csv", 3000)
			f.Flows = []data.Flow{{Supplier: "A", Recipient: "B", Year: 1492, TIV: 1}}
			return f
		}, "CHECK constraint failed"},
	} {
		if _, err := s.Import(context.Background(), tt.file()); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

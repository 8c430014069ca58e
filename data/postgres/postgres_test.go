package postgres

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/postgres/postgrestest"
	"github.com/armsdash/armsdash/data/storetest"
)

// openTemp opens a store in a fresh database (see postgrestest.DSN).
func openTemp(t testing.TB) *Store {
	t.Helper()
	return storetest.MustOpen(t, Open, postgrestest.DSN(t))
}

// TestBackfill: rows stored before event keys are keyed when a store
// opens, and count as they would have (storetest.CheckBackfill).
func TestBackfill(t *testing.T) {
	s := openTemp(t)
	storetest.CheckBackfill(t, s, func(sql string) error {
		_, err := s.pool.Exec(context.Background(), sql)
		return err
	}, func() error { return s.core.Backfill(context.Background()) })
}

// TestStore runs the behaviour suite every data.Store engine passes.
func TestStore(t *testing.T) {
	postgrestest.DSN(t) // skips, saying why, when there is no server
	storetest.Run(t, storetest.Engine{
		Open: func(t *testing.T) data.Store { return openTemp(t) },
		Reopen: func(t *testing.T, s data.Store) data.Store {
			return storetest.MustOpen(t, Open, s.(*Store).pool.Config().ConnString())
		},
		Rows: func(t *testing.T, s data.Store, table string) int { return count(t, s.(*Store), table) },
		Exec: func(t *testing.T, s data.Store, sql string) {
			if err := s.(*Store).with(context.Background(), func(c *pgx.Conn) error { _, err := c.Exec(context.Background(), sql); return err }); err != nil {
				t.Fatal(err)
			}
		},
		OnWrite:        func(s data.Store, fn func(string, int)) { s.(*Store).afterCopy = fn },
		SetNow:         func(s data.Store, now func() time.Time) { s.(*Store).now = now },
		TimeResolution: time.Microsecond,
		OrderColumn:    "n",
	})
}

// TestMigrationsShipped: no shipped migration has changed.
func TestMigrationsShipped(t *testing.T) {
	storetest.CheckMigrations(t, migrations,
		"8ebe0df7fc0fcec31422da209b21bfbc1df7a4b02c4926396027146fdcbb4029",
		"0d973cd60efd84e0aae59c4417bc24cb105c94c1d16a61fad59ce2fee49a0cc4",
		"6095f94b3f743b7326cc2f26e2307883bbe6d6cc3a86afedd0c2eadebca4a3f7",
		"25d6b93260f57593ae8b61e60bead1f3d510c649d1bac9d505b56dd4dfdd3401",
		"30961da392e37b8f4cd0bee5125ad50117dcad6acc0382434faced9e900e90ad")
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
	again := storetest.MustOpen(t, Open, dsn)
	if ds, err := again.Datasets(ctx); err != nil || len(ds) != 1 {
		t.Errorf("reopened: %d datasets (%v); want the 1 imported", len(ds), err)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	dsn := postgrestest.DSN(t)
	s := storetest.MustOpen(t, Open, dsn)
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
	withFlows := func(name string, n int) *data.File { return storetest.WithFlows(storetest.BigFile(name, 1), n) }
	if _, err := s.Import(ctx, withFlows("small.csv", 10)); err != nil {
		t.Fatal(err)
	}
	if analyzed("flows") {
		t.Error("an import of 10 flows analyzed the table")
	}
	if _, err := s.Import(ctx, withFlows("large.csv", analyzeMinRows)); err != nil {
		t.Fatal(err)
	}
	if !analyzed("flows") {
		t.Errorf("an import of %d flows did not analyze the table", analyzeMinRows)
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

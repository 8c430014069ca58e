// Package postgres stores armsdash's datasets in PostgreSQL, so that several
// armsdash processes (web instances behind a load balancer, importers) can
// share one store. The schema mirrors data/sqlite's: one row per imported
// file in the datasets table and its rows in one table per kind
// (deliveries, flows, deals, tiv_values, indicators, events, figures,
// equipment, skipped), each row numbered (n) in file order. Text columns
// use the "C" collation, so they compare and sort by bytes as SQLite does.
//
// Every import is one transaction whose rows go in with COPY: a file is
// stored whole or not at all. A file is identified by the SHA-256 of its
// bytes (a UNIQUE column); importing the same bytes twice, even from two
// processes at once, is refused with a *data.DuplicateError. The store's
// Version is read from the database on every call, so every process sees
// every other's imports.
package postgres

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// core gives Store the data.Store methods that sqlstore implements.
type core = sqlstore.Store

var _ data.Store = (*Store)(nil)

// Store is a PostgreSQL database of datasets. It is safe for concurrent
// use. Its data.Store methods are written once in sqlstore, shared with
// data/sqlite (see data.Store for what each does): Import, Snapshot,
// File, Entries, Datasets, Remove, Version, EventCounts and Events.
type Store struct {
	*core
	pool *pgxpool.Pool

	// now stamps imports; tests replace it.
	now func() time.Time
	// afterCopy, when set, is called every copyHookEvery rows a COPY
	// sends, with the table and the rows sent so far (tests use it to
	// inject failures mid-import).
	afterCopy func(table string, n int)
}

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database dsn names (a URL such as
// postgres://user@host/db, or libpq's key=value form) and brings its
// schema up to date, each missing migration in its own transaction, under
// an advisory lock so that several processes may start at once. Opening
// an up-to-date store changes nothing; a store whose schema is newer than
// this program knows is refused.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	cfg.MaxConns = int32(max(4, runtime.GOMAXPROCS(0)))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", Redact(dsn), err)
	}
	s := &Store{pool: pool, now: time.Now}
	s.core = sqlstore.New(dialect, engine{s})
	if err := s.migrate(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", Redact(dsn), err)
	}
	if len(migrations) >= sqlstore.EventKeysMigration { // not in tests of older schemas
		if err := s.core.Backfill(ctx); err != nil {
			s.pool.Close()
			return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
		}
	}
	return s, nil
}

// Redact returns dsn with any password replaced by "xxxxx", for messages
// and logs: the password of a URL's user information and any password=
// parameter (of a URL's query or of the key=value form). It reads the text
// as written, so a DSN that cannot be parsed, or whose password is
// percent-encoded, is redacted too.
func Redact(dsn string) string {
	dsn = redactUserinfo.ReplaceAllString(dsn, "${1}xxxxx@")
	return redactParam.ReplaceAllString(dsn, "${1}xxxxx")
}

var (
	// redactUserinfo matches "scheme://user:password@", the password
	// running to the last '@' before any query.
	redactUserinfo = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*://[^:@/?#]*:)[^?#]*@`)
	// redactParam matches a password parameter and its value, quoted or not.
	redactParam = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)
)

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// with runs fn on a pooled connection.
func (s *Store) with(ctx context.Context, fn func(*pgx.Conn) error) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	return fn(c.Conn())
}

// inTx runs fn in a transaction with opts, committing when fn returns nil.
func (s *Store) inTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	return s.with(ctx, func(c *pgx.Conn) error {
		tx, err := c.BeginTx(ctx, opts)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.Background())
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// readTx is a read-only transaction that sees one state of the database
// throughout.
var readTx = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// SchemaVersion returns the highest migration applied to the store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.with(ctx, func(c *pgx.Conn) error {
		return c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

// migrationLock is the key of the advisory lock held while migrating.
const migrationLock = 0x61726d7364617368 // "armsdash"

// migrate applies the migrations the store lacks, in order, and packs
// what listings stored before lack (PackMissing), holding the advisory
// lock so that concurrent Opens do each once.
func (s *Store) migrate(ctx context.Context) error {
	return s.with(ctx, func(c *pgx.Conn) error {
		if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("lock for migration: %w", err)
		}
		defer c.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
		if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL
		)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var have int
		if err := c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		if have > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this armsdash knows (%d); use a newer armsdash", have, len(migrations))
		}
		for i := have; i < len(migrations); i++ {
			version := i + 1
			err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, migrations[i]); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())`, version)
				return err
			})
			if err != nil {
				return fmt.Errorf("migration %d: %w", version, err)
			}
		}
		return s.PackMissing(ctx) // under the lock: once, whoever opens first
	})
}

// ddl is how PostgreSQL's row tables are made (rowtable.CreateTables):
// text compares by bytes ("C"), rows are numbered n in file order, and
// events have their year.
var ddl = rowtable.DDL{
	Types: rowtable.Types{Text: `text COLLATE "C"`, Int: "integer", Int64: "bigint", Float: "double precision", Bool: "boolean", Bytes: "bytea"},
	Head:  []string{"n integer NOT NULL"},
	Tail:  []string{"PRIMARY KEY (dataset_id, n)"},
	// The year of the date ("2023", "2023-04", "2023-04-25"), NULL when undated.
	Extra: map[string][]string{"packed": {"UNIQUE (dataset_id, kind)"}, "events": {`year integer GENERATED ALWAYS AS (CASE WHEN date ~ '^[0-9]{4}' THEN substr(date, 1, 4)::integer END) STORED`}},
}

// migrations lists the schema changes in order; migration i+1 is
// migrations[i]. Append only: never edit a migration that has shipped
// (TestMigrationsShipped holds their SHA-256s).
var migrations = []string{
	// 1: datasets and one table per kind of row (rowtable.CreateTables),
	// the same tables and checks as data/sqlite's first migration, each
	// row numbered n in file order; text compares by bytes ("C").
	`
CREATE TABLE meta (
	key   text PRIMARY KEY,
	value bigint NOT NULL
);
INSERT INTO meta (key, value) VALUES ('generation', 0);

CREATE TABLE datasets (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name        text COLLATE "C" NOT NULL CHECK (name <> ''),
	format      text COLLATE "C" NOT NULL CHECK (format <> ''),
	source      text COLLATE "C" NOT NULL,
	attribution text COLLATE "C" NOT NULL,
	licence     text COLLATE "C" NOT NULL,
	vintage     text COLLATE "C" NOT NULL,
	sha256      text COLLATE "C" NOT NULL UNIQUE CHECK (length(sha256) = 64),
	rows        integer NOT NULL CHECK (rows >= 0),
	skipped     integer NOT NULL CHECK (skipped >= 0),
	unmapped    text[] NOT NULL,
	imported_at timestamptz NOT NULL
);
CREATE INDEX datasets_name ON datasets (name);

` + rowtable.CreateTables(ddl) + `
CREATE INDEX deliveries_flow ON deliveries (dataset_id, supplier, recipient, year);
CREATE INDEX events_sides ON events (side_a, side_b, date);
`,
	// 2: a skipped row's column number (data.ParseError.ColumnNumber).
	rowtable.AddColumns(ddl, 2),
	// 3: what an event row needs to be counted once (GDELT's NumSources,
	// NumArticles and IsRootEvent; see data.Event.Key), and the span of
	// GDELT updates a dataset holds (data.Dataset.Updates).
	rowtable.AddColumns(ddl, 3) + sqlstore.UpdatesColumns(ddl.Types),
	// 4: records derived from a dataset's rows at import, kept whole
	// (rowtable.PackedRows): a listing's details; PackMissing packs those
	// of the listings stored before.
	rowtable.PackedRows.Create(ddl),
	// 5: each event row's key, first row and weights, indexed by key, so
	// that counts and lists read first rows only (rowtable.EventKeyCols;
	// Open keys the rows stored before).
	sqlstore.EventKeyColumns(ddl.Types) + "CREATE INDEX events_key ON events (event_key, dataset_id, n);\n",
}

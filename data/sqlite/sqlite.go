// Package sqlite stores armsdash's datasets in a SQLite database (the pure Go
// driver modernc.org/sqlite): one row per imported file in the datasets
// table, and its rows in one table per kind (deliveries, flows, deals,
// tiv_values, indicators, events, figures, equipment, skipped).
//
// Every import is one transaction: a file is stored whole or not at all.
// A file is identified by the SHA-256 of its bytes; importing the same bytes
// twice is refused with a *DuplicateError.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// core gives Store the data.Store methods that sqlstore implements.
type core = sqlstore.Store

var _ data.Store = (*Store)(nil)

// dsnPragmas are set on every connection. WAL lets readers work while an
// import runs; busy_timeout makes a second writer wait (up to a minute, for an import
// running beside it) instead of failing;
// foreign_keys makes ON DELETE CASCADE work; _txlock=immediate takes the
// write lock at BEGIN so two writers never deadlock upgrading a read lock
// (read-only transactions still begin deferred).
const dsnPragmas = "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(60000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Store is a SQLite database of datasets. It is safe for concurrent use.
// Its data.Store methods are sqlstore's, shared with data/postgres (see
// data.Store for what each does): Import, Snapshot, File, Entries,
// Datasets, Remove, Version, EventCounts and Events.
type Store struct {
	*core
	db   *sql.DB
	path string

	// now stamps imports; tests replace it.
	now func() time.Time
	// afterInsert, when set, is called after each INSERT, with the
	// table and the count of rows inserted into it so far (tests use it to
	// inject failures mid-import).
	afterInsert func(table string, n int)
}

// Open opens (creating when absent) the store at path and brings its schema
// up to date, applying each missing migration in its own transaction.
// Opening an up-to-date store changes nothing. A store whose schema is newer
// than this program knows is refused, as is a path containing '?'.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: no database path given")
	}
	if strings.Contains(path, "?") {
		// The driver reads everything after '?' as connection parameters.
		return nil, fmt.Errorf("sqlite: database path %q contains '?'", path)
	}
	db, err := sql.Open("sqlite", path+dsnPragmas)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: time.Now}
	s.core = sqlstore.New(dialect, engine{s})
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := s.packMissing(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if len(migrations) >= sqlstore.EventKeysMigration { // not in tests of older schemas
		if err := s.core.Backfill(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the highest migration applied to the store.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: schema version: %w", err)
	}
	return v, nil
}

// migrate applies the migrations the store lacks, in order.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for i, m := range migrations {
		version := i + 1
		if err := s.applyMigration(ctx, version, m); err != nil {
			return fmt.Errorf("migration %d: %w", version, err)
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this armsdash knows (%d); use a newer armsdash", v, len(migrations))
	}
	return nil
}

// applyMigration runs one migration unless it is recorded already; the
// check and the change share one (immediate) transaction, so two processes
// opening a new store at once apply it once.
func (s *Store) applyMigration(ctx context.Context, version int, stmts string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, stmts); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// packedMigration is the migration that made the table of packed
// records (rowtable.PackedRows).
const packedMigration = 4

// packMissing packs what listings stored before lack (PackMissing) once
// the schema has the table for it: always, but in tests that make a
// store of an older schema.
func (s *Store) packMissing(ctx context.Context) error {
	if len(migrations) < packedMigration {
		return nil
	}
	return s.PackMissing(ctx)
}

// ddl is how SQLite's row tables are made (rowtable.CreateTables): rows
// keep file order in their rowid.
var ddl = rowtable.DDL{Types: rowtable.Types{Text: "TEXT", Int: "INTEGER", Int64: "INTEGER", Float: "REAL", Bool: "INTEGER", Bytes: "BLOB"},
	Extra: map[string][]string{"packed": {"UNIQUE (dataset_id, kind)"}}}

// migrations lists the schema changes in order; migration i+1 is
// migrations[i]. Append only: never edit a migration that has shipped
// (TestMigrationsShipped holds their SHA-256s).
var migrations = []string{
	// 1: datasets and one table per kind of row (rowtable.CreateTables),
	// each indexed for reading one dataset's rows.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('generation', '0');

CREATE TABLE datasets (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL CHECK (name <> ''),
	format      TEXT NOT NULL CHECK (format <> ''),
	source      TEXT NOT NULL,
	attribution TEXT NOT NULL,
	licence     TEXT NOT NULL,
	vintage     TEXT NOT NULL,
	sha256      TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
	rows        INTEGER NOT NULL CHECK (rows >= 0),
	skipped     INTEGER NOT NULL CHECK (skipped >= 0),
	unmapped    TEXT NOT NULL,
	imported_at TEXT NOT NULL
);
CREATE INDEX datasets_name ON datasets (name);

` + rowtable.CreateTables(ddl) + `
CREATE INDEX deliveries_flow ON deliveries (dataset_id, supplier, recipient, year);
CREATE INDEX flows_flow ON flows (dataset_id, supplier, recipient, year);
CREATE INDEX deals_parties ON deals (dataset_id, supplier, recipient, order_year);
CREATE INDEX tiv_values_flow ON tiv_values (dataset_id, supplier, recipient, year);
CREATE INDEX indicators_country ON indicators (dataset_id, indicator, country_code, year);
CREATE INDEX events_dataset ON events (dataset_id);
CREATE INDEX events_sides ON events (side_a, side_b, date);
CREATE INDEX figures_dataset ON figures (dataset_id);
CREATE INDEX equipment_dataset ON equipment (dataset_id);
CREATE INDEX skipped_dataset ON skipped (dataset_id);
`,
	// 2: a skipped row's column number (data.ParseError.ColumnNumber); 0,
	// "not known", for the rows stored before.
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
	sqlstore.EventKeyColumns(ddl.Types) + "CREATE INDEX events_key ON events (event_key, dataset_id);\n",
}

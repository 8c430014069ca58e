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
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// dsnPragmas are set on every connection. WAL lets readers work while an
// import runs; busy_timeout makes a second writer wait (up to a minute, for an import
// running beside it) instead of failing;
// foreign_keys makes ON DELETE CASCADE work; _txlock=immediate takes the
// write lock at BEGIN so two writers never deadlock upgrading a read lock
// (read-only transactions still begin deferred).
const dsnPragmas = "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(60000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Store is a SQLite database of datasets. It is safe for concurrent use.
type Store struct {
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
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
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

// migrations lists the schema changes in order; migration i+1 is
// migrations[i]. Append only: never edit a migration that has shipped.
var migrations = []string{
	// 1: datasets and one table per kind of row.
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

CREATE TABLE deliveries (
	dataset_id          INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	deal_id             INTEGER NOT NULL,
	supplier            TEXT NOT NULL CHECK (supplier <> ''),
	recipient           TEXT NOT NULL CHECK (recipient <> ''),
	designation         TEXT NOT NULL,
	description         TEXT NOT NULL,
	category            TEXT NOT NULL,
	order_year          INTEGER NOT NULL,
	order_year_estimate INTEGER NOT NULL,
	number              INTEGER NOT NULL,
	number_estimate     INTEGER NOT NULL,
	year                INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
	year_estimate       INTEGER NOT NULL,
	status              TEXT NOT NULL,
	tiv_unit_new        REAL NOT NULL,
	tiv_unit            REAL NOT NULL,
	tiv                 REAL NOT NULL,
	local_production    INTEGER NOT NULL
);
CREATE INDEX deliveries_flow ON deliveries (dataset_id, supplier, recipient, year);

CREATE TABLE flows (
	dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	supplier   TEXT NOT NULL CHECK (supplier <> ''),
	recipient  TEXT NOT NULL CHECK (recipient <> ''),
	year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
	tiv        REAL NOT NULL
);
CREATE INDEX flows_flow ON flows (dataset_id, supplier, recipient, year);

CREATE TABLE deals (
	dataset_id                 INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	legacy_id                  INTEGER NOT NULL,
	supplier                   TEXT NOT NULL,
	supplier_kind              TEXT NOT NULL,
	recipient                  TEXT NOT NULL,
	recipient_kind             TEXT NOT NULL,
	order_year                 INTEGER NOT NULL,
	order_year_uncertain       INTEGER NOT NULL,
	number_ordered             INTEGER NOT NULL,
	has_number_ordered         INTEGER NOT NULL,
	number_ordered_uncertain   INTEGER NOT NULL,
	designation                TEXT NOT NULL,
	description                TEXT NOT NULL,
	number_delivered           INTEGER NOT NULL,
	has_number_delivered       INTEGER NOT NULL,
	number_delivered_uncertain INTEGER NOT NULL,
	delivery_years             TEXT NOT NULL, -- "2010;2012"; '' when none
	delivery_from              INTEGER NOT NULL,
	delivery_to                INTEGER NOT NULL,
	status                     TEXT NOT NULL,
	status_uncertain           INTEGER NOT NULL,
	recipient_involvement      INTEGER NOT NULL,
	comments                   TEXT NOT NULL,
	has_tiv                    INTEGER NOT NULL,
	tiv_per_unit               REAL NOT NULL,
	tiv_order                  REAL NOT NULL,
	tiv_delivered              REAL NOT NULL,
	tiv_order_unknown          INTEGER NOT NULL
);
CREATE INDEX deals_parties ON deals (dataset_id, supplier, recipient, order_year);

CREATE TABLE tiv_values (
	dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	supplier   TEXT NOT NULL, -- '' = all suppliers
	recipient  TEXT NOT NULL, -- '' = all recipients
	category   TEXT NOT NULL, -- '' = all categories
	year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2100),
	tiv        REAL NOT NULL,
	small      INTEGER NOT NULL
);
CREATE INDEX tiv_values_flow ON tiv_values (dataset_id, supplier, recipient, year);

CREATE TABLE indicators (
	dataset_id     INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	country_name   TEXT NOT NULL,
	country_code   TEXT NOT NULL,
	indicator      TEXT NOT NULL,
	indicator_name TEXT NOT NULL,
	year           INTEGER NOT NULL,
	value          REAL NOT NULL,
	aggregate      INTEGER NOT NULL
);
CREATE INDEX indicators_country ON indicators (dataset_id, indicator, country_code, year);

CREATE TABLE events (
	dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	date       TEXT NOT NULL,
	precision  TEXT NOT NULL,
	date_note  TEXT NOT NULL,
	side_a     TEXT NOT NULL,
	side_b     TEXT NOT NULL,
	actors     TEXT NOT NULL,
	type       TEXT NOT NULL,
	place      TEXT NOT NULL,
	summary    TEXT NOT NULL,
	source     TEXT NOT NULL,
	source_id  TEXT NOT NULL,
	code       TEXT NOT NULL,
	source_url TEXT NOT NULL
);
CREATE INDEX events_dataset ON events (dataset_id);
CREATE INDEX events_sides ON events (side_a, side_b, date);

CREATE TABLE figures (
	dataset_id   INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	measure      TEXT NOT NULL,
	supplier     TEXT NOT NULL,
	recipient    TEXT NOT NULL,
	year_from    INTEGER NOT NULL,
	year_to      INTEGER NOT NULL,
	percent      REAL NOT NULL,
	approximate  INTEGER NOT NULL,
	quote        TEXT NOT NULL,
	publisher    TEXT NOT NULL,
	vintage      TEXT NOT NULL,
	vintage_note TEXT NOT NULL,
	source       TEXT NOT NULL
);
CREATE INDEX figures_dataset ON figures (dataset_id);

CREATE TABLE equipment (
	dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	supplier   TEXT NOT NULL,
	user       TEXT NOT NULL,
	service    TEXT NOT NULL,
	relation   TEXT NOT NULL,
	quote      TEXT NOT NULL,
	source     TEXT NOT NULL
);
CREATE INDEX equipment_dataset ON equipment (dataset_id);

CREATE TABLE skipped (
	dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
	file       TEXT NOT NULL,
	line       INTEGER NOT NULL,
	"column"   TEXT NOT NULL,
	msg        TEXT NOT NULL
);
CREATE INDEX skipped_dataset ON skipped (dataset_id);
`,
	// 2: a skipped row's column number (data.ParseError.ColumnNumber); 0,
	// "not known", for the rows stored before.
	`ALTER TABLE skipped ADD COLUMN column_number INTEGER NOT NULL DEFAULT 0 CHECK (column_number >= 0);`,
}

// generation reads the counter that every import and removal increments.
func generation(ctx context.Context, q querier) (int64, error) {
	var v string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&v); err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// bumpGeneration increments the generation counter inside tx.
func bumpGeneration(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'`)
	return err
}

// querier is what *sql.DB and *sql.Tx have in common for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

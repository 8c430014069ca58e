// Package sqlstore is what the two data.Store engines, data/sqlite and
// data/postgres, share: everything but the SQL dialect and the driver.
// Import, Snapshot, File, Entries, Datasets, Remove, Version, EventCounts
// and Events are written once here, over a small interface (Engine, Tx)
// that each engine implements with its driver, and a Dialect giving the
// few pieces of SQL that differ. An engine's Store embeds a *Store and
// adds Import (calling the function Import) and Close.
package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// Rows is a query's result: rowtable.Rows, and Close.
type Rows interface {
	rowtable.Rows
	Close()
}

// Tx is one transaction of an engine, in its dialect.
type Tx interface {
	// Query runs a query and returns its rows, which the caller closes.
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	// WriteRows stores the rows of b under dataset id, in the engine's
	// fastest way (batched INSERTs, COPY), keeping their order (see
	// Dialect.RowOrder).
	WriteRows(ctx context.Context, b rowtable.Batch, id int64) error
}

// Engine runs transactions on an engine's database.
type Engine interface {
	// Read runs fn in a read-only transaction that sees one state of the
	// database throughout, however many queries fn makes.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a read-write transaction, committed when fn
	// returns nil and rolled back otherwise.
	Write(ctx context.Context, fn func(Tx) error) error
}

// Scanner is a row to scan (*sql.Row, *sql.Rows, pgx.Row, Rows).
type Scanner interface {
	Scan(dest ...any) error
}

// Dialect is what the engines' SQL differs in.
type Dialect struct {
	// Name names the engine at the start of every error: "sqlite".
	Name string
	// Param returns the placeholder of the nth argument, from 1: "?1",
	// "$1". A placeholder may stand several times in a statement.
	Param func(n int) string
	// RowOrder is the column of every row table that keeps file order
	// within a dataset: "rowid", "n".
	RowOrder string
	// EventYear is an SQL expression of an events row: the year of its
	// date as data.Event.Year reads it, 0 or NULL when the date has
	// none. Filters compare it as it is, so that PostgreSQL plans them
	// with the statistics of its year column; counts read NULL as 0.
	EventYear string
	// ScanEntry reads a datasets row whose columns are EntryColumns.
	ScanEntry func(Scanner) (data.Entry, error)
	// EncodeEntry returns the values stored in the datasets columns
	// unmapped and imported_at, which ScanEntry reads back.
	EncodeEntry func(unmapped []string, importedAt time.Time) (any, any)
}

// EntryColumns are the columns of the datasets table that
// Dialect.ScanEntry reads, in order; the last three hold
// data.Dataset.Updates (added by UpdatesColumns).
const EntryColumns = `id, name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at, updates_first, updates_last, updates_count`

// UpdatesColumns returns the statements that add to the datasets table
// the columns holding data.Dataset.Updates, with SQL types ty: the third
// migration of both engines. Datasets stored before have none ("", 0).
func UpdatesColumns(ty rowtable.Types) string {
	return `ALTER TABLE datasets ADD COLUMN updates_first ` + ty.Text + ` NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN updates_last ` + ty.Text + ` NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN updates_count ` + ty.Int + ` NOT NULL DEFAULT 0 CHECK (updates_count >= 0);
`
}

// Store is an engine's data.Store but for Import (see the function
// Import) and Close. Its exported methods are the data.Store methods it
// implements, and no others, since an engine's Store embeds it and so
// shows them all.
type Store struct {
	d      Dialect
	engine Engine
	sql    statements
}

// statements is the SQL a Store runs, written once in its dialect.
type statements struct {
	entries, entryBySHA, insertDataset, deleteDataset string
	// generation reads the change counter that bump increments first in
	// every import, removal and backfill (see write). (SQLite stores it
	// as text; the sum converts.)
	generation, bump    string
	flows               map[data.FlowSource]string // by source, see flowQueries
	packed, packedKinds string                     // see packedSQL
	deliveries          string                     // a dataset's packed deliveries
	deletePacked        string
	deleteDeliveryRows  string // the rows of deliveries stores kept before packing them
	totals              string // see totalsSQL
	eventCounts, events string
	ev                  eventStatements // the rest of counting each event once
}

// New returns the Store of an engine with dialect d.
func New(d Dialect, e Engine) *Store {
	p1 := d.Param(1)
	st := statements{
		entries:            `SELECT ` + EntryColumns + ` FROM datasets ORDER BY id DESC`,
		entryBySHA:         `SELECT ` + EntryColumns + ` FROM datasets WHERE sha256 = ` + p1,
		insertDataset:      insertDatasetSQL(d),
		generation:         `SELECT value FROM meta WHERE key = 'generation'`,
		bump:               `UPDATE meta SET value = value + 1 WHERE key = 'generation'`,
		deleteDataset:      `DELETE FROM datasets WHERE id = ` + p1,
		flows:              flowQueries(d),
		packed:             packedSQL(d),
		deliveries:         `SELECT kind, body FROM packed WHERE dataset_id = ` + p1 + ` AND kind = '` + rowtable.PackedDeliveries + `'`,
		deleteDeliveryRows: `DELETE FROM deliveries WHERE dataset_id = ` + p1,
		packedKinds:        `SELECT kind FROM packed WHERE dataset_id = ` + p1,
		deletePacked:       `DELETE FROM packed WHERE dataset_id = ` + p1,
		totals:             totalsSQL(d),
		eventCounts:        eventCountsSQL(d),
		events:             eventsSQL(d),
		ev:                 eventStatementsOf(d),
	}
	return &Store{d: d, engine: e, sql: st}
}

// read runs fn in a read transaction, wrapping its error with the engine's
// name and op.
func (s *Store) read(ctx context.Context, op string, fn func(Tx) error) error {
	if err := s.engine.Read(ctx, fn); err != nil {
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	return nil
}

// entries lists the stored datasets, newest import first.
func (s *Store) entries(ctx context.Context, tx Tx) ([]data.Entry, error) {
	rows, err := tx.Query(ctx, s.sql.entries)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Entry
	for rows.Next() {
		e, err := s.d.ScanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// entryBySHA returns the stored dataset whose SHA-256 is sha; ok is false
// when there is none.
func (s *Store) entryBySHA(ctx context.Context, tx Tx, sha string) (e data.Entry, ok bool, err error) {
	rows, err := tx.Query(ctx, s.sql.entryBySHA, sha)
	if err != nil {
		return data.Entry{}, false, err
	}
	defer rows.Close()
	if rows.Next() {
		e, err = s.d.ScanEntry(rows)
		return e, err == nil, err
	}
	return data.Entry{}, false, rows.Err()
}

// version returns the Version of a store holding es (newest first), read
// in tx.
func (s *Store) version(ctx context.Context, tx Tx, es []data.Entry) (string, error) {
	if len(es) == 0 {
		return data.BuiltinVersion()
	}
	rows, err := tx.Query(ctx, s.sql.generation)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var gen int64
	if !rows.Next() {
		return "", fmt.Errorf("meta holds no generation (%v)", rows.Err())
	}
	if err := rows.Scan(&gen); err != nil {
		return "", fmt.Errorf("generation: %w", err)
	}
	return data.StoreVersion(es, gen), nil
}

// Entries lists the stored datasets with their import details, newest
// import first; nil when the store is empty.
func (s *Store) Entries(ctx context.Context) ([]data.Entry, error) {
	var es []data.Entry
	err := s.read(ctx, "list datasets", func(tx Tx) (err error) {
		es, err = s.entries(ctx, tx)
		return err
	})
	return es, err
}

// Datasets lists the stored datasets, newest import first; nil when the
// store is empty (the built-in dataset is not listed).
func (s *Store) Datasets(ctx context.Context) ([]data.Dataset, error) {
	es, err := s.Entries(ctx)
	if err != nil {
		return nil, err
	}
	return data.DatasetsOf(es), nil
}

// Version returns a string that changes whenever an import or removal
// commits, in this process or any other: data.StoreVersion of the stored
// datasets and the change counter, read in one transaction. When the
// store holds no dataset it is the built-in dataset's version, the one
// its Snapshot carries.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v string
	err := s.read(ctx, "version", func(tx Tx) error {
		es, err := s.entries(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.version(ctx, tx, es)
		return err
	})
	return v, err
}

// match returns the one stored dataset that name designates (see
// data.MatchEntry).
func (s *Store) match(ctx context.Context, tx Tx, name string) (data.Entry, error) {
	es, err := s.entries(ctx, tx)
	if err != nil {
		return data.Entry{}, err
	}
	return data.MatchEntry(es, name)
}

// nameError wraps err, the failure of op on the dataset called name: an
// *data.AmbiguousError as it is, for the caller to list the matches; one
// wrapping data.ErrNotFound (which names the dataset) with the engine and
// op; any other with the engine, op and name.
func (s *Store) nameError(op, name string, err error) error {
	var amb *data.AmbiguousError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &amb):
		return amb
	case errors.Is(err, data.ErrNotFound):
		return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
	}
	return fmt.Errorf("%s: %s %s: %w", s.d.Name, op, name, err)
}

// Remove deletes the dataset called name, with all its rows. name may also
// be a prefix (8 or more hex digits) of the dataset's SHA-256, which tells
// apart datasets of the same name. It returns an error wrapping
// data.ErrNotFound when nothing matches (or another process removed the
// match meanwhile), and a *data.AmbiguousError, removing nothing, when
// several datasets do.
func (s *Store) Remove(ctx context.Context, name string) error {
	return s.nameError("remove", name, s.write(ctx, func(tx Tx) error {
		e, err := s.match(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := exec(ctx, tx, s.sql.ev.removing, e.ID); err != nil {
			return fmt.Errorf("events: %w", err)
		}
		n, err := tx.Exec(ctx, s.sql.deleteDataset, e.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("dataset %q: %w", name, data.ErrNotFound)
		}
		return nil
	}))
}

// write runs fn in a write transaction (Engine.Write) that first bumps the
// change counter, so that the version changes with every write, and
// writers take turns: the counter's one row stays locked until the
// transaction ends (SQLite has one writer at a time anyway; PostgreSQL
// makes a second writer wait at the bump, then lets it see what the first
// committed). Counting each event once needs this: an import is the
// newest dataset and sees every older dataset's rows (eventStatements).
func (s *Store) write(ctx context.Context, fn func(Tx) error) error {
	return s.engine.Write(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, s.sql.bump); err != nil {
			return err
		}
		return fn(tx)
	})
}

// File returns the stored dataset called name (or SHA-256 prefix, as for
// Remove) with all its rows, skipped rows and unmapped names, as the reader
// made it: a stored file reads back equal to the file imported.
func (s *Store) File(ctx context.Context, name string) (*data.File, error) {
	var f *data.File
	err := s.engine.Read(ctx, func(tx Tx) error {
		e, err := s.match(ctx, tx, name)
		if err != nil {
			return err
		}
		f = &data.File{Dataset: e.Dataset, Unmapped: e.Unmapped}
		var skipped []data.ParseError
		for _, step := range []func() error{
			func() (err error) { f.Deliveries, err = s.deliveries(ctx, tx, e.ID); return err },
			func() (err error) { f.Flows, err = load(ctx, s, tx, rowtable.Flows, e.ID); return err },
			func() (err error) { f.Deals, err = load(ctx, s, tx, rowtable.Deals, e.ID); return err },
			func() (err error) { f.TIVValues, err = load(ctx, s, tx, rowtable.TIVValues, e.ID); return err },
			func() (err error) { f.Indicators, err = load(ctx, s, tx, rowtable.Indicators, e.ID); return err },
			func() (err error) { f.Events, err = load(ctx, s, tx, rowtable.Events, e.ID); return err },
			func() (err error) { f.Figures, err = load(ctx, s, tx, rowtable.Figures, e.ID); return err },
			func() (err error) { f.Equipment, err = load(ctx, s, tx, rowtable.Equipment, e.ID); return err },
			func() (err error) { skipped, err = load(ctx, s, tx, rowtable.Skipped, e.ID); return err },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		for i := range skipped {
			f.Skipped = append(f.Skipped, &skipped[i])
		}
		return nil
	})
	if err != nil {
		return nil, s.nameError("read", name, err)
	}
	return f, nil
}

// load reads the rows of t of dataset id in file order.
func load[T any](ctx context.Context, s *Store, tx Tx, t *rowtable.Table[T], id int64) ([]T, error) {
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE dataset_id = %s ORDER BY %s", t.ColumnList(), t.Name, s.d.Param(1), s.d.RowOrder)
	out, err := query(ctx, tx, t, sql, id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.Name, err)
	}
	return out, nil
}

// query runs sql, whose result columns are those of t, and reads every
// row.
func query[T any](ctx context.Context, tx Tx, t *rowtable.Table[T], sql string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return t.ScanAll(rows)
}

// int32Year clamps a year bound to the 32 bits the schemas give years.
func int32Year(y int) int32 { return int32(max(min(y, math.MaxInt32), math.MinInt32)) }

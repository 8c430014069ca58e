package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// dialect is SQLite's SQL for sqlstore. Rows keep file order in their
// rowid; an event's year is its date's first four characters when they
// are digits (dates are "2023", "2023-04" or "2023-04-25"), else 0.
var dialect = sqlstore.Dialect{
	Name:        "sqlite",
	Param:       func(n int) string { return "?" + strconv.Itoa(n) },
	RowOrder:    "rowid",
	EventYear:   `CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]*' THEN CAST(substr(date, 1, 4) AS INTEGER) ELSE 0 END`,
	ScanEntry:   scanEntry,
	EncodeEntry: encodeEntry,
}

// scanEntry reads a datasets row written with encodeEntry.
func scanEntry(sc sqlstore.Scanner) (data.Entry, error) {
	var e data.Entry
	var unmapped, imported string
	err := sc.Scan(&e.ID, &e.Name, &e.Format, &e.Source, &e.Attribution, &e.Licence, &e.Vintage,
		&e.SHA256, &e.Rows, &e.Skipped, &unmapped, &imported, &e.Updates.First, &e.Updates.Last, &e.Updates.Count)
	if err != nil {
		return data.Entry{}, err
	}
	if unmapped != "" {
		e.Unmapped = strings.Split(unmapped, "\n")
	}
	if e.ImportedAt, err = time.Parse(time.RFC3339Nano, imported); err != nil {
		return data.Entry{}, fmt.Errorf("dataset %d: imported_at %q: %w", e.ID, imported, err)
	}
	return e, nil
}

// encodeEntry stores unmapped names one a line and the import time as
// RFC 3339 text, to the nanosecond, in UTC.
func encodeEntry(unmapped []string, importedAt time.Time) (any, any) {
	return strings.Join(unmapped, "\n"), importedAt.UTC().Format(time.RFC3339Nano)
}

// engine runs sqlstore's transactions on the store's database.
type engine struct{ s *Store }

// Read runs fn in a read-only transaction: it begins deferred, and WAL
// lets it read one state of the database while writers commit.
func (e engine) Read(ctx context.Context, fn func(sqlstore.Tx) error) error {
	tx, err := e.s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(sqlTx{tx, e.s})
}

// Write runs fn in a transaction that holds the write lock from BEGIN.
//
// Its connection keeps up to writeCacheKiB of pages in memory until the
// transaction ends, rather than SQLite's default 2 MB: an import adds
// rows to indexes in no order (events_key), and with a small cache each
// row would read and spill index pages again.
func (e engine) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	c, err := e.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	var cache int64
	if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
		return fmt.Errorf("page cache: %w", err)
	}
	if _, err := c.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(writeCacheKiB)); err != nil {
		return fmt.Errorf("page cache: %w", err)
	}
	defer c.ExecContext(context.Background(), `PRAGMA cache_size = `+strconv.FormatInt(cache, 10))
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(sqlTx{tx, e.s}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// writeCacheKiB is the page cache of a write transaction, in KiB: 256 MiB,
// the key index of some 5M event rows (less than the memory the rows of
// a file that large take while it is imported).
const writeCacheKiB = 256 << 10

// sqlTx is a *sql.Tx of s as sqlstore uses it: WriteRows is batched
// INSERTs (insert).
type sqlTx struct {
	tx *sql.Tx
	s  *Store
}

func (t sqlTx) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (t sqlTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t sqlTx) WriteRows(ctx context.Context, b rowtable.Batch, id int64) error {
	return insert(ctx, t.s, t.tx, b, id)
}

// sqlRows is *sql.Rows as sqlstore uses it; Err reports what Close would.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

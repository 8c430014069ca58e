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

// writeCacheKiB returns the page cache of a write transaction, in KiB,
// for an import of a file of bytes bytes: a quarter of the file, at least
// 256 KiB and at most 512 MiB, which it takes when bytes is 0 (not known:
// a removal, or keying a whole store's events). SQLite allocates the
// cache only as pages are touched, and Write gives it back after the
// commit.
//
// An import needs the cache for the pages it writes again and again,
// chiefly those of indexes filled in no order (the event keys); a table's
// own pages are written once, in order, and may spill to the WAL early.
// Measured in CPU seconds on a shared 2-vCPU machine: the synthetic
// 1M-row listing (121 MB), while its deliveries were still a row each,
// 28.5 s with SQLite's default cache (2,000 KiB), 20.0 s with 32 MiB and
// 23.6 s with 512 MiB, whose peak RSS was 0.28 GB above 32 MiB's; in a
// busier run, 23–27 s with a quarter of the file, 24–29 s with an eighth,
// 28–29 s with a sixteenth. A synthetic 300k-row GDELT export (98 MB):
// 19.1 s with 2,000 KiB, 12.0 s with a quarter, 13.6 s with 512 MiB; an
// eighth and a sixteenth 16–19 s. The 3.8 MB trade register imports as
// fast with 256 KiB as with 2,000.
func writeCacheKiB(bytes int64) int64 {
	const minKiB, maxKiB = 256, 512 << 10
	if bytes <= 0 {
		return maxKiB
	}
	return min(max(bytes/4/1024, minKiB), maxKiB)
}

// Write runs fn in a transaction that holds the write lock from BEGIN, on
// a connection whose page cache is writeCacheKiB(0) for its duration.
func (e engine) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return e.WriteSized(ctx, 0, fn)
}

// WriteSized is Write, with a page cache of writeCacheKiB(bytes) for an
// import of a file of bytes bytes.
func (e engine) WriteSized(ctx context.Context, bytes int64, fn func(sqlstore.Tx) error) error {
	conn, err := e.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", writeCacheKiB(bytes))); err != nil {
		return err
	}
	// Back to the default, freeing the pages, before the connection
	// returns to the pool.
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	tx, err := conn.BeginTx(ctx, nil)
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

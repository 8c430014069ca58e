package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// dialect is PostgreSQL's SQL for sqlstore. Rows keep file order in n;
// an event's year is the events table's generated year column, NULL when
// undated.
var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Param:       func(n int) string { return "$" + strconv.Itoa(n) },
	RowOrder:    "n",
	EventYear:   "year",
	ScanEntry:   scanEntry,
	EncodeEntry: encodeEntry,
}

// encodeEntry stores unmapped names as a text array (never NULL) and the
// import time as a timestamptz, to the microsecond.
func encodeEntry(unmapped []string, importedAt time.Time) (any, any) {
	if unmapped == nil {
		unmapped = []string{}
	}
	return unmapped, importedAt.UTC()
}

// scanEntry reads a datasets row written with encodeEntry; ImportedAt is
// in UTC.
func scanEntry(sc sqlstore.Scanner) (data.Entry, error) {
	var e data.Entry
	var format string
	err := sc.Scan(&e.ID, &e.Name, &format, &e.Source, &e.Attribution, &e.Licence, &e.Vintage,
		&e.SHA256, &e.Rows, &e.Skipped, &e.Unmapped, &e.ImportedAt, &e.Updates.First, &e.Updates.Last, &e.Updates.Count)
	if err != nil {
		return data.Entry{}, err
	}
	e.Format = data.Format(format)
	if len(e.Unmapped) == 0 {
		e.Unmapped = nil
	}
	e.ImportedAt = e.ImportedAt.UTC()
	return e, nil
}

// engine runs sqlstore's transactions on the store's pool.
type engine struct{ s *Store }

// Read runs fn in a read-only, repeatable-read transaction: it sees one
// state of the database throughout.
func (e engine) Read(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return e.s.inTx(ctx, readTx, func(tx pgx.Tx) error { return fn(pgTx{tx, e.s}) })
}

// Write runs fn in a read-write transaction.
func (e engine) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return e.s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error { return fn(pgTx{tx, e.s}) })
}

// pgTx is a pgx.Tx of s as sqlstore uses it: pgx.Rows are sqlstore.Rows
// already, and WriteRows is one COPY (copyRows).
type pgTx struct {
	tx pgx.Tx
	s  *Store
}

func (t pgTx) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	return t.tx.Query(ctx, sql, args...)
}

func (t pgTx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (t pgTx) WriteRows(ctx context.Context, b rowtable.Batch, id int64) error {
	return copyRows(ctx, t.s, t.tx, b, id)
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// insertSQL returns an INSERT of n rows into t.
func insertSQL[T any](t *rowtable.Table[T], n int) string {
	row := "(?" + strings.Repeat(", ?", len(t.Cols)) + ")"
	return fmt.Sprintf("INSERT INTO %s (dataset_id, %s) VALUES %s", t.Name,
		t.ColumnList(), strings.Repeat(row+", ", n-1)+row)
}

// batchRows is how many rows of t one INSERT carries: statements of many
// rows cost far less per row than one row at a time, within SQLite's limit
// of 32,766 parameters per statement.
func batchRows[T any](t *rowtable.Table[T]) int { return min(256, 32766/(len(t.Cols)+1)) }

// insert stores rows into t under dataset id, batchRows rows per prepared
// INSERT and the remainder one by one. It checks ctx before every batch
// (each Exec checks it as well).
func insert[T any](ctx context.Context, s *Store, tx *sql.Tx, t *rowtable.Table[T], id int64, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	n := batchRows(t)
	a := make([]any, 0, min(n, len(rows))*(len(t.Cols)+1))
	exec := func(stmt *sql.Stmt, first, count int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		a = a[:0]
		for i := range count {
			a = t.Values(append(a, id), &rows[first+i])
		}
		if _, err := stmt.ExecContext(ctx, a...); err != nil {
			return fmt.Errorf("insert into %s, rows %d to %d of %d: %w", t.Name, first+1, first+count, len(rows), err)
		}
		if s.afterInsert != nil {
			s.afterInsert(t.Name, first+count)
		}
		return nil
	}
	done := 0
	if len(rows) >= n {
		batch, err := tx.PrepareContext(ctx, insertSQL(t, n))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", t.Name, err)
		}
		defer batch.Close()
		for ; done+n <= len(rows); done += n {
			if err := exec(batch, done, n); err != nil {
				return err
			}
		}
	}
	if done < len(rows) {
		single, err := tx.PrepareContext(ctx, insertSQL(t, 1))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", t.Name, err)
		}
		defer single.Close()
		for ; done < len(rows); done++ {
			if err := exec(single, done, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// load reads the rows of t of dataset id in the order they were stored.
func load[T any](ctx context.Context, q querier, t *rowtable.Table[T], id int64) ([]T, error) {
	out, err := query(ctx, q, t, fmt.Sprintf("SELECT %s FROM %s WHERE dataset_id = ? ORDER BY rowid", t.ColumnList(), t.Name), id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.Name, err)
	}
	return out, nil
}

// query runs sqlText, whose result columns are those of t, and reads every row.
func query[T any](ctx context.Context, q querier, t *rowtable.Table[T], sqlText string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return t.ScanAll(rows)
}

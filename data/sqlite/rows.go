package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// insertSQL returns an INSERT of n rows of b's table.
func insertSQL(b rowtable.Batch, n int) string {
	row := "(?" + strings.Repeat(", ?", len(b.Cols)) + ")"
	return fmt.Sprintf("INSERT INTO %s (dataset_id, %s) VALUES %s", b.Table, b.ColumnList(), strings.Repeat(row+", ", n-1)+row)
}

// batchRows is how many rows of b's table one INSERT carries: statements
// of many rows cost far less per row than one row at a time, within
// SQLite's limit of 32,766 parameters per statement.
func batchRows(b rowtable.Batch) int { return min(256, 32766/(len(b.Cols)+1)) }

// insert stores the rows of b under dataset id, batchRows rows per
// prepared INSERT and the remainder one by one. It checks ctx before every
// batch (each Exec checks it as well).
func insert(ctx context.Context, s *Store, tx *sql.Tx, b rowtable.Batch, id int64) error {
	n := batchRows(b)
	a := make([]any, 0, min(n, b.Len)*(len(b.Cols)+1))
	exec := func(stmt *sql.Stmt, first, count int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		a = a[:0]
		for i := range count {
			a = b.Values(append(a, id), first+i)
		}
		if _, err := stmt.ExecContext(ctx, a...); err != nil {
			return fmt.Errorf("insert into %s, rows %d to %d of %d: %w", b.Table, first+1, first+count, b.Len, err)
		}
		if s.afterInsert != nil {
			s.afterInsert(b.Table, first+count)
		}
		return nil
	}
	done := 0
	if b.Len >= n {
		batch, err := tx.PrepareContext(ctx, insertSQL(b, n))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", b.Table, err)
		}
		defer batch.Close()
		for ; done+n <= b.Len; done += n {
			if err := exec(batch, done, n); err != nil {
				return err
			}
		}
	}
	if done < b.Len {
		single, err := tx.PrepareContext(ctx, insertSQL(b, 1))
		if err != nil {
			return fmt.Errorf("prepare insert into %s: %w", b.Table, err)
		}
		defer single.Close()
		for ; done < b.Len; done++ {
			if err := exec(single, done, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

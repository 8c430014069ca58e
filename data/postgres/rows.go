package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// copyHookEvery is how often (in rows) a COPY checks ctx and calls
// Store.afterCopy.
const copyHookEvery = 1000

// source feeds rows to COPY: dataset_id, the row number n (from 1) and the
// columns of t, reusing one slice of values.
type source[T any] struct {
	ctx  context.Context
	s    *Store
	t    *rowtable.Table[T]
	id   int64
	rows []T
	i    int
	vals []any
	err  error
}

func (src *source[T]) Next() bool {
	if src.i >= len(src.rows) || src.err != nil {
		return false
	}
	if src.i > 0 && src.i%copyHookEvery == 0 {
		if src.s.afterCopy != nil {
			src.s.afterCopy(src.t.Name, src.i)
		}
		if err := src.ctx.Err(); err != nil {
			src.err = err
			return false
		}
	}
	src.vals = src.t.Values(append(src.vals[:0], src.id, int32(src.i+1)), &src.rows[src.i])
	src.i++
	return true
}

func (src *source[T]) Values() ([]any, error) { return src.vals, nil }
func (src *source[T]) Err() error             { return src.err }

// copyRows stores rows into t under dataset id with one COPY.
func copyRows[T any](ctx context.Context, s *Store, tx pgx.Tx, t *rowtable.Table[T], id int64, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	cols := append([]string{"dataset_id", "n"}, t.Cols...)
	src := &source[T]{ctx: ctx, s: s, t: t, id: id, rows: rows, vals: make([]any, 0, len(cols))}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.Name}, cols, src)
	if err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", len(rows), t.Name, err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("copy into %s: %d of %d rows stored", t.Name, n, len(rows))
	}
	return nil
}

// load reads the rows of t of dataset id in file order.
func load[T any](ctx context.Context, tx pgx.Tx, t *rowtable.Table[T], id int64) ([]T, error) {
	out, err := query(ctx, tx, t, fmt.Sprintf("SELECT %s FROM %s WHERE dataset_id = $1 ORDER BY n", t.ColumnList(), t.Name), id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.Name, err)
	}
	return out, nil
}

// query runs sqlText, whose result columns are those of t, and reads every row.
func query[T any](ctx context.Context, tx pgx.Tx, t *rowtable.Table[T], sqlText string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sqlText, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return t.ScanAll(rows)
}

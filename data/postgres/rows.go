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

// source feeds the rows of b to COPY: dataset_id, the row number n (from
// 1) and b's columns, reusing one slice of values.
type source struct {
	ctx  context.Context
	s    *Store
	b    rowtable.Batch
	id   int64
	i    int
	vals []any
	err  error
}

func (src *source) Next() bool {
	if src.i >= src.b.Len || src.err != nil {
		return false
	}
	if src.i > 0 && src.i%copyHookEvery == 0 {
		if src.s.afterCopy != nil {
			src.s.afterCopy(src.b.Table, src.i)
		}
		if err := src.ctx.Err(); err != nil {
			src.err = err
			return false
		}
	}
	src.vals = src.b.Values(append(src.vals[:0], src.id, int32(src.i+1)), src.i)
	src.i++
	return true
}

func (src *source) Values() ([]any, error) { return src.vals, nil }
func (src *source) Err() error             { return src.err }

// copyRows stores the rows of b under dataset id with one COPY.
func copyRows(ctx context.Context, s *Store, tx pgx.Tx, b rowtable.Batch, id int64) error {
	cols := append([]string{"dataset_id", "n"}, b.Cols...)
	src := &source{ctx: ctx, s: s, b: b, id: id, vals: make([]any, 0, len(cols))}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{b.Table}, cols, src)
	if err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", b.Len, b.Table, err)
	}
	if n != int64(b.Len) {
		return fmt.Errorf("copy into %s: %d of %d rows stored", b.Table, n, b.Len)
	}
	return nil
}

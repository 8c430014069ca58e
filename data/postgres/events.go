package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// eventsSQL selects events as data.EventFilter does, in snapshot order:
// dataset IDs grow with each import and n is the file order, so the
// primary key (dataset_id, n) serves the order. year is the column the
// schema derives from each date (NULL when undated). $1 type, $2 country,
// $3 from, $4 to ("" and 0: any), $5 limit (NULL: none), $6 offset.
var eventsSQL = fmt.Sprintf(`SELECT %s FROM events
	WHERE ($1 = '' OR type = $1)
	AND ($2 = '' OR side_a = $2 OR side_b = $2)
	AND (($3 = 0 AND $4 = 0) OR (year IS NOT NULL AND year <> 0 AND ($3 = 0 OR year >= $3) AND ($4 = 0 OR year <= $4)))
	ORDER BY dataset_id, n
	LIMIT $5 OFFSET $6`, rowtable.Events.ColumnList())

// Events returns the stored events f selects, oldest import first and in
// file order within a dataset, from offset, at most limit (limit <= 0:
// all): see data.Store.Events. A negative offset counts as 0.
func (s *Store) Events(ctx context.Context, f data.EventFilter, offset, limit int) ([]data.Event, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = int64(limit)
	}
	clamp := func(y int) int32 { return int32(max(min(y, math.MaxInt32), math.MinInt32)) }
	var out []data.Event
	err := s.inTx(ctx, readTx, func(tx pgx.Tx) (err error) {
		out, err = query(ctx, tx, rowtable.Events, eventsSQL, f.Type, f.Country, clamp(f.From), clamp(f.To), lim, int64(max(offset, 0)))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return out, nil
}

package sqlite

import (
	"context"
	"fmt"
	"math"

	"github.com/armsdash/armsdash/data"
)

// eventCountsSQL groups the events table in SQL; the year is the date's
// first four characters when they are digits (dates are "2023", "2023-04"
// or "2023-04-25"), else 0 (undated, date ""), as data.Event.Year reads it.
// Text compares by bytes (SQLite's BINARY collation).
var eventCountsSQL = `SELECT ` + eventYearSQL + ` AS y,
	side_a, side_b, type, COUNT(*)
	FROM events
	WHERE y BETWEEN ? AND ?
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`

// EventCounts counts the stored events dated from year from to year to
// (inclusive; to <= 0: no upper bound; undated events count under year 0)
// by year, side A, side B and type, with one GROUP BY in SQL: see
// data.EventCount. nil when there are none.
func (s *Store) EventCounts(ctx context.Context, from, to int) ([]data.EventCount, error) {
	out, err := eventCounts(ctx, s.db, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: event counts: %w", err)
	}
	return out, nil
}

// eventCounts runs eventCountsSQL on q, the database or a transaction.
func eventCounts(ctx context.Context, q querier, from, to int) ([]data.EventCount, error) {
	if to <= 0 {
		to = math.MaxInt32
	}
	rows, err := q.QueryContext(ctx, eventCountsSQL, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.EventCount
	for rows.Next() {
		var c data.EventCount
		if err := rows.Scan(&c.Year, &c.SideA, &c.SideB, &c.Type, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

var _ data.Store = (*Store)(nil)

package sqlite

import (
	"context"
	"fmt"
	"math"

	"github.com/armsdash/armsdash/data"
)

// eventCountsSQL groups the events table in SQL; the year is the date's
// first four characters (dates are "2023", "2023-04" or "2023-04-25", or ""
// when undated). Text compares by bytes (SQLite's BINARY collation).
const eventCountsSQL = `SELECT CAST(substr(date, 1, 4) AS INTEGER) AS y, side_a, side_b, type, COUNT(*)
	FROM events
	WHERE length(date) >= 4 AND y BETWEEN ? AND ?
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`

// EventCounts counts the stored events dated from year from to year to
// (inclusive; to <= 0: no upper bound) by year, side A, side B and type,
// with one GROUP BY in SQL: see data.EventCount. nil when there are none.
func (s *Store) EventCounts(ctx context.Context, from, to int) ([]data.EventCount, error) {
	if to <= 0 {
		to = math.MaxInt32
	}
	rows, err := s.db.QueryContext(ctx, eventCountsSQL, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: event counts: %w", err)
	}
	defer rows.Close()
	var out []data.EventCount
	for rows.Next() {
		var c data.EventCount
		if err := rows.Scan(&c.Year, &c.SideA, &c.SideB, &c.Type, &c.Count); err != nil {
			return nil, fmt.Errorf("sqlite: event counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: event counts: %w", err)
	}
	return out, nil
}

var _ data.Store = (*Store)(nil)

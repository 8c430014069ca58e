package sqlstore

import (
	"context"
	"math"
	"strings"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// eventCountsSQL groups the events table in the database by year (the
// dialect's EventYear, 0 when undated), sides and type, for years between
// its two arguments. Text compares by bytes in both engines (SQLite's
// BINARY collation, PostgreSQL's "C").
func eventCountsSQL(d Dialect) string {
	y := `COALESCE(` + d.EventYear + `, 0)`
	return `SELECT ` + y + ` AS y, side_a, side_b, type, COUNT(*) FROM events
	WHERE ` + y + ` BETWEEN ` + d.Param(1) + ` AND ` + d.Param(2) + `
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`
}

// EventCounts counts the stored events dated from year from to year to
// (inclusive; to <= 0: no upper bound; undated events count under year 0)
// by year, side A, side B and type, with one GROUP BY in the database: see
// data.EventCount. nil when there are none.
func (s *Store) EventCounts(ctx context.Context, from, to int) ([]data.EventCount, error) {
	var out []data.EventCount
	err := s.read(ctx, "event counts", func(tx Tx) (err error) {
		out, err = s.eventCounts(ctx, tx, from, to)
		return err
	})
	return out, err
}

// eventCounts is EventCounts in tx.
func (s *Store) eventCounts(ctx context.Context, tx Tx, from, to int) ([]data.EventCount, error) {
	if to <= 0 {
		to = math.MaxInt32
	}
	rows, err := tx.Query(ctx, s.sql.eventCounts, int32Year(from), int32Year(to))
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

// eventsSQL selects events as data.EventFilter does, in snapshot order:
// dataset IDs grow with each import and the dialect's RowOrder keeps file
// order within a dataset (an index of both engines serves this order
// without a sort). An undated event (EventYear 0 or NULL) fails any year
// bound. Arguments: 1 type, 2 country, 3 from, 4 to ("" and 0: any), 5
// limit, 6 offset.
func eventsSQL(d Dialect) string {
	return strings.NewReplacer("$Y", d.EventYear, "$1", d.Param(1), "$2", d.Param(2), "$3", d.Param(3),
		"$4", d.Param(4), "$5", d.Param(5), "$6", d.Param(6)).Replace(`SELECT ` + rowtable.Events.ColumnList() + ` FROM events
	WHERE ($1 = '' OR type = $1)
	AND ($2 = '' OR side_a = $2 OR side_b = $2)
	AND (($3 = 0 AND $4 = 0) OR ($Y <> 0 AND ($3 = 0 OR $Y >= $3) AND ($4 = 0 OR $Y <= $4)))
	ORDER BY dataset_id, ` + d.RowOrder + `
	LIMIT $5 OFFSET $6`)
}

// Events returns the stored events f selects, oldest import first and in
// file order within a dataset, from offset, at most limit (limit <= 0:
// all): see data.Store.Events. A negative offset counts as 0.
func (s *Store) Events(ctx context.Context, f data.EventFilter, offset, limit int) ([]data.Event, error) {
	lim := int64(math.MaxInt64) // no limit
	if limit > 0 {
		lim = int64(limit)
	}
	var out []data.Event
	err := s.read(ctx, "events", func(tx Tx) (err error) {
		out, err = query(ctx, tx, rowtable.Events, s.sql.events, f.Type, f.Country, int32Year(f.From), int32Year(f.To), lim, int64(max(offset, 0)))
		return err
	})
	return out, err
}

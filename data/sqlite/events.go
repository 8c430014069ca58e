package sqlite

import (
	"context"
	"fmt"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// eventYearSQL is the year of an event's date as data.Event.Year reads
// it: the first four characters when they are digits, else 0.
const eventYearSQL = `CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]*' THEN CAST(substr(date, 1, 4) AS INTEGER) ELSE 0 END`

// eventsSQL selects events as data.EventFilter does, in snapshot order:
// dataset IDs grow with each import, and rowid keeps file order within a
// dataset (the events_dataset index serves this order without a sort).
// ?1 type, ?2 country, ?3 from, ?4 to ("" and 0: any), ?5 limit (-1: no
// limit), ?6 offset.
var eventsSQL = fmt.Sprintf(`SELECT %s FROM events
	WHERE (?1 = '' OR type = ?1)
	AND (?2 = '' OR side_a = ?2 OR side_b = ?2)
	AND ((?3 = 0 AND ?4 = 0) OR (%[2]s <> 0 AND (?3 = 0 OR %[2]s >= ?3) AND (?4 = 0 OR %[2]s <= ?4)))
	ORDER BY dataset_id, rowid
	LIMIT ?5 OFFSET ?6`, rowtable.Events.ColumnList(), eventYearSQL)

// Events returns the stored events f selects, oldest import first and in
// file order within a dataset, from offset, at most limit (limit <= 0:
// all): see data.Store.Events. A negative offset counts as 0.
func (s *Store) Events(ctx context.Context, f data.EventFilter, offset, limit int) ([]data.Event, error) {
	if limit <= 0 {
		limit = -1
	}
	out, err := query(ctx, s.db, rowtable.Events, eventsSQL, f.Type, f.Country, f.From, f.To, limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return out, nil
}

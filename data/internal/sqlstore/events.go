package sqlstore

import (
	"context"
	"math"
	"strings"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// eventKeySQL is data.Event.Key as the expressions of a PARTITION BY:
// rows of the events table with equal values are one event. Text
// compares by bytes in both engines (SQLite's BINARY collation,
// PostgreSQL's "C"), as Go's strings do, so the pair is ordered alike.
const eventKeySQL = `source_id <> '', date,
		CASE WHEN side_b < side_a THEN side_b ELSE side_a END,
		CASE WHEN side_b < side_a THEN side_a ELSE side_b END,
		CASE WHEN source_id = '' THEN type ELSE substr(code, 1, 2) END,
		CASE WHEN source_id = '' THEN source ELSE source_url END,
		CASE WHEN source_id = '' THEN date_note WHEN source_url = '' THEN source_id ELSE '' END`

// eventSQL expands, in query, $Y to the dialect's EventYear, $O to its
// RowOrder, $K to eventKeySQL, $FIRST to the window of an event's rows in
// stored order, and $1 … $6 to its placeholders.
func eventSQL(d Dialect, query string) string {
	return strings.NewReplacer("$Y", d.EventYear, "$O", d.RowOrder, "$K", eventKeySQL,
		"$FIRST", "(k ORDER BY dataset_id, "+d.RowOrder+")",
		"$1", d.Param(1), "$2", d.Param(2), "$3", d.Param(3),
		"$4", d.Param(4), "$5", d.Param(5), "$6", d.Param(6)).Replace(query)
}

// eventCountsSQL counts the events (one per key, eventKeySQL) by the
// year (the dialect's EventYear, 0 when undated), sides and type of each
// one's first row, in stored order (dataset IDs grow with each import,
// RowOrder keeps file order), for years between its two arguments, with
// the events' weights by sources and articles (the most of their rows,
// at least 1: data.Event.Sources, data.Event.Articles) summed.
func eventCountsSQL(d Dialect) string {
	return eventSQL(d, `WITH ranked AS (
		SELECT COALESCE($Y, 0) AS y, side_a, side_b, type,
			ROW_NUMBER() OVER $FIRST AS rn,
			MAX(CASE WHEN num_sources > 1 THEN num_sources ELSE 1 END) OVER k AS ws,
			MAX(CASE WHEN num_articles > 1 THEN num_articles ELSE 1 END) OVER k AS wa
		FROM events
		WINDOW k AS (PARTITION BY $K))
	SELECT y, side_a, side_b, type, COUNT(*), SUM(ws), SUM(wa) FROM ranked
	WHERE rn = 1 AND y BETWEEN $1 AND $2
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`)
}

// EventCounts counts the stored events dated from year from to year to
// (inclusive; to <= 0: no upper bound; undated events count under year 0)
// by year, side A, side B and type, in the database: each event once,
// however many rows of however many datasets hold it (see
// data.EventCount). nil when there are none.
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
		if err := rows.Scan(&c.Year, &c.SideA, &c.SideB, &c.Type, &c.Count, &c.Sources, &c.Articles); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// eventsSQL selects the events data.EventFilter selects, a page of them,
// in snapshot order: each event (one per key) where its first row is
// stored, with all its rows, first row first, and the position of its
// first row (its dataset and RowOrder). The filter applies to the first
// row, whose sides, type and year every row of the event shares but for
// the order of the sides. An undated event (EventYear 0 or NULL) fails
// any year bound. Arguments: 1 type, 2 country, 3 from, 4 to ("" and 0:
// any), 5 limit, 6 offset.
func eventsSQL(d Dialect) string {
	return eventSQL(d, `WITH ranked AS (
		SELECT `+rowtable.Events.ColumnList()+`, $Y AS y, dataset_id AS ds, $O AS ord,
			FIRST_VALUE(dataset_id) OVER $FIRST AS fd,
			FIRST_VALUE($O) OVER $FIRST AS fo,
			ROW_NUMBER() OVER $FIRST AS rn
		FROM events
		WINDOW k AS (PARTITION BY $K)),
	page AS (
		SELECT fd, fo FROM ranked
		WHERE rn = 1
		AND ($1 = '' OR type = $1)
		AND ($2 = '' OR side_a = $2 OR side_b = $2)
		AND (($3 = 0 AND $4 = 0) OR (y <> 0 AND ($3 = 0 OR y >= $3) AND ($4 = 0 OR y <= $4)))
		ORDER BY fd, fo
		LIMIT $5 OFFSET $6)
	SELECT `+prefixed("ranked", rowtable.Events.Cols)+`, ranked.fd, ranked.fo
	FROM ranked JOIN page ON ranked.fd = page.fd AND ranked.fo = page.fo
	ORDER BY ranked.fd, ranked.fo, ranked.ds, ranked.ord`)
}

// prefixed returns cols quoted, each qualified by table, joined by ", ".
func prefixed(table string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = table + `."` + c + `"`
	}
	return strings.Join(out, ", ")
}

// Events returns the stored events f selects, oldest import first and in
// file order within a dataset, from offset, at most limit (limit <= 0:
// all), each with its other rows in Also, as data.DedupEvents and
// data.FilterEvents give them from the snapshot's rows: see
// data.Store.Events. A negative offset counts as 0.
func (s *Store) Events(ctx context.Context, f data.EventFilter, offset, limit int) ([]data.Event, error) {
	lim := int64(math.MaxInt64) // no limit
	if limit > 0 {
		lim = int64(limit)
	}
	var out []data.Event
	err := s.read(ctx, "events", func(tx Tx) error {
		rows, err := tx.Query(ctx, s.sql.events, f.Type, f.Country, int32Year(f.From), int32Year(f.To), lim, int64(max(offset, 0)))
		if err != nil {
			return err
		}
		defer rows.Close()
		type pos struct{ dataset, order int64 }
		var last pos
		var dst []any
		for rows.Next() {
			var e data.Event
			var p pos
			dst = append(rowtable.Events.Fields(dst[:0], &e), &p.dataset, &p.order)
			if err := rows.Scan(dst...); err != nil {
				return err
			}
			if len(out) > 0 && p == last {
				out[len(out)-1].Also = append(out[len(out)-1].Also, e)
				continue
			}
			out, last = append(out, e), p
		}
		return rows.Err()
	})
	return out, err
}

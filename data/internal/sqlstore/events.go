package sqlstore

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// Each event is counted once (data.Event.Key): the events table keeps,
// beside each row, its key, whether it is its event's first row in stored
// order, and on a first row the event's weights (rowtable.EventKeyCols).
// An import writes them as rowtable.Batches makes them within its file,
// then corrects them where its rows join events of older datasets; a
// removal hands an event's first row to its next row, in the datasets
// kept. Counting and listing read the first rows only, so they cost what
// they cost before events were deduplicated.

// EventKeysMigration is the migration that adds rowtable.EventKeyCols
// (EventKeyColumns) in both engines; Backfill needs it.
const EventKeysMigration = 5

// EventKeyColumns returns the statements that add rowtable.EventKeyCols
// to the events table, with SQL types ty: the fifth migration of both
// engines, which then index event_key. Rows stored before get an
// empty key, which Backfill fills in.
func EventKeyColumns(ty rowtable.Types) string {
	return `ALTER TABLE events ADD COLUMN event_key ` + ty.Text + ` NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN is_first ` + ty.Bool + ` NOT NULL DEFAULT TRUE;
ALTER TABLE events ADD COLUMN ev_sources ` + ty.Int + ` NOT NULL DEFAULT 1 CHECK (ev_sources >= 1);
ALTER TABLE events ADD COLUMN ev_articles ` + ty.Int + ` NOT NULL DEFAULT 1 CHECK (ev_articles >= 1);
`
}

// eventSQL expands, in query, $Y to the dialect's EventYear, $O to its
// RowOrder, $WS and $WA to a row o's weight by sources and by articles
// (at least 1), and $1 … $6 to its placeholders.
func eventSQL(d Dialect, query string) string {
	return strings.NewReplacer("$Y", d.EventYear, "$O", d.RowOrder,
		"$WS", "CASE WHEN o.num_sources > 1 THEN o.num_sources ELSE 1 END",
		"$WA", "CASE WHEN o.num_articles > 1 THEN o.num_articles ELSE 1 END",
		"$1", d.Param(1), "$2", d.Param(2), "$3", d.Param(3),
		"$4", d.Param(4), "$5", d.Param(5), "$6", d.Param(6)).Replace(query)
}

// eventFixSQL returns the statements that set, on the rows of the events
// table that scope selects (SQL over the row, "events"), is_first from the
// rows of datasets other than the one whose id is the first argument (0:
// every dataset), then the weights of the first rows among them from all
// rows of their events but that dataset's.
func eventFixSQL(d Dialect, scope string) [2]string {
	return [2]string{
		eventSQL(d, `UPDATE events SET is_first = NOT EXISTS (SELECT 1 FROM events o
			WHERE o.event_key = events.event_key AND o.dataset_id <> $1
			AND (o.dataset_id < events.dataset_id OR (o.dataset_id = events.dataset_id AND o.$O < events.$O)))
		WHERE `+scope),
		eventSQL(d, `UPDATE events SET
			ev_sources = (SELECT MAX($WS) FROM events o WHERE o.event_key = events.event_key AND o.dataset_id <> $1),
			ev_articles = (SELECT MAX($WA) FROM events o WHERE o.event_key = events.event_key AND o.dataset_id <> $1)
		WHERE is_first AND `+scope),
	}
}

// eventStatements is the SQL of counting events once.
type eventStatements struct {
	// imported corrects the rows of the dataset just imported (the
	// argument, the highest id) whose events older datasets hold: not
	// first, and the weights of those events' first rows. older gives a
	// row when older datasets hold events: else imported has nothing to
	// do.
	imported [2]string
	older    string
	// removing hands each event of the dataset about to be removed (the
	// argument) to its next row in the other datasets, and weighs it
	// without that dataset.
	removing [2]string
	// backfill sets every row's first flag and weights (argument 0).
	backfill [2]string
	// unkeyed lists the rows stored before migration 5; setKey keys one.
	unkeyed, setKey string
}

func eventStatementsOf(d Dialect) eventStatements {
	return eventStatements{
		imported: [2]string{
			eventSQL(d, `UPDATE events SET is_first = FALSE WHERE dataset_id = $1 AND is_first
				AND EXISTS (SELECT 1 FROM events o WHERE o.event_key = events.event_key AND o.dataset_id < $1)`),
			eventSQL(d, `UPDATE events SET
				ev_sources = (SELECT MAX($WS) FROM events o WHERE o.event_key = events.event_key),
				ev_articles = (SELECT MAX($WA) FROM events o WHERE o.event_key = events.event_key)
			WHERE is_first AND event_key IN (SELECT event_key FROM events WHERE dataset_id = $1 AND NOT is_first)`),
		},
		older:    `SELECT 1 FROM events WHERE dataset_id < ` + d.Param(1) + ` LIMIT 1`,
		removing: eventFixSQL(d, `dataset_id <> `+d.Param(1)+` AND event_key IN (SELECT event_key FROM events WHERE dataset_id = `+d.Param(1)+`)`),
		backfill: eventFixSQL(d, `dataset_id <> `+d.Param(1)),
		unkeyed:  `SELECT dataset_id, ` + d.RowOrder + `, ` + rowtable.Events.ColumnList() + ` FROM events WHERE event_key = ''`,
		setKey:   `UPDATE events SET event_key = ` + d.Param(1) + ` WHERE dataset_id = ` + d.Param(2) + ` AND ` + d.RowOrder + ` = ` + d.Param(3),
	}
}

// imported corrects the rows of dataset id, just imported, where older
// datasets hold their events (eventStatements.imported).
func (s *Store) imported(ctx context.Context, tx Tx, id int64) error {
	rows, err := tx.Query(ctx, s.sql.ev.older, id)
	if err != nil {
		return err
	}
	older := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil || !older {
		return err
	}
	return exec(ctx, tx, s.sql.ev.imported, id)
}

// exec runs each statement with args.
func exec(ctx context.Context, tx Tx, stmts [2]string, args ...any) error {
	for _, st := range stmts {
		if _, err := tx.Exec(ctx, st, args...); err != nil {
			return err
		}
	}
	return nil
}

// Backfill keys the event rows stored before migration 5 (data.Event.Key,
// as rowtable.Batches keys new rows), then sets every row's first flag and
// weights, in one transaction that changes the store's version (write),
// as the counts change. Each engine calls it when it opens a store; when
// every row is keyed it only looks, and changes nothing.
func (s *Store) Backfill(ctx context.Context) error {
	type pos struct{ dataset, order int64 }
	var todo []pos
	var keys []string
	read := func(tx Tx) error {
		todo, keys = nil, nil
		rows, err := tx.Query(ctx, s.sql.ev.unkeyed)
		if err != nil {
			return err
		}
		defer rows.Close()
		var dst []any
		for rows.Next() {
			var p pos
			var e data.Event
			if err := rows.Scan(rowtable.Events.Fields(append(dst[:0], &p.dataset, &p.order), &e)...); err != nil {
				return err
			}
			todo, keys = append(todo, p), append(keys, e.Key().ID())
		}
		return rows.Err()
	}
	if err := s.read(ctx, "backfill event keys", read); err != nil || len(todo) == 0 {
		return err
	}
	err := s.write(ctx, func(tx Tx) error {
		if err := read(tx); err != nil || len(todo) == 0 {
			return err
		}
		for i, p := range todo {
			if _, err := tx.Exec(ctx, s.sql.ev.setKey, keys[i], p.dataset, p.order); err != nil {
				return err
			}
		}
		return exec(ctx, tx, s.sql.ev.backfill, int64(0))
	})
	if err != nil {
		return fmt.Errorf("%s: backfill event keys: %w", s.d.Name, err)
	}
	return nil
}

// eventCountsSQL counts the events (their first rows) by year (the
// dialect's EventYear, 0 when undated), sides and type, for years between
// its two arguments, with their weights by sources and articles summed.
func eventCountsSQL(d Dialect) string {
	y := `COALESCE(` + d.EventYear + `, 0)`
	return `SELECT ` + y + ` AS y, side_a, side_b, type, COUNT(*), SUM(ev_sources), SUM(ev_articles) FROM events
	WHERE is_first AND ` + y + ` BETWEEN ` + d.Param(1) + ` AND ` + d.Param(2) + `
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`
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

// eventsSQL selects events as data.EventFilter does, in snapshot order,
// in one query: a page of the first rows of events (page, read once),
// then the other rows of those events, each row with its key, whether it
// is another row (0: a first row), and its position (dataset, RowOrder);
// first rows in page order, then the other rows in stored order. Dataset
// IDs grow with each import and the dialect's RowOrder keeps file order
// within a dataset (an index of both engines serves this order without a
// sort). An undated event (EventYear 0 or NULL) fails any year bound.
// Arguments: 1 type, 2 country, 3 from, 4 to ("" and 0: any), 5 limit,
// 6 offset.
func eventsSQL(d Dialect) string {
	cols := rowtable.Events.ColumnList()
	other := make([]string, len(rowtable.Events.Cols))
	for i, c := range rowtable.Events.Cols {
		other[i] = `o."` + c + `"`
	}
	return eventSQL(d, `WITH page AS MATERIALIZED (
		SELECT `+cols+`, event_key, dataset_id AS ds, $O AS ord FROM events
		WHERE is_first
		AND ($1 = '' OR type = $1)
		AND ($2 = '' OR side_a = $2 OR side_b = $2)
		AND (($3 = 0 AND $4 = 0) OR ($Y <> 0 AND ($3 = 0 OR $Y >= $3) AND ($4 = 0 OR $Y <= $4)))
		ORDER BY dataset_id, $O
		LIMIT $5 OFFSET $6)
	SELECT `+cols+`, event_key, 0 AS other, ds, ord FROM page
	UNION ALL
	SELECT `+strings.Join(other, ", ")+`, o.event_key, 1, o.dataset_id, o.$O
	FROM events o JOIN page ON o.event_key = page.event_key WHERE NOT o.is_first
	ORDER BY other, ds, ord`)
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
		out = nil
		rows, err := tx.Query(ctx, s.sql.events, f.Type, f.Country, int32Year(f.From), int32Year(f.To), lim, int64(max(offset, 0)))
		if err != nil {
			return err
		}
		defer rows.Close()
		at := map[string]int{} // an event's key → its place in out
		var dst []any
		for rows.Next() {
			var e data.Event
			var key string
			var other, ds, ord int64
			if err := rows.Scan(append(rowtable.Events.Fields(dst[:0], &e), &key, &other, &ds, &ord)...); err != nil {
				return err
			}
			if other == 0 {
				at[key] = len(out)
				out = append(out, e)
			} else if j, ok := at[key]; ok {
				out[j].Also = append(out[j].Also, e)
			}
		}
		return rows.Err()
	})
	return out, err
}

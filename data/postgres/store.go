package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

var _ data.Store = (*Store)(nil)

// Import stores f (its dataset, every row, the skipped rows and unmapped
// names) in one transaction, the rows of each table with one COPY, and
// returns its dataset as stored. If the store already holds a file with
// the same SHA-256, or another process commits one while this import
// runs, it returns a *data.DuplicateError and changes nothing. On any
// other failure (a row the schema refuses, a cancelled ctx, a lost
// connection) the transaction is rolled back and the store is exactly as
// before. f must have a name, a format and a 64-digit SHA-256.
func (s *Store) Import(ctx context.Context, f *data.File) (data.Dataset, error) {
	ds := f.Dataset
	if ds.Name == "" || ds.Format == "" || len(ds.SHA256) != 64 {
		return data.Dataset{}, fmt.Errorf("postgres: import: dataset needs a name, a format and a SHA-256 (got %q, %q, %q)", ds.Name, ds.Format, ds.SHA256)
	}
	var dup *data.DuplicateError
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		unmapped := f.Unmapped
		if unmapped == nil {
			unmapped = []string{}
		}
		var id int64
		// A concurrent import of the same bytes makes this wait for the
		// other transaction; if it commits, nothing is inserted.
		err := tx.QueryRow(ctx, `INSERT INTO datasets
			(name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (sha256) DO NOTHING RETURNING id`,
			ds.Name, string(ds.Format), ds.Source, ds.Attribution, ds.Licence, ds.Vintage, ds.SHA256,
			ds.Rows, len(f.Skipped), unmapped, s.now().UTC()).Scan(&id)
		if isNoRows(err) {
			e, ok, err := entryBySHA(ctx, tx, ds.SHA256)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("a file with sha256 %s was imported and removed meanwhile; try again", ds.SHA256)
			}
			dup = &data.DuplicateError{Existing: e.Dataset}
			return dup
		}
		if err != nil {
			return err
		}
		for _, b := range rowtable.Batches(f) {
			if err := copyRows(ctx, s, tx, b, id); err != nil {
				return err
			}
		}
		return bumpGeneration(ctx, tx)
	})
	if dup != nil {
		return data.Dataset{}, dup
	}
	if err != nil && ctx.Err() != nil {
		// Cancelling may close the connection mid-COPY; say why.
		return data.Dataset{}, fmt.Errorf("postgres: import %s: %w (%v)", ds.Name, ctx.Err(), err)
	}
	if err != nil {
		return data.Dataset{}, fmt.Errorf("postgres: import %s: %w", ds.Name, err)
	}
	s.analyzeAfterImport(ctx, f)
	return ds, nil
}

// analyzeMinRows is the size of import after which Import refreshes the
// planner's statistics of a table at once rather than leaving it to
// autovacuum: a million events copied into a table the planner still
// thinks small turn a filtered, ordered page of events (Store.Events) from
// an index walk into a full scan and sort, 7 times slower on 1M events.
const analyzeMinRows = 10_000

// analyzeAfterImport runs ANALYZE on the tables f filled with at least
// analyzeMinRows rows. The import has committed, so a failure only costs
// speed until autovacuum analyzes the table: it is ignored.
func (s *Store) analyzeAfterImport(ctx context.Context, f *data.File) {
	for _, b := range rowtable.Batches(f) {
		if b.Len >= analyzeMinRows {
			_ = s.with(ctx, func(c *pgx.Conn) error {
				_, err := c.Exec(ctx, "ANALYZE "+pgx.Identifier{b.Table}.Sanitize())
				return err
			})
		}
	}
}

const entryColumns = `id, name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at`

func scanEntry(row pgx.Row) (data.Entry, error) {
	var e data.Entry
	var format string
	err := row.Scan(&e.ID, &e.Name, &format, &e.Source, &e.Attribution, &e.Licence, &e.Vintage,
		&e.SHA256, &e.Rows, &e.Skipped, &e.Unmapped, &e.ImportedAt)
	if err != nil {
		return data.Entry{}, err
	}
	e.Format = data.Format(format)
	if len(e.Unmapped) == 0 {
		e.Unmapped = nil
	}
	e.ImportedAt = e.ImportedAt.UTC()
	return e, nil
}

func entryBySHA(ctx context.Context, tx pgx.Tx, sha string) (data.Entry, bool, error) {
	e, err := scanEntry(tx.QueryRow(ctx, `SELECT `+entryColumns+` FROM datasets WHERE sha256 = $1`, sha))
	if isNoRows(err) {
		return data.Entry{}, false, nil
	}
	return e, err == nil, err
}

// entries lists the stored datasets, newest import first.
func entries(ctx context.Context, tx pgx.Tx) ([]data.Entry, error) {
	rows, err := tx.Query(ctx, `SELECT `+entryColumns+` FROM datasets ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Entries lists the stored datasets with their import details, newest
// import first; nil when the store is empty. ImportedAt is in UTC, to the
// microsecond.
func (s *Store) Entries(ctx context.Context) ([]data.Entry, error) {
	var es []data.Entry
	err := s.inTx(ctx, readTx, func(tx pgx.Tx) (err error) {
		es, err = entries(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list datasets: %w", err)
	}
	return es, nil
}

// Datasets lists the stored datasets, newest import first; nil when the
// store is empty (the built-in dataset is not listed).
func (s *Store) Datasets(ctx context.Context) ([]data.Dataset, error) {
	es, err := s.Entries(ctx)
	if err != nil {
		return nil, err
	}
	return data.DatasetsOf(es), nil
}

// Remove deletes the dataset called name, with all its rows. name may also
// be a prefix (8 or more hex digits) of the dataset's SHA-256, which tells
// apart datasets of the same name. It returns an error wrapping
// data.ErrNotFound when nothing matches, and a *data.AmbiguousError
// (removing nothing) when several datasets do.
func (s *Store) Remove(ctx context.Context, name string) error {
	var amb *data.AmbiguousError
	err := s.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		es, err := entries(ctx, tx)
		if err != nil {
			return err
		}
		e, err := data.MatchEntry(es, name)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM datasets WHERE id = $1`, e.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 { // removed meanwhile by another process
			return fmt.Errorf("dataset %q: %w", name, data.ErrNotFound)
		}
		return bumpGeneration(ctx, tx)
	})
	if errors.As(err, &amb) {
		return amb
	}
	if err != nil {
		return fmt.Errorf("postgres: remove %s: %w", name, err)
	}
	return nil
}

// Version returns a string that changes whenever an import or removal
// commits, in this process or any other: data.StoreVersion of the stored
// datasets and the change counter, both read from the database on every
// call. When the store holds no dataset it is the built-in dataset's
// version, the one its Snapshot carries.
func (s *Store) Version(ctx context.Context) (string, error) {
	var v string
	err := s.inTx(ctx, readTx, func(tx pgx.Tx) error {
		es, err := entries(ctx, tx)
		if err != nil {
			return err
		}
		v, err = s.version(ctx, tx, es)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("postgres: version: %w", err)
	}
	return v, nil
}

func (s *Store) version(ctx context.Context, tx pgx.Tx, es []data.Entry) (string, error) {
	if len(es) == 0 {
		return data.BuiltinVersion()
	}
	gen, err := generation(ctx, tx)
	if err != nil {
		return "", err
	}
	return data.StoreVersion(es, gen), nil
}

// File returns the stored dataset called name (or SHA-256 prefix, as for
// Remove) with all its rows, skipped rows and unmapped names, as the reader
// made it: a stored file reads back equal to the file imported.
func (s *Store) File(ctx context.Context, name string) (*data.File, error) {
	var f *data.File
	var amb *data.AmbiguousError
	err := s.inTx(ctx, readTx, func(tx pgx.Tx) error {
		es, err := entries(ctx, tx)
		if err != nil {
			return err
		}
		e, err := data.MatchEntry(es, name)
		if err != nil {
			return err
		}
		f = &data.File{Dataset: e.Dataset, Unmapped: e.Unmapped}
		for _, step := range []func() error{
			func() (err error) { f.Deliveries, err = load(ctx, tx, rowtable.Deliveries, e.ID); return err },
			func() (err error) { f.Flows, err = load(ctx, tx, rowtable.Flows, e.ID); return err },
			func() (err error) { f.Deals, err = load(ctx, tx, rowtable.Deals, e.ID); return err },
			func() (err error) { f.TIVValues, err = load(ctx, tx, rowtable.TIVValues, e.ID); return err },
			func() (err error) { f.Indicators, err = load(ctx, tx, rowtable.Indicators, e.ID); return err },
			func() (err error) { f.Events, err = load(ctx, tx, rowtable.Events, e.ID); return err },
			func() (err error) { f.Figures, err = load(ctx, tx, rowtable.Figures, e.ID); return err },
			func() (err error) { f.Equipment, err = load(ctx, tx, rowtable.Equipment, e.ID); return err },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		skipped, err := load(ctx, tx, rowtable.Skipped, e.ID)
		if err != nil {
			return err
		}
		for i := range skipped {
			f.Skipped = append(f.Skipped, &skipped[i])
		}
		return nil
	})
	if errors.As(err, &amb) {
		return nil, amb
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: read %s: %w", name, err)
	}
	return f, nil
}

// flowQueries give, for each format with flows, the query that yields its
// flows (supplier, recipient, year, TIV) for one dataset_id; the same as
// data/sqlite's.
var flowQueries = map[data.Format]string{
	data.FormatSIPRIDeliveries: `SELECT supplier, recipient, year, SUM(tiv) FROM deliveries
		WHERE dataset_id = $1 GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`,
	data.FormatFlows: `SELECT supplier, recipient, year, tiv FROM flows WHERE dataset_id = $1 ORDER BY n`,
	data.FormatSIPRITIVTable: `SELECT supplier, recipient, year, SUM(tiv) FROM tiv_values
		WHERE dataset_id = $1 AND supplier <> '' AND recipient <> '' AND category = ''
		GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`,
}

func init() { flowQueries[data.FormatSIPRITIVTableOld] = flowQueries[data.FormatSIPRITIVTable] }

// Snapshot builds a data.Snapshot of the whole store in one repeatable-read
// transaction, so it is consistent even while other processes import. It
// holds what data/sqlite's Snapshot holds, in the same order: datasets
// newest import first; one flow set per dataset with yearly flows, summed
// in SQL, ordered as data.FlowEntries; events, figures and equipment of
// every dataset, oldest import first, each in file order, except that
// Events stays empty (EventsTruncated) when the store holds more than
// data.SnapshotEventLimit events; EventCounts counts them all, grouped in
// SQL; the deals of each trade register and the values of each WDI file.
// When the store holds no dataset it returns data.Builtin().
func (s *Store) Snapshot(ctx context.Context) (*data.Snapshot, error) {
	var snap *data.Snapshot
	err := s.inTx(ctx, readTx, func(tx pgx.Tx) error {
		es, err := entries(ctx, tx)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			snap, err = data.Builtin()
			return err
		}
		snap = &data.Snapshot{}
		if snap.Version, err = s.version(ctx, tx, es); err != nil {
			return err
		}
		for _, e := range es {
			snap.Datasets = append(snap.Datasets, e.Dataset)
		}
		for _, e := range data.FlowEntries(es) {
			flows, err := query(ctx, tx, rowtable.Flows, flowQueries[e.Format], e.ID)
			if err != nil {
				return fmt.Errorf("flows of %s: %w", e.Name, err)
			}
			if len(flows) > 0 {
				snap.FlowSets = append(snap.FlowSets, data.FlowSet{Dataset: e.Dataset, Flows: flows})
			}
		}
		for _, e := range data.DealEntries(es) {
			deals, err := load(ctx, tx, rowtable.Deals, e.ID)
			if err != nil {
				return fmt.Errorf("deals of %s: %w", e.Name, err)
			}
			snap.DealSets = append(snap.DealSets, data.DealSet{Dataset: e.Dataset, Deals: deals})
		}
		for _, e := range data.IndicatorEntries(es) {
			values, err := load(ctx, tx, rowtable.Indicators, e.ID)
			if err != nil {
				return fmt.Errorf("indicators of %s: %w", e.Name, err)
			}
			snap.IndicatorSets = append(snap.IndicatorSets, data.IndicatorSet{Dataset: e.Dataset, Values: values})
		}
		if snap.EventCounts, err = eventCounts(ctx, tx, 0, 0); err != nil {
			return fmt.Errorf("event counts: %w", err)
		}
		for _, c := range snap.EventCounts {
			snap.EventsTotal += int(c.Count)
		}
		snap.EventsTruncated = snap.EventsTotal > rowtable.EventRowLimit
		for i := len(es) - 1; i >= 0; i-- {
			id := es[i].ID
			var evs []data.Event
			if !snap.EventsTruncated {
				if evs, err = load(ctx, tx, rowtable.Events, id); err != nil {
					return err
				}
			}
			figs, err := load(ctx, tx, rowtable.Figures, id)
			if err != nil {
				return err
			}
			eqs, err := load(ctx, tx, rowtable.Equipment, id)
			if err != nil {
				return err
			}
			snap.Events = append(snap.Events, evs...)
			snap.Figures = append(snap.Figures, figs...)
			snap.Equipment = append(snap.Equipment, eqs...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: snapshot: %w", err)
	}
	return snap, nil
}

// eventCountsSQL groups the events table in the database, on the year
// column the schema derives from each date (NULL when undated: counted
// under 0, as data.Event.Year reads it).
const eventCountsSQL = `SELECT COALESCE(year, 0) AS y, side_a, side_b, type, COUNT(*) FROM events
	WHERE COALESCE(year, 0) BETWEEN $1 AND $2
	GROUP BY y, side_a, side_b, type
	ORDER BY y, side_a, side_b, type`

// EventCounts counts the stored events dated from year from to year to
// (inclusive; to <= 0: no upper bound; undated events count under year 0)
// by year, side A, side B and type, with one GROUP BY in the database: see
// data.EventCount. nil when there are none.
func (s *Store) EventCounts(ctx context.Context, from, to int) ([]data.EventCount, error) {
	var out []data.EventCount
	err := s.with(ctx, func(c *pgx.Conn) (err error) {
		out, err = eventCounts(ctx, c, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: event counts: %w", err)
	}
	return out, nil
}

// eventCounts runs eventCountsSQL on q, a connection or a transaction.
func eventCounts(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, from, to int) ([]data.EventCount, error) {
	if to <= 0 {
		to = math.MaxInt32
	}
	from = max(from, math.MinInt32)
	rows, err := q.Query(ctx, eventCountsSQL, int32(from), int32(min(to, math.MaxInt32)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.EventCount
	for rows.Next() {
		var ec data.EventCount
		if err := rows.Scan(&ec.Year, &ec.SideA, &ec.SideB, &ec.Type, &ec.Count); err != nil {
			return nil, err
		}
		out = append(out, ec)
	}
	return out, rows.Err()
}

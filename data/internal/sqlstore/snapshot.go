package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// flowQueries returns, for each source of yearly flows (data.FlowSourceOf
// a dataset's format) but a listing's deliveries (whose flows are summed
// from its details, see listing), the query in dialect d that yields
// the flows (supplier, recipient, year, TIV) of the dataset whose id is
// its one argument.
func flowQueries(d Dialect) map[data.FlowSource]string {
	p1 := d.Param(1)
	// Only cells that name both sides and no category: a table of one
	// supplier's exports by recipient, or one recipient's imports by
	// supplier. Small cells ("0") count as 0.
	tiv := `SELECT supplier, recipient, year, SUM(tiv) FROM tiv_values
		WHERE dataset_id = ` + p1 + ` AND supplier <> '' AND recipient <> '' AND category = ''
		GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`
	return map[data.FlowSource]string{
		data.FlowsStored:       `SELECT supplier, recipient, year, tiv FROM flows WHERE dataset_id = ` + p1 + ` ORDER BY ` + d.RowOrder,
		data.FlowsFromTIVCells: tiv,
	}
}

// totalsSQL returns the query in dialect d that yields the countries'
// yearly totals a TIV table gives (supplier, recipient, year, TIV, one
// side ""), as data.Snapshot.TotalSets holds them, of the dataset whose id
// is its one argument: the cells naming one side and "all" on the other,
// no category, by supplier, recipient and year.
func totalsSQL(d Dialect) string {
	return `SELECT supplier, recipient, year, SUM(tiv) FROM tiv_values
		WHERE dataset_id = ` + d.Param(1) + ` AND category = '' AND (supplier = '') <> (recipient = '')
		GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`
}

// packedSQL returns the packed records (kind, body) a snapshot reads of
// the dataset whose id is its one argument: a listing's details and
// flows, not its deliveries.
func packedSQL(d Dialect) string {
	return `SELECT kind, body FROM packed WHERE dataset_id = ` + d.Param(1) +
		` AND kind IN ('` + rowtable.PackedDetails + `', '` + rowtable.PackedFlows + `')`
}

// packedRecords reads the result of packedSQL.
var packedRecords = &rowtable.Table[rowtable.Packed]{
	Fields: func(a []any, p *rowtable.Packed) []any { return append(a, &p.Kind, &p.Body) },
}

// deliveries returns the deliveries of dataset id, in file order: its
// packed record (rowtable.PackedDeliveries), or, in a store made before
// deliveries were packed and not opened since, its rows.
func (s *Store) deliveries(ctx context.Context, tx Tx, id int64) ([]data.Delivery, error) {
	recs, err := query(ctx, tx, packedRecords, s.sql.deliveries, id)
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	if len(recs) == 0 {
		return load(ctx, s, tx, rowtable.Deliveries, id)
	}
	ds, err := rowtable.UnpackDeliveries(recs[0].Body)
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	return ds, nil
}

// listing fills fs, the flow set of the listing whose id is id: from its
// packed records when it has both (rowtable.PackListing), its flows and
// their estimated parts at once and its details when a page first needs
// them (data.FlowSet.DetailsLater), the details' checksum checked now;
// otherwise, for a listing stored before and not packed yet, its details
// summed from its deliveries and its flows from them.
func (s *Store) listing(ctx context.Context, tx Tx, id int64, fs *data.FlowSet) error {
	recs, err := query(ctx, tx, packedRecords, s.sql.packed, id)
	if err != nil {
		return err
	}
	var details, flows []byte
	for _, r := range recs {
		switch r.Kind {
		case rowtable.PackedDetails:
			details = r.Body
		case rowtable.PackedFlows:
			flows = r.Body
		}
	}
	if details == nil || flows == nil {
		ds, err := s.deliveries(ctx, tx, id)
		fs.Details = data.SumDetails(ds)
		fs.Flows, fs.Estimated = data.FlowsOf(fs.Details), data.EstimatedOf(fs.Details)
		return err
	}
	if err := rowtable.CheckPacked(details); err != nil {
		return fmt.Errorf("details: %w", err)
	}
	if fs.Flows, fs.Estimated, err = rowtable.UnpackFlows(flows); err != nil {
		return err
	}
	fs.DetailsLater(func() []data.FlowDetail {
		ds, err := rowtable.UnpackDetails(details)
		if err != nil { // checked above: a bug
			panic(fmt.Sprintf("%s: packed details of dataset %d: %v", s.d.Name, id, err))
		}
		return ds
	})
	return nil
}

// PackMissing packs every listing stored before Import packed its
// deliveries, details and flows (stores made before the fourth migration,
// whose deliveries are rows, or with some of the records missing), so
// that their snapshots read them at import speed: it reads the
// deliveries (rows or record), writes the three records as Import does
// (rowtable.PackedRecords) and deletes the rows. It looks for them in a
// read transaction, and only when there are some takes the write lock,
// to pack them in one write transaction. The engines call it when they
// open a store, where no other armsdash process can run it at once
// (SQLite's write lock; PostgreSQL's migration lock).
func (s *Store) PackMissing(ctx context.Context) error {
	var missing []data.Entry
	err := s.engine.Read(ctx, func(tx Tx) (err error) {
		missing, err = s.unpacked(ctx, tx)
		return err
	})
	if err == nil && len(missing) > 0 {
		err = s.engine.Write(ctx, func(tx Tx) error {
			missing, err := s.unpacked(ctx, tx)
			if err != nil {
				return err
			}
			for _, e := range missing {
				ds, err := s.deliveries(ctx, tx, e.ID)
				if err != nil {
					return err
				}
				p, err := rowtable.PackedRecords(&data.File{Dataset: e.Dataset, Deliveries: ds})
				if err != nil {
					return fmt.Errorf("dataset %d: %w", e.ID, err)
				}
				for _, del := range []string{s.sql.deletePacked, s.sql.deleteDeliveryRows} {
					if _, err := tx.Exec(ctx, del, e.ID); err != nil {
						return err
					}
				}
				if err := tx.WriteRows(ctx, rowtable.Batch{Table: rowtable.PackedRows.Name, Cols: rowtable.PackedRows.Cols, Len: len(p),
					Values: func(dst []any, i int) []any { return rowtable.PackedRows.Values(dst, &p[i]) }}, e.ID); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("%s: pack the listings stored before: %w", s.d.Name, err)
	}
	return nil
}

// unpacked lists the listings with deliveries whose deliveries, details
// and flows are not all packed.
func (s *Store) unpacked(ctx context.Context, tx Tx) ([]data.Entry, error) {
	es, err := s.entries(ctx, tx)
	if err != nil {
		return nil, err
	}
	var out []data.Entry
	for _, e := range es {
		if data.FlowSourceOf(e.Format) != data.FlowsFromDeliveries || e.Rows == 0 {
			continue
		}
		have, err := query(ctx, tx, packedKind, s.sql.packedKinds, e.ID)
		if err != nil {
			return nil, err
		}
		for _, k := range []string{rowtable.PackedDeliveries, rowtable.PackedDetails, rowtable.PackedFlows} {
			if !slices.Contains(have, k) {
				out = append(out, e)
				break
			}
		}
	}
	return out, nil
}

// packedKind reads the kinds of a dataset's packed records.
var packedKind = &rowtable.Table[string]{Fields: func(a []any, k *string) []any { return append(a, k) }}

// Snapshot builds a data.Snapshot of the whole store in one read
// transaction (Engine.Read), so it is consistent even while other
// connections or processes import.
//
// Datasets are listed newest import first. FlowSets holds one set per
// dataset that has yearly flows: per-delivery-year listings (Details as
// summed at import by supplier, recipient, delivery year, armament
// category, status and local production, and by supplier, recipient and
// delivery year as Flows and Estimated, packed, see listing), flows
// files (as stored), and TIV tables whose cells name both a supplier and
// a recipient (tables of "all" suppliers or recipients, and category
// tables, give none); the sets are ordered as data.FlowEntries orders
// their datasets. Events,
// Figures and Equipment gather the rows of every dataset, oldest import
// first, each in file order, the events one per key with their other rows
// in Also (data.DedupEvents), except that Events stays empty
// (EventsTruncated) when the store holds more than
// rowtable.EventRowLimit (data.SnapshotEventLimit) event rows;
// EventCounts counts the events, each once, grouped in SQL, EventsTotal
// adds them up and EventRows counts the rows. DealSets
// and IndicatorSets hold the deals of each trade register and the values
// of each WDI file, in file order, the sets ordered as data.DealEntries
// and data.IndicatorEntries; TIV table cells stay in the store (see File),
// but for the countries' yearly totals TotalSets sums from them.
//
// When the store holds no dataset Snapshot returns data.Builtin(), whose
// Version is what Version reports for an empty store.
func (s *Store) Snapshot(ctx context.Context) (*data.Snapshot, error) {
	var snap *data.Snapshot
	err := s.read(ctx, "snapshot", func(tx Tx) (err error) {
		snap, err = s.snapshot(ctx, tx)
		return err
	})
	return snap, err
}

// snapshot is Snapshot in tx.
func (s *Store) snapshot(ctx context.Context, tx Tx) (*data.Snapshot, error) {
	es, err := s.entries(ctx, tx)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return data.Builtin()
	}
	snap := &data.Snapshot{Datasets: data.DatasetsOf(es)}
	if snap.Version, err = s.version(ctx, tx, es); err != nil {
		return nil, err
	}
	for _, e := range data.FlowEntries(es) {
		fs := data.FlowSet{Dataset: e.Dataset}
		if src := data.FlowSourceOf(e.Format); src == data.FlowsFromDeliveries {
			err = s.listing(ctx, tx, e.ID, &fs)
		} else {
			fs.Flows, err = query(ctx, tx, rowtable.Flows, s.sql.flows[src], e.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("flows of %s: %w", e.Name, err)
		}
		if len(fs.Flows) > 0 {
			snap.FlowSets = append(snap.FlowSets, fs)
		}
	}
	for _, e := range data.FlowEntries(es) {
		if data.FlowSourceOf(e.Format) != data.FlowsFromTIVCells {
			continue
		}
		totals, err := query(ctx, tx, rowtable.Flows, s.sql.totals, e.ID)
		if err != nil {
			return nil, fmt.Errorf("totals of %s: %w", e.Name, err)
		}
		if len(totals) > 0 {
			snap.TotalSets = append(snap.TotalSets, data.FlowSet{Dataset: e.Dataset, Flows: totals})
		}
	}
	for _, e := range data.DealEntries(es) {
		deals, err := load(ctx, s, tx, rowtable.Deals, e.ID)
		if err != nil {
			return nil, fmt.Errorf("deals of %s: %w", e.Name, err)
		}
		snap.DealSets = append(snap.DealSets, data.DealSet{Dataset: e.Dataset, Deals: deals})
	}
	for _, e := range data.IndicatorEntries(es) {
		values, err := load(ctx, s, tx, rowtable.Indicators, e.ID)
		if err != nil {
			return nil, fmt.Errorf("indicators of %s: %w", e.Name, err)
		}
		snap.IndicatorSets = append(snap.IndicatorSets, data.IndicatorSet{Dataset: e.Dataset, Values: values})
	}

	if snap.EventCounts, err = s.eventCounts(ctx, tx, 0, 0); err != nil {
		return nil, fmt.Errorf("event counts: %w", err)
	}
	for _, c := range snap.EventCounts {
		snap.EventsTotal += int(c.Count)
	}
	if snap.EventRows, err = s.eventRows(ctx, tx); err != nil {
		return nil, fmt.Errorf("event rows: %w", err)
	}
	snap.EventsTruncated = snap.EventRows > rowtable.EventRowLimit

	for i := len(es) - 1; i >= 0; i-- {
		id := es[i].ID
		var evs []data.Event
		if !snap.EventsTruncated {
			if evs, err = load(ctx, s, tx, rowtable.Events, id); err != nil {
				return nil, err
			}
		}
		figs, err := load(ctx, s, tx, rowtable.Figures, id)
		if err != nil {
			return nil, err
		}
		eqs, err := load(ctx, s, tx, rowtable.Equipment, id)
		if err != nil {
			return nil, err
		}
		snap.Events = append(snap.Events, evs...)
		snap.Figures = append(snap.Figures, figs...)
		snap.Equipment = append(snap.Equipment, eqs...)
	}
	snap.Events = data.DedupEvents(snap.Events)
	return snap, nil
}

// eventRows counts the rows of the events table.
func (s *Store) eventRows(ctx context.Context, tx Tx) (int, error) {
	rows, err := tx.Query(ctx, `SELECT COUNT(*) FROM events`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		err = rows.Scan(&n)
	}
	if err == nil {
		err = rows.Err()
	}
	return int(n), err
}

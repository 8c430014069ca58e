package sqlstore

import (
	"context"
	"fmt"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// flowQueries returns, for each source of yearly flows (data.FlowSourceOf
// a dataset's format), the query in dialect d that yields the flows
// (supplier, recipient, year, TIV) of the dataset whose id is its one
// argument.
func flowQueries(d Dialect) map[data.FlowSource]string {
	p1 := d.Param(1)
	// Only cells that name both sides and no category: a table of one
	// supplier's exports by recipient, or one recipient's imports by
	// supplier. Small cells ("0") count as 0.
	tiv := `SELECT supplier, recipient, year, SUM(tiv) FROM tiv_values
		WHERE dataset_id = ` + p1 + ` AND supplier <> '' AND recipient <> '' AND category = ''
		GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`
	return map[data.FlowSource]string{
		// One flow per supplier, recipient and delivery year, as
		// data.SumFlows makes them (sorted the same way).
		data.FlowsFromDeliveries: `SELECT supplier, recipient, year, SUM(tiv) FROM deliveries
		WHERE dataset_id = ` + p1 + ` GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`,
		data.FlowsStored:       `SELECT supplier, recipient, year, tiv FROM flows WHERE dataset_id = ` + p1 + ` ORDER BY ` + d.RowOrder,
		data.FlowsFromTIVCells: tiv,
	}
}

// Snapshot builds a data.Snapshot of the whole store in one read
// transaction (Engine.Read), so it is consistent even while other
// connections or processes import.
//
// Datasets are listed newest import first. FlowSets holds one set per
// dataset that has yearly flows: per-delivery-year listings (summed by
// supplier, recipient and delivery year in SQL), flows files (as stored),
// and TIV tables whose cells name both a supplier and a recipient (tables
// of "all" suppliers or recipients, and category tables, give none); the
// sets are ordered as data.FlowEntries orders their datasets. Events,
// Figures and Equipment gather the rows of every dataset, oldest import
// first, each in file order, the events one per key with their other rows
// in Also (data.DedupEvents), except that Events stays empty
// (EventsTruncated) when the store holds more than
// rowtable.EventRowLimit (data.SnapshotEventLimit) event rows;
// EventCounts counts the events, each once, grouped in SQL, EventsTotal
// adds them up and EventRows counts the rows. DealSets
// and IndicatorSets hold the deals of each trade register and the values
// of each WDI file, in file order, the sets ordered as data.DealEntries
// and data.IndicatorEntries; TIV table cells stay in the store (see File).
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
		flows, err := query(ctx, tx, rowtable.Flows, s.sql.flows[data.FlowSourceOf(e.Format)], e.ID)
		if err != nil {
			return nil, fmt.Errorf("flows of %s: %w", e.Name, err)
		}
		if len(flows) > 0 {
			snap.FlowSets = append(snap.FlowSets, data.FlowSet{Dataset: e.Dataset, Flows: flows})
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

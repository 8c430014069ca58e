package sqlstore

import (
	"context"
	"fmt"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// flowQueries returns, for each source of yearly flows (data.FlowSourceOf
// a dataset's format) but a listing's deliveries (whose flows are summed
// from its details, rowtable.FlowDetails), the query in dialect d that yields
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

// FillDetailsSQL is the statement of the engines' third migration, which
// created rowtable.FlowDetails: it fills that table with the details of
// every listing stored before, summed in SQL as data.SumDetails sums them
// (by supplier, recipient, delivery year, armament category, status and
// local production, with the TIV of rows whose number or year SIPRI
// estimates summed apart) and in its order (text by bytes in both
// engines, false before true). When n is not "", the engine numbers rows
// in column n, from 1 in each dataset, in that order; otherwise the
// insertion order is the row order.
func FillDetailsSQL(n string) string {
	cols, num := rowtable.FlowDetails.ColumnList(), ""
	const order = `supplier, recipient, year, category, status, local_production`
	if n != "" {
		cols, num = n+", "+cols, `row_number() OVER (PARTITION BY dataset_id ORDER BY `+order+`), `
	}
	return `INSERT INTO flow_details (dataset_id, ` + cols + `)
	SELECT dataset_id, ` + num + order + `, SUM(tiv), SUM(CASE WHEN number_estimate OR year_estimate THEN tiv ELSE 0 END)
	FROM deliveries GROUP BY dataset_id, ` + order + `
	ORDER BY dataset_id, ` + order + `;
`
}

// Snapshot builds a data.Snapshot of the whole store in one read
// transaction (Engine.Read), so it is consistent even while other
// connections or processes import.
//
// Datasets are listed newest import first. FlowSets holds one set per
// dataset that has yearly flows: per-delivery-year listings (Details as
// summed at import by supplier, recipient, delivery year, armament
// category, status and local production, rowtable.FlowDetails, and from
// them, in Go, by supplier, recipient and delivery year as Flows), flows
// files (as stored), and TIV
// tables whose cells name both a supplier and a recipient (tables of
// "all" suppliers or recipients, and category tables, give none); the
// sets are ordered as data.FlowEntries orders their datasets. Events,
// Figures and Equipment gather the rows of every dataset, oldest import
// first, each in file order, except that Events stays empty
// (EventsTruncated) when the store holds more than
// rowtable.EventRowLimit (data.SnapshotEventLimit) events; EventCounts
// counts them all, grouped in SQL, and EventsTotal adds them up. DealSets
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
			fs.Details, err = load(ctx, s, tx, rowtable.FlowDetails, e.ID)
			fs.Flows = data.FlowsOf(fs.Details)
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
	snap.EventsTruncated = snap.EventsTotal > rowtable.EventRowLimit

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
	return snap, nil
}

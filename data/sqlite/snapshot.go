package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// flowQueries give, for each format with flows, the query that yields its
// flows (supplier, recipient, year, TIV) for one dataset_id.
var flowQueries = map[data.Format]string{
	// One flow per supplier, recipient and delivery year, as data.SumFlows
	// makes them (sorted the same way).
	data.FormatSIPRIDeliveries: `SELECT supplier, recipient, year, SUM(tiv) FROM deliveries
		WHERE dataset_id = ? GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`,
	data.FormatFlows: `SELECT supplier, recipient, year, tiv FROM flows WHERE dataset_id = ? ORDER BY rowid`,
	// Only cells that name both sides and no category: a table of one
	// supplier's exports by recipient, or one recipient's imports by
	// supplier. Small cells ("0") count as 0.
	data.FormatSIPRITIVTable: `SELECT supplier, recipient, year, SUM(tiv) FROM tiv_values
		WHERE dataset_id = ? AND supplier <> '' AND recipient <> '' AND category = ''
		GROUP BY supplier, recipient, year ORDER BY supplier, recipient, year`,
}

func init() { flowQueries[data.FormatSIPRITIVTableOld] = flowQueries[data.FormatSIPRITIVTable] }

// Snapshot builds a data.Snapshot of the whole store in one read
// transaction, so it is consistent even while an import runs.
//
// Datasets are listed newest import first. FlowSets holds one set per
// dataset that has yearly flows: per-delivery-year listings (summed by
// supplier, recipient and delivery year in SQL), flows files (as stored),
// and TIV tables whose cells name both a supplier and a recipient (tables
// of "all" suppliers or recipients, and category tables, give none). The
// sets are ordered listings first, then flows files, then TIV tables, and
// within a kind by Vintage, newest first (undated last), then newest
// import. Events, Figures and Equipment gather the rows of every dataset,
// oldest import first, each in file order, except that Events stays empty
// (EventsTruncated) when the store holds more than data.SnapshotEventLimit
// events; EventCounts counts them all, grouped in SQL. DealSets and
// IndicatorSets hold the deals of each trade register and the values of
// each WDI file, in file order, the sets ordered as data.DealEntries and
// data.IndicatorEntries; TIV table cells stay in the store (see File).
//
// When the store holds no dataset Snapshot returns data.Builtin(), whose
// Version is what Store.Version reports for an empty store.
func (s *Store) Snapshot(ctx context.Context) (*data.Snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot: %w", err)
	}
	defer tx.Rollback()
	es, err := entries(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot: %w", err)
	}
	if len(es) == 0 {
		snap, err := data.Builtin()
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: %w", err)
		}
		return snap, nil
	}
	snap := &data.Snapshot{}
	if snap.Version, err = s.version(ctx, tx, es); err != nil {
		return nil, err
	}
	for _, e := range es {
		snap.Datasets = append(snap.Datasets, e.Dataset)
	}

	for _, e := range data.FlowEntries(es) {
		flows, err := query(ctx, tx, rowtable.Flows, flowQueries[e.Format], e.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: flows of %s: %w", e.Name, err)
		}
		if len(flows) > 0 {
			snap.FlowSets = append(snap.FlowSets, data.FlowSet{Dataset: e.Dataset, Flows: flows})
		}
	}
	for _, e := range data.DealEntries(es) {
		deals, err := load(ctx, tx, rowtable.Deals, e.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: deals of %s: %w", e.Name, err)
		}
		snap.DealSets = append(snap.DealSets, data.DealSet{Dataset: e.Dataset, Deals: deals})
	}
	for _, e := range data.IndicatorEntries(es) {
		values, err := load(ctx, tx, rowtable.Indicators, e.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: indicators of %s: %w", e.Name, err)
		}
		snap.IndicatorSets = append(snap.IndicatorSets, data.IndicatorSet{Dataset: e.Dataset, Values: values})
	}

	if snap.EventCounts, err = eventCounts(ctx, tx, 0, 0); err != nil {
		return nil, fmt.Errorf("sqlite: snapshot: event counts: %w", err)
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
				return nil, fmt.Errorf("sqlite: snapshot: %w", err)
			}
		}
		figs, err := load(ctx, tx, rowtable.Figures, id)
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: %w", err)
		}
		eqs, err := load(ctx, tx, rowtable.Equipment, id)
		if err != nil {
			return nil, fmt.Errorf("sqlite: snapshot: %w", err)
		}
		snap.Events = append(snap.Events, evs...)
		snap.Figures = append(snap.Figures, figs...)
		snap.Equipment = append(snap.Equipment, eqs...)
	}
	return snap, nil
}

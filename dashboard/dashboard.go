// Package dashboard is armsdash's domain layer, between the web pages and
// the data: typed queries and the one validator that reads them (Params),
// which datasets cover what, the flow index, shares, rankings, dyad
// statistics, country profiles, the network, event counts and the trade
// register's deals, all as plain structs.
//
// It knows nothing of HTTP, gin or charts: its errors (InvalidParamError,
// NotFoundError, NotDrawableError, GoneError) say what went wrong, and
// package web decides the status code. `armsdash share` and the other
// subcommands call it directly.
package dashboard

import (
	"fmt"
	"strings"
	"sync"

	"github.com/armsdash/armsdash/data"
)

// Dashboard answers queries about one snapshot. Indexes are built on first
// use and kept; a snapshot never changes, so they never go stale. It is
// safe for concurrent use.
type Dashboard struct {
	snap *data.Snapshot

	mu    sync.Mutex
	flows map[string]*FlowIndex // by flow set name; "" for the preferred set
	// sets holds what is derived from each flow set alone (setIndex), by
	// dataset, made for this snapshot or taken from inherited.
	sets map[data.Dataset]*setIndex
	// inherited holds the set indexes of an earlier dashboard (Next) whose
	// datasets this snapshot still has flows of: each serves here once
	// holds has checked that its flows are this snapshot's.
	inherited map[data.Dataset]*setIndex
	deals     *DealIndex
	// editions holds every country's editions, by country and side (see
	// Editions).
	editions map[editionKey][]Edition
}

// New returns the dashboard of snap, which must not be nil.
func New(snap *data.Snapshot) *Dashboard {
	return &Dashboard{snap: snap, flows: map[string]*FlowIndex{}, sets: map[data.Dataset]*setIndex{}}
}

// Next returns the dashboard of snap, which must not be nil, reusing what
// prev (the dashboard of an earlier snapshot, or nil) derived from flow
// sets that snap still holds unchanged: the same dataset with the same
// flows (setIndex.holds). A new data version often leaves the flow sets as
// they were (an events list or a WDI file imported), and their indexes
// then need not be built again.
//
// What is kept is bounded by snap: at most one set index per flow set of
// snap (the indexes of sets it no longer holds are dropped with prev), each
// holding its set's flows and details as prev's snapshot read them, beside
// snap's own copy of them.
func Next(prev *Dashboard, snap *data.Snapshot) *Dashboard {
	d := New(snap)
	if prev == nil {
		return d
	}
	prev.mu.Lock()
	defer prev.mu.Unlock()
	d.inherited = map[data.Dataset]*setIndex{}
	for _, fs := range snap.FlowSets {
		if ix, ok := prev.sets[fs.Dataset]; ok {
			d.inherited[fs.Dataset] = ix
		} else if ix, ok := prev.inherited[fs.Dataset]; ok {
			d.inherited[fs.Dataset] = ix
		}
	}
	return d
}

// setIndexOf returns the set index of set, one of the snapshot's flow
// sets: made before, inherited from an earlier dashboard when it holds
// the same set, or made now. d.mu must be held.
func (d *Dashboard) setIndexOf(set data.FlowSet) *setIndex {
	if ix, ok := d.sets[set.Dataset]; ok {
		return ix
	}
	ix, ok := d.inherited[set.Dataset]
	if !ok || !ix.holds(set) {
		ix = newSetIndex(set)
	}
	delete(d.inherited, set.Dataset)
	d.sets[set.Dataset] = ix
	return ix
}

// Snapshot returns the data the dashboard answers from.
func (d *Dashboard) Snapshot() *data.Snapshot { return d.snap }

// ErrNoFlows is the answer of every view drawn from yearly flows when the
// snapshot holds none.
var ErrNoFlows = &NotDrawableError{Msg: "No arms-transfer data is loaded, so there is nothing to chart. Import a SIPRI file with armsdash import."}

// Flows returns the index of the flow set called name, or of the preferred
// one when name is "". With no flow set at all it returns ErrNoFlows; an
// unknown name is an *InvalidParamError on parameter dataset listing the
// flow sets loaded.
func (d *Dashboard) Flows(name string) (*FlowIndex, error) {
	name = strings.TrimSpace(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	if fi, ok := d.flows[name]; ok {
		return fi, nil
	}
	set, ok := d.snap.FlowSet(name)
	if !ok || len(set.Flows) == 0 {
		if name == "" {
			return nil, ErrNoFlows
		}
		var known []string
		for _, fs := range d.snap.FlowSets {
			known = append(known, fs.Dataset.Name)
		}
		return nil, &InvalidParamError{Param: "dataset", Value: Shorten(name), Known: knownList(known),
			KnownLabel: "Datasets with yearly arms transfers", Suggestion: Suggest(name, known),
			Msg:   fmt.Sprintf("no dataset “%s” with yearly arms transfers is loaded; see /datasets for every dataset held", Shorten(name)),
			Using: "showing the preferred one"}
	}
	fi := newFlowIndex(d.snap, d.setIndexOf(set))
	d.flows[name] = fi
	return fi, nil
}

// flowsParam reads parameter dataset and returns the flow set it names, or
// the preferred one when it is absent or unknown (recording why). name is
// "" unless it names a set other than the preferred one, so that canonical
// links leave it out when it changes nothing.
func (d *Dashboard) flowsParam(p *Params) (fi *FlowIndex, name string, err error) {
	raw := p.Raw("dataset")
	if raw != "" {
		fi, err = d.Flows(raw)
		if err == nil {
			if !fi.Preferred {
				name = fi.Set.Dataset.Name
			}
			return fi, name, nil
		}
		if ipe, ok := err.(*InvalidParamError); ok {
			p.Fail(ipe)
		} else {
			return nil, "", err
		}
	}
	fi, err = d.Flows("")
	return fi, "", err
}

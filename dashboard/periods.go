package dashboard

import (
	"sync"

	"github.com/armsdash/armsdash/analysis"
)

// maxPeriods is how many periods of one flow set periodCache keeps.
const maxPeriods = 8

// periodCache keeps what a flow set gives over one period and costs more
// than a page should spend on it each time (the network with its
// communities, every supplier→recipient flow ranked, and for the world
// view every exporter and importer ranked and the breakdowns of all
// deliveries), for the maxPeriods periods asked for last. It belongs to a
// setIndex, so it serves every snapshot that holds the set (see Next),
// and its key is the period (and a breakdown's dimension) alone: what it
// keeps depends on nothing else. A period's entry holds the network of
// its countries (a few hundred nodes), one PairFlow per pair of
// countries trading in it, one WorldRow per country and at most one
// breakdown per dimension (a row and its years per category, status or
// local production), so the cache of a set is at most maxPeriods times
// that, whatever periods are asked for.
type periodCache struct {
	mu sync.Mutex
	// entries are the periods asked for last, the latest first.
	entries []*periodEntry
}

// periodEntry is what periodCache keeps of one period, each part made by
// the first request that needs it.
type periodEntry struct {
	period  analysis.Period
	network struct {
		once sync.Once
		n    *Network
	}
	flows struct {
		once sync.Once
		all  []PairFlow
	}
	world struct {
		once sync.Once
		w    *World
	}
	// breakdowns holds the world's breakdown by each dimension asked for
	// (one of BreakdownDimensions).
	breakdowns struct {
		mu sync.Mutex
		by map[string]*breakdownEntry
	}
}

// breakdownEntry is a breakdown of a period with its years, made by the
// first request that needs it.
type breakdownEntry struct {
	once  sync.Once
	b     *Breakdown
	years BreakdownYears
}

// worldBreakdown returns the entry of the world's breakdown of e's period
// by dimension by.
func (e *periodEntry) worldBreakdown(by string) *breakdownEntry {
	e.breakdowns.mu.Lock()
	defer e.breakdowns.mu.Unlock()
	if e.breakdowns.by == nil {
		e.breakdowns.by = map[string]*breakdownEntry{}
	}
	b := e.breakdowns.by[by]
	if b == nil {
		b = &breakdownEntry{}
		e.breakdowns.by[by] = b
	}
	return b
}

// of returns the entry of p, made now (and the least recently asked for
// dropped when there are maxPeriods) when it has none.
func (c *periodCache) of(p analysis.Period) *periodEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.period == p {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e
		}
	}
	e := &periodEntry{period: p}
	if len(c.entries) < maxPeriods {
		c.entries = append(c.entries, nil)
	}
	copy(c.entries[1:], c.entries)
	c.entries[0] = e
	return e
}

package dashboard

import (
	"cmp"
	"slices"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// Network settings: PageRank's damping and tolerance, and Louvain's
// resolution and seed (fixed, so the same query always gives the same
// communities).
const (
	PageRankDamping   = 0.85
	PageRankTolerance = 1e-10
	LouvainResolution = 1
	LouvainSeed       = 1
)

// NetworkNode is one country of a network with its weighted degree (TIV
// received and sent) and PageRank.
type NetworkNode struct {
	Name              string
	In, Out, PageRank float64
}

// Network is the supplier→recipient network of a period.
type Network struct {
	Query NetworkQuery
	// Extract is true when the flow set is a dyad extract, so the
	// network is one recipient and its suppliers, not the world's trade.
	Extract bool
	// Countries and Links count the network's nodes and edges.
	Countries, Links int
	// Nodes are sorted by In+Out, largest first, then by name.
	Nodes       []NetworkNode
	Communities [][]string
}

// Network builds the network of q. Rows summing a supplier's other
// recipients (in an extract) are not countries and are left out. The
// network of a period is built once per flow set (periodCache) and shared:
// callers must not change its Nodes or Communities.
func (fi *FlowIndex) Network(q NetworkQuery) *Network {
	e := fi.periods.of(q.Period())
	e.network.once.Do(func() { e.network.n = fi.network(q.Period()) })
	n := *e.network.n
	n.Query = q
	return &n
}

// network builds the network of p, its Query left empty.
func (fi *FlowIndex) network(p analysis.Period) *Network {
	aggregate := map[string]bool{}
	for i, t := range fi.transfers {
		if i == 0 || t.Supplier != fi.transfers[i-1].Supplier { // once per run of a supplier
			aggregate[data.OtherRecipients(t.Supplier)] = true
		}
	}
	var ts []analysis.Transfer
	for _, t := range fi.transfers {
		if p.Contains(t.Year) && !aggregate[t.Recipient] {
			ts = append(ts, t)
		}
	}
	g := analysis.Network(ts, p)
	n := &Network{Extract: fi.Coverage.Kind == data.CoverageExtract, Countries: len(g.Names()), Links: g.LinkCount()}
	pr := map[string]float64{}
	for _, c := range g.PageRank(PageRankDamping, PageRankTolerance) {
		pr[c.Name] = c.Score
	}
	for _, st := range g.WeightedDegree() {
		n.Nodes = append(n.Nodes, NetworkNode{Name: st.Name, In: st.In, Out: st.Out, PageRank: pr[st.Name]})
	}
	slices.SortFunc(n.Nodes, func(a, b NetworkNode) int {
		return cmp.Or(cmp.Compare(b.In+b.Out, a.In+a.Out), cmp.Compare(a.Name, b.Name))
	})
	for _, cm := range g.Communities(LouvainResolution, LouvainSeed) {
		n.Communities = append(n.Communities, cm.Members)
	}
	return n
}

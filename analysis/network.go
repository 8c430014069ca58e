package analysis

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
)

// Graph is the arms-trade network of one period: a node per country and
// an edge from each supplier to each of its recipients, weighted by the
// TIV delivered in the period. Node IDs are the indexes of the countries
// in Names, which is sorted, so the same transfers always give the same
// graph. Build it with Network; a Graph is not changed after that and may
// be read from several goroutines.
type Graph struct {
	Period Period
	g      *simple.WeightedDirectedGraph
	names  []string
	links  int
}

// Link is one edge of a Graph.
type Link struct {
	Supplier, Recipient string
	TIV                 float64 // millions of TIV delivered in the period
}

// Strength is a country's weighted degree in a Graph.
type Strength struct {
	Name string
	In   float64 // TIV received from all suppliers (imports)
	Out  float64 // TIV delivered to all recipients (exports)
}

// Centrality is a country's score from a centrality measure.
type Centrality struct {
	Name  string
	Score float64
}

// Community is a group of countries that trade more among themselves
// than with the rest of the network. Members are sorted by name.
type Community struct {
	Members []string
}

// Network builds the supplier→recipient network of transfers delivered in
// p, each edge weighted by Σ TIV(supplier→recipient, y), y ∈ p. Transfers
// whose TIV is not a positive finite number, whose supplier or recipient
// is empty, or whose supplier is also the recipient are left out (a simple
// graph has no self-loops), as are countries left with no edge. With no
// transfers in p the Graph has no nodes. Network never returns nil.
func Network(ts []Transfer, p Period) *Graph {
	links := SumByPair(ts, func(t Transfer) bool {
		return p.Contains(t.Year) && t.TIV > 0 && !math.IsInf(t.TIV, 1) &&
			t.Supplier != "" && t.Recipient != "" && t.Supplier != t.Recipient
	})
	seen := make(map[string]bool)
	for _, l := range links {
		seen[l.Supplier], seen[l.Recipient] = true, true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	id := make(map[string]int64, len(names))
	g := simple.NewWeightedDirectedGraph(0, 0)
	for i, n := range names {
		id[n] = int64(i)
		g.AddNode(simple.Node(i))
	}
	for _, l := range links {
		g.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(id[l.Supplier]), T: simple.Node(id[l.Recipient]), W: l.TIV})
	}
	return &Graph{Period: p, g: g, names: names, links: len(links)}
}

// SumByPair sums the TIV of the transfers keep accepts by supplier and
// recipient: one Link per pair, in the order of the pair's first
// transfer, its TIV
//
//	Σ TIV(supplier→recipient) over the accepted transfers,
//
// added in the order of ts (consecutive transfers of one pair, a
// listing's years, look the pair up once). Nil when keep accepts none.
func SumByPair(ts []Transfer, keep func(Transfer) bool) []Link {
	type pair struct{ from, to string }
	index := make(map[pair]int)
	var links []Link
	last := -1
	for _, t := range ts {
		if !keep(t) {
			continue
		}
		if last < 0 || links[last].Supplier != t.Supplier || links[last].Recipient != t.Recipient {
			e := pair{t.Supplier, t.Recipient}
			i, ok := index[e]
			if !ok {
				i = len(links)
				index[e] = i
				links = append(links, Link{Supplier: t.Supplier, Recipient: t.Recipient})
			}
			last = i
		}
		links[last].TIV += t.TIV
	}
	return links
}

// Directed returns the underlying gonum graph, for algorithms this package
// does not wrap. Node IDs index Names. It must not be modified.
func (g *Graph) Directed() *simple.WeightedDirectedGraph { return g.g }

// Names returns the countries in the network, sorted; the index of a
// name is its node ID.
func (g *Graph) Names() []string { return slices.Clone(g.names) }

// Links returns every edge, largest TIV first, ties broken by supplier and
// then recipient name.
func (g *Graph) Links() []Link {
	var ls []Link
	for es := g.g.WeightedEdges(); es.Next(); {
		e := es.WeightedEdge()
		ls = append(ls, Link{g.names[e.From().ID()], g.names[e.To().ID()], e.Weight()})
	}
	slices.SortFunc(ls, func(a, b Link) int {
		return cmp.Or(cmp.Compare(b.TIV, a.TIV), cmp.Compare(a.Supplier, b.Supplier), cmp.Compare(a.Recipient, b.Recipient))
	})
	return ls
}

// LinkCount returns how many edges the graph has: len(Links()), without
// listing them.
func (g *Graph) LinkCount() int { return g.links }

// WeightedDegree returns each country's strength, sorted by name: the sum
// of the weights of its incoming edges (In, TIV imported in the period)
// and of its outgoing edges (Out, TIV exported).
func (g *Graph) WeightedDegree() []Strength {
	ss := make([]Strength, len(g.names))
	for i, n := range g.names {
		ss[i].Name = n
	}
	for es := g.g.WeightedEdges(); es.Next(); {
		e := es.WeightedEdge()
		ss[e.From().ID()].Out += e.Weight()
		ss[e.To().ID()].In += e.Weight()
	}
	return ss
}

// PageRank returns each country's edge-weighted PageRank, sorted by name,
// from gonum's network.PageRank with the given damping (usually 0.85) and
// tolerance (e.g. 1e-8) on the 2-norm of the change between iterations.
// Each supplier passes its score to its recipients in proportion to the
// TIV it delivered; countries that export nothing pass theirs to all
// countries equally. A high score so marks a country that imports much
// from countries that themselves import much. The scores sum to 1.
//
// gonum starts the iteration from a random vector, so two calls agree to
// within about tol, not exactly; that is why the result is sorted by name
// rather than by score. PageRank returns nil for a Graph with no nodes, or
// when damping is not in [0, 1) or tol is not positive.
func (g *Graph) PageRank(damping, tol float64) []Centrality {
	if len(g.names) == 0 || !(damping >= 0 && damping < 1) || !(tol > 0) {
		return nil
	}
	pr := network.PageRank(g.g, damping, tol)
	cs := make([]Centrality, len(g.names))
	for i, n := range g.names {
		cs[i] = Centrality{Name: n, Score: pr[int64(i)]}
	}
	return cs
}

// Communities splits the network into communities by Louvain modularity
// optimisation (gonum's community.Modularize) on the undirected network,
// where the weight between two countries is the TIV delivered in both
// directions. resolution is γ in the modularity
//
//	Q = 1/2m Σᵢⱼ [Aᵢⱼ − γ kᵢkⱼ/2m] δ(cᵢ, cⱼ);
//
// 1 is the usual choice, larger values give more and smaller communities.
// seed fixes the random order in which Louvain visits the nodes, so the
// same Graph, resolution and seed give the same communities. Communities
// are sorted by size, largest first, then by first member. It returns nil
// for a Graph with no nodes.
func (g *Graph) Communities(resolution float64, seed int64) []Community {
	if len(g.names) == 0 {
		return nil
	}
	u := simple.NewWeightedUndirectedGraph(0, 0)
	for i := range g.names {
		u.AddNode(simple.Node(i))
	}
	for es := g.g.WeightedEdges(); es.Next(); {
		e := es.WeightedEdge()
		w := e.Weight()
		if back, ok := g.g.Weight(e.To().ID(), e.From().ID()); ok {
			if e.From().ID() > e.To().ID() {
				continue // the edge the other way round adds both
			}
			w += back
		}
		u.SetWeightedEdge(simple.WeightedEdge{F: e.From(), T: e.To(), W: w})
	}
	r := community.Modularize(u, resolution, rand.NewPCG(uint64(seed), 0))
	var cs []Community
	for _, nodes := range r.Communities() {
		if len(nodes) == 0 {
			continue
		}
		m := make([]string, len(nodes))
		for i, n := range nodes {
			m[i] = g.names[n.ID()]
		}
		slices.Sort(m)
		cs = append(cs, Community{Members: m})
	}
	slices.SortFunc(cs, func(a, b Community) int {
		return cmp.Or(cmp.Compare(len(b.Members), len(a.Members)), cmp.Compare(a.Members[0], b.Members[0]))
	})
	return cs
}

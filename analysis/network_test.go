package analysis_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// networkFixture: two clusters, S1 → R1, R2, R3 (10, 20, 30) and
// S2 → R4, R5, R6 (40, 50, 25+35), joined by one weak edge S1 → R4 (1).
// Left out: a 1990 delivery, a self-transfer, a NaN and a zero TIV.
var networkFixture = []analysis.Transfer{
	{Supplier: "S1", Recipient: "R1", Year: 2020, TIV: 10},
	{Supplier: "S1", Recipient: "R2", Year: 2020, TIV: 20},
	{Supplier: "S1", Recipient: "R3", Year: 2021, TIV: 30},
	{Supplier: "S2", Recipient: "R4", Year: 2020, TIV: 40},
	{Supplier: "S2", Recipient: "R5", Year: 2021, TIV: 50},
	{Supplier: "S2", Recipient: "R6", Year: 2020, TIV: 25},
	{Supplier: "S2", Recipient: "R6", Year: 2022, TIV: 35},
	{Supplier: "S1", Recipient: "R4", Year: 2022, TIV: 1},
	{Supplier: "S1", Recipient: "R5", Year: 1990, TIV: 500},
	{Supplier: "S2", Recipient: "S2", Year: 2020, TIV: 70},
	{Supplier: "S2", Recipient: "R1", Year: 2020, TIV: math.NaN()},
	{Supplier: "S2", Recipient: "R2", Year: 2020, TIV: 0},
}

var networkPeriod = analysis.Period{From: 2020, To: 2022}

func TestNetworkStrength(t *testing.T) {
	g := analysis.Network(networkFixture, networkPeriod)
	if got, want := g.Names(), []string{"R1", "R2", "R3", "R4", "R5", "R6", "S1", "S2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
	// Hand-summed: S1 exports 10+20+30+1 = 61, S2 40+50+60 = 150, R4
	// imports 40+1 = 41, R6 25+35 = 60.
	want := []analysis.Strength{
		{Name: "R1", In: 10}, {Name: "R2", In: 20}, {Name: "R3", In: 30}, {Name: "R4", In: 41},
		{Name: "R5", In: 50}, {Name: "R6", In: 60}, {Name: "S1", Out: 61}, {Name: "S2", Out: 150},
	}
	if got := g.WeightedDegree(); !reflect.DeepEqual(got, want) {
		t.Errorf("WeightedDegree = %v, want %v", got, want)
	}
	links := g.Links()
	if len(links) != 7 || links[0] != (analysis.Link{Supplier: "S2", Recipient: "R6", TIV: 60}) ||
		links[6] != (analysis.Link{Supplier: "S1", Recipient: "R4", TIV: 1}) {
		t.Errorf("Links = %v", links)
	}
	if g.LinkCount() != len(links) {
		t.Errorf("LinkCount = %d; want %d, as many as Links", g.LinkCount(), len(links))
	}
	if e := analysis.Network(networkFixture, analysis.Period{From: 2000, To: 2001}); len(e.Names()) != 0 || e.LinkCount() != 0 || e.PageRank(0.85, 1e-8) != nil || e.Communities(1, 1) != nil || len(e.WeightedDegree()) != 0 {
		t.Error("empty network must give empty results")
	}
}

// TestNetworkPairApart checks that a pair's transfers are summed into one
// link whether they are consecutive or not.
func TestNetworkPairApart(t *testing.T) {
	g := analysis.Network([]analysis.Transfer{
		{Supplier: "A", Recipient: "B", Year: 2020, TIV: 1}, {Supplier: "A", Recipient: "B", Year: 2021, TIV: 2},
		{Supplier: "A", Recipient: "C", Year: 2020, TIV: 4}, {Supplier: "A", Recipient: "B", Year: 2022, TIV: 8},
	}, networkPeriod)
	want := []analysis.Link{{Supplier: "A", Recipient: "B", TIV: 11}, {Supplier: "A", Recipient: "C", TIV: 4}}
	if got := g.Links(); !reflect.DeepEqual(got, want) || g.LinkCount() != 2 {
		t.Errorf("Links = %v (LinkCount %d); want %v", got, g.LinkCount(), want)
	}
}

func TestNetworkCommunities(t *testing.T) {
	g := analysis.Network(networkFixture, networkPeriod)
	want := []analysis.Community{{Members: []string{"R1", "R2", "R3", "S1"}}, {Members: []string{"R4", "R5", "R6", "S2"}}}
	for seed := range int64(20) {
		if got := g.Communities(1, seed); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: Communities = %v, want %v", seed, got, want)
		}
	}
	// A very low resolution makes one community of everything.
	if got := g.Communities(0.01, 1); len(got) != 1 || len(got[0].Members) != 8 {
		t.Errorf("resolution 0.01: %v", got)
	}
}

// networkPowerIteration is an independent PageRank: power iteration from
// the uniform vector, edge-weighted columns, dangling nodes spread evenly.
func networkPowerIteration(g *analysis.Graph, d float64) map[string]float64 {
	names := g.Names()
	n := len(names)
	idx := make(map[string]int, n)
	for i, s := range names {
		idx[s] = i
	}
	out := make([]float64, n)
	for _, l := range g.Links() {
		out[idx[l.Supplier]] += l.TIV
	}
	r := make([]float64, n)
	for i := range r {
		r[i] = 1 / float64(n)
	}
	for range 1000 {
		next := make([]float64, n)
		var dangling float64
		for i := range r {
			if out[i] == 0 {
				dangling += r[i]
			}
		}
		for i := range next {
			next[i] = (1-d)/float64(n) + d*dangling/float64(n)
		}
		for _, l := range g.Links() {
			next[idx[l.Recipient]] += d * r[idx[l.Supplier]] * l.TIV / out[idx[l.Supplier]]
		}
		r = next
	}
	m := make(map[string]float64, n)
	for i, s := range names {
		m[s] = r[i]
	}
	return m
}

func TestNetworkPageRank(t *testing.T) {
	g := analysis.Network(networkFixture, networkPeriod)
	pr := g.PageRank(0.85, 1e-10)
	want := networkPowerIteration(g, 0.85)
	var sum float64
	for _, c := range pr {
		sum += c.Score
		if math.Abs(c.Score-want[c.Name]) > 1e-8 {
			t.Errorf("PageRank(%s) = %.10f, power iteration %.10f (±1e-8)", c.Name, c.Score, want[c.Name])
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("PageRank sums to %v, want 1 (±1e-9)", sum)
	}
	// A → B alone: B exports nothing and spreads its score evenly, so
	// rA = (1−d)/2 + d·rB/2 with rA + rB = 1 gives rA = 1/(2+d).
	two := analysis.Network([]analysis.Transfer{{Supplier: "A", Recipient: "B", Year: 2020, TIV: 3}}, networkPeriod)
	pr = two.PageRank(0.85, 1e-12)
	if len(pr) != 2 || math.Abs(pr[0].Score-1/2.85) > 1e-9 || math.Abs(pr[1].Score-1.85/2.85) > 1e-9 {
		t.Errorf("two-node PageRank = %v, want A %v, B %v (±1e-9)", pr, 1/2.85, 1.85/2.85)
	}
	if g.PageRank(1, 1e-8) != nil || g.PageRank(0.85, 0) != nil {
		t.Error("damping 1 or tol 0 must give nil (would not converge)")
	}
}

func ExampleGraph_Communities() {
	ts := []analysis.Transfer{
		{Supplier: "Russia", Recipient: "India", Year: 2020, TIV: 100},
		{Supplier: "Russia", Recipient: "Vietnam", Year: 2020, TIV: 40},
		{Supplier: "Russia", Recipient: "Algeria", Year: 2020, TIV: 60},
		{Supplier: "United States", Recipient: "Japan", Year: 2020, TIV: 90},
		{Supplier: "United States", Recipient: "Australia", Year: 2020, TIV: 70},
		{Supplier: "United States", Recipient: "Saudi Arabia", Year: 2020, TIV: 120},
		{Supplier: "United States", Recipient: "India", Year: 2020, TIV: 10},
	}
	g := analysis.Network(ts, analysis.Period{From: 2020, To: 2020})
	for _, c := range g.Communities(1, 1) {
		fmt.Println(c.Members)
	}
	// Output:
	// [Algeria India Russia Vietnam]
	// [Australia Japan Saudi Arabia United States]
}

package analysis_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// benchSizes are the numbers of transfer rows each benchmark runs on.
var benchSizes = []int{1_000, 10_000, 100_000, 1_000_000}

// benchPeriod is the five-year window the benchmarks query (a sixth of
// the synthetic years).
var benchPeriod = analysis.Period{From: 2015, To: 2019}

// benchTransfers returns n synthetic transfers among 60 countries over the
// 30 years 1995–2024, generated from a fixed seed so every run sees the
// same rows. Suppliers are skewed towards the first countries (as a few
// countries make most arms exports); recipients are uniform. It is for
// benchmarks only: the figures mean nothing.
func benchTransfers(n int) []analysis.Transfer {
	const countries = 60
	names := make([]string, countries)
	for i := range names {
		names[i] = fmt.Sprintf("C%02d", i)
	}
	r := rand.New(rand.NewPCG(2026, 1))
	ts := make([]analysis.Transfer, n)
	for i := range ts {
		u := r.Float64()
		s := int(u * u * countries)
		d := r.IntN(countries)
		if d == s {
			d = (d + 1) % countries
		}
		ts[i] = analysis.Transfer{
			Supplier:  names[s],
			Recipient: names[d],
			Year:      1995 + r.IntN(30),
			TIV:       r.ExpFloat64() * 50,
		}
	}
	return ts
}

func benchEachSize(b *testing.B, f func(b *testing.B, ts []analysis.Transfer)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			ts := benchTransfers(n)
			b.ReportAllocs()
			f(b, ts)
		})
	}
}

func BenchmarkSupplierShare(b *testing.B) {
	benchEachSize(b, func(b *testing.B, ts []analysis.Transfer) {
		for b.Loop() {
			analysis.SupplierShare(ts, "C00", "C30", benchPeriod)
		}
	})
}

func BenchmarkRankSuppliers(b *testing.B) {
	benchEachSize(b, func(b *testing.B, ts []analysis.Transfer) {
		for b.Loop() {
			analysis.RankSuppliers(ts, "C30", benchPeriod, 10)
		}
	})
}

// BenchmarkNetwork times building the network of one period and its
// PageRank.
func BenchmarkNetwork(b *testing.B) {
	benchEachSize(b, func(b *testing.B, ts []analysis.Transfer) {
		for b.Loop() {
			analysis.Network(ts, benchPeriod).PageRank(0.85, 1e-8)
		}
	})
}

package analysis_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// rankFixture: India's imports 2018–2022 are Russia 1000+500, France
// 700+200, Israel 300, United States 300 and a zero-TIV record from the
// United Kingdom: 3000 in all, so 50%, 30%, 10%, 10%, 0%. Italy's 2017
// delivery lies outside the period. Russia also delivers 500 to China.
var rankFixture = []analysis.Transfer{
	{Supplier: "Russia", Recipient: "India", Year: 2018, TIV: 1000},
	{Supplier: "Russia", Recipient: "India", Year: 2020, TIV: 500},
	{Supplier: "France", Recipient: "India", Year: 2019, TIV: 700},
	{Supplier: "France", Recipient: "India", Year: 2021, TIV: 200},
	{Supplier: "United States", Recipient: "India", Year: 2020, TIV: 300},
	{Supplier: "Israel", Recipient: "India", Year: 2022, TIV: 300},
	{Supplier: "Italy", Recipient: "India", Year: 2017, TIV: 50},
	{Supplier: "United Kingdom", Recipient: "India", Year: 2022, TIV: 0},
	{Supplier: "Russia", Recipient: "China", Year: 2019, TIV: 500},
}

var rankPeriod = analysis.Period{From: 2018, To: 2022}

func TestRank(t *testing.T) {
	type row = analysis.Ranked
	others := func(tiv, pct float64) row { return row{Name: "others", TIV: tiv, Percent: pct, Others: true} }
	all := []row{
		{Name: "Russia", TIV: 1500, Percent: 50}, {Name: "France", TIV: 900, Percent: 30},
		{Name: "Israel", TIV: 300, Percent: 10}, {Name: "United States", TIV: 300, Percent: 10}, // tie: by name
		{Name: "United Kingdom", TIV: 0, Percent: 0},
	}
	for _, c := range []struct {
		name string
		got  []row
		want []row
	}{
		{"all suppliers", analysis.RankSuppliers(rankFixture, "India", rankPeriod, 0), all},
		{"negative topN means all", analysis.RankSuppliers(rankFixture, "India", rankPeriod, -3), all},
		{"topN equals count: no others", analysis.RankSuppliers(rankFixture, "India", rankPeriod, 5), all},
		{"top 2", analysis.RankSuppliers(rankFixture, "India", rankPeriod, 2), []row{all[0], all[1], others(600, 20)}},
		{"top 4, others zero", analysis.RankSuppliers(rankFixture, "India", rankPeriod, 4), append(all[:4:4], others(0, 0))},
		// 2017 adds Italy 50 of 3050, and 2017–2022 drops nothing else.
		{"longer period", analysis.RankSuppliers(rankFixture, "India", analysis.Period{From: 2017, To: 2022}, 1),
			[]row{{Name: "Russia", TIV: 1500, Percent: 100 * 1500 / 3050.0}, others(1550, 100*1550/3050.0)}},
		// Russia's exports 2000 in all: India 75%, China 25%.
		{"recipients", analysis.RankRecipients(rankFixture, "Russia", rankPeriod, 0),
			[]row{{Name: "India", TIV: 1500, Percent: 75}, {Name: "China", TIV: 500, Percent: 25}}},
		// World exporters: Russia 2000 of 3500.
		{"world exporters", analysis.RankSuppliers(rankFixture, "", rankPeriod, 1),
			[]row{{Name: "Russia", TIV: 2000, Percent: 100 * 2000 / 3500.0}, others(1500, 100*1500/3500.0)}},
		{"no deliveries in period", analysis.RankSuppliers(rankFixture, "India", analysis.Period{From: 1990, To: 1994}, 0), nil},
		{"reversed period", analysis.RankSuppliers(rankFixture, "India", analysis.Period{From: 2022, To: 2018}, 0), nil},
		{"unknown country", analysis.RankRecipients(rankFixture, "Ruritania", rankPeriod, 0), nil},
	} {
		if len(c.got) != len(c.want) {
			t.Errorf("%s: got %d lines %v, want %d %v", c.name, len(c.got), c.got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			g := c.got[i]
			if g.Name != w.Name || g.Others != w.Others || g.TIV != w.TIV || math.Abs(g.Percent-w.Percent) > 1e-12 {
				t.Errorf("%s: line %d = %+v, want %+v (percent within 1e-12)", c.name, i, g, w)
			}
		}
	}
}

// TestRankAgreesWithShares checks every named line's Percent against the
// independent SupplierShare and RecipientShare.
func TestRankAgreesWithShares(t *testing.T) {
	for _, r := range analysis.RankSuppliers(rankFixture, "India", rankPeriod, 0) {
		if want := analysis.SupplierShare(rankFixture, r.Name, "India", rankPeriod).Percent(); r.Percent != want {
			t.Errorf("%s: rank says %v%%, SupplierShare %v%%", r.Name, r.Percent, want)
		}
	}
	for _, r := range analysis.RankRecipients(rankFixture, "Russia", rankPeriod, 0) {
		if want := analysis.RecipientShare(rankFixture, "Russia", r.Name, rankPeriod).Percent(); r.Percent != want {
			t.Errorf("%s: rank says %v%%, RecipientShare %v%%", r.Name, r.Percent, want)
		}
	}
}

func TestRankNaN(t *testing.T) {
	ts := []analysis.Transfer{
		{Supplier: "A", Recipient: "R", Year: 2020, TIV: math.NaN()},
		{Supplier: "B", Recipient: "R", Year: 2020, TIV: 5},
	}
	got := analysis.RankSuppliers(ts, "R", analysis.Period{From: 2020, To: 2020}, 0)
	if len(got) != 2 || got[0].Name != "B" || !math.IsNaN(got[1].TIV) || !math.IsNaN(got[0].Percent) {
		t.Errorf("NaN TIV must sort last and make every percent NaN: %+v", got)
	}
}

func TestChange(t *testing.T) {
	for _, c := range []struct {
		t1, t2 float64
		want   float64
		ok     bool
	}{
		{1000, 1250, 25, true},
		{1000, 500, -50, true},
		{400, 0, -100, true},
		{300, 900, 200, true},
		{0, 10, math.NaN(), false},
		{0, 0, math.NaN(), false},
		{math.NaN(), 10, math.NaN(), false},
		{10, math.Inf(1), math.NaN(), false},
	} {
		got, ok := analysis.Change(c.t1, c.t2)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-12) || (!ok && !math.IsNaN(got)) {
			t.Errorf("Change(%v, %v) = %v, %v; want %v, %v", c.t1, c.t2, got, ok, c.want, c.ok)
		}
	}
}

func ExampleRankSuppliers() {
	ts := []analysis.Transfer{
		{Supplier: "Russia", Recipient: "India", Year: 2019, TIV: 1500},
		{Supplier: "France", Recipient: "India", Year: 2020, TIV: 900},
		{Supplier: "Israel", Recipient: "India", Year: 2021, TIV: 300},
		{Supplier: "United States", Recipient: "India", Year: 2021, TIV: 300},
	}
	for _, r := range analysis.RankSuppliers(ts, "India", analysis.Period{From: 2017, To: 2021}, 2) {
		fmt.Printf("%-8s %6.0f %s\n", r.Name, r.TIV, analysis.FormatPercent(r.Percent))
	}
	// Output:
	// Russia     1500 50%
	// France      900 30%
	// others      600 20%
}

func ExampleChange() {
	if pct, ok := analysis.Change(3650, 2890); ok {
		fmt.Printf("%+.0f%%\n", pct)
	}
	if _, ok := analysis.Change(0, 120); !ok {
		fmt.Println("n/a")
	}
	// Output:
	// -21%
	// n/a
}

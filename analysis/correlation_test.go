package analysis_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// TestLaggedCorrelationPerfectLag: TIV in year y+1 is 2·events(y) + 5
// exactly, for non-monotone events, so lag +1 gives Pearson and Spearman 1
// on 11 pairs; lags 0 and −1 do not.
func TestLaggedCorrelationPerfectLag(t *testing.T) {
	years := make([]int, 12)
	events := []float64{3, 7, 2, 9, 4, 8, 1, 6, 5, 10, 0, 11}
	tiv := make([]float64, 12)
	tiv[0] = 4
	for i := range years {
		years[i] = 2000 + i
		if i > 0 {
			tiv[i] = 2*events[i-1] + 5
		}
	}
	got := analysis.LaggedCorrelation(years, events, tiv, -1, 1)
	if len(got) != 3 || got[0].Lag != -1 || got[1].Lag != 0 || got[2].Lag != 1 {
		t.Fatalf("lags: %+v", got)
	}
	l1 := got[2]
	if l1.N != 11 || math.Abs(l1.Pearson-1) > 1e-12 || math.Abs(l1.Spearman-1) > 1e-12 || l1.Warning != "" {
		t.Errorf("lag +1 = %+v, want N 11, Pearson 1, Spearman 1 (±1e-12), no warning", l1)
	}
	if got[1].N != 12 || got[0].N != 11 {
		t.Errorf("N at lags 0, −1 = %d, %d; want 12, 11", got[1].N, got[0].N)
	}
	for _, r := range got[:2] {
		if math.Abs(r.Pearson) > 0.9 {
			t.Errorf("lag %d: Pearson %v; no relation was built in", r.Lag, r.Pearson)
		}
	}
}

// TestLaggedCorrelationHand: five years at lag 0, x = 1 2 2 3 4 and
// y = 1 3 2 5 4.
// Pearson: x̄ = 2.4, ȳ = 3, Sxy = 6, Sxx = 5.2, Syy = 10, r = 6/√52.
// Spearman: ranks x = 1 2.5 2.5 4 5, y = 1 3 2 5 4; Sxy = 8.5, Sxx = 9.5,
// Syy = 10, ρ = 8.5/√95.
func TestLaggedCorrelationHand(t *testing.T) {
	years := []int{2000, 2001, 2002, 2003, 2004}
	x := []float64{1, 2, 2, 3, 4}
	y := []float64{1, 3, 2, 5, 4}
	got := analysis.LaggedCorrelation(years, x, y, 0, 3)
	r := got[0]
	if r.N != 5 || math.Abs(r.Pearson-6/math.Sqrt(52)) > 1e-12 || math.Abs(r.Spearman-8.5/math.Sqrt(95)) > 1e-12 {
		t.Errorf("lag 0 = %+v; want N 5, Pearson %v, Spearman %v (±1e-12)", r, 6/math.Sqrt(52), 8.5/math.Sqrt(95))
	}
	if r.Warning != "only 5 years: too few to read anything into" {
		t.Errorf("warning %q", r.Warning)
	}
	// lag 3 pairs 2000→2003 and 2001→2004 only.
	if r := got[3]; r.N != 2 || !math.IsNaN(r.Pearson) || !math.IsNaN(r.Spearman) || !strings.Contains(r.Warning, "only 2 years") {
		t.Errorf("lag 3 = %+v; want N 2, NaN, warning", r)
	}
}

func TestLaggedCorrelationUndefined(t *testing.T) {
	years := []int{2000, 2001, 2002, 2003, 2005} // 2004 missing
	got := analysis.LaggedCorrelation(years, []float64{1, 2, 3, 4, 5}, []float64{7, 7, 7, 7, 7}, 0, 1)
	if r := got[0]; r.N != 5 || !math.IsNaN(r.Pearson) || !math.IsNaN(r.Spearman) || !strings.Contains(r.Warning, "does not change") {
		t.Errorf("constant TIV: %+v", r)
	}
	// lag 1: 2003→2004 and 2005→2006 have no TIV year: 3 pairs.
	if got[1].N != 3 {
		t.Errorf("lag 1 with a missing year: N = %d, want 3", got[1].N)
	}
	got = analysis.LaggedCorrelation(years, []float64{1, math.NaN(), 3, 4, 5}, []float64{2, 4, 6, 8, 10}, 0, 0)
	if r := got[0]; r.N != 4 || math.Abs(r.Pearson-1) > 1e-12 {
		t.Errorf("NaN year must be left out: %+v", r)
	}
	if analysis.LaggedCorrelation(years, make([]float64, 5), make([]float64, 5), 2, 1) != nil {
		t.Error("minLag > maxLag must give nil")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("mismatched lengths must panic")
			}
		}()
		analysis.LaggedCorrelation(years, make([]float64, 4), make([]float64, 5), 0, 0)
	}()
}

// TestSpearmanTies checks tie handling against ranks worked by hand.
func TestSpearmanTies(t *testing.T) {
	for _, c := range []struct {
		name string
		x, y []float64
		want float64
	}{
		// see TestLaggedCorrelationHand
		{"ties in x", []float64{1, 2, 2, 3, 4}, []float64{1, 3, 2, 5, 4}, 8.5 / math.Sqrt(95)},
		// ranks x = 1.5 1.5 3 4, y = 3 1.5 1.5 4; deviations from 2.5:
		// Sxy = −0.5 + 1 − 0.5 + 2.25 = 2.25, Sxx = Syy = 4.5, ρ = 0.5.
		{"ties in both", []float64{1, 1, 2, 3}, []float64{2, 1, 1, 3}, 0.5},
		// monotone but not linear: ρ = 1 whatever the scale.
		{"monotone", []float64{1, 2, 3, 4}, []float64{1, 10, 100, 1000}, 1},
		{"reversed", []float64{1, 2, 3}, []float64{9, 4, 1}, -1},
		// all three tied in y: constant ranks, undefined.
		{"constant", []float64{1, 2, 3}, []float64{5, 5, 5}, math.NaN()},
		{"one value", []float64{1}, []float64{2}, math.NaN()},
		{"NaN", []float64{1, 2, math.NaN()}, []float64{1, 2, 3}, math.NaN()},
	} {
		got := analysis.Spearman(c.x, c.y)
		if math.IsNaN(c.want) != math.IsNaN(got) || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: Spearman = %v, want %v (±1e-12)", c.name, got, c.want)
		}
	}
}

func ExampleLaggedCorrelation() {
	years := []int{2010, 2011, 2012, 2013, 2014, 2015}
	events := []float64{1, 4, 2, 5, 3, 0}
	tiv := []float64{90, 100, 400, 200, 500, 300} // follows events a year later
	for _, r := range analysis.LaggedCorrelation(years, events, tiv, 0, 1) {
		fmt.Printf("lag %d: N=%d Pearson %.2f Spearman %.2f (%s)\n", r.Lag, r.N, r.Pearson, r.Spearman, r.Warning)
	}
	// Output:
	// lag 0: N=6 Pearson -0.12 Spearman -0.03 (only 6 years: too few to read anything into)
	// lag 1: N=5 Pearson 1.00 Spearman 1.00 (only 5 years: too few to read anything into)
}

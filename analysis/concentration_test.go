package analysis_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

func TestHHI(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		want   float64 // worked by hand; NaN means undefined
	}{
		// shares 50, 30, 10, 10: 2500 + 900 + 100 + 100
		{"four suppliers", []float64{1500, 900, 300, 300}, 3600},
		{"monopoly", []float64{42}, 10000},
		{"zero partner adds nothing", []float64{0, 5}, 10000},
		{"four equal", []float64{7, 7, 7, 7}, 2500},
		// shares 75, 25: 5625 + 625
		{"two unequal", []float64{3, 1}, 6250},
		// shares 60, 30, 10: 3600 + 900 + 100
		{"three", []float64{0.6, 0.3, 0.1}, 4600},
		{"empty", nil, math.NaN()},
		{"all zero", []float64{0, 0}, math.NaN()},
		{"negative", []float64{-1, 2}, math.NaN()},
		{"NaN", []float64{1, math.NaN()}, math.NaN()},
		{"Inf", []float64{1, math.Inf(1)}, math.NaN()},
	} {
		got := analysis.HHI(c.values)
		if math.IsNaN(c.want) != math.IsNaN(got) || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: HHI(%v) = %v, want %v (within 1e-9)", c.name, c.values, got, c.want)
		}
	}
}

// TestHHIIndependent checks HHI against two other formulas on tables of
// unequal values: the dot product of the percent shares with themselves
// (gonum floats.Dot), and HHI = 10,000·(1 + σ²/μ²)/n with the population
// variance σ² and mean μ of the values, since Σsᵢ² = Σvᵢ²/(nμ)² =
// n(σ²+μ²)/(nμ)². Tolerance 1e-9 relative.
func TestHHIIndependent(t *testing.T) {
	for _, v := range [][]float64{
		{1500, 900, 300, 300, 0},
		{5284.58, 1021.4, 206.65},
		{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		{0.001, 1e6},
		{13.37},
	} {
		got := analysis.HHI(v)
		s := make([]float64, len(v))
		floats.ScaleTo(s, 100/floats.Sum(v), v)
		dot := floats.Dot(s, s)
		mu, sigma2 := stat.PopMeanVariance(v, nil)
		cv := 10000 * (1 + sigma2/(mu*mu)) / float64(len(v))
		if math.Abs(got-dot) > 1e-9*dot || math.Abs(got-cv) > 1e-9*cv {
			t.Errorf("HHI(%v) = %.12g; Σs² by Dot %.12g; by 1+CV² %.12g", v, got, dot, cv)
		}
	}
}

func ExampleHHI() {
	// Shares 50%, 30%, 10%, 10%.
	fmt.Println(analysis.HHI([]float64{1500, 900, 300, 300}))
	// Output: 3600
}

package analysis

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"
)

// minCorrelationYears is the fewest paired years below which
// LaggedCorrelation warns that a correlation means little.
const minCorrelationYears = 10

// LagResult is the correlation between yearly events and TIV at one lag.
type LagResult struct {
	Lag      int     // TIV year minus events year
	N        int     // number of years paired
	Pearson  float64 // Pearson's r of the N pairs; NaN when undefined
	Spearman float64 // Spearman's ρ (Pearson's r of the ranks); NaN when undefined
	Warning  string  // plain words for the page when the result is weak or undefined
}

// LaggedCorrelation correlates a yearly series of event counts with a
// yearly series of TIV at each lag k from minLag to maxLag (inclusive),
// one LagResult per lag in that order. events[i] and tiv[i] are the
// values for years[i]; lag k pairs events in year y with TIV in year y+k,
// so a positive lag asks whether events come before deliveries.
//
// Pearson is gonum's stat.Correlation; Spearman is the Pearson correlation
// of the ranks, with tied values given the mean of their ranks (see
// Spearman). Years missing from years, or whose events or TIV value is
// NaN, are left out of the pairs, so N can differ between lags. Both
// coefficients are NaN when N < 3 or when either paired series is
// constant. Warning is set when N < 10 ("only N years: too few to read
// anything into") and when a coefficient is undefined.
//
// LaggedCorrelation returns nil when minLag > maxLag. It panics when
// years, events and tiv differ in length or when a year repeats.
func LaggedCorrelation(years []int, events []float64, tiv []float64, minLag, maxLag int) []LagResult {
	if len(years) != len(events) || len(years) != len(tiv) {
		panic("analysis: LaggedCorrelation: slice length mismatch")
	}
	if minLag > maxLag {
		return nil
	}
	tivAt := make(map[int]float64, len(years))
	for i, y := range years {
		if _, dup := tivAt[y]; dup {
			panic(fmt.Sprintf("analysis: LaggedCorrelation: year %d repeats", y))
		}
		tivAt[y] = tiv[i]
	}
	out := make([]LagResult, 0, maxLag-minLag+1)
	x := make([]float64, 0, len(years))
	y := make([]float64, 0, len(years))
	for k := minLag; k <= maxLag; k++ {
		x, y = x[:0], y[:0]
		for i, yr := range years {
			v, ok := tivAt[yr+k]
			if !ok || math.IsNaN(v) || math.IsNaN(events[i]) {
				continue
			}
			x = append(x, events[i])
			y = append(y, v)
		}
		r := LagResult{Lag: k, N: len(x), Pearson: math.NaN(), Spearman: math.NaN()}
		var warn []string
		if r.N < minCorrelationYears {
			warn = append(warn, fmt.Sprintf("only %d years: too few to read anything into", r.N))
		}
		switch {
		case r.N < 3:
			warn = append(warn, "a correlation needs at least 3 years")
		case allEqual(x) || allEqual(y):
			warn = append(warn, "one series does not change over these years: no correlation")
		default:
			r.Pearson = stat.Correlation(x, y, nil)
			r.Spearman = Spearman(x, y)
		}
		r.Warning = strings.Join(warn, "; ")
		out = append(out, r)
	}
	return out
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson
// correlation of their ranks, where tied values share the mean of the
// ranks they span (x = 5, 7, 7, 9 ranks as 1, 2.5, 2.5, 4). This is the
// tie-corrected ρ, not the shortcut 1 − 6Σd²/(n(n²−1)), which is wrong
// with ties. It returns NaN when fewer than two values are given, when
// either series is constant, or when any value is NaN. It panics when x
// and y differ in length.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("analysis: Spearman: slice length mismatch")
	}
	if len(x) < 2 || slices.ContainsFunc(x, math.IsNaN) || slices.ContainsFunc(y, math.IsNaN) || allEqual(x) || allEqual(y) {
		return math.NaN()
	}
	return stat.Correlation(fractionalRanks(x), fractionalRanks(y), nil)
}

// fractionalRanks returns the 1-based ranks of x, ties averaged.
func fractionalRanks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		// Positions i..j-1 hold equal values: ranks i+1..j, mean (i+1+j)/2.
		mean := float64(i+1+j) / 2
		for _, k := range idx[i:j] {
			r[k] = mean
		}
		i = j
	}
	return r
}

// allEqual reports whether every value of x equals the first.
func allEqual(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

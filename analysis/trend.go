package analysis

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// ErrTooFewPoints is returned when a statistic needs more data than given.
var ErrTooFewPoints = errors.New("too few points")

// MovingSum returns the sums of each window of w consecutive values, as
// SIPRI's five-year totals: out[i] = Σ values[i .. i+w-1]. The result has
// len(values)-w+1 elements; it is nil when w < 1 or w > len(values).
func MovingSum(values []float64, w int) []float64 {
	if w < 1 || w > len(values) {
		return nil
	}
	out := make([]float64, len(values)-w+1)
	for i := range out {
		out[i] = floats.Sum(values[i : i+w])
	}
	return out
}

// Trend is an ordinary least-squares line y = Intercept + Slope·x.
type Trend struct {
	Intercept float64
	Slope     float64 // change in y per unit of x (e.g. TIV per year)
	SlopeSE   float64 // standard error of Slope: √(Σr²/(n−2) / Σ(x−x̄)²)
	R2        float64 // coefficient of determination
	N         int
}

// LinearTrend fits y = a + b·x by ordinary least squares with
// gonum/stat.LinearRegression. It needs at least three points (two fit
// any line exactly and leave no error to estimate) and x values that are
// not all equal; otherwise it returns ErrTooFewPoints. x and y must have
// the same length.
func LinearTrend(x, y []float64) (Trend, error) {
	if len(x) != len(y) {
		return Trend{}, errors.New("x and y differ in length")
	}
	n := len(x)
	if n < 3 || floats.Max(x) == floats.Min(x) {
		return Trend{}, ErrTooFewPoints
	}
	a, b := stat.LinearRegression(x, y, nil, false)
	mx := stat.Mean(x, nil)
	var ssr, sxx float64
	for i := range x {
		r := y[i] - (a + b*x[i])
		ssr += r * r
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return Trend{
		Intercept: a,
		Slope:     b,
		SlopeSE:   math.Sqrt(ssr / float64(n-2) / sxx),
		R2:        stat.RSquared(x, y, nil, a, b),
		N:         n,
	}, nil
}

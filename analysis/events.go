package analysis

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// minEvents is the fewest events, both periods together, on which
// RateRatio will call a change.
const minEvents = 10

// RateRatioResult compares the rate of events in a second period with the
// rate in a first one. See RateRatio.
type RateRatioResult struct {
	RR    float64 // (c2/t2) / (c1/t1); +Inf when c1 = 0 < c2, NaN when c1 = c2 = 0
	Lower float64 // lower bound of the exact confidence interval for RR; 0 when c2 = 0
	Upper float64 // upper bound; +Inf when c1 = 0
	P     float64 // exact two-sided p-value of H0: equal rates (minimum likelihood)
	// PCentral is the exact two-sided p-value of the test the interval
	// inverts: twice the smaller tail, capped at 1. PCentral < 1−conf
	// exactly when [Lower, Upper] leaves out 1, so a page that shows it
	// beside the interval never contradicts itself.
	PCentral float64
	N        int    // c1 + c2
	Enough   bool   // whether there are enough events to call a change
	Reason   string // why not, in plain words for the page; "" when Enough
}

// RateRatio compares event counts in two periods: c1 events in t1 years of
// exposure, then c2 events in t2 years. The rate ratio is
//
//	RR = (c2/t2) / (c1/t1)
//
// so RR > 1 means events became more frequent. The test and interval are
// exact, conditional on the total n = c1 + c2: if the rates are equal, c2
// is Binomial(n, π₀) with π₀ = t2/(t1+t2).
//
// P is the two-sided p-value by the minimum-likelihood method (as R's
// binom.test and poisson.test): the sum of the Binomial(n, π₀)
// probabilities of every k with P(k) ≤ P(c2), using a relative tolerance
// of 1e-7 for ties, capped at 1. When π₀ = ½ (t1 = t2) this equals
// 2 × min(P(X ≤ c2), P(X ≥ c2)) capped at 1; otherwise it is smaller or
// equal. It is 1 when n = 0.
//
// Lower and Upper form the conf (e.g. 0.95) interval for RR from the
// Clopper–Pearson interval [πL, πU] for π = c2/n, with Beta quantiles
//
//	πL = Beta(c2, n−c2+1).Quantile((1−conf)/2),  0 when c2 = 0
//	πU = Beta(c2+1, n−c2).Quantile((1+conf)/2),  1 when c2 = n
//
// mapped by RR = π/(1−π) · t1/t2, so πU = 1 gives Upper = +Inf.
//
// Enough is false, with Reason saying why, when n < 10 or either count is
// zero (the ratio or a bound is then 0 or infinite); the numbers are still
// filled in but the page should not call a rise or fall on them.
//
// RateRatio returns an error when a count is negative, when t1 or t2 is not
// a positive finite number of years, or when conf is not strictly between
// 0 and 1.
func RateRatio(c1 int, t1 float64, c2 int, t2 float64, conf float64) (RateRatioResult, error) {
	switch {
	case c1 < 0 || c2 < 0:
		return RateRatioResult{}, fmt.Errorf("rate ratio: negative event count (%d, %d)", c1, c2)
	case !(t1 > 0) || !(t2 > 0) || math.IsInf(t1, 0) || math.IsInf(t2, 0):
		return RateRatioResult{}, fmt.Errorf("rate ratio: exposure times %v and %v years must be positive and finite", t1, t2)
	case !(conf > 0 && conf < 1):
		return RateRatioResult{}, errors.New("rate ratio: confidence level must be between 0 and 1")
	}
	n := c1 + c2
	r := RateRatioResult{
		RR: (float64(c2) / t2) / (float64(c1) / t1),
		N:  n,
	}

	pi0 := t2 / (t1 + t2)
	r.P = exactBinomialP(c2, n, pi0)
	r.PCentral = centralBinomialP(c2, n, pi0)

	alpha := 1 - conf
	lo, hi := 0.0, 1.0
	if c2 > 0 {
		lo = distuv.Beta{Alpha: float64(c2), Beta: float64(n - c2 + 1)}.Quantile(alpha / 2)
	}
	if c2 < n {
		hi = distuv.Beta{Alpha: float64(c2 + 1), Beta: float64(n - c2)}.Quantile(1 - alpha/2)
	}
	odds := func(p float64) float64 {
		if p >= 1 {
			return math.Inf(1)
		}
		return p / (1 - p) * t1 / t2
	}
	r.Lower, r.Upper = odds(lo), odds(hi)

	switch {
	case n == 0:
		r.Reason = "no events in either period: nothing to compare"
	case n < minEvents:
		r.Reason = fmt.Sprintf("only %d events in the two periods together: too few to call a change (at least %d needed)", n, minEvents)
	case c1 == 0:
		r.Reason = "no events in the first period: the ratio and its upper bound are infinite"
	case c2 == 0:
		r.Reason = "no events in the second period: the ratio and its lower bound are zero"
	default:
		r.Enough = true
	}
	return r, nil
}

// centralBinomialP returns twice the smaller tail of Binomial(n, p) at x,
// min(1, 2·min(P(X ≤ x), P(X ≥ x))); 1 when n = 0.
func centralBinomialP(x, n int, p float64) float64 {
	if n == 0 {
		return 1
	}
	b := distuv.Binomial{N: float64(n), P: p}
	lower := b.CDF(float64(x))
	upper := 1.0
	if x > 0 {
		upper = 1 - b.CDF(float64(x-1))
	}
	return math.Min(1, 2*math.Min(lower, upper))
}

// exactBinomialP returns the two-sided minimum-likelihood p-value of x
// successes in n trials with success probability p.
func exactBinomialP(x, n int, p float64) float64 {
	if n == 0 {
		return 1
	}
	b := distuv.Binomial{N: float64(n), P: p}
	d := b.Prob(float64(x)) * (1 + 1e-7)
	var sum float64
	for k := 0; k <= n; k++ {
		if pk := b.Prob(float64(k)); pk <= d {
			sum += pk
		}
	}
	return math.Min(sum, 1)
}

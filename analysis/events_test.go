package analysis_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// eventsBinomPMF is the Binomial(n, p) probability of k, computed with
// math.Lgamma independently of gonum's distuv.
func eventsBinomPMF(k, n int, p float64) float64 {
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x)); return v }
	return math.Exp(lg(n+1) - lg(k+1) - lg(n-k+1) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}

// eventsTail returns P(X ≥ k) (upper) or P(X ≤ k) for X ~ Binomial(n, p).
func eventsTail(k, n int, p float64, upper bool) float64 {
	var s float64
	for i := 0; i <= n; i++ {
		if (upper && i >= k) || (!upper && i <= k) {
			s += eventsBinomPMF(i, n, p)
		}
	}
	return s
}

func TestRateRatioHand(t *testing.T) {
	q := math.Pow(0.025, 0.1) // Clopper–Pearson bound for 10 of 10: πL^10 = 0.025
	for _, c := range []struct {
		name                string
		c1                  int
		t1                  float64
		c2                  int
		t2                  float64
		rr, p, lower, upper float64 // NaN: not checked here
		enough              bool
		reason              string // substring
	}{
		// π0 = ½; P(X ≥ 8 | 10, ½) = (45+10+1)/1024, doubled by symmetry.
		{"2 then 8 in five years each", 2, 5, 8, 5, 4, 2 * 56.0 / 1024, math.NaN(), math.NaN(), true, ""},
		// π0 = 2/3; P(k) = C(6,k)·2^k/729 = 1, 12, 60, 160, 240, 192, 64 (/729).
		// P(5) = 192/729; those ≤ it: k = 0, 1, 2, 3, 5, 6 → 489/729.
		// (2 × upper tail would be 2·256/729 = 0.702: not what is used.)
		{"1 in one year then 5 in two", 1, 1, 5, 2, 2.5, 489.0 / 729, math.NaN(), math.NaN(), false, "only 6 events"},
		// all 10 in the second period: P = 2/1024, RR and Upper infinite,
		// πL = 0.025^(1/10).
		{"none then 10", 0, 1, 10, 1, math.Inf(1), 2.0 / 1024, q / (1 - q), math.Inf(1), false, "no events in the first period"},
		// mirror image: πU = 1 − 0.025^(1/10).
		{"10 then none", 10, 1, 0, 1, 0, 2.0 / 1024, 0, (1 - q) / q, false, "no events in the second period"},
		{"nothing at all", 0, 3, 0, 3, math.NaN(), 1, 0, math.Inf(1), false, "no events in either period"},
		// unequal exposure: rates 12/4 = 3 and 12/2 = 6 per year.
		{"12 in four years, 12 in two", 12, 4, 12, 2, 2, math.NaN(), math.NaN(), math.NaN(), true, ""},
	} {
		r, err := analysis.RateRatio(c.c1, c.t1, c.c2, c.t2, 0.95)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		check := func(what string, got, want, tol float64) {
			t.Helper()
			switch {
			case math.IsNaN(want):
			case math.IsInf(want, 0):
				if got != want {
					t.Errorf("%s: %s = %v, want %v", c.name, what, got, want)
				}
			case math.Abs(got-want) > tol:
				t.Errorf("%s: %s = %.15g, want %.15g (±%g)", c.name, what, got, want, tol)
			}
		}
		check("RR", r.RR, c.rr, 1e-12)
		check("P", r.P, c.p, 1e-12)
		check("Lower", r.Lower, c.lower, 1e-9)
		check("Upper", r.Upper, c.upper, 1e-9)
		if r.N != c.c1+c.c2 || r.Enough != c.enough || !strings.Contains(r.Reason, c.reason) || (c.enough && r.Reason != "") {
			t.Errorf("%s: N %d Enough %v Reason %q; want %d %v %q", c.name, r.N, r.Enough, r.Reason, c.c1+c.c2, c.enough, c.reason)
		}
		if c.name == "nothing at all" && !math.IsNaN(r.RR) {
			t.Errorf("%s: RR = %v, want NaN", c.name, r.RR)
		}
	}
}

// TestRateRatioIndependent recomputes the p-value and checks the interval
// by the Clopper–Pearson definition, with binomial probabilities summed by
// hand (math.Lgamma) rather than gonum: at the lower bound πL,
// P(X ≥ c2) = α/2, and at the upper bound πU, P(X ≤ c2) = α/2, where
// π = RR·t2 / (RR·t2 + t1). Tolerances 1e-9.
func TestRateRatioIndependent(t *testing.T) {
	for _, c := range []struct {
		c1, c2 int
		t1, t2 float64
		conf   float64
	}{
		{2, 8, 5, 5, 0.95}, {1, 5, 1, 2, 0.95}, {14, 31, 5, 5, 0.95}, {40, 25, 5, 3, 0.9},
		{7, 3, 10, 5, 0.99}, {120, 180, 5, 5, 0.95}, {3, 17, 2, 7, 0.8},
	} {
		r, err := analysis.RateRatio(c.c1, c.t1, c.c2, c.t2, c.conf)
		if err != nil {
			t.Fatal(err)
		}
		n := c.c1 + c.c2
		pi0 := c.t2 / (c.t1 + c.t2)
		obs := eventsBinomPMF(c.c2, n, pi0)
		var p float64
		for k := 0; k <= n; k++ {
			if pk := eventsBinomPMF(k, n, pi0); pk <= obs*(1+1e-7) {
				p += pk
			}
		}
		p = math.Min(p, 1)
		if math.Abs(r.P-p) > 1e-9 {
			t.Errorf("%+v: P = %.12g, by hand %.12g", c, r.P, p)
		}
		toPi := func(rr float64) float64 { return rr * c.t2 / (rr*c.t2 + c.t1) }
		alpha := 1 - c.conf
		if got := eventsTail(c.c2, n, toPi(r.Lower), true); math.Abs(got-alpha/2) > 1e-9 {
			t.Errorf("%+v: P(X ≥ %d) at lower bound %v = %.12g, want %g", c, c.c2, r.Lower, got, alpha/2)
		}
		if got := eventsTail(c.c2, n, toPi(r.Upper), false); math.Abs(got-alpha/2) > 1e-9 {
			t.Errorf("%+v: P(X ≤ %d) at upper bound %v = %.12g, want %g", c, c.c2, r.Upper, got, alpha/2)
		}
		if !(r.Lower < r.RR && r.RR < r.Upper) {
			t.Errorf("%+v: RR %v outside [%v, %v]", c, r.RR, r.Lower, r.Upper)
		}
	}
}

func TestRateRatioErrors(t *testing.T) {
	for _, c := range []struct {
		name         string
		c1, c2       int
		t1, t2, conf float64
	}{
		{"negative count", -1, 5, 1, 1, 0.95},
		{"zero exposure", 1, 5, 0, 1, 0.95},
		{"negative exposure", 1, 5, 1, -2, 0.95},
		{"NaN exposure", 1, 5, math.NaN(), 1, 0.95},
		{"infinite exposure", 1, 5, 1, math.Inf(1), 0.95},
		{"conf 1", 1, 5, 1, 1, 1},
		{"conf 0", 1, 5, 1, 1, 0},
		{"conf 95 instead of 0.95", 1, 5, 1, 1, 95},
	} {
		if _, err := analysis.RateRatio(c.c1, c.t1, c.c2, c.t2, c.conf); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func ExampleRateRatio() {
	// 2 events in 2015–2019, 8 in 2020–2024.
	r, err := analysis.RateRatio(2, 5, 8, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("RR %.1f, 95%% CI %.2f–%.1f, p = %.3f, enough: %v\n", r.RR, r.Lower, r.Upper, r.P, r.Enough)
	r, _ = analysis.RateRatio(1, 5, 4, 5, 0.95)
	fmt.Println(r.Reason)
	// Output:
	// RR 4.0, 95% CI 0.80–38.7, p = 0.109, enough: true
	// only 5 events in the two periods together: too few to call a change (at least 10 needed)
}

// TestRateRatioCentralAgreesWithInterval checks, over a grid of counts and
// exposures, that the central p-value is below 1 − conf exactly when the
// Clopper–Pearson interval leaves out 1 (borderline cases, within 1e-6 of
// the level or of 1, excepted).
func TestRateRatioCentralAgreesWithInterval(t *testing.T) {
	const conf = 0.95
	for _, t2 := range []float64{1, 3, 5, 10} {
		for c1 := 0; c1 <= 30; c1++ {
			for c2 := 0; c2 <= 30; c2++ {
				r, err := analysis.RateRatio(c1, 5, c2, t2, conf)
				if err != nil {
					t.Fatal(err)
				}
				excludes := r.Lower > 1+1e-9 || r.Upper < 1-1e-9
				significant := r.PCentral < 1-conf-1e-9
				borderline := math.Abs(r.PCentral-(1-conf)) < 1e-6 || math.Abs(r.Lower-1) < 1e-6 || math.Abs(r.Upper-1) < 1e-6
				if excludes != significant && !borderline {
					t.Errorf("c1=%d c2=%d t2=%v: interval %.4f–%.4f, central p %.4f", c1, c2, t2, r.Lower, r.Upper, r.PCentral)
				}
			}
		}
	}
}

// TestRateRatioCentralScipy checks PCentral against scipy.stats:
// min(1, 2·min(binom.cdf(8, 12, 0.3), binom.sf(7, 12, 0.3))) =
// 0.01897874225999999 for 4 events in 7 years, then 8 in 3.
func TestRateRatioCentralScipy(t *testing.T) {
	r, err := analysis.RateRatio(4, 7, 8, 3, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.PCentral-0.01897874225999999) > 1e-12 {
		t.Errorf("PCentral = %.17g, scipy 0.01897874225999999", r.PCentral)
	}
}

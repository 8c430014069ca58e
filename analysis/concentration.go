package analysis

import "math"

// HHI returns the Herfindahl–Hirschman index of values, the sum of the
// squared shares in percent:
//
//	HHI = Σᵢ (100 · vᵢ / Σⱼ vⱼ)²
//
// It runs from 10,000/n for n equal values up to 10,000 when one value
// holds everything (the 2023 US merger guidelines call markets above 1,800
// "highly concentrated"). Units of values cancel out (TIV, counts, …). Zero
// values are allowed and add nothing. HHI returns NaN for empty input,
// when the values sum to zero, and when any value is NaN, infinite or
// negative: a share of a negative volume has no meaning, so a negative
// value is treated as bad data rather than netted off.
func HHI(values []float64) float64 {
	var sum float64
	for _, v := range values {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN()
		}
		sum += v
	}
	if sum == 0 {
		return math.NaN()
	}
	var h float64
	for _, v := range values {
		s := 100 * v / sum
		h += s * s
	}
	return h
}

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

// Concentration returns how concentrated recipient's arms imports over p
// are among its suppliers: the HHI of the suppliers' TIV (see HHI and
// RankSuppliers), and the largest supplier with its TIV and share. With
// no transfers to recipient in p, hhi is NaN and top is the zero Ranked.
// NaN or negative TIV makes hhi NaN.
func Concentration(ts []Transfer, recipient string, p Period) (hhi float64, top Ranked) {
	return concentration(RankSuppliers(ts, recipient, p, 0))
}

// ExportConcentration returns how concentrated supplier's arms exports
// over p are among its customers: the HHI of the recipients' TIV (see HHI
// and RankRecipients), and the largest recipient. Empty input and NaN are
// handled as in Concentration.
func ExportConcentration(ts []Transfer, supplier string, p Period) (hhi float64, top Ranked) {
	return concentration(RankRecipients(ts, supplier, p, 0))
}

func concentration(rs []Ranked) (float64, Ranked) {
	if len(rs) == 0 {
		return math.NaN(), Ranked{}
	}
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.TIV
	}
	return HHI(v), rs[0]
}

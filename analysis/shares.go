package analysis

import "math"

// Share is a part of a total over a period, both in millions of TIV.
type Share struct {
	Period Period
	Part   float64 // e.g. TIV delivered by the supplier to the recipient
	Total  float64 // e.g. TIV of all the recipient's imports
}

// Percent returns 100 × Part / Total, or NaN when Total is zero (no
// deliveries in the period: the share is undefined, not zero).
func (s Share) Percent() float64 {
	if s.Total == 0 {
		return math.NaN()
	}
	return 100 * s.Part / s.Total
}

// SupplierShare returns supplier's share of recipient's arms imports over
// p: the TIV that supplier delivered to recipient in the period, over the
// TIV that all suppliers delivered to recipient in it.
//
//	share = Σ TIV(supplier→recipient, y) / Σ TIV(*→recipient, y),  y ∈ p
func SupplierShare(ts []Transfer, supplier, recipient string, p Period) Share {
	return share(ts, p, func(t Transfer) bool { return t.Recipient == recipient }, func(t Transfer) bool { return t.Supplier == supplier })
}

// RecipientShare returns recipient's share of supplier's arms exports over
// p: the TIV that supplier delivered to recipient in the period, over the
// TIV that supplier delivered to all recipients in it.
//
//	share = Σ TIV(supplier→recipient, y) / Σ TIV(supplier→*, y),  y ∈ p
func RecipientShare(ts []Transfer, supplier, recipient string, p Period) Share {
	return share(ts, p, func(t Transfer) bool { return t.Supplier == supplier }, func(t Transfer) bool { return t.Recipient == recipient })
}

// share sums over p the TIV of the transfers in whole (Total) and of those
// of them also in part (Part).
func share(ts []Transfer, p Period, whole, part func(Transfer) bool) Share {
	s := Share{Period: p}
	for _, t := range ts {
		if !p.Contains(t.Year) || !whole(t) {
			continue
		}
		s.Total += t.TIV
		if part(t) {
			s.Part += t.TIV
		}
	}
	return s
}

// YearlyTIV returns the TIV delivered from supplier to recipient in each
// year from..to (one value per year, zero where nothing was delivered).
// An empty supplier or recipient matches any country, so
// YearlyTIV(ts, "", "Pakistan", …) is Pakistan's imports from all
// suppliers. It returns nil when from > to.
func YearlyTIV(ts []Transfer, supplier, recipient string, from, to int) []float64 {
	if from > to {
		return nil
	}
	v := make([]float64, to-from+1)
	for _, t := range ts {
		if t.Year < from || t.Year > to ||
			(supplier != "" && t.Supplier != supplier) ||
			(recipient != "" && t.Recipient != recipient) {
			continue
		}
		v[t.Year-from] += t.TIV
	}
	return v
}

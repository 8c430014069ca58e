package analysis

import (
	"cmp"
	"math"
	"slices"
)

// Ranked is one line of a ranking of trade partners over a period.
type Ranked struct {
	Name    string  // partner country, or "others" when Others is true
	TIV     float64 // millions of TIV delivered in the period, unrounded
	Percent float64 // 100 × TIV / TIV of all partners; NaN when that total is 0
	Others  bool    // the line sums every partner below the top N
}

// othersName is the Name of the line that sums the partners below the top N.
const othersName = "others"

// RankSuppliers ranks the suppliers of recipient's arms imports over p by
// TIV delivered, largest first, ties broken by name:
//
//	TIV(s)     = Σ TIV(s→recipient, y),  y ∈ p
//	Percent(s) = 100 × TIV(s) / Σₛ TIV(s)
//
// Percent equals SupplierShare(ts, s, recipient, p).Percent(). An empty
// recipient matches every recipient, so RankSuppliers(ts, "", p, 10) is the
// world's top ten exporters. When there are more than topN suppliers, the
// ones below the top topN are summed into one last line with Others set and
// Name "others"; topN <= 0 keeps every supplier. A supplier is listed when
// it has at least one transfer in p, even of zero TIV. NaN TIV propagates
// into its supplier's total and every Percent, as in SupplierShare, and
// sorts last. The result is nil when no transfer matches (including when p
// is not Valid).
func RankSuppliers(ts []Transfer, recipient string, p Period, topN int) []Ranked {
	return rank(ts, p, topN, func(t Transfer) (string, bool) {
		return t.Supplier, recipient == "" || t.Recipient == recipient
	})
}

// RankRecipients ranks the recipients of supplier's arms exports over p by
// TIV delivered, largest first, ties broken by name:
//
//	TIV(r)     = Σ TIV(supplier→r, y),  y ∈ p
//	Percent(r) = 100 × TIV(r) / Σᵣ TIV(r)
//
// Percent equals RecipientShare(ts, supplier, r, p).Percent(). An empty
// supplier matches every supplier (the world's top importers). topN, the
// "others" line, zero-TIV partners, NaN and empty results are handled as
// in RankSuppliers.
func RankRecipients(ts []Transfer, supplier string, p Period, topN int) []Ranked {
	return rank(ts, p, topN, func(t Transfer) (string, bool) {
		return t.Recipient, supplier == "" || t.Supplier == supplier
	})
}

// rank sums TIV in p by the partner that match returns for each transfer
// it accepts, then sorts and cuts the list as RankSuppliers documents.
func rank(ts []Transfer, p Period, topN int, match func(Transfer) (string, bool)) []Ranked {
	sums := make(map[string]float64)
	var total float64
	for _, t := range ts {
		if !p.Contains(t.Year) {
			continue
		}
		name, ok := match(t)
		if !ok {
			continue
		}
		sums[name] += t.TIV
		total += t.TIV
	}
	if len(sums) == 0 {
		return nil
	}
	rs := make([]Ranked, 0, len(sums))
	for name, v := range sums {
		rs = append(rs, Ranked{Name: name, TIV: v})
	}
	// cmp.Compare orders NaN before every number, so NaN sorts last here.
	slices.SortFunc(rs, func(a, b Ranked) int {
		if c := cmp.Compare(b.TIV, a.TIV); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	if topN > 0 && len(rs) > topN {
		others := Ranked{Name: othersName, Others: true}
		for _, r := range rs[topN:] {
			others.TIV += r.TIV
		}
		rs = append(rs[:topN], others)
	}
	for i := range rs {
		rs[i].Percent = Share{Part: rs[i].TIV, Total: total}.Percent()
	}
	return rs
}

// Change returns SIPRI's percentage change between two periods' TIV totals,
//
//	pct = (t2/t1 − 1) × 100,
//
// e.g. 1000 → 1250 is +25 and 1000 → 500 is −50. ok is false, and pct NaN,
// when t1 is zero (no deliveries in the first period: SIPRI shows "n/a")
// or when either value is NaN or infinite.
func Change(t1, t2 float64) (pct float64, ok bool) {
	if t1 == 0 || math.IsNaN(t1) || math.IsNaN(t2) || math.IsInf(t1, 0) || math.IsInf(t2, 0) {
		return math.NaN(), false
	}
	return (t2/t1 - 1) * 100, true
}

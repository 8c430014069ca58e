// Package analysis computes the statistics armsdash shows: shares of arms
// imports and exports by period, event counts, and the rounding SIPRI uses
// to display them. Functions take plain values and return plain values;
// there is no I/O and no global state.
//
// TIV (SIPRI trend-indicator value) is a volume measure, not money. Shares
// are computed from unrounded TIV of deliveries, summed by delivery year.
package analysis

import (
	"fmt"
	"math"
	"strconv"
)

// Transfer is the TIV that Supplier delivered to Recipient in Year.
type Transfer struct {
	Supplier  string
	Recipient string
	Year      int
	TIV       float64 // millions of SIPRI TIV
}

// Period is an inclusive range of years.
type Period struct {
	From, To int
}

// String formats the period as "2017–2021" (en dash), or "2021" for one year.
func (p Period) String() string {
	if p.From == p.To {
		return strconv.Itoa(p.From)
	}
	return fmt.Sprintf("%d–%d", p.From, p.To)
}

// Contains reports whether year lies in the period.
func (p Period) Contains(year int) bool { return year >= p.From && year <= p.To }

// Valid reports whether the period is non-empty.
func (p Period) Valid() bool { return p.From <= p.To }

// FivePeriods splits from..to into consecutive 5-year periods (SIPRI's usual
// window) that end at to, oldest first, e.g. FivePeriods(1995, 2024) gives
// 1995–1999 … 2020–2024. Years before the first whole period are left out;
// when the range is shorter than five years the result is empty.
func FivePeriods(from, to int) []Period {
	var ps []Period
	for end := to; end-4 >= from; end -= 5 {
		ps = append(ps, Period{end - 4, end})
	}
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
	return ps
}

// FormatPercent formats a percentage as SIPRI displays shares: rounded to an
// integer at or above 10%, to one decimal below it ("72%", "4.7%", "0.0%").
// NaN and infinities give "n/a". Rounding is half away from zero, applied
// to the unrounded value only when displaying (see RoundPercent).
func FormatPercent(pct float64) string {
	if math.IsNaN(pct) || math.IsInf(pct, 0) {
		return "n/a"
	}
	r, decimals := RoundPercent(pct)
	return strconv.FormatFloat(r, 'f', decimals, 64) + "%"
}

// RoundPercent rounds a percentage as SIPRI displays shares, the rule of
// FormatPercent: to a whole number at or above 10% (or when one decimal
// would give 10.0), to one decimal below, half away from zero. It returns
// the rounded value and its decimals, 0 or 1, for charts and tables that
// show the number without the sign. NaN and infinities are returned as
// they are, with 0 decimals.
func RoundPercent(pct float64) (float64, int) {
	switch {
	case math.IsNaN(pct) || math.IsInf(pct, 0):
		return pct, 0
	case math.Abs(pct) >= 10 || math.Round(math.Abs(pct)*10)/10 >= 10:
		return math.Round(pct), 0
	}
	return math.Round(pct*10) / 10, 1
}

// FormatChange formats a change between periods as SIPRI displays it: the
// rounding of FormatPercent, with a sign: "+5.1%", "−64%" (a minus sign,
// U+2212), "0.0%" when it rounds to zero. NaN and infinities give "n/a".
func FormatChange(pct float64) string {
	s := FormatPercent(math.Abs(pct))
	switch {
	case s == "n/a" || s == "0.0%":
		return s
	case pct < 0:
		return "−" + s
	}
	return "+" + s
}

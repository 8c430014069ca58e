package web

import (
	"math"
	"strconv"
	"strings"
)

// Value-axis ticks as ECharts computes them for the page's charts, so that
// the server-drawn images label their axes exactly as the page does.

// splitNumber is ECharts' default number of intervals of a value axis.
const splitNumber = 5

// echartsNice is ECharts' numberUtil.nice(v, true): the number of the form
// f × 10^e (f in 1, 2, 3, 5, 10) nearest v, rounding f at 1.5, 2.5, 4
// and 7. It is 1 for v ≤ 0.
func echartsNice(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(v))
	exp10 := math.Pow(10, exp)
	f := v / exp10
	var nf float64
	switch {
	case f < 1.5:
		nf = 1
	case f < 2.5:
		nf = 2
	case f < 4:
		nf = 3
	case f < 7:
		nf = 5
	default:
		nf = 10
	}
	return roundTo(nf*exp10, int(-exp)+1)
}

// roundTo rounds v to d decimals (d may be negative).
func roundTo(v float64, d int) float64 {
	if d < 0 {
		d = 0
	}
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// decimalsOf is the number of decimals of a nice interval (0 for whole
// numbers), as ECharts' getPrecision gives it.
func decimalsOf(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// axisScale is a value axis: its extent, its ticks and how they are
// written.
type axisScale struct {
	Min, Max float64
	Log      bool
	Ticks    []float64
	Percent  bool // labels end in "%"
}

// linearScale is the value axis ECharts draws for data from lo to hi
// (zero is always included, as for bars): interval = nice(span / 5), at
// least minInterval when it is positive; the extent is widened to whole
// intervals unless fixedMax (then it is hi, e.g. 100 for percentages). An
// empty or flat extent becomes 0 to 1.
func linearScale(lo, hi, minInterval float64, fixedMax bool) axisScale {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	interval := echartsNice((hi - lo) / splitNumber)
	if minInterval > 0 && interval < minInterval {
		interval = minInterval
	}
	prec := decimalsOf(interval) + 2
	s := axisScale{Min: roundTo(math.Floor(lo/interval)*interval, prec), Max: hi}
	if !fixedMax {
		s.Max = roundTo(math.Ceil(hi/interval)*interval, prec)
	}
	for i := 0; ; i++ {
		v := roundTo(s.Min+float64(i)*interval, prec)
		if v > s.Max+interval*1e-9 {
			break
		}
		s.Ticks = append(s.Ticks, v)
	}
	return s
}

// logScale is ECharts' log axis (base 10) for positive data from lo to
// hi: ticks at powers of ten, every power when the data span up to five
// of them, else every tenth, hundredth… power (ECharts' quantity rule),
// the extent widened to whole ticks.
func logScale(lo, hi float64) axisScale {
	if !(lo > 0) || !(hi > 0) || math.IsInf(hi, 0) {
		lo, hi = 1, 10
	}
	a, b := math.Log10(lo), math.Log10(hi)
	if b-a < 1e-12 {
		a, b = math.Floor(a), math.Floor(a)+1
	}
	span := b - a
	interval := math.Pow(10, math.Floor(math.Log10(span)))
	if splitNumber/span*interval <= 0.5 {
		interval *= 10
	}
	for interval < 1 {
		interval *= 10
	}
	a, b = math.Floor(a/interval)*interval, math.Ceil(b/interval)*interval
	s := axisScale{Min: math.Pow(10, a), Max: math.Pow(10, b), Log: true}
	for e := a; e <= b+1e-9; e += interval {
		s.Ticks = append(s.Ticks, roundTo(math.Pow(10, e), max(0, int(-e)+1)))
	}
	return s
}

// pos returns where v lies on the axis, 0 at Min and 1 at Max.
func (s axisScale) pos(v float64) float64 {
	if s.Log {
		if v <= 0 {
			return 0
		}
		return (math.Log10(v) - math.Log10(s.Min)) / (math.Log10(s.Max) - math.Log10(s.Min))
	}
	return (v - s.Min) / (s.Max - s.Min)
}

// label writes a tick as the page's axis does: thousands separated by
// commas, no trailing zeros, "%" after percentages.
func (s axisScale) label(v float64) string {
	out := addCommas(v)
	if s.Percent {
		out += "%"
	}
	return out
}

// addCommas is ECharts' formatUtil.addCommas: the number in its shortest
// decimal form with a comma between each group of three digits before
// the point, e.g. 12500.5 → "12,500.5".
func addCommas(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

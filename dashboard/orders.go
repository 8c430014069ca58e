package dashboard

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/armsdash/armsdash/data"
)

// Orders is what one trade register says of one supplier's orders from one
// recipient: the TIV ordered, by year of order, and the backlog, what was
// ordered but not delivered by the register's date. Figures are SIPRI TIV
// in millions (a volume measure, not money), unrounded.
//
// For each deal SIPRI gives "SIPRI TIV for total order" (Deal.TIVOrder;
// empty when it lacks the number ordered or the TIV per unit) and "SIPRI
// TIV of delivered weapons" (Deal.TIVDelivered). OrderedTIV sums TIVOrder
// over the pair's deals, an empty one adding 0 (UnknownOrder counts
// them). A deal's backlog is max(0, TIVOrder − TIVDelivered): a deal
// delivered in full, or whose deliveries SIPRI values above its order,
// has none, and so has one whose TIVOrder is empty. BacklogTIV sums the
// backlogs, and Backlog lists the deals that have one.
type Orders struct {
	Supplier, Recipient string
	Register            data.Dataset
	Deals               int // deals of the pair in the register
	OrderedTIV          float64
	BacklogTIV          float64
	// Backlog lists the deals with a backlog, by DealOrder.
	Backlog []BacklogDeal
	// ByOrderYear sums TIVOrder by year of order, ascending, one entry
	// per year with a deal; the deals without a year of order add
	// NoOrderYearTIV instead.
	ByOrderYear    []YearTIV
	NoOrderYearTIV float64
	UnknownOrder   int // deals whose TIV for total order SIPRI does not give
}

// BacklogDeal is a deal and its backlog, TIVOrder − TIVDelivered.
type BacklogDeal struct {
	Deal    *data.Deal
	Backlog float64
}

// YearTIV is a year's TIV, in millions.
type YearTIV struct {
	Year int     `json:"year"`
	TIV  float64 `json:"tiv"`
}

// NoOrderColumns is the *NotDrawableError of a register that gives no
// order figures (SIPRI's legacy report): it names the columns missing.
func NoOrderColumns(ds data.Dataset) *NotDrawableError {
	return &NotDrawableError{Msg: fmt.Sprintf("%s (%s) has no order columns: it is SIPRI's legacy register report, without “SIPRI TIV for total order” and “SIPRI TIV of delivered weapons”, so it gives neither the TIV ordered nor the backlog. A current trade register export of the SIPRI Arms Transfers Database has both.",
		ds.Name, ds.Label())}
}

// Orders sums the orders of supplier to recipient in r (see Orders). A
// register without TIV figures is NoOrderColumns; a pair without deals
// gives zero sums.
func (r *Register) Orders(supplier, recipient string) (*Orders, error) {
	if !r.HasTIV() {
		return nil, NoOrderColumns(r.Set.Dataset)
	}
	o := &Orders{Supplier: supplier, Recipient: recipient, Register: r.Set.Dataset}
	byYear := map[int]float64{}
	for _, d := range r.Deals(supplier, recipient) {
		o.Deals++
		if d.TIVOrderUnknown {
			o.UnknownOrder++
		}
		o.OrderedTIV += d.TIVOrder
		if d.OrderYear == 0 {
			o.NoOrderYearTIV += d.TIVOrder
		} else {
			byYear[d.OrderYear] += d.TIVOrder
		}
		if b := d.TIVOrder - d.TIVDelivered; b > 0 {
			o.BacklogTIV += b
			o.Backlog = append(o.Backlog, BacklogDeal{Deal: d, Backlog: b})
		}
	}
	for y, v := range byYear {
		o.ByOrderYear = append(o.ByOrderYear, YearTIV{Year: y, TIV: v})
	}
	slices.SortFunc(o.ByOrderYear, func(a, b YearTIV) int { return cmp.Compare(a.Year, b.Year) })
	return o, nil
}

// OrderedIn returns the TIV ordered in each year from from to to, 0 in a
// year without orders.
func (o *Orders) OrderedIn(from, to int) []float64 {
	out := make([]float64, max(0, to-from+1))
	for _, y := range o.ByOrderYear {
		if y.Year >= from && y.Year <= to {
			out[y.Year-from] = y.TIV
		}
	}
	return out
}

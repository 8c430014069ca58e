package dashboard

import (
	"fmt"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// RateConfidence is the level of the rate ratio's confidence interval.
const RateConfidence = 0.95

// MinEventYears is the fewest years with events, in a dyad query's
// period, on which the lagged correlation and the rate-ratio test are
// computed at all: with events in fewer years, one article or one visit
// decides the result.
const MinEventYears = 5

// DyadStats is what a dyad view shows beside its charts: the whole-period
// shares, the change between the last two five-year periods, the rate of
// events between the two countries in those periods, the lagged
// correlation of events and deliveries, and the years of dated events.
type DyadStats struct {
	Query  DyadQuery
	Shares *Shares
	// Change is nil when the period holds fewer than two five-year
	// periods.
	Change *DyadChange
	Events PairEvents
	// Rates is nil when the period holds fewer than two five-year periods.
	Rates *RateComparison
	Lags  []analysis.LagResult
	// Markers are the years of the period with dated events of the pair.
	Markers []Marker
	// YearsWithEvents counts the years of the period with dated events;
	// Years the years of the period. With YearsWithEvents below
	// MinEventYears, Rates and Lags are nil and TooFew says why.
	YearsWithEvents, Years int
	TooFew                 string
}

// DyadChange compares deliveries in the last two five-year periods of a
// dyad query.
type DyadChange struct {
	First, Second analysis.Period
	Rows          []ChangeRow
}

// ChangeRow is one line of a DyadChange: deliveries in each period and
// the change between them, (second ÷ first − 1) × 100.
type ChangeRow struct {
	What string
	// Held is false when the flow set does not hold these deliveries in
	// full; Why then says which side is missing.
	Held          bool
	Why           string
	First, Second float64
	// Percent is the change; ChangeOK is false when the first period had
	// no deliveries, which leaves the change undefined.
	Percent  float64
	ChangeOK bool
}

// PairEvents counts the events between the two countries, either way
// round, from the snapshot's event counts.
type PairEvents struct {
	// Dated and Undated count the events with and without a known year.
	Dated, Undated int
	// PerYear counts dated events by year, all years.
	PerYear map[int]int
	// Weighted sums the dated events by year weighted by Weight (with
	// WeightEvents, PerYear's counts).
	Weight   EventWeight
	Weighted map[int]int64
}

// RateComparison is the rate ratio of events between two periods.
type RateComparison struct {
	First, Second analysis.Period
	// C1 and C2 count the events in each; Outside those dated in neither.
	C1, C2, Outside int
	Result          analysis.RateRatioResult
}

// Marker is one year with dated events of a pair: how many, and the
// events themselves when the snapshot holds their rows.
type Marker struct {
	Year   int
	Count  int
	Events []data.Event
}

// DyadStats computes the statistics of a validated dyad query over fi.
func (d *Dashboard) DyadStats(fi *FlowIndex, q DyadQuery) (*DyadStats, error) {
	st := &DyadStats{Query: q}
	st.Shares = fi.Shares(ShareQuery{Supplier: q.Supplier, Recipient: q.Recipient, From: q.From, To: q.To, Dataset: fi.Set.Dataset.Name})
	periods := analysis.FivePeriods(q.From, q.To)
	if len(periods) >= 2 {
		st.Change = fi.dyadChange(q, periods[len(periods)-2], periods[len(periods)-1])
	}
	st.Events = d.PairEvents(q.Supplier, q.Recipient, q.Weight)
	st.Years = q.To - q.From + 1
	for y, n := range st.Events.PerYear {
		if n > 0 && q.Period().Contains(y) {
			st.YearsWithEvents++
		}
	}
	st.Markers = d.markers(q, st.Events)
	if st.YearsWithEvents < MinEventYears {
		st.TooFew = fmt.Sprintf("Too few years with events to correlate (%d of %d years).", st.YearsWithEvents, st.Years)
		return st, nil
	}
	if st.Change != nil {
		rc, err := st.Events.Compare(st.Change.First, st.Change.Second)
		if err != nil {
			return nil, err
		}
		st.Rates = &rc
	}
	years := make([]int, 0, q.To-q.From+1)
	for y := q.From; y <= q.To; y++ {
		years = append(years, y)
	}
	st.Lags = analysis.LaggedCorrelation(years, st.Events.Yearly(q.From, q.To), fi.Yearly(q.Supplier, q.Recipient, q.From, q.To), -3, 3)
	return st, nil
}

// dyadChange compares deliveries in p1 and p2: the supplier's to the
// recipient, the reverse, the recipient's imports and the supplier's
// exports, each only where fi holds it in full.
func (fi *FlowIndex) dyadChange(q DyadQuery, p1, p2 analysis.Period) *DyadChange {
	c := fi.Coverage
	row := func(what string, held bool, why, supplier, recipient string) ChangeRow {
		r := ChangeRow{What: what, Held: held, Why: why}
		if held {
			r.First, r.Second = fi.Total(supplier, recipient, p1), fi.Total(supplier, recipient, p2)
			r.Percent, r.ChangeOK = analysis.Change(r.First, r.Second)
		}
		return r
	}
	const notHeld = "not held in full by this dataset"
	return &DyadChange{First: p1, Second: p2, Rows: []ChangeRow{
		row(q.Supplier+" → "+q.Recipient, true, "", q.Supplier, q.Recipient),
		row(q.Recipient+" → "+q.Supplier, c.ImportsComplete(q.Supplier), q.Supplier+"'s imports are "+notHeld, q.Recipient, q.Supplier),
		row(q.Recipient+"'s imports from all suppliers", c.ImportsComplete(q.Recipient), notHeld, "", q.Recipient),
		row(q.Supplier+"'s exports to all recipients", c.ExportsComplete(q.Supplier), notHeld, q.Supplier, ""),
	}}
}

// Yearly returns the dated events of e in each year from from to to,
// weighted by e.Weight: the series the lagged correlation reads.
func (e PairEvents) Yearly(from, to int) []float64 {
	if from > to {
		return nil
	}
	out := make([]float64, to-from+1)
	for y, n := range e.Weighted {
		if y >= from && y <= to {
			out[y-from] += float64(n)
		}
	}
	return out
}

// Compare counts the dated events of e in p1 and p2 and computes their
// rate ratio (RateConfidence interval, exposure the periods' lengths). It
// counts events, whatever e.Weight: the test takes the counts for Poisson
// counts of independent occurrences, which the sources or articles
// reporting one event are not.
func (e PairEvents) Compare(p1, p2 analysis.Period) (RateComparison, error) {
	rc := RateComparison{First: p1, Second: p2}
	for y, n := range e.PerYear {
		switch {
		case p1.Contains(y):
			rc.C1 += n
		case p2.Contains(y):
			rc.C2 += n
		default:
			rc.Outside += n
		}
	}
	var err error
	rc.Result, err = analysis.RateRatio(rc.C1, float64(p1.To-p1.From+1), rc.C2, float64(p2.To-p2.From+1), RateConfidence)
	if err != nil {
		return rc, fmt.Errorf("rate ratio: %w", err)
	}
	return rc, nil
}

// markers returns the years of q's period with dated events of the pair,
// with the events when the snapshot holds their rows.
func (d *Dashboard) markers(q DyadQuery, ev PairEvents) []Marker {
	p := q.Period()
	byYear := map[int][]data.Event{}
	for _, e := range d.EventsBetween(q.Supplier, q.Recipient) {
		if y := e.Year(); y != 0 && p.Contains(y) {
			byYear[y] = append(byYear[y], e)
		}
	}
	var out []Marker
	for y := q.From; y <= q.To; y++ {
		if ev.PerYear[y] > 0 {
			out = append(out, Marker{Year: y, Count: ev.PerYear[y], Events: byYear[y]})
		}
	}
	return out
}

package dashboard

import (
	"math"

	"github.com/armsdash/armsdash/analysis"
	"gonum.org/v1/gonum/floats"
)

// CountrySide is one side of a country's trade over a period: its
// suppliers (imports) or customers (exports) ranked, or why the flow set
// cannot give them.
type CountrySide struct {
	Imports bool
	// Reason says why the side is not shown; "" when it is.
	Reason string
	// Ranking holds the top ten partners and the HHI of all; nil when
	// Reason is set.
	Ranking *Ranking
	// Total is the TIV of the side over the period when the set holds it
	// only as a total (an extract's exports), else nil.
	Total *float64
}

// CountrySideOf ranks one side of q's country, top ten partners.
func (fi *FlowIndex) CountrySideOf(q CountryQuery, imports bool) CountrySide {
	side := CountrySide{Imports: imports}
	rq := RankingQuery{Side: SideRecipient, Country: q.Name, Period: q.Period(), Top: 10}
	if imports {
		if side.Reason = fi.ImportsReason(q.Name); side.Reason != "" {
			return side
		}
	} else {
		rq.Side = SideSupplier
		switch {
		case !fi.Coverage.ExportsComplete(q.Name):
			side.Reason = fi.ExportsReason(q.Name)
			return side
		case !fi.Coverage.CustomersByCountry(q.Name):
			side.Reason = fi.CustomersUnavailable(q.Name)
			side.Total = ptr(Clean(fi.Total(q.Name, "", q.Period())))
			return side
		}
	}
	side.Ranking = fi.Ranking(rq)
	return side
}

// CountryYearly is one side of a country's trade per year over a period,
// with five-year moving sums and, for imports, the OLS trend.
type CountryYearly struct {
	Imports bool
	From    int
	// Values are the yearly TIV from From on.
	Values []float64
	// MovingSum[i] adds year From+i and the four before, also before the
	// period where the data reach back; NaN where they do not (before
	// MinYear+4).
	MovingSum []float64
	// Trend is the OLS fit of the yearly values on the year; nil when it
	// cannot be fitted (fewer than 3 years, or the same value every year:
	// Constant) or for exports.
	Trend    *analysis.Trend
	Constant bool
}

// CountryYearlyOf returns q's country's imports (or exports) per year.
// The caller checks first that fi holds that side in full.
func (fi *FlowIndex) CountryYearlyOf(q CountryQuery, imports bool) CountryYearly {
	start := max(q.From-4, fi.Coverage.MinYear)
	supplier, recipient := q.Name, ""
	if imports {
		supplier, recipient = "", q.Name
	}
	longer := fi.Yearly(supplier, recipient, start, q.To)
	cy := CountryYearly{Imports: imports, From: q.From, Values: longer[q.From-start:]}
	cy.MovingSum = make([]float64, len(cy.Values))
	for i := range cy.MovingSum {
		cy.MovingSum[i] = math.NaN()
	}
	for i, v := range analysis.MovingSum(longer, 5) {
		if j := start + i + 4 - q.From; j >= 0 {
			cy.MovingSum[j] = v
		}
	}
	if imports {
		x := make([]float64, len(cy.Values))
		for i := range x {
			x[i] = float64(q.From + i)
		}
		cy.Constant = len(cy.Values) > 1 && floats.Max(cy.Values) == floats.Min(cy.Values)
		if tr, err := analysis.LinearTrend(x, cy.Values); err == nil && !cy.Constant {
			cy.Trend = &tr
		}
	}
	return cy
}

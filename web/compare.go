package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// /compare: several countries' yearly arms imports (or exports) on one
// chart, one line each, e.g. /compare?country=India~Pakistan~China.

// compareChartQuery is the validated query of the comparison chart.
type compareChartQuery = flowQuery[dashboard.CompareQuery]

// parseCompare reads a comparison.
var parseCompare = flowParser((*dashboard.Dashboard).ParseCompare)

// compareChart builds /compare/countries: one line per country, the yearly
// TIV it imported (or exported); n/a where the flow set does not hold that
// side of the country in full.
func compareChart(_ *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q := cq.(compareChartQuery)
	fi, cmp := q.fi, q.Q
	what, verb := "imports", "imported"
	if cmp.Measure == dashboard.SideExports {
		what, verb = "exports", "exported"
	}
	ser := yearlyTIV(fi, cmp.Period())
	ser.ID = "chart-compare"
	ser.Title = fmt.Sprintf("Arms %s per year, %s: %s", what, cmp.Period(), strings.Join(cmp.Countries, ", "))
	ser.File = fmt.Sprintf("armsdash_compare_%s_%s_%d-%d", what, slug(strings.Join(cmp.Countries, "-")), cmp.From, cmp.To)
	for _, c := range cmp.Countries {
		supplier, recipient, reason := "", c, fi.ImportsReason(c)
		if cmp.Measure == dashboard.SideExports {
			supplier, recipient, reason = c, "", fi.ExportsReason(c)
		}
		vals := fi.Yearly(supplier, recipient, cmp.From, cmp.To)
		for i := range vals {
			vals[i] = round(vals[i], 2)
			if reason != "" {
				vals[i] = math.NaN()
			}
		}
		if reason != "" {
			ser.Notes = append(ser.Notes, reason)
		}
		ser.Series = append(ser.Series, Named{Name: fmt.Sprintf("%s, TIV %s", c, verb), Values: vals})
	}
	ser.Notes = append(ser.Notes, "A year with no deliveries recorded shows 0. Values are rounded to 0.01 million TIV.")
	b := flowChart(fi, ser, q.Values(), cmp.Period().String())
	b.rows = func() dataTable {
		return flowRows(fi, cmp.Period(), func(f data.Flow) bool {
			for _, c := range cmp.Countries {
				if cmp.Measure == dashboard.SideExports && f.Supplier == c || cmp.Measure == dashboard.SideImports && f.Recipient == c {
					return true
				}
			}
			return false
		})
	}
	all := make([]int, len(ser.Series))
	for i := range all {
		all[i] = i
	}
	b.patch = func(_ dashboard.ChartState, o []byte) ([]byte, error) { return lineOptions(o, all...) }
	return b, nil
}

// comparePage is the view model of compare.html.
type comparePage struct {
	basePage
	Q                dashboard.CompareQuery
	CountryList      string // the countries as the form shows them, "India~Pakistan"
	Countries        []string
	MinYear, MaxYear int
	Charts           []chartView
	Missing          []string
}

// compare serves /compare.
func (s *Server) compare(r *rq, pq withState[compareChartQuery]) (*response, error) {
	fi, q := pq.Q.fi, pq.Q.Q
	page := comparePage{Q: q, CountryList: strings.Join(q.Countries, "~"), Countries: fi.Coverage.Countries(),
		MinYear: fi.Coverage.MinYear, MaxYear: fi.Coverage.MaxYear}
	page.basePage = s.base(r.c, "Compare: "+strings.Join(q.Countries, ", "), "country", link("/compare", q.Values()))
	page.NeedCharts = true
	page.DataLabel = fi.Label()
	pc, err := s.pageCharts(r, "/compare", pq.Q, pq.State)
	if err != nil {
		return nil, err
	}
	page.Charts, page.Missing = pc.Views, pc.Missing
	return s.renderPage("compare", page)
}

package web

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Editions on the country page: one line per file held that gives the
// country's yearly imports (or exports), the years they differ most, and
// the reported figures about the country beside the same share from each
// flow set; and /api/v1/editions. The numbers come from
// dashboard.Editions.

// editionsChartPrefix starts the element ids of the editions charts.
const editionsChartPrefix = "chart-country-editions-"

// revisionsShown is how many years of largest revision a side lists.
const revisionsShown = 5

// editionKind names what kind of file an edition is.
func editionKind(f data.Format) string {
	switch f {
	case data.FormatSIPRIDeliveries:
		return "SIPRI listing"
	case data.FormatFlows:
		return "SIPRI extract"
	case data.FormatSIPRITIVTable, data.FormatSIPRITIVTableOld:
		return "SIPRI TIV table"
	case data.FormatWDI:
		return "World Bank WDI"
	}
	return string(f)
}

// editionNames names each edition as a series: its kind and vintage,
// e.g. "SIPRI TIV table, generated 2023-12-11", with the file's name when
// two would read alike.
func editionNames(eds []dashboard.Edition) []string {
	names := make([]string, len(eds))
	count := map[string]int{}
	for i, e := range eds {
		names[i] = editionKind(e.Dataset.Format) + ", " + strings.TrimPrefix(wdiSourceLabel(e.Dataset), e.Dataset.Source+" ")
		if e.Dataset.Vintage == "" {
			names[i] = editionKind(e.Dataset.Format) + ", undated"
		}
		count[names[i]]++
	}
	for i, e := range eds {
		if count[names[i]] > 1 {
			names[i] += " (" + e.Dataset.Name + ")"
		}
	}
	return names
}

// sideWord is "imports" or "exports".
func sideWord(imports bool) string {
	if imports {
		return dashboard.SideImports
	}
	return dashboard.SideExports
}

// editionsOf returns the editions of one side of q's country that give a
// year of its period, newest first, or why there is nothing to compare:
// a *dashboard.NotDrawableError when fewer than two do.
func editionsOf(d *dashboard.Dashboard, q dashboard.CountryQuery, imports bool) ([]dashboard.Edition, error) {
	var eds []dashboard.Edition
	for _, e := range d.Editions(q.Name, imports) {
		if e = e.In(q.From, q.To); len(e.Years) > 0 {
			eds = append(eds, e)
		}
	}
	if len(eds) < 2 {
		held := "No file held gives"
		if len(eds) == 1 {
			held = fmt.Sprintf("Only one file held, %s (%s), gives", eds[0].Dataset.Name, eds[0].Dataset.Label())
		}
		return nil, &dashboard.NotDrawableError{Msg: fmt.Sprintf("%s %s's yearly %s in %s, so there are no editions to compare. Import another edition (a SIPRI listing or TIV table of another date, or World Bank WDI's %s) to see how SIPRI revised them.",
			held, q.Name, sideWord(imports), q.Period(), map[bool]string{true: dashboard.WDIImports, false: dashboard.WDIExports}[imports])}
	}
	return eds, nil
}

// countryEditionsChart builds /country/editions/imports (imports) or
// /country/editions/exports: one line per edition of the side over the
// page's period, a gap where an edition gives no figure.
func countryEditionsChart(imports bool) func(*rq, chartQuery, dashboard.ChartState) (*builtChart, error) {
	return func(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
		cc := cq.(countryChartQuery)
		q := cc.Q
		eds, err := editionsOf(r.d, q, imports)
		if err != nil {
			return nil, err
		}
		// FlowSet is the page's flow set, whose years bound the period.
		b := &builtChart{Series: editionsSeries(q, imports, eds), Query: q.Values(), Period: q.Period().String(), FlowSet: cc.fi.Set.Dataset.Name}
		for _, e := range eds {
			b.Datasets = append(b.Datasets, e.Dataset)
		}
		b.rows = func() dataTable { return editionRows(eds) }
		return b, nil
	}
}

// editionsSeries is an editions chart's numbers: each edition's figure
// in each year of q, rounded to 0.01 million TIV, NaN where it gives none.
func editionsSeries(q dashboard.CountryQuery, imports bool, eds []dashboard.Edition) Series {
	side := sideWord(imports)
	var sources []string
	for _, e := range eds {
		sources = append(sources, wdiSourceLabel(e.Dataset))
	}
	s := Series{
		ID:     editionsChartPrefix + side,
		Title:  fmt.Sprintf("%s's arms %s per year in each edition held, %s", q.Name, side, q.Period()),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: strings.Join(sources, "; "),
		Rule:   tivRule + ", as each file gives it, " + q.Period().String(),
		X:      years(q.From, q.To),
		Notes: []string{"Each line is one file: SIPRI revises its whole database every year as it learns of past deliveries, so the same year differs between releases. A gap is a year the file does not give (WDI leaves years without data empty); a SIPRI listing or table gives 0 for a year without deliveries. TIV tables print whole millions; the listing's sums keep decimals. Values are rounded to 0.01 million TIV.",
			"World Bank WDI values are SIPRI's, divided here by 1,000,000 to millions of TIV."},
		File: countryFile(q, "editions_"+side),
	}
	for i, name := range editionNames(eds) {
		vals := make([]float64, q.To-q.From+1)
		for j := range vals {
			vals[j] = math.NaN()
			if v, ok := eds[i].Value(q.From + j); ok {
				vals[j] = round(v, 2)
			}
		}
		s.Series = append(s.Series, Named{Name: name, Values: vals, Line: true})
	}
	return s
}

// editionRows is the full-data table of an editions chart: one row per
// edition and year it gives.
func editionRows(eds []dashboard.Edition) dataTable {
	t := dataTable{Head: []string{"dataset", "format", "source", "vintage", "year", "TIV (SIPRI TIV millions)"}}
	for _, e := range eds {
		for _, y := range e.Years {
			t.Rows = append(t.Rows, []string{e.Dataset.Name, string(e.Dataset.Format), e.Dataset.Source, dashboard.VintageText(e.Dataset.Vintage),
				strconv.Itoa(y.Year), formatValue(y.TIV)})
		}
	}
	return t
}

// editionsView is the country page's editions section.
type editionsView struct {
	Sides []editionsSide
	// Figures are the reported figures about the country, each beside
	// the same share from every flow set.
	Figures []figureEditions
}

// editionsSide is one side of the editions section.
type editionsSide struct {
	Side    string // dashboard.SideImports or SideExports
	Heading string
	Chart   *chartView
	Reason  string // why there is no chart
	// Names name the editions; Revisions are the years of the period
	// they differ most in, largest first.
	Names     []string
	Revisions []revisionRow
	API       string // the editions as JSON
}

// revisionRow is one year of revision: each edition's figure (empty
// where it gives none), the largest less the smallest, and the editions
// that give them.
type revisionRow struct {
	Year            int
	Values          []string
	Spread, Between string
}

// figureEditions is one reported figure in every edition.
type figureEditions struct {
	Title string
	Rows  []figureEditionRow
}

// figureEditionRow is the figure as one edition gives it.
type figureEditionRow struct {
	Edition, Value, Note string
	Reported             bool
}

// editionsSection builds the editions section of q's country from the
// page's chart views (taking out the editions charts) and its missing
// charts (taking out the editions charts' reasons, which the section
// gives).
func editionsSection(d *dashboard.Dashboard, q dashboard.CountryQuery, views []chartView, missing []string) (editionsView, []chartView, []string) {
	var v editionsView
	var rest []chartView
	charts := map[string]*chartView{}
	for i := range views {
		if strings.HasPrefix(views[i].ID, editionsChartPrefix) {
			charts[views[i].ID] = &views[i]
			continue
		}
		rest = append(rest, views[i])
	}
	for _, imports := range []bool{true, false} {
		side := sideWord(imports)
		es := editionsSide{Side: side, Heading: fmt.Sprintf("%s's %s", q.Name, side), Chart: charts[editionsChartPrefix+side],
			API: link("/api/v1/editions", dashboard.EditionsQuery{Country: q.Name, Side: side}.Values())}
		eds, err := editionsOf(d, q, imports)
		if err != nil {
			es.Reason = err.Error()
			missing = deleteString(missing, es.Reason)
		} else {
			es.Names = editionNames(eds)
			for _, r := range dashboard.Revisions(eds, q.From, q.To, revisionsShown) {
				row := revisionRow{Year: r.Year, Spread: millions(r.Spread), Between: es.Names[r.High] + " − " + es.Names[r.Low]}
				for _, x := range r.Values {
					row.Values = append(row.Values, millionsOrEmpty(x))
				}
				es.Revisions = append(es.Revisions, row)
			}
		}
		v.Sides = append(v.Sides, es)
	}
	for _, imports := range []bool{true, false} {
		for _, fig := range d.FiguresAbout(q.Name, imports) {
			v.Figures = append(v.Figures, figureEditionsOf(d, fig))
		}
	}
	return v, rest, missing
}

// figureEditionsOf words a reported figure in every edition.
func figureEditionsOf(d *dashboard.Dashboard, fig data.Figure) figureEditions {
	p := analysis.Period{From: fig.From, To: fig.To}
	fe := figureEditions{Title: fmt.Sprintf("%s's share of %s's arms imports, %s", fig.Supplier, fig.Recipient, p)}
	if fig.Measure != data.MeasureSupplierShare {
		fe.Title = fmt.Sprintf("%s's share of %s's arms exports, %s", fig.Recipient, fig.Supplier, p)
	}
	for _, e := range d.FigureEditions(fig) {
		row := figureEditionRow{Edition: e.Label, Value: "n/a", Note: e.Reason, Reported: e.Reported}
		if e.Percent != nil {
			row.Value = analysis.FormatPercent(*e.Percent)
			if !e.Reported {
				row.Note = "unrounded " + strconv.FormatFloat(*e.Percent, 'f', 2, 64) + "%"
			}
		}
		if e.Reported {
			row.Edition = fmt.Sprintf("%s's %s release, as reported in %s", fig.Publisher, fig.Vintage, fig.Source)
			if fig.Approximate {
				row.Value = "about " + row.Value
			}
		}
		fe.Rows = append(fe.Rows, row)
	}
	return fe
}

// millionsOrEmpty formats v as millions, "" for NaN.
func millionsOrEmpty(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return millions(v)
}

// deleteString returns ss without the elements equal to s.
func deleteString(ss []string, s string) []string {
	var out []string
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// editionsAPIQuery is a validated /api/v1/editions query.
type editionsAPIQuery struct{ Q dashboard.EditionsQuery }

// Values returns the canonical parameters.
func (q editionsAPIQuery) Values() url.Values { return q.Q.Values() }

func parseEditionsAPI(r *rq) (editionsAPIQuery, error) {
	return editionsAPIQuery{r.d.ParseEditions(r.p)}, nil
}

// editionsAPI is the body of /api/v1/editions.
type editionsAPI struct {
	Country  string        `json:"country"`
	Side     string        `json:"side"`
	From     int           `json:"from"`
	To       int           `json:"to"`
	Unit     string        `json:"unit"`
	Editions []editionJSON `json:"editions"`
}

// editionJSON is one edition in the API.
type editionJSON struct {
	Dataset string              `json:"dataset"`
	Format  data.Format         `json:"format"`
	Source  string              `json:"source"`
	Vintage string              `json:"vintage"` // "" when undated
	SHA256  string              `json:"sha256"`
	Years   []dashboard.YearTIV `json:"years"`
}

// apiEditions serves /api/v1/editions: the editions of the side of the
// country that give a year of the period, newest first, their figures
// unrounded (save binary noise).
func apiEditions(r *rq, q editionsAPIQuery) (*response, error) {
	eds := r.d.Editions(q.Q.Country, q.Q.Imports())
	p := q.Q.Period(eds)
	out := editionsAPI{Country: q.Q.Country, Side: q.Q.Side, From: p.From, To: p.To, Unit: dashboard.Unit, Editions: []editionJSON{}}
	for _, e := range eds {
		e = e.In(q.Q.From, q.Q.To)
		if len(e.Years) == 0 {
			continue
		}
		ej := editionJSON{Dataset: e.Dataset.Name, Format: e.Dataset.Format, Source: e.Dataset.Source, Vintage: e.Dataset.Vintage, SHA256: e.Dataset.SHA256}
		for _, y := range e.Years {
			ej.Years = append(ej.Years, dashboard.YearTIV{Year: y.Year, TIV: dashboard.Clean(y.TIV)})
		}
		out.Editions = append(out.Editions, ej)
	}
	return jsonResponse(out)
}

package web

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Downloads of a chart: the numbers drawn (CSV, JSON), the rows behind
// them (.data.csv), images, and a ZIP holding both CSVs with metadata and
// a citation, all made from one builtChart.

// templateJS marks chart options as safe inside <script>. Only
// encoding/json output, which escapes <, > and &, may be passed.
func templateJS(b []byte) template.JS { return template.JS(b) } // safe: encoding/json output only

// dataTable is the rows behind a chart: a header naming units, and rows.
type dataTable struct {
	Head []string
	Rows [][]string
}

// CSV returns the table as UTF-8 CSV with one header row; cells a
// spreadsheet would run as a formula are escaped by csvSafe (numbers,
// negative ones included, are left alone).
func (t dataTable) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, rec := range append([][]string{t.Head}, t.Rows...) {
		out := make([]string, len(rec))
		for i, cell := range rec {
			out[i] = csvSafe(cell)
		}
		if err := w.Write(out); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// tidy returns the numbers drawn one observation to a row, for pandas,
// R and spreadsheets: the series' name, the x value under XName (e.g.
// "year"), the value and its unit, and a boolean column no_value, true
// where the chart has no value (the value cell is then empty). When XName
// is "year" and some x is not a year (the events chart's "year not
// given"), its year cell is empty and a boolean column year_given says
// so. Source, vintage, dataset and permalink are in the JSON form and in
// the ZIP's metadata.json, not in the header.
func (s Series) tidy() dataTable {
	yearless := false
	if s.XName == "year" {
		for _, x := range s.X {
			if _, err := strconv.Atoi(x); err != nil {
				yearless = true
			}
		}
	}
	t := dataTable{Head: []string{"series", s.XName, "value", "unit", "no_value"}}
	if yearless {
		t.Head = append(t.Head, "year_given")
	}
	for _, n := range s.Series {
		for i, x := range s.X {
			v := formatValue(n.Values[i])
			row := []string{n.Name, x, v, s.Unit, strconv.FormatBool(v == "")}
			if yearless {
				_, err := strconv.Atoi(x)
				if err != nil {
					row[1] = ""
				}
				row = append(row, strconv.FormatBool(err == nil))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// flowRows returns the rows of fi's flow set in period p that keep
// selects, by year, then supplier, then recipient; from a listing, with
// the TIV of each resting on SIPRI's estimates.
func flowRows(fi *dashboard.FlowIndex, p analysis.Period, keep func(data.Flow) bool) dataTable {
	t := dataTable{Head: []string{"supplier", "recipient", "year",
		fmt.Sprintf("TIV (SIPRI TIV millions; %s)", sourceLabel(fi.Set.Dataset)), "dataset"}}
	flows := fi.Rows(p, keep)
	for _, f := range flows {
		t.Rows = append(t.Rows, []string{f.Supplier, f.Recipient, strconv.Itoa(f.Year), formatValue(f.TIV), fi.Set.Dataset.Name})
	}
	return estimatedColumn(fi, t, flows)
}

// eventRows returns events as rows, one per event (its first row's
// fields); dates are ISO 8601 as precise as the source gives them. The
// last columns say how many rows report the event, with their
// GLOBALEVENTIDs and sides (GDELT), and its weights.
func eventRows(events []data.Event) dataTable {
	t := dataTable{Head: []string{"date (ISO 8601, as precise as the source)", "date precision", "year", "type",
		"side A", "side B", "actors", "place", "summary", "how the source dates it", "source", "source URL",
		"rows (reports of this event)", "GLOBALEVENTIDs (GDELT)", "sides as each row has them", "in a lead paragraph (GDELT's IsRootEvent of any row; empty for other lists)",
		"sources (weight)", "articles (weight)"}}
	for _, e := range events {
		var ids, sides []string
		root := ""
		for _, r := range append([]data.Event{e}, e.Also...) {
			if r.SourceID != "" {
				ids = append(ids, r.SourceID)
				root = strconv.FormatBool(r.Root || root == "true")
			}
			sides = append(sides, r.SideA+" → "+r.SideB)
		}
		t.Rows = append(t.Rows, []string{e.Date, e.Precision, yearText(e.Year()), e.Type,
			e.SideA, e.SideB, e.Actors, e.Place, e.Summary, e.DateNote, e.Source, e.SourceURL,
			strconv.Itoa(1 + len(e.Also)), strings.Join(ids, "; "), strings.Join(sides, "; "), root,
			strconv.FormatInt(e.Sources(), 10), strconv.FormatInt(e.Articles(), 10)})
	}
	return t
}

// datasetMeta is one dataset in metadata.json and the JSON form.
type datasetMeta struct {
	Name        string `json:"name"`
	Format      string `json:"format"`
	Source      string `json:"source"`
	Attribution string `json:"attribution"`
	Licence     string `json:"licence"`
	Vintage     string `json:"vintage"`
	SHA256      string `json:"sha256"`
	// Updates is the span of GDELT updates a GDELT file holds; absent
	// for other datasets.
	Updates *updatesMeta `json:"updates,omitempty"`
}

// updatesMeta is data.Updates in the JSON forms: the first and last
// DATEADDED ("2026-05-14T08:30:00Z", or a date for GDELT 1.0), how many
// updates, and the span in words.
type updatesMeta struct {
	First string `json:"first_added"`
	Last  string `json:"last_added"`
	Count int    `json:"updates"`
	Span  string `json:"span"`
}

func datasetMetas(ds []data.Dataset) []datasetMeta {
	out := []datasetMeta{}
	for _, d := range ds {
		m := datasetMeta{Name: d.Name, Format: string(d.Format), Source: d.Source,
			Attribution: d.Attribution, Licence: d.Licence, Vintage: d.Vintage, SHA256: d.SHA256}
		if u := d.Updates; u.First != "" {
			m.Updates = &updatesMeta{First: u.First, Last: u.Last, Count: u.Count, Span: u.String()}
		}
		out = append(out, m)
	}
	return out
}

// seriesJSON is the JSON form of a chart: the Series with its provenance.
type seriesJSON struct {
	ID           string        `json:"id"`
	Chart        string        `json:"chart"` // the chart's path, e.g. "/dyad/tiv"
	Title        string        `json:"title"`
	XName        string        `json:"x_name"`
	YName        string        `json:"y_name"`
	Unit         string        `json:"unit"`
	Source       string        `json:"source"`
	Vintage      string        `json:"vintage"`
	CountingRule string        `json:"counting_rule"`
	Period       string        `json:"period"`
	Dataset      string        `json:"dataset"` // flow set drawn, "" for event charts
	Datasets     []datasetMeta `json:"datasets"`
	Permalink    string        `json:"permalink"`
	X            []string      `json:"x"`
	Series       []namedJSON   `json:"series"`
	Notes        []string      `json:"notes"`
}

// namedJSON is one series; null stands for no value (n/a).
type namedJSON struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

// vintages joins the datasets' vintages, "undated" for one with none.
func vintages(ds []data.Dataset) string {
	var v []string
	for _, d := range ds {
		if d.Vintage == "" {
			v = append(v, "undated")
		} else if !strings.Contains(strings.Join(v, " "), d.Vintage) {
			v = append(v, d.Vintage)
		}
	}
	return strings.Join(v, "; ")
}

// publicURL checks Config.PublicURL: "" or an absolute http or https URL
// with a host and no user, query or fragment. It returns it without its
// final slash, ready to prefix a path.
func publicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", fmt.Errorf("web: public URL %q: %w", raw, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "", u.Opaque != "":
		return "", fmt.Errorf("web: public URL %q: give an absolute http or https URL such as https://arms.example.org", raw)
	case u.User != nil, u.RawQuery != "", u.ForceQuery, u.Fragment != "", strings.ContainsAny(raw, " #"):
		return "", fmt.Errorf("web: public URL %q: give the scheme, host and path only, with no user, query or fragment", raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// permalink returns path on the dashboard's public URL, or path itself
// when none is configured.
func (s *Server) permalink(path string) string { return s.public + path }

// jsonOf returns the JSON form of b in state st.
func (b *builtChart) jsonOf(d chartDef, st dashboard.ChartState, permalink string) seriesJSON {
	s := b.Series
	j := seriesJSON{
		ID: s.ID, Chart: d.path, Title: s.Title, XName: s.XName, YName: s.YName, Unit: s.Unit, Source: s.Source,
		Vintage: vintages(b.Datasets), CountingRule: s.Rule, Period: b.Period, Dataset: b.FlowSet,
		Datasets: datasetMetas(b.Datasets), Permalink: permalink, X: s.X, Notes: drawnSeries(st, s).Notes,
	}
	if j.X == nil {
		j.X = []string{}
	}
	if j.Notes == nil {
		j.Notes = []string{}
	}
	for _, n := range s.Series {
		vals := make([]*float64, len(n.Values))
		for i, v := range n.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				vals[i] = &v
			}
		}
		j.Series = append(j.Series, namedJSON{Name: n.Name, Values: vals})
	}
	return j
}

// chartMetadata is metadata.json in a chart's ZIP.
type chartMetadata struct {
	Title        string        `json:"title"`
	Chart        string        `json:"chart"`
	Permalink    string        `json:"permalink"`
	Source       string        `json:"source"`
	Attribution  string        `json:"attribution"`
	Licence      string        `json:"licence"`
	Vintage      string        `json:"vintage"`
	Unit         string        `json:"unit"`
	YAxis        string        `json:"y_axis"`
	Period       string        `json:"period"`
	CountingRule string        `json:"counting_rule"`
	Dataset      string        `json:"dataset"`
	Datasets     []datasetMeta `json:"datasets"`
	Notes        []string      `json:"notes"`
	Citation     string        `json:"citation"`
	Files        []string      `json:"files"`
}

// citation is the line to cite a chart by, e.g. "SIPRI Arms Transfers
// Database (generated 2026-02-12), via armsdash, <permalink>". It states
// no access date: the same bytes are served from the response cache, and
// a pinned ZIP from browsers' and proxies' caches, on later days, so only
// the reader knows the date they downloaded it (README.txt asks for it).
func citation(ds []data.Dataset, fallback, permalink string) string {
	var src []string
	for _, d := range ds {
		s := d.Source
		if d.Vintage != "" {
			s += " (generated " + d.Vintage + ")"
		} else {
			s += " (undated)"
		}
		if !strings.Contains(strings.Join(src, "; "), s) {
			src = append(src, s)
		}
	}
	if len(src) == 0 {
		src = []string{fallback}
	}
	return fmt.Sprintf("%s, via armsdash, %s", strings.Join(src, "; "), permalink)
}

// joinField joins one field of each dataset, leaving out repeats.
func joinField(ds []data.Dataset, f func(data.Dataset) string) string {
	var out []string
	for _, d := range ds {
		if v := f(d); v != "" && !strings.Contains(strings.Join(out, "\n"), v) {
			out = append(out, v)
		}
	}
	return strings.Join(out, "; ")
}

// zipOf returns the chart's ZIP: the chart CSV, the full-data CSV, the
// tidy CSV, metadata.json and README.txt.
func (b *builtChart) zipOf(d chartDef, st dashboard.ChartState, permalink string, now time.Time) ([]byte, error) {
	s := b.Series
	chartCSV, err := s.CSV()
	if err != nil {
		return nil, err
	}
	dataCSV, err := b.Rows().CSV()
	if err != nil {
		return nil, err
	}
	tidyCSV, err := s.tidy().CSV()
	if err != nil {
		return nil, err
	}
	base := slugFile(s.File)
	names := []string{base + ".csv", base + "_data.csv", base + "_tidy.csv", "metadata.json", "README.txt"}
	meta := chartMetadata{
		Title: s.Title, Chart: d.path, Permalink: permalink,
		Source:       s.Source,
		Attribution:  joinField(b.Datasets, func(d data.Dataset) string { return d.Attribution }),
		Licence:      joinField(b.Datasets, func(d data.Dataset) string { return d.Licence }),
		Vintage:      vintages(b.Datasets),
		Unit:         s.Unit,
		YAxis:        s.YName,
		Period:       b.Period,
		CountingRule: s.Rule,
		Dataset:      b.FlowSet,
		Datasets:     datasetMetas(b.Datasets),
		Notes:        drawnSeries(st, s).Notes,
		Citation:     citation(b.Datasets, s.Source, permalink),
		Files:        names,
	}
	metaJSON, err := indentJSON(meta)
	if err != nil {
		return nil, err
	}
	var readme strings.Builder
	fmt.Fprintf(&readme, "%s\n\n", s.Title)
	fmt.Fprintf(&readme, "Cite as (with the date you downloaded this file):\n  %s, accessed YYYY-MM-DD\n\n", meta.Citation)
	fmt.Fprintf(&readme, "Files:\n  %s  the numbers drawn in the chart (%s)\n  %s  the rows they are computed from\n  %s  the numbers drawn, one row per value: series, %s, value, unit, flags\n  metadata.json  source, licence, vintage, units, period, counting rule, dataset SHA-256\n\n", names[0], s.Unit, names[1], names[2], s.XName)
	fmt.Fprintf(&readme, "Period: %s\nCounting rule: %s\nUnit: %s\nSource: %s\n", b.Period, s.Rule, s.Unit, s.Source)
	if meta.Attribution != "" {
		fmt.Fprintf(&readme, "Attribution: %s\n", meta.Attribution)
	}
	if meta.Licence != "" {
		fmt.Fprintf(&readme, "Licence: %s\n", meta.Licence)
	}
	for _, ds := range b.Datasets {
		fmt.Fprintf(&readme, "Dataset: %s, %s, SHA-256 %s\n", ds.Name, ds.Label(), ds.SHA256)
	}
	if strings.Contains(s.Unit, "TIV") {
		readme.WriteString("\nSIPRI trend-indicator values (TIV) measure the volume of arms transferred, not their financial value.\n")
	}
	for _, n := range meta.Notes {
		fmt.Fprintf(&readme, "\nNote: %s\n", n)
	}
	fmt.Fprintf(&readme, "\nPermalink: %s\n", permalink)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, body := range [][]byte{chartCSV, dataCSV, tidyCSV, metaJSON, []byte(readme.String())} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: names[i], Method: zip.Deflate, Modified: now.UTC()})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(body); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// indentJSON encodes v indented, without HTML escaping: the JSON is a
// file of its own, never placed inside HTML.
func indentJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chartFile renders chart b in form ext.
func (s *Server) chartFile(r *rq, d chartDef, b *builtChart, st dashboard.ChartState, ext string, size dashboard.ImageSize) (*response, error) {
	base := slugFile(b.Series.File)
	file := func(ctype, disposition string, body []byte, err error) (*response, error) {
		if err != nil {
			return nil, err
		}
		return &response{ctype: ctype, header: http.Header{"Content-Disposition": {disposition}}, body: body}, nil
	}
	attach := func(name string) string { return `attachment; filename="` + name + `"` }
	permalink := s.permalink(b.link(d.page, st) + "#" + b.Series.ID)
	switch ext {
	case "csv":
		body, err := b.Series.CSV()
		return file("text/csv; charset=utf-8", attach(base+".csv"), body, err)
	case "data.csv":
		body, err := b.Rows().CSV()
		return file("text/csv; charset=utf-8", attach(base+"_data.csv"), body, err)
	case "tidy.csv":
		body, err := b.Series.tidy().CSV()
		return file("text/csv; charset=utf-8", attach(base+"_tidy.csv"), body, err)
	case "json":
		body, err := indentJSON(b.jsonOf(d, st, permalink))
		return file("application/json", `inline; filename="`+base+`.json"`, body, err)
	case "zip":
		body, err := b.zipOf(d, st, permalink, time.Now())
		return file("application/zip", attach(base+".zip"), body, err)
	case "svg", "png":
		f := imageFormat(ext)
		body, err := b.image(st, f, size)
		return file(f.contentType(), fmt.Sprintf(`inline; filename="%s.%s"`, base, ext), body, err)
	}
	return nil, fmt.Errorf("chart %s: no form %q", d.path, ext)
}

// image draws the chart in state st as an SVG or PNG of the given size,
// with the event markers the page draws: its title, a subtitle with
// unit, period and vintage, and under it the source, the counting rule
// and what the state leaves out (zeros on a log scale).
func (b *builtChart) image(st dashboard.ChartState, f imageFormat, size dashboard.ImageSize) ([]byte, error) {
	if s := b.Series; s.Map != nil || s.Links != nil { // not drawn over x labels
		var pi *plotImage
		var err error
		if s.Map != nil {
			pi, err = newMapImage(s)
		} else {
			pi, err = newFlowImage(s)
		}
		if err != nil {
			return nil, err
		}
		return pi.render(f, size, describe(s, st, b.Period))
	}
	drawn := drawnSeries(st, b.Series)
	ci, err := newChartImageAs(drawn, st, b.subtitle(), describe(b.Series, st, b.Period))
	if err != nil {
		return nil, err
	}
	ci.footer = append(ci.footer, drawn.Notes[len(b.Series.Notes):]...) // the state's own notes
	if b.markers != nil && st.Markers {
		ci.addMarkers(b.markers)
	}
	return ci.render(f, size)
}

// subtitle is the line under a chart image's title: unit, period and
// the vintage of the data drawn.
func (b *builtChart) subtitle() string {
	parts := []string{b.Series.Unit}
	if b.Period != "" {
		parts = append(parts, b.Period)
	}
	if v := vintages(b.Datasets); v != "" {
		parts = append(parts, "vintage: "+v)
	}
	return strings.Join(parts, " · ")
}

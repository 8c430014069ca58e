package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// The hand-made WDI files in testdata have the layout of the real WDI wide
// CSV (every field quoted, a trailing comma, years 1960–2020, 2020 empty);
// their values are made up. wdi_arms_imports.csv has no preamble, like the
// shared copy, so it is undated; wdi_arms_exports.csv has the API
// download's preamble with "Last Updated Date" 2020-12-16. Pakistan's
// imports have a gap in 2005, a real 0 in 2012 and a value in 1990, before
// the built-in SIPRI extract's years; South Asia, World and East Asia &
// Pacific are aggregates with large values that must never be drawn. The
// exports file spells Pakistan "Islamic Republic of Pakistan", a name the
// country table does not know: only its code, PAK, finds it.
const (
	wdiImportsFixture = "testdata/wdi_arms_imports.csv"
	wdiExportsFixture = "testdata/wdi_arms_exports.csv"
	// builtinExtract is the built-in SIPRI extract (Pakistan's imports,
	// China's exports), imported as an ordinary flows file.
	builtinExtract = "../data/builtin/sipri_china_pakistan.csv"
)

// wdiStoreServer serves a store holding files (see storeServer).
func wdiStoreServer(t testing.TB, files ...string) *Server {
	t.Helper()
	return importedServer(t, files...)
}

// wdiTestHandler serves the built-in extract and both hand-made WDI
// files (TestChartForms draws /country/wdi from it).
func wdiTestHandler(t testing.TB) http.Handler {
	return wdiStoreServer(t, builtinExtract, wdiImportsFixture, wdiExportsFixture).Handler()
}

// rawWDI reads the values of one economy's row of a WDI wide CSV with
// encoding/csv (shareddata.CSVRow), independently of data.ReadWDI: year →
// value as written, empty cells left out.
func rawWDI(t testing.TB, path, code, indicator string) map[int]float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	row := shareddata.CSVRow(t, b, func(rec []string) bool { return rec[0] == "Country Name" }, 1, code)
	if row["Indicator Code"] != indicator {
		t.Fatalf("%s: the row of %s is of %s, not %s", path, code, row["Indicator Code"], indicator)
	}
	out := map[int]float64{}
	for h, cell := range row {
		y, err := strconv.Atoi(h)
		if err != nil || cell == "" {
			continue
		}
		if out[y], err = strconv.ParseFloat(cell, 64); err != nil {
			t.Fatalf("%s %d: %q", code, y, cell)
		}
	}
	return out
}

// rawBuiltinImports sums the built-in extract's rows by year for one
// recipient, reading the file with encoding/csv.
func rawBuiltinImports(t testing.TB, recipient string) (sums map[int]float64, from, to int) {
	t.Helper()
	b, err := os.ReadFile(builtinExtract)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sums, from, to = map[int]float64{}, math.MaxInt, math.MinInt
	for _, rec := range recs[1:] { // header: supplier,recipient,year,tiv_millions
		y, err := strconv.Atoi(rec[2])
		if err != nil {
			t.Fatal(err)
		}
		from, to = min(from, y), max(to, y)
		if rec[1] == recipient {
			v, err := strconv.ParseFloat(rec[3], 64)
			if err != nil {
				t.Fatal(err)
			}
			sums[y] += v
		}
	}
	return sums, from, to
}

// wdiCSV fetches target (a /country/wdi.csv URL) and returns its rows.
func wdiCSV(t *testing.T, h http.Handler, target string) [][]string {
	t.Helper()
	_, body := getOK(t, h, target)
	return parseCSV(t, body)
}

// columnOf returns the index of the CSV column whose header starts with
// prefix, failing when there is none.
func columnOf(t *testing.T, header []string, prefix string) int {
	t.Helper()
	for i, h := range header {
		if strings.HasPrefix(h, prefix) {
			return i
		}
	}
	t.Fatalf("no column starting %q in %q", prefix, header)
	return -1
}

// TestWDISection checks the World Bank WDI section of /country with the
// hand-made files: the section and its chart, the CSV equal to what is
// drawn and to the files read here, aggregates and empty years, exports,
// countries whose WDI names differ from SIPRI's, and the messages when
// WDI has nothing.
func TestWDISection(t *testing.T) {
	h := wdiTestHandler(t)
	_, page := getOK(t, h, "/country?name=Pakistan")
	for _, w := range []string{`<h2 id="wdi">World Bank WDI</h2>`, `id="chart-country-wdi"`, `id="chart-country-imports"`,
		"/country/wdi.csv?", "/country/wdi.data.csv?", "/country/wdi.json?", "/country/wdi.svg?", "/country/wdi.png?", "/country/wdi.zip?",
		"/embed/country/wdi?", "#chart-country-wdi", "millions of SIPRI TIV, a volume measure, not money",
		`"Pakistan WDI arms imports MS.MIL.MPRT.KD"`, `"Pakistan WDI arms exports MS.MIL.XPRT.KD"`, `"Pakistan SIPRI imports from all suppliers"`,
		"does not hold all of Pakistan's exports",
	} {
		if !strings.Contains(text(page), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if strings.Contains(page, "$") {
		i := strings.Index(page, "$")
		t.Errorf("page holds a $: %q", page[max(0, i-80):min(len(page), i+80)])
	}

	// The CSV is exactly what the page draws.
	d := drawnOf(t, chartOptions(t, page, wdiChartID))
	recs := wdiCSV(t, h, "/country/wdi.csv?name=Pakistan")
	if len(d.names) != 3 {
		t.Fatalf("chart %d series; want 3: WDI imports, SIPRI imports, WDI exports", len(d.names))
	}
	d.checkCSV(t, recs, " (SIPRI TIV millions; ")

	// The numbers are those of the files, read here independently.
	wdiImp := rawWDI(t, wdiImportsFixture, "PAK", "MS.MIL.MPRT.KD")
	wdiExp := rawWDI(t, wdiExportsFixture, "PAK", "MS.MIL.XPRT.KD")
	sipri, sFrom, sTo := rawBuiltinImports(t, "Pakistan")
	if recs[1][0] != "1990" || recs[len(recs)-1][0] != strconv.Itoa(sTo) {
		t.Errorf("years %s–%s, want 1990 (first WDI year) to %d (last SIPRI year)", recs[1][0], recs[len(recs)-1][0], sTo)
	}
	ci, cs, ce := columnOf(t, recs[0], "Pakistan WDI arms imports"), columnOf(t, recs[0], "Pakistan SIPRI imports"), columnOf(t, recs[0], "Pakistan WDI arms exports")
	for _, r := range recs[1:] {
		y, _ := strconv.Atoi(r[0])
		for _, c := range []struct {
			col  int
			vals map[int]float64
		}{{ci, wdiImp}, {ce, wdiExp}} {
			v, ok := c.vals[y]
			if want := strconv.FormatFloat(v/1e6, 'f', -1, 64); ok && r[c.col] != want || !ok && r[c.col] != "" {
				t.Errorf("%d, %s: CSV %q, file %v (present %v)", y, recs[0][c.col], r[c.col], v, ok)
			}
		}
		switch {
		case y < sFrom || y > sTo:
			if r[cs] != "" {
				t.Errorf("%d: SIPRI %q outside the file's years %d–%d", y, r[cs], sFrom, sTo)
			}
		default:
			got, err := strconv.ParseFloat(r[cs], 64)
			if err != nil || math.Abs(got-sipri[y]) > 0.005+1e-9 {
				t.Errorf("%d: SIPRI %q, file sums to %v", y, r[cs], sipri[y])
			}
		}
	}
	// Spot checks of the fixture's quirks, by year.
	byYear := map[string][]string{}
	for _, r := range recs[1:] {
		byYear[r[0]] = r
	}
	for _, c := range []struct{ year, imports, why string }{
		{"2005", "", "an empty WDI cell is no value, not 0"},
		{"2012", "0", "a 0 in WDI is a value"},
		{"2010", "200", "200000000 / 1e6"},
		{"1990", "50", "a WDI year before the SIPRI file's"},
	} {
		if got := byYear[c.year][ci]; got != c.imports {
			t.Errorf("%s: WDI imports %q, want %q (%s)", c.year, got, c.imports, c.why)
		}
	}
	if !strings.Contains(text(page), "<th scope=\"row\">2005</th><td class=\"num\">n/a</td>") {
		t.Error("the table does not show 2005 as n/a")
	}

	// Aggregates are never a country: their values appear nowhere, and the
	// rows behind the chart are Pakistan's only.
	_, dataCSV := get(t, h, "/country/wdi.data.csv?name=Pakistan")
	rows := parseCSV(t, dataCSV)
	if len(rows) < 2 || len(rows[0]) < 12 {
		t.Fatalf("data CSV: %v", rows)
	}
	nWDI := 0
	for _, r := range rows[1:] {
		switch r[0] {
		case "World Bank WDI":
			nWDI++
			if r[5] != "PAK" {
				t.Errorf("WDI row of another economy: %v", r)
			}
		case "SIPRI":
			if r[7] != "Pakistan" {
				t.Errorf("SIPRI row of another recipient: %v", r)
			}
		default:
			t.Errorf("row of source %q", r[0])
		}
	}
	if nWDI != len(wdiImp)+len(wdiExp) {
		t.Errorf("%d WDI rows, the files hold %d values for Pakistan", nWDI, len(wdiImp)+len(wdiExp))
	}
	for _, body := range []string{page, strings.Join(flatten(recs), ","), dataCSV} {
		for _, agg := range []string{"9990", "29990", "8880", "South Asia", "East Asia"} {
			if strings.Contains(body, agg) {
				t.Errorf("an aggregate's %q reached the output", agg)
			}
		}
	}

	// Every form answers, names units and vintages, and has no "$".
	for _, ext := range []string{"csv", "data.csv", "json", "svg", "zip"} {
		res, body := get(t, h, "/country/wdi."+ext+"?name=Pakistan")
		if res.StatusCode != http.StatusOK {
			t.Errorf(".%s: status %d", ext, res.StatusCode)
		}
		if ext != "zip" && strings.Contains(body, "$") {
			t.Errorf(".%s holds a $", ext)
		}
	}
	if res, body := get(t, h, "/country/wdi.png?name=Pakistan"); res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\x89PNG") {
		t.Errorf(".png: status %d", res.StatusCode)
	}
	if res, body := get(t, h, "/embed/country/wdi?name=Pakistan"); res.StatusCode != http.StatusOK || strings.Contains(body, "$") || !strings.Contains(body, wdiChartID) {
		t.Errorf("embed: status %d", res.StatusCode)
	}
	j := chartJSON(t, h, "/country/wdi.json?name=Pakistan")
	if j.Unit != "SIPRI TIV millions" || j.Vintage != "undated; 2020-12-16; 2026-02-12" || len(j.Datasets) != 3 || j.Dataset != "sipri_china_pakistan.csv" ||
		!strings.Contains(j.Source, "World Bank, World Development Indicators (undated), file “wdi_arms_imports.csv”; World Bank, World Development Indicators last updated 2020-12-16, file “wdi_arms_exports.csv”; SIPRI Arms Transfers Database generated 2026-02-12, file “sipri_china_pakistan.csv”") ||
		!strings.Contains(j.Permalink, "/country?") || !strings.Contains(j.Permalink, "name=Pakistan") || !strings.HasSuffix(j.Permalink, "#chart-country-wdi") {
		t.Errorf("JSON provenance: unit %q, vintage %q, dataset %q, source %q, permalink %q, %d datasets", j.Unit, j.Vintage, j.Dataset, j.Source, j.Permalink, len(j.Datasets))
	}

	// Other countries: WDI's names differ from SIPRI's; no SIPRI series
	// where the set lacks the side; messages where WDI has nothing.
	for _, c := range []struct {
		name         string
		status       int
		want, absent []string
	}{
		{"Russia", 200, []string{`id="chart-country-wdi"`, "Russia WDI arms imports", "does not hold all of Russia's imports", "So no SIPRI series is drawn"}, []string{"Russian Federation", "Russia SIPRI imports"}},
		{"Turkiye", 200, []string{`id="chart-country-wdi"`, "Turkiye WDI arms imports", `<td class="num">0.5</td>`}, []string{"Turkey"}},
		{"China", 200, []string{"China WDI arms imports", "China WDI arms exports", "China SIPRI exports to all recipients"}, []string{"China SIPRI imports"}},
		{"Sweden", 200, []string{"World Bank WDI has no value for Sweden (code SWE)", "wdi_arms_imports.csv"}, []string{`id="chart-country-wdi"`, "armsdash import -db"}},
		{"unknown supplier(s)", 200, []string{"has none, so WDI has no row for it"}, []string{`id="chart-country-wdi"`}},
		{"Atlantis", 200, []string{"Parameter name: no data for “Atlantis”"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, body := get(t, h, "/country?"+url.Values{"name": {c.name}}.Encode())
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d", res.StatusCode, c.status)
			}
			for _, w := range c.want {
				if !strings.Contains(text(body), w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(text(body), a) {
					t.Errorf("page holds %q", a)
				}
			}
		})
	}
	// The chart's own forms: 404 with the reason when WDI has nothing for a
	// known country; the page's 400 for an unknown one.
	for _, c := range []struct {
		target string
		status int
		want   string
	}{
		{"/country/wdi.csv?name=Sweden", 404, "World Bank WDI has no value for Sweden"},
		{"/embed/country/wdi?name=Sweden", 404, "World Bank WDI has no value for Sweden"},
		{"/country/wdi.csv?name=Atlantis", 400, "no data for “Atlantis”"},
		{"/country/wdi.json?name=Atlantis", 400, "Atlantis"},
	} {
		res, body := get(t, h, c.target)
		if res.StatusCode != c.status || !strings.Contains(text(body), c.want) {
			t.Errorf("%s: status %d, want %d with %q", c.target, res.StatusCode, c.status, c.want)
		}
	}
	// The datasets and sources pages list both WDI files with vintages.
	for _, target := range []string{"/datasets", "/sources"} {
		_, body := get(t, h, target)
		for _, w := range []string{"wdi_arms_imports.csv", "wdi_arms_exports.csv", "2020-12-16", "World Bank, World Development Indicators"} {
			if !strings.Contains(text(body), w) {
				t.Errorf("%s lacks %q", target, w)
			}
		}
	}
}

// chartJSON fetches a chart's .json form.
func chartJSON(t *testing.T, h http.Handler, target string) seriesJSON {
	t.Helper()
	res, body := get(t, h, target)
	var j seriesJSON
	if err := json.Unmarshal([]byte(body), &j); res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("%s: status %d, %v", target, res.StatusCode, err)
	}
	return j
}

func flatten(recs [][]string) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r...)
	}
	return out
}

// TestWDINotLoaded checks the section without a WDI file: it says how to
// add one, the other charts are unaffected, and the chart's forms are a
// 404 saying why.
func TestWDINotLoaded(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, page := get(t, h, "/country?name=Pakistan")
	sec := page[strings.Index(page, `<h2 id="wdi">`):]
	for _, w := range []string{"No World Bank WDI file with SIPRI's arms imports (MS.MIL.MPRT.KD)", "<code>armsdash import -db FILE wdi.csv</code>"} {
		if !strings.Contains(text(sec), w) {
			t.Errorf("WDI section lacks %q", w)
		}
	}
	if strings.Contains(page, wdiChartID) {
		t.Error("a WDI chart is drawn without WDI data")
	}
	if before := page[:strings.Index(page, `<h2 id="wdi">`)]; strings.Contains(before, "No World Bank WDI file") || !strings.Contains(before, `id="chart-country-imports"`) {
		t.Error("the WDI notice leaked into the other sections, or the imports chart is gone")
	}
	for _, target := range []string{"/country/wdi.csv?name=Pakistan", "/country/wdi.png?name=Pakistan", "/embed/country/wdi?name=Pakistan"} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(text(body), "No World Bank WDI file") {
			t.Errorf("%s: status %d, want 404 saying why", target, res.StatusCode)
		}
	}
}

// TestWDIHostile imports a WDI file whose dataset name and country names
// are injection payloads beside the hostile flows, and checks every form
// of the WDI chart with the hostile checkers (hostile_test.go).
func TestWDIHostile(t *testing.T) {
	st := hostileStore(t)
	ctx := context.Background()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"Country Name", "Country Code", "Indicator Name", "Indicator Code", "2015", "2016", "2017", "2018", "2019"})
	for i, code := range []string{"PAK", "CHN"} {
		w.Write([]string{hostileNames[i], code, hostileNames[2], "MS.MIL.MPRT.KD", "1000000", "", "2500000", "0", "4000000"})
		w.Write([]string{hostileNames[i+3], code, hostileNames[4], "MS.MIL.XPRT.KD", "", "3000000", "", "", "1000000"})
	}
	w.Flush()
	name := hostileNames[0] + hostileNames[2] + ".csv"
	f, err := data.Read(name, buf.Bytes(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	h := serveStore(t, st).Handler()
	shown := 0
	for _, country := range append([]string{"Pakistan", "China"}, hostileNames...) {
		q := url.Values{"name": {country}}.Encode()
		for _, p := range []string{"/country", "/country/wdi.csv", "/country/wdi.data.csv", "/country/wdi.json", "/country/wdi.svg", "/country/wdi.png", "/country/wdi.zip", "/embed/country/wdi"} {
			target := p + "?" + q
			res, body := get(t, h, target)
			if res.StatusCode >= 500 {
				t.Errorf("%s: status %d", target, res.StatusCode)
				continue
			}
			for _, n := range hostileNames {
				if strings.Contains(text(body), n) || strings.Contains(body, jsonString(n)) {
					shown++
					break
				}
			}
			ct, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
			switch ct {
			case "text/html":
				err = checkHTML(body, res.Header.Get("Content-Security-Policy"))
			case "text/csv":
				err = checkCSV(body)
			case "application/json":
				// The chart's .json form is a file, not inlined: like every
				// chart's, it keeps < and > (download.go's indentJSON), so
				// only its validity is checked.
				if !json.Valid([]byte(body)) {
					err = errors.New("invalid JSON")
				}
			case "image/svg+xml":
				err = checkSVG(body)
			case "image/png", "application/zip":
				err = nil
			default:
				err = fmt.Errorf("unexpected Content-Type %q", ct)
			}
			if err != nil {
				t.Errorf("%s (status %d): %v", target, res.StatusCode, err)
			}
		}
	}
	// The payloads must reach the output (as text), or the test means nothing.
	_, page := get(t, h, "/country?name=Pakistan")
	if !strings.Contains(page, wdiChartID) || !strings.Contains(text(page), name) {
		t.Errorf("Pakistan's page draws no WDI chart naming the hostile dataset")
	}
	_, rows := get(t, h, "/country/wdi.data.csv?name=Pakistan")
	if !strings.Contains(rows, "'"+hostileNames[2]) && !strings.Contains(rows, "'=HYPERLINK") {
		t.Errorf("the data CSV does not show the defused formula name:\n%.600s", rows)
	}
	if shown < 10 {
		t.Errorf("payloads appear in only %d responses", shown)
	}
}

// TestWDIRealPakistan draws Pakistan's WDI chart from the real WDI
// download and the real per-delivery-year listing, and checks it against
// both files read here with encoding/csv: each WDI year's value / 1e6 and
// each SIPRI year's sum of "TIV delivery values".
func TestWDIRealPakistan(t *testing.T) {
	wdiPath := shareddata.Path(t, "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv")
	listingPath := shareddata.Path(t, listingFile)
	h := wdiStoreServer(t, listingPath, wdiPath).Handler()

	wdi := rawWDI(t, wdiPath, "PAK", "MS.MIL.MPRT.KD")
	// The listing: 11 preamble lines, then a header; no quoting; each
	// line ends in ";", glued to the last field.
	b, err := os.ReadFile(listingPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	head := strings.Split(strings.TrimSuffix(lines[11], ";"), ",")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	sipri := map[int]float64{}
	for _, l := range lines[12:] {
		if l == "" {
			continue
		}
		c := strings.Split(strings.TrimSuffix(l, ";"), ",")
		if len(c) != len(head) {
			t.Fatalf("listing line with %d fields: %q", len(c), l)
		}
		if c[col["Recipient"]] != "Pakistan" {
			continue
		}
		y, err1 := strconv.Atoi(c[col["Delivery year"]])
		v, err2 := strconv.ParseFloat(c[col["TIV delivery values"]], 64)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		sipri[y] += v
	}

	recs := wdiCSV(t, h, "/country/wdi.csv?name=Pakistan")
	if len(recs[0]) != 3 {
		t.Fatalf("header %q; want year, WDI imports, SIPRI imports", recs[0])
	}
	if !strings.Contains(recs[0][1], "Pakistan WDI arms imports MS.MIL.MPRT.KD") || !strings.Contains(recs[0][2], "Pakistan SIPRI imports from all suppliers") ||
		!strings.Contains(recs[0][2], "generated 2026-02-12") || !strings.Contains(recs[0][1], "SIPRI TIV millions") {
		t.Errorf("header %q", recs[0])
	}
	byYear := map[int][]string{}
	for _, r := range recs[1:] {
		y, _ := strconv.Atoi(r[0])
		byYear[y] = r
		want := ""
		if v, ok := wdi[y]; ok {
			want = strconv.FormatFloat(v/1e6, 'f', -1, 64)
		}
		if r[1] != want {
			t.Errorf("%d: WDI %q, file %q", y, r[1], want)
		}
		if y < 1995 || y > 2024 {
			if r[2] != "" {
				t.Errorf("%d: SIPRI %q outside the listing's years", y, r[2])
			}
			continue
		}
		got, err := strconv.ParseFloat(r[2], 64)
		if err != nil || math.Abs(got-sipri[y]) > 0.005+1e-9 {
			t.Errorf("%d: SIPRI %q, listing sums to %.4f", y, r[2], sipri[y])
		}
	}
	if len(wdi) == 0 || byYear[1960] == nil || byYear[2024] == nil {
		t.Fatalf("years %s–%s; want 1960 (WDI's first) to 2024 (the listing's last)", recs[1][0], recs[len(recs)-1][0])
	}
	// A real value, read from the raw file above: Pakistan's 2010 imports.
	v2010, ok := wdi[2010]
	if !ok || byYear[2010][1] != strconv.FormatFloat(v2010/1e6, 'f', -1, 64) {
		t.Errorf("2010: chart %q, WDI file %v", byYear[2010][1], v2010)
	}
	t.Logf("Pakistan 2010: WDI %s million TIV (file %.0f), SIPRI listing %s (sum %.4f); 2019: WDI %s, SIPRI %s",
		byYear[2010][1], v2010, byYear[2010][2], sipri[2010], byYear[2019][1], byYear[2019][2])
	_, page := get(t, h, "/country?name=Pakistan")
	if !strings.Contains(page, wdiChartID) || strings.Contains(page, "$") {
		t.Error("Pakistan's page draws no WDI chart, or holds a $")
	}
	j := chartJSON(t, h, "/country/wdi.json?name=Pakistan")
	if out, _ := json.Marshal(j.Datasets); !strings.Contains(string(out), "wdi_arms_imports_MS.MIL.MPRT.KD.csv") {
		t.Errorf("JSON datasets %s", out)
	}
}

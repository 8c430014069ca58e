package web

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// chartQueries is a query under which each registered chart of the
// built-in dataset can be drawn, by chart path.
var chartQueries = map[string]string{
	"/dyad/tiv":                  dyadQ,
	"/dyad/shares":               dyadQ,
	"/dyad/events":               dyadQ,
	"/events/types":              "",
	"/country/imports":           "name=Pakistan&from=2000&to=2024",
	"/country/exports":           "name=China&from=2000&to=2024",
	"/country/wdi":               "name=Pakistan",
	"/world/totals":              "from=2020&to=2024",
	"/world/map":                 "from=2020&to=2024&side=imports",
	"/world/flows":               "from=2015&to=2024",
	"/compare/countries":         "country=Pakistan~China&measure=imports&from=2000&to=2024",
	"/country/flows":             "name=Pakistan&from=2015&to=2024",
	"/network/flows":             "from=2015&to=2024",
	"/dyad/orders":               dyadQ,
	"/country/editions/imports":  "name=Pakistan&from=2015&to=2019",
	"/country/editions/exports":  "name=China&from=2015&to=2019",
	"/dyad/breakdown":            dyadQ + "&by=status",
	"/country/imports-breakdown": "name=Pakistan&from=2015&to=2024",
	"/country/exports-breakdown": "name=China&from=2015&to=2024&by=local_production",
	"/world/categories":          "from=2020&to=2024",
}

// chartHandlers serves, by chart path, the charts the built-in dataset
// cannot draw (it holds no World Bank WDI file); the others are drawn from
// the built-in dataset.
var chartHandlers = map[string]func(testing.TB) http.Handler{
	"/country/wdi":              wdiTestHandler,
	"/world/totals":             worldTestHandler,
	"/world/map":                worldTestHandler,
	"/world/flows":              worldTestHandler,
	"/dyad/orders":              ordersTestHandler,
	"/country/editions/imports": editionsTestHandler,
	"/country/editions/exports": editionsTestHandler,
	// Breakdowns need the listing.
	"/dyad/breakdown":            worldTestHandler,
	"/country/imports-breakdown": worldTestHandler,
	"/country/exports-breakdown": worldTestHandler,
	"/world/categories":          worldTestHandler,
}

// editionsTestHandler serves the built-in extract, a TIV table without a
// preamble (data/testdata) and the WDI fixtures: three editions of
// Pakistan's imports, two of China's exports.
func editionsTestHandler(t testing.TB) http.Handler {
	return importedServer(t, builtinExtract, "../data/testdata/tiv_old_bare.csv", wdiImportsFixture, wdiExportsFixture).Handler()
}

// ordersTestHandler serves the built-in extract's flows with the
// hand-made trade register of web/testdata.
func ordersTestHandler(t testing.TB) http.Handler { return dealsServer(t, dealsFlows, smallRegister) }

// chartIDs maps chart paths to their element ids.
var chartIDs = map[string]string{
	"/dyad/tiv": "chart-dyad-tiv", "/dyad/shares": "chart-dyad-shares", "/dyad/events": "chart-dyad-events",
	"/events/types": "chart-events-types", "/country/imports": "chart-country-imports", "/country/exports": "chart-country-exports",
	"/country/wdi": wdiChartID, "/world/totals": "chart-world-totals", "/world/map": "chart-world-map", "/world/flows": "chart-world-flows", "/compare/countries": "chart-compare", "/country/flows": "chart-country-flows", "/network/flows": "chart-network-flows",
	"/dyad/orders": "chart-dyad-orders", "/country/editions/imports": "chart-country-editions-imports", "/country/editions/exports": "chart-country-editions-exports",
	"/dyad/breakdown": "chart-dyad-breakdown", "/country/imports-breakdown": "chart-country-imports-breakdown",
	"/country/exports-breakdown": "chart-country-exports-breakdown", "/world/categories": "chart-world-categories",
}

// parseCSV parses body with encoding/csv, failing the test on error.
func parseCSV(t *testing.T, body string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, body)
	}
	return recs
}

// TestChartForms checks that every registered chart answers in every
// form with its content type and a download name, and that the JSON, the
// CSV and the page's chart options hold the same numbers.
func TestChartForms(t *testing.T) {
	builtin := newTestServer(t, nil, t.TempDir(), nil).Handler()
	if len(chartRegistry()) != len(chartQueries) {
		t.Fatalf("%d charts registered, %d tested: add the new chart to chartQueries", len(chartRegistry()), len(chartQueries))
	}
	for _, d := range chartRegistry() {
		q, ok := chartQueries[d.path]
		if !ok {
			t.Fatalf("no test query for %s", d.path)
		}
		t.Run(d.path, func(t *testing.T) {
			h := builtin
			if f, ok := chartHandlers[d.path]; ok {
				h = f(t)
			}
			bodies := map[string]string{}
			for _, tc := range []struct{ ext, ctype, disposition string }{
				{"csv", "text/csv; charset=utf-8", "attachment; filename="},
				{"data.csv", "text/csv; charset=utf-8", "attachment; filename="},
				{"json", "application/json", "inline; filename="},
				{"svg", "image/svg+xml", "inline; filename="},
				{"png", "image/png", "inline; filename="},
				{"zip", "application/zip", "attachment; filename="},
			} {
				res, body := getOK(t, h, d.path+"."+tc.ext+"?"+q)
				if ct := res.Header.Get("Content-Type"); ct != tc.ctype {
					t.Errorf(".%s: Content-Type %q, want %q", tc.ext, ct, tc.ctype)
				}
				cd := res.Header.Get("Content-Disposition")
				if !strings.HasPrefix(cd, tc.disposition+`"armsdash_`) || !strings.HasSuffix(cd, "."+strings.TrimPrefix(tc.ext, "data.")+`"`) {
					t.Errorf(".%s: Content-Disposition %q", tc.ext, cd)
				}
				bodies[tc.ext] = body
			}
			res, embed := get(t, h, "/embed"+d.path+"?"+q)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("embed: status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}

			var j seriesJSON
			if err := json.Unmarshal([]byte(bodies["json"]), &j); err != nil {
				t.Fatalf("JSON does not parse: %v", err)
			}
			if j.Unit == "" || j.Source == "" || j.CountingRule == "" || j.Period == "" || j.Chart != d.path || !strings.Contains(j.Permalink, d.page) {
				t.Errorf("JSON lacks provenance: %+v", j)
			}
			// A TIV chart names its flow set; one drawn from several files
			// (WDI beside SIPRI: two WDI files and the flow set) names each
			// with its vintage and digest.
			wantSets := 1
			switch d.path {
			case "/country/wdi":
				wantSets = 3
			case "/dyad/orders", "/country/editions/exports": // the register and the flow set; the extract and WDI
				wantSets = 2
			case "/country/editions/imports": // the extract, a TIV table and WDI
				wantSets = 3
			}
			if strings.Contains(j.Unit, "TIV") && (!strings.Contains(j.Vintage, "2026-02-12") || j.Dataset == "" || len(j.Datasets) != wantSets) {
				t.Errorf("JSON of a TIV chart lacks vintage or dataset: vintage %q, dataset %q, %d datasets", j.Vintage, j.Dataset, len(j.Datasets))
			}
			for _, ds := range j.Datasets {
				if len(ds.SHA256) != 64 {
					t.Errorf("dataset %q has SHA-256 %q", ds.Name, ds.SHA256)
				}
			}

			// CSV rows = JSON series = chart options (page and embed).
			recs := parseCSV(t, bodies["csv"])
			if len(recs) != len(j.X)+1 || len(recs[0]) != len(j.Series)+1 {
				t.Fatalf("CSV is %d×%d, JSON has %d x labels and %d series", len(recs), len(recs[0]), len(j.X), len(j.Series))
			}
			_, page := get(t, h, d.page+"?"+q)
			for name, body := range map[string]string{"page": page, "embed": embed} {
				o := chartOptions(t, body, chartIDs[d.path])
				if d.path == "/world/map" || strings.HasSuffix(d.path, "/flows") {
					checkDrawnTotal(t, name, o, j)
					continue
				}
				series, _ := o["series"].([]any)
				if len(series) != len(j.Series) {
					t.Fatalf("%s options have %d series, JSON %d", name, len(series), len(j.Series))
				}
				for k, s := range series {
					m := s.(map[string]any)
					pts := m["data"].([]any)
					if m["name"] != j.Series[k].Name || len(pts) != len(j.X) {
						t.Fatalf("%s series %d: name %v with %d points, JSON %q with %d", name, k, m["name"], len(pts), j.Series[k].Name, len(j.X))
					}
					for i, p := range pts {
						drawn := p.(map[string]any)["value"]
						jv := j.Series[k].Values[i]
						cell := recs[i+1][k+1]
						switch {
						case jv == nil:
							if drawn != "-" || cell != "" {
								t.Errorf("%s %s[%d]: JSON null, drawn %v, CSV %q", name, j.Series[k].Name, i, drawn, cell)
							}
						default:
							f, _ := drawn.(float64)
							c, err := strconv.ParseFloat(cell, 64)
							want := *jv
							if strings.HasPrefix(j.Unit, "percent") {
								// Shares are drawn and written as SIPRI
								// rounds them; the JSON keeps them unrounded.
								want, _ = analysis.RoundPercent(*jv)
							}
							if err != nil || f != want || c != want {
								t.Errorf("%s %s[%d]: JSON %v, drawn %v, CSV %q", name, j.Series[k].Name, i, *jv, drawn, cell)
							}
						}
					}
				}
			}
			for i, x := range j.X {
				if recs[i+1][0] != csvSafe(x) {
					t.Errorf("x %d: CSV %q, JSON %q", i, recs[i+1][0], x)
				}
			}
			if data := parseCSV(t, bodies["data.csv"]); len(data) < 1 || len(data[0]) < 3 {
				t.Errorf("full-data CSV has no header: %v", data)
			}
		})
	}
}

// TestDyadDataRows checks that the rows of /dyad/tiv.data.csv, from the
// real SIPRI listing, add up to the yearly imports the chart draws.
func TestDyadDataRows(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	q := "supplier=China&recipient=Pakistan&from=2015&to=2024"
	_, body := get(t, h, "/dyad/tiv.data.csv?"+q)
	rows := parseCSV(t, body)
	if got := strings.Join(rows[0][:4], ","); got != "supplier,recipient,year,TIV (SIPRI TIV millions; SIPRI Arms Transfers Database generated 2026-02-12)" {
		t.Errorf("header %q", got)
	}
	if got := strings.Join(rows[0][4:], ","); got != "of which resting on SIPRI estimates of numbers or years (SIPRI TIV millions; SIPRI Arms Transfers Database generated 2026-02-12),dataset" {
		t.Errorf("header after TIV %q", got)
	}
	sums := map[string]float64{}
	china, chinaEst := map[string]float64{}, map[string]float64{}
	for _, r := range rows[1:] {
		if r[1] != "Pakistan" {
			t.Fatalf("row of another recipient: %v", r)
		}
		v, err := strconv.ParseFloat(r[3], 64)
		est, err2 := strconv.ParseFloat(r[4], 64)
		if err != nil || err2 != nil || est > v {
			t.Fatalf("TIV %q, estimated %q: %v %v", r[3], r[4], err, err2)
		}
		sums[r[2]] += v
		if r[0] == "China" {
			china[r[2]] += v
			chinaEst[r[2]] += est
		}
	}
	_, chartCSV := get(t, h, "/dyad/tiv.csv?"+q)
	recs := parseCSV(t, chartCSV)
	if len(recs) != 11 || len(recs[0]) != 4 {
		t.Fatalf("%d chart rows of %d columns, want 10 years: firm, estimated, all imports", len(recs)-1, len(recs[0]))
	}
	for _, r := range recs[1:] {
		firm, _ := strconv.ParseFloat(r[1], 64)
		est, _ := strconv.ParseFloat(r[2], 64)
		total, _ := strconv.ParseFloat(r[3], 64)
		// The chart rounds each part to 0.01 million TIV.
		if math.Abs(firm+est-china[r[0]]) > 0.01+1e-9 || math.Abs(est-chinaEst[r[0]]) > 0.005+1e-9 || math.Abs(total-sums[r[0]]) > 0.005+1e-9 {
			t.Errorf("%s: chart %v + %v / %v, rows sum to %v (%v estimated) / %v", r[0], firm, est, total, china[r[0]], chinaEst[r[0]], sums[r[0]])
		}
	}
}

// TestChartZip checks the ZIP's four files, its metadata and citation.
func TestChartZip(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, body := getOK(t, h, "/dyad/tiv.zip?"+dyadQ+"&markers=off&scale=log")
	files := unzip(t, []byte(body))
	base := "armsdash_china_pakistan_tiv_1995-2024"
	for _, name := range []string{base + ".csv", base + "_data.csv", base + "_tidy.csv", "metadata.json", "README.txt"} {
		if _, ok := files[name]; !ok {
			t.Errorf("ZIP lacks %s (has %d files)", name, len(files))
		}
	}
	if len(files) != 5 {
		t.Errorf("ZIP has %d files, want 5", len(files))
	}
	var meta chartMetadata
	if err := json.Unmarshal(files["metadata.json"], &meta); err != nil {
		t.Fatalf("metadata.json: %v", err)
	}
	if meta.Vintage != "2026-02-12" || meta.Unit != "SIPRI TIV millions" || meta.Period != "1995–2024" ||
		!strings.Contains(meta.CountingRule, "delivery year") || meta.Licence == "" || meta.Attribution == "" ||
		len(meta.Datasets) != 1 || len(meta.Datasets[0].SHA256) != 64 || meta.Dataset != meta.Datasets[0].Name {
		t.Errorf("metadata: %+v", meta)
	}
	if want := "/dyad?from=1995&markers=off&recipient=Pakistan&scale=log&supplier=China&to=2024#chart-dyad-tiv"; meta.Permalink != want {
		t.Errorf("permalink %q, want %q", meta.Permalink, want)
	}
	cite := regexp.MustCompile(`SIPRI Arms Transfers Database \(generated 2026-02-12\), via armsdash, ` + regexp.QuoteMeta(meta.Permalink))
	if !cite.Match(files["README.txt"]) || !cite.MatchString(meta.Citation) {
		t.Errorf("no citation line in README.txt:\n%s", files["README.txt"])
	}
	if got := parseCSV(t, string(files[base+".csv"])); len(got) != 31 {
		t.Errorf("chart CSV in ZIP has %d rows, want 31", len(got))
	}
}

// TestPinnedEmbed checks the pinned snippet, the long cache of pinned
// forms, and the 410 page of a pin whose data are gone.
func TestPinnedEmbed(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, page := get(t, h, "/dyad?"+dyadQ)
	// The textarea holds the snippet's HTML, so its src is escaped twice.
	m := regexp.MustCompile(`<iframe src="(/embed/dyad/tiv\?[^"]*pin=[0-9a-f]{12}[^"]*)"`).FindStringSubmatch(text(page))
	if m == nil {
		t.Fatal("the Embed panel offers no pinned snippet")
	}
	pinned := text(m[1])
	if !strings.Contains(pinned, "dataset=sipri_china_pakistan.csv") {
		t.Errorf("pinned URL %q does not name the dataset", pinned)
	}
	res, body := get(t, h, pinned)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("pinned embed: status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	if !strings.Contains(body, "pin=") {
		t.Error("pinned embed's links lost the pin")
	}
	res, _ = get(t, h, "/embed/dyad/tiv?"+dyadQ)
	if res.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("live embed: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	res, _ = get(t, h, strings.Replace(pinned, "/embed/dyad/tiv", "/dyad/tiv.png", 1))
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("pinned PNG: status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	// The embed's link back to the full page keeps the pin: the page draws
	// the charts of the pinned data and names the one drawn from other
	// files (the events chart) as left out.
	back := regexp.MustCompile(`href="(/dyad\?[^"#]*pin=[^"#]*)#chart-dyad-tiv"`).FindStringSubmatch(body)
	if back == nil {
		t.Fatal("the pinned embed has no link back to the pinned page")
	}
	res, page = get(t, h, text(back[1]))
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="chart-dyad-tiv"`) || strings.Contains(page, `id="chart-dyad-events"`) ||
		!strings.Contains(text(page), "A chart (/dyad/events) is left out: this address is pinned") {
		t.Errorf("pinned page %s: status %d; want the TIV chart, not the events chart, and a notice", back[1], res.StatusCode)
	}
	if res, _ := get(t, h, "/dyad?"+dyadQ+"&pin=000000000000"); res.StatusCode != http.StatusGone {
		t.Errorf("a page none of whose charts match the pin: status %d; want 410", res.StatusCode)
	}
	// A dataset name no longer loaded is named in a notice; the pin, which
	// is the data's own digest, still finds the same bytes.
	renamed := strings.Replace(pinned, "dataset=sipri_china_pakistan.csv", "dataset=removed.csv", 1)
	if res, body := get(t, h, renamed); res.StatusCode != http.StatusOK || !strings.Contains(text(body), "Parameter dataset: no dataset “removed.csv”") {
		t.Errorf("%s: status %d; want the pinned data drawn, with a notice naming the dataset", renamed, res.StatusCode)
	}
	for _, target := range []string{
		regexp.MustCompile(`pin=[0-9a-f]{12}`).ReplaceAllString(pinned, "pin=000000000000"),
		"/dyad/tiv.csv?" + dyadQ + "&pin=000000000000",
		"/embed/events/types?pin=000000000000",
	} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusGone || !strings.Contains(text(body), "The data this chart was pinned to") ||
			!strings.Contains(text(body), "is no longer loaded here") || !strings.Contains(text(body), "generated 2026-02-12") {
			t.Errorf("%s: status %d, want 410 naming the pinned and the loaded data\n%s", target, res.StatusCode, body)
		}
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("%s: a 410 is cached as immutable", target)
		}
	}
}

// TestInvalidState checks the one rule for invalid display values:
// pages and embeds name them in a notice and draw the default; files
// answer 400 naming the parameter and value.
func TestInvalidState(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, target := range []string{"/embed/dyad/tiv?" + dyadQ + "&scale=cubic", "/events?scale=cubic", "/country?name=Pakistan&scale=cubic", "/embed/events/types?scale=cubic"} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusOK || !strings.Contains(text(body), "scale=cubic is not one of linear, log. Showing linear") {
			t.Errorf("%s: status %d, or no notice", target, res.StatusCode)
		}
	}
	for _, target := range []string{"/dyad?" + dyadQ + "&chart=pie", "/embed/dyad/shares?" + dyadQ + "&chart=pie"} {
		_, body := get(t, h, target)
		if !strings.Contains(text(body), "chart=pie is not one of bar, line. Showing bar") {
			t.Errorf("%s: no notice", target)
		}
	}
	for _, ext := range chartForms {
		for _, bad := range []string{"scale=cubic", "chart=pie", "measure=usd", "pin=xyz"} {
			res, body := get(t, h, "/dyad/tiv."+ext+"?"+dyadQ+"&"+bad)
			name, value, _ := strings.Cut(bad, "=")
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(body), "Parameter "+name) || !strings.Contains(text(body), value) {
				t.Errorf(".%s?%s: status %d, want 400 naming %s", ext, bad, res.StatusCode, bad)
			}
		}
	}
	// measure=share exists only where a chart offers it.
	if res, _ := get(t, h, "/country/imports.csv?name=Pakistan&measure=share"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("measure=share on a country chart: status %d, want 400", res.StatusCode)
	}
}

// TestMeasureShare checks the dyad TIV chart's yearly share form.
func TestMeasureShare(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	res, body := get(t, h, "/dyad/tiv.json?"+dyadQ+"&measure=share")
	var j seriesJSON
	if err := json.Unmarshal([]byte(body), &j); res.StatusCode != 200 || err != nil {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if j.Unit != "percent of SIPRI TIV" || len(j.Series) != 1 || len(j.X) != 30 {
		t.Fatalf("unit %q, %d series, %d years", j.Unit, len(j.Series), len(j.X))
	}
	_, tiv := get(t, h, "/dyad/tiv.csv?"+dyadQ)
	recs := parseCSV(t, tiv)
	for i, v := range j.Series[0].Values {
		part, _ := strconv.ParseFloat(recs[i+1][1], 64)
		total, _ := strconv.ParseFloat(recs[i+1][2], 64)
		switch {
		case total == 0:
			if v != nil {
				t.Errorf("%s: share %v of no imports", j.X[i], *v)
			}
		case v == nil || math.Abs(*v-part/total*100) > 0.1:
			t.Errorf("%s: share %v, want %.2f/%.2f", j.X[i], v, part, total)
		}
	}
}

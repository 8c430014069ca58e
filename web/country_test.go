package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// TestCountryListing checks Pakistan's profile, 2020–2024, from the full
// listing against rankings and an HHI computed here from data.SumFlows.
func TestCountryListing(t *testing.T) {
	snap := listingSnapshot(t)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()

	// Independently: Pakistan's imports by supplier, 2020–2024.
	bySupplier := map[string]float64{}
	var total float64
	for _, f := range listingFlows(t) {
		if f.Recipient == "Pakistan" && f.Year >= 2020 && f.Year <= 2024 {
			bySupplier[f.Supplier] += f.TIV
			total += f.TIV
		}
	}
	type kv struct {
		name string
		tiv  float64
	}
	var ranked []kv
	var hhi float64
	for n, v := range bySupplier {
		ranked = append(ranked, kv{n, v})
		hhi += (100 * v / total) * (100 * v / total)
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].tiv != ranked[j].tiv {
			return ranked[i].tiv > ranked[j].tiv
		}
		return ranked[i].name < ranked[j].name
	})
	if ranked[0].name != "China" {
		t.Fatalf("independent ranking starts with %s", ranked[0].name)
	}
	topShare := 100 * ranked[0].tiv / total
	t.Logf("Pakistan 2020–2024: total %.2f, HHI %.1f, China %.4f%%, %d suppliers", total, hhi, topShare, len(ranked))

	_, body := getOK(t, h, "/country?name=Pakistan&from=2020&to=2024")
	page := text(body)
	want := []string{
		"Suppliers of Pakistan's imports, 2020–2024",
		fmt.Sprintf("<strong>%.0f</strong>", hhi),
		fmt.Sprintf("largest partner: China, %.0f%% (%.2f%%)", topShare, topShare),
		"Total: " + millions(total) + " million TIV",
		"Customers of Pakistan's exports, 2020–2024",
		"2020–2024, deliveries by delivery year, SIPRI TIV, millions",
		"generated 2026-02-12",
		`id="chart-country-imports"`, `id="chart-country-exports"`,
		"/country/imports.csv?from=2020&name=Pakistan&to=2024",
		"Linear trend (ordinary least squares) of Pakistan's yearly imports, 2020–2024",
		"n = 5 years",
	}
	// Top ten suppliers in order, each with its TIV, then the others line.
	last := 0
	for i, r := range ranked[:min(10, len(ranked))] {
		name := strings.ReplaceAll(r.name, " ", "+")
		row := fmt.Sprintf(`<a href="/country?from=2020&name=%s&to=2024">%s</a> <a class="pair-link" href="/dyad?from=2020&recipient=Pakistan&supplier=%s&to=2024" title="The deliveries between the two, year by year">pair →</a></th><td class="num">%s</td>`, name, r.name, name, millions(r.tiv))
		at := strings.Index(page, row)
		if at < last {
			t.Errorf("supplier %d (%s, %s) missing or out of order", i+1, r.name, millions(r.tiv))
			continue
		}
		last = at
	}
	if len(ranked) > 10 {
		want = append(want, fmt.Sprintf("all others (%d partners below the top 10)", len(ranked)-10))
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

// TestCountryBuiltin checks that the profile says what the built-in
// extract cannot give, instead of showing wrong numbers.
func TestCountryBuiltin(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct {
		target       string
		status       int
		want, absent []string
	}{
		{"/country?name=Pakistan&from=2020&to=2024", 200,
			[]string{"Suppliers of Pakistan's imports, 2020–2024", "does not hold all of Pakistan's exports", `id="chart-country-imports"`, "largest partner: China, 81% (81.14%)"},
			[]string{`id="chart-country-exports"`}},
		{"/country?name=China&from=2020&to=2024", 200,
			[]string{"holds China's exports only as a total", "Its total exports in 2020–2024: 8,385.45 million TIV", `id="chart-country-exports"`, "does not hold all of China's imports"},
			[]string{`id="chart-country-imports"`, "(other recipients of China)</a>"}},
		{"/country", 200, []string{"Pakistan: arms imports and exports, 2020–2024", `aria-current="page">Countries</a>`}, nil},
		{"/country?name=Atlantis", 200, []string{"Parameter name: no data for “Atlantis”", "Showing Pakistan.", "Pakistan: arms imports and exports, 2020–2024"}, nil},
		{"/country?name=Pakistn", 200, []string{"Parameter name: no data for “Pakistn” as a country in SIPRI Arms Transfers Database, generated 2026-02-12; did you mean “Pakistan”?"}, nil},
		{"/country?name=Pakistan&from=2024&to=2020", 200, []string{"Parameter from: 2024 is after to (2020)", "Showing 2020–2024."}, nil},
		{"/country?name=Pakistan&from=abc", 200, []string{"Parameter from: “abc” is not a year", "Pakistan: arms imports and exports, 2020–2024"}, []string{"from=abc"}},
		{"/country?name=Pakistan&nmae=India", 200, []string{"Parameter nmae: this page takes no such parameter", "did you mean “name”?"}, nil},
		{"/country.csv?name=Atlantis", 404, nil, nil},
		{"/country/imports.csv?name=Atlantis", 400, []string{"Parameter name: no data for “Atlantis”"}, nil},
		{"/country/exports.csv?name=Pakistan", 404, []string{"does not hold all of Pakistan's exports"}, nil},
		{"/country/imports.csv?name=China", 404, []string{"does not hold all of China's imports"}, nil},
	} {
		t.Run(c.target, func(t *testing.T) {
			res, body := get(t, h, c.target)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d", res.StatusCode, c.status)
			}
			page := text(body)
			checkContains(t, page, c.want, c.absent)
		})
	}
}

// TestCountryCSVEqualsChart checks the new charts' CSVs hold exactly the
// numbers drawn.
func TestCountryCSVEqualsChart(t *testing.T) {
	builtin := newTestServer(t, nil, t.TempDir(), nil).Handler()
	cases := []struct {
		h         http.Handler
		page, csv string
		id        string
	}{
		{builtin, "/country?name=Pakistan&from=2010&to=2024", "/country/imports.csv?name=Pakistan&from=2010&to=2024", "chart-country-imports"},
		{builtin, "/country?name=China&from=2010&to=2024", "/country/exports.csv?name=China&from=2010&to=2024", "chart-country-exports"},
		{builtin, "/dyad?" + dyadQ + "&markers=off", "/dyad/tiv.csv?" + dyadQ, "chart-dyad-tiv"},
	}
	for _, c := range cases {
		t.Run(c.csv, func(t *testing.T) {
			_, page := get(t, c.h, c.page)
			d := drawnOf(t, chartOptions(t, page, c.id))
			res, body := get(t, c.h, c.csv)
			if res.StatusCode != 200 {
				t.Fatalf("CSV status %d", res.StatusCode)
			}
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			d.checkCSV(t, recs, " (")
		})
	}
	// The moving sum of 2024 is the five years' sum: 6,512.63 on the extract.
	_, body := get(t, builtin, "/country/imports.csv?name=Pakistan&from=2020&to=2024")
	if !strings.Contains(body, "\n2024,982.2,6512.63,") {
		t.Errorf("2024 row lacks the moving sum 6512.63:\n%s", body)
	}
}

// TestNetwork checks the network page on the extract and the listing.
func TestNetwork(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	res, body := get(t, h, "/network?from=2020&to=2024")
	page := text(body)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, w := range []string{"Arms-trade network, 2020–2024", "the network below is only Pakistan and its suppliers", "generated 2026-02-12", `<a href="/country?from=2020&name=Pakistan&to=2024">Pakistan</a>`, "Communities"} {
		if !strings.Contains(page, w) {
			t.Errorf("extract page lacks %q", w)
		}
	}
	if strings.Contains(page, "other recipients of") {
		t.Error("the summed row of other recipients is shown as a country")
	}
	if res, body := get(t, h, "/network?from=2024&to=2020"); res.StatusCode != 200 || !strings.Contains(text(body), "Parameter from: 2024 is after to (2020)") {
		t.Errorf("reversed years: status %d, or no notice", res.StatusCode)
	}

	lh := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	res, body = get(t, lh, "/network?from=2020&to=2024")
	page = text(body)
	if res.StatusCode != 200 {
		t.Fatalf("listing: status %d", res.StatusCode)
	}
	if strings.Contains(page, "only Pakistan and its suppliers") {
		t.Error("listing page calls itself an extract")
	}
	if n := len(regexp.MustCompile(`<tr><td class="num">\d+</td><th scope="row">`).FindAllString(page, -1)); n != networkTop {
		t.Errorf("listing table has %d rows, want %d", n, networkTop)
	}
	for _, w := range []string{">United States</a>", ">Russia</a>", "<li>"} {
		if !strings.Contains(page, w) {
			t.Errorf("listing page lacks %q", w)
		}
	}
}

// TestHostileNamesOnNewPages checks that names from imported files stay
// inert on the country, network and dyad-statistics pages, in the API's
// JSON and in the country CSVs.
func TestHostileNamesOnNewPages(t *testing.T) {
	h := newTestServer(t, hostileSnapshot(), t.TempDir(), nil).Handler()
	for _, target := range []string{
		"/dyad?supplier=" + urlEscape(hostile) + "&recipient=Pakistan&from=2000&to=2001",
		"/country?name=" + urlEscape(hostile) + "&from=2000&to=2001",
		"/country?name=Pakistan&from=2000&to=2001",
		"/country?name=" + urlEscape(hostile+"x"),
		"/network?from=2000&to=2001",
	} {
		t.Run(target, func(t *testing.T) {
			res, body := get(t, h, target)
			if res.StatusCode >= 500 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, bad := range []string{"<img src=x", "<i>", "<b>", "<x>"} {
				if strings.Contains(body, bad) {
					t.Errorf("body contains %q unescaped", bad)
				}
			}
			if strings.Count(body, "</script>") != strings.Count(body, "<script") {
				t.Error("a value closed a <script> element")
			}
		})
	}
	for _, target := range []string{
		"/api/v1/shares?supplier=" + urlEscape(hostile) + "&recipient=Pakistan&from=2000&to=2001",
		"/api/v1/rankings?recipient=Pakistan&from=2000&to=2001",
		"/api/v1/shares?supplier=" + urlEscape(hostile+"x") + "&recipient=Pakistan&from=2000&to=2001",
	} {
		var v map[string]any
		_, body := getJSON(t, h, target, &v)
		if strings.Contains(body, "<img") || !strings.Contains(body, `\u003c/script\u003e`) {
			t.Errorf("%s: JSON not HTML-escaped: %.300s", target, body)
		}
	}
	// A name that a spreadsheet would run as a formula is defused in the CSV.
	formula := `=HYPERLINK("http://x","y")`
	snap := hostileSnapshot()
	fs := snap.FlowSets[0]
	fs.Flows = append(fs.Flows, data.Flow{Supplier: formula, Recipient: data.OtherRecipients(formula), Year: 2000, TIV: 1})
	snap.FlowSets = []data.FlowSet{fs}
	h = newTestServer(t, snap, t.TempDir(), nil).Handler()
	res, body := get(t, h, "/country/exports.csv?name="+urlEscape(formula)+"&from=2000&to=2001")
	if res.StatusCode != 200 {
		t.Fatalf("formula CSV: status %d", res.StatusCode)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || !strings.HasPrefix(recs[0][1], "'"+formula) {
		t.Errorf("CSV header %q (%v)", recs, err)
	}
}

// TestCountryMovingSumReachesBack checks that the five-year moving sum of
// the first years of a range adds the years before it: Pakistan's imports
// 2016–2020 are 3,895.46 million TIV in the built-in extract (summed with
// awk from SIPRI's listing generated 2026-02-12), shown for 2020 on a
// 2020–2024 view, and 2020–2024 give 6,512.63 for 2024.
func TestCountryMovingSumReachesBack(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/country/imports.csv?name=Pakistan&from=2020&to=2024", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"2020": "3895.46", "2024": "6512.63"}
	for _, r := range rows[1:] {
		if w, ok := want[r[0]]; ok && r[2] != w {
			t.Errorf("moving sum for %s = %s, want %s", r[0], r[2], w)
		}
	}
}

// TestCountryReasonSaidOnce: a side the data does not hold is explained
// once, in its own section, not again where its chart would be.
func TestCountryReasonSaidOnce(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for target, reason := range map[string]string{
		"/country?name=Pakistan": "does not hold all of Pakistan's exports",
		"/country?name=China":    "does not hold all of China's imports",
	} {
		_, body := get(t, h, target)
		if n := strings.Count(text(body), reason); n != 1 {
			t.Errorf("%s says %q %d times; want once", target, reason, n)
		}
	}
}

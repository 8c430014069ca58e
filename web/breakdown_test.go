package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// rawTotal sums the raw listing (read with encoding/csv, see
// shareddata.Listing) over from..to for a supplier and a recipient (""
// for any) and, when key is given, only the rows whose value of dimension
// by is key: the TIV, and the percentage of it resting on SIPRI's
// estimates.
func rawTotal(t *testing.T, supplier, recipient string, from, to int, by, key string) (tiv, estimated float64) {
	t.Helper()
	var est float64
	for _, r := range shareddata.Listing(t) {
		if r.Year < from || r.Year > to || supplier != "" && r.Supplier != supplier || recipient != "" && r.Recipient != recipient || key != "" && r.Key(by) != key {
			continue
		}
		tiv += r.TIV
		if r.Estimated {
			est += r.TIV
		}
	}
	return tiv, 100 * est / tiv
}

// TestAPIBreakdownListing checks /api/v1/breakdown on the full listing in
// a SQLite store (details summed in SQL) against sums of the raw file,
// and against pandas' sums (documented in dashboard's
// TestBreakdownListing) for a few of them.
func TestAPIBreakdownListing(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	for _, c := range []struct {
		query               string
		supplier, recipient string
		from, to            int
		by                  string
		pandasEstimated     float64 // percent of the total, from pandas
		pandasKey           string
		pandasShare         float64 // the key's percent of the total, from pandas
	}{
		{"supplier=China&recipient=Pakistan&from=2020&to=2024", "China", "Pakistan", 2020, 2024, dashboard.ByCategory, 70.20576848112809, "Ships", 29.567155762615005},
		{"recipient=Pakistan&from=2020&to=2024&by=status", "", "Pakistan", 2020, 2024, dashboard.ByStatus, 62.18962231847962, "Second hand", 3.675934299967908},
		{"recipient=India&from=2015&to=2024&by=status", "", "India", 2015, 2024, dashboard.ByStatus, 72.81360897110704, "New", 100},
		{"from=2020&to=2024&by=local_production", "", "", 2020, 2024, dashboard.ByLocalProduction, 59.12066973113531, "Yes", 29.804899134378203},
		{"supplier=China&recipient=Pakistan&from=2015&to=2024&by=local_production", "China", "Pakistan", 2015, 2024, dashboard.ByLocalProduction, 74.85247060304303, "No", 51.615440845431785},
	} {
		t.Run(c.query, func(t *testing.T) {
			var b dashboard.Breakdown
			if status, body := getJSON(t, h, "/api/v1/breakdown?"+c.query, &b); status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			total, est := rawTotal(t, c.supplier, c.recipient, c.from, c.to, c.by, "")
			if math.Abs(b.TotalTIV-total) > 1e-6 || !near(b.EstimatedShare, est, 1e-9) || !near(b.EstimatedShare, c.pandasEstimated, 1e-9) {
				t.Errorf("total %v, %v%% estimated; raw %v, %v%%; pandas %v%%", b.TotalTIV, deref(b.EstimatedShare), total, est, c.pandasEstimated)
			}
			if b.By != c.by || b.Supplier != c.supplier || b.Recipient != c.recipient || b.From != c.from || b.To != c.to || b.Dataset.Vintage != "2026-02-12" {
				t.Errorf("echo %+v", b)
			}
			found := false
			for _, r := range b.Rows {
				tiv, rest := rawTotal(t, c.supplier, c.recipient, c.from, c.to, c.by, r.Key)
				if math.Abs(r.TIV-tiv) > 1e-6 || !near(r.Share, 100*tiv/total, 1e-9) || !near(r.EstimatedShare, rest, 1e-9) {
					t.Errorf("%s: %v TIV, %v%%, %v%% estimated; raw %v, %v%%, %v%%", r.Key, r.TIV, deref(r.Share), deref(r.EstimatedShare), tiv, 100*tiv/total, rest)
				}
				if r.Key == c.pandasKey {
					found = true
					if !near(r.Share, c.pandasShare, 1e-9) {
						t.Errorf("%s: %v%%; pandas %v%%", r.Key, deref(r.Share), c.pandasShare)
					}
				}
			}
			if !found {
				t.Errorf("no row %s in %+v", c.pandasKey, b.Rows)
			}
		})
	}
}

// TestAPIBreakdownErrors checks the breakdown API's answers to what it
// cannot serve: bad values and unknown parameters are a 400 naming the
// parameter (by= with its known values), and data holding no listing a
// 404 saying so.
func TestAPIBreakdownErrors(t *testing.T) {
	listing := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	builtin := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct {
		h             http.Handler
		target, param string
		status        int
		want          string
	}{
		{listing, "/api/v1/breakdown?from=2020&to=2024&by=weapon", "by", 400, "by=weapon is not one of category, status, local_production"},
		{listing, "/api/v1/breakdown?from=2020&to=2024&by=stauts", "by", 400, "did you mean “status”?"},
		{listing, "/api/v1/breakdown?from=2020&to=2024&side=imports", "side", 400, "this page takes no such parameter"},
		{listing, "/api/v1/breakdown?supplier=China&recipient=China&from=2020&to=2024", "recipient", 400, "both China"},
		{listing, "/api/v1/breakdown?supplier=Atlantis&from=2020&to=2024", "supplier", 400, "“Atlantis”"},
		{listing, "/api/v1/breakdown?from=2020", "to", 400, "missing"},
		{builtin, "/api/v1/breakdown?supplier=China&recipient=Pakistan&from=2020&to=2024", "", 404, "need SIPRI's per-delivery-year listing"},
	} {
		var e apiError
		status, body := getJSON(t, c.h, c.target, &e)
		if status != c.status || e.Param != c.param || !strings.Contains(e.Error, c.want) {
			t.Errorf("%s: %d %s; want %d, param %q, %q", c.target, status, body, c.status, c.param, c.want)
		}
		if c.param == "by" && len(e.Known) != 3 {
			t.Errorf("%s: known values %v; want the three dimensions", c.target, e.Known)
		}
	}
}

// TestEstimatedSharesAPI checks the estimated shares the shares, rankings
// and world APIs give with the full listing against the raw file's sums,
// and that the built-in extract, which holds only totals, gives none.
func TestEstimatedSharesAPI(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	est := func(supplier, recipient string) float64 {
		_, e := rawTotal(t, supplier, recipient, 2020, 2024, "", "")
		return e
	}
	var sh dashboard.Shares
	getJSON(t, h, "/api/v1/shares?supplier=China&recipient=Pakistan&from=2020&to=2024", &sh)
	if e := sh.TIV.EstimatedShare; e == nil || !near(e.SupplierToRecipient, est("China", "Pakistan"), 1e-9) ||
		!near(e.RecipientImportsTotal, est("", "Pakistan"), 1e-9) || !near(e.SupplierExportsTotal, est("China", ""), 1e-9) {
		t.Errorf("shares: estimated %+v; raw %v, %v, %v", e, est("China", "Pakistan"), est("", "Pakistan"), est("China", ""))
	}
	var r dashboard.Ranking
	getJSON(t, h, "/api/v1/rankings?supplier=China&from=2020&to=2024", &r)
	if !near(r.EstimatedShare, est("China", ""), 1e-9) {
		t.Errorf("China's customers: %v%% estimated; raw %v", deref(r.EstimatedShare), est("China", ""))
	}
	var w worldAPI
	getJSON(t, h, "/api/v1/world?from=2020&to=2024", &w)
	if !near(w.EstimatedShare, est("", ""), 1e-9) {
		t.Errorf("world: %v%% estimated; raw %v", deref(w.EstimatedShare), est("", ""))
	}

	builtin := newTestServer(t, nil, t.TempDir(), nil).Handler()
	var bs map[string]any
	getJSON(t, builtin, "/api/v1/shares?supplier=China&recipient=Pakistan&from=2020&to=2024", &bs)
	if v, ok := bs["tiv"].(map[string]any)["estimated_share"]; !ok || v != nil {
		t.Errorf("built-in extract: estimated_share %v (present %v); want null", v, ok)
	}
}

// TestBreakdownPages checks what the pair, country and world pages say
// of breakdowns and estimates with the full listing: the share of each
// total resting on estimates as SIPRI rounds it, computed here from the
// raw file, and the period split by every dimension.
func TestBreakdownPages(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	// As SIPRI rounds: whole percent at or above 10%, one decimal below.
	pct := func(v float64) string {
		if v >= 9.95 {
			return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
		}
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	const rests = " of it rests on SIPRI's estimates of numbers delivered or delivery years"
	_, cp := rawTotal(t, "China", "Pakistan", 2020, 2024, "", "")
	_, pk := rawTotal(t, "", "Pakistan", 2020, 2024, "", "")
	_, cn := rawTotal(t, "China", "", 2020, 2024, "", "")
	ships, shipsEst := rawTotal(t, "China", "Pakistan", 2020, 2024, dashboard.ByCategory, "Ships")
	all, _ := rawTotal(t, "China", "Pakistan", 2020, 2024, dashboard.ByCategory, "")
	_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan&from=2020&to=2024&by=status")
	page := text(body)
	for _, want := range []string{
		pct(cp) + rests, // 70%, as the issue reports
		"Resting on SIPRI's estimates of numbers delivered or delivery years: " + pct(cp) + " of the TIV from China to Pakistan, " + pct(pk) + " of Pakistan's imports and " + pct(cn) + " of China's exports.",
		"<th scope=\"row\">Ships</th><td class=\"num\">" + millions(ships) + "</td><td class=\"num\">" + pct(100*ships/all) + "</td><td class=\"num\">" + pct(shipsEst) + "</td>",
		"Arms deliveries from China to Pakistan per year by status, 2020–2024",
		`<option value="status" selected>status</option>`,
		"/api/v1/breakdown?by=local_production&amp;from=2020&amp;recipient=Pakistan&amp;supplier=China&amp;to=2024",
		"The lighter part of each bar of China to Pakistan",
	} {
		if !strings.Contains(page, strings.ReplaceAll(want, "&amp;", "&")) && !strings.Contains(body, want) {
			t.Errorf("/dyad lacks %q", want)
		}
	}
	if pct(cp) != "70%" {
		t.Errorf("China → Pakistan 2020–2024: %s resting on estimates; the raw file gives 70.2%%", pct(cp))
	}

	_, body = getOK(t, h, "/country?name=Pakistan&from=2020&to=2024")
	_, pkExp := rawTotal(t, "Pakistan", "", 2020, 2024, "", "")
	for _, want := range []string{"What Pakistan imported, 2020–2024", "What Pakistan exported, 2020–2024",
		"Total: " + millions(6512.63) + " million TIV; " + pct(pk) + rests, pct(pkExp) + rests,
		"Pakistan's arms imports per year by armament category, 2020–2024", "Pakistan imports from all suppliers, resting on SIPRI estimates"} {
		if !strings.Contains(text(body), want) {
			t.Errorf("/country lacks %q", want)
		}
	}

	_, body = getOK(t, h, "/world?from=2020&to=2024")
	_, world := rawTotal(t, "", "", 2020, 2024, "", "")
	for _, want := range []string{pct(world) + rests, "The world's arms transfers per year by armament category, 1995–2024", "In 2020–2024: Aircraft 44%"} {
		if !strings.Contains(text(body), want) {
			t.Errorf("/world lacks %q", want)
		}
	}
	if _, body = getOK(t, h, "/"); !strings.Contains(text(body), "World total, 2020–2024") || !strings.Contains(text(body), pct(world)+rests) {
		t.Errorf("the overview's world total does not say that %s of it rests on estimates", pct(world))
	}
}

// TestBreakdownChartsListing checks the breakdown charts' numbers on the
// full listing: each year of /dyad/breakdown.csv and
// /country/exports-breakdown.csv against the raw file, rounded as drawn.
func TestBreakdownChartsListing(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	for _, c := range []struct {
		path, query         string
		supplier, recipient string
		from, to            int
		by                  string
	}{
		{"/dyad/breakdown.csv", "supplier=China&recipient=Pakistan&from=2015&to=2024&by=status", "China", "Pakistan", 2015, 2024, dashboard.ByStatus},
		{"/country/exports-breakdown.csv", "name=China&from=2015&to=2024&by=local_production", "China", "", 2015, 2024, dashboard.ByLocalProduction},
		{"/country/imports-breakdown.csv", "name=India&from=2020&to=2024", "", "India", 2020, 2024, dashboard.ByCategory},
		{"/world/categories.csv", "from=2020&to=2024", "", "", 1995, 2024, dashboard.ByCategory},
	} {
		_, body := getOK(t, h, c.path+"?"+c.query)
		recs := parseCSV(t, body)
		if len(recs) != c.to-c.from+2 {
			t.Fatalf("%s: %d rows for %d years", c.path, len(recs)-1, c.to-c.from+1)
		}
		for j, head := range recs[0][1:] {
			key, _, _ := strings.Cut(head, " (")
			for _, row := range recs[1:] {
				y, _ := strconv.Atoi(row[0])
				got, err := strconv.ParseFloat(row[j+1], 64)
				want, _ := rawTotal(t, c.supplier, c.recipient, y, y, c.by, key)
				if err != nil || math.Abs(got-want) > 0.005+1e-9 {
					t.Errorf("%s %s %d: %s; raw %v", c.path, key, y, row[j+1], want)
				}
			}
		}
	}
	// The breakdown charts follow by= in every form, and name it.
	_, body := getOK(t, h, "/dyad/breakdown.json?supplier=China&recipient=Pakistan&from=2015&to=2024&by=local_production")
	if !strings.Contains(body, `"name": "Yes"`) || !strings.Contains(body, "by local production") {
		t.Errorf("breakdown JSON by local production: %.400s", body)
	}
}

// TestBreakdownWithoutListing checks the pages on data that hold no
// listing: the breakdown sections say why once, the charts are left
// out, their downloads are 404, and the pages' other charts stay.
func TestBreakdownWithoutListing(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, target := range []string{"/dyad?" + dyadQ + "&by=status", "/country?name=Pakistan&from=2020&to=2024"} {
		_, body := getOK(t, h, target)
		page := text(body)
		if n := strings.Count(page, "need SIPRI's per-delivery-year listing"); n == 0 || n > 2 {
			t.Errorf("%s: says %d times that breakdowns need the listing", target, n)
		}
		if strings.Contains(page, "resting on SIPRI estimates") || strings.Contains(page, "rests on SIPRI's estimates") {
			t.Errorf("%s: speaks of estimates the built-in extract does not hold", target)
		}
		if !strings.Contains(body, `id="chart-dyad-tiv"`) && !strings.Contains(body, `id="chart-country-imports"`) {
			t.Errorf("%s: the yearly chart is missing", target)
		}
	}
	for _, target := range []string{"/dyad/breakdown.csv?" + dyadQ, "/country/imports-breakdown.png?name=Pakistan", "/embed/dyad/breakdown?" + dyadQ} {
		if res, body := get(t, h, target); res.StatusCode != http.StatusNotFound || !strings.Contains(text(body), "per-delivery-year listing") {
			t.Errorf("%s: status %d; want 404 saying why", target, res.StatusCode)
		}
	}
}

// TestEstimatedImage checks the image of the pair's yearly TIV: the
// estimated part stacked on the firm part, in a lighter tint of its
// colour, beside the recipient's imports, and the page's options alike.
func TestEstimatedImage(t *testing.T) {
	s := Series{ID: "x", Title: "t", XName: "year", X: []string{"2020", "2021"}, Series: []Named{
		{Name: "firm", Values: []float64{1, 2}, Stack: "estimates"},
		{Name: "estimated", Values: []float64{3, 0}, Stack: "estimates", Light: true},
		{Name: "all", Values: []float64{5, 6}},
	}}
	ci, err := newChartImage(s)
	if err != nil {
		t.Fatal(err)
	}
	if ci.plotted(1, 0) != 4 || ci.plotted(1, 1) != 2 || ci.plotted(2, 0) != 5 {
		t.Errorf("tops %v, %v, %v: the estimated part is not stacked on the firm part alone", ci.plotted(1, 0), ci.plotted(1, 1), ci.plotted(2, 0))
	}
	if slot, slots := ci.barSlots([]int{0, 1, 2}); slots != 2 || slot[0] != slot[1] || slot[2] == slot[0] {
		t.Errorf("places %v of %d: the two parts share one, the total stands beside", slot, slots)
	}
	firm, _ := s.colorOf(0)
	est, _ := s.colorOf(1)
	if est.R < firm.R || est.G < firm.G || est.B < firm.B || est == firm {
		t.Errorf("estimated colour %v is not a lighter tint of %v", est, firm)
	}
	svg, err := ci.render(formatSVG, dashboard.ImageSize{W: 960, H: 540})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), cssColor(est)) || !strings.Contains(string(svg), cssColor(firm)) {
		t.Error("the SVG does not draw both parts' colours")
	}
	o, err := s.Options()
	if err != nil {
		t.Fatal(err)
	}
	js := string(o)
	if strings.Count(js, `"stack":"estimates"`) != 2 || !strings.Contains(js, cssColor(est)) || !strings.Contains(js, cssColor(firm)) {
		t.Errorf("options do not stack the two parts in the image's colours: %.600s", js)
	}
}

// handListing is the flow index of a hand-made listing (made-up countries
// and figures) with details: Freedonia delivers to Sylvania in 2020 and
// 2021, partly on estimates, and Ruritania to Sylvania in 2021.
func handListing(t *testing.T) *dashboard.FlowIndex {
	t.Helper()
	ds := data.Dataset{Name: "hand.csv", Format: data.FormatSIPRIDeliveries, Source: "hand-made listing", Vintage: "2026-02-12", SHA256: strings.Repeat("cd", 32)}
	dv := []data.Delivery{
		{Supplier: "Freedonia", Recipient: "Sylvania", Year: 2020, Category: "Aircraft", Status: "New", TIV: 12, YearEstimate: true},
		{Supplier: "Freedonia", Recipient: "Sylvania", Year: 2020, Category: "Ships", Status: "Second hand", TIV: 4},
		{Supplier: "Freedonia", Recipient: "Sylvania", Year: 2021, Category: "Aircraft", Status: "New", TIV: 6, LocalProduction: true},
		{Supplier: "Ruritania", Recipient: "Sylvania", Year: 2021, Category: "Missiles", Status: "New", TIV: 3, NumberEstimate: true},
	}
	d := dashboard.New(&data.Snapshot{Version: "hand", Datasets: []data.Dataset{ds},
		FlowSets: []data.FlowSet{{Dataset: ds, Flows: data.SumFlows(dv), Details: data.SumDetails(dv)}}})
	fi, err := d.Flows("")
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

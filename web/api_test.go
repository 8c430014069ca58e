package web

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// listingFile is SIPRI's full per-delivery-year listing in shared data.
const listingFile = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"

var listing sharedSnapshot

// listingSnapshot imports the full listing into a temporary SQLite store
// (once per test binary) and returns the store's snapshot. It skips when
// the shared data is absent.
func listingSnapshot(t *testing.T) *data.Snapshot { return listing.get(t, listingFile) }

// listingFlows reads the full listing and sums it with data.SumFlows,
// independently of the store and of the analysis package.
func listingFlows(t *testing.T) []data.Flow {
	t.Helper()
	return data.SumFlows(sqlitetest.ReadFile(t, shareddata.Path(t, listingFile)).Deliveries)
}

func getJSON(t *testing.T, h http.Handler, target string, into any) (int, string) {
	t.Helper()
	res, body := get(t, h, target)
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("%s: Content-Type %q, body %.200s", target, ct, body)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("%s: not JSON: %v\n%.300s", target, err, body)
	}
	return res.StatusCode, body
}

func near(got *float64, want, tol float64) bool {
	return got != nil && math.Abs(*got-want) < tol
}

// TestAPISharesBuiltin checks /api/v1/shares against the analysis
// package on the built-in extract, and the figures SIPRI's listing gives.
func TestAPISharesBuiltin(t *testing.T) {
	snap := builtinSnapshot(t)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	set, _ := snap.FlowSet("")
	var ts []analysis.Transfer
	for _, f := range set.Flows {
		ts = append(ts, analysis.Transfer{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV})
	}
	for _, c := range []struct {
		from, to        int
		query           string
		wantImp, wantEx float64 // percent, to 1e-4
	}{
		{2017, 2021, "supplier=China&recipient=Pakistan&from=2017&to=2021", 75.2856, 45.9502},
		{2020, 2024, "supplier=China&recipient=Pakistan&from=2020&to=2024", 81.1436, 63.0208},
		{2020, 2024, "supplier=china&recipient=pakistan&from=2020&to=2024", 81.1436, 63.0208},
	} {
		t.Run(c.query, func(t *testing.T) {
			var got dashboard.Shares
			if status, body := getJSON(t, h, "/api/v1/shares?"+c.query, &got); status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			p := analysis.Period{From: c.from, To: c.to}
			imp := analysis.SupplierShare(ts, "China", "Pakistan", p)
			exp := analysis.RecipientShare(ts, "China", "Pakistan", p)
			if !near(got.SupplierShareOfRecipientImports, imp.Percent(), 1e-12) || !near(got.SupplierShareOfRecipientImports, c.wantImp, 1e-4) {
				t.Errorf("imports share %v, analysis %v, want %v", deref(got.SupplierShareOfRecipientImports), imp.Percent(), c.wantImp)
			}
			if !near(got.RecipientShareOfSupplierExports, exp.Percent(), 1e-12) || !near(got.RecipientShareOfSupplierExports, c.wantEx, 1e-4) {
				t.Errorf("exports share %v, analysis %v, want %v", deref(got.RecipientShareOfSupplierExports), exp.Percent(), c.wantEx)
			}
			if math.Abs(got.TIV.SupplierToRecipient-imp.Part) > 1e-6 || !near(got.TIV.RecipientImportsTotal, imp.Total, 1e-6) || !near(got.TIV.SupplierExportsTotal, exp.Total, 1e-6) {
				t.Errorf("TIV %+v, analysis part %v, totals %v and %v", got.TIV, imp.Part, imp.Total, exp.Total)
			}
			if got.Supplier != "China" || got.Recipient != "Pakistan" || got.From != c.from || got.To != c.to {
				t.Errorf("echo %+v", got)
			}
			if got.Unit != dashboard.Unit || got.CountingRule != dashboard.CountingRule || got.Dataset.Vintage != "2026-02-12" || got.Dataset.Name != "sipri_china_pakistan.csv" || !strings.Contains(got.Dataset.Attribution, "SIPRI") {
				t.Errorf("provenance %q %q %+v", got.Unit, got.CountingRule, got.Dataset)
			}
		})
	}
	// 2017–2021 sums as SIPRI's listing gives them.
	var got dashboard.Shares
	getJSON(t, h, "/api/v1/shares?supplier=China&recipient=Pakistan&from=2017&to=2021", &got)
	if got.TIV.SupplierToRecipient != 3026.63 || deref(got.TIV.RecipientImportsTotal) != 4020.2 || deref(got.TIV.SupplierExportsTotal) != 6586.76 {
		t.Errorf("TIV 2017–2021 = %v / %v / %v, want 3026.63 / 4020.2 / 6586.76", got.TIV.SupplierToRecipient, deref(got.TIV.RecipientImportsTotal), deref(got.TIV.SupplierExportsTotal))
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// TestAPISharesListing checks the shares with SIPRI's full listing in a
// SQLite store: Pakistan's share of China's exports.
func TestAPISharesListing(t *testing.T) {
	h := newTestServer(t, listingSnapshot(t), t.TempDir(), nil).Handler()
	for _, c := range []struct {
		query           string
		wantImp, wantEx float64
	}{
		{"supplier=China&recipient=Pakistan&from=2017&to=2021", 75.2856, 45.9502},
		{"supplier=China&recipient=Pakistan&from=2020&to=2024", 81.1436, 63.0208},
	} {
		var got dashboard.Shares
		if status, body := getJSON(t, h, "/api/v1/shares?"+c.query, &got); status != http.StatusOK {
			t.Fatalf("%s: status %d: %s", c.query, status, body)
		}
		if !near(got.SupplierShareOfRecipientImports, c.wantImp, 1e-4) || !near(got.RecipientShareOfSupplierExports, c.wantEx, 1e-4) {
			t.Errorf("%s: shares %v and %v, want %v and %v", c.query, deref(got.SupplierShareOfRecipientImports), deref(got.RecipientShareOfSupplierExports), c.wantImp, c.wantEx)
		}
		if got.Dataset.Vintage != "2026-02-12" || len(got.Notes) != 0 {
			t.Errorf("%s: dataset %+v, notes %q", c.query, got.Dataset, got.Notes)
		}
	}
	// With the full listing, China's customers can be ranked.
	var r dashboard.Ranking
	if status, body := getJSON(t, h, "/api/v1/rankings?supplier=China&from=2020&to=2024&top=3", &r); status != http.StatusOK {
		t.Fatalf("rankings: %d %s", status, body)
	}
	if len(r.Partners) != 4 || r.Partners[0].Name != "Pakistan" || !near(r.Partners[0].Percent, 63.0208, 1e-4) || !r.Partners[3].Others {
		t.Errorf("China's customers 2020–2024: %+v", r.Partners)
	}
}

// TestAPIErrors checks that bad API queries get a 400 JSON body naming
// the parameter, never HTML.
func TestAPIErrors(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	const pair = "supplier=China&recipient=Pakistan"
	for _, c := range []struct {
		target, param string
		status        int
		want          string
	}{
		{"/api/v1/shares?recipient=Pakistan&from=2017&to=2021", "supplier", 400, "missing"},
		{"/api/v1/shares?supplier=China&from=2017&to=2021", "recipient", 400, "missing"},
		{"/api/v1/shares?" + pair + "&to=2021", "from", 400, "missing"},
		{"/api/v1/shares?" + pair + "&from=2017", "to", 400, "missing"},
		{"/api/v1/shares?" + pair + "&from=20x7&to=2021", "from", 400, "“20x7” is not a year"},
		{"/api/v1/shares?" + pair + "&from=2021&to=2017", "from", 400, "2021 is after to (2017)"},
		{"/api/v1/shares?" + pair + "&from=1900&to=2017", "from", 400, "1900 is outside"},
		{"/api/v1/shares?" + pair + "&from=2017&to=2031", "to", 400, "2031 is outside"},
		{"/api/v1/shares?supplier=Atlantis&recipient=Pakistan&from=2017&to=2021", "supplier", 400, "“Atlantis”"},
		{"/api/v1/shares?supplier=China&recipient=India&from=2017&to=2021", "recipient", 400, "“India”"},
		{"/api/v1/shares?supplier=Pakistan&recipient=Pakistan&from=2017&to=2021", "supplier", 400, "“Pakistan”"},
		{"/api/v1/shares?supplier=%3Cscript%3E&recipient=Pakistan&from=2017&to=2021", "supplier", 400, "“<script>”"},
		{"/api/v1/rankings?from=2017&to=2021", "recipient", 400, "missing"},
		{"/api/v1/rankings?recipient=Pakistan&supplier=China&from=2017&to=2021", "supplier", 400, "not both"},
		{"/api/v1/rankings?recipient=Pakistan&from=2017&to=2021&top=0", "top", 400, "“0”"},
		{"/api/v1/rankings?recipient=Pakistan&from=2017&to=2021&top=x", "top", 400, "“x”"},
		// The extract holds China's exports only as a total.
		{"/api/v1/rankings?supplier=China&from=2017&to=2021", "supplier", 400, "only as a total"},
		{"/api/v1/shares?" + pair + "&from=2017&to=2021&dataset=nope", "dataset", 400, "no dataset “nope”"},
		{"/api/v1/shares?" + pair + "&from=2017&to=2021&frm=2000", "frm", 400, "did you mean “from”?"},
	} {
		t.Run(c.target, func(t *testing.T) {
			var e apiError
			status, body := getJSON(t, h, c.target, &e)
			if status != c.status || e.Param != c.param || !strings.Contains(e.Error, c.want) {
				t.Errorf("got %d %s, want %d param %q containing %q", status, body, c.status, c.param, c.want)
			}
			if c.param != "" && !strings.Contains(e.Error, "Parameter "+c.param) {
				t.Errorf("error %q does not name parameter %s", e.Error, c.param)
			}
		})
	}
}

// TestAPIRankingsBuiltin checks Pakistan's suppliers on the built-in
// extract against the analysis package.
func TestAPIRankingsBuiltin(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	var r dashboard.Ranking
	if status, body := getJSON(t, h, "/api/v1/rankings?recipient=Pakistan&from=2020&to=2024&top=2", &r); status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if len(r.Partners) != 3 || r.Partners[0].Name != "China" || !near(r.Partners[0].Percent, 81.1436, 1e-4) || r.Partners[2].Name != "others" || !r.Partners[2].Others {
		t.Fatalf("partners %+v", r.Partners)
	}
	var sum float64
	for _, p := range r.Partners {
		sum += *p.Percent
	}
	if math.Abs(sum-100) > 1e-9 || r.HHI == nil || *r.HHI <= 81.14*81.14 || r.TotalTIV != 6512.63 {
		t.Errorf("shares sum to %v, HHI %v, total %v", sum, deref(r.HHI), r.TotalTIV)
	}
}

package dashboard

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// rawSums sums the raw listing's rows that keep selects over from..to by
// the key of dimension by: TIV and the TIV resting on SIPRI's estimates,
// by key and in all, and TIV by key and year.
type rawSums struct {
	total, estimated float64
	tiv, est         map[string]float64
	yearly           map[string]map[int]float64
}

func sumRaw(rows []shareddata.ListingRow, from, to int, by string, keep func(shareddata.ListingRow) bool) rawSums {
	s := rawSums{tiv: map[string]float64{}, est: map[string]float64{}, yearly: map[string]map[int]float64{}}
	for _, r := range rows {
		if r.Year < from || r.Year > to || !keep(r) {
			continue
		}
		k := r.Key(by)
		s.total += r.TIV
		s.tiv[k] += r.TIV
		if s.yearly[k] == nil {
			s.yearly[k] = map[int]float64{}
		}
		s.yearly[k][r.Year] += r.TIV
		if r.Estimated {
			s.estimated += r.TIV
			s.est[k] += r.TIV
		}
	}
	return s
}

// sides keeps the raw rows of a supplier and a recipient ("" for any).
func sides(supplier, recipient string) func(shareddata.ListingRow) bool {
	return func(r shareddata.ListingRow) bool {
		return (supplier == "" || r.Supplier == supplier) && (recipient == "" || r.Recipient == recipient)
	}
}

// TestBreakdownListing checks breakdowns of the full listing (every row,
// every share, every year) against sums of the raw file read with
// encoding/csv alone, and against totals and estimated shares computed
// with pandas (python3-pandas: read_csv(skiprows=11), sum "TIV delivery
// values" over the rows kept, and over those whose "Numbers delivered is
// estimate" or "Delivery year is estimate" is "Yes").
func TestBreakdownListing(t *testing.T) {
	d, _ := listingDashboard(t)
	raw := shareddata.Listing(t)
	for _, c := range []struct {
		query            string
		supplier, recip  string
		from, to         int
		by               string
		pandasTotal      float64 // million TIV
		pandasEstimated  float64 // percent
		pandasKey        string
		pandasKeyPercent float64
	}{
		{"supplier=China&recipient=Pakistan&from=2020&to=2024", "China", "Pakistan", 2020, 2024, ByCategory, 5284.58, 70.20576848112809, "Aircraft", 36.099368350938015},
		{"recipient=Pakistan&from=1995&to=2024&by=status", "", "Pakistan", 1995, 2024, ByStatus, 26011.5, 55.05445668262115, "Second hand but modernized", 3.4584318474520885},
		{"supplier=United+States&from=2020&to=2024&by=local_production", "United States", "", 2020, 2024, ByLocalProduction, 60949.25, 65.13855379680636, "Yes", 26.888321021177454},
		{"from=2020&to=2024&by=CATEGORY", "", "", 2020, 2024, ByCategory, 142948.11, 59.12066973113531, "Ships", 12.853090537538414},
		{"from=2020&to=2024&by=status", "", "", 2020, 2024, ByStatus, 142948.11, 59.12066973113531, "Second hand", 10.867579851178167},
	} {
		t.Run(c.query, func(t *testing.T) {
			v, _ := url.ParseQuery(c.query)
			p := NewParams(v)
			fi, q, err := d.ParseBreakdown(p)
			if err != nil {
				t.Fatal(err)
			}
			if bad, _ := p.Finish(); len(bad) > 0 {
				t.Fatal(bad[0])
			}
			if q.By != c.by || q.Supplier != c.supplier || q.Recipient != c.recip {
				t.Fatalf("query %+v", q)
			}
			b := fi.Breakdown(q)
			want := sumRaw(raw, c.from, c.to, c.by, sides(c.supplier, c.recip))
			if math.Abs(b.TotalTIV-want.total) > 1e-6 || math.Abs(b.TotalTIV-c.pandasTotal) > 1e-6 {
				t.Errorf("total %v; raw sum %v, pandas %v", b.TotalTIV, want.total, c.pandasTotal)
			}
			if !near(b.EstimatedShare, 100*want.estimated/want.total, 1e-9) || !near(b.EstimatedShare, c.pandasEstimated, 1e-9) {
				t.Errorf("estimated share %v; raw %v, pandas %v", deref(b.EstimatedShare), 100*want.estimated/want.total, c.pandasEstimated)
			}
			if len(b.Rows) != len(want.tiv) {
				t.Errorf("%d rows; raw file has %d keys", len(b.Rows), len(want.tiv))
			}
			var shares float64
			for i, r := range b.Rows {
				if i > 0 && r.TIV > b.Rows[i-1].TIV {
					t.Errorf("row %s (%v) after a smaller one", r.Key, r.TIV)
				}
				if math.Abs(r.TIV-want.tiv[r.Key]) > 1e-6 || !near(r.Share, 100*want.tiv[r.Key]/want.total, 1e-9) ||
					!near(r.EstimatedShare, 100*want.est[r.Key]/want.tiv[r.Key], 1e-9) {
					t.Errorf("%s: %v TIV, %v%%, %v%% estimated; raw %v, %v%%, %v%%", r.Key, r.TIV, deref(r.Share), deref(r.EstimatedShare),
						want.tiv[r.Key], 100*want.tiv[r.Key]/want.total, 100*want.est[r.Key]/want.tiv[r.Key])
				}
				if r.Key == c.pandasKey && !near(r.Share, c.pandasKeyPercent, 1e-9) {
					t.Errorf("%s: %v%%; pandas %v%%", r.Key, deref(r.Share), c.pandasKeyPercent)
				}
				shares += deref(r.Share)
			}
			if math.Abs(shares-100) > 1e-9 {
				t.Errorf("shares add up to %v", shares)
			}
			years := fi.BreakdownYearly(q)
			if both, bothYears := fi.BreakdownWithYears(q); !reflect.DeepEqual(both, b) || !reflect.DeepEqual(bothYears, years) {
				t.Errorf("BreakdownWithYears = %+v, %+v; want Breakdown's and BreakdownYearly's", both, bothYears)
			}
			for k, key := range years.Keys {
				if key != b.Rows[k].Key {
					t.Errorf("yearly key %d is %s; the period's row is %s", k, key, b.Rows[k].Key)
				}
				for i, got := range years.Values[k] {
					if w := want.yearly[key][years.From+i]; math.Abs(got-w) > 1e-6 {
						t.Errorf("%s in %d: %v; raw %v", key, years.From+i, got, w)
					}
				}
			}
		})
	}
}

// TestEstimatedShares checks the estimated shares of the totals the
// pages and the API show (shares, rankings, the world, yearly) on the
// full listing against the raw file's sums.
func TestEstimatedShares(t *testing.T) {
	d, _ := listingDashboard(t)
	raw := shareddata.Listing(t)
	fi, err := d.Flows("")
	if err != nil {
		t.Fatal(err)
	}
	est := func(supplier, recipient string, from, to int) float64 {
		s := sumRaw(raw, from, to, ByCategory, sides(supplier, recipient))
		return 100 * s.estimated / s.total
	}
	p := analysis.Period{From: 2020, To: 2024}
	sh := fi.Shares(ShareQuery{Supplier: "China", Recipient: "Pakistan", From: 2020, To: 2024})
	e := sh.TIV.EstimatedShare
	if e == nil || !near(e.SupplierToRecipient, est("China", "Pakistan", 2020, 2024), 1e-9) ||
		!near(e.RecipientImportsTotal, est("", "Pakistan", 2020, 2024), 1e-9) || !near(e.SupplierExportsTotal, est("China", "", 2020, 2024), 1e-9) {
		t.Errorf("shares' estimated shares %+v; want %v, %v, %v", derefAll(e), est("China", "Pakistan", 2020, 2024), est("", "Pakistan", 2020, 2024), est("China", "", 2020, 2024))
	}
	// pandas: 5830.74 of China's 8385.45 million TIV exported in 2020–24.
	if e != nil && !near(e.SupplierExportsTotal, 69.53401427472586, 1e-9) {
		t.Errorf("China's exports 2020–24: %v%% estimated; pandas 69.53401427472586", deref(e.SupplierExportsTotal))
	}
	r := fi.Ranking(RankingQuery{Side: SideRecipient, Country: "Pakistan", Period: p, Top: 10})
	if !near(r.EstimatedShare, est("", "Pakistan", 2020, 2024), 1e-9) {
		t.Errorf("Pakistan's suppliers: %v%% estimated; raw %v", deref(r.EstimatedShare), est("", "Pakistan", 2020, 2024))
	}
	w := fi.World(WorldQuery{From: 2020, To: 2024, Top: 10, Side: SideExports})
	if !near(w.EstimatedShare, est("", "", 2020, 2024), 1e-9) || !near(w.EstimatedShare, 59.12066973113531, 1e-9) {
		t.Errorf("world 2020–24: %v%% estimated; raw %v, pandas 59.12066973113531", deref(w.EstimatedShare), est("", "", 2020, 2024))
	}
	yearly := fi.EstimatedYearly("China", "Pakistan", 1995, 2024)
	for i, v := range yearly {
		y := 1995 + i
		s := sumRaw(raw, y, y, ByCategory, sides("China", "Pakistan"))
		if math.Abs(v-s.estimated) > 1e-6 {
			t.Errorf("China → Pakistan %d: %v estimated; raw %v", y, v, s.estimated)
		}
	}
	// A pair with no deliveries: undefined, not 0.
	if got := fi.EstimatedShare("Pakistan", "China", p); got != nil {
		t.Errorf("Pakistan → China: %v%%; want nil", *got)
	}
}

// TestParseBreakdown checks the breakdown query's validation: by= names
// its known values, sides are optional but not the same, the years are
// required, and data without a listing give a *NotDrawableError.
func TestParseBreakdown(t *testing.T) {
	d, _ := listingDashboard(t)
	for _, c := range []struct {
		query, param, msg string
	}{
		{"from=2020&to=2024&by=categroy", "by", "by=categroy is not one of category, status, local_production; did you mean “category”?"},
		{"from=2020&to=2024&by=weapon", "by", "by=weapon is not one of category, status, local_production"},
		{"supplier=China&recipient=china&from=2020&to=2024", "recipient", "supplier and recipient are both China"},
		{"supplier=Narnia&from=2020&to=2024", "supplier", "no data for “Narnia” as supplier"},
		{"from=2020", "to", "missing"},
		{"from=1990&to=2024", "from", "1990 is outside the years"},
		{"from=2020&to=2024&side=imports", "side", "this page takes no such parameter"},
	} {
		p := NewParams(mustQuery(t, c.query))
		_, q, err := d.ParseBreakdown(p)
		if err != nil {
			t.Fatal(err)
		}
		bad, _ := p.Finish()
		if len(bad) == 0 || bad[0].Param != c.param || !strings.Contains(bad[0].Error(), c.msg) {
			t.Errorf("%s: %v; want parameter %s: %s", c.query, bad, c.param, c.msg)
			continue
		}
		if c.param == "by" && (len(bad[0].Known) != 3 || q.By != ByCategory) {
			t.Errorf("%s: known %v, by %s; want the three dimensions listed and category used", c.query, bad[0].Known, q.By)
		}
	}
	// Canonical parameters read back to themselves.
	p := NewParams(mustQuery(t, "recipient=pakistan&from=2020&to=2024&by=Status"))
	_, q, _ := d.ParseBreakdown(p)
	if got, want := q.Values().Encode(), "by=status&from=2020&recipient=Pakistan&to=2024"; got != want {
		t.Errorf("canonical %s; want %s", got, want)
	}

	builtin := builtinSnapshot(t)
	_, _, err := New(builtin).ParseBreakdown(NewParams(mustQuery(t, "from=2020&to=2024")))
	var nd *NotDrawableError
	if !errors.As(err, &nd) || !strings.Contains(nd.Msg, "per-delivery-year listing") {
		t.Errorf("built-in extract: %v; want a *NotDrawableError asking for the listing", err)
	}
	fi, _ := New(builtin).Flows("")
	if fi.EstimatedShare("China", "Pakistan", fi.Years()) != nil || fi.EstimatedYearly("China", "Pakistan", 2020, 2024) != nil {
		t.Error("the built-in extract gives estimated shares; it holds only yearly totals")
	}
}

// builtinSnapshot returns the built-in dataset (data.Builtin).
func builtinSnapshot(t testing.TB) *data.Snapshot {
	t.Helper()
	snap, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func mustQuery(t *testing.T, s string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func near(got *float64, want, tol float64) bool { return got != nil && math.Abs(*got-want) <= tol }

// derefAll returns the three shares of e, NaN for a nil one.
func derefAll(e *EstimatedShares) [3]float64 {
	if e == nil {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	return [3]float64{deref(e.SupplierToRecipient), deref(e.RecipientImportsTotal), deref(e.SupplierExportsTotal)}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// handListing is the dashboard of a hand-made listing (made-up countries
// and figures): Freedonia delivers to Sylvania and Ruritania in 2019 and
// 2020, some rows resting on estimates.
func handListing() *Dashboard {
	ds := data.Dataset{Name: "hand.csv", Format: data.FormatSIPRIDeliveries, Source: "hand-made", SHA256: strings.Repeat("ab", 32)}
	dv := []data.Delivery{
		{Supplier: "Freedonia", Recipient: "Sylvania", Year: 2019, Category: "Aircraft", Status: "New", TIV: 30, NumberEstimate: true},
		{Supplier: "Freedonia", Recipient: "Sylvania", Year: 2020, Category: "Ships", Status: "Second hand", TIV: 10, LocalProduction: true},
		{Supplier: "Freedonia", Recipient: "Ruritania", Year: 2020, Category: "Aircraft", Status: "New", TIV: 20, YearEstimate: true},
		{Supplier: "Ruritania", Recipient: "Sylvania", Year: 2020, Category: "Missiles", Status: "Second hand but modernized", TIV: 0},
	}
	return New(&data.Snapshot{Version: "hand", Datasets: []data.Dataset{ds},
		FlowSets: []data.FlowSet{{Dataset: ds, Flows: data.SumFlows(dv), Details: data.SumDetails(dv)}}})
}

// TestBreakdownHandMade checks a breakdown worked out by hand, with a key
// of 0 TIV and a pair with no deliveries.
func TestBreakdownHandMade(t *testing.T) {
	fi, err := handListing().Flows("")
	if err != nil {
		t.Fatal(err)
	}
	b := fi.Breakdown(BreakdownQuery{Recipient: "Sylvania", From: 2019, To: 2020, By: ByStatus})
	// Sylvania received 30 (new, estimated) + 10 (second hand) + 0.
	if b.TotalTIV != 40 || !near(b.EstimatedShare, 75, 1e-12) || len(b.Rows) != 3 {
		t.Fatalf("%+v", b)
	}
	for i, want := range []struct {
		key        string
		tiv, share float64
		est        *float64
	}{{"New", 30, 75, ptr(100)}, {"Second hand", 10, 25, ptr(0)}, {"Second hand but modernized", 0, 0, nil}} {
		r := b.Rows[i]
		if r.Key != want.key || r.TIV != want.tiv || !near(r.Share, want.share, 1e-12) || (want.est == nil) != (r.EstimatedShare == nil) || want.est != nil && !near(r.EstimatedShare, *want.est, 1e-12) {
			t.Errorf("row %d = %+v; want %+v", i, r, want)
		}
	}
	none := fi.Breakdown(BreakdownQuery{Supplier: "Sylvania", Recipient: "Freedonia", From: 2019, To: 2020, By: ByCategory})
	if none.TotalTIV != 0 || none.EstimatedShare != nil || len(none.Rows) != 0 || len(none.Notes) != 1 {
		t.Errorf("no deliveries: %+v", none)
	}
	y := fi.BreakdownYearly(BreakdownQuery{Supplier: "Freedonia", From: 2019, To: 2020, By: ByLocalProduction})
	if got := fmt.Sprint(y.Keys, y.Values); got != "[No Yes] [[30 20] [0 10]]" {
		t.Errorf("yearly by local production: %s", got)
	}
}

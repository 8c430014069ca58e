package dashboard

import (
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// listingFile is SIPRI's full per-delivery-year listing in shared data.
const listingFile = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"

var listing struct {
	once sync.Once
	f    *data.File
	err  error
}

// readListing reads the full listing once per test binary.
func readListing(t *testing.T) *data.File {
	t.Helper()
	path := shareddata.Path(t, listingFile)
	listing.once.Do(func() {
		b, err := os.ReadFile(path)
		if err != nil {
			listing.err = err
			return
		}
		listing.f, listing.err = data.Read(filepath.Base(path), b, data.Options{})
	})
	if listing.err != nil {
		t.Fatal(listing.err)
	}
	return listing.f
}

// listingDashboard is the dashboard of a snapshot holding the listing's
// flows and details, as a store's snapshot holds them.
func listingDashboard(t *testing.T) (*Dashboard, *data.File) {
	f := readListing(t)
	snap := &data.Snapshot{Version: "test", Datasets: []data.Dataset{f.Dataset},
		FlowSets: []data.FlowSet{{Dataset: f.Dataset, Flows: data.SumFlows(f.Deliveries), Details: data.SumDetails(f.Deliveries)}}}
	return New(snap), f
}

// TestWorldFactSheet reproduces SIPRI's March 2025 fact sheet ("Trends in
// international arms transfers, 2024") for 2020–24 from the listing
// generated 12 Feb 2026, to the printed digit, and checks every unrounded
// share and change against sums of the raw deliveries made here.
func TestWorldFactSheet(t *testing.T) {
	d, f := listingDashboard(t)
	p := NewParams(url.Values{"from": {"2020"}, "to": {"2024"}, "top": {"all"}})
	fi, q, err := d.ParseWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	if bad, _ := p.Finish(); len(bad) > 0 {
		t.Fatal(bad[0])
	}
	w := fi.World(q)

	// The fact sheet's figures, as SIPRI prints them.
	exporters := map[string]string{"United States": "43%", "France": "9.6%", "Russia": "7.8%", "China": "5.9%", "Germany": "5.6%", "Italy": "4.8%"}
	importers := map[string]string{"Ukraine": "8.8%", "India": "8.3%", "Qatar": "6.8%", "Saudi Arabia": "6.8%", "Pakistan": "4.6%"}
	order := []string{"United States", "France", "Russia", "China", "Germany", "Italy"}
	for i, c := range order {
		if w.Exporters[i].Country != c {
			t.Errorf("exporter %d is %s, want %s", i+1, w.Exporters[i].Country, c)
		}
	}
	row := func(rows []WorldRow, c string) WorldRow {
		for _, r := range rows {
			if r.Country == c {
				return r
			}
		}
		t.Fatalf("%s not listed", c)
		return WorldRow{}
	}
	for c, want := range exporters {
		if got := analysis.FormatPercent(row(w.Exporters, c).Share); got != want {
			t.Errorf("%s's share of global exports %s, want %s", c, got, want)
		}
	}
	for c, want := range importers {
		if got := analysis.FormatPercent(row(w.Importers, c).Share); got != want {
			t.Errorf("%s's share of global imports %s, want %s", c, got, want)
		}
	}
	if got := analysis.FormatChange(*row(w.Exporters, "Russia").Change); got != "−64%" {
		t.Errorf("Russia's exports changed %s, want −64%%", got)
	}
	if got := analysis.FormatChange(*w.Change); got != "−0.6%" {
		t.Errorf("the world total changed %s, want −0.6%%", got)
	}

	// The same, unrounded, from the raw deliveries summed here.
	sum := func(from, to int, keep func(data.Delivery) bool) float64 {
		var s float64
		for _, dl := range f.Deliveries {
			if dl.Year >= from && dl.Year <= to && keep(dl) {
				s += dl.TIV
			}
		}
		return s
	}
	all := func(data.Delivery) bool { return true }
	total, prev := sum(2020, 2024, all), sum(2015, 2019, all)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.12g, want %.12g", what, got, want)
		}
	}
	near("world total 2020–24", w.Total, total)
	near("world total 2015–19", w.PreviousTotal, prev)
	near("world change", *w.Change, (total/prev-1)*100)
	// pandas on the same file: 142948.11 and 143798.94 million TIV.
	near("world total 2020–24 (pandas)", w.Total, 142948.11)
	for _, r := range w.Exporters {
		mine := func(dl data.Delivery) bool { return dl.Supplier == r.Country }
		now, before := sum(2020, 2024, mine), sum(2015, 2019, mine)
		near(r.Country+"'s exports", r.TIV, now)
		near(r.Country+"'s share of exports", r.Share, now/total*100)
		near(r.Country+"'s previous share", *r.PreviousShare, before/prev*100)
		if before == 0 {
			if r.Change != nil {
				t.Errorf("%s: change %v though it exported nothing in 2015–19", r.Country, *r.Change)
			}
		} else {
			near(r.Country+"'s change", *r.Change, (now/before-1)*100)
		}
		if len(r.Partners) > 0 {
			top := r.Partners[0]
			near(r.Country+"'s main customer", top.TIV, sum(2020, 2024, func(dl data.Delivery) bool { return mine(dl) && dl.Recipient == top.Country }))
		}
	}
	for _, r := range w.Importers {
		mine := func(dl data.Delivery) bool { return dl.Recipient == r.Country }
		near(r.Country+"'s share of imports", r.Share, sum(2020, 2024, mine)/total*100)
	}
	// pandas: 42.637325% and 8.753687%.
	near("US share (pandas)", math.Round(row(w.Exporters, "United States").Share*1e6)/1e6, 42.637325)
	near("Ukraine share (pandas)", math.Round(row(w.Importers, "Ukraine").Share*1e6)/1e6, 8.753687)
	if w.Suppliers != len(w.Exporters) || w.Recipients != len(w.Importers) {
		t.Errorf("top=all listed %d of %d exporters", len(w.Exporters), w.Suppliers)
	}
}

// TestWorldQuery checks the world query's defaults (the last five full
// years, top 10), a period reaching before the data, and refusing an
// extract.
func TestWorldQuery(t *testing.T) {
	d, _ := listingDashboard(t)
	p := NewParams(nil)
	fi, q, err := d.ParseWorld(p)
	if err != nil {
		t.Fatal(err)
	}
	if q.From != 2020 || q.To != 2024 || q.Top != DefaultWorldTop {
		t.Errorf("default %+v, want 2020–2024, top 10", q)
	}
	w := fi.World(q)
	if len(w.Exporters) != 10 || len(w.Importers) != 10 || w.Exporters[0].Rank != 1 || w.Exporters[9].Rank != 10 {
		t.Errorf("%d exporters, %d importers", len(w.Exporters), len(w.Importers))
	}
	p = NewParams(url.Values{"from": {"1990"}, "to": {"1999"}, "top": {"x"}})
	fi, q, _ = d.ParseWorld(p)
	invalid, notes := p.Finish()
	if q.From != 1995 || len(notes) != 1 || len(invalid) != 1 || invalid[0].Param != "top" {
		t.Errorf("query %+v, notes %q, invalid %v", q, notes, invalid)
	}
	if w := fi.World(q); w.HasPrevious || w.Change != nil || w.Exporters[0].PreviousShare != nil {
		t.Errorf("1995–1999 has a previous period in data starting 1995: %+v", w.Exporters[0])
	}

	builtin := builtinSnapshot(t)
	if _, _, err := New(builtin).ParseWorld(NewParams(nil)); err == nil {
		t.Error("the world view accepted the built-in extract about one pair")
	} else if _, ok := err.(*NotDrawableError); !ok {
		t.Errorf("error %T %v, want a *NotDrawableError", err, err)
	}
}

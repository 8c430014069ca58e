package dashboard

import (
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// The other editions of SIPRI's yearly figures in shared data.
const (
	oldImportTable = "sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv"
	wdiImports     = "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv"
)

// editionsDashboard is the dashboard of a snapshot holding the full
// listing's flows, the old import table's totals (as a store's snapshot
// gives them: supplier "" for all) and the WDI imports file.
func editionsDashboard(t *testing.T) (d *Dashboard, listing, table, wdi *data.File, tableRaw, wdiRaw []byte) {
	t.Helper()
	listing = readListing(t)
	table, tableRaw = readShared(t, oldImportTable)
	wdi, wdiRaw = readShared(t, wdiImports)
	var totals []data.Flow
	for _, v := range table.TIVValues {
		totals = append(totals, data.Flow{Supplier: v.Supplier, Recipient: v.Recipient, Year: v.Year, TIV: v.TIV})
	}
	snap := &data.Snapshot{
		FlowSets:      []data.FlowSet{{Dataset: listing.Dataset, Flows: data.SumFlows(listing.Deliveries)}},
		TotalSets:     []data.FlowSet{{Dataset: table.Dataset, Flows: totals}},
		IndicatorSets: []data.IndicatorSet{{Dataset: wdi.Dataset, Values: wdi.Indicators}},
	}
	return New(snap), listing, table, wdi, tableRaw, wdiRaw
}

// TestEditionsPakistan checks Pakistan's imports in the three editions
// held: the listing generated 2026-02-12, the old TIV table generated
// 2023-12-11 and WDI's copy (undated), newest first, each year against
// the raw files, and the years of largest revision against them.
func TestEditionsPakistan(t *testing.T) {
	d, listing, table, wdi, tableRaw, wdiRaw := editionsDashboard(t)
	eds := d.Editions("Pakistan", true)
	var names []string
	for _, e := range eds {
		names = append(names, e.Dataset.Name)
	}
	if want := []string{listing.Dataset.Name, table.Dataset.Name, wdi.Dataset.Name}; !slices.Equal(names, want) {
		t.Fatalf("editions %q; want %q, newest first", names, want)
	}
	// The listing: deliveries summed by year here, 1995-2024, 0 where none.
	sums := map[int]float64{}
	for _, dl := range listing.Deliveries {
		if dl.Recipient == "Pakistan" {
			sums[dl.Year] += dl.TIV
		}
	}
	if first, last := eds[0].Years[0], eds[0].Years[len(eds[0].Years)-1]; first.Year != 1995 || last.Year != 2024 {
		t.Errorf("the listing's edition runs %d-%d; want 1995-2024", first.Year, last.Year)
	}
	for _, y := range eds[0].Years {
		if math.Abs(y.TIV-sums[y.Year]) > 1e-6 {
			t.Errorf("listing, %d: %v; the deliveries add up to %v", y.Year, y.TIV, sums[y.Year])
		}
	}
	// The table: its cells as written (empty: 0), 1950-2022.
	row := shareddata.CSVRow(t, tableRaw, func(rec []string) bool { return len(rec) > 1 && rec[0] == "" && rec[1] == "1950" }, 0, "Pakistan")
	if len(eds[1].Years) != 2022-1950+1 {
		t.Errorf("the table's edition has %d years; want 73", len(eds[1].Years))
	}
	for _, y := range eds[1].Years {
		want := 0.0
		if cell := row[strconv.Itoa(y.Year)]; cell != "" {
			want, _ = strconv.ParseFloat(cell, 64)
		}
		if y.TIV != want {
			t.Errorf("table, %d: %v; the file says %q", y.Year, y.TIV, row[strconv.Itoa(y.Year)])
		}
	}
	// WDI: the years with a value, / 1e6.
	wrow := shareddata.CSVRow(t, wdiRaw, func(rec []string) bool { return rec[0] == "Country Name" }, 1, "PAK")
	n := 0
	for h, cell := range wrow {
		y, err := strconv.Atoi(h)
		if err != nil || cell == "" {
			continue
		}
		n++
		raw, _ := strconv.ParseFloat(cell, 64)
		if v, ok := eds[2].Value(y); !ok || math.Abs(v-raw/1e6) > 1e-9 {
			t.Errorf("WDI, %d: %v (%v); the file says %s", y, v, ok, cell)
		}
	}
	if n == 0 || len(eds[2].Years) != n {
		t.Errorf("WDI edition has %d years; the file %d", len(eds[2].Years), n)
	}

	// Revisions of 2017-2021: each the largest less the smallest figure.
	revs := Revisions(eds, 2017, 2021, 0)
	if len(revs) == 0 {
		t.Fatal("no revisions in 2017-2021")
	}
	for i, r := range revs {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, e := range eds {
			if v, ok := e.Value(r.Year); ok {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if math.Abs(r.Spread-(hi-lo)) > 1e-9 || r.Year < 2017 || r.Year > 2021 {
			t.Errorf("%d: spread %v; the editions give %v-%v", r.Year, r.Spread, lo, hi)
		}
		if i > 0 && r.Spread > revs[i-1].Spread {
			t.Errorf("revisions not largest first: %v after %v", r.Spread, revs[i-1].Spread)
		}
	}
	if top := Revisions(eds, 0, 0, 3); len(top) != 3 {
		t.Errorf("%d revisions asked 3", len(top))
	}
}

// TestEditionsQuery checks the editions query and which countries and
// sides have editions.
func TestEditionsQuery(t *testing.T) {
	d, _, _, _, _, _ := editionsDashboard(t)
	if eds := d.Editions("China", false); len(eds) != 1 {
		t.Errorf("China's exports: %d editions; want the listing's alone (the old table is of imports, WDI's file too)", len(eds))
	}
	if !slices.Contains(d.EditionCountries(), "Soviet Union") {
		t.Error("the old table's Soviet Union has no edition")
	}
	for _, c := range []struct {
		raw     map[string]string
		want    EditionsQuery
		invalid []string
	}{
		{map[string]string{"country": "pakistan"}, EditionsQuery{Country: "Pakistan", Side: SideImports}, nil},
		{map[string]string{"country": "USSR", "side": "exports", "from": "1980", "to": "1990"}, EditionsQuery{Country: "Soviet Union", Side: SideExports, From: 1980, To: 1990}, nil},
		{map[string]string{"side": "both", "from": "2000", "to": "1990"}, EditionsQuery{Side: SideImports}, []string{"country", "side", "from"}},
	} {
		p := ParamsFrom(c.raw)
		q := d.ParseEditions(p)
		invalid, _ := p.Finish()
		if named := paramsOf(invalid); q != c.want || !slices.Equal(named, c.invalid) {
			t.Errorf("%v: %+v, invalid %q; want %+v, %q", c.raw, q, paramsOf(invalid), c.want, c.invalid)
		}
	}
}

// TestFigureEditions checks the overview's reported share beside the
// same share from each flow set: the article's 72% of SIPRI's 2022
// release, then the listing's share computed from its deliveries.
func TestFigureEditions(t *testing.T) {
	d, listing, _, _, _, _ := editionsDashboard(t)
	fig := data.Figure{Measure: data.MeasureSupplierShare, Supplier: "China", Recipient: "Pakistan", From: 2017, To: 2021, Percent: 72, Publisher: "SIPRI", Vintage: "2022", Source: "a.txt"}
	d.snap.Figures = []data.Figure{fig}
	fes := d.FigureEditions(fig)
	if len(fes) != 2 || !fes[0].Reported || *fes[0].Percent != 72 || fes[1].Percent == nil {
		t.Fatalf("%+v; want the reported 72%% and the listing's share", fes)
	}
	var part, total float64
	for _, dl := range listing.Deliveries {
		if dl.Recipient == "Pakistan" && dl.Year >= 2017 && dl.Year <= 2021 {
			total += dl.TIV
			if dl.Supplier == "China" {
				part += dl.TIV
			}
		}
	}
	if got := *fes[1].Percent; math.Abs(got-100*part/total) > 1e-9 || math.Round(got) != 75 {
		t.Errorf("the listing's share %v; its deliveries give %v (SIPRI rounds to 75%%)", got, 100*part/total)
	}
	if got := d.FiguresAbout("Pakistan", true); len(got) != 1 {
		t.Errorf("figures about Pakistan's imports: %d; want 1", len(got))
	}
	if got := d.FiguresAbout("Pakistan", false); len(got) != 0 {
		t.Errorf("figures about Pakistan's exports: %d; want 0", len(got))
	}
}

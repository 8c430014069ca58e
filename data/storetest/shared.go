package storetest

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// sharedFiles lists every real file armsdash reads, in ../shared/data
// (see its README.md), with the format data.Read finds.
var sharedFiles = []struct {
	rel    string
	format data.Format
}{
	{"sipri_deliveries_by_year/excerpt.csv", data.FormatSIPRIDeliveries},
	{"sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv", data.FormatSIPRIDeliveries},
	{"sipri_trade_register/china_supplier_2000-2025_cp1252.csv", data.FormatSIPRIRegister},
	{"sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv", data.FormatSIPRIRegister},
	{"sipri_register_legacy/trade_register_report_c2013.csv", data.FormatSIPRIRegisterLegacy},
	{"sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv", data.FormatSIPRITIVTable},
	{"sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv", data.FormatSIPRITIVTableOld},
	{"sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv", data.FormatSIPRITIVTableOld},
	{"worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv", data.FormatWDI},
	{"gdelt/events_v2/20260514083000.export.CSV.zip", data.FormatGDELT},
	{"gdelt/events_v1/every10th_20160728daily_1982historical.csv", data.FormatGDELT},
}

// SharedListing reads the full per-delivery-year listing in
// ../shared/data with data.Read, skipping tb, saying why, when it is
// absent.
func SharedListing(tb testing.TB) *data.File {
	tb.Helper()
	p := shareddata.Path(tb, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv")
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := data.Read(filepath.Base(p), b, data.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// SharedFiles reads every real file armsdash reads from ../shared/data,
// in the order of sharedFiles, with data.Read and SkipBad (a bad row in a
// real file, as the legacy register has, is then a skipped row). It skips
// tb, saying why, when the files are absent, and fails it when a file
// does not read or is not of the format listed.
func SharedFiles(tb testing.TB) []*data.File {
	tb.Helper()
	var files []*data.File
	for _, sf := range sharedFiles {
		p := shareddata.Path(tb, sf.rel)
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := data.Read(filepath.Base(p), b, data.Options{SkipBad: true})
		if err != nil {
			tb.Fatalf("%s: %v", sf.rel, err)
		}
		if f.Dataset.Format != sf.format {
			tb.Fatalf("%s: format %s; want %s", sf.rel, f.Dataset.Format, sf.format)
		}
		files = append(files, f)
	}
	return files
}

// testSharedFiles imports every real file armsdash reads into one store:
// each reads back equal to what the reader made (skipped rows and
// unmapped names included), the snapshot prefers the full listing's
// flows and details, summed in SQL as data.SumFlows and data.SumDetails
// sum them, and holds the GDELT events.
func testSharedFiles(t *testing.T, e Engine) {
	ctx := context.Background()
	files := SharedFiles(t)
	s := e.Open(t)
	for _, f := range files {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatalf("%s: %v", f.Dataset.Name, err)
		}
		back, err := s.File(ctx, f.Dataset.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		want := *f
		want.Bytes = 0 // not stored
		if !reflect.DeepEqual(back, &want) {
			t.Errorf("%s (%d rows) does not read back equal", f.Dataset.Name, f.Dataset.Rows)
		}
	}
	listing, register := files[1], files[3]
	if ds := listing.Dataset; ds.Rows != 25024 || ds.Vintage != "2026-02-12" || len(listing.Deliveries) != ds.Rows {
		t.Errorf("full listing: %+v, %d deliveries; want 25024 rows, vintage 2026-02-12", ds, len(listing.Deliveries))
	}
	if len(register.Deals) != 29515 {
		t.Errorf("full register: %d deals; want 29515", len(register.Deals))
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The full listing (dated) before the excerpt (undated), then the
	// China TIV table; the old world tables name only one side.
	if got, want := flowSetNames(snap), "all_1995-2025_generated-2026-02-12.csv excerpt.csv china_exports_by_recipient_2000-2025.csv"; got != want {
		t.Errorf("FlowSets = %s; want %s", got, want)
	}
	fs, ok := snap.FlowSet("")
	if !ok || !FlowsEqual(fs.Flows, data.SumFlows(listing.Deliveries), 1e-6) {
		t.Errorf("preferred flows (%d) differ from data.SumFlows of the full listing", len(fs.Flows))
	}
	if !DetailsEqual(fs.AllDetails(), data.SumDetails(listing.Deliveries), 1e-6) {
		t.Errorf("preferred flow details (%d) differ from data.SumDetails of the full listing", len(fs.AllDetails()))
	}
	if len(snap.Events) == 0 {
		t.Error("no GDELT events in the snapshot")
	}
	// The old import table gives every country's imports from all
	// suppliers, one total per cell; the export table, by category, none.
	imports := files[7]
	if len(snap.TotalSets) != 1 || snap.TotalSets[0].Dataset.Name != imports.Dataset.Name {
		t.Fatalf("%d total sets; want the old import table's alone", len(snap.TotalSets))
	}
	var want []data.Flow
	for _, v := range imports.TIVValues {
		want = append(want, data.Flow{Recipient: v.Recipient, Year: v.Year, TIV: v.TIV})
	}
	slices.SortFunc(want, func(a, b data.Flow) int { return cmp.Or(strings.Compare(a.Recipient, b.Recipient), a.Year-b.Year) })
	if got := snap.TotalSets[0].Flows; len(want) != 7848 || !FlowsEqual(got, want, 1e-9) {
		t.Errorf("the old import table's totals (%d) differ from its %d cells", len(got), len(want))
	}
}

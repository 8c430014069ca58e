package listinggen

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/storetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// source is a hand-made listing of three deals, two of them delivered
// over several years.
var source = []data.Delivery{
	{DealID: 10, Supplier: "China", Recipient: "Pakistan", Designation: "JF-17", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2015, Number: 4, Year: 2018, Status: "New", TIVUnitNew: 15, TIVUnit: 15, TIV: 60},
	{DealID: 10, Supplier: "China", Recipient: "Pakistan", Designation: "JF-17", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2015, Number: 2, NumberEstimate: true, Year: 2019, Status: "New", TIVUnitNew: 15, TIVUnit: 15, TIV: 30},
	{DealID: 11, Supplier: "France", Recipient: "India", Designation: "Rafale", Description: "FGA aircraft", Category: "Aircraft", Year: 2020, YearEstimate: true, Status: "New", TIVUnitNew: 50, TIVUnit: 50, TIV: 250, LocalProduction: true},
	{DealID: 12, Supplier: "Russia", Recipient: "India", Designation: "T-72, M1", Description: "tank", Category: "Armoured vehicles", OrderYear: 2001, OrderYearEstimate: true, Number: 10, Year: 2003, Status: "Second hand", TIVUnitNew: 2.5, TIVUnit: 1, TIV: 10},
	{DealID: 12, Supplier: "Russia", Recipient: "India", Designation: "T-72, M1", Description: "tank", Category: "Armoured vehicles", OrderYear: 2001, OrderYearEstimate: true, Number: 5, Year: 2004, Status: "Second hand", TIVUnitNew: 2.5, TIVUnit: 1, TIV: 5},
	{DealID: 12, Supplier: "Russia", Recipient: "India", Designation: "T-72, M1", Description: "tank", Category: "Armoured vehicles", OrderYear: 2001, OrderYearEstimate: true, Number: 1, Year: 2005, Status: "Second hand", TIVUnitNew: 2.5, TIVUnit: 1, TIV: 1},
}

func TestWriteReadsAsListing(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, source, 3001, 7); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, source, 3001, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same seed, different bytes")
	}
	b.Reset()
	if err := Write(&b, source, 3001, 8); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("another seed, same bytes")
	}
	f, err := data.Read("synthetic.csv", a.Bytes(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Dataset.Format != data.FormatSIPRIDeliveries || f.Dataset.Vintage != "" || len(f.Deliveries) != 3001 {
		t.Fatalf("format %s, vintage %q, %d rows; want a listing without vintage of 3001 rows", f.Dataset.Format, f.Dataset.Vintage, len(f.Deliveries))
	}
	byDesignation := map[string][]data.Delivery{}
	for _, d := range source {
		byDesignation[Designation+d.Designation] = append(byDesignation[Designation+d.Designation], d)
	}
	pairs := map[[2]string]bool{}
	dealRows := map[int]int{}
	for i, d := range f.Deliveries {
		if d.Supplier == d.Recipient {
			t.Fatalf("row %d: supplier and recipient are both %s", i+1, d.Supplier)
		}
		pairs[[2]string{d.Supplier, d.Recipient}] = true
		src, ok := byDesignation[strings.ReplaceAll(d.Designation, ";", ",")]
		if !ok {
			t.Fatalf("row %d: designation %q is not a source's marked SYNTHETIC", i+1, d.Designation)
		}
		// The row's deal is the source deal, row for row, but for the
		// sides and the ID.
		want := src[dealRows[d.DealID]]
		dealRows[d.DealID]++
		want.DealID, want.Supplier, want.Recipient, want.Designation = d.DealID, d.Supplier, d.Recipient, d.Designation
		if d != want {
			t.Fatalf("row %d: %+v; want %+v", i+1, d, want)
		}
	}
	// Sides drawn independently: pairs the source never has appear, e.g.
	// France to Pakistan (France supplies 1 row in 6, Pakistan receives
	// 2 in 6).
	if !pairs[[2]string{"France", "Pakistan"}] || !pairs[[2]string{"Russia", "Pakistan"}] {
		t.Errorf("pairs %v; want pairs the source does not hold", pairs)
	}
}

func TestWriteErrors(t *testing.T) {
	if err := Write(new(bytes.Buffer), nil, 10, 1); err == nil {
		t.Error("no source rows: no error")
	}
	one := []data.Delivery{{DealID: 1, Supplier: "China", Recipient: "China", Year: 2000, Status: "New"}}
	if err := Write(new(bytes.Buffer), one, 10, 1); err == nil {
		t.Error("one country: no error")
	}
}

// TestWriteFromSharedListing resamples the real listing and reads the
// result back.
func TestWriteFromSharedListing(t *testing.T) {
	src := storetest.SharedListing(t)
	var out bytes.Buffer
	if err := Write(&out, src.Deliveries, 20000, 1); err != nil {
		t.Fatal(err)
	}
	f, err := data.Read("synthetic.csv", out.Bytes(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Deliveries) != 20000 || len(f.Unmapped) != 0 {
		t.Errorf("%d rows, unmapped %v; want 20000 rows with every country known", len(f.Deliveries), f.Unmapped)
	}
	// Bytes per row near the real file's.
	fi, err := os.Stat(shareddata.Path(t, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"))
	if err != nil {
		t.Fatal(err)
	}
	real, synth := float64(fi.Size())/float64(len(src.Deliveries)), float64(out.Len())/20000
	if synth < real*0.8 || synth > real*1.5 {
		t.Errorf("%.0f bytes a row; the real listing has %.0f", synth, real)
	}
}

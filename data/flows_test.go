package data

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
)

// sumDetailsByMap is SumDetails written the plain way, to check it: a
// map from the six columns to the sums, in file order, then sorted.
func sumDetailsByMap(ds []Delivery) []FlowDetail {
	type key struct {
		s, r, c, st string
		y           int
		local       bool
	}
	sums := map[key]*FlowDetail{}
	for _, d := range ds {
		k := key{d.Supplier, d.Recipient, d.Category, d.Status, d.Year, d.LocalProduction}
		fd := sums[k]
		if fd == nil {
			fd = &FlowDetail{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, Category: d.Category, Status: d.Status, LocalProduction: d.LocalProduction}
			sums[k] = fd
		}
		fd.TIV += d.TIV
		if d.NumberEstimate || d.YearEstimate {
			fd.EstimatedTIV += d.TIV
		}
	}
	var out []FlowDetail
	for _, fd := range sums {
		out = append(out, *fd)
	}
	slices.SortFunc(out, func(a, b FlowDetail) int {
		return cmp.Or(cmp.Compare(a.Supplier, b.Supplier), cmp.Compare(a.Recipient, b.Recipient), cmp.Compare(a.Year, b.Year),
			cmp.Compare(a.Category, b.Category), cmp.Compare(a.Status, b.Status), cmpBool(a.LocalProduction, b.LocalProduction))
	})
	return out
}

// TestSumDetails: SumDetails equals the plain map-and-sort sum to the
// bit (each detail summed in file order), on SIPRI's whole listing, where
// it sorts by one integer key, and on rows whose years are too far apart
// for that key, where it compares.
func TestSumDetails(t *testing.T) {
	f, err := ReadDeliveries("all.csv", readShared(t, listingPath), Options{})
	if err != nil {
		t.Fatal(err)
	}
	wide := slices.Clone(f.Deliveries[:3000])
	for i := range wide {
		wide[i].Year += (i % 3) << 50 // years 2^51 apart: more than 64 bits of key
	}
	for name, ds := range map[string][]Delivery{"listing": f.Deliveries, "wide years": wide, "none": nil} {
		got, want := SumDetails(ds), sumDetailsByMap(ds)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d details, %d by map; first differing: %v", name, len(got), len(want), firstDiff(got, want))
		}
		if name == "listing" && len(got) < 10000 {
			t.Errorf("%d details of the whole listing; want many more", len(got))
		}
	}
}

func firstDiff(a, b []FlowDetail) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%d: %+v vs %+v", i, a[i], b[i])
		}
	}
	return "none"
}

package dashboard

import (
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// TestDefaultPair checks which pair a dyad view shows when the query
// names none.
// The flows are made up for the test and never shown as data.
func TestDefaultPair(t *testing.T) {
	fl := func(s, r string, year int, tiv float64) data.Flow {
		return data.Flow{Supplier: s, Recipient: r, Year: year, TIV: tiv}
	}
	listing := data.Dataset{Name: "listing.csv", Format: data.FormatSIPRIDeliveries, Vintage: "2026-02-12"}
	for _, c := range []struct {
		name       string
		flows      []data.Flow
		figures    []data.Figure
		supp, recp string
	}{
		{"China and Pakistan when both are in the data",
			[]data.Flow{fl("A", "B", 2020, 900), fl("China", "Pakistan", 2020, 1)}, nil, "China", "Pakistan"},
		{"the pair of a reported figure first",
			[]data.Flow{fl("A", "B", 2020, 900), fl("China", "Pakistan", 2020, 1), fl("C", "D", 2020, 2)},
			[]data.Figure{{Supplier: "C", Recipient: "D"}}, "C", "D"},
		{"else the largest flow of the last five years",
			[]data.Flow{fl("A", "B", 2010, 5000), fl("A", "B", 2024, 10), fl("C", "D", 2021, 30), fl("C", "D", 2022, 30), fl("E", "F", 2024, 50)},
			nil, "C", "D"},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap := &data.Snapshot{Version: "test", Figures: c.figures,
				FlowSets: []data.FlowSet{{Dataset: listing, Flows: c.flows}}}
			fi, err := New(snap).Flows("")
			if err != nil {
				t.Fatal(err)
			}
			q := fi.Default
			if q.Supplier != c.supp || q.Recipient != c.recp {
				t.Errorf("default pair = %s→%s, want %s→%s", q.Supplier, q.Recipient, c.supp, c.recp)
			}
		})
	}
}

func TestSupplierRuns(t *testing.T) {
	for _, tt := range []struct {
		name      string
		suppliers []string
		want      map[string][2]int
	}{
		{"none", nil, map[string][2]int{}},
		{"sorted", []string{"A", "A", "B", "C", "C", "C"}, map[string][2]int{"A": {0, 2}, "B": {2, 3}, "C": {3, 6}}},
		{"unsorted", []string{"B", "A"}, nil},
		{"a supplier twice", []string{"A", "B", "A"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := supplierRuns(len(tt.suppliers), func(i int) string { return tt.suppliers[i] })
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("supplierRuns(%q) = %v; want %v", tt.suppliers, got, tt.want)
			}
			rows := []int{0, 1, 2, 3, 4, 5}[:len(tt.suppliers)]
			for s, r := range tt.want {
				if got := runOf(rows, got, s); len(got) != r[1]-r[0] {
					t.Errorf("run of %s: %v", s, got)
				}
			}
			if got := runOf(rows, got, "Z"); tt.want != nil && len(got) != 0 {
				t.Errorf("run of a supplier without rows: %v; want none", got)
			}
			if got := runOf(rows, got, ""); len(got) != len(rows) {
				t.Errorf("run of any supplier: %v; want all", got)
			}
		})
	}
}

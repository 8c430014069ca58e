package dashboard

import (
	"reflect"
	"slices"
	"testing"

	"github.com/armsdash/armsdash/analysis"
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

// TestRowRuns checks that rowsOf gives a query about one supplier or one
// recipient exactly its rows, in their order (every row when the rows are
// not sorted by supplier and no recipient is asked for).
func TestRowRuns(t *testing.T) {
	type row struct{ s, r string }
	for _, tt := range []struct {
		name       string
		rows       []row
		bySupplier map[string][2]int
	}{
		{"none", nil, map[string][2]int{}},
		{"sorted", []row{{"A", "X"}, {"A", "Y"}, {"B", "X"}, {"C", "X"}, {"C", "Y"}, {"C", "Y"}},
			map[string][2]int{"A": {0, 2}, "B": {2, 3}, "C": {3, 6}}},
		{"a recipient across suppliers", []row{{"A", "X"}, {"B", "X"}, {"B", "Y"}}, map[string][2]int{"A": {0, 1}, "B": {1, 3}}},
		{"unsorted", []row{{"B", "X"}, {"A", "Y"}}, nil},
		{"a supplier twice", []row{{"A", "X"}, {"B", "Y"}, {"A", "X"}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runs := indexRuns(len(tt.rows), func(i int) string { return tt.rows[i].s }, func(i int) string { return tt.rows[i].r })
			if !reflect.DeepEqual(runs.bySupplier, tt.bySupplier) {
				t.Errorf("bySupplier = %v; want %v", runs.bySupplier, tt.bySupplier)
			}
			for _, c := range []string{"A", "B", "C", "X", "Y", "Z"} {
				var ofSupplier, ofRecipient []row
				for _, r := range tt.rows {
					if r.s == c {
						ofSupplier = append(ofSupplier, r)
					}
					if r.r == c {
						ofRecipient = append(ofRecipient, r)
					}
				}
				if tt.bySupplier == nil {
					ofSupplier = tt.rows
				}
				if got := rowsOf(tt.rows, runs, c, ""); len(got)+len(ofSupplier) > 0 && !reflect.DeepEqual(got, ofSupplier) {
					t.Errorf("rows of supplier %s = %v; want %v", c, got, ofSupplier)
				}
				if got := rowsOf(tt.rows, runs, "", c); len(got)+len(ofRecipient) > 0 && !reflect.DeepEqual(got, ofRecipient) {
					t.Errorf("rows of recipient %s = %v; want %v", c, got, ofRecipient)
				}
			}
			recipients := map[string]bool{}
			for _, r := range tt.rows {
				recipients[r.r] = true
			}
			if len(runs.byRecipient) != len(recipients) {
				t.Errorf("runs kept for %d recipients; want %d, those of the rows", len(runs.byRecipient), len(recipients))
			}
			if got := rowsOf(tt.rows, runs, "", ""); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows of any country = %v; want all", got)
			}
		})
	}
}

// TestNextReusesSetIndexes checks that the dashboard of a later snapshot
// reuses what an earlier one derived from a flow set only while the set
// is the same dataset with equal flows, and derives again what depends on
// the rest of the snapshot.
// The flows are made up for the test and never shown as data.
func TestNextReusesSetIndexes(t *testing.T) {
	listing := data.Dataset{Name: "listing.csv", Format: data.FormatSIPRIDeliveries, SHA256: "aa", Vintage: "2026-02-12"}
	fl := func(s, r string, year int, tiv float64) data.Flow {
		return data.Flow{Supplier: s, Recipient: r, Year: year, TIV: tiv}
	}
	flows := []data.Flow{fl("A", "B", 2020, 900), fl("C", "D", 2021, 30), fl("China", "Pakistan", 2020, 1)}
	snapOf := func(version string, ds data.Dataset, flows []data.Flow, figures ...data.Figure) *data.Snapshot {
		return &data.Snapshot{Version: version, Figures: figures, FlowSets: []data.FlowSet{{Dataset: ds, Flows: slices.Clone(flows)}}}
	}
	flowsOf := func(t *testing.T, d *Dashboard) *FlowIndex {
		t.Helper()
		fi, err := d.Flows("")
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	first := New(snapOf("1", listing, flows))
	fi1 := flowsOf(t, first)

	// The same set read again (new slices, equal flows), other figures.
	same := Next(first, snapOf("2", listing, flows, data.Figure{Supplier: "C", Recipient: "D"}))
	fi2 := flowsOf(t, same)
	if fi2.setIndex != fi1.setIndex {
		t.Error("the same set in a new snapshot: its index was built again")
	}
	if fi2.Default.Supplier != "C" || fi1.Default.Supplier != "China" {
		t.Errorf("default pairs %s, %s; want China (no figures), then C (the figure's)", fi1.Default.Supplier, fi2.Default.Supplier)
	}
	// A dashboard that never indexed the set hands on what it inherited.
	idle := Next(same, snapOf("3", listing, flows))
	if fi := flowsOf(t, Next(idle, snapOf("4", listing, flows))); fi.setIndex != fi1.setIndex {
		t.Error("after a dashboard that never indexed the set: its index was built again")
	}

	changed := slices.Clone(flows)
	changed[1].TIV = 31
	for _, c := range []struct {
		name  string
		ds    data.Dataset
		flows []data.Flow
	}{
		{"the same dataset with other flows", listing, changed},
		{"another dataset", data.Dataset{Name: "listing.csv", Format: data.FormatSIPRIDeliveries, SHA256: "bb"}, changed},
	} {
		t.Run(c.name, func(t *testing.T) {
			fi := flowsOf(t, Next(same, snapOf("5", c.ds, c.flows)))
			if fi.setIndex == fi1.setIndex {
				t.Fatal("the index of the earlier set was reused")
			}
			if got := fi.Total("C", "D", analysis.Period{From: 2020, To: 2021}); got != 31 {
				t.Errorf("C→D = %g; want 31, the new flows'", got)
			}
		})
	}
}

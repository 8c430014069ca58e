package data

import (
	"reflect"
	"testing"
)

// TestCoverage checks whose imports and exports each kind of flow set
// holds in full, with a pair's years in runs (a listing's order) and out
// of order.
// The flows are made up for the test and never shown as data.
func TestCoverage(t *testing.T) {
	fl := func(s, r string, year int) Flow { return Flow{Supplier: s, Recipient: r, Year: year, TIV: 1} }
	for _, c := range []struct {
		name                 string
		format               Format
		flows                []Flow
		suppliers            []string
		recipients           []string
		imports, exports     []string // complete
		minYear, maxYear     int
		customersByCountryOf string
	}{
		{"a listing, a pair's years in a run", FormatSIPRIDeliveries,
			[]Flow{fl("A", "X", 2001), fl("A", "X", 2002), fl("A", "Y", 2000), fl("B", "X", 2005), fl("B", "X", 2006)},
			[]string{"A", "B"}, []string{"X", "Y"}, []string{"X", "Y"}, []string{"A", "B"}, 2000, 2006, "A"},
		{"a listing out of order", FormatSIPRIDeliveries,
			[]Flow{fl("B", "X", 2006), fl("A", "Y", 2000), fl("A", "Y", 2001), fl("B", "Y", 2003), fl("A", "X", 1999)},
			[]string{"A", "B"}, []string{"X", "Y"}, []string{"X", "Y"}, []string{"A", "B"}, 1999, 2006, "B"},
		{"an extract: a supplier's other recipients summed", FormatFlows,
			[]Flow{fl("A", "X", 2001), fl("A", "X", 2002), fl("A", OtherRecipients("A"), 2001), fl("A", OtherRecipients("A"), 2002), fl("B", "X", 2001)},
			[]string{"A", "B"}, []string{"X"}, []string{"X"}, []string{"A"}, 2001, 2002, ""},
		{"a table of one supplier's exports", FormatSIPRITIVTable,
			[]Flow{fl("A", "X", 2001), fl("A", "X", 2002), fl("A", "Y", 2001)},
			[]string{"A"}, []string{"X", "Y"}, nil, []string{"A"}, 2001, 2002, "A"},
		{"a table of one recipient's imports", FormatSIPRITIVTable,
			[]Flow{fl("A", "X", 2001), fl("A", "X", 2002), fl("B", "X", 2001)},
			[]string{"A", "B"}, []string{"X"}, []string{"X"}, nil, 2001, 2002, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cov := FlowSet{Dataset: Dataset{Format: c.format}, Flows: c.flows}.Coverage()
			if !reflect.DeepEqual(cov.Suppliers, c.suppliers) || !reflect.DeepEqual(cov.Recipients, c.recipients) {
				t.Errorf("suppliers %q, recipients %q; want %q, %q", cov.Suppliers, cov.Recipients, c.suppliers, c.recipients)
			}
			if got := cov.CompleteImporters(); len(got)+len(c.imports) > 0 && !reflect.DeepEqual(got, c.imports) {
				t.Errorf("complete importers %q; want %q", got, c.imports)
			}
			if got := cov.CompleteExporters(); len(got)+len(c.exports) > 0 && !reflect.DeepEqual(got, c.exports) {
				t.Errorf("complete exporters %q; want %q", got, c.exports)
			}
			if cov.MinYear != c.minYear || cov.MaxYear != c.maxYear {
				t.Errorf("years %d–%d; want %d–%d", cov.MinYear, cov.MaxYear, c.minYear, c.maxYear)
			}
			for _, s := range c.suppliers {
				if got, want := cov.CustomersByCountry(s), s == c.customersByCountryOf || c.format == FormatSIPRIDeliveries; got != want {
					t.Errorf("CustomersByCountry(%s) = %v; want %v", s, got, want)
				}
			}
		})
	}
}

package data

import (
	"slices"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	f := &File{
		Deliveries: []Delivery{{Supplier: "UAE", Recipient: "Turkey"}},
		Flows:      []Flow{{Supplier: "China", Recipient: "Atlantis"}},
		Deals: []Deal{{Supplier: "Iran", Recipient: "Houthi rebels (Yemen)", RecipientKind: PartyNonState},
			{Supplier: "Russia", Recipient: "NATO", RecipientKind: PartyOrganisation}},
		Events:     []Event{{SideA: "Viet Nam", SideB: "Korea, Rep."}},
		Indicators: []IndicatorValue{{CountryName: "Narnia", CountryCode: "NRN"}, {CountryName: "World", CountryCode: "WLD", Aggregate: true}},
	}
	f.Canonicalize()
	if d := f.Deliveries[0]; d.Supplier != "United Arab Emirates" || d.Recipient != "Turkiye" {
		t.Errorf("delivery = %+v", d)
	}
	if e := f.Events[0]; e.SideA != "Viet Nam" || e.SideB != "South Korea" {
		t.Errorf("event = %+v", e)
	}
	if a, b := f.Deals[0].Recipient, f.Deals[1].Recipient; a != "Houthi rebels (Yemen)*" || b != "NATO**" {
		t.Errorf("deals' recipients = %q, %q; want SIPRI's markers back", a, b)
	}
	if f.Flows[0].Recipient != "Atlantis" {
		t.Errorf("unmapped name must be kept as written, got %q", f.Flows[0].Recipient)
	}
	if want := []string{"Atlantis", "Narnia"}; !slices.Equal(f.Unmapped, want) {
		t.Errorf("Unmapped = %q, want %q", f.Unmapped, want)
	}
}

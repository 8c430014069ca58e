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

func TestIsOtherRecipients(t *testing.T) {
	for _, tt := range []struct {
		recipient, supplier string
		want                bool
	}{
		{OtherRecipients("China"), "China", true},
		{OtherRecipients("China"), "Chin", false},
		{OtherRecipients("Chin"), "China", false},
		{"(other recipients of China]", "China", false},
		{"(other recipient of China)", "China", false},
		{"Pakistan", "China", false},
		{OtherRecipients(""), "", true},
	} {
		if got := IsOtherRecipients(tt.recipient, tt.supplier); got != tt.want {
			t.Errorf("IsOtherRecipients(%q, %q) = %v; want %v", tt.recipient, tt.supplier, got, tt.want)
		}
	}
}

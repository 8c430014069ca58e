package data

// Canonicalize renames every country in f to its canonical name (see
// Country.Name), so that files of different sources and vintages name the
// same country alike ("UAE" and "United Arab Emirates", "Turkey" and
// "Turkiye"). Names that the country table does not know are kept as
// written and listed in f.Unmapped, never dropped. WDI rows keep the
// World Bank's names; an economy whose code the table lacks is listed.
func (f *File) Canonicalize() {
	var u Unmapped
	cache := map[string]string{}
	canon := func(p *string) {
		if *p == "" {
			return
		}
		c, ok := cache[*p]
		if !ok {
			c = u.Canonical(*p)
			cache[*p] = c
		}
		*p = c
	}
	for i := range f.Deliveries {
		canon(&f.Deliveries[i].Supplier)
		canon(&f.Deliveries[i].Recipient)
	}
	for i := range f.Flows {
		canon(&f.Flows[i].Supplier)
		canon(&f.Flows[i].Recipient)
	}
	for i := range f.Deals {
		// The register readers keep SIPRI's "*" and "**" markers as a
		// PartyKind; canonical names carry them, as in the other files.
		d := &f.Deals[i]
		d.Supplier = withMarker(d.Supplier, d.SupplierKind)
		d.Recipient = withMarker(d.Recipient, d.RecipientKind)
		canon(&d.Supplier)
		canon(&d.Recipient)
	}
	if r := f.lean; r != nil {
		r.canon = make(map[party]string, len(r.parties))
		for _, p := range r.parties {
			c := withMarker(p.name, p.kind)
			canon(&c)
			r.canon[p] = c
		}
	}
	for i := range f.TIVValues {
		canon(&f.TIVValues[i].Supplier)
		canon(&f.TIVValues[i].Recipient)
	}
	for i := range f.Events {
		canon(&f.Events[i].SideA)
		canon(&f.Events[i].SideB)
	}
	for _, v := range f.Indicators {
		if _, ok := CountryByISO3(v.CountryCode); !ok && !v.Aggregate {
			u.Add(v.CountryName)
		}
	}
	for _, n := range f.Unmapped {
		u.Add(n)
	}
	f.Unmapped = u.Names()
}

// withMarker appends SIPRI's marker for a non-state actor ("*") or an
// organisation ("**") to name.
func withMarker(name string, kind PartyKind) string {
	switch kind {
	case PartyNonState:
		return name + "*"
	case PartyOrganisation:
		return name + "**"
	}
	return name
}

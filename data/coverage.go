package data

import (
	"maps"
	"slices"
)

// CoverageKind says what kind of flow set a Coverage describes.
type CoverageKind string

// The kinds of flow set.
const (
	// CoverageListing is a whole per-delivery-year listing: complete for
	// every country on both sides.
	CoverageListing CoverageKind = "listing"
	// CoverageExtract is a dyad extract (FormatFlows): one recipient's
	// imports from every supplier, and its suppliers' other exports only
	// as yearly totals (rows named OtherRecipients(supplier)).
	CoverageExtract CoverageKind = "extract"
	// CoverageTable is a SIPRI TIV table: one supplier's exports by
	// recipient, or one recipient's imports by supplier.
	CoverageTable CoverageKind = "table"
)

// Coverage says whose imports and exports a flow set holds in full, which
// the shares of them need: a supplier's share of a recipient's imports
// needs all of the recipient's imports, and the recipient's share of the
// supplier's exports needs all of the supplier's exports.
//
//   - A whole listing is complete for every country.
//   - An extract made by ExtractDyad holds one recipient's imports from
//     every supplier and one supplier's exports, the rest of them summed
//     into a row named OtherRecipients(supplier). A recipient is complete
//     unless it is such a summed row; a supplier's exports are complete
//     only when the set has its summed row.
//   - A TIV table covers one side: a table of one supplier's exports holds
//     all of them but none of its recipients' imports from anyone else (and
//     the other way round for a table of one recipient's imports).
type Coverage struct {
	Kind CoverageKind
	// Suppliers are the countries with deliveries in the set; Recipients
	// those that received any, leaving out rows that sum several
	// recipients. Both sorted.
	Suppliers, Recipients []string
	// MinYear and MaxYear bound the delivery years of the set; both 0
	// for an empty set.
	MinYear, MaxYear int

	imports, exports map[string]bool
}

// Coverage returns what fs holds in full; see Coverage.
func (fs FlowSet) Coverage() Coverage {
	c := Coverage{Kind: CoverageListing, imports: map[string]bool{}, exports: map[string]bool{}}
	if r, ok := readerOf(fs.Dataset.Format); ok && r.coverage != "" {
		c.Kind = r.coverage
	}
	if len(fs.Flows) == 0 {
		return c
	}
	// A run of one supplier's flows (the order of a listing's) looks it
	// up once.
	aggregate := map[string]bool{}
	other := map[string]string{} // supplier → OtherRecipients(supplier)
	for i, f := range fs.Flows {
		if i > 0 && f.Supplier == fs.Flows[i-1].Supplier {
			continue
		}
		if _, ok := other[f.Supplier]; !ok {
			other[f.Supplier] = OtherRecipients(f.Supplier)
			aggregate[other[f.Supplier]] = true
		}
	}
	sup, rec := map[string]bool{}, map[string]bool{}
	c.MinYear, c.MaxYear = fs.Flows[0].Year, fs.Flows[0].Year
	var supplierOther string
	for i, f := range fs.Flows {
		c.MinYear, c.MaxYear = min(c.MinYear, f.Year), max(c.MaxYear, f.Year)
		if i == 0 || f.Supplier != fs.Flows[i-1].Supplier {
			sup[f.Supplier] = true
			supplierOther = other[f.Supplier]
			if c.Kind == CoverageListing {
				c.exports[f.Supplier] = true
			}
		} else if f.Recipient == fs.Flows[i-1].Recipient {
			continue // a run of one pair's years (a listing's order) looks it up once
		}
		if !aggregate[f.Recipient] {
			rec[f.Recipient] = true
		}
		if f.Recipient == supplierOther {
			c.exports[f.Supplier] = true
		}
	}
	c.Suppliers, c.Recipients = slices.Sorted(maps.Keys(sup)), slices.Sorted(maps.Keys(rec))
	for _, r := range c.Recipients {
		c.imports[r] = c.Kind != CoverageTable
	}
	if c.Kind == CoverageTable {
		if len(c.Suppliers) == 1 {
			c.exports[c.Suppliers[0]] = true
		}
		if len(c.Recipients) == 1 {
			c.imports[c.Recipients[0]] = true
		}
	}
	return c
}

// ImportsComplete reports whether the set holds all of country's imports.
func (c Coverage) ImportsComplete(country string) bool { return c.imports[country] }

// ExportsComplete reports whether the set holds all of country's exports.
func (c Coverage) ExportsComplete(country string) bool { return c.exports[country] }

// CompleteImporters lists the recipients whose imports the set holds in
// full, sorted.
func (c Coverage) CompleteImporters() []string {
	return slices.DeleteFunc(slices.Clone(c.Recipients), func(r string) bool { return !c.imports[r] })
}

// CompleteExporters lists the suppliers whose exports the set holds in
// full, sorted.
func (c Coverage) CompleteExporters() []string {
	return slices.DeleteFunc(slices.Clone(c.Suppliers), func(s string) bool { return !c.exports[s] })
}

// Countries lists every country of the set on either side, sorted,
// leaving out rows that sum several recipients.
func (c Coverage) Countries() []string {
	m := map[string]bool{}
	for _, s := range c.Suppliers {
		m[s] = true
	}
	for _, r := range c.Recipients {
		m[r] = true
	}
	return slices.Sorted(maps.Keys(m))
}

// CustomersByCountry reports whether the set holds supplier's exports
// recipient by recipient: a whole listing or a table of its exports does;
// an extract holds its exports to others only as a total.
func (c Coverage) CustomersByCountry(supplier string) bool {
	return c.Kind != CoverageExtract && c.exports[supplier]
}

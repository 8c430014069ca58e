package shareddata

import (
	"bytes"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// ListingFile is SIPRI's full per-delivery-year listing (generated 12 Feb
// 2026), relative to the shared data directory.
const ListingFile = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"

// ListingRow is one row of the full listing as the file gives it: names
// as SIPRI spells them (not armsdash's canonical names), the TIV
// delivered in Year, and the flags that matter to breakdowns and
// estimates.
type ListingRow struct {
	Supplier, Recipient, Category, Status string
	Year                                  int
	TIV                                   float64
	// Estimated is true when "Numbers delivered is estimate" or
	// "Delivery year is estimate" is Yes.
	Estimated       bool
	LocalProduction bool // "Local production" is Yes
}

// Key returns the row's value of a breakdown's dimension, named as by=
// names it: "status" gives its Status, "local_production" "Yes" or "No",
// anything else its armament category.
func (r ListingRow) Key(by string) string {
	switch by {
	case "status":
		return r.Status
	case "local_production":
		if r.LocalProduction {
			return "Yes"
		}
		return "No"
	}
	return r.Category
}

var listing struct {
	once sync.Once
	rows []ListingRow
	err  string
}

// Listing reads the full listing with encoding/csv alone, none of
// armsdash's readers, so that tests can sum it independently of the code
// they check. It skips tb as Path does when the file is absent and fails
// it when the file does not read as expected. The file is read once per
// test binary; callers must not modify the rows.
func Listing(tb testing.TB) []ListingRow {
	tb.Helper()
	path := Path(tb, ListingFile)
	listing.once.Do(func() { listing.rows, listing.err = readListing(path) })
	if listing.err != "" {
		tb.Fatal(listing.err)
	}
	return listing.rows
}

// readListing reads the rows after the header line; every line ends in
// ';', glued to its last field.
func readListing(path string) ([]ListingRow, string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err.Error()
	}
	i := bytes.Index(b, []byte("SIPRI AT Database ID,"))
	if i < 0 {
		return nil, path + ": no header"
	}
	r := csv.NewReader(bytes.NewReader(b[i:]))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, path + ": " + err.Error()
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[strings.TrimSuffix(h, ";")] = j
	}
	cell := func(rec []string, name string) string { return strings.TrimSuffix(rec[col[name]], ";") }
	var rows []ListingRow
	for _, rec := range recs[1:] {
		row := ListingRow{Supplier: cell(rec, "Supplier"), Recipient: cell(rec, "Recipient"), Category: cell(rec, "Armament category"),
			Status: cell(rec, "Status"), LocalProduction: cell(rec, "Local production") == "Yes",
			Estimated: cell(rec, "Numbers delivered is estimate") == "Yes" || cell(rec, "Delivery year is estimate") == "Yes"}
		if row.Year, err = strconv.Atoi(cell(rec, "Delivery year")); err != nil {
			return nil, path + ": " + err.Error()
		}
		if row.TIV, err = strconv.ParseFloat(cell(rec, "TIV delivery values"), 64); err != nil {
			return nil, path + ": " + err.Error()
		}
		rows = append(rows, row)
	}
	return rows, ""
}

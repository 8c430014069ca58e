package data

import (
	"fmt"
	"strconv"
	"strings"
)

// Delivery is one row of SIPRI's per-delivery-year listing: what one deal
// delivered in one year.
type Delivery struct {
	DealID            int // "SIPRI AT Database ID"
	Supplier          string
	Recipient         string
	Designation       string
	Description       string
	Category          string // "Armament category", e.g. "Aircraft"
	OrderYear         int    // 0 when not given
	OrderYearEstimate bool
	Number            int // numbers delivered in Year; 0 when not given
	NumberEstimate    bool
	Year              int // delivery year
	YearEstimate      bool
	Status            string  // "New", "Second hand" or "Second hand but modernized"
	TIVUnitNew        float64 // "SIPRI estimate": TIV of one new unit, millions
	TIVUnit           float64 // "TIV deal unit": per-unit TIV after the second-hand discount
	TIV               float64 // "TIV delivery values": TIV delivered in Year, millions
	LocalProduction   bool
}

// deliveriesHeader is the header of the per-delivery-year listing, without
// the trailing ';' that SIPRI glues to every line.
var deliveriesHeader = []string{
	"SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description",
	"Armament category", "Order date", "Order date is estimate", "Numbers delivered",
	"Numbers delivered is estimate", "Delivery year", "Delivery year is estimate",
	"Status", "SIPRI estimate", "TIV deal unit", "TIV delivery values", "Local production",
}

// sniffDeliveries reports whether text looks like a per-delivery-year listing.
func sniffDeliveries(text string) bool {
	return strings.Contains(text, "SIPRI AT Database ID,Supplier,Recipient,Designation")
}

// validStatus lists SIPRI's deal statuses.
var validStatus = map[string]bool{"New": true, "Second hand": true, "Second hand but modernized": true}

// ReadDeliveries reads SIPRI's per-delivery-year listing: an optional
// preamble of notes (with a "Data generated:" line giving the vintage), then
// the 17-column header and one row per deal and delivery year. Lines may end
// in CRLF and carry a trailing ';'; there is no quoting. Every bad row is
// reported (up to MaxParseErrors); with opt.SkipBad the good rows are kept
// and the bad ones listed in File.Skipped.
func ReadDeliveries(name string, b []byte, opt Options) (*File, error) {
	text, err := decodeText(name, b)
	if err != nil {
		return nil, err
	}
	lines := splitLines(text)
	f := &File{Dataset: sipriDataset(name, FormatSIPRIDeliveries, b)}
	header := -1
	for i, line := range lines {
		if v, ok := parseGenerated(line); ok {
			f.Dataset.Vintage = v
		}
		if strings.HasPrefix(line, deliveriesHeader[0]+",") {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, &ParseError{File: name, Line: 1, Msg: "no header line starting with \"SIPRI AT Database ID,\": this is not a SIPRI per-delivery-year listing"}
	}
	if got := splitRecord(lines[header]); !equalStrings(got, deliveriesHeader) {
		return nil, &ParseError{File: name, Line: header + 1, Msg: fmt.Sprintf(
			"header has columns %q; expected the 17 columns %q", got, deliveriesHeader)}
	}
	// Newer exports end every line, the header too, with ';'. A data line
	// without it has been cut short, even if its fields still parse.
	semicolons := strings.HasSuffix(lines[header], ";")
	rj := rejects{skipBad: opt.SkipBad}
	f.Deliveries = make([]Delivery, 0, len(lines)-header-1)
	fields := make([]string, 0, len(deliveriesHeader)+1)
	for i := header + 1; i < len(lines); i++ {
		if strings.Trim(lines[i], " ;,") == "" {
			continue
		}
		fields = appendFields(fields[:0], strings.TrimSuffix(lines[i], ";"))
		d, perr := parseDelivery(name, i+1, fields)
		if perr == nil && semicolons && !strings.HasSuffix(lines[i], ";") {
			perr = &ParseError{File: name, Line: i + 1, Msg: "does not end with ';' as the header and every complete line do: the line, or the file, is cut short"}
		}
		if perr != nil {
			rj.add(perr)
			continue
		}
		f.Deliveries = append(f.Deliveries, d)
	}
	if err := rj.result(name, len(f.Deliveries), header+1); err != nil {
		return nil, err
	}
	f.Skipped = rj.skipped
	f.Dataset.Rows = len(f.Deliveries)
	return f, nil
}

// splitRecord splits an unquoted SIPRI line on commas after removing the
// trailing ';' that the newer exports glue to the last field.
func splitRecord(line string) []string {
	return strings.Split(strings.TrimSuffix(line, ";"), ",")
}

// appendFields appends the comma-separated fields of line to dst, as
// strings.Split would, without allocating a new slice for every line.
func appendFields(dst []string, line string) []string {
	for {
		field, rest, found := strings.Cut(line, ",")
		dst = append(dst, field)
		if !found {
			return dst
		}
		line = rest
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.TrimSpace(a[i]) != b[i] {
			return false
		}
	}
	return true
}

// parseDelivery turns the fields of one data line into a Delivery.
func parseDelivery(name string, line int, f []string) (Delivery, *ParseError) {
	bad := func(col int, msg string) *ParseError {
		return cellError(name, line, deliveriesHeader, col, msg)
	}
	if len(f) != len(deliveriesHeader) {
		return Delivery{}, &ParseError{File: name, Line: line, Msg: fmt.Sprintf(
			"has %d fields; expected %d separated by commas (is a field cut short, or does one contain a comma?)", len(f), len(deliveriesHeader))}
	}
	d := Delivery{
		Supplier: strings.TrimSpace(f[1]), Recipient: strings.TrimSpace(f[2]),
		Designation: strings.TrimSpace(f[3]), Description: strings.TrimSpace(f[4]),
		Category: strings.TrimSpace(f[5]), Status: strings.TrimSpace(f[12]),
	}
	var err error
	if d.DealID, err = strconv.Atoi(strings.TrimSpace(f[0])); err != nil || d.DealID <= 0 {
		return d, bad(0, fmt.Sprintf("%q is not a deal number (a positive integer)", f[0]))
	}
	if d.Supplier == "" {
		return d, bad(1, "is empty; expected the supplier's name")
	}
	if d.Recipient == "" {
		return d, bad(2, "is empty; expected the recipient's name")
	}
	if s := strings.TrimSpace(f[6]); s != "" {
		if d.OrderYear, err = strconv.Atoi(s); err != nil || !plausibleYear(d.OrderYear) {
			return d, bad(6, fmt.Sprintf("%q is not a year", f[6]))
		}
	}
	if s := strings.TrimSpace(f[8]); s != "" {
		if d.Number, err = strconv.Atoi(s); err != nil || d.Number < 0 {
			return d, bad(8, fmt.Sprintf("%q is not a count of weapons", f[8]))
		}
	}
	if d.Year, err = strconv.Atoi(strings.TrimSpace(f[10])); err != nil || !plausibleYear(d.Year) {
		return d, bad(10, fmt.Sprintf("%q is not a year", f[10]))
	}
	for _, fl := range []struct {
		col int
		dst *bool
	}{{7, &d.OrderYearEstimate}, {9, &d.NumberEstimate}, {11, &d.YearEstimate}, {16, &d.LocalProduction}} {
		v, ok := parseFlag(f[fl.col])
		if !ok {
			return d, bad(fl.col, fmt.Sprintf("%q is not Yes, No or empty", f[fl.col]))
		}
		*fl.dst = v
	}
	if !validStatus[d.Status] {
		return d, bad(12, fmt.Sprintf("%q is not New, Second hand or Second hand but modernized", f[12]))
	}
	for _, num := range []struct {
		col int
		dst *float64
	}{{13, &d.TIVUnitNew}, {14, &d.TIVUnit}, {15, &d.TIV}} {
		v, _, msg := parseTIV(f[num.col])
		if msg != "" {
			return d, bad(num.col, msg)
		}
		*num.dst = v
	}
	return d, nil
}

// plausibleYear accepts the years SIPRI's database can hold.
func plausibleYear(y int) bool { return y >= 1900 && y <= 2100 }

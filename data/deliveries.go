package data

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
//
// A listing of SIPRI's whole database is tens of thousands of lines, and
// armsdash is measured on a million (docs/scaling.md): the lines after
// the header are read in as many parts as there are processors
// (readDeliveryLines), each part decoding only its own fields, and the
// parts joined in file order, so the rows and errors are those of one pass.
func ReadDeliveries(name string, b []byte, opt Options) (*File, error) {
	enc, text, err := detectEncoding(name, b)
	if err != nil {
		return nil, err
	}
	f := &File{Dataset: sipriDataset(name, FormatSIPRIDeliveries, b)}
	header, line := 0, ""
	for rest, n := text, 1; len(rest) > 0; n++ {
		var raw []byte
		raw, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = enc.decode(bytes.TrimSuffix(raw, []byte("\r")))
		if v, ok := parseGenerated(line); ok {
			f.Dataset.Vintage = v
		}
		if strings.HasPrefix(line, deliveriesHeader[0]+",") {
			header, text = n, rest
			break
		}
	}
	if header == 0 {
		return nil, &ParseError{File: name, Line: 1, Msg: "no header line starting with \"SIPRI AT Database ID,\": this is not a SIPRI per-delivery-year listing"}
	}
	if got := splitRecord(line); !equalStrings(got, deliveriesHeader) {
		return nil, &ParseError{File: name, Line: header, Msg: fmt.Sprintf(
			"header has columns %q; expected the 17 columns %q", got, deliveriesHeader)}
	}
	// Newer exports end every line, the header too, with ';'. A data line
	// without it has been cut short, even if its fields still parse.
	semicolons := strings.HasSuffix(line, ";")
	most, least := deliveryParts()
	parts := splitAtLines(text, most, least)
	// Each part fills its own stretch of the rows, as long as its lines;
	// blank and bad lines leave gaps, closed when the parts are joined.
	lines := make([]int, len(parts))
	total := 0
	for i, part := range parts {
		lines[i] = bytes.Count(part, []byte("\n")) + 1
		total += lines[i]
	}
	rows := make([]Delivery, total)
	read := make([]rejects, len(parts))
	kept := make([]int, len(parts))
	var wg sync.WaitGroup
	first, off := header+1, 0
	for i, part := range parts {
		dst, from := rows[off:off+lines[i]], first
		wg.Go(func() { kept[i], read[i] = readDeliveryLines(name, enc, part, from, semicolons, opt.SkipBad, dst) })
		first += lines[i] - 1
		off += lines[i]
	}
	wg.Wait()
	rj := rejects{skipBad: opt.SkipBad}
	n, off := 0, 0
	for i := range parts {
		n += copy(rows[n:], rows[off:off+kept[i]])
		off += lines[i]
		rj.join(&read[i])
	}
	f.Deliveries = rows[:n:n]
	if err := rj.result(name, len(f.Deliveries), header); err != nil {
		return nil, err
	}
	f.Skipped = rj.skipped
	f.Dataset.Rows = len(f.Deliveries)
	return f, nil
}

// deliveryParts returns into how many parts at most ReadDeliveries cuts
// a listing's lines, and the fewest bytes a part has: one a processor,
// of at least a MiB. Tests make it cut small files.
var deliveryParts = func() (n, least int) { return runtime.GOMAXPROCS(0), 1 << 20 }

// splitAtLines cuts b into at most n parts of whole lines, each but the
// last ending with its '\n' and none much smaller than least bytes (one
// part when b is smaller than 2*least).
func splitAtLines(b []byte, n, least int) [][]byte {
	n = max(1, min(n, len(b)/max(least, 1)))
	var parts [][]byte
	for i := n; i > 1 && len(b) > 0; i-- {
		cut := bytes.IndexByte(b[len(b)/i:], '\n')
		if cut < 0 {
			break
		}
		cut += len(b)/i + 1
		parts, b = append(parts, b[:cut]), b[cut:]
	}
	return append(parts, b)
}

// readDeliveryLines reads part, the data lines of a listing from line
// number first on, in encoding enc, into dst, which has room for one row
// per line, and returns how many rows it kept and the bad lines;
// semicolons says whether every line must end with ';'. It works on the
// bytes, decoding a field only when it holds a byte outside ASCII, and
// interns the text it keeps (names, designations, descriptions: one string
// per distinct value), so the rows neither share memory with part nor
// repeat the same text.
func readDeliveryLines(name string, enc textEncoding, part []byte, first int, semicolons, skipBad bool, dst []Delivery) (int, rejects) {
	rj := rejects{skipBad: skipBad}
	r := deliveryFields{name: name, enc: enc, in: interner{}, f: make([][]byte, 0, len(deliveriesHeader)+1)}
	kept := 0
	for n := first; len(part) > 0; n++ {
		var line []byte
		line, part, _ = bytes.Cut(part, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.Trim(line, " ;,")) == 0 {
			continue
		}
		r.line, r.f = n, appendByteFields(r.f[:0], bytes.TrimSuffix(line, []byte(";")))
		perr := r.delivery(&dst[kept])
		if perr == nil && semicolons && !bytes.HasSuffix(line, []byte(";")) {
			perr = &ParseError{File: name, Line: n, Msg: "does not end with ';' as the header and every complete line do: the line, or the file, is cut short"}
		}
		if perr != nil {
			dst[kept] = Delivery{}
			rj.add(perr)
			continue
		}
		kept++
	}
	return kept, rj
}

// appendByteFields appends the comma-separated fields of line to dst.
func appendByteFields(dst [][]byte, line []byte) [][]byte {
	for {
		field, rest, found := bytes.Cut(line, []byte(","))
		dst = append(dst, field)
		if !found {
			return dst
		}
		line = rest
	}
}

// interner keeps one copy of each string it is given.
type interner map[string]string

// of returns the text of b, as the one copy in keeps of it.
func (in interner) of(b []byte) string {
	if c, ok := in[string(b)]; ok {
		return c
	}
	c := string(b)
	in[c] = c
	return c
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

// deliveryFields is the fields of one data line of a listing, line, as
// bytes in enc; text and numbers are read from them as ReadDeliveries
// would read them from the decoded line.
type deliveryFields struct {
	name string
	enc  textEncoding
	in   interner
	line int
	f    [][]byte
	last [17]string // the text of each field on the line before
}

// raw returns field i decoded, as written: for messages.
func (r *deliveryFields) raw(i int) string { return r.enc.decode(r.f[i]) }

// trimmed returns field i without surrounding space (strings.TrimSpace
// of the decoded field), as bytes in UTF-8.
func (r *deliveryFields) trimmed(i int) []byte {
	if r.enc == encodingUTF8 || indexNonASCII(r.f[i]) < 0 {
		return bytes.TrimSpace(r.f[i])
	}
	return []byte(strings.TrimSpace(r.raw(i)))
}

// text returns field i trimmed and interned. A deal's rows follow each
// other, so most fields are the same as on the line before.
func (r *deliveryFields) text(i int) string {
	if b := r.trimmed(i); string(b) != r.last[i] {
		r.last[i] = r.in.of(b)
	}
	return r.last[i]
}

// delivery turns the fields into the Delivery *d.
func (r *deliveryFields) delivery(d *Delivery) *ParseError {
	bad := func(col int, msg string) *ParseError {
		return cellError(r.name, r.line, deliveriesHeader, col, msg)
	}
	if len(r.f) != len(deliveriesHeader) {
		return &ParseError{File: r.name, Line: r.line, Msg: fmt.Sprintf(
			"has %d fields; expected %d separated by commas (is a field cut short, or does one contain a comma?)", len(r.f), len(deliveriesHeader))}
	}
	*d = Delivery{
		Supplier: r.text(1), Recipient: r.text(2), Designation: r.text(3), Description: r.text(4),
		Category: r.text(5), Status: r.text(12),
	}
	var ok bool
	if d.DealID, ok = atoi(r.trimmed(0)); !ok || d.DealID <= 0 {
		return bad(0, fmt.Sprintf("%q is not a deal number (a positive integer)", r.raw(0)))
	}
	if d.Supplier == "" {
		return bad(1, "is empty; expected the supplier's name")
	}
	if d.Recipient == "" {
		return bad(2, "is empty; expected the recipient's name")
	}
	if s := r.trimmed(6); len(s) > 0 {
		if d.OrderYear, ok = atoi(s); !ok || !plausibleYear(d.OrderYear) {
			return bad(6, fmt.Sprintf("%q is not a year", r.raw(6)))
		}
	}
	if s := r.trimmed(8); len(s) > 0 {
		if d.Number, ok = atoi(s); !ok || d.Number < 0 {
			return bad(8, fmt.Sprintf("%q is not a count of weapons", r.raw(8)))
		}
	}
	if d.Year, ok = atoi(r.trimmed(10)); !ok || !plausibleYear(d.Year) {
		return bad(10, fmt.Sprintf("%q is not a year", r.raw(10)))
	}
	for _, fl := range [...]struct {
		col int
		dst *bool
	}{{7, &d.OrderYearEstimate}, {9, &d.NumberEstimate}, {11, &d.YearEstimate}, {16, &d.LocalProduction}} {
		switch string(r.trimmed(fl.col)) {
		case "Yes":
			*fl.dst = true
		case "No", "":
		default:
			return bad(fl.col, fmt.Sprintf("%q is not Yes, No or empty", r.raw(fl.col)))
		}
	}
	if !validStatus[d.Status] {
		return bad(12, fmt.Sprintf("%q is not New, Second hand or Second hand but modernized", r.raw(12)))
	}
	for _, num := range [...]struct {
		col int
		dst *float64
	}{{13, &d.TIVUnitNew}, {14, &d.TIVUnit}, {15, &d.TIV}} {
		s := r.trimmed(num.col)
		if len(s) == 0 {
			continue
		}
		v, fine := parseFinite(string(s))
		if !fine || v < 0 {
			return bad(num.col, fmt.Sprintf("%q is not a non-negative number", clip(r.raw(num.col))))
		}
		*num.dst = v
	}
	return nil
}

// atoi is strconv.Atoi of b, without converting b to a string when it is
// a few plain digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		v, err := strconv.Atoi(string(b))
		return v, err == nil
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			v, err := strconv.Atoi(string(b))
			return v, err == nil
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// plausibleYear accepts the years SIPRI's database can hold.
func plausibleYear(y int) bool { return y >= 1900 && y <= 2100 }

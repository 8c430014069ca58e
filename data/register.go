package data

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// PartyKind says what kind of party a deal's supplier or recipient is.
type PartyKind string

// The kinds of party SIPRI distinguishes. SIPRI marks a non-state actor by
// a trailing "*" and an international organisation by a trailing "**"; the
// readers strip the marker from the name and record it as the kind.
const (
	PartyState        PartyKind = "state"        // no marker
	PartyNonState     PartyKind = "non-state"    // name ended in "*", e.g. "Hezbollah (Lebanon)*"
	PartyOrganisation PartyKind = "organisation" // name ended in "**", e.g. "NATO**"
	// PartyUnknown is a placeholder party: "unknown supplier(s)",
	// "unknown recipient(s)" (current register) or "Unknown country"
	// (legacy register). The name is kept exactly as written. A name with a
	// marker, such as "unknown rebel group*", takes the marker's kind.
	PartyUnknown PartyKind = "unknown"
)

// Deal is one deal (order) of a SIPRI trade register, read from either the
// current export (ReadRegister) or the legacy report (ReadRegisterLegacy).
//
// Counts and years are 0 when the file gives none; the Has* flags tell an
// empty cell from a written 0. Text is UTF-8 with surrounding spaces
// removed. TIV figures are SIPRI trend-indicator values in millions; they
// are not money.
type Deal struct {
	// LegacyID is the legacy report's "Id" column; 0 in the current format,
	// which has no deal number.
	LegacyID int

	Supplier      string    // without the "*" / "**" marker
	SupplierKind  PartyKind // from the marker; see PartyKind
	Recipient     string    // without the "*" / "**" marker
	RecipientKind PartyKind

	OrderYear          int  // "Year of order"; 0 when empty
	OrderYearUncertain bool // "?" beside it (current) or "Yes" (legacy)

	NumberOrdered          int  // 0 when empty or written 0
	HasNumberOrdered       bool // false when the cell was empty: SIPRI has no figure yet
	NumberOrderedUncertain bool

	Designation string // "Weapon designation" / "Designation", e.g. "JF-17 Thunder"
	Description string // "Weapon description" / "Description", e.g. "FGA aircraft"

	// NumberDelivered is "Number delivered", or "Deliveries in the Year
	// Range" in an export with a year range set: then it (and
	// DeliveryYears) count only deliveries within the selected years.
	NumberDelivered    int
	HasNumberDelivered bool // false when the cell was empty
	// NumberDeliveredUncertain is the "?" beside the number delivered
	// (current). In the legacy report it is the flag "Year(s) of delivery or
	// no. delivered data uncertain", which covers the years as well.
	NumberDeliveredUncertain bool

	// DeliveryYears lists the delivery years of the current format in file
	// order ("2010; 2012" gives [2010 2012]); nil when there are none, and
	// always nil in the legacy report, whose range does not say which years
	// within it saw deliveries.
	DeliveryYears []int
	// DeliveryFrom and DeliveryTo bound the deliveries: the legacy range
	// "2007 - 2011" gives 2007 and 2011; in the current format they are the
	// smallest and largest of DeliveryYears. Both are 0 when there are no
	// deliveries.
	DeliveryFrom, DeliveryTo int

	// Status is "New", "Second hand" or "Second hand but modernized". The
	// legacy report's "SecondHand" maps to "Second hand" and "Refurbished"
	// to "Second hand but modernized".
	Status          string
	StatusUncertain bool // legacy "Status data uncertain"; always false in the current format

	// RecipientInvolvement is the legacy "Recipient Involvement" flag
	// ("Yes"); always false in the current format, which has no such column.
	RecipientInvolvement bool

	Comments string // "Comments" / "Comment"; SIPRI writes ";" where a comma would be

	// HasTIV is true for the current format and false for the legacy report,
	// which has no TIV columns (the three figures are then 0).
	HasTIV       bool
	TIVPerUnit   float64 // "SIPRI TIV per unit"; 0 when empty
	TIVOrder     float64 // "SIPRI TIV for total order"; 0 when empty, see TIVOrderUnknown
	TIVDelivered float64 // "SIPRI TIV of delivered weapons"; empty (no deliveries identified) reads as 0
	// TIVOrderUnknown is true when "SIPRI TIV for total order" was empty:
	// SIPRI then lacks the number ordered or the unit TIV.
	TIVOrderUnknown bool
}

// Columns of the current trade register, 0-based.
const (
	rcRecipient = iota
	rcSupplier
	rcOrderYear
	rcOrderYearQ
	rcNumberOrdered
	rcNumberOrderedQ
	rcDesignation
	rcDescription
	rcNumberDelivered
	rcNumberDeliveredQ
	rcDeliveryYears
	rcStatus
	rcComments
	rcTIVPerUnit
	rcTIVOrder
	rcTIVDelivered
	registerCols
)

// registerHeader is the current trade register's header line, split. The
// three " " columns hold "?" when the value to their left is uncertain.
// Column 9 is "Number delivered", or registerDeliveredRange when the export
// has a year range.
var registerHeader = [registerCols]string{
	"Recipient", "Supplier", "Year of order", " ", "Number ordered", " ",
	"Weapon designation", "Weapon description", "Number delivered", " ",
	"Year(s) of delivery", "status", "Comments", "SIPRI TIV per unit",
	"SIPRI TIV for total order", "SIPRI TIV of delivered weapons",
}

const registerDeliveredRange = "Deliveries in the Year Range"

// registerMaxLine is the longest physical line the register readers accept.
// SIPRI's lines are under 1 kB; a longer one means the file is not a
// register (or is damaged), and refusing it early bounds time and memory.
const registerMaxLine = 64 << 10

// sniffRegister reports whether text looks like a current-format SIPRI trade
// register: it contains the start of the header line.
func sniffRegister(text string) bool {
	return strings.Contains(text, "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,")
}

// registerColumnName names column i for error messages; the " " columns are
// named after the column whose uncertainty they mark.
func registerColumnName(i int, delivered string) string {
	switch i {
	case rcOrderYearQ, rcNumberOrderedQ, rcNumberDeliveredQ:
		return "? for " + registerColumnName(i-1, delivered)
	case rcNumberDelivered:
		return delivered
	}
	return registerHeader[i]
}

// ReadRegister reads SIPRI's current trade register export: one row per
// deal. The file is Windows-1252 (or UTF-8), comma-separated and unquoted;
// a preamble of notes (its "Data generated:" line gives Dataset.Vintage)
// precedes the 16-column header, which is found by its content. Empty number
// cells mean "no data".
//
// SIPRI does not quote cells, so a line break inside Comments splits a
// record over physical lines: a line with 13 to 15 fields is joined (with a
// space) to the lines after it while the total stays within 16 fields, and
// the record is reported under its first line. Every bad row is reported
// (up to MaxParseErrors); with opt.SkipBad the good rows are kept and the
// bad ones listed in File.Skipped. A line over 64 KiB refuses the whole file.
//
// The file is decoded a record at a time; with opt.Lean no deal is kept,
// and File.Deal decodes each again when it is asked for (see
// Options.Lean).
func ReadRegister(name string, b []byte, opt Options) (*File, error) {
	if perr := checkLineLengths(name, b); perr != nil {
		return nil, perr
	}
	enc, text, err := detectEncoding(name, b)
	if err != nil {
		return nil, err
	}
	f := &File{Dataset: sipriDataset(name, FormatSIPRIRegister, b)}
	// The preamble, up to the header line (line ln, ending before off).
	var header string
	off, ln, blank := 0, 0, true
	for off < len(text) {
		var raw []byte
		raw, off = nextLine(text, off)
		ln++
		line := enc.decode(raw)
		if strings.HasPrefix(line, "Recipient,Supplier,") {
			header = line
			break
		}
		blank = blank && strings.TrimSpace(line) == ""
		if v, ok := parseGenerated(line); ok {
			f.Dataset.Vintage = v
		}
	}
	switch {
	case header == "" && blank:
		return nil, &ParseError{File: name, Line: 1, Msg: "file is empty; expected a SIPRI trade register"}
	case header == "":
		return nil, &ParseError{File: name, Line: 1, Msg: `no header line starting with "Recipient,Supplier,": this is not a SIPRI trade register`}
	}
	delivered, perr := checkRegisterHeader(name, ln, header)
	if perr != nil {
		return nil, perr
	}
	headerLine := ln

	var (
		rj     = rejects{skipBad: opt.SkipBad}
		fields [registerCols]string
		years  []int // backing store shared by every Deal's DeliveryYears
		kept   int
		lean   *registerRows
	)
	if opt.Lean && int64(len(b)) <= math.MaxUint32 {
		lean = newRegisterRows(f, b, enc, text, delivered, opt.From)
	} else {
		f.Deals = make([]Deal, 0, bytes.Count(text[off:], []byte("\n"))+1)
	}
	for off < len(text) {
		first := ln + 1 // the record's first line
		span, n, lines, next := registerRecord(text, off)
		rec := enc.decode(joinLines(span))
		start := off
		off, ln = next, ln+lines
		if strings.TrimSpace(rec) == "" {
			continue
		}
		var perr *ParseError
		if n != registerCols {
			perr = registerFieldCountError(name, first, ln, n)
		} else {
			splitFields(rec, fields[:])
			if lean != nil {
				years = years[:0] // the deal is not kept
			}
			var d Deal
			if d, perr = parseRegisterDeal(name, first, &fields, delivered, &years); perr == nil {
				kept++
				if lean != nil {
					lean.keep(start, len(span), first, &d)
				} else {
					f.Deals = append(f.Deals, d)
				}
				continue
			}
		}
		rj.add(perr)
	}
	if err := rj.result(name, kept, headerLine); err != nil {
		return nil, err
	}
	f.lean = lean
	f.Skipped = rj.skipped
	f.Dataset.Rows = kept
	return f, nil
}

// registerRecord finds the record of b that starts at offset off: the
// physical line there, and the lines after it that it is joined to while
// a line break in Comments leaves it short (see ReadRegister). It returns
// the record's bytes (its lines with the line endings between them, see
// joinLines), its count of fields, how many lines it spans, and the
// offset of the line after it.
func registerRecord(b []byte, off int) (span []byte, n, lines, next int) {
	line, next := nextLine(b, off)
	end := off + len(line)
	n, lines = bytes.Count(line, []byte(","))+1, 1
	for n > rcComments && n < registerCols && next < len(b) {
		more, after := nextLine(b, next)
		m := bytes.Count(more, []byte(",")) + 1
		if n+m-1 > registerCols {
			break
		}
		end = next + len(more)
		n, lines, next = n+m-1, lines+1, after
	}
	return b[off:end], n, lines, next
}

// joinLines joins the lines of a record found by registerRecord with a
// space each, as ReadRegister reads them; a record of one line is
// returned as it is.
func joinLines(span []byte) []byte {
	if bytes.IndexByte(span, '\n') < 0 {
		return span
	}
	joined := make([]byte, 0, len(span))
	for off := 0; off < len(span); {
		if off > 0 {
			joined = append(joined, ' ')
		}
		var line []byte
		line, off = nextLine(span, off)
		joined = append(joined, line...)
	}
	return joined
}

// registerFieldCountError describes a record on lines first..last that does
// not have 16 fields.
func registerFieldCountError(name string, first, last, n int) *ParseError {
	var msg string
	switch {
	case n > registerCols:
		msg = fmt.Sprintf("has %d fields; expected %d separated by commas (does a cell contain a comma?)", n, registerCols)
	case first == last:
		msg = fmt.Sprintf("has %d fields; expected %d separated by commas (is the record cut short?)", n, registerCols)
	default:
		msg = fmt.Sprintf("record on lines %d-%d has %d fields; expected %d separated by commas (is the record cut short?)", first, last, n, registerCols)
	}
	return &ParseError{File: name, Line: first, Msg: msg}
}

// checkRegisterHeader checks the header line (line number ln) and returns
// the name of its 9th column.
func checkRegisterHeader(name string, ln int, line string) (string, *ParseError) {
	got := strings.Split(line, ",")
	for i := range got {
		if strings.TrimSpace(got[i]) == "" {
			got[i] = " "
		} else {
			got[i] = strings.TrimSpace(got[i])
		}
	}
	delivered := registerHeader[rcNumberDelivered]
	if len(got) > rcNumberDelivered && got[rcNumberDelivered] == registerDeliveredRange {
		delivered = registerDeliveredRange
	}
	for i := 0; i < registerCols; i++ {
		want := registerHeader[i]
		if i == rcNumberDelivered {
			want = delivered
		}
		if i < len(got) && got[i] == want {
			continue
		}
		col := registerColumnName(i, delivered)
		if len(got) < registerCols {
			return "", &ParseError{File: name, Line: ln, Column: col, ColumnNumber: i + 1, Msg: fmt.Sprintf(
				"header has %d columns; expected %d: this one is missing", len(got), registerCols)}
		}
		alt := ""
		if i == rcNumberDelivered {
			alt = fmt.Sprintf(" or %q", registerDeliveredRange)
		}
		return "", &ParseError{File: name, Line: ln, Column: col, ColumnNumber: i + 1, Msg: fmt.Sprintf(
			"header cell is %q; expected %q%s", clip(got[i]), want, alt)}
	}
	if len(got) > registerCols {
		return "", &ParseError{File: name, Line: ln, ColumnNumber: registerCols + 1, Msg: fmt.Sprintf(
			"header has %d columns; expected %d (unexpected column %q after %q)", len(got), registerCols, clip(got[registerCols]), registerHeader[registerCols-1])}
	}
	return delivered, nil
}

// splitFields splits s on commas into dst, which must have room for every
// field, without allocating.
func splitFields(s string, dst []string) {
	i := 0
	for i < len(dst)-1 {
		j := strings.IndexByte(s, ',')
		if j < 0 {
			break
		}
		dst[i] = s[:j]
		s = s[j+1:]
		i++
	}
	dst[i] = s
}

// parseRegisterDeal turns the 16 fields of one record into a Deal. Delivery
// years are appended to *years and the Deal's slice points into it.
func parseRegisterDeal(name string, line int, f *[registerCols]string, delivered string, years *[]int) (Deal, *ParseError) {
	bad := func(col int, msg string) *ParseError {
		return &ParseError{File: name, Line: line, Column: registerColumnName(col, delivered), ColumnNumber: col + 1, Msg: msg}
	}
	d := Deal{
		Designation: strings.TrimSpace(f[rcDesignation]),
		Description: strings.TrimSpace(f[rcDescription]),
		Status:      strings.TrimSpace(f[rcStatus]),
		Comments:    strings.TrimSpace(f[rcComments]),
		HasTIV:      true,
	}
	var ok bool
	if d.Recipient, d.RecipientKind, ok = splitParty(f[rcRecipient]); !ok {
		return d, bad(rcRecipient, "is empty; expected the recipient's name")
	}
	if d.Supplier, d.SupplierKind, ok = splitParty(f[rcSupplier]); !ok {
		return d, bad(rcSupplier, "is empty; expected the supplier's name")
	}
	var msg string
	if d.OrderYear, msg = parseYearCell(f[rcOrderYear]); msg != "" {
		return d, bad(rcOrderYear, msg)
	}
	for _, q := range [...]struct {
		col int
		dst *bool
	}{{rcOrderYearQ, &d.OrderYearUncertain}, {rcNumberOrderedQ, &d.NumberOrderedUncertain}, {rcNumberDeliveredQ, &d.NumberDeliveredUncertain}} {
		switch strings.TrimSpace(f[q.col]) {
		case "?":
			*q.dst = true
		case "":
		default:
			return d, bad(q.col, fmt.Sprintf(`%q is not "?" or empty`, clip(f[q.col])))
		}
	}
	if d.NumberOrdered, d.HasNumberOrdered, msg = parseCount(f[rcNumberOrdered]); msg != "" {
		return d, bad(rcNumberOrdered, msg)
	}
	if d.NumberDelivered, d.HasNumberDelivered, msg = parseCount(f[rcNumberDelivered]); msg != "" {
		return d, bad(rcNumberDelivered, msg)
	}
	start := len(*years)
	if msg = parseYearList(f[rcDeliveryYears], years); msg != "" {
		return d, bad(rcDeliveryYears, msg)
	}
	d.setDeliveryYears((*years)[start:len(*years):len(*years)])
	if !validStatus[d.Status] {
		return d, bad(rcStatus, fmt.Sprintf("%q is not New, Second hand or Second hand but modernized", clip(f[rcStatus])))
	}
	for _, num := range [...]struct {
		col int
		dst *float64
	}{{rcTIVPerUnit, &d.TIVPerUnit}, {rcTIVOrder, &d.TIVOrder}, {rcTIVDelivered, &d.TIVDelivered}} {
		v, ok, msg := parseTIV(f[num.col])
		if msg != "" {
			return d, bad(num.col, fmt.Sprintf("%q is not a number (a non-negative TIV in millions, or empty)", clip(f[num.col])))
		}
		*num.dst = v
		if num.col == rcTIVOrder && !ok {
			d.TIVOrderUnknown = true
		}
	}
	return d, nil
}

// setDeliveryYears sets d.DeliveryYears to ys (nil when empty) and
// DeliveryFrom/DeliveryTo to their smallest and largest.
func (d *Deal) setDeliveryYears(ys []int) {
	if len(ys) == 0 {
		return
	}
	d.DeliveryYears = ys
	d.DeliveryFrom, d.DeliveryTo = ys[0], ys[0]
	for _, y := range ys[1:] {
		d.DeliveryFrom = min(d.DeliveryFrom, y)
		d.DeliveryTo = max(d.DeliveryTo, y)
	}
}

// parseYearList reads "2010; 2012" (or a single year, or empty) and appends
// the years to *years; the caller slices them off. It returns an error
// message, "" when the cell is good.
func parseYearList(cell string, years *[]int) string {
	s := strings.TrimSpace(cell)
	if s == "" {
		return ""
	}
	start := len(*years)
	for part := range strings.SplitSeq(s, ";") {
		y, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || !plausibleYear(y) {
			*years = (*years)[:start]
			return fmt.Sprintf(`%q is not a list of years such as "2010; 2012"`, clip(cell))
		}
		*years = append(*years, y)
	}
	return ""
}

// parseYearCell reads an optional year: empty gives 0.
func parseYearCell(cell string) (int, string) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, ""
	}
	y, err := strconv.Atoi(s)
	if err != nil || !plausibleYear(y) {
		return 0, fmt.Sprintf("%q is not a year", clip(cell))
	}
	return y, ""
}

// parseCount reads an optional count of weapons: empty gives ok=false.
func parseCount(cell string) (n int, ok bool, msg string) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, false, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false, fmt.Sprintf("%q is not a count of weapons (a whole number, or empty)", clip(cell))
	}
	return n, true, ""
}

// splitParty trims a supplier or recipient cell and splits off SIPRI's
// marker: "**" organisation, "*" non-state actor. Placeholder names
// ("unknown supplier(s)", "unknown recipient(s)", "Unknown country") are
// PartyUnknown. ok is false when the name is empty.
func splitParty(cell string) (string, PartyKind, bool) {
	s := strings.TrimSpace(cell)
	kind := PartyState
	switch {
	case strings.HasSuffix(s, "**"):
		s, kind = strings.TrimSpace(s[:len(s)-2]), PartyOrganisation
	case strings.HasSuffix(s, "*"):
		s, kind = strings.TrimSpace(s[:len(s)-1]), PartyNonState
	case strings.EqualFold(s, "unknown supplier(s)"), strings.EqualFold(s, "unknown recipient(s)"),
		strings.EqualFold(s, "Unknown country"):
		kind = PartyUnknown
	}
	return s, kind, s != ""
}

// clip shortens a cell quoted in an error message to at most 60 bytes, so
// that a huge cell cannot make a huge message.
func clip(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkLineLengths refuses a file with a physical line longer than
// registerMaxLine bytes, before any decoding or splitting.
func checkLineLengths(name string, b []byte) *ParseError {
	for ln := 1; len(b) > 0; ln++ {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			j = len(b)
		}
		if j > registerMaxLine {
			return &ParseError{File: name, Line: ln, Msg: fmt.Sprintf(
				"line is %d bytes long; a register line is at most %d (is this a SIPRI trade register?)", j, registerMaxLine)}
		}
		if j == len(b) {
			break
		}
		b = b[j+1:]
	}
	return nil
}

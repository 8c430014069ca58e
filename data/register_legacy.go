package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Columns of the legacy register report, 0-based.
const (
	rlID = iota
	rlSupplier
	rlRecipient
	rlNumberOrdered
	rlNumberOrderedQ
	rlDesignation
	rlDescription
	rlStatus
	rlStatusQ
	rlOrderYear
	rlOrderYearQ
	rlDeliveryYears
	rlNumberDelivered
	rlDeliveredQ
	rlRecipientInvolvement
	rlComment
	legacyCols
)

// legacyHeader is the header line of the legacy register report.
var legacyHeader = [legacyCols]string{
	"Id", "Supplier", "Recipient", "No. ordered", "No. ordered data uncertain",
	"Designation", "Description", "Status", "Status data uncertain",
	"Year of order", "Year of order data uncertain", "Year(s) of deliveries",
	"No. delivered", "Year(s) of delivery or no. delivered data uncertain",
	"Recipient Involvement", "Comment",
}

// legacyStatus maps the legacy report's statuses to the current ones.
var legacyStatus = map[string]string{
	"New":         "New",
	"SecondHand":  "Second hand",
	"Refurbished": "Second hand but modernized",
}

// sniffRegisterLegacy reports whether text looks like a legacy SIPRI
// register report: it starts with the report's header.
func sniffRegisterLegacy(text string) bool {
	return strings.HasPrefix(strings.TrimPrefix(text, "\ufeff"), "Id,Supplier,Recipient,No. ordered,No. ordered data uncertain,")
}

// ReadRegisterLegacy reads SIPRI's legacy trade register report (c. 2013):
// an RFC 4180 CSV (cells with commas are double-quoted) with no preamble,
// the 16-column header "Id,Supplier,Recipient,No. ordered,…,Comment" and
// one row per deal. Uncertainty flags are "Yes" or empty; "Year(s) of
// deliveries" is a range "2007 - 2011" read into DeliveryFrom/DeliveryTo
// (DeliveryYears stays nil); Status is mapped to the current names (see
// Deal.Status). The report has no TIV columns, so HasTIV is false, and no
// generation date, so Dataset.Vintage is "".
//
// Every bad row is reported (up to MaxParseErrors) with the line of the
// offending cell; with opt.SkipBad the good rows are kept and the bad ones
// listed in File.Skipped. A line over 64 KiB refuses the whole file.
func ReadRegisterLegacy(name string, b []byte, opt Options) (*File, error) {
	if perr := checkLineLengths(name, b); perr != nil {
		return nil, perr
	}
	text, err := decodeText(name, b)
	if err != nil {
		return nil, err
	}
	f := &File{Dataset: sipriDataset(name, FormatSIPRIRegisterLegacy, b)}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = legacyCols
	r.LazyQuotes = false
	r.ReuseRecord = true

	rec, err := r.Read()
	if err == io.EOF {
		return nil, &ParseError{File: name, Line: 1, Msg: "file is empty; expected the legacy register header " + strconv.Quote(strings.Join(legacyHeader[:], ","))}
	}
	if perr := checkLegacyHeader(name, text, rec, err); perr != nil {
		return nil, perr
	}

	var (
		rj     = rejects{skipBad: opt.SkipBad}
		starts []int // line offsets, for locating quote errors
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var perr *ParseError
		if err != nil {
			perr = legacyCSVError(name, text, &starts, rec, err)
		} else {
			var d Deal
			d, perr = parseLegacyDeal(name, r, rec)
			if perr == nil {
				f.Deals = append(f.Deals, d)
				continue
			}
		}
		rj.add(perr)
	}
	if err := rj.result(name, len(f.Deals), 1); err != nil {
		return nil, err
	}
	f.Skipped = rj.skipped
	f.Dataset.Rows = len(f.Deals)
	return f, nil
}

// checkLegacyHeader checks the first record (and the error reading it).
func checkLegacyHeader(name, text string, rec []string, err error) *ParseError {
	var ce *csv.ParseError
	if err != nil && !(errors.As(err, &ce) && errors.Is(ce.Err, csv.ErrFieldCount)) {
		var starts []int
		return legacyCSVError(name, text, &starts, rec, err)
	}
	for i, want := range legacyHeader {
		if i < len(rec) && strings.TrimSpace(rec[i]) == want {
			continue
		}
		if i == 0 {
			return &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(
				"first line starts %q; expected the legacy register header %q", clip(strings.Join(rec, ",")), clip(strings.Join(legacyHeader[:], ",")))}
		}
		if len(rec) < legacyCols {
			return cellError(name, 1, legacyHeader[:], i, fmt.Sprintf(
				"header has %d columns; expected %d: this one is missing", len(rec), legacyCols))
		}
		return cellError(name, 1, legacyHeader[:], i, fmt.Sprintf(
			"header cell is %q; expected %q (is this a legacy SIPRI register report?)", clip(rec[i]), want))
	}
	if len(rec) > legacyCols {
		return &ParseError{File: name, Line: 1, ColumnNumber: legacyCols + 1, Msg: fmt.Sprintf(
			"header has %d columns; expected %d (unexpected column %q after %q)", len(rec), legacyCols, clip(rec[legacyCols]), legacyHeader[legacyCols-1])}
	}
	return nil
}

// legacyCSVError turns an encoding/csv error into a ParseError naming the
// line and, where it can be told, the column.
// starts caches the text's line offsets, computed on the first use.
func legacyCSVError(name, text string, starts *[]int, rec []string, err error) *ParseError {
	var ce *csv.ParseError
	if !errors.As(err, &ce) {
		return &ParseError{File: name, Line: 1, Msg: "reading CSV: " + err.Error()}
	}
	if errors.Is(ce.Err, csv.ErrFieldCount) {
		return &ParseError{File: name, Line: max(ce.StartLine, 1), Msg: fmt.Sprintf(
			"has %d fields; expected %d separated by commas (is the record cut short, or a cell with a comma not quoted?)", len(rec), legacyCols)}
	}
	line := max(ce.Line, 1)
	if *starts == nil {
		*starts = lineStarts(text)
	}
	col := legacyFieldAt(text, *starts, max(ce.StartLine, 1), line, ce.Column)
	msg := ce.Err.Error()
	switch {
	case errors.Is(ce.Err, csv.ErrBareQuote):
		msg += ` (a cell with a quote must be quoted, and its quote doubled: "")`
	case errors.Is(ce.Err, csv.ErrQuote):
		msg += " (a quoted cell is not closed, or its closing quote is followed by more text)"
	}
	if ce.StartLine != 0 && ce.StartLine != ce.Line {
		msg += fmt.Sprintf(" in the record starting on line %d", ce.StartLine)
	}
	if col >= 0 && col < legacyCols {
		return cellError(name, line, legacyHeader[:], col, msg)
	}
	return &ParseError{File: name, Line: line, Msg: msg}
}

// legacyFieldAt returns the 0-based index of the field that holds byte
// column col (1-based) of physical line line, for a record starting on line
// start, by counting commas outside quotes; -1 when it cannot be told.
// starts holds the byte offset of each line of text (see lineStarts).
func legacyFieldAt(text string, starts []int, start, line, col int) int {
	if start < 1 || line < start || line > len(starts) {
		return -1
	}
	from := starts[start-1]
	to := len(text)
	if line < len(starts) {
		to = starts[line] // start of the line after the error line
	}
	to = min(starts[line-1]+max(col-1, 0), to)
	field, quoted := 0, false
	for _, c := range []byte(text[from:to]) {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				field++
			}
		}
	}
	return field
}

// lineStarts returns the byte offset at which each line of text starts.
func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && i+1 < len(text) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// parseLegacyDeal turns one record of the legacy report into a Deal. r
// gives each field's line.
func parseLegacyDeal(name string, r *csv.Reader, f []string) (Deal, *ParseError) {
	bad := func(col int, msg string) *ParseError {
		line, _ := r.FieldPos(col)
		return cellError(name, line, legacyHeader[:], col, msg)
	}
	d := Deal{
		Designation: strings.TrimSpace(f[rlDesignation]),
		Description: strings.TrimSpace(f[rlDescription]),
		Comments:    strings.TrimSpace(f[rlComment]),
	}
	var err error
	if d.LegacyID, err = strconv.Atoi(strings.TrimSpace(f[rlID])); err != nil || d.LegacyID <= 0 {
		return d, bad(rlID, fmt.Sprintf("%q is not a deal number (a positive integer)", clip(f[rlID])))
	}
	var ok bool
	if d.Supplier, d.SupplierKind, ok = splitParty(f[rlSupplier]); !ok {
		return d, bad(rlSupplier, "is empty; expected the supplier's name")
	}
	if d.Recipient, d.RecipientKind, ok = splitParty(f[rlRecipient]); !ok {
		return d, bad(rlRecipient, "is empty; expected the recipient's name")
	}
	var msg string
	if d.NumberOrdered, d.HasNumberOrdered, msg = parseCount(f[rlNumberOrdered]); msg != "" {
		return d, bad(rlNumberOrdered, msg)
	}
	if d.NumberDelivered, d.HasNumberDelivered, msg = parseCount(f[rlNumberDelivered]); msg != "" {
		return d, bad(rlNumberDelivered, msg)
	}
	if d.OrderYear, msg = parseYearCell(f[rlOrderYear]); msg != "" {
		return d, bad(rlOrderYear, msg)
	}
	if d.DeliveryFrom, d.DeliveryTo, msg = parseYearRange(f[rlDeliveryYears]); msg != "" {
		return d, bad(rlDeliveryYears, msg)
	}
	status, ok := legacyStatus[strings.TrimSpace(f[rlStatus])]
	if !ok {
		return d, bad(rlStatus, fmt.Sprintf("%q is not New, SecondHand or Refurbished", clip(f[rlStatus])))
	}
	d.Status = status
	for _, fl := range [...]struct {
		col int
		dst *bool
	}{
		{rlNumberOrderedQ, &d.NumberOrderedUncertain}, {rlStatusQ, &d.StatusUncertain},
		{rlOrderYearQ, &d.OrderYearUncertain}, {rlDeliveredQ, &d.NumberDeliveredUncertain},
		{rlRecipientInvolvement, &d.RecipientInvolvement},
	} {
		v, ok := parseFlag(f[fl.col])
		if !ok {
			return d, bad(fl.col, fmt.Sprintf("%q is not Yes, No or empty", clip(f[fl.col])))
		}
		*fl.dst = v
	}
	return d, nil
}

// parseYearRange reads a legacy "2007 - 2011" range; empty gives 0, 0. Both
// ends must be plausible years and from <= to.
func parseYearRange(cell string) (from, to int, msg string) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, 0, ""
	}
	a, b, found := strings.Cut(s, "-")
	bad := fmt.Sprintf(`%q is not a year range such as "2007 - 2011"`, clip(cell))
	if !found {
		return 0, 0, bad
	}
	var err1, err2 error
	from, err1 = strconv.Atoi(strings.TrimSpace(a))
	to, err2 = strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || !plausibleYear(from) || !plausibleYear(to) || from > to {
		return 0, 0, bad
	}
	return from, to, ""
}

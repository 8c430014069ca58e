// Package data reads the figures armsdash works with (SIPRI exports, World
// Bank WDI, event lists, GDELT) and holds them in memory or in a store.
//
// Every reader detects its format from the content, reports each bad row as
// a *ParseError naming file, line and column, and never returns a partial
// result together with a nil error. The package knows nothing of HTTP or
// charts.
package data

import (
	"errors"
	"fmt"
	"strings"
)

// Format names a kind of input file.
type Format string

// The formats armsdash reads.
const (
	FormatSIPRIDeliveries     Format = "sipri-deliveries"      // per-delivery-year listing
	FormatSIPRIRegister       Format = "sipri-register"        // trade register, current format
	FormatSIPRIRegisterLegacy Format = "sipri-register-legacy" // trade register, legacy quoted CSV
	FormatSIPRITIVTable       Format = "sipri-tiv-table"       // TIV table, current format
	FormatSIPRITIVTableOld    Format = "sipri-tiv-table-old"   // TIV table, c. 2023 format
	FormatWDI                 Format = "wdi"                   // World Bank WDI wide CSV
	FormatEvents              Format = "events"                // armsdash's own events CSV
	FormatFlows               Format = "flows"                 // armsdash's yearly flows CSV (the built-in SIPRI extract)
	FormatGDELT               Format = "gdelt"                 // GDELT 2.0 event export
	FormatReportedFigures     Format = "reported-figures"      // built-in: figures quoted in articles
	FormatEquipment           Format = "equipment"             // built-in: equipment named in articles
)

// ErrNotFound is returned when a named dataset, country or record does not exist.
var ErrNotFound = errors.New("not found")

// ParseError is one rejected piece of input: a cell, a line, or the whole
// file (line 1). Line and ColumnNumber are 1-based.
type ParseError struct {
	File   string // base name of the file, as the user gave it
	Line   int    // physical line number in the file
	Column string // column header, e.g. "SIPRI TIV per unit"; "" for the whole line
	// ColumnNumber is the column's position among the line's fields, 1 for
	// the first; 0 for the whole line, or when the position is not known.
	ColumnNumber int
	Msg          string // what was found and what was expected
}

// Error formats the error as `file:line: column 14 "name": message`,
// leaving out the number or the name when it is not known, and the whole
// column part for an error about a whole line.
func (e *ParseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	switch {
	case e.Column != "" && e.ColumnNumber > 0:
		fmt.Fprintf(&b, "column %d %q: ", e.ColumnNumber, e.Column)
	case e.Column != "":
		fmt.Fprintf(&b, "column %q: ", e.Column)
	case e.ColumnNumber > 0:
		fmt.Fprintf(&b, "column %d: ", e.ColumnNumber)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// cellError reports a bad cell of line: the one in column i (0-based) of a
// file whose columns are headed columns.
func cellError(file string, line int, columns []string, i int, msg string) *ParseError {
	return &ParseError{File: file, Line: line, Column: columns[i], ColumnNumber: i + 1, Msg: msg}
}

// ParseErrors collects every rejected row of one file, up to a limit.
type ParseErrors struct {
	Errs      []*ParseError
	Truncated bool // more errors were found than are listed
}

// MaxParseErrors is how many errors a reader lists before it stops listing.
const MaxParseErrors = 100

// Error lists the errors one per line.
func (e *ParseErrors) Error() string {
	lines := make([]string, 0, len(e.Errs)+1)
	for _, pe := range e.Errs {
		lines = append(lines, pe.Error())
	}
	if e.Truncated {
		lines = append(lines, fmt.Sprintf("(only the first %d errors are listed)", MaxParseErrors))
	}
	return strings.Join(lines, "\n")
}

// Add records err, remembering only the first MaxParseErrors.
func (e *ParseErrors) Add(err *ParseError) {
	if len(e.Errs) >= MaxParseErrors {
		e.Truncated = true
		return
	}
	e.Errs = append(e.Errs, err)
}

// Err returns e as an error, or nil when nothing was recorded.
func (e *ParseErrors) Err() error {
	if len(e.Errs) == 0 {
		return nil
	}
	return e
}

// rejects gathers the bad rows of one file: every one is reported (the
// first MaxParseErrors listed), and with skipBad they are also kept, so that
// the good rows can be imported with a record of what was left out.
type rejects struct {
	skipBad bool
	errs    ParseErrors
	skipped []*ParseError
}

// add records one bad row.
func (r *rejects) add(perr *ParseError) {
	r.errs.Add(perr)
	if r.skipBad {
		r.skipped = append(r.skipped, perr)
	}
}

// join adds the bad rows o gathered, after those of r, as if r had
// gathered them itself.
func (r *rejects) join(o *rejects) {
	for _, perr := range o.errs.Errs {
		r.errs.Add(perr)
	}
	r.errs.Truncated = r.errs.Truncated || o.errs.Truncated
	r.skipped = append(r.skipped, o.skipped...)
}

// err returns the error that refuses the file, or nil when there were no
// bad rows or they are to be skipped.
func (r *rejects) err() error {
	if r.skipBad {
		return nil
	}
	return r.errs.Err()
}

// result is err, and refuses as well a file that leaves no row to import
// (kept is the count of good rows): one with no data rows after its header
// (on line header), or one all of whose rows were bad and skipped, listing
// them. An empty dataset is never imported.
func (r *rejects) result(name string, kept, header int) error {
	if err := r.err(); err != nil || kept > 0 {
		return err
	}
	if len(r.errs.Errs) == 0 {
		return &ParseError{File: name, Line: header, Msg: "the header is followed by no data rows: nothing to import"}
	}
	return r.nothing(name, header, fmt.Sprintf("every data row is bad (%d rejected)", len(r.skipped)))
}

// nothing refuses a file that leaves no row to import for the reason why,
// followed by the bad rows rejected, if any.
func (r *rejects) nothing(name string, line int, why string) error {
	perr := &ParseError{File: name, Line: line, Msg: why + ": nothing to import"}
	if len(r.errs.Errs) == 0 {
		return perr
	}
	return &ParseErrors{Errs: append([]*ParseError{perr}, r.errs.Errs...), Truncated: r.errs.Truncated}
}

// Dataset describes where a set of rows came from.
type Dataset struct {
	Name        string // short name shown to users, e.g. the file's base name
	Format      Format
	Source      string // publisher and database, e.g. "SIPRI Arms Transfers Database"
	Attribution string // the credit line the licence asks for
	Licence     string
	Vintage     string // generation date in the file (ISO 8601 date), "" when the file has none
	SHA256      string // hex digest of the file's bytes
	Rows        int    // rows accepted
	// Updates is the span of GDELT updates a GDELT file holds: its
	// events are all GDELT reported in that time. Zero for other formats.
	Updates Updates
}

// Label returns the source and vintage as shown beside every figure,
// for example "SIPRI Arms Transfers Database, generated 2026-02-12"; for
// a GDELT file the span of its updates instead, "GDELT Project, GDELT
// 2.0 Event Database, updates 2026-05-14 08:30–08:45 UTC, one 15-minute
// update".
func (d Dataset) Label() string {
	if u := d.Updates.String(); u != "" {
		return d.Source + ", updates " + u
	}
	if d.Vintage == "" {
		return d.Source + ", undated"
	}
	return d.Source + ", generated " + d.Vintage
}

package data

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// File is what a reader makes of one input file: the dataset's description
// and its rows, in the slice that fits the format (the others stay nil).
type File struct {
	Dataset    Dataset
	Deliveries []Delivery       // SIPRI per-delivery-year listing, one row per deal and delivery year
	Flows      []Flow           // yearly TIV by supplier and recipient (armsdash's own extract format)
	Deals      []Deal           // SIPRI trade register (current or legacy), one row per deal; nil when read with Options.Lean (see Deal)
	TIVValues  []TIVValue       // SIPRI TIV table cells
	Indicators []IndicatorValue // World Bank WDI values
	Events     []Event          // events CSV and GDELT
	Figures    []Figure         // figures quoted in articles (built-in only)
	Equipment  []Equipment      // equipment named in articles (built-in only)

	// Unmapped lists country names found in the file that the country table
	// does not know; they are kept as written, never dropped.
	Unmapped []string
	// Skipped lists rows left out because the caller asked to skip bad rows.
	Skipped []*ParseError

	// Bytes is the size of the file read (for a zip archive, of the file
	// it holds), in bytes: about how much an import of it writes. A store
	// does not keep it (it is 0 in Store.File's File).
	Bytes int64

	// lean holds the deals of a register read with Options.Lean, in
	// place of Deals.
	lean *registerRows
}

// NumDeals returns how many deals f holds: len(f.Deals), or as many as
// a register read with Options.Lean holds.
func (f *File) NumDeals() int {
	if f.lean != nil {
		return len(f.lean.rows)
	}
	return len(f.Deals)
}

// Deal returns f's ith deal, 0 <= i < NumDeals(): f.Deals[i], or, in a
// register read with Options.Lean, the ith good record read and decoded
// again, as Deals would hold it. That fails when the record cannot be
// read again (Options.From), or reads differently: the file changed
// after it was read. Deal is safe to call from several goroutines.
func (f *File) Deal(i int) (Deal, error) {
	if f.lean != nil {
		return f.lean.deal(i)
	}
	return f.Deals[i], nil
}

// VerifyDeals reports, for a register read with Options.Lean and
// Options.From, whether From still holds the bytes read (their size and
// SHA-256), so that the deals read from it again were the ones checked.
// It is nil for any other file.
func (f *File) VerifyDeals() error {
	if f.lean != nil {
		return f.lean.verify()
	}
	return nil
}

// Options change how a reader treats its input.
type Options struct {
	// SkipBad imports the good rows of a file with bad ones, recording the
	// bad ones in File.Skipped, instead of refusing the whole file.
	SkipBad bool
	// GDELTRoots lists the CAMEO root or full event codes kept from GDELT
	// files; nil means DefaultGDELTCodes.
	GDELTRoots []string
	// MaxUnpacked is how many bytes the file of a zip archive may unpack
	// to; 0 means DefaultMaxUnpacked. Reading stops, and the file is
	// refused, as soon as it is passed.
	MaxUnpacked int64
	// Lean keeps no Deal of a trade register: the reader checks every row
	// as usual (the errors, the skipped rows, the vintage and the count
	// of rows are the same), but leaves File.Deals nil and notes where
	// each good record lies, and File.Deal reads and decodes a deal again
	// each time it is asked for, from From or else from the bytes read,
	// which the File then keeps (they must not change while it is in
	// use). The real 3.8 MB register's deals take 14.6 MB as Deals (with
	// their text) and 0.4 MB so. A store imports either kind, reading each
	// deal once. Other formats ignore Lean.
	Lean bool
	// From, with Lean, is the file whose bytes are read (an *os.File),
	// where a register's deals are read again, so that the caller need
	// not keep the bytes. It must stay open while the File is in use;
	// File.VerifyDeals tells whether it changed meanwhile, and a store's
	// import fails if it did.
	From io.ReaderAt
	// Vintage, when not "", is the date (YYYY-MM-DD, see ParseVintage)
	// the importer gives a file that carries none, such as a TIV table
	// republished without its preamble. Read sets it as the Vintage of
	// such a file, and refuses a file whose own date differs from it.
	Vintage string
}

// ParseVintage checks a vintage given by hand (a flag, a form field): a
// date written YYYY-MM-DD, from 1950 on. It returns the date as written,
// surrounding space removed, or an error saying what is expected.
func ParseVintage(s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1950 {
		return "", fmt.Errorf("vintage %q is not a date written YYYY-MM-DD from 1950 on, e.g. 2023-12-11", clip(s))
	}
	return s, nil
}

// setVintage gives f, read from file name, the vintage v from
// Options.Vintage: when f carries no date, v becomes its Vintage; when it
// carries v nothing changes; when it carries another date the file is
// refused, since a date the file gives itself is not overridden by hand.
func (f *File) setVintage(name, v string) error {
	v, err := ParseVintage(v)
	if err != nil {
		return &ParseError{File: name, Line: 1, Msg: err.Error()}
	}
	switch f.Dataset.Vintage {
	case "":
		f.Dataset.Vintage = v
	case v:
	default:
		return &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(
			"the file gives its own date, %s, and the vintage given by hand, %s, differs from it; give no vintage for this file", f.Dataset.Vintage, v)}
	}
	return nil
}

package data

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// sniffBytes is how much of a file Detect looks at.
const sniffBytes = 64 << 10

// reader is everything armsdash knows about one input format, in one
// place: the test that recognises it, its reader and, for a format that
// carries yearly supplier→recipient flows, where the stores find them,
// how complete they are, and how it ranks among flow sets.
type reader struct {
	format Format
	// sniff looks at the decoded first bytes of a file; sniffRaw, when
	// set, at the whole file undecoded (for zip archives and
	// tab-separated exports).
	sniff    func(head string) bool
	sniffRaw func(b []byte) bool
	read     func(name string, b []byte, opt Options) (*File, error)
	// flows is the stored rows the format's yearly flows are summed from;
	// "" for a format without flows.
	flows FlowSource
	// coverage is whose imports and exports its flows hold in full.
	coverage CoverageKind
	// rank orders flow sets, lowest first: the snapshot's preferred flow
	// set is the first of the lowest rank (see FlowEntries).
	rank int
}

// FlowSource names the stored rows a format's yearly flows come from.
type FlowSource string

// The sources of yearly flows.
const (
	// FlowsFromDeliveries sums the deliveries of a listing by supplier,
	// recipient and delivery year (the stores sum them by armament
	// category, status and local production as well, FlowSet.Details,
	// and the flows from those).
	FlowsFromDeliveries FlowSource = "deliveries"
	// FlowsStored takes the flows as stored (armsdash's flows CSV).
	FlowsStored FlowSource = "flows"
	// FlowsFromTIVCells takes the cells of a TIV table that name both a
	// supplier and a recipient and no category.
	FlowsFromTIVCells FlowSource = "tiv_values"
)

// readers lists every format Detect knows, most specific test first. It
// is set in init because ReadGDELT, to name what a zip holds, calls detect,
// which reads it. Adding a format that fills an existing kind of row is one
// line here and its reader.
var readers []reader

func init() {
	readers = []reader{
		{format: FormatGDELT, sniffRaw: sniffGDELT, read: ReadGDELT},
		{format: FormatSIPRIDeliveries, sniff: sniffDeliveries, read: ReadDeliveries, flows: FlowsFromDeliveries, coverage: CoverageListing, rank: 0},
		{format: FormatSIPRIRegister, sniff: sniffRegister, read: ReadRegister},
		{format: FormatSIPRIRegisterLegacy, sniff: sniffRegisterLegacy, read: ReadRegisterLegacy},
		{format: FormatSIPRITIVTable, sniff: sniffTIVTable, read: ReadTIVTable, flows: FlowsFromTIVCells, coverage: CoverageTable, rank: 2},
		{format: FormatSIPRITIVTableOld, sniff: sniffTIVTableOld, read: ReadTIVTable, flows: FlowsFromTIVCells, coverage: CoverageTable, rank: 2},
		{format: FormatWDI, sniff: sniffWDI, read: ReadWDI},
		{format: FormatEvents, sniff: sniffEvents, read: ReadEvents},
		{format: FormatFlows, sniff: sniffFlows, read: ReadFlows, flows: FlowsStored, coverage: CoverageExtract, rank: 1},
	}
}

// readerOf returns the reader of format f; ok is false for a format no
// file is read in (the built-in figures and equipment).
func readerOf(f Format) (reader, bool) {
	for _, r := range readers {
		if r.format == f {
			return r, true
		}
	}
	return reader{}, false
}

// FlowSourceOf returns the stored rows format f's yearly flows come from,
// "" for a format without flows.
func FlowSourceOf(f Format) FlowSource {
	r, _ := readerOf(f)
	return r.flows
}

// Detect returns the format of a file from its first bytes (never from its
// name). It returns an error naming the formats it knows when none fits.
func Detect(name string, b []byte) (Format, error) {
	r, err := detect(name, b)
	if err != nil {
		return "", err
	}
	return r.format, nil
}

func detect(name string, b []byte) (reader, error) {
	if len(b) == 0 {
		return reader{}, &ParseError{File: name, Line: 1, Msg: "file is empty"}
	}
	for _, r := range readers {
		if r.sniffRaw != nil && r.sniffRaw(b) {
			return r, nil
		}
	}
	if perr := wideTextError(name, b); perr != nil {
		return reader{}, perr
	}
	head := b[:min(len(b), sniffBytes)]
	// The head may end inside a multi-byte character; Windows-1252 decoding
	// of ASCII-compatible headers is enough to recognise a format.
	text, err := charmap.Windows1252.NewDecoder().String(string(head))
	if err != nil {
		text = string(head)
	}
	text = strings.TrimPrefix(text, "ï»¿") // a UTF-8 byte order mark read as Windows-1252
	for _, r := range readers {
		if r.sniff != nil && r.sniff(text) {
			return r, nil
		}
	}
	known := make([]string, 0, len(readers))
	for _, r := range readers {
		known = append(known, string(r.format))
	}
	return reader{}, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(
		"format not recognised from the content; armsdash reads %s", strings.Join(known, ", "))}
}

// Read detects the format of a file from its content, reads it, gives it
// opt.Vintage when it carries no date of its own (see Options.Vintage),
// and gives its countries their canonical names (see File.Canonicalize).
func Read(name string, b []byte, opt Options) (*File, error) {
	r, err := detect(name, b)
	if err != nil {
		return nil, err
	}
	f, err := r.read(name, b, opt)
	if err != nil {
		return nil, err
	}
	if f.Bytes == 0 {
		f.Bytes = int64(len(b)) // a zip's reader gives the size unpacked
	}
	if opt.Vintage != "" {
		if err := f.setVintage(name, opt.Vintage); err != nil {
			return nil, err
		}
	}
	f.Canonicalize()
	return f, nil
}

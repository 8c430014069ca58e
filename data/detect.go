package data

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// sniffBytes is how much of a file Detect looks at.
const sniffBytes = 64 << 10

// reader pairs a format with the test that recognises it and its reader.
// sniff looks at the decoded first bytes of a file; sniffRaw, when set, at
// the whole file undecoded (for zip archives and tab-separated exports).
type reader struct {
	format   Format
	sniff    func(head string) bool
	sniffRaw func(b []byte) bool
	read     func(name string, b []byte, opt Options) (*File, error)
}

// readers lists every format Detect knows, most specific test first. It
// is set in init because ReadGDELT, to name what a zip holds, calls detect,
// which reads it.
var readers []reader

func init() {
	readers = []reader{
		{format: FormatGDELT, sniffRaw: sniffGDELT, read: ReadGDELT},
		{format: FormatSIPRIDeliveries, sniff: sniffDeliveries, read: ReadDeliveries},
		{format: FormatSIPRIRegister, sniff: sniffRegister, read: ReadRegister},
		{format: FormatSIPRIRegisterLegacy, sniff: sniffRegisterLegacy, read: ReadRegisterLegacy},
		{format: FormatSIPRITIVTable, sniff: sniffTIVTable, read: ReadTIVTable},
		{format: FormatSIPRITIVTableOld, sniff: sniffTIVTableOld, read: ReadTIVTable},
		{format: FormatWDI, sniff: sniffWDI, read: ReadWDI},
		{format: FormatEvents, sniff: sniffEvents, read: ReadEvents},
		{format: FormatFlows, sniff: sniffFlows, read: ReadFlows},
	}
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

// Read detects the format of a file from its content, reads it, and gives
// its countries their canonical names (see File.Canonicalize).
func Read(name string, b []byte, opt Options) (*File, error) {
	r, err := detect(name, b)
	if err != nil {
		return nil, err
	}
	f, err := r.read(name, b, opt)
	if err != nil {
		return nil, err
	}
	f.Canonicalize()
	return f, nil
}

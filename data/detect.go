package data

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// sniffBytes is how much of a file Detect looks at.
const sniffBytes = 64 << 10

// reader pairs a format with the test that recognises it and its reader.
type reader struct {
	format Format
	sniff  func(head string) bool
	read   func(name string, b []byte, opt Options) (*File, error)
}

// readers lists every format Detect knows, most specific test first.
var readers = []reader{
	{FormatSIPRIDeliveries, sniffDeliveries, ReadDeliveries},
	{FormatSIPRITIVTable, sniffTIVTable, ReadTIVTable},
	{FormatSIPRITIVTableOld, sniffTIVTableOld, ReadTIVTable},
	{FormatWDI, sniffWDI, ReadWDI},
	{FormatEvents, sniffEvents, ReadEvents},
	{FormatFlows, sniffFlows, ReadFlows},
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
	head := b[:min(len(b), sniffBytes)]
	for _, r := range binaryReaders {
		if r.sniff(string(head)) {
			return r, nil
		}
	}
	// The head may end inside a multi-byte character; Windows-1252 decoding
	// of ASCII-compatible headers is enough to recognise a format.
	text, err := charmap.Windows1252.NewDecoder().String(string(head))
	if err != nil {
		text = string(head)
	}
	text = strings.TrimPrefix(text, "ï»¿") // a UTF-8 byte order mark read as Windows-1252
	for _, r := range readers {
		if r.sniff(text) {
			return r, nil
		}
	}
	known := make([]string, 0, len(readers)+len(binaryReaders))
	for _, r := range append(binaryReaders, readers...) {
		known = append(known, string(r.format))
	}
	return reader{}, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(
		"format not recognised from the content; armsdash reads %s", strings.Join(known, ", "))}
}

// Read detects the format of a file from its content and reads it.
func Read(name string, b []byte, opt Options) (*File, error) {
	r, err := detect(name, b)
	if err != nil {
		return nil, err
	}
	return r.read(name, b, opt)
}

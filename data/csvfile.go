package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// readCSV reads an RFC 4180 file whose first non-comment line is exactly
// columns. Lines starting with '#' before the header are a preamble; pre
// receives each of them (without the '#'). Each record is passed to row with
// its line number; every bad record is reported, and the file is refused
// unless skipBad, in which case the bad records are returned as skipped. A
// file with no good record is refused (see rejects.result).
func readCSV(name string, b []byte, columns []string, skipBad bool, pre func(string), row func(line int, rec []string) *ParseError) (skipped []*ParseError, err error) {
	text, err := decodeText(name, b)
	if err != nil {
		return nil, err
	}
	offset := 0
	for strings.HasPrefix(text, "#") {
		end := strings.IndexByte(text, '\n')
		if end < 0 {
			end = len(text) - 1
		}
		if pre != nil {
			pre(strings.TrimSpace(strings.TrimPrefix(text[:end+1], "#")))
		}
		text = text[end+1:]
		offset++
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = len(columns)
	header, err := r.Read()
	if err != nil && !errors.Is(err, csv.ErrFieldCount) {
		return nil, csvError(name, err, offset, "the header "+strings.Join(columns, ","))
	}
	if !slices.Equal(header, columns) {
		return nil, &ParseError{File: name, Line: offset + 1, Msg: fmt.Sprintf("header is %q; expected %q", strings.Join(header, ","), strings.Join(columns, ","))}
	}
	rj := rejects{skipBad: skipBad}
	kept := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			return nil, csvError(name, err, offset, "")
		}
		line, _ := r.FieldPos(0)
		line += offset
		var perr *ParseError
		if err != nil {
			perr = &ParseError{File: name, Line: line, Msg: fmt.Sprintf("has %d fields; expected %d (%s)", len(rec), len(columns), strings.Join(columns, ","))}
		} else {
			for i := range rec {
				rec[i] = strings.TrimSpace(rec[i])
			}
			perr = row(line, rec)
		}
		if perr != nil {
			rj.add(perr)
		} else {
			kept++
		}
	}
	if err := rj.result(name, kept, offset+1); err != nil {
		return nil, err
	}
	return rj.skipped, nil
}

// readRows reads b into f with readCSV: parse turns each record into a
// row, appended to *rows (one of f's slices) unless parse refuses the
// record, and f's Skipped and Dataset.Rows are set. It returns f, or nil
// and the error when the file is refused.
func readRows[T any](f *File, rows *[]T, b []byte, columns []string, opt Options, pre func(string), parse func(line int, rec []string) (T, *ParseError)) (*File, error) {
	skipped, err := readCSV(f.Dataset.Name, b, columns, opt.SkipBad, pre, func(line int, rec []string) *ParseError {
		row, perr := parse(line, rec)
		if perr == nil {
			*rows = append(*rows, row)
		}
		return perr
	})
	if err != nil {
		return nil, err
	}
	f.Skipped = skipped
	f.Dataset.Rows = len(*rows)
	return f, nil
}

// csvError turns an encoding/csv error into a ParseError with its line;
// offset is the number of preamble lines before the CSV text.
func csvError(name string, err error, offset int, expected string) *ParseError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.StartLine + offset, Msg: fmt.Sprintf("%v (line %d, character %d)", pe.Err, pe.Line+offset, pe.Column)}
	}
	if err == io.EOF {
		return &ParseError{File: name, Line: offset + 1, Msg: "file is empty; expected " + expected}
	}
	return &ParseError{File: name, Line: offset + 1, Msg: err.Error()}
}

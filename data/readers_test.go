package data

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// readerCase is a small valid file of one format, built from cells so
// that a test can change one cell of its first data row.
type readerCase struct {
	format Format
	read   func(string, []byte, Options) (*File, error)
	pre    []string // lines before the header
	header []string // header cells; nil for GDELT, which has no header
	sep    string   // field separator
	suffix string   // appended to the header and every row (SIPRI's ";")
	row    []string // the first data row
	after  []string // lines after it (a TIV table's Total row)
	// numeric lists the 0-based columns of row that hold numbers the
	// reader parses (counts, years, TIV, values, dates written as digits).
	numeric []int
	// bad gives other cells of row a value the reader refuses, by column.
	bad map[int]string
}

// dataLine is the 1-based line of the first data row.
func (c readerCase) dataLine() int {
	n := len(c.pre) + 1
	if c.header != nil {
		n++
	}
	return n
}

// file returns the file with row as its first data row; with rows false,
// only the lines up to and including the header.
func (c readerCase) file(row []string, rows bool) []byte {
	var b strings.Builder
	for _, l := range c.pre {
		b.WriteString(l + "\n")
	}
	if c.header != nil {
		b.WriteString(strings.Join(c.header, c.sep) + c.suffix + "\n")
	}
	if rows {
		b.WriteString(strings.Join(row, c.sep) + c.suffix + "\n")
		for _, l := range c.after {
			b.WriteString(l + "\n")
		}
	}
	return []byte(b.String())
}

// with returns a copy of c.row whose column col is v.
func (c readerCase) with(col int, v string) []string {
	row := append([]string(nil), c.row...)
	row[col] = v
	return row
}

// readerCases returns one readerCase per format armsdash reads.
func readerCases() []readerCase {
	return []readerCase{
		{
			format: FormatSIPRIDeliveries, read: ReadDeliveries, sep: ",", suffix: ";",
			pre:     []string{"Data generated: 12 Feb 2026 12:26:12 PM;"},
			header:  deliveriesHeader,
			row:     strings.Split("1,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,New,15,15,75,Yes", ","),
			numeric: []int{0, 6, 8, 10, 13, 14, 15},
			bad:     map[int]string{1: "", 7: "Maybe", 12: "Used"},
		},
		{
			format: FormatSIPRIRegister, read: ReadRegister, sep: ",",
			pre:     []string{"Transfers of major weapons: Deals with deliveries or orders made for 2000 to 2025", "Data generated: 14 Jul 2026 2:55:04 PM"},
			header:  registerHeader[:],
			row:     strings.Split("Pakistan,China,2010,?,50,,JF-17,FGA aircraft,50,?,2011; 2012,New,,15,750,750", ","),
			numeric: []int{2, 4, 8, 10, 13, 14, 15},
			bad:     map[int]string{0: "", 3: "maybe", 11: "Used"},
		},
		{
			format: FormatSIPRIRegisterLegacy, read: ReadRegisterLegacy, sep: ",",
			header:  legacyHeader[:],
			row:     strings.Split("4327,Albania,Burkina Faso,12,Yes,M-43 120mm,Mortar,SecondHand,,2011,Yes,2011 - 2011,12,,,Probably ex-Albanian", ","),
			numeric: []int{0, 3, 9, 11, 12},
			bad:     map[int]string{2: "", 7: "Used", 14: "Maybe"},
		},
		{
			format: FormatSIPRITIVTable, read: ReadTIVTable, sep: ",",
			pre:     []string{"Volume of transfers of major arms", "Data generated: 14 Jul 2026 2:55:04 PM"},
			header:  []string{"Recipient", "2000", "2001", "2000-2001", "Percentage"},
			row:     []string{"Pakistan", "1", "2", "3", "44%"},
			after:   []string{"Total imports from China,1,2,3,100%"},
			numeric: []int{1, 2, 3, 4},
		},
		{
			format: FormatSIPRITIVTableOld, read: ReadTIVTable, sep: ",",
			pre:     []string{`"TIV of arms exports from China, 2000-2001"`, "Generated: 11 December 2023"},
			header:  []string{"", "2000", "2001", "Total"},
			row:     []string{"Pakistan", "1", "2", "3"},
			after:   []string{"Total,1,2,3"},
			numeric: []int{1, 2, 3},
		},
		{
			format: FormatWDI, read: ReadWDI, sep: ",",
			pre:     []string{`"Data Source","World Development Indicators",`, "", `"Last Updated Date","2020-12-16",`, ""},
			header:  []string{"Country Name", "Country Code", "Indicator Name", "Indicator Code", "2000", "2001"},
			row:     []string{"Pakistan", "PAK", "Arms imports (SIPRI trend indicator values)", "MS.MIL.MPRT.KD", "561000000", ""},
			numeric: []int{4, 5},
			bad:     map[int]string{1: "Pak", 3: ""},
		},
		{
			format: FormatEvents, read: ReadEvents, sep: ",",
			header:  EventColumns,
			row:     []string{"2023-04-25", "day", "", "China", "Pakistan", "", "visit", "", "", "a.txt"},
			numeric: []int{0},
			bad:     map[int]string{1: "hour", 4: "", 6: "parade", 9: ""},
		},
		{
			format: FormatFlows, read: ReadFlows, sep: ",",
			pre:     []string{"# Source: SIPRI Arms Transfers Database"},
			header:  FlowColumns,
			row:     []string{"China", "Pakistan", "2010", "646.58"},
			numeric: []int{2, 3},
			bad:     map[int]string{0: "", 1: ""},
		},
		{
			format: FormatGDELT, read: ReadGDELT, sep: "\t",
			row:     strings.Split(gdeltRow(nil), "\t"),
			numeric: []int{0, 1, 26, 59},
		},
		{
			format: FormatReportedFigures, read: ReadFigures, sep: ",",
			header:  FigureColumns,
			row:     []string{"supplier-share-of-recipient-imports", "China", "Pakistan", "2017", "2021", "72", "false", "quote", "SIPRI", "2022", "", "a.txt"},
			numeric: []int{3, 4, 5},
			bad:     map[int]string{0: "share", 6: "maybe", 11: ""},
		},
		{
			format: FormatEquipment, read: ReadEquipment, sep: ",",
			header: EquipmentColumns,
			row:    []string{"JF-17", "combat aircraft", "China", "Pakistan", "Pakistan Air Force", "in service", "quote", "a.txt"},
			bad:    map[int]string{0: "", 5: "sold", 7: ""},
		},
	}
}

// firstParseError returns the first *ParseError err is or lists.
func firstParseError(t *testing.T, err error) *ParseError {
	t.Helper()
	var pes *ParseErrors
	var pe *ParseError
	switch {
	case errors.As(err, &pes):
		return pes.Errs[0]
	case errors.As(err, &pe):
		return pe
	}
	t.Fatalf("error %v (%T) is not a *ParseError or *ParseErrors", err, err)
	return nil
}

// TestReaderCasesRead checks that every readerCase is a valid file of its
// format, so that the tests built on them test what they say.
func TestReaderCasesRead(t *testing.T) {
	for _, c := range readerCases() {
		t.Run(string(c.format), func(t *testing.T) {
			f, err := c.read("x.csv", c.file(c.row, true), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Dataset.Format != c.format || f.Dataset.Rows == 0 {
				t.Fatalf("format %s, %d rows; want %s and rows", f.Dataset.Format, f.Dataset.Rows, c.format)
			}
			if c.format == FormatReportedFigures || c.format == FormatEquipment {
				return // built in only: Detect does not know them
			}
			if got, err := Detect("x.csv", c.file(c.row, true)); got != c.format {
				t.Errorf("Detect = %s, %v; want %s", got, err, c.format)
			}
		})
	}
}

// TestColumnNumbers checks that every reader names a bad cell by its
// column's header and its 1-based position, in the fields and the text.
func TestColumnNumbers(t *testing.T) {
	for _, c := range readerCases() {
		bad := map[int]string{}
		for _, col := range c.numeric {
			bad[col] = "x1"
		}
		for col, v := range c.bad {
			bad[col] = v
		}
		names := c.header
		if names == nil {
			names = GDELTColumns
		}
		for col, v := range bad {
			t.Run(string(c.format)+"/"+names[col], func(t *testing.T) {
				_, err := c.read("x.csv", c.file(c.with(col, v), true), Options{})
				if err == nil {
					t.Fatalf("%q in column %d: no error", v, col+1)
				}
				pe := firstParseError(t, err)
				want := names[col]
				if c.format == FormatSIPRIRegister && want == " " {
					want = "? for " + names[col-1]
				}
				if pe.Line != c.dataLine() || pe.ColumnNumber != col+1 || pe.Column != want {
					t.Fatalf("error at line %d column %d %q; want line %d column %d %q: %v", pe.Line, pe.ColumnNumber, pe.Column, c.dataLine(), col+1, want, pe)
				}
				if text := pe.Error(); !strings.HasPrefix(text, fmt.Sprintf("x.csv:%d: column %d %q: ", c.dataLine(), col+1, want)) {
					t.Errorf("error text %q does not start with file, line, column number and name", text)
				}
			})
		}
	}
}

func TestParseErrorText(t *testing.T) {
	for _, c := range []struct {
		pe   ParseError
		want string
	}{
		{ParseError{File: "f.csv", Line: 12, Column: "SIPRI TIV per unit", ColumnNumber: 14, Msg: "bad"}, `f.csv:12: column 14 "SIPRI TIV per unit": bad`},
		{ParseError{File: "f.csv", Line: 12, Column: "SIPRI TIV per unit", Msg: "bad"}, `f.csv:12: column "SIPRI TIV per unit": bad`},
		{ParseError{File: "f.csv", Line: 12, ColumnNumber: 17, Msg: "bad"}, `f.csv:12: column 17: bad`},
		{ParseError{File: "f.csv", Line: 1, Msg: "bad"}, `f.csv:1: bad`},
	} {
		if got := c.pe.Error(); got != c.want {
			t.Errorf("Error() = %q; want %q", got, c.want)
		}
	}
}

// TestWideTextRefused gives every reader, and Read, each format's file
// in UTF-16 (both byte orders, with and without a byte order mark) and in
// UTF-32: each must say what the file is and what to save it as.
func TestWideTextRefused(t *testing.T) {
	encodings := []struct {
		name string
		enc  encoding.Encoding
		want string
	}{
		{"UTF-16LE with BOM", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "file is UTF-16 (little-endian, with a byte order mark)"},
		{"UTF-16BE with BOM", unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "file is UTF-16 (big-endian, with a byte order mark)"},
		{"UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "file is UTF-16 (little-endian)"},
		{"UTF-16BE", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "file is UTF-16 (big-endian)"},
		{"UTF-32LE with BOM", utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), "file is UTF-32 (little-endian, with a byte order mark)"},
	}
	for _, c := range readerCases() {
		for _, e := range encodings {
			t.Run(string(c.format)+"/"+e.name, func(t *testing.T) {
				b, err := e.enc.NewEncoder().Bytes(c.file(c.row, true))
				if err != nil {
					t.Fatal(err)
				}
				reads := map[string]func(string, []byte, Options) (*File, error){"reader": c.read, "Read": Read}
				for name, read := range reads {
					f, err := read("x.csv", b, Options{SkipBad: true})
					if f != nil || err == nil {
						t.Fatalf("%s: got a file and error %v; want an error", name, err)
					}
					pe := firstParseError(t, err)
					if pe.Line != 1 || !strings.Contains(pe.Msg, e.want) || !strings.Contains(pe.Msg, "save it as UTF-8 or Windows-1252") {
						t.Errorf("%s: %v; want line 1 saying %q and what to save it as", name, err, e.want)
					}
				}
			})
		}
	}
}

// nonFinite are numbers strconv.ParseFloat accepts that no reader may:
// they would reach sums and shares as NaN or ±Inf.
var nonFinite = []string{"NaN", "nan", "-NaN", "+nan", "NaN%", "Inf", "inf", "+Inf", "-Inf", "-inf",
	"Infinity", "infinity", "+Infinity", "-INFINITY", "iNfInItY", "1e999", "-1e999", "0x1p4", "1_000"}

// TestNonFiniteRefused puts each of nonFinite in every numeric cell of
// every format: the reader must refuse the row, naming file, line and
// column, and must never return a NaN or infinite value.
func TestNonFiniteRefused(t *testing.T) {
	for _, c := range readerCases() {
		names := c.header
		if names == nil {
			names = GDELTColumns
		}
		for _, col := range c.numeric {
			for _, v := range nonFinite {
				t.Run(fmt.Sprintf("%s/%s/%s", c.format, names[col], v), func(t *testing.T) {
					b := c.file(c.with(col, v), true)
					f, err := c.read("x.csv", b, Options{})
					if err == nil {
						t.Fatalf("%q in column %d %q accepted", v, col+1, names[col])
					}
					if f != nil {
						t.Error("got a File together with an error")
					}
					pe := firstParseError(t, err)
					if pe.File != "x.csv" || pe.Line != c.dataLine() || pe.ColumnNumber != col+1 || pe.Column != names[col] {
						t.Errorf("error %v; want x.csv line %d column %d %q", pe, c.dataLine(), col+1, names[col])
					}
					if f, err := c.read("x.csv", b, Options{SkipBad: true}); err == nil {
						checkFinite(t, f)
					}
				})
			}
		}
	}
}

// FuzzReadersFinite feeds every reader, and Read, the same bytes: a file
// that is read must hold no NaN or infinite number, and every error about
// a column must give its position.
func FuzzReadersFinite(f *testing.F) {
	for _, c := range readerCases() {
		f.Add(c.file(c.row, true))
		for _, col := range c.numeric {
			f.Add(c.file(c.with(col, "NaN"), true))
		}
	}
	f.Add(zipEntries(f, 2))
	f.Fuzz(func(t *testing.T, b []byte) {
		reads := []func(string, []byte, Options) (*File, error){Read}
		for _, c := range readerCases() {
			reads = append(reads, c.read)
		}
		for _, read := range reads {
			for _, opt := range []Options{{}, {SkipBad: true}} {
				file, err := read("fuzz.csv", b, opt)
				if err == nil {
					checkFinite(t, file)
					checkColumnNumbers(t, file.Skipped)
					continue
				}
				var pes *ParseErrors
				var pe *ParseError
				switch {
				case errors.As(err, &pes):
					checkColumnNumbers(t, pes.Errs)
				case errors.As(err, &pe):
					checkColumnNumbers(t, []*ParseError{pe})
				}
			}
		}
	})
}

// readErr reads in as name with read and the default options and returns
// the error, failing t if a File came with it.
func readErr(t *testing.T, read func(string, []byte, Options) (*File, error), name string, in []byte) error {
	t.Helper()
	f, err := read(name, in, Options{})
	if f != nil {
		t.Error("got a File together with an error")
	}
	return err
}

// readFailed reports whether a fuzzed read failed, failing t if its error
// came with a File or fails checkParseError.
func readFailed(t *testing.T, file *File, err error) bool {
	t.Helper()
	if err == nil {
		return false
	}
	if file != nil {
		t.Fatal("File returned with an error")
	}
	checkParseError(t, err)
	return true
}

// fuzzReads reads b as "fuzz.csv" with read, without SkipBad and with it,
// and returns the files it gets; each failed read must pass readFailed.
func fuzzReads(t *testing.T, read func(string, []byte, Options) (*File, error), b []byte) []*File {
	t.Helper()
	var files []*File
	for _, skip := range []bool{false, true} {
		file, err := read("fuzz.csv", b, Options{SkipBad: skip})
		if !readFailed(t, file, err) {
			files = append(files, file)
		}
	}
	return files
}

// checkParseError checks what a fuzzed reader returned as its error: nil,
// a *ParseError or a non-empty *ParseErrors, each error with a line.
func checkParseError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *ParseError
	var pes *ParseErrors
	switch {
	case errors.As(err, &pes):
		if len(pes.Errs) == 0 {
			t.Fatal("empty *ParseErrors")
		}
		for _, e := range pes.Errs {
			if e.Line < 1 {
				t.Fatalf("error without a line: %v", e)
			}
		}
	case errors.As(err, &pe):
		if pe.Line < 1 {
			t.Fatalf("error without a line: %v", pe)
		}
	default:
		t.Fatalf("error %T is not a *ParseError or *ParseErrors: %v", err, err)
	}
}

// checkFinite fails t if any float64 in f, however deep, is NaN or
// infinite.
func checkFinite(t *testing.T, f *File) {
	t.Helper()
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Float64:
			if x := v.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%s = %v", path, x)
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(reflect.ValueOf(f), "File")
}

// checkColumnNumbers fails t if an error names a column but not its
// position.
func checkColumnNumbers(t *testing.T, errs []*ParseError) {
	t.Helper()
	for _, pe := range errs {
		if pe.Column != "" && pe.ColumnNumber < 1 {
			t.Fatalf("error names column %q without its number: %v", pe.Column, pe)
		}
	}
}

// TestNothingToImport checks that no reader returns a file with no rows
// to import: a header with no data rows, rows that are all bad (skipped
// with SkipBad), and rows that give no value.
func TestNothingToImport(t *testing.T) {
	for _, c := range readerCases() {
		if c.header == nil {
			continue // GDELT has no header: see the GDELT cases below
		}
		t.Run(string(c.format)+"/header only", func(t *testing.T) {
			for _, opt := range []Options{{}, {SkipBad: true}} {
				f, err := c.read("x.csv", c.file(nil, false), opt)
				if f != nil || err == nil {
					t.Fatalf("SkipBad %v: got a file of %d rows and error %v; want an error", opt.SkipBad, rowsOf(f), err)
				}
				pe := firstParseError(t, err)
				if pe.Line != c.dataLine()-1 || pe.Msg != "the header is followed by no data rows: nothing to import" {
					t.Errorf("SkipBad %v: %v; want line %d (the header) saying there is nothing to import", opt.SkipBad, err, c.dataLine()-1)
				}
			}
		})
	}
	for _, c := range readerCases() {
		if len(c.numeric) == 0 {
			continue
		}
		t.Run(string(c.format)+"/every row bad", func(t *testing.T) {
			f, err := c.read("x.csv", c.file(c.with(c.numeric[0], "x1"), true), Options{SkipBad: true})
			if f != nil || err == nil {
				t.Fatalf("got a file of %d rows and error %v; want an error", rowsOf(f), err)
			}
			var pes *ParseErrors
			if !errors.As(err, &pes) || len(pes.Errs) != 2 || !strings.HasSuffix(pes.Errs[0].Msg, "every data row is bad (1 rejected): nothing to import") ||
				pes.Errs[1].Line != c.dataLine() {
				t.Errorf("error %v; want the reason and the bad row on line %d", err, c.dataLine())
			}
		})
	}
	for _, c := range []struct {
		name string
		in   []byte
		line int
		msg  string
	}{
		{"TIV table with every cell empty", tivEmpty(caseOf(FormatSIPRITIVTable)), 4, "every year cell of every row is empty (no deliveries identified): nothing to import"},
		{"WDI with every cell empty", caseOf(FormatWDI).file(caseOf(FormatWDI).with(4, ""), true), 5, "every year cell of every row is empty (no data): nothing to import"},
		{"GDELT with no event kept", []byte(gdeltRow(map[string]string{"EventCode": "190"}) + "\n" + gdeltRow(map[string]string{"GLOBALEVENTID": "2", "Actor2CountryCode": ""}) + "\n"), 1,
			"none of its 2 events is kept (CAMEO codes 0312, 0332, 0334, 042, 043, 057, 062, 072, 074 between two countries that differ): nothing to import"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Read("x.csv", c.in, Options{SkipBad: true})
			if f != nil || err == nil {
				t.Fatalf("got a file of %d rows and error %v; want an error", rowsOf(f), err)
			}
			if pe := firstParseError(t, err); pe.Line != c.line || pe.Msg != c.msg {
				t.Errorf("%v; want line %d: %s", err, c.line, c.msg)
			}
		})
	}
}

// tivEmpty returns c's TIV table with every number cell of its row empty.
func tivEmpty(c readerCase) []byte {
	row := c.row
	for _, col := range c.numeric {
		row = append([]string(nil), row...)
		row[col] = ""
	}
	return c.file(row, true)
}

// caseOf returns the readerCase of format.
func caseOf(format Format) readerCase {
	for _, c := range readerCases() {
		if c.format == format {
			return c
		}
	}
	panic("no readerCase for " + format)
}

func rowsOf(f *File) int {
	if f == nil {
		return 0
	}
	return f.Dataset.Rows
}

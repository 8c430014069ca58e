package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// IndicatorValue is one value of a World Bank WDI indicator for one economy
// or aggregate and one year.
//
// Value is in the file's own unit. For the SIPRI-derived indicators
// MS.MIL.MPRT.KD (arms imports) and MS.MIL.XPRT.KD (arms exports) that unit
// is SIPRI TIV × 1,000,000, so "561000000" is 561 million TIV: use
// TIVMillions to compare with SIPRI's own tables. WDI writes SIPRI's
// "between 0 and 0.5 million" as 0. Empty cells (no data) give no
// IndicatorValue.
type IndicatorValue struct {
	CountryName   string  // as written, e.g. "Korea, Dem. People’s Rep."
	CountryCode   string  // ISO 3166-1 alpha-3, or a WDI aggregate code such as "WLD"
	Indicator     string  // indicator code, e.g. "MS.MIL.MPRT.KD"
	IndicatorName string  // e.g. "Arms imports (SIPRI trend indicator values)"
	Year          int     // the column's year
	Value         float64 // in the indicator's unit (TIV × 1,000,000 for MS.MIL.*)
	// Aggregate is true for regions, income and lending groups and the
	// world (see IsWDIAggregate); false for economies.
	Aggregate bool
}

// TIVMillions returns the value in millions of SIPRI TIV (Value / 1e6) for
// the indicators WDI takes from SIPRI (codes starting "MS.MIL.MPRT" or
// "MS.MIL.XPRT"); ok is false, and the result 0, for any other indicator.
func (v IndicatorValue) TIVMillions() (tiv float64, ok bool) {
	if !strings.HasPrefix(v.Indicator, "MS.MIL.MPRT") && !strings.HasPrefix(v.Indicator, "MS.MIL.XPRT") {
		return 0, false
	}
	return v.Value / 1e6, true
}

// wdiAggregates lists the codes of WDI's aggregates: the world, regions,
// income groups, lending groups and other country groupings. Source: the WDI
// country metadata (WDICountry.csv / API "country" endpoint), where these
// codes are the rows with no Region (API region "Aggregates"); AFE and AFW
// were added in 2021, INX is "Not classified".
var wdiAggregates = map[string]bool{
	"AFE": true, "AFW": true, "ARB": true, "CEB": true, "CSS": true, "EAP": true,
	"EAR": true, "EAS": true, "ECA": true, "ECS": true, "EMU": true, "EUU": true,
	"FCS": true, "HIC": true, "HPC": true, "IBD": true, "IBT": true, "IDA": true,
	"IDB": true, "IDX": true, "INX": true, "LAC": true, "LCN": true, "LDC": true,
	"LIC": true, "LMC": true, "LMY": true, "LTE": true, "MEA": true, "MIC": true,
	"MNA": true, "NAC": true, "OED": true, "OSS": true, "PRE": true, "PSS": true,
	"PST": true, "SAS": true, "SSA": true, "SSF": true, "SST": true, "TEA": true,
	"TEC": true, "TLA": true, "TMN": true, "TSA": true, "TSS": true, "UMC": true,
	"WLD": true,
}

// IsWDIAggregate reports whether code is one of WDI's aggregate codes
// (world, regions, income and lending groups), as opposed to an economy.
// The comparison is exact: codes are upper case.
func IsWDIAggregate(code string) bool { return wdiAggregates[code] }

// wdiFixed are the first four header columns of a WDI wide CSV.
var wdiFixed = []string{"Country Name", "Country Code", "Indicator Name", "Indicator Code"}

var (
	wdiHeader = regexp.MustCompile(`(?m)^\x{FEFF}?"?Country Name"?,"?Country Code"?,"?Indicator Name"?,"?Indicator Code"?(,|\r?$)`)
	wdiCode   = regexp.MustCompile(`^[A-Z0-9]{3}$`)
)

// sniffWDI reports whether text looks like a WDI wide CSV: a header line
// starting "Country Name","Country Code","Indicator Name","Indicator Code"
// (quoted or not).
func sniffWDI(text string) bool {
	return wdiHeader.MatchString(text)
}

// ReadWDI reads a World Bank WDI indicator file in the wide CSV layout of the
// API download: an optional preamble ("Data Source", "Last Updated Date" and
// a blank line), then the header "Country Name","Country Code","Indicator
// Name","Indicator Code","1960",…, then one line per economy (or aggregate)
// and indicator. Fields may be double-quoted; a trailing comma (an empty last
// column, headed by nothing) is allowed on every line. The file may hold any
// indicators. Each non-empty year cell gives one IndicatorValue; empty cells
// mean no data and are omitted. The vintage is the "Last Updated Date" when
// the preamble has one, else "".
//
// Errors (each a *ParseError naming file, line and column): a year column
// that is not a year, a row with the wrong number of fields, a value that is
// not a finite number, an empty or malformed country code (three upper-case
// letters or digits), an empty indicator code, and a repeated
// country/indicator pair. Bad rows are all reported (up to MaxParseErrors)
// and refuse the file unless opt.SkipBad, which keeps the good rows and lists
// the bad ones in File.Skipped. Dataset.Rows counts the IndicatorValues.
func ReadWDI(name string, b []byte, opt Options) (*File, error) {
	text, err := decodeText(name, b)
	if err != nil {
		return nil, err
	}
	f := &File{Dataset: Dataset{
		Name:        name,
		Format:      FormatWDI,
		Source:      "World Bank, World Development Indicators",
		Attribution: "Source: World Bank, World Development Indicators (CC BY 4.0)",
		Licence:     "CC BY 4.0",
		SHA256:      sha256Hex(b),
	}}
	lines := splitLines(text)
	header := -1
	var hdr []string
	for i, line := range lines {
		c, msg := splitQuotedFields(line)
		if msg != "" {
			return nil, &ParseError{File: name, Line: i + 1, Msg: msg}
		}
		if strings.TrimSpace(c[0]) == "Last Updated Date" && len(c) > 1 {
			d := strings.TrimSpace(c[1])
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, &ParseError{File: name, Line: i + 1, Column: "Last Updated Date", ColumnNumber: 2, Msg: fmt.Sprintf("%q is not a date YYYY-MM-DD", c[1])}
			}
			f.Dataset.Vintage = d
		}
		if strings.TrimSpace(c[0]) == wdiFixed[0] {
			header, hdr = i, c
			break
		}
	}
	if header < 0 {
		return nil, &ParseError{File: name, Line: 1, Msg: "no header line starting \"Country Name\": this is not a World Bank WDI wide CSV"}
	}
	// A trailing comma makes an empty last column; drop it from the header
	// and expect it on every row.
	trailing := len(hdr) > len(wdiFixed) && strings.TrimSpace(hdr[len(hdr)-1]) == ""
	if trailing {
		hdr = hdr[:len(hdr)-1]
	}
	if len(hdr) < len(wdiFixed) {
		return nil, &ParseError{File: name, Line: header + 1, Msg: fmt.Sprintf("header has %d columns; expected %q then years", len(hdr), wdiFixed)}
	}
	var errs ParseErrors
	for j, want := range wdiFixed {
		if got := strings.TrimSpace(hdr[j]); got != want {
			errs.Add(&ParseError{File: name, Line: header + 1, Column: got, ColumnNumber: j + 1, Msg: fmt.Sprintf("header cell is %q; expected %q", got, want)})
		}
	}
	years := make([]int, len(hdr))
	for j := len(wdiFixed); j < len(hdr); j++ {
		h := strings.TrimSpace(hdr[j])
		y, err := strconv.Atoi(h)
		if err != nil || !plausibleYear(y) {
			errs.Add(&ParseError{File: name, Line: header + 1, Column: h, ColumnNumber: j + 1, Msg: fmt.Sprintf("column header %q is not a year (1900-2100)", hdr[j])})
		}
		years[j] = y
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	want := len(hdr)
	if trailing {
		want++
	}
	seen := map[string]int{}
	rj := rejects{skipBad: opt.SkipBad}
	good := 0
	for i := header + 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		vals, key, perr := parseWDIRow(name, i+1, lines[i], hdr, years, want, trailing)
		if perr == nil {
			if prev, dup := seen[key]; dup {
				perr = cellError(name, i+1, wdiFixed, 1, fmt.Sprintf("country and indicator %s already appear on line %d", key, prev))
			} else {
				seen[key] = i + 1
			}
		}
		if perr != nil {
			rj.add(perr)
			continue
		}
		f.Indicators = append(f.Indicators, vals...)
		good++
	}
	if err := rj.result(name, good, header+1); err != nil {
		return nil, err
	}
	if len(f.Indicators) == 0 {
		return nil, rj.nothing(name, header+1, "every year cell of every row is empty (no data)")
	}
	f.Skipped = rj.skipped
	f.Dataset.Rows = len(f.Indicators)
	return f, nil
}

// parseWDIRow reads one data line; want is the number of fields expected,
// the trailing empty one included when trailing is set. key is
// "CODE/INDICATOR", to find repeated rows.
func parseWDIRow(name string, line int, text string, hdr []string, years []int, want int, trailing bool) (vals []IndicatorValue, key string, perr *ParseError) {
	c, msg := splitQuotedFields(text)
	if msg != "" {
		return nil, "", &ParseError{File: name, Line: line, Msg: msg}
	}
	if len(c) != want {
		perr = &ParseError{File: name, Line: line, Msg: fmt.Sprintf("has %d fields; expected %d like the header", len(c), want)}
		if len(c) < len(hdr) {
			perr.Column, perr.ColumnNumber = strings.TrimSpace(hdr[len(c)]), len(c)+1
			perr.Msg += " (this column and those after it are missing)"
		}
		return nil, "", perr
	}
	if trailing && strings.TrimSpace(c[want-1]) != "" {
		return nil, "", &ParseError{File: name, Line: line, ColumnNumber: want, Msg: fmt.Sprintf("last field %q should be empty (the line's trailing comma)", c[want-1])}
	}
	base := IndicatorValue{
		CountryName:   strings.TrimSpace(c[0]),
		CountryCode:   strings.TrimSpace(c[1]),
		IndicatorName: strings.TrimSpace(c[2]),
		Indicator:     strings.TrimSpace(c[3]),
	}
	if base.CountryName == "" {
		return nil, "", cellError(name, line, wdiFixed, 0, "is empty; expected the economy's name")
	}
	if !wdiCode.MatchString(base.CountryCode) {
		return nil, "", cellError(name, line, wdiFixed, 1, fmt.Sprintf("%q is not a three-character upper-case code such as \"PAK\" or \"WLD\"", c[1]))
	}
	if base.Indicator == "" {
		return nil, "", cellError(name, line, wdiFixed, 3, "is empty; expected an indicator code such as \"MS.MIL.MPRT.KD\"")
	}
	base.Aggregate = IsWDIAggregate(base.CountryCode)
	key = base.CountryCode + "/" + base.Indicator
	for j := len(wdiFixed); j < len(hdr); j++ {
		s := strings.TrimSpace(c[j])
		if s == "" {
			continue
		}
		v, ok := parseFinite(s)
		if !ok {
			return nil, "", &ParseError{File: name, Line: line, Column: strings.TrimSpace(hdr[j]), ColumnNumber: j + 1, Msg: fmt.Sprintf("%q is not a number", c[j])}
		}
		iv := base
		iv.Year, iv.Value = years[j], v
		vals = append(vals, iv)
	}
	return vals, key, nil
}

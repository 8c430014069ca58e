package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// TIVValue is one year cell of a SIPRI "volume of transfers" (TIV) table:
// the trend-indicator value delivered in Year, in millions of TIV, for the
// row's supplier, recipient or armament category.
//
// A table is about one side. An empty Supplier, Recipient or Category means
// "all": the table's figure covers every supplier, recipient or category on
// that side. For example
//   - China's exports by recipient (current format):
//     Supplier "China", Recipient the row name, Category "";
//   - the old world import table by recipient:
//     Supplier "" (all), Recipient the row name, Category "";
//   - the old world export table by armament category:
//     Supplier "" and Recipient "" (all), Category the row name.
//
// Names are kept as SIPRI writes them, including its "*" (non-state actor)
// and "**" (international organisation) markers, as in "African Union**".
// Empty cells (no deliveries identified) give no TIVValue. A cell printed as
// "0" or "0 " means deliveries between 0 and 0.5 million TIV: it is kept,
// with TIV 0 and Small true, so that "some deliveries, under 0.5" stays
// distinct from "none"; sums that use TIV treat it as 0, a lower bound.
type TIVValue struct {
	Supplier  string  // "" = all suppliers
	Recipient string  // "" = all recipients
	Category  string  // armament category, e.g. "Aircraft"; "" = all categories
	Year      int     // delivery year
	TIV       float64 // millions of SIPRI TIV, as printed (SIPRI rounds to whole millions)
	Small     bool    // printed as 0: more than 0 and less than 0.5 million TIV; TIV is 0
}

// Row kinds of a TIV table: what the first column names.
const (
	TIVRowsRecipient = "recipient" // each row is a recipient
	TIVRowsSupplier  = "supplier"  // each row is a supplier
	TIVRowsCategory  = "category"  // each row is an armament category
)

// TIVCell is one number cell of a TIV table.
type TIVCell struct {
	// Value is in millions of TIV, or in per cent in a percentage column
	// ("44%" gives 44). It is 0 when Present is false.
	Value float64
	// Present is false for an empty cell: no deliveries identified (or, in a
	// percentage column, no figure given).
	Present bool
	// Small is true for a TIV cell printed "0" or "0 ": more than 0 and less
	// than 0.5 million TIV. Percentage cells are never Small.
	Small bool
}

// TIVRow is one row of a TIV table, as printed.
type TIVRow struct {
	Name   string    // row name as written, e.g. "Pakistan", "Aircraft", "Total imports from China"
	Line   int       // physical line in the file, 1-based
	Years  []TIVCell // one cell per TIVTable.Years entry, in the same order
	Totals []TIVCell // one cell per TIVTable.TotalColumns entry, in the same order
}

// TIVTable is a SIPRI TIV table as printed, including the totals SIPRI
// computes itself, which ReadTIVTable keeps out of File.TIVValues.
type TIVTable struct {
	Format  Format // FormatSIPRITIVTable or FormatSIPRITIVTableOld
	Title   string // first preamble line, e.g. "Volume of transfers of major arms" or "TIV of arms exports to all, 1950-2022"
	Vintage string // from the "Data generated:" or "Generated:" line, YYYY-MM-DD
	RowKind string // TIVRowsRecipient, TIVRowsSupplier or TIVRowsCategory

	// Supplier and Recipient are the table's fixed sides; "" means all.
	// A table by recipient has a fixed Supplier (possibly all) and an empty
	// Recipient, and the other way round.
	Supplier, Recipient string

	Years []int // the year columns, in file order
	// TotalColumns are the headers of the other number columns, in file
	// order: a period total such as "2000-2025" or "Total", "Sum total
	// years", and the percentage columns "Percentage" and "Percentage of
	// total". None of them is a year.
	TotalColumns []string
	Rows         []TIVRow // data rows in file order, without the Total row
	// Total is the table's own Total row ("Total imports from China" or
	// "Total"); nil when the file has none. SIPRI rounds each cell, so the
	// rows need not add up to it.
	Total *TIVRow
}

// Row returns the row with the given name.
func (t *TIVTable) Row(name string) (*TIVRow, bool) {
	for i := range t.Rows {
		if t.Rows[i].Name == name {
			return &t.Rows[i], true
		}
	}
	return nil, false
}

// YearSum returns the sum of r's year cells for the years from..to
// (inclusive), in millions of TIV. Empty and Small cells add 0; years outside
// the table add nothing, so check t.Years when the range matters. r must be a
// row of t (its Years aligned with t.Years).
func (t *TIVTable) YearSum(r *TIVRow, from, to int) float64 {
	var s float64
	for i, y := range t.Years {
		if y >= from && y <= to && i < len(r.Years) {
			s += r.Years[i].Value
		}
	}
	return s
}

// tivCategories are SIPRI's armament categories as the old tables name them.
var tivCategories = map[string]bool{
	"Aircraft": true, "Air defence systems": true, "Anti-submarine warfare weapons": true,
	"Armoured vehicles": true, "Artillery": true, "Engines": true, "Missiles": true,
	"Naval weapons": true, "Other": true, "Satellites": true, "Sensors": true, "Ships": true,
}

var (
	// tivCurrentHeader matches the current format's header: "Recipient" or
	// "Supplier", a year, and (after more columns) a period such as 2000-2025.
	tivCurrentHeader = regexp.MustCompile(`(?m)^(Recipient|Supplier),\d{4},.*,\d{4}-\d{4}(,|\r?$)`)
	// tivOldHeader matches the old format's header: an empty first cell
	// followed by years.
	tivOldHeader = regexp.MustCompile(`(?m)^,\d{4},\d{4},`)
	tivOldTitle  = regexp.MustCompile(`(?m)^"?TIV of arms (exports|imports) `)
	tivPeriod    = regexp.MustCompile(`^\d{4}-\d{4}$`)
	// tivTitleSide reads the old format's title "TIV of arms exports to all,
	// 1950-2022": the preposition and the name after it.
	tivTitleSide = regexp.MustCompile(`^TIV of arms (?:exports|imports) (from|to) (.+?),\s*\d{4}(?:-\d{4})?$`)
	// tivTotalSide reads the current format's total row name, e.g. "Total
	// imports from China" or "Total exports to India".
	tivTotalSide = regexp.MustCompile(`^Total (?:imports|exports) (from|to) (.+)$`)
)

// tivBareHeader matches the first line of an old-format table republished
// without its preamble: a first cell "Country", "Recipient", "Supplier" or
// empty, two or more years, an optional "Total", and the old format's
// padding commas.
var tivBareHeader = regexp.MustCompile(`^(Country|Recipient|Supplier)?,\d{4}(,\d{4})+(,Total)?,*\r?(\n|$)`)

// sniffTIVTable reports whether text looks like a current-format SIPRI TIV
// table: a header line "Recipient,2000,…,2000-2025,…" (or "Supplier,…").
func sniffTIVTable(text string) bool {
	return tivCurrentHeader.MatchString(text)
}

// sniffTIVTableOld reports whether text looks like a c. 2023 SIPRI TIV
// table: a "TIV of arms exports/imports" title line and a header line with
// an empty first cell followed by years; or such a table republished
// without its preamble (see tivBare).
func sniffTIVTableOld(text string) bool {
	return tivOldTitle.MatchString(text) && tivOldHeader.MatchString(text) || tivBare(text)
}

// tivBare reports whether text starts with the header of an old-format
// table without a preamble, "Country,1950,…,2022,Total", as people
// republish SIPRI's tables: no title, no "Generated:" line, so no vintage.
func tivBare(text string) bool {
	return tivBareHeader.MatchString(strings.TrimPrefix(text, "\ufeff"))
}

// ReadTIVTable reads a SIPRI "volume of transfers" TIV table in the current
// format (FormatSIPRITIVTable: note lines, "Data generated:", header
// "Recipient,2000,…,2025,2000-2025,Percentage,Sum total years,Percentage of
// total") or the c. 2023 format (FormatSIPRITIVTableOld: quoted title,
// comma-padded lines, "Generated:", header ",1950,…,2022,Total", or that
// header alone as the first line, its first cell "Country", when the table
// was republished without its preamble), telling them apart by content.
// See ParseTIVTable for the rules.
//
// It flattens every non-empty year cell of every data row to a TIVValue (see
// TIVValue for the meaning of "" and Small). The table's Total row and its
// period-total and percentage columns are not TIVValues; use ParseTIVTable to
// read them. Dataset.Rows counts the TIVValues. With opt.SkipBad, bad rows
// are left out and listed in File.Skipped; otherwise any bad row refuses the
// whole file with a *ParseErrors. Header problems always refuse the file.
func ReadTIVTable(name string, b []byte, opt Options) (*File, error) {
	t, skipped, err := parseTIVTable(name, b, opt.SkipBad)
	if err != nil {
		return nil, err
	}
	f := &File{Dataset: sipriDataset(name, t.Format, b), TIVValues: t.Values(), Skipped: skipped}
	f.Dataset.Vintage = t.Vintage
	if len(f.TIVValues) == 0 {
		return nil, &ParseError{File: name, Line: t.Rows[0].Line, Msg: "every year cell of every row is empty (no deliveries identified): nothing to import"}
	}
	f.Dataset.Rows = len(f.TIVValues)
	return f, nil
}

// Values flattens the table's data rows (not its Total row) to TIVValues,
// row by row in file order, years in column order, leaving out empty cells.
func (t *TIVTable) Values() []TIVValue {
	var out []TIVValue
	for _, r := range t.Rows {
		for i, c := range r.Years {
			if !c.Present {
				continue
			}
			v := TIVValue{Supplier: t.Supplier, Recipient: t.Recipient, Year: t.Years[i], TIV: c.Value, Small: c.Small}
			switch t.RowKind {
			case TIVRowsRecipient:
				v.Recipient = r.Name
			case TIVRowsSupplier:
				v.Supplier = r.Name
			case TIVRowsCategory:
				v.Category = r.Name
			}
			out = append(out, v)
		}
	}
	return out
}

// ParseTIVTable reads a SIPRI TIV table (either format) as printed, totals
// included, refusing the file if any row is bad.
//
// Layout: the lines before the header are notes; the "Data generated:" /
// "Generated:" line gives the vintage, and the header is the first non-blank
// line after it (blank means empty or only commas). An old-format table
// whose first line is its header (first cell "Country", "Recipient",
// "Supplier" or empty; see tivBare) has no notes and no vintage: Vintage
// is "", which pages show as "undated" unless the importer gives one
// (Options.Vintage). Every header cell after
// the first must be a year (1900–2100) or one of the total columns "YYYY-YYYY",
// "Total", "Sum total years", "Percentage", "Percentage of total"; anything
// else is an error naming that column. Each data row must have as many cells
// as the header. Blank lines between rows (the old format's all-comma line
// before Total, the current format's final blank line) are skipped. The row
// whose name is "Total" or starts with "Total " is the Total row and must be
// the last row. TIV cells are empty, a non-negative number, or "0"/"0 "
// (Small); percentage cells may end in "%".
//
// Orientation. Current format: the header's first cell ("Recipient" or
// "Supplier") names the rows, and the Total row ("Total imports from China",
// "Total exports to India") names the fixed side; "All countries" or "all"
// there means all (""). Old format: the title cannot be trusted (the world
// import table's title reads "TIV of arms exports to all"), so the rows
// decide: if every row is an armament category the rows are categories; else
// a row "unknown recipient(s)" makes them recipients and "unknown
// supplier(s)" suppliers; failing that the title's preposition decides
// ("… from X" = X's exports by recipient, "… to X" = X's imports by
// supplier, X not "all"), and otherwise the file is refused as ambiguous.
// A table without a preamble has no title: a header cell "Recipient" or
// "Supplier" names its rows, and with "Country" (or an empty cell) the
// rows decide as above. The fixed side of an old table is the title's X
// when it is on the fixed side and not "all", else all.
func ParseTIVTable(name string, b []byte) (*TIVTable, error) {
	t, _, err := parseTIVTable(name, b, false)
	return t, err
}

// tivColumn says what one header column holds.
type tivColumn struct {
	header  string
	year    int  // index into TIVTable.Years, or -1
	total   int  // index into TIVTable.TotalColumns, or -1
	percent bool // a percentage column
}

func parseTIVTable(name string, b []byte, skipBad bool) (*TIVTable, []*ParseError, error) {
	text, err := decodeText(name, b)
	if err != nil {
		return nil, nil, err
	}
	t := &TIVTable{}
	switch {
	case sniffTIVTable(text):
		t.Format = FormatSIPRITIVTable
	case sniffTIVTableOld(text):
		t.Format = FormatSIPRITIVTableOld
	default:
		return nil, nil, &ParseError{File: name, Line: 1, Msg: "not a SIPRI TIV table: expected a header line \"Recipient,2000,…,2000-2025,…\" (current format) or a \"TIV of arms …\" title and a header \",1950,…,Total\" (c. 2023 format)"}
	}
	cells, err := tivCells(name, text)
	if err != nil {
		return nil, nil, err
	}
	header := 0 // a table without a preamble starts with its header
	if t.Format == FormatSIPRITIVTable || !tivBare(text) {
		if header, err = t.readPreamble(name, cells); err != nil {
			return nil, nil, err
		}
	}
	cols, err := t.readHeader(name, header, cells[header])
	if err != nil {
		return nil, nil, err
	}
	skipped, err := t.readRows(name, header, cells, cols, skipBad)
	if err != nil {
		return nil, nil, err
	}
	if perr := t.orient(name, header+1, cells); perr != nil {
		return nil, nil, perr
	}
	return t, skipped, nil
}

// tivCells splits a TIV table's text into lines of cells.
func tivCells(name, text string) ([][]string, error) {
	lines := splitLines(text)
	cells := make([][]string, len(lines))
	for i, line := range lines {
		f, msg := splitQuotedFields(line)
		if msg != "" {
			return nil, &ParseError{File: name, Line: i + 1, Msg: msg}
		}
		cells[i] = f
	}
	return cells, nil
}

// readPreamble reads the table's title and vintage (its "Data generated:"
// or "Generated:" line) and returns the index of the header line, the
// first non-blank line after the vintage.
func (t *TIVTable) readPreamble(name string, cells [][]string) (header int, err error) {
	header, generated := -1, -1
	for i, c := range cells {
		if tivBlank(c) {
			continue
		}
		if t.Title == "" {
			t.Title = strings.TrimSpace(c[0])
		}
		if generated >= 0 {
			header = i
			break
		}
		if v, ok := parseGenerated(c[0]); ok {
			t.Vintage, generated = v, i
		}
	}
	if generated < 0 {
		return 0, &ParseError{File: name, Line: 1, Msg: "no \"Data generated:\" or \"Generated:\" line giving the table's date"}
	}
	if header < 0 {
		return 0, &ParseError{File: name, Line: generated + 1, Msg: "no header line after the \"Generated\" line"}
	}
	return header, nil
}

// readHeader reads the header line hdr (at index header): what the rows
// are (RowKind), the year columns (Years) and the total columns
// (TotalColumns), as tivColumns by position.
func (t *TIVTable) readHeader(name string, header int, hdr []string) ([]tivColumn, error) {
	first := strings.TrimSpace(hdr[0])
	switch {
	case t.Format == FormatSIPRITIVTable && first == "Recipient":
		t.RowKind = TIVRowsRecipient
	case t.Format == FormatSIPRITIVTable && first == "Supplier":
		t.RowKind = TIVRowsSupplier
	case t.Format == FormatSIPRITIVTableOld && first == "":
	case t.Format == FormatSIPRITIVTableOld && header == 0 && first == "Country":
	case t.Format == FormatSIPRITIVTableOld && header == 0 && first == "Recipient":
		t.RowKind = TIVRowsRecipient
	case t.Format == FormatSIPRITIVTableOld && header == 0 && first == "Supplier":
		t.RowKind = TIVRowsSupplier
	default:
		return nil, &ParseError{File: name, Line: header + 1, Column: first, ColumnNumber: 1, Msg: fmt.Sprintf(
			"header starts with %q; expected \"Recipient\" or \"Supplier\" (current format) or an empty cell (c. 2023 format)", first)}
	}
	cols := make([]tivColumn, len(hdr))
	seen := map[string]bool{}
	var errs ParseErrors
	for j := 1; j < len(hdr); j++ {
		h := strings.TrimSpace(hdr[j])
		cols[j] = tivColumn{header: h, year: -1, total: -1}
		if seen[h] {
			errs.Add(&ParseError{File: name, Line: header + 1, Column: h, ColumnNumber: j + 1, Msg: "column appears twice in the header"})
			continue
		}
		seen[h] = true
		if y, err := strconv.Atoi(h); err == nil && plausibleYear(y) {
			cols[j].year = len(t.Years)
			t.Years = append(t.Years, y)
			continue
		}
		switch {
		case h == "Total" || h == "Sum total years" || tivPeriod.MatchString(h):
		case h == "Percentage" || h == "Percentage of total":
			cols[j].percent = true
		default:
			errs.Add(&ParseError{File: name, Line: header + 1, Column: h, ColumnNumber: j + 1, Msg: fmt.Sprintf(
				"column header %q is not a year (1900-2100) nor a total column (\"2000-2025\", \"Total\", \"Sum total years\", \"Percentage\", \"Percentage of total\")", h)})
			continue
		}
		cols[j].total = len(t.TotalColumns)
		t.TotalColumns = append(t.TotalColumns, h)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if len(t.Years) == 0 {
		return nil, &ParseError{File: name, Line: header + 1, Msg: "header has no year columns"}
	}
	return cols, nil
}

// readRows reads the data lines after the header into Rows and Total:
// each name once, the Total row last. Bad rows are rejected (kept aside
// with skipBad); a table with no row left is refused.
func (t *TIVTable) readRows(name string, header int, cells [][]string, cols []tivColumn, skipBad bool) ([]*ParseError, error) {
	first := strings.TrimSpace(cells[header][0])
	rj := rejects{skipBad: skipBad}
	names := map[string]int{}
	for i := header + 1; i < len(cells); i++ {
		c := cells[i]
		if tivBlank(c) {
			continue
		}
		row, perr := parseTIVRow(name, i+1, c, cols, len(t.Years), len(t.TotalColumns))
		if perr == nil && t.Total != nil {
			perr = &ParseError{File: name, Line: i + 1, Msg: fmt.Sprintf("row %q comes after the Total row on line %d; the Total row must be last", row.Name, t.Total.Line)}
		}
		if perr == nil {
			if prev, dup := names[row.Name]; dup {
				perr = &ParseError{File: name, Line: i + 1, Column: first, ColumnNumber: 1, Msg: fmt.Sprintf("row %q already appears on line %d", row.Name, prev)}
			}
		}
		if perr != nil {
			rj.add(perr)
			continue
		}
		names[row.Name] = i + 1
		if row.Name == "Total" || strings.HasPrefix(row.Name, "Total ") {
			t.Total = &row
			continue
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rj.result(name, len(t.Rows), header+1); err != nil {
		return nil, err
	}
	return rj.skipped, nil
}

// parseTIVRow reads one data line of a TIV table.
func parseTIVRow(name string, line int, c []string, cols []tivColumn, nYears, nTotals int) (TIVRow, *ParseError) {
	row := TIVRow{Name: strings.TrimSpace(c[0]), Line: line}
	if len(c) != len(cols) {
		perr := &ParseError{File: name, Line: line, Msg: fmt.Sprintf("has %d cells; expected %d, one per header column", len(c), len(cols))}
		if len(c) < len(cols) {
			perr.Column, perr.ColumnNumber = cols[len(c)].header, len(c)+1
			perr.Msg += " (this column and those after it are missing)"
		}
		return row, perr
	}
	if row.Name == "" {
		return row, &ParseError{File: name, Line: line, Column: cols[0].header, ColumnNumber: 1, Msg: "row has numbers but no name in its first cell"}
	}
	row.Years = make([]TIVCell, nYears)
	row.Totals = make([]TIVCell, nTotals)
	for j := 1; j < len(c); j++ {
		col := cols[j]
		var cell TIVCell
		if col.percent {
			s := strings.TrimSpace(c[j])
			if s != "" {
				v, ok := parseFinite(strings.TrimSuffix(s, "%"))
				if !ok || v < 0 {
					return row, &ParseError{File: name, Line: line, Column: col.header, ColumnNumber: j + 1, Msg: fmt.Sprintf("%q is not a percentage such as \"44%%\" or \"0.0%%\"", c[j])}
				}
				cell = TIVCell{Value: v, Present: true}
			}
		} else {
			v, ok, msg := parseTIV(c[j])
			if msg != "" {
				return row, &ParseError{File: name, Line: line, Column: col.header, ColumnNumber: j + 1, Msg: msg + " of millions of TIV"}
			}
			cell = TIVCell{Value: v, Present: ok, Small: ok && v == 0}
		}
		if col.year >= 0 {
			row.Years[col.year] = cell
		} else {
			row.Totals[col.total] = cell
		}
	}
	return row, nil
}

// orient sets t.RowKind (old format) and the fixed side, following the
// rules in ParseTIVTable's doc comment. headerLine is 1-based.
func (t *TIVTable) orient(name string, headerLine int, cells [][]string) *ParseError {
	if t.Format == FormatSIPRITIVTable {
		if t.Total == nil {
			return &ParseError{File: name, Line: headerLine, Msg: "no \"Total imports from …\" or \"Total exports to …\" row, so the table's other side is unknown"}
		}
		m := tivTotalSide.FindStringSubmatch(t.Total.Name)
		if m == nil {
			return &ParseError{File: name, Line: t.Total.Line, Column: cells[headerLine-1][0], ColumnNumber: 1, Msg: fmt.Sprintf(
				"total row %q does not say \"Total imports from X\" or \"Total exports to X\", so the table's other side is unknown", t.Total.Name)}
		}
		side := tivAll(m[2])
		switch {
		case m[1] == "from" && t.RowKind == TIVRowsRecipient:
			t.Supplier = side
		case m[1] == "to" && t.RowKind == TIVRowsSupplier:
			t.Recipient = side
		default:
			return &ParseError{File: name, Line: t.Total.Line, Msg: fmt.Sprintf(
				"total row %q contradicts the header: rows are %ss", t.Total.Name, t.RowKind)}
		}
		return nil
	}

	if t.RowKind != "" {
		return nil // the header of a table without a preamble named its rows
	}
	prep, x := "", ""
	if m := tivTitleSide.FindStringSubmatch(t.Title); m != nil {
		prep, x = m[1], tivAll(m[2])
	}
	allCategories, unknownRecipient, unknownSupplier := true, false, false
	for _, r := range t.Rows {
		allCategories = allCategories && tivCategories[r.Name]
		unknownRecipient = unknownRecipient || r.Name == "unknown recipient(s)"
		unknownSupplier = unknownSupplier || r.Name == "unknown supplier(s)"
	}
	switch {
	case allCategories:
		t.RowKind = TIVRowsCategory
		if prep == "from" {
			t.Supplier = x
		} else if prep == "to" {
			t.Recipient = x
		}
		return nil
	case unknownRecipient && !unknownSupplier:
		t.RowKind = TIVRowsRecipient
	case unknownSupplier && !unknownRecipient:
		t.RowKind = TIVRowsSupplier
	case prep == "from" && x != "":
		t.RowKind = TIVRowsRecipient
	case prep == "to" && x != "":
		t.RowKind = TIVRowsSupplier
	default:
		msg := fmt.Sprintf("the title %q names no single country", t.Title)
		if t.Title == "" {
			msg = `the table has no title; head its first column "Recipient" or "Supplier" to say`
		}
		return &ParseError{File: name, Line: headerLine, Msg: fmt.Sprintf(
			"cannot tell whether the rows are recipients or suppliers: no \"unknown recipient(s)\" or \"unknown supplier(s)\" row, and %s", msg)}
	}
	if t.RowKind == TIVRowsRecipient && prep == "from" {
		t.Supplier = x
	}
	if t.RowKind == TIVRowsSupplier && prep == "to" {
		t.Recipient = x
	}
	return nil
}

// tivAll maps SIPRI's words for "everyone" to "".
func tivAll(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "all", "all countries":
		return ""
	}
	return s
}

// tivBlank reports whether a line's cells are all empty or spaces.
func tivBlank(c []string) bool {
	for _, s := range c {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// splitQuotedFields splits one physical CSV line on commas, honouring
// RFC 4180 double quotes within the line ("a, b" is one field; "" inside
// quotes is a quote). A quote that is not closed on the line, or text after
// a closing quote, gives a message and no fields. An empty line gives one
// empty field.
func splitQuotedFields(line string) ([]string, string) {
	var out []string
	for {
		if !strings.HasPrefix(line, `"`) {
			i := strings.IndexByte(line, ',')
			if i < 0 {
				return append(out, line), ""
			}
			out = append(out, line[:i])
			line = line[i+1:]
			continue
		}
		var b strings.Builder
		i := 1
		for {
			j := strings.IndexByte(line[i:], '"')
			if j < 0 {
				return nil, fmt.Sprintf("field %d opens a double quote that is not closed on this line", len(out)+1)
			}
			b.WriteString(line[i : i+j])
			i += j + 1
			if i < len(line) && line[i] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			break
		}
		out = append(out, b.String())
		switch {
		case i == len(line):
			return out, ""
		case line[i] == ',':
			line = line[i+1:]
		default:
			return nil, fmt.Sprintf("field %d has text after its closing double quote", len(out))
		}
	}
}

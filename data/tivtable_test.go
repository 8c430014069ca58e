package data

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

// The excerpts in testdata are whole lines copied from the shared files:
// tiv_china_excerpt.csv has the preamble, header and the Pakistan, Iran,
// Papua New Guinea, Bahamas and Total rows of
// sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv;
// tiv_old_import_excerpt.csv has the 11 preamble/header lines, the
// Afghanistan, African Union**, unknown recipient(s) and ZAPU (Zimbabwe)*
// rows and the final blank and Total lines of
// sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv.

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readShared(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cell returns the value of row name in year y, failing if either is absent.
func tivCell(t *testing.T, tab *TIVTable, name string, y int) TIVCell {
	t.Helper()
	r := tab.Total
	if name != "Total" {
		var ok bool
		if r, ok = tab.Row(name); !ok {
			t.Fatalf("no row %q", name)
		}
	}
	for i, yy := range tab.Years {
		if yy == y {
			return r.Years[i]
		}
	}
	t.Fatalf("no year %d", y)
	return TIVCell{}
}

// wantCell is a value a TIV table must hold in row and year.
type wantCell struct {
	row  string
	year int
	want float64
}

// wantTotal is the value a TIV table must hold in row's first total
// column.
type wantTotal struct {
	row  string
	want float64
}

func TestParseTIVTableRealFiles(t *testing.T) {
	cases := []struct {
		name                string
		rel                 string
		format              Format
		vintage             string
		rowKind             string
		supplier, recipient string
		firstYear, lastYear int
		totalColumns        []string
		rows                int
		values, small       int // TIVValues and how many of them are Small
		cells               []wantCell
		rowTotals           []wantTotal // first total column (period total)
	}{
		{
			name: "current China by recipient", rel: "sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv",
			format: FormatSIPRITIVTable, vintage: "2026-07-14", rowKind: TIVRowsRecipient, supplier: "China",
			firstYear: 2000, lastYear: 2025,
			totalColumns: []string{"2000-2025", "Percentage", "Sum total years", "Percentage of total"},
			// The README's "83 recipient rows" excludes the Total row: 84 lines follow the header.
			rows: 83, values: 484, small: 12,
			cells:     []wantCell{{"Pakistan", 2017, 684}, {"Pakistan", 2021, 911}, {"Bangladesh", 2006, 184}, {"Total", 2025, 880}, {"Total", 2000, 309}},
			rowTotals: []wantTotal{{"Pakistan", 14103}, {"Myanmar", 2046}, {"Total", 31795}},
		},
		{
			name: "old import by recipient", rel: "sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv",
			format: FormatSIPRITIVTableOld, vintage: "2023-12-11", rowKind: TIVRowsRecipient,
			firstYear: 1950, lastYear: 2022, totalColumns: []string{"Total"},
			rows: 261, values: 7848, small: 257,
			cells:     []wantCell{{"Afghanistan", 1989, 2151}, {"Pakistan", 2022, 1565}, {"Pakistan", 1950, 194}, {"unknown recipient(s)", 1989, 41}, {"Total", 1950, 8083}, {"Total", 2022, 31983}},
			rowTotals: []wantTotal{{"Afghanistan", 16387}, {"African Union**", 78}, {"Pakistan", 41654}, {"Total", 2033095}},
		},
		{
			name: "old export by category", rel: "sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv",
			format: FormatSIPRITIVTableOld, vintage: "2023-12-11", rowKind: TIVRowsCategory,
			firstYear: 1950, lastYear: 2022, totalColumns: []string{"Total"},
			rows: 11, values: 715, small: 0,
			cells:     []wantCell{{"Aircraft", 1950, 5301}, {"Aircraft", 2022, 14851}, {"Ships", 1989, 3304}, {"Total", 1950, 8083}, {"Total", 2021, 26792}},
			rowTotals: []wantTotal{{"Aircraft", 965706}, {"Ships", 256791}, {"Total", 2033095}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := readShared(t, tc.rel)
			tab, err := ParseTIVTable(filepath.Base(tc.rel), b)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != tc.format || tab.Vintage != tc.vintage || tab.RowKind != tc.rowKind ||
				tab.Supplier != tc.supplier || tab.Recipient != tc.recipient {
				t.Errorf("format %q vintage %q rows %q supplier %q recipient %q; want %q %q %q %q %q",
					tab.Format, tab.Vintage, tab.RowKind, tab.Supplier, tab.Recipient,
					tc.format, tc.vintage, tc.rowKind, tc.supplier, tc.recipient)
			}
			if n := len(tab.Years); n != tc.lastYear-tc.firstYear+1 || tab.Years[0] != tc.firstYear || tab.Years[n-1] != tc.lastYear {
				t.Errorf("years %v; want %d..%d", tab.Years, tc.firstYear, tc.lastYear)
			}
			if strings.Join(tab.TotalColumns, "|") != strings.Join(tc.totalColumns, "|") {
				t.Errorf("total columns %q; want %q", tab.TotalColumns, tc.totalColumns)
			}
			if len(tab.Rows) != tc.rows {
				t.Errorf("%d rows; want %d", len(tab.Rows), tc.rows)
			}
			if tab.Total == nil {
				t.Fatal("no Total row")
			}
			for _, c := range tc.cells {
				if got := tivCell(t, tab, c.row, c.year); !got.Present || got.Value != c.want {
					t.Errorf("%s %d = %+v; want %v", c.row, c.year, got, c.want)
				}
			}
			for _, c := range tc.rowTotals {
				r := tab.Total
				if c.row != "Total" {
					r, _ = tab.Row(c.row)
				}
				if r == nil || r.Totals[0].Value != c.want {
					t.Errorf("%s period total: got row %+v; want %v", c.row, r, c.want)
				}
			}

			f, err := ReadTIVTable(filepath.Base(tc.rel), b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			small := 0
			for _, v := range f.TIVValues {
				if v.Small {
					small++
					if v.TIV != 0 {
						t.Errorf("small value %+v has TIV != 0", v)
					}
				}
				if strings.HasPrefix(v.Recipient, "Total") || strings.HasPrefix(v.Category, "Total") {
					t.Errorf("total row leaked into values: %+v", v)
				}
			}
			if len(f.TIVValues) != tc.values || small != tc.small || f.Dataset.Rows != tc.values {
				t.Errorf("%d values (%d small, Dataset.Rows %d); want %d (%d small)", len(f.TIVValues), small, f.Dataset.Rows, tc.values, tc.small)
			}
			d := f.Dataset
			if d.Format != tc.format || d.Vintage != tc.vintage || d.Source != "SIPRI Arms Transfers Database" ||
				d.Attribution != "Source: SIPRI Arms Transfers Database (c) SIPRI" || len(d.SHA256) != 64 {
				t.Errorf("dataset %+v", d)
			}
		})
	}
}

// TestChinaTIVShareOfPakistan computes Pakistan's share of China's arms
// exports from the China table's own cells: the Pakistan row over the
// "Total imports from China" row.
func TestChinaTIVShareOfPakistan(t *testing.T) {
	tab, err := ParseTIVTable("china.csv", readShared(t, "sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv"))
	if err != nil {
		t.Fatal(err)
	}
	pak, ok := tab.Row("Pakistan")
	if !ok {
		t.Fatal("no Pakistan row")
	}
	cases := []struct {
		from, to int
		pak, tot float64
		pct      float64
	}{
		{2021, 2025, 911 + 1322 + 1807 + 726 + 445, 1342 + 2323 + 2745 + 1294 + 880, 60.70},
		{2017, 2021, 684 + 500 + 526 + 407 + 911, 1643 + 1391 + 1601 + 645 + 1342, 45.73},
	}
	for _, c := range cases {
		p, tot := tab.YearSum(pak, c.from, c.to), tab.YearSum(tab.Total, c.from, c.to)
		if p != c.pak || tot != c.tot {
			t.Errorf("%d-%d: Pakistan %v of %v; want %v of %v", c.from, c.to, p, tot, c.pak, c.tot)
		}
		if got := 100 * p / tot; math.Abs(got-c.pct) > 0.05 {
			t.Errorf("%d-%d: share %.3f%%; want %.2f%% ± 0.05 pp", c.from, c.to, got, c.pct)
		}
	}
}

func TestReadTIVTableExcerpts(t *testing.T) {
	f, err := ReadTIVTable("tiv_china_excerpt.csv", readTestdata(t, "tiv_china_excerpt.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Pakistan: 26 cells; Iran: 16 (2000-2015); PNG and Bahamas: 1 each (2017, "0 ").
	if len(f.TIVValues) != 26+16+1+1 {
		t.Errorf("%d values; want 44", len(f.TIVValues))
	}
	want := TIVValue{Supplier: "China", Recipient: "Bahamas", Year: 2017, TIV: 0, Small: true}
	if got := f.TIVValues[len(f.TIVValues)-1]; got != want {
		t.Errorf("last value %+v; want %+v", got, want)
	}
	if got := f.TIVValues[0]; got != (TIVValue{Supplier: "China", Recipient: "Pakistan", Year: 2000, TIV: 69}) {
		t.Errorf("first value %+v", got)
	}

	tab, err := ParseTIVTable("tiv_china_excerpt.csv", readTestdata(t, "tiv_china_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Title != "Volume of transfers of major arms" {
		t.Errorf("title %q", tab.Title)
	}
	// The Total row's "Percentage of total" cell is empty; its "Percentage" is 100.
	if tot := tab.Total.Totals; tot[3].Present || tot[1].Value != 100 || !tot[1].Present {
		t.Errorf("total row totals %+v", tot)
	}
	if png, _ := tab.Row("Papua New Guinea"); !png.Totals[0].Small || png.Totals[1].Small || !png.Totals[1].Present {
		t.Errorf("PNG totals %+v", png.Totals)
	}

	old, err := ParseTIVTable("tiv_old_import_excerpt.csv", readTestdata(t, "tiv_old_import_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if old.Title != "TIV of arms exports to all, 1950-2022" || old.RowKind != TIVRowsRecipient || old.Supplier != "" || len(old.Rows) != 4 {
		t.Errorf("old excerpt: title %q kind %q supplier %q rows %d", old.Title, old.RowKind, old.Supplier, len(old.Rows))
	}
	if c := tivCell(t, old, "ZAPU (Zimbabwe)*", 1978); !c.Present || !c.Small {
		t.Errorf("ZAPU 1978 = %+v; want a small value (printed 0)", c)
	}
}

// TestTIVOrientation checks the old format's orientation rules on the
// import excerpt with its title and "unknown recipient(s)" row changed.
func TestTIVOrientation(t *testing.T) {
	base := string(readTestdata(t, "tiv_old_import_excerpt.csv"))
	const title = `"TIV of arms exports to all, 1950-2022"`
	cases := []struct {
		name, title, unknown      string
		kind, supplier, recipient string
		wantErr                   bool
	}{
		{"unknown recipient row wins over title", title, "unknown recipient(s)", TIVRowsRecipient, "", "", false},
		{"unknown supplier row", title, "unknown supplier(s)", TIVRowsSupplier, "", "", false},
		{"title from X", `"TIV of arms exports from China, 2000-2022"`, "Somewhere", TIVRowsRecipient, "China", "", false},
		{"title to X", `"TIV of arms imports to India, 2000-2022"`, "Somewhere", TIVRowsSupplier, "", "India", false},
		{"ambiguous", title, "Somewhere", "", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := strings.Replace(base, title, c.title, 1)
			s = strings.Replace(s, "unknown recipient(s),", c.unknown+",", 1)
			tab, err := ParseTIVTable("x.csv", []byte(s))
			if c.wantErr {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != 11 || !strings.Contains(err.Error(), "x.csv:11:") {
					t.Fatalf("err %v; want a ParseError on line 11", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tab.RowKind != c.kind || tab.Supplier != c.supplier || tab.Recipient != c.recipient {
				t.Errorf("kind %q supplier %q recipient %q; want %q %q %q", tab.RowKind, tab.Supplier, tab.Recipient, c.kind, c.supplier, c.recipient)
			}
		})
	}
}

func TestSniffTIV(t *testing.T) {
	cases := []struct {
		file       string
		cur, old   bool
		wdi, deliv bool
	}{
		{"tiv_china_excerpt.csv", true, false, false, false},
		{"tiv_old_import_excerpt.csv", false, true, false, false},
		{"tiv_old_bare.csv", false, true, false, false},
		{"wdi_excerpt.csv", false, false, true, false},
	}
	for _, c := range cases {
		text := string(readTestdata(t, c.file))
		if sniffTIVTable(text) != c.cur || sniffTIVTableOld(text) != c.old || sniffWDI(text) != c.wdi || sniffDeliveries(text) != c.deliv {
			t.Errorf("%s: sniffs cur %v old %v wdi %v deliveries %v", c.file,
				sniffTIVTable(text), sniffTIVTableOld(text), sniffWDI(text), sniffDeliveries(text))
		}
	}
	// The trade register header also starts with "Recipient," but is no TIV table.
	if sniffTIVTable("Recipient,Supplier,Year of order, ,Number ordered\n") {
		t.Error("trade register header sniffed as a TIV table")
	}
}

// corrupt replaces the first old in s by new, failing if old is absent.
func corrupt(t *testing.T, s, old, new string) []byte {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in input", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

// wantParseError checks that err holds a ParseError for file, line and column
// (first one listed) and that its message names all three.
func wantParseError(t *testing.T, err error, file string, line int, column string) {
	t.Helper()
	var pe *ParseError
	var pes *ParseErrors
	switch {
	case errors.As(err, &pes):
		pe = pes.Errs[0]
	case errors.As(err, &pe):
	default:
		t.Fatalf("err = %v (%T); want a *ParseError or *ParseErrors", err, err)
	}
	if pe.File != file || pe.Line != line || pe.Column != column {
		t.Fatalf("error %q at %s:%d column %q; want %s:%d column %q", pe.Msg, pe.File, pe.Line, pe.Column, file, line, column)
	}
	msg := err.Error()
	t.Log(msg)
	if !strings.Contains(msg, file+":") || !strings.Contains(msg, ":"+strconv.Itoa(line)+":") ||
		(column != "" && (pe.ColumnNumber < 1 || !strings.Contains(msg, fmt.Sprintf("column %d %q", pe.ColumnNumber, column)))) {
		t.Errorf("message %q does not name file, line and column", msg)
	}
}

func TestReadTIVTableErrors(t *testing.T) {
	cur := string(readTestdata(t, "tiv_china_excerpt.csv"))
	old := string(readTestdata(t, "tiv_old_import_excerpt.csv"))
	const pak = "Pakistan,69,298,286,267,76,77,95,142,247,748,748,624,594,729,484,559,735,684,500,526,407,911,1322,1807,726,445,14103,44%,14103,44%"
	cases := []struct {
		name   string
		in     []byte
		line   int
		column string
	}{
		{"bad number", corrupt(t, cur, "735,684,500", "735,68x4,500"), 11, "2017"},
		{"negative number", corrupt(t, cur, "735,684,500", "735,-684,500"), 11, "2017"},
		{"bad period total", corrupt(t, cur, ",14103,44%,", ",14l03,44%,"), 11, "2000-2025"},
		{"bad percentage", corrupt(t, cur, ",14103,44%,", ",14103,44 per cent,"), 11, "Percentage"},
		{"missing column", corrupt(t, cur, pak, strings.TrimSuffix(pak, ",44%")), 11, "Percentage of total"},
		{"extra column", corrupt(t, cur, pak, pak+",1"), 11, ""},
		{"year header not a number", corrupt(t, cur, ",2003,", ",2OO3,"), 10, "2OO3"},
		{"unknown total column", corrupt(t, cur, ",Sum total years,", ",Average,"), 10, "Average"},
		{"duplicate row", corrupt(t, cur, "Iran,", "Pakistan,"), 12, "Recipient"},
		{"row after total", []byte(cur + "Chile,,,,,,,,,,,,,,,,,,,,,,,,,,1,1,0.0%,1,0.0%\n"), 17, ""},
		{"total row names no side", corrupt(t, cur, "Total imports from China", "Total"), 15, "Recipient"},
		{"unclosed quote", corrupt(t, cur, "Iran,", `"Iran,`), 12, ""},
		{"no generated line", corrupt(t, cur, "Data generated:", "Data made:"), 1, ""},
		{"empty file", nil, 1, ""},
		{"old: bad number", corrupt(t, old, ",2151,", ",2,151,"), 12, ""},
		{"old: bad cell", corrupt(t, old, ",2151,", ",21S1,"), 12, "1989"},
		{"old: missing column", corrupt(t, old, ",65,,16387", ",65,16387"), 12, "Total"},
		{"old: year header", corrupt(t, old, ",1999,", ",1999a,"), 11, "1999a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := readErr(t, ReadTIVTable, "t.csv", c.in)
			wantParseError(t, err, "t.csv", c.line, c.column)
		})
	}
}

func TestReadTIVTableSkipBad(t *testing.T) {
	in := corrupt(t, string(readTestdata(t, "tiv_china_excerpt.csv")), "735,684,500", "735,68x4,500")
	f, err := ReadTIVTable("t.csv", in, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Skipped) != 1 || f.Skipped[0].Line != 11 || f.Skipped[0].Column != "2017" {
		t.Fatalf("skipped %v", f.Skipped)
	}
	if len(f.TIVValues) != 16+1+1 || f.TIVValues[0].Recipient != "Iran" {
		t.Errorf("%d values, first %+v; want 18 starting with Iran", len(f.TIVValues), f.TIVValues[0])
	}
}

func TestSplitQuotedFields(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		bad  bool
	}{
		{"", []string{""}, false},
		{"a,b,", []string{"a", "b", ""}, false},
		{`"TIV of arms exports to all, 1950-2022",,`, []string{"TIV of arms exports to all, 1950-2022", "", ""}, false},
		{`"a ""q"" b","",x`, []string{`a "q" b`, "", "x"}, false},
		{`"open,b`, nil, true},
		{`"a"b,c`, nil, true},
	}
	for _, c := range cases {
		got, msg := splitQuotedFields(c.in)
		if (msg != "") != c.bad || strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("splitQuotedFields(%q) = %q, %q; want %q (bad %v)", c.in, got, msg, c.want, c.bad)
		}
	}
}

func FuzzReadTIVTable(f *testing.F) {
	f.Add(readTestdata(f, "tiv_china_excerpt.csv"))
	f.Add(readTestdata(f, "tiv_old_import_excerpt.csv"))
	f.Add(readTestdata(f, "tiv_old_bare.csv"))
	f.Add([]byte("Data generated: 1 Jan 2020\n\nRecipient,2020,2020-2020\nX,0 ,1\nTotal imports from Y,1,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, file := range fuzzReads(t, ReadTIVTable, b) {
			for _, v := range file.TIVValues {
				if v.TIV < 0 || math.IsNaN(v.TIV) || (v.Small && v.TIV != 0) || !plausibleYear(v.Year) {
					t.Fatalf("bad value %+v", v)
				}
			}
			for _, s := range file.Skipped {
				if s.Line <= 0 {
					t.Fatalf("skipped row without a line: %v", s)
				}
			}
		}
	})
}

// TestDetectRealTIVAndWDI checks that Detect, which sees only a file's
// first bytes, picks these readers for the real files.
func TestDetectRealTIVAndWDI(t *testing.T) {
	cases := []struct {
		rel  string
		want Format
	}{
		{"sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv", FormatSIPRITIVTable},
		{"sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv", FormatSIPRITIVTableOld},
		{"sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv", FormatSIPRITIVTableOld},
		{"worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv", FormatWDI},
	}
	for _, c := range cases {
		got, err := Detect(filepath.Base(c.rel), readShared(t, c.rel))
		if err != nil || got != c.want {
			t.Errorf("Detect(%s) = %q, %v; want %q", c.rel, got, err, c.want)
		}
	}
}

// TestReadTIVTableWithoutPreamble reads old-format tables republished
// without their preamble, whose first line is the header
// "Country,1950,…,Total": the hand-made tiv_old_bare.csv (whole-number
// cells of the real import table, 2018-2022, its Total column their sum)
// and a copy of the real import table made here with its ten preamble
// lines cut and its header's first cell named. Neither has a date, so the
// vintage is "" unless one is given.
func TestReadTIVTableWithoutPreamble(t *testing.T) {
	b := readTestdata(t, "tiv_old_bare.csv")
	f, err := Read("tiv_old_bare.csv", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Dataset.Format != FormatSIPRITIVTableOld || f.Dataset.Vintage != "" || f.Dataset.Label() != "SIPRI Arms Transfers Database, undated" {
		t.Errorf("format %q vintage %q label %q; want the old format, undated", f.Dataset.Format, f.Dataset.Vintage, f.Dataset.Label())
	}
	// African Union**: 2 cells; Bangladesh, India, Pakistan and
	// unknown recipient(s): 5 each.
	if len(f.TIVValues) != 2+4*5 {
		t.Errorf("%d values; want 22", len(f.TIVValues))
	}
	want := TIVValue{Recipient: "Pakistan", Year: 2022, TIV: 1565}
	if !slices.Contains(f.TIVValues, want) {
		t.Errorf("no value %+v among %+v", want, f.TIVValues)
	}
	if v := f.TIVValues[0]; v != (TIVValue{Recipient: "African Union**", Year: 2018, Small: true}) {
		t.Errorf("first value %+v; want African Union** 2018 printed 0 (small)", v)
	}
	tab, err := ParseTIVTable("tiv_old_bare.csv", b)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Title != "" || tab.RowKind != TIVRowsRecipient || tab.Supplier != "" || len(tab.Rows) != 5 || !slices.Equal(tab.TotalColumns, []string{"Total"}) {
		t.Errorf("title %q kind %q supplier %q rows %d totals %q", tab.Title, tab.RowKind, tab.Supplier, len(tab.Rows), tab.TotalColumns)
	}
	india, _ := tab.Row("India")
	if got := tab.YearSum(india, 2018, 2022); got != india.Totals[0].Value {
		t.Errorf("India's cells add up to %v; its Total cell is %v", got, india.Totals[0].Value)
	}

	given, err := Read("tiv_old_bare.csv", b, Options{Vintage: " 2023-12-11 "})
	if err != nil || given.Dataset.Vintage != "2023-12-11" {
		t.Errorf("with a vintage given: vintage %q, %v; want 2023-12-11", given.Dataset.Vintage, err)
	}

	// The real table without its preamble reads to the same values.
	real := readShared(t, "sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv")
	lines := strings.SplitAfter(string(real), "\n")
	if !strings.HasPrefix(lines[10], ",1950,1951,") {
		t.Fatalf("line 11 of the real table is %.40q; want its header", lines[10])
	}
	bare := "Country" + strings.Join(lines[10:], "")
	withPreamble, err := Read("TIV-Import-All-Country-1950-2022.csv", real, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read("bare.csv", []byte(bare), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Dataset.Format != FormatSIPRITIVTableOld || got.Dataset.Vintage != "" || withPreamble.Dataset.Vintage != "2023-12-11" {
		t.Errorf("bare copy: format %q vintage %q (the original's %q)", got.Dataset.Format, got.Dataset.Vintage, withPreamble.Dataset.Vintage)
	}
	if !slices.Equal(got.TIVValues, withPreamble.TIVValues) || len(got.TIVValues) != 7848 {
		t.Errorf("bare copy: %d values; want the original's %d, equal", len(got.TIVValues), len(withPreamble.TIVValues))
	}
	// The header's first cell may also be empty, as in the original.
	if got, err := Read("bare.csv", []byte(strings.Join(lines[10:], "")), Options{}); err != nil || len(got.TIVValues) != 7848 {
		t.Errorf("bare copy with an empty first header cell: %v", err)
	}
}

// TestTIVWithoutPreambleOrientation checks how the rows of a table
// without a preamble (so without a title) are told apart: by a header
// cell "Recipient" or "Supplier", else by the rows, else not at all.
func TestTIVWithoutPreambleOrientation(t *testing.T) {
	base := string(readTestdata(t, "tiv_old_bare.csv"))
	cases := []struct {
		name, header, unknown string
		kind                  string
	}{
		{"unknown recipient row", "Country", "unknown recipient(s)", TIVRowsRecipient},
		{"unknown supplier row", "Country", "unknown supplier(s)", TIVRowsSupplier},
		{"header names recipients", "Recipient", "Somewhere", TIVRowsRecipient},
		{"header names suppliers", "Supplier", "Somewhere", TIVRowsSupplier},
		{"ambiguous", "Country", "Somewhere", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := strings.Replace(base, "Country,", c.header+",", 1)
			s = strings.Replace(s, "unknown recipient(s),", c.unknown+",", 1)
			tab, err := ParseTIVTable("x.csv", []byte(s))
			if c.kind == "" {
				wantParseError(t, err, "x.csv", 1, "")
				if !strings.Contains(err.Error(), `head its first column "Recipient" or "Supplier"`) {
					t.Errorf("the error does not say how to fix it: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tab.RowKind != c.kind || tab.Supplier != "" || tab.Recipient != "" {
				t.Errorf("kind %q supplier %q recipient %q; want %q, all on the other side", tab.RowKind, tab.Supplier, tab.Recipient, c.kind)
			}
		})
	}
	// Only the first line can be the header of a table without a preamble.
	if _, err := Detect("x.csv", []byte("A note\n"+base)); err == nil {
		t.Error("a table whose header is not its first line and which has no Generated line was recognised")
	}
}

// TestReadVintageGiven checks Options.Vintage: it dates an undated file,
// agrees with a dated one, and refuses a dated file it contradicts or a
// date not written YYYY-MM-DD.
func TestReadVintageGiven(t *testing.T) {
	dated := readTestdata(t, "tiv_old_import_excerpt.csv") // Generated: 11 December 2023
	undated := readTestdata(t, "tiv_old_bare.csv")
	for _, c := range []struct {
		name    string
		b       []byte
		vintage string
		want    string // the vintage read; "" when refused
	}{
		{"undated file", undated, "2024-03-11", "2024-03-11"},
		{"dated file, same date", dated, "2023-12-11", "2023-12-11"},
		{"dated file, no vintage given", dated, "", "2023-12-11"},
		{"dated file, other date", dated, "2024-03-11", ""},
		{"not a date", undated, "11/12/2023", ""},
		{"no such day", undated, "2023-02-30", ""},
		{"before 1950", undated, "1949-12-31", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Read("t.csv", c.b, Options{Vintage: c.vintage})
			if c.want == "" {
				wantParseError(t, err, "t.csv", 1, "")
				if f != nil {
					t.Error("a File returned with the error")
				}
				return
			}
			if err != nil || f.Dataset.Vintage != c.want {
				t.Fatalf("vintage %v, %v; want %q", f, err, c.want)
			}
		})
	}
}

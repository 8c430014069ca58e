package data

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// testdata/wdi_excerpt.csv holds the header and the Afghanistan, Pakistan,
// "Korea, Dem. People’s Rep." and South Asia lines of
// worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv, unchanged.

func TestReadWDIRealFile(t *testing.T) {
	const rel = "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv"
	f, err := ReadWDI("wdi.csv", readShared(t, rel), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := f.Dataset
	if d.Format != FormatWDI || d.Vintage != "" || d.Source != "World Bank, World Development Indicators" || d.Licence != "CC BY 4.0" {
		t.Errorf("dataset %+v", d)
	}
	// 8,610 non-empty cells in 264 rows (217 economies, 47 aggregates).
	if len(f.Indicators) != 8610 || d.Rows != 8610 {
		t.Errorf("%d values (Rows %d); want 8610", len(f.Indicators), d.Rows)
	}
	codes := map[string]bool{}
	aggregates := map[string]bool{}
	byKey := map[string]IndicatorValue{}
	for _, v := range f.Indicators {
		codes[v.CountryCode] = true
		if v.Aggregate {
			aggregates[v.CountryCode] = true
		}
		if v.Year == 2020 {
			t.Errorf("2020 should be empty throughout: %+v", v)
		}
		if v.Indicator != "MS.MIL.MPRT.KD" || v.IndicatorName != "Arms imports (SIPRI trend indicator values)" {
			t.Fatalf("indicator %q %q", v.Indicator, v.IndicatorName)
		}
		byKey[v.CountryCode+"/"+strconv.Itoa(v.Year)] = v
	}
	// Of the 264 rows, those with no data at all (such as Aruba) give no
	// values; TestReadWDIRowCount counts all rows.
	if len(codes) >= 264 || codes["ABW"] {
		t.Errorf("%d country codes with data, Aruba among them: %v", len(codes), codes["ABW"])
	}
	// 47 aggregate rows (all listed codes but AFE and AFW, which this 2020
	// download predates); INX "Not classified" has no data.
	if len(aggregates) != 46 || aggregates["INX"] {
		t.Errorf("%d aggregates with data; want 46 (INX has none)", len(aggregates))
	}
	cases := []struct {
		key       string
		name      string
		value     float64
		aggregate bool
	}{
		{"AFG/1960", "Afghanistan", 40000000, false},
		{"PAK/2019", "Pakistan", 561000000, false},
		{"PAK/1989", "Pakistan", 962000000, false}, // SIPRI's old import table also gives 962
		{"PAK/2010", "Pakistan", 2199000000, false},
		{"PRK/1960", "Korea, Dem. People’s Rep.", 405000000, false},
		{"WLD/1960", "World", 15576000000, true},
		{"SAS/2019", "South Asia", 4735000000, true},
	}
	for _, c := range cases {
		v, ok := byKey[c.key]
		if !ok || v.CountryName != c.name || v.Value != c.value || v.Aggregate != c.aggregate {
			t.Errorf("%s = %+v; want %s %v aggregate %v", c.key, v, c.name, c.value, c.aggregate)
		}
	}
	if tiv, ok := byKey["PAK/2019"].TIVMillions(); !ok || tiv != 561 {
		t.Errorf("PAK 2019 TIVMillions = %v, %v; want 561", tiv, ok)
	}
}

// TestReadWDIRowCount counts the file's rows through SkipBad-free reading of
// a copy in which every row gets a value, so that rows without data count.
func TestReadWDIRowCount(t *testing.T) {
	b := readShared(t, "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv")
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines)-1 != 264 {
		t.Fatalf("%d data lines; want 264", len(lines)-1)
	}
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.TrimSuffix(lines[i], `"",`) + `"1",` // 2020 := 1
	}
	f, err := ReadWDI("wdi.csv", []byte(strings.Join(lines, "\n")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows, aggregates := 0, 0
	for _, v := range f.Indicators {
		if v.Year == 2020 {
			rows++
			if v.Aggregate {
				aggregates++
			}
		}
	}
	if rows != 264 || aggregates != 47 {
		t.Errorf("%d rows, %d aggregates; want 264 and 47", rows, aggregates)
	}
}

func TestReadWDIExcerpt(t *testing.T) {
	b := readTestdata(t, "wdi_excerpt.csv")
	cases := []struct {
		name, preamble, vintage string
		firstLine               int
	}{
		{"no preamble", "", "", 1},
		{"API preamble", "\ufeff\"Data Source\",\"World Development Indicators\",\n\n\"Last Updated Date\",\"2020-12-16\",\n\n", "2020-12-16", 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ReadWDI("w.csv", append([]byte(c.preamble), b...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Dataset.Vintage != c.vintage {
				t.Errorf("vintage %q; want %q", f.Dataset.Vintage, c.vintage)
			}
			var prk, sas int
			for _, v := range f.Indicators {
				switch v.CountryCode {
				case "PRK":
					prk++
					if v.CountryName != "Korea, Dem. People’s Rep." {
						t.Errorf("name %q", v.CountryName)
					}
				case "SAS":
					sas++
					if !v.Aggregate {
						t.Errorf("South Asia not flagged aggregate")
					}
				}
			}
			if prk == 0 || sas == 0 || f.Indicators[0] != (IndicatorValue{CountryName: "Afghanistan", CountryCode: "AFG",
				Indicator: "MS.MIL.MPRT.KD", IndicatorName: "Arms imports (SIPRI trend indicator values)", Year: 1960, Value: 40000000}) {
				t.Errorf("PRK %d SAS %d first %+v", prk, sas, f.Indicators[0])
			}
		})
	}
}

func TestIsWDIAggregate(t *testing.T) {
	for code, want := range map[string]bool{"WLD": true, "SAS": true, "ARB": true, "AFE": true, "INX": true, "PAK": false, "CHN": false, "wld": false, "": false} {
		if IsWDIAggregate(code) != want {
			t.Errorf("IsWDIAggregate(%q) = %v", code, !want)
		}
	}
	if len(wdiAggregates) != 49 {
		t.Errorf("%d aggregate codes; want 49", len(wdiAggregates))
	}
}

func TestTIVMillions(t *testing.T) {
	cases := []struct {
		ind  string
		v    float64
		want float64
		ok   bool
	}{
		{"MS.MIL.MPRT.KD", 561000000, 561, true},
		{"MS.MIL.XPRT.KD", 1000000, 1, true},
		{"MS.MIL.XPND.GD.ZS", 3.5, 0, false},
	}
	for _, c := range cases {
		got, ok := IndicatorValue{Indicator: c.ind, Value: c.v}.TIVMillions()
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: %v, %v; want %v, %v", c.ind, got, ok, c.want, c.ok)
		}
	}
}

func TestReadWDIErrors(t *testing.T) {
	s := string(readTestdata(t, "wdi_excerpt.csv"))
	cases := []struct {
		name   string
		in     []byte
		line   int
		column string
	}{
		{"bad number", corrupt(t, s, `"40000000","56000000"`, `"4O000000","56000000"`), 2, "1960"},
		{"bad year header", corrupt(t, s, `"1999"`, `"1999 est."`), 1, "1999 est."},
		{"bad fixed header", corrupt(t, s, `"Country Code"`, `"ISO"`), 1, "ISO"},
		{"missing columns", corrupt(t, s, `"391000000","",`, ``), 2, "2020"},
		{"missing trailing comma", corrupt(t, s, `"391000000","",`, `"391000000",""`), 2, ""},
		{"bad code", corrupt(t, s, `"PAK"`, `"Pak"`), 3, "Country Code"},
		{"empty indicator", corrupt(t, s, `"PAK","Arms imports (SIPRI trend indicator values)","MS.MIL.MPRT.KD"`, `"PAK","Arms imports (SIPRI trend indicator values)",""`), 3, "Indicator Code"},
		{"duplicate row", corrupt(t, s, `"PAK"`, `"AFG"`), 3, "Country Code"},
		{"unclosed quote", corrupt(t, s, `"Pakistan",`, `"Pakistan,`), 3, ""},
		{"bad updated date", []byte("\"Last Updated Date\",\"16/12/2020\",\n\n" + s), 1, "Last Updated Date"},
		{"not WDI", []byte("a,b\n1,2\n"), 1, ""},
		{"empty file", nil, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := readErr(t, ReadWDI, "w.csv", c.in)
			wantParseError(t, err, "w.csv", c.line, c.column)
		})
	}
}

func TestReadWDISkipBad(t *testing.T) {
	in := corrupt(t, string(readTestdata(t, "wdi_excerpt.csv")), `"40000000","56000000"`, `"4O000000","56000000"`)
	f, err := ReadWDI("w.csv", in, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Skipped) != 1 || f.Skipped[0].Line != 2 {
		t.Fatalf("skipped %v", f.Skipped)
	}
	for _, v := range f.Indicators {
		if v.CountryCode == "AFG" {
			t.Fatalf("bad row kept: %+v", v)
		}
	}
}

func FuzzReadWDI(f *testing.F) {
	f.Add(readTestdata(f, "wdi_excerpt.csv"))
	f.Add([]byte("\"Data Source\",\"World Development Indicators\",\n\n\"Last Updated Date\",\"2020-12-16\",\n\n" +
		"\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"1960\",\n\"World\",\"WLD\",\"x\",\"MS.MIL.MPRT.KD\",\"1\",\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, file := range fuzzReads(t, ReadWDI, b) {
			for _, v := range file.Indicators {
				if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || !plausibleYear(v.Year) || v.CountryCode == "" {
					t.Fatalf("bad value %+v", v)
				}
			}
		}
	})
}

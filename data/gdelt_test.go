package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// gdeltRow builds one hand-made GDELT 2.0 row: a China–Pakistan visit,
// with the given columns changed.
func gdeltRow(set map[string]string) string {
	vals := map[string]string{
		"GLOBALEVENTID": "1", "SQLDATE": "20260514", "MonthYear": "202605", "Year": "2026",
		"Actor1Code": "CHN", "Actor1Name": "CHINA", "Actor1CountryCode": "CHN",
		"Actor2Code": "PAK", "Actor2Name": "PAKISTAN", "Actor2CountryCode": "PAK",
		"EventCode": "042", "EventBaseCode": "042", "EventRootCode": "04",
		"ActionGeo_FullName": "Islamabad, Islamabad, Pakistan",
		"DATEADDED":          "20260514083000", "SOURCEURL": "https://example.org/a",
	}
	for k, v := range set {
		vals[k] = v
	}
	f := make([]string, len(GDELTColumns))
	for i, c := range GDELTColumns {
		f[i] = vals[c]
	}
	return strings.Join(f, "\t")
}

// zipOf returns a zip archive holding the given files, in order.
func gdeltZip(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gdeltShared returns the base name and the bytes of a shared data file.
func gdeltShared(t *testing.T, rel string) (string, []byte) {
	t.Helper()
	return filepath.Base(rel), readShared(t, rel)
}

// TestReadGDELTReal reads the real GDELT 2.0 exports. Expected events were
// counted with awk over the unzipped files, e.g. for DefaultGDELTCodes:
//
//	awk -F'\t' '$27 ~ /^(0312|0332|0334|042|043|057|062|072|074)/ && $8!="" && $18!="" && $8!=$18' FILE | wc -l
//
// and for root 06 with /^06/. No kept row has codes that map to the same
// country (WSB, GZS, BAG never occur), and every code maps.
func TestReadGDELTReal(t *testing.T) {
	tests := []struct {
		file           string
		lines          int // rows; every one has 61 fields and ends in "\n"
		kept, kept06   int
		vintage, first string // first: SourceID of the first kept event (defaults)
		updates        string // every row's DATEADDED, the file's name
	}{
		{"20161013151500.export.CSV", 3566, 155, 8, "2016-10-13", "", "2016-10-13T15:15:00Z"},
		{"20191024143000.export.CSV", 2111, 106, 9, "2019-10-24", "", "2019-10-24T14:30:00Z"},
		{"20260514083000.export.CSV", 837, 19, 2, "2026-05-14", "1304031103", "2026-05-14T08:30:00Z"},
		{"20260514090000.export.CSV", 1265, 36, 5, "2026-05-14", "", "2026-05-14T09:00:00Z"},
		{"20260514083000.export.CSV.zip", 837, 19, 2, "2026-05-14", "1304031103", "2026-05-14T08:30:00Z"},
		{"20260514090000.export.CSV.zip", 1265, 36, 5, "2026-05-14", "", "2026-05-14T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			name, b := gdeltShared(t, "gdelt/events_v2/"+tt.file)
			if !sniffGDELT(b) {
				t.Error("sniffGDELT = false")
			}
			text := b
			if strings.HasSuffix(tt.file, ".zip") {
				var err error
				if text, _, err = unzip(name, b, 0); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(splitLines(string(text))); n != tt.lines {
				t.Errorf("%d lines; want %d", n, tt.lines)
			}
			f, err := ReadGDELT(name, b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Events) != tt.kept || f.Dataset.Rows != tt.kept {
				t.Errorf("%d events (Rows %d); want %d", len(f.Events), f.Dataset.Rows, tt.kept)
			}
			if f.Dataset.Vintage != tt.vintage {
				t.Errorf("Vintage = %q; want %q", f.Dataset.Vintage, tt.vintage)
			}
			if want := (Updates{First: tt.updates, Last: tt.updates, Count: 1}); f.Dataset.Updates != want {
				t.Errorf("Updates = %+v; want %+v", f.Dataset.Updates, want)
			}
			if f.Dataset.Format != FormatGDELT || f.Dataset.Source != "GDELT Project, GDELT 2.0 Event Database" ||
				f.Dataset.Attribution != "Data from the GDELT Project (https://www.gdeltproject.org/)" || f.Dataset.SHA256 != sha256Hex(text) {
				t.Errorf("Dataset = %+v", f.Dataset)
			}
			if f.Unmapped != nil || f.Skipped != nil {
				t.Errorf("Unmapped = %q, Skipped = %v; want none", f.Unmapped, f.Skipped)
			}
			if tt.first != "" && f.Events[0].SourceID != tt.first {
				t.Errorf("first event %s; want %s", f.Events[0].SourceID, tt.first)
			}
			for _, e := range f.Events {
				if e.SideA == e.SideB || e.SideA == "" || !slices.Contains(EventTypes, e.Type) || e.Precision != "day" {
					t.Errorf("bad event %+v", e)
				}
			}
			f06, err := ReadGDELT(name, b, Options{GDELTRoots: []string{"06"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(f06.Events) != tt.kept06 {
				t.Errorf("root 06: %d events; want %d", len(f06.Events), tt.kept06)
			}
		})
	}
}

func TestReadGDELTSpotChecks(t *testing.T) {
	tests := []struct {
		file  string
		roots []string
		id    string
		want  Event
	}{
		{
			// line 2528, listed in gdelt/README.md
			"20161013151500.export.CSV", []string{"06"}, "588607306",
			Event{Date: "2016-10-13", Precision: "day", SideA: "Pakistan", SideB: "China", Actors: "PAKISTAN; CHINA",
				Type: "cooperation", Place: "Islamabad, Islamabad, Pakistan",
				Summary: "Engage in material cooperation, not specified below (CAMEO 060), reported by GDELT",
				Source:  "GDELT 2.0 event export 20161013151500.export.CSV", SourceID: "588607306", Code: "060",
				SourceURL:  "http://www.dw.com/en/greater-saarc-and-pakistans-regional-isolation/a-36032907",
				NumSources: 1, NumArticles: 3, Root: false},
		},
		{
			// line 172
			"20260514083000.export.CSV.zip", nil, "1304031178",
			Event{Date: "2026-05-14", Precision: "day", SideA: "China", SideB: "South Korea", Actors: "CHINA; SOUTH KOREA",
				Type: "visit", Place: "Beijing, Beijing, China", Summary: "Make a visit (CAMEO 042), reported by GDELT",
				Source: "GDELT 2.0 event export 20260514083000.export.CSV", SourceID: "1304031178", Code: "042",
				SourceURL:  "https://www.dailysabah.com/world/asia-pacific/xi-warns-us-over-mishandling-taiwan-issue-in-talks-with-trump",
				NumSources: 1, NumArticles: 1, Root: false},
		},
		{
			// line 97: Actor1CountryCode AFR, a CAMEO region
			"20260514083000.export.CSV", nil, "1304031103",
			Event{Date: "2026-05-14", Precision: "day", SideA: "Africa", SideB: "Rwanda", Actors: "AFRICA; KIGALI",
				Type: "visit", Place: "Nigeria", Summary: "Make a visit (CAMEO 042), reported by GDELT",
				Source: "GDELT 2.0 event export 20260514083000.export.CSV", SourceID: "1304031103", Code: "042",
				SourceURL:  "https://leadership.ng/tinubu-kagame-push-afcfta-trade-expansion-at-kigali-meeting/",
				NumSources: 1, NumArticles: 7, Root: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.id, func(t *testing.T) {
			name, b := gdeltShared(t, "gdelt/events_v2/"+tt.file)
			f, err := ReadGDELT(name, b, Options{GDELTRoots: tt.roots})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range f.Events {
				if e.SourceID == tt.id {
					if !reflect.DeepEqual(e, tt.want) {
						t.Errorf("got  %+v\nwant %+v", e, tt.want)
					}
					return
				}
			}
			t.Errorf("event %s not kept", tt.id)
		})
	}
}

// TestReadGDELTZipMatchesCSV: a zip gives the events of its unpacked
// file, and the same SHA-256 (that of the text, not of the zip), so the
// store takes the second of the two for a duplicate.
func TestReadGDELTZipMatchesCSV(t *testing.T) {
	for _, stamp := range []string{"20260514083000", "20260514090000"} {
		t.Run(stamp, func(t *testing.T) {
			cn, cb := gdeltShared(t, "gdelt/events_v2/"+stamp+".export.CSV")
			zn, zb := gdeltShared(t, "gdelt/events_v2/"+stamp+".export.CSV.zip")
			for _, roots := range [][]string{nil, {"04", "06"}} {
				cf, err := ReadGDELT(cn, cb, Options{GDELTRoots: roots})
				if err != nil {
					t.Fatal(err)
				}
				zf, err := ReadGDELT(zn, zb, Options{GDELTRoots: roots})
				if err != nil {
					t.Fatal(err)
				}
				if len(cf.Events) == 0 || !reflect.DeepEqual(cf.Events, zf.Events) {
					t.Errorf("roots %q: CSV gives %d events, zip %d, or they differ", roots, len(cf.Events), len(zf.Events))
				}
				if cf.Dataset.Vintage != zf.Dataset.Vintage || zf.Dataset.Name != zn || zf.Dataset.SHA256 != cf.Dataset.SHA256 || zf.Dataset.SHA256 == sha256Hex(zb) {
					t.Errorf("datasets differ: %+v / %+v", cf.Dataset, zf.Dataset)
				}
			}
		})
	}
}

// TestReadGDELTV1 reads the GDELT 1.0 sample: 509 daily rows (58 fields)
// then 201 historical rows (57). Kept events, by the awk command of
// TestReadGDELTReal: 19 in the 58-field part, 15 in the 57-field part.
func TestReadGDELTV1(t *testing.T) {
	name, b := gdeltShared(t, "gdelt/events_v1/every10th_20160728daily_1982historical.csv")
	if n := len(splitLines(string(b))); n != 710 {
		t.Errorf("%d lines; want 710", n)
	}
	f, err := ReadGDELT(name, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Events) != 34 || f.Dataset.Vintage != "2016-07-28" || f.Dataset.Source != "GDELT Project, GDELT 1.0 Event Database" {
		t.Errorf("%d events, dataset %+v; want 34 events, vintage 2016-07-28, GDELT 1.0", len(f.Events), f.Dataset)
	}
	// DATEADDED, per the README: 20160728 (the daily part), 20130203
	// and 20130206 (the historical part).
	if want := (Updates{First: "2013-02-03", Last: "2016-07-28", Count: 3}); f.Dataset.Updates != want {
		t.Errorf("Updates = %+v; want %+v", f.Dataset.Updates, want)
	}
	want := map[string]Event{
		"564137648": {Date: "2016-07-28", Precision: "day", SideA: "Italy", SideB: "Holy See", Actors: "ROME; VATICAN",
			Type: "visit", Place: "Vatican City", Summary: "Host a visit (CAMEO 043), reported by GDELT",
			Source: "GDELT 1.0 event export " + name, SourceID: "564137648", Code: "043",
			SourceURL:  "http://www.femalefirst.co.uk/books/jason-arnopp-the-last-days-of-jack-sparks-964407.html",
			NumSources: 1, NumArticles: 6, Root: true},
		"1552989": {Date: "1982-01-02", Precision: "day", SideA: "United Kingdom", SideB: "Libya", Actors: "BRITISH; LIBYA",
			Type: "visit", Place: "London, London, City of, United Kingdom", Summary: "Make a visit (CAMEO 042), reported by GDELT",
			Source: "GDELT 1.0 event export " + name, SourceID: "1552989", Code: "042",
			NumSources: 1, NumArticles: 1, Root: true},
	}
	for _, e := range f.Events {
		if w, ok := want[e.SourceID]; ok {
			if !reflect.DeepEqual(e, w) {
				t.Errorf("got  %+v\nwant %+v", e, w)
			}
			delete(want, e.SourceID)
		}
	}
	if len(want) != 0 {
		t.Errorf("events not kept: %v", want)
	}
}

func TestReadGDELTFilters(t *testing.T) {
	tests := []struct {
		name     string
		row      map[string]string
		roots    []string
		kept     bool
		sides    [2]string
		unmapped []string
	}{
		{"visit kept", nil, nil, true, [2]string{"China", "Pakistan"}, nil},
		{"code not chosen", map[string]string{"EventCode": "051"}, nil, false, [2]string{}, nil},
		{"root prefix", map[string]string{"EventCode": "0611"}, []string{"06"}, true, [2]string{"China", "Pakistan"}, nil},
		{"full code as root", map[string]string{"EventCode": "062"}, []string{"062"}, true, [2]string{"China", "Pakistan"}, nil},
		{"Actor1 country empty", map[string]string{"Actor1CountryCode": ""}, nil, false, [2]string{}, nil},
		{"Actor2 country empty", map[string]string{"Actor2CountryCode": ""}, nil, false, [2]string{}, nil},
		{"same country", map[string]string{"Actor2CountryCode": "CHN"}, nil, false, [2]string{}, nil},
		{"same country by mapping", map[string]string{"Actor1CountryCode": "WSB", "Actor2CountryCode": "PSE"}, nil, false, [2]string{}, nil},
		{"CAMEO differs from ISO", map[string]string{"Actor1CountryCode": "ROM", "Actor2CountryCode": "TUR"}, nil, true, [2]string{"Romania", "Turkiye"}, nil},
		{"unmapped code kept", map[string]string{"Actor2CountryCode": "XYZ"}, nil, true, [2]string{"China", "XYZ"}, []string{"XYZ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadGDELT("t.CSV", []byte(gdeltRow(tt.row)+"\n"), Options{GDELTRoots: tt.roots})
			if !tt.kept {
				// A file that keeps no event is not imported.
				if f != nil || err == nil || !strings.Contains(err.Error(), "t.CSV:1: none of its 1 events is kept") {
					t.Fatalf("got %v, %v; want no file and an error saying no event is kept", f, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Events) != 1 {
				t.Fatalf("%d events; want 1", len(f.Events))
			}
			if tt.kept && (f.Events[0].SideA != tt.sides[0] || f.Events[0].SideB != tt.sides[1]) {
				t.Errorf("sides %q, %q; want %q", f.Events[0].SideA, f.Events[0].SideB, tt.sides)
			}
			if !slices.Equal(f.Unmapped, tt.unmapped) {
				t.Errorf("Unmapped = %q; want %q", f.Unmapped, tt.unmapped)
			}
			if f.Dataset.Vintage != "2026-05-14" {
				t.Errorf("Vintage = %q", f.Dataset.Vintage)
			}
		})
	}
}

func TestReadGDELTErrors(t *testing.T) {
	good := gdeltRow(nil)
	tests := []struct {
		name   string
		input  []byte
		line   int
		column string
		msg    string
	}{
		{"empty", nil, 1, "", "file is empty"},
		{"not GDELT", []byte("a,b,c\n1,2,3\n"), 1, "", "has 1 tab-separated fields; a GDELT 2.0 event export has 61"},
		{"short row", []byte(good + "\n" + strings.Join(strings.Split(good, "\t")[:60], "\t") + "\n"), 2, "", "has 60 tab-separated fields; expected 61"},
		{"GDELT 1.0 row in 2.0 file", []byte(good + "\n" + strings.Repeat("1\t", 57) + "1\n"), 2, "", "has 58 tab-separated fields; expected 61"},
		{"bad SQLDATE", []byte(good + "\n" + gdeltRow(map[string]string{"SQLDATE": "20261332"}) + "\n"), 2, "SQLDATE", `"20261332" is not a date of the form YYYYMMDD`},
		{"bad SQLDATE on a row not kept", []byte(good + "\n\n" + gdeltRow(map[string]string{"SQLDATE": "2026-05-1", "EventCode": "190"}) + "\n"), 3, "SQLDATE", "is not a date"},
		{"bad EventCode", []byte(gdeltRow(map[string]string{"EventCode": "42a"})), 1, "EventCode", `"42a" is not a CAMEO event code`},
		{"bad GLOBALEVENTID", []byte(gdeltRow(map[string]string{"GLOBALEVENTID": "-4"})), 1, "GLOBALEVENTID", "is not an event number"},
		{"bad DATEADDED", []byte(gdeltRow(map[string]string{"DATEADDED": "20260514"})), 1, "DATEADDED", "is not a timestamp of the form YYYYMMDDHHMMSS"},
		{"bad IsRootEvent", []byte(gdeltRow(map[string]string{"IsRootEvent": "yes"})), 1, "IsRootEvent", `"yes" is not 0 or 1`},
		{"bad NumSources", []byte(gdeltRow(map[string]string{"NumSources": "-1"})), 1, "NumSources", `"-1" is not a count`},
		{"bad NumArticles", []byte(gdeltRow(map[string]string{"NumArticles": "2.5"})), 1, "NumArticles", `"2.5" is not a count`},
		{"zip with no file", gdeltZip(t), 1, "", "zip archive holds no file"},
		{"zip with two files", gdeltZip(t, [2]string{"a.export.CSV", good}, [2]string{"b.export.CSV", good}), 1, "", "zip archive holds 2 files (a.export.CSV, b.export.CSV"},
		{"broken zip", []byte("PK\x03\x04 not really"), 1, "", "zip archive is truncated or damaged"},
		{"bad row in zip", gdeltZip(t, [2]string{"x.export.CSV", good + "\n" + gdeltRow(map[string]string{"SQLDATE": "x"})}), 2, "SQLDATE", `"x" is not a date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadGDELT("in.CSV", tt.input, Options{})
			if err == nil {
				t.Fatalf("no error; got %d events", len(f.Events))
			}
			var pe *ParseError
			var pes *ParseErrors
			if errors.As(err, &pes) {
				if len(pes.Errs) != 1 {
					t.Fatalf("%d errors: %v", len(pes.Errs), err)
				}
				pe = pes.Errs[0]
			} else if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			if pe.File != "in.CSV" || pe.Line != tt.line || pe.Column != tt.column || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %q (file %q line %d column %q); want line %d column %q message containing %q",
					err, pe.File, pe.Line, pe.Column, tt.line, tt.column, tt.msg)
			}
		})
	}
}

func TestReadGDELTSkipBad(t *testing.T) {
	in := gdeltRow(nil) + "\n" + gdeltRow(map[string]string{"SQLDATE": "2026"}) + "\r\n" + gdeltRow(map[string]string{"GLOBALEVENTID": "3"})
	if _, err := ReadGDELT("in.CSV", []byte(in), Options{}); err == nil {
		t.Fatal("no error without SkipBad")
	}
	f, err := ReadGDELT("in.CSV", []byte(in), Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Events) != 2 || f.Events[1].SourceID != "3" || len(f.Skipped) != 1 || f.Skipped[0].Line != 2 || f.Skipped[0].Column != "SQLDATE" {
		t.Errorf("events %+v, skipped %v", f.Events, f.Skipped)
	}
}

func TestReadGDELTBadRoots(t *testing.T) {
	for _, roots := range [][]string{{""}, {"6"}, {"06a"}, {"04212"}} {
		if _, err := ReadGDELT("in.CSV", []byte(gdeltRow(nil)), Options{GDELTRoots: roots}); err == nil || !strings.Contains(err.Error(), "is not a CAMEO code of 2 to 4 digits") {
			t.Errorf("roots %q: err = %v", roots, err)
		}
	}
}

func TestSniffGDELT(t *testing.T) {
	good := gdeltRow(nil)
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"GDELT 2.0 row", []byte(good + "\n"), true},
		{"GDELT 1.0 row", []byte("1\t20160728" + strings.Repeat("\tx", 55) + "\n"), true},
		{"zipped", gdeltZip(t, [2]string{"x.export.CSV", good}), true},
		// Every zip goes to ReadGDELT, which says what is wrong with one
		// that does not hold a GDELT export.
		{"zip with two members", gdeltZip(t, [2]string{"a", good}, [2]string{"b", good}), true},
		{"zipped CSV", gdeltZip(t, [2]string{"a.csv", "a,b\n"}), true},
		{"deliveries listing", []byte("SIPRI AT Database ID,Supplier,Recipient,Designation\r\n"), false},
		{"61 fields, no date", []byte(strings.Repeat("x\t", 60) + "x\n"), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		if got := sniffGDELT(tt.in); got != tt.want {
			t.Errorf("%s: sniffGDELT = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestGDELTEventType(t *testing.T) {
	tests := map[string]string{
		"042": "visit", "043": "visit", "057": "agreement", "0312": "cooperation", "062": "cooperation",
		"072": "cooperation", "050": "cooperation", "046": "other", "190": "other", "": "other",
	}
	for code, want := range tests {
		if got := GDELTEventType(code); got != want {
			t.Errorf("GDELTEventType(%q) = %q; want %q", code, got, want)
		}
	}
}

func TestCAMEODescription(t *testing.T) {
	tests := map[string]string{
		"042": "Make a visit", "044": "Meet at a third location", "06": "Engage in material cooperation",
		"062": "Cooperate militarily", "106": "Demand withdrawal", "1056": "Demand de-escalation of military engagement",
		"033": "Express intent to provide material aid, not specified below", "0356": "Express intent to de-escalate military engagement",
		"999": "",
	}
	for code, want := range tests {
		if got := CAMEODescription(code); got != want {
			t.Errorf("CAMEODescription(%q) = %q; want %q", code, got, want)
		}
	}
	if len(cameoEventCodes) != 311 {
		t.Errorf("%d codes; want 311 (310 lines of CAMEO.eventcodes.txt plus 106)", len(cameoEventCodes))
	}
	for _, c := range DefaultGDELTCodes {
		if CAMEODescription(c) == "" {
			t.Errorf("default code %s has no description", c)
		}
	}
}

// TestCAMEODescriptionMatchesLookup checks the table against GDELT's file.
func TestCAMEODescriptionMatchesLookup(t *testing.T) {
	text := readSharedText(t, "gdelt/lookups/CAMEO.eventcodes.txt")
	for _, l := range splitLines(text)[1:] {
		code, desc, _ := strings.Cut(l, "\t")
		got := CAMEODescription(code)
		if got == "" {
			t.Errorf("code %s missing", code)
			continue
		}
		if len(code) > 2 && code != "044" && code != "1056" && code != "033" && code != "2041" && got != strings.Join(strings.Fields(desc), " ") {
			t.Errorf("code %s: %q; file has %q", code, got, desc)
		}
	}
}

func FuzzReadGDELT(f *testing.F) {
	good := gdeltRow(nil)
	f.Add([]byte(good + "\n"))
	f.Add([]byte(good + "\n" + gdeltRow(map[string]string{"SQLDATE": "2026"}) + "\n"))
	f.Add([]byte("1\t19820102" + strings.Repeat("\tGBR", 55) + "\n"))
	f.Add(gdeltZip(f, [2]string{"x.export.CSV", good}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, opt := range []Options{{}, {SkipBad: true}} {
			file, err := ReadGDELT("fuzz.CSV", b, opt)
			if err == nil {
				if file == nil {
					t.Fatal("nil file and nil error")
				}
				for _, e := range file.Events {
					if e.SideA == e.SideB || e.Date == "" {
						t.Fatalf("bad event %+v", e)
					}
				}
				continue
			}
			checkParseError(t, err)
		}
	})
}

func BenchmarkReadGDELT(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		var buf strings.Builder
		for i := range n {
			code := "190"
			if i%10 == 0 {
				code = "042"
			}
			buf.WriteString(gdeltRow(map[string]string{"EventCode": code}) + "\n")
		}
		in := []byte(buf.String())
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := ReadGDELT("bench.CSV", in, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

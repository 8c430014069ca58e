package data

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestDedupEvents: which rows are one event (Event.Key).
func TestDedupEvents(t *testing.T) {
	g := func(id, date, a, b, code, url string) Event {
		return Event{Date: date, Precision: "day", SideA: a, SideB: b, Type: GDELTEventType(code), Source: "GDELT 2.0 event export x",
			SourceID: id, Code: code, SourceURL: url, NumSources: 1, NumArticles: 1}
	}
	csv := func(date, note, a, b, typ, src string) Event {
		prec := map[int]string{0: "unknown", 4: "year", 10: "day"}[len(date)]
		return Event{Date: date, Precision: prec, DateNote: note, SideA: a, SideB: b, Type: typ, Source: src}
	}
	tests := []struct {
		name string
		rows []Event
		same bool // all rows are one event; else each is its own
	}{
		{"sides swapped", []Event{g("1", "2016-10-13", "India", "Russia", "057", "u"), g("2", "2016-10-13", "Russia", "India", "057", "u")}, true},
		{"same GLOBALEVENTID in two files", []Event{g("1", "2016-10-13", "India", "Russia", "057", "u"), g("1", "2016-10-13", "India", "Russia", "057", "u")}, true},
		{"same root, other code", []Event{g("1", "2016-10-13", "India", "Russia", "042", "u"), g("2", "2016-10-13", "Russia", "India", "043", "u")}, true},
		{"other root", []Event{g("1", "2016-10-13", "India", "Russia", "042", "u"), g("2", "2016-10-13", "India", "Russia", "057", "u")}, false},
		{"other day", []Event{g("1", "2016-10-13", "India", "Russia", "057", "u"), g("2", "2016-10-12", "India", "Russia", "057", "u")}, false},
		{"other article", []Event{g("1", "2016-10-13", "India", "Russia", "057", "u"), g("2", "2016-10-13", "India", "Russia", "057", "v")}, false},
		{"other pair", []Event{g("1", "2016-10-13", "India", "Russia", "057", "u"), g("2", "2016-10-13", "India", "China", "057", "u")}, false},
		{"no URL: GLOBALEVENTIDs differ", []Event{g("1", "1982-01-02", "Libya", "United Kingdom", "042", ""), g("2", "1982-01-02", "United Kingdom", "Libya", "042", "")}, false},
		{"no URL: same GLOBALEVENTID", []Event{g("1", "1982-01-02", "Libya", "United Kingdom", "042", ""), g("1", "1982-01-02", "Libya", "United Kingdom", "042", "")}, true},
		{"events CSV: same row twice", []Event{csv("2023-04-25", "", "China", "Pakistan", "visit", "a.txt"), csv("2023-04-25", "", "China", "Pakistan", "visit", "a.txt")}, true},
		{"events CSV: sides swapped", []Event{csv("", "on Monday", "China", "Pakistan", "military-chiefs", "a.txt"), csv("", "on Monday", "Pakistan", "China", "military-chiefs", "a.txt")}, true},
		{"events CSV: other date note", []Event{csv("", "on Monday", "China", "Pakistan", "military-chiefs", "a.txt"), csv("", "on Friday", "China", "Pakistan", "military-chiefs", "a.txt")}, false},
		{"events CSV: other type", []Event{csv("2023", "", "China", "Pakistan", "visit", "a.txt"), csv("2023", "", "China", "Pakistan", "agreement", "a.txt")}, false},
		{"events CSV: other article", []Event{csv("2023", "", "China", "Pakistan", "visit", "a.txt"), csv("2023", "", "China", "Pakistan", "visit", "b.txt")}, false},
		{"events CSV and GDELT", []Event{csv("2016-10-13", "", "India", "Russia", "agreement", "u"), g("1", "2016-10-13", "India", "Russia", "057", "u")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DedupEvents(tt.rows)
			if !tt.same {
				if len(got) != len(tt.rows) {
					t.Errorf("%d events of %d different rows", len(got), len(tt.rows))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d events; want 1", len(got))
			}
			first := tt.rows[0]
			first.Also = tt.rows[1:]
			if !reflect.DeepEqual(got[0], first) {
				t.Errorf("got %+v\nwant the first row with the others in Also: %+v", got[0], first)
			}
			if again := DedupEvents(got); !reflect.DeepEqual(again, got) {
				t.Errorf("DedupEvents of its result changed it: %+v", again)
			}
			if c := CountEvents(tt.rows); len(c) != 1 || c[0].Count != 1 || c[0].SideA != first.SideA || c[0].Type != first.Type {
				t.Errorf("CountEvents = %+v; want one event, counted as its first row", c)
			}
		})
	}
}

// TestEventWeights: an event weighs the most NumSources (NumArticles) of
// its rows, at least 1.
func TestEventWeights(t *testing.T) {
	e := Event{SourceID: "1", NumSources: 2, NumArticles: 3, Also: []Event{{NumSources: 1, NumArticles: 7}}}
	if e.Sources() != 2 || e.Articles() != 7 {
		t.Errorf("Sources, Articles = %d, %d; want 2, 7", e.Sources(), e.Articles())
	}
	if csv := (Event{Source: "a.txt"}); csv.Sources() != 1 || csv.Articles() != 1 {
		t.Errorf("an event with no counts weighs %d, %d; want 1, 1", csv.Sources(), csv.Articles())
	}
	rows := []Event{
		{Date: "2020", SideA: "A", SideB: "B", Type: "visit", SourceID: "1", Code: "042", SourceURL: "u", NumSources: 2, NumArticles: 5},
		{Date: "2020", SideA: "B", SideB: "A", Type: "visit", SourceID: "2", Code: "042", SourceURL: "u", NumSources: 3, NumArticles: 4},
		{Date: "2020", SideA: "A", SideB: "B", Type: "visit", SourceID: "3", Code: "042", SourceURL: "v", NumSources: 1, NumArticles: 1},
	}
	want := []EventCount{{Year: 2020, SideA: "A", SideB: "B", Type: "visit", Count: 2, Sources: 3 + 1, Articles: 5 + 1}}
	if got := CountEvents(rows); !reflect.DeepEqual(got, want) {
		t.Errorf("CountEvents = %+v; want %+v", got, want)
	}
}

// gdeltV2Files are the four GDELT 2.0 exports of ../shared/data/gdelt.
var gdeltV2Files = []string{"20161013151500.export.CSV", "20191024143000.export.CSV", "20260514083000.export.CSV", "20260514090000.export.CSV"}

// rawInteractions counts, straight from the tab-separated columns of raw
// GDELT 2.0 files and without Event, the interactions ReadGDELT and
// DedupEvents should find: rows whose EventCode starts with one of
// DefaultGDELTCodes, with two different Actor CountryCodes (none of
// these files has two codes of one country), grouped by SQLDATE, the
// two codes in either order, EventCode's first two digits and SOURCEURL.
// It returns the rows kept and the distinct groups.
func rawInteractions(files [][]byte) (rows int, groups map[string]int) {
	groups = map[string]int{}
	for _, b := range files {
		for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			f := strings.Split(line, "\t")
			code, c1, c2 := f[26], f[7], f[17]
			if c1 == "" || c2 == "" || c1 == c2 || !slices.ContainsFunc(DefaultGDELTCodes, func(p string) bool { return strings.HasPrefix(code, p) }) {
				continue
			}
			pair := []string{c1, c2}
			slices.Sort(pair)
			rows++
			groups[strings.Join([]string{f[1], pair[0], pair[1], code[:2], f[60]}, "\x00")]++
		}
	}
	return rows, groups
}

// TestDedupGDELTReal counts the events of the four real GDELT 2.0 files.
// Independently of armsdash, pandas on the raw files (read with
// sep='\t', header=None, dtype=str, quoting=3; the same filter; grouped
// by columns 1, the sorted pair of 7 and 17, 26's first two digits and
// 60, 0-based) gives 316 rows, 316 distinct GLOBALEVENTIDs and 106
// interactions: 51, 37, 7 and 11 by file, none shared between files.
// Of the 316 rows 228 are root events (IsRootEvent 1); the 106 count the
// others too (see ReadGDELT). rawInteractions repeats the count in Go.
func TestDedupGDELTReal(t *testing.T) {
	var raw [][]byte
	var rows []Event
	perFile := map[string]int{}
	for _, name := range gdeltV2Files {
		n, b := gdeltShared(t, "gdelt/events_v2/"+name)
		f, err := ReadGDELT(n, b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b)
		rows = append(rows, f.Events...)
		perFile[name] = len(DedupEvents(f.Events))
	}
	rawRows, groups := rawInteractions(raw)
	events := DedupEvents(rows)
	if len(rows) != 316 || rawRows != 316 || len(events) != 106 || len(groups) != 106 {
		t.Errorf("%d rows (raw %d), %d events (raw %d); pandas counts 316 rows, 106 interactions", len(rows), rawRows, len(events), len(groups))
	}
	if want := map[string]int{gdeltV2Files[0]: 51, gdeltV2Files[1]: 37, gdeltV2Files[2]: 7, gdeltV2Files[3]: 11}; !reflect.DeepEqual(perFile, want) {
		t.Errorf("events by file %v; pandas counts %v", perFile, want)
	}
	// The events hold as many rows as the raw groups.
	sizes := map[int]int{}
	for _, n := range groups {
		sizes[n]++
	}
	got := map[int]int{}
	for _, e := range events {
		got[1+len(e.Also)]++
	}
	if !reflect.DeepEqual(got, sizes) {
		t.Errorf("events by number of rows %v; raw groups by size %v", got, sizes)
	}
	roots, counted := 0, 0
	for _, r := range rows {
		if r.Root {
			roots++
		}
	}
	for _, c := range CountEvents(rows) {
		counted += int(c.Count)
	}
	if roots != 228 || counted != 106 {
		t.Errorf("%d root rows, %d events counted; want 228 (pandas) and 106: events found below an article's lead paragraph count too", roots, counted)
	}

	// Russia–India: one article, its agreement reported once each way
	// (GLOBALEVENTIDs 588606501, India → Russia, and 588607444).
	var ri []Event
	for _, e := range events {
		if e.Key().Lo == "India" && e.Key().Hi == "Russia" {
			ri = append(ri, e)
		}
	}
	if len(ri) != 1 || ri[0].SourceID != "588606501" || len(ri[0].Also) != 1 || ri[0].Also[0].SourceID != "588607444" ||
		ri[0].SideA != "India" || ri[0].Also[0].SideA != "Russia" {
		t.Errorf("India–Russia: %s; want one event, 588606501 India → Russia with 588607444 Russia → India", describeEvents(ri))
	}
}

func describeEvents(es []Event) string {
	var parts []string
	for _, e := range es {
		s := fmt.Sprintf("%s %s→%s", e.SourceID, e.SideA, e.SideB)
		for _, a := range e.Also {
			s += fmt.Sprintf(" +%s %s→%s", a.SourceID, a.SideA, a.SideB)
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("%d events [%s]", len(es), strings.Join(parts, "; "))
}

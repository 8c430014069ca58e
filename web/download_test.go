package web

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// unzip returns the files of a ZIP archive by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestDataTableCSV checks that the full-data CSV parses with encoding/csv
// into one header and the rows, that formulas are defused while numbers,
// negative ones included, stay numbers, and that quotes, commas and
// newlines in names survive.
func TestDataTableCSV(t *testing.T) {
	tbl := dataTable{
		Head: []string{"name", "TIV (SIPRI TIV millions)", "date (ISO 8601)"},
		Rows: [][]string{
			{"-foo", "-1.5", "2023-04-25"},
			{"=HYPERLINK(\"http://x\")", "+2", "2023-04"},
			{"@SUM(A1)", "0", ""},
			{"Côte d'Ivoire, \"quoted\"\nnext line", "1e3", "2023"},
			{"\tTab", "-0", "2024-01-01"},
		},
	}
	b, err := tbl.CSV()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("does not parse: %v", err)
	}
	want := [][]string{
		tbl.Head,
		{"'-foo", "-1.5", "2023-04-25"},
		{"'=HYPERLINK(\"http://x\")", "+2", "2023-04"},
		{"'@SUM(A1)", "0", ""},
		{"Côte d'Ivoire, \"quoted\"\nnext line", "1e3", "2023"},
		{"'\tTab", "-0", "2024-01-01"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("record %d field %d: %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Error("CSV starts with a byte-order mark")
	}
}

func TestCitation(t *testing.T) {
	for _, tc := range []struct {
		name string
		ds   []data.Dataset
		want string
	}{
		{"one vintage", []data.Dataset{{Source: "SIPRI Arms Transfers Database", Vintage: "2026-02-12"}},
			"SIPRI Arms Transfers Database (generated 2026-02-12), via armsdash, P"},
		{"undated", []data.Dataset{{Source: "SIPRI Arms Transfers Database"}},
			"SIPRI Arms Transfers Database (undated), via armsdash, P"},
		{"two files of one release", []data.Dataset{{Source: "S", Vintage: "2026-02-12"}, {Source: "S", Vintage: "2026-02-12"}},
			"S (generated 2026-02-12), via armsdash, P"},
		{"none", nil, "fallback, via armsdash, P"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := citation(tc.ds, "fallback", "P"); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPinOf(t *testing.T) {
	a := data.Dataset{SHA256: strings.Repeat("ab", 32)}
	b := data.Dataset{SHA256: strings.Repeat("cd", 32)}
	if got := dashboard.PinOf([]data.Dataset{a}); got != "abababababab" {
		t.Errorf("one dataset: %q", got)
	}
	if dashboard.PinOf(nil) != "" || dashboard.PinOf([]data.Dataset{{SHA256: "abc"}}) != "" {
		t.Error("no pin expected without a full digest")
	}
	two := dashboard.PinOf([]data.Dataset{a, b})
	if len(two) != dashboard.PinLen || two == dashboard.PinOf([]data.Dataset{a}) || two == dashboard.PinOf([]data.Dataset{b, a}) {
		t.Errorf("two datasets: %q", two)
	}
}

// Package shareddata locates the real SIPRI, World Bank and GDELT files that
// tests check figures against. They live in ../shared/data beside the
// repository (or in $ARMSDASH_SHARED_DATA) and are never copied into it; a
// fresh clone has none, so tests that need them skip with a message.
package shareddata

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Dir returns the shared data directory, or "" when it cannot be found.
func Dir() string {
	if d := os.Getenv("ARMSDASH_SHARED_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of rel inside the shared data directory. It skips
// the test, saying why, when the directory or the file is absent; under CI
// (CI=true), where the data must be present, a missing directory fails it.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir := Dir()
	if dir == "" && os.Getenv("CI") == "true" {
		tb.Fatal("../shared/data is absent, but CI must check figures against it")
	}
	if dir == "" {
		tb.Skip("../shared/data is absent (a fresh clone has none; CI has it): set ARMSDASH_SHARED_DATA to run this test")
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s is absent: %v", rel, err)
	}
	return p
}

// RegisterRecords splits a SIPRI trade register export (the current
// format, as in sipri_trade_register/) into its records, independently of
// package data's reader, for tests to check it against: the lines after
// the header line "Recipient,Supplier,…", CRLF or LF, a line with fewer
// than 16 comma-separated fields joined (with a space) to the lines after
// it until it has 16 (SIPRI does not quote a line break in Comments).
// Fields are as written: not trimmed, not decoded from Windows-1252.
// Fields 0 and 1 are recipient and supplier, 2 the year of order, 10 the
// years of delivery ("2010; 2012"), 14 and 15 the TIV of the order and of
// the deliveries.
func RegisterRecords(tb testing.TB, raw []byte) [][]string {
	tb.Helper()
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	_, body, ok := strings.Cut(text, "\nRecipient,Supplier,")
	if !ok {
		tb.Fatal("no register header line")
	}
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")[1:]
	var out [][]string
	for i := 0; i < len(lines); i++ {
		rec := lines[i]
		for strings.Count(rec, ",") < 15 && i+1 < len(lines) {
			i++
			rec += " " + lines[i]
		}
		f := strings.Split(rec, ",")
		if len(f) != 16 {
			tb.Fatalf("register record with %d fields: %.80q", len(f), rec)
		}
		out = append(out, f)
	}
	return out
}

// PairOrders sums, from the records of a raw trade register
// (RegisterRecords), the orders of supplier to recipient: the TIV of the
// orders (an empty cell 0), the backlog (per record, the TIV of the order
// less that of the deliveries when positive), how many records have one,
// and the TIV ordered by year of order (0 for none).
func PairOrders(tb testing.TB, raw []byte, supplier, recipient string) (ordered, backlog float64, withBacklog int, byYear map[int]float64) {
	tb.Helper()
	byYear = map[int]float64{}
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			tb.Fatalf("register number %q: %v", s, err)
		}
		return v
	}
	for _, f := range RegisterRecords(tb, raw) {
		if f[1] != supplier || f[0] != recipient {
			continue
		}
		o, d := num(f[14]), num(f[15])
		ordered += o
		if o > d {
			backlog += o - d
			withBacklog++
		}
		y, _ := strconv.Atoi(f[2])
		byYear[y] += o
	}
	return ordered, backlog, withBacklog, byYear
}

// CSVRow reads raw as CSV with encoding/csv (any number of fields a
// record), independently of package data, and returns the cells of the
// first record after the header whose field key is name, by the header's
// cells. The header is the first record isHeader accepts. It fails tb
// when raw is not CSV or has no such row.
func CSVRow(tb testing.TB, raw []byte, isHeader func(rec []string) bool, key int, name string) map[string]string {
	tb.Helper()
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var head []string
	for _, rec := range recs {
		if head == nil && isHeader(rec) {
			head = rec
			continue
		}
		if head == nil || len(rec) <= key || rec[key] != name {
			continue
		}
		out := map[string]string{}
		for i, h := range head {
			if i < len(rec) {
				out[h] = rec[i]
			}
		}
		return out
	}
	tb.Fatalf("no CSV row %q", name)
	return nil
}

// CSVBaseline is the baseline that benchmarks of armsdash's readers
// measure themselves against: b reads in with encoding/csv as loosely as
// it goes (any number of fields, lazy quotes), and fails unless it finds
// at least atLeast records.
func CSVBaseline(b *testing.B, in []byte, atLeast int) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(in))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		n := 0
		for ; ; n++ {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		if n < atLeast {
			b.Fatalf("%d records; want at least %d", n, atLeast)
		}
	}
}

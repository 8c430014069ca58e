package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// Benchmarks: each import benchmark reads a real file with data.Read and
// imports it into a fresh store (opening the store is not timed); its
// baseline reads the same bytes with encoding/csv and nothing else, so the
// ratio of the two is the cost of armsdash's checking and storing over the
// bare minimum. Sizes: the first 1,000 and 10,000 data lines, and the whole
// file.

const (
	deliveriesFile = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"
	registerFile   = "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv"
)

// benchSizes cuts b after the header and n data lines (n < 0: all); head
// is how many lines come before the first data line.
func benchSizes(b []byte, head int) map[string][]byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	out := map[string][]byte{"all": b}
	for _, n := range []int{1000, 10000} {
		if head+n < len(lines) {
			out[fmt.Sprint(n)] = bytes.Join(lines[:head+n], nil)
		}
	}
	return out
}

func headerLines(b []byte, prefix string) int {
	for i, line := range bytes.SplitAfter(b, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(prefix)) {
			return i + 1
		}
	}
	return 0
}

// readShared reads the file rel of ../shared/data, skipping tb when it is
// absent.
func readShared(tb testing.TB, rel string) (string, []byte) {
	tb.Helper()
	p := shareddata.Path(tb, rel)
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Base(p), b
}

func benchImport(b *testing.B, rel, headerPrefix string) {
	name, all := readShared(b, rel)
	for _, size := range []string{"1000", "10000", "all"} {
		in, ok := benchSizes(all, headerLines(all, headerPrefix))[size]
		if !ok {
			continue
		}
		b.Run("rows="+size, func(b *testing.B) {
			ctx := context.Background()
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			rows := 0
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprint(i, ".db")))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				f, err := data.Read(name, in, data.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Import(ctx, f); err != nil {
					b.Fatal(err)
				}
				rows = f.Dataset.Rows
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows), "rows/op")
		})
	}
}

func benchCSV(b *testing.B, rel, headerPrefix string) {
	_, all := readShared(b, rel)
	for _, size := range []string{"1000", "10000", "all"} {
		in, ok := benchSizes(all, headerLines(all, headerPrefix))[size]
		if !ok {
			continue
		}
		b.Run("rows="+size, func(b *testing.B) { shareddata.CSVBaseline(b, in, 1) })
	}
}

// BenchmarkImportDeliveries reads and imports SIPRI's per-delivery-year
// listing (25,024 rows in full).
func BenchmarkImportDeliveries(b *testing.B) {
	benchImport(b, deliveriesFile, "SIPRI AT Database ID,")
}

// BenchmarkReadCSVBaselineDeliveries reads the same bytes with encoding/csv.
func BenchmarkReadCSVBaselineDeliveries(b *testing.B) {
	benchCSV(b, deliveriesFile, "SIPRI AT Database ID,")
}

// BenchmarkImportRegister reads and imports SIPRI's trade register (29,515
// deals in full).
func BenchmarkImportRegister(b *testing.B) {
	benchImport(b, registerFile, "Recipient,Supplier,")
}

// BenchmarkReadCSVBaselineRegister reads the same bytes with encoding/csv.
func BenchmarkReadCSVBaselineRegister(b *testing.B) {
	benchCSV(b, registerFile, "Recipient,Supplier,")
}

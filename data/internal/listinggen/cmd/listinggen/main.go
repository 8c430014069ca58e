// Command listinggen writes a SYNTHETIC per-delivery-year listing made by
// listinggen from a real one, for measuring armsdash against other tools
// on the same file (see docs/scaling.md). Its output is benchmark input,
// never data:
//
//	go run ./data/internal/listinggen/cmd/listinggen -in ../shared/data/sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv -rows 1000000 -out /tmp/listing-1m.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/listinggen"
)

func main() {
	in := flag.String("in", "", "real SIPRI per-delivery-year listing to resample (CSV)")
	out := flag.String("out", "", "synthetic listing to write")
	rows := flag.Int("rows", 1_000_000, "rows to write")
	seed := flag.Uint64("seed", 1, "seed of the random draws")
	flag.Parse()
	if err := run(*in, *out, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "listinggen:", err)
		os.Exit(1)
	}
}

func run(in, out string, rows int, seed uint64) error {
	if in == "" || out == "" || rows < 1 {
		return fmt.Errorf("give -in, -out and -rows ≥ 1")
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	src, err := data.ReadDeliveries(filepath.Base(in), b, data.Options{})
	if err != nil {
		return err
	}
	src.Canonicalize()
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := listinggen.Write(bw, src.Deliveries, rows, seed); err != nil {
		w.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

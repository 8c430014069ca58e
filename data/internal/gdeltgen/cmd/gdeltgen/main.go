// Command gdeltgen writes a SYNTHETIC GDELT 2.0 event export for
// benchmarks (see package gdeltgen): made-up rows, never data.
//
//	go run ./data/internal/gdeltgen/cmd/gdeltgen -rows 1000000 -seed 1 -o /tmp/synthetic.export.CSV
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/armsdash/armsdash/data/internal/gdeltgen"
)

func main() {
	rows := flag.Int("rows", 1000, "rows to write")
	seed := flag.Uint64("seed", 1, "random seed; the same seed and rows give the same bytes")
	out := flag.String("o", "", "output file (default: standard output)")
	flag.Parse()
	if err := run(*rows, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gdeltgen:", err)
		os.Exit(1)
	}
}

func run(rows int, seed uint64, out string) error {
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if err := gdeltgen.Write(w, rows, seed); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && out != "" {
		return f.Close()
	}
	return nil
}

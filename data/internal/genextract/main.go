// Command genextract writes the built-in SIPRI extract: yearly TIV of
// deliveries to Pakistan from every supplier, and China's deliveries to all
// other recipients, summed from SIPRI's per-delivery-year listing. It is run
// by `go generate ./data` and writes nothing but what it reads.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/armsdash/armsdash/data"
)

func main() {
	in := flag.String("in", "", "SIPRI per-delivery-year listing (CSV)")
	out := flag.String("out", "", "flows CSV to write")
	supplier := flag.String("supplier", "China", "supplier of the dyad")
	recipient := flag.String("recipient", "Pakistan", "recipient of the dyad")
	flag.Parse()
	if err := run(*in, *out, *supplier, *recipient); err != nil {
		fmt.Fprintln(os.Stderr, "genextract:", err)
		os.Exit(1)
	}
}

func run(in, out, supplier, recipient string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("%w (the SIPRI listing is in ../shared/data beside the repository)", err)
	}
	f, err := data.ReadDeliveries(filepath.Base(in), b, data.Options{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	note := data.ExtractNote(filepath.Base(in), f.Dataset.SHA256, supplier, recipient)
	if err := data.WriteFlows(&buf, f.Dataset, note, data.ExtractDyad(f.Deliveries, supplier, recipient)); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

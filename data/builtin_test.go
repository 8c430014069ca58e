package data

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

func TestBuiltin(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if !s.Builtin || len(s.Events) != 7 || len(s.Figures) != 2 || len(s.Equipment) != 10 {
		t.Fatalf("built-in has %d events, %d figures, %d equipment; want 7, 2, 10", len(s.Events), len(s.Figures), len(s.Equipment))
	}
	fs, ok := s.FlowSet("")
	if !ok || fs.Dataset.Vintage != "2026-02-12" || fs.Dataset.Attribution != "Source: SIPRI Arms Transfers Database (c) SIPRI" {
		t.Fatalf("flow set %+v: want the SIPRI extract of 2026-02-12 with SIPRI's attribution", fs.Dataset)
	}
	if len(fs.Flows) > 400 {
		t.Errorf("extract has %d rows; it must stay small", len(fs.Flows))
	}
	byMeasure := map[string]Figure{}
	for _, f := range s.Figures {
		byMeasure[f.Measure] = f
	}
	if f := byMeasure[MeasureSupplierShare]; f.Percent != 72 || f.Label() != "SIPRI, as reported in 001_544cb1125bb3d864.txt" || f.From != 2017 || f.To != 2021 {
		t.Errorf("China's share of Pakistan's imports = %+v", f)
	}
	if f := byMeasure[MeasureRecipientShare]; f.Percent != 47 || !f.Approximate {
		t.Errorf("Pakistan's share of China's exports = %+v", f)
	}
}

// TestBuiltinCitesSeeds checks that every built-in row cites a seed article
// that exists, and that its quote is the article's own words.
func TestBuiltinCitesSeeds(t *testing.T) {
	dir := filepath.Join(filepath.Dir(shareddata.Path(t, ".")), "seeds")
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	seed := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("cited seed %q: %v", name, err)
		}
		// The articles use typographic apostrophes; the CSV plain ones.
		return strings.ReplaceAll(string(b), "’", "'")
	}
	for _, e := range s.Events {
		seed(e.Source)
	}
	for _, f := range s.Figures {
		if !strings.Contains(seed(f.Source), f.Quote) {
			t.Errorf("figure quote %q is not in %s", f.Quote, f.Source)
		}
	}
	for _, e := range s.Equipment {
		if !strings.Contains(seed(e.Source), e.Quote) {
			t.Errorf("equipment quote %q is not in %s", e.Quote, e.Source)
		}
		if !strings.Contains(seed(e.Source), e.Name) {
			t.Errorf("equipment %q is not named in %s", e.Name, e.Source)
		}
	}
}

// TestBuiltinExtractIsReproducible remakes the SIPRI extract from the
// listing it names, as `go generate ./data` does, and compares bytes.
func TestBuiltinExtractIsReproducible(t *testing.T) {
	raw := readShared(t, listingPath)
	f, err := ReadDeliveries(filepath.Base(listingPath), raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	note := ExtractNote(filepath.Base(listingPath), f.Dataset.SHA256, "China", "Pakistan")
	if err := WriteFlows(&buf, f.Dataset, note, ExtractDyad(f.Deliveries, "China", "Pakistan")); err != nil {
		t.Fatal(err)
	}
	embedded, err := builtinFS.ReadFile(BuiltinExtract)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embedded) {
		t.Fatalf("%s differs from what go generate makes from %s: run go generate ./data", BuiltinExtract, listingPath)
	}
}

// TestExtractKeepsShares checks that the extract gives the same shares as
// the full listing it was summed from.
func TestExtractKeepsShares(t *testing.T) {
	f, err := ReadDeliveries("all.csv", readShared(t, listingPath), Options{})
	if err != nil {
		t.Fatal(err)
	}
	full, extract := SumFlows(f.Deliveries), ExtractDyad(f.Deliveries, "China", "Pakistan")
	sum := func(fl []Flow, keep func(Flow) bool) (s float64) {
		for _, x := range fl {
			if x.Year >= 2017 && x.Year <= 2021 && keep(x) {
				s += x.TIV
			}
		}
		return s
	}
	for _, keep := range []func(Flow) bool{
		func(x Flow) bool { return x.Recipient == "Pakistan" },
		func(x Flow) bool { return x.Supplier == "China" },
		func(x Flow) bool { return x.Supplier == "China" && x.Recipient == "Pakistan" },
	} {
		if a, b := sum(full, keep), sum(extract, keep); a != b && (a-b > 1e-9 || b-a > 1e-9) {
			t.Errorf("full listing gives %v, extract %v", a, b)
		}
	}
}

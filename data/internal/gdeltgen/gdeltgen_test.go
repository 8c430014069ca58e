package gdeltgen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
)

func TestWriteReadsAsGDELT(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same seed, different bytes")
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if len(lines) != 2000 {
		t.Fatalf("%d lines; want 2000", len(lines))
	}
	for i, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != len(data.GDELTColumns) || !strings.HasPrefix(f[60], SourceURL) || !strings.HasPrefix(f[6], "SYNTHETIC ") {
			t.Fatalf("line %d: %d fields, SOURCEURL %q, Actor1Name %q", i+1, len(f), f[len(f)-1], f[6])
		}
		if data.CAMEODescription(f[26]) == "" {
			t.Fatalf("line %d: EventCode %q is not a CAMEO code", i+1, f[26])
		}
	}
	f, err := data.Read("synthetic.export.CSV", a.Bytes(), data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Dataset.Format != data.FormatGDELT || len(f.Unmapped) != 0 || len(f.Skipped) != 0 {
		t.Errorf("format %s, unmapped %v, skipped %d", f.Dataset.Format, f.Unmapped, len(f.Skipped))
	}
	// About KeptShare of the rows pass the default filter.
	if share := float64(len(f.Events)) / 2000; share < KeptShare-0.03 || share > KeptShare+0.03 {
		t.Errorf("%d of 2000 rows kept; want about %.0f%%", len(f.Events), KeptShare*100)
	}
	for _, e := range f.Events {
		if e.SideA == e.SideB || e.Year() < 2015 || e.Year() > 2025 {
			t.Fatalf("event %+v", e)
		}
	}
}

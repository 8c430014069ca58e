package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// TestShareBuiltin runs `armsdash share` on the built-in dataset (no store
// at -db) and checks the printed figures and provenance.
func TestShareBuiltin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "absent.db")
	var out bytes.Buffer
	err := run(context.Background(), []string{"share", "-db", db, "-supplier", "China", "-recipient", "Pakistan", "-from", "2017", "-to", "2021"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"China's share of Pakistan's arms imports, 2017–2021: 75% (75.29%; unrounded 75.2855",
		"Pakistan's share of China's arms exports, 2017–2021: 46% (45.95%; unrounded 45.9502",
		"China to Pakistan 3026.63", "imports from all suppliers 4020.2", "exports to all recipients 6586.76",
		"Counting rule: deliveries by delivery year", "SIPRI TIV, millions (volume, not money)",
		"sipri_china_pakistan.csv", "vintage 2026-02-12",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

// TestShareListing imports the full listing into a temporary store and
// checks Pakistan's share of China's exports, as JSON.
func TestShareListing(t *testing.T) {
	listing := shareddata.Path(t, listingFile)
	db := filepath.Join(t.TempDir(), "listing.db")
	ctx := context.Background()
	if err := run(ctx, []string{"import", "-db", db, listing}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from, to string
		want     float64
	}{
		{"2017", "2021", 45.9502},
		{"2020", "2024", 63.0208},
	} {
		var out bytes.Buffer
		if err := run(ctx, []string{"share", "-db", db, "-supplier", "China", "-recipient", "Pakistan", "-from", c.from, "-to", c.to, "-json"}, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var got dashboard.Shares
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
		if p := got.RecipientShareOfSupplierExports; p == nil || math.Abs(*p-c.want) > 1e-4 {
			t.Errorf("%s–%s: Pakistan's share of China's exports %v, want %v", c.from, c.to, p, c.want)
		}
		if got.Dataset.Name != filepath.Base(listing) || got.Dataset.Vintage != "2026-02-12" {
			t.Errorf("dataset %+v", got.Dataset)
		}
	}
	// As text, with the share of each total resting on SIPRI's estimates:
	// 3710.08 of 5284.58, 4050.18 of 6512.63 and 5830.74 of 8385.45
	// million TIV (sums of the raw listing with pandas).
	var out bytes.Buffer
	if err := run(ctx, []string{"share", "-db", db, "-supplier", "China", "-recipient", "Pakistan", "-from", "2020", "-to", "2024"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if w := "Resting on SIPRI's estimates of numbers delivered or delivery years: 70% of the TIV from China to Pakistan, 62% of Pakistan's imports and 70% of China's exports."; !strings.Contains(out.String(), w) {
		t.Errorf("output lacks %q:\n%s", w, out.String())
	}
}

// TestShareErrors checks that bad flags are errors naming the flag.
func TestShareErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "absent.db")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"bad year", []string{"-supplier", "China", "-recipient", "Pakistan", "-from", "20x7", "-to", "2021"}, "-from: “20x7” is not a year"},
		{"reversed", []string{"-supplier", "China", "-recipient", "Pakistan", "-from", "2021", "-to", "2017"}, "-from: 2021 is after to (2017)"},
		{"outside", []string{"-supplier", "China", "-recipient", "Pakistan", "-from", "1990", "-to", "2017"}, "-from: 1990 is outside"},
		{"missing to", []string{"-supplier", "China", "-recipient", "Pakistan", "-from", "2017"}, "-to: missing"},
		{"missing supplier", []string{"-recipient", "Pakistan", "-from", "2017", "-to", "2021"}, "-supplier: missing"},
		{"unknown recipient", []string{"-supplier", "China", "-recipient", "Atlantis", "-from", "2017", "-to", "2021"}, "-recipient: no data for “Atlantis”"},
		{"unknown dataset", []string{"-supplier", "China", "-recipient", "Pakistan", "-from", "2017", "-to", "2021", "-dataset", "nope"}, "-dataset: no dataset “nope” with yearly arms transfers is loaded"},
		{"stray argument", []string{"-supplier", "China", "extra"}, "unexpected argument"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"share", "-db", db}, c.args...), &out, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q on error", out.String())
			}
		})
	}
}

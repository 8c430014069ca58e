package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// testImportedAt stamps an import with a time of a zone other than UTC
// and finer than the engine keeps: Entry.ImportedAt reads back in UTC,
// truncated to Engine.TimeResolution.
func testImportedAt(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("X", 3600))
	e.SetNow(s, func() time.Time { return at })
	if _, err := s.Import(ctx, SampleFile("a.csv")); err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(ctx)
	if err != nil || len(es) != 1 {
		t.Fatalf("Entries = %v, %v; want the one imported", es, err)
	}
	if want := at.UTC().Truncate(e.TimeResolution); !es[0].ImportedAt.Equal(want) || es[0].ImportedAt.Location() != time.UTC {
		t.Errorf("ImportedAt = %v; want %v", es[0].ImportedAt, want)
	}
}

// testRemoveCascades checks that removing a dataset leaves none of its
// rows behind, in any table, and the other dataset's rows in place.
func testRemoveCascades(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	for _, f := range []*data.File{BigFile("a.csv", 10), SampleFile("b.csv")} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Remove(ctx, "b.csv"); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"deliveries": 10, "events": 1, "packed": 2}
	for _, tbl := range rowtable.Names {
		if n := e.Rows(t, s, tbl); n != want[tbl] {
			t.Errorf("%s holds %d rows after removing b.csv; want %d", tbl, n, want[tbl])
		}
	}
}

// testDetailsMigration takes a store back to what the fourth migration
// makes of an older one (no packed records) and opens it again: opening packs the details of
// the listings stored before, as an import does.
func testDetailsMigration(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	for _, f := range []*data.File{BigFile("a.csv", 300), SampleFile("b.csv")} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// What the fourth migration leaves of a store made before it: an
	// empty table of packed records.
	e.Exec(t, s, "DELETE FROM packed")
	s2 := e.Reopen(t, s)
	if n := e.Rows(t, s2, "packed"); n != 4 {
		t.Fatalf("%d packed records after opening; want 4, two per listing", n)
	}
	e.Exec(t, s2, "DELETE FROM packed WHERE dataset_id IN (SELECT id FROM datasets WHERE name = 'a.csv')")
	// Not packed: summed from the deliveries.
	unpacked, err := s2.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.Reopen(t, s2).Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, snap := range []*data.Snapshot{unpacked, after} {
		if len(snap.FlowSets) != len(before.FlowSets) {
			t.Fatalf("%d flow sets; want %d", len(snap.FlowSets), len(before.FlowSets))
		}
		n := 0
		for i, fs := range snap.FlowSets {
			want := before.FlowSets[i]
			if len(fs.AllDetails()) != len(want.AllDetails()) || len(fs.Flows) != len(want.Flows) {
				t.Fatalf("%s: %d details, %d flows; want %d, %d", fs.Dataset.Name, len(fs.AllDetails()), len(fs.Flows), len(want.AllDetails()), len(want.Flows))
			}
			for j, d := range fs.AllDetails() {
				w := want.AllDetails()[j]
				// Summed in SQL rather than in Go: equal up to rounding.
				if math.Abs(d.TIV-w.TIV) > 1e-9 || math.Abs(d.EstimatedTIV-w.EstimatedTIV) > 1e-9 {
					t.Fatalf("%s: detail %d = %+v; want %+v", fs.Dataset.Name, j, d, w)
				}
				d.TIV, d.EstimatedTIV = w.TIV, w.EstimatedTIV
				if d != w {
					t.Fatalf("%s: detail %d = %+v; want %+v", fs.Dataset.Name, j, d, w)
				}
				n++
			}
		}
		if n < 30 {
			t.Fatalf("%d details; want the 30 of a.csv and more", n)
		}
	}
	if n := e.Rows(t, s2, "packed"); n != 4 {
		t.Errorf("%d packed records after opening again; want 4", n)
	}
}

// testVersionAcrossHandles opens two handles on one store, as two
// armsdash processes would: each sees the other's imports and removals in
// Version and Snapshot at once.
func testVersionAcrossHandles(t *testing.T, e Engine) {
	ctx := context.Background()
	a := e.Open(t)
	b := e.Reopen(t, a)
	va, _ := a.Version(ctx)
	if _, err := b.Import(ctx, BigFile("x.csv", 50)); err != nil {
		t.Fatal(err)
	}
	va2, err := a.Version(ctx)
	if err != nil || va2 == va {
		t.Errorf("version seen by a after b imported = %q (%v); want a change from %q", va2, err, va)
	}
	if vb, _ := b.Version(ctx); vb != va2 {
		t.Errorf("a and b disagree on the version: %q, %q", va2, vb)
	}
	if snap, err := a.Snapshot(ctx); err != nil || snap.Builtin || snap.Version != va2 {
		t.Errorf("a's snapshot after b imported: %v, builtin %v", err, snap != nil && snap.Builtin)
	}
	if err := a.Remove(ctx, "x.csv"); err != nil {
		t.Fatal(err)
	}
	if vb, _ := b.Version(ctx); vb != va {
		t.Errorf("b's version after a removed everything = %q; want the built-in %q", vb, va)
	}
}

// CheckMigrations fails t when an engine's migrations (migration i+1 is
// migrations[i]) differ from those shipped, given by their SHA-256s in
// hex: a migration that has shipped must never change, since a store that
// applied it does not apply it again. A change to rowtable's tables, from
// which the first migrations are made, needs a migration of its own. A
// new migration is reported with its SHA-256, to add once it ships.
func CheckMigrations(t *testing.T, migrations []string, shipped ...string) {
	t.Helper()
	for i, m := range migrations {
		sum := sha256.Sum256([]byte(m))
		got := hex.EncodeToString(sum[:])
		if i >= len(shipped) {
			t.Errorf("migration %d (sha256 %s) is new: once it ships, add its SHA-256 to those checked", i+1, got)
		} else if got != shipped[i] {
			t.Errorf("migration %d has shipped, yet it changed: sha256 %s, shipped %s", i+1, got, shipped[i])
		}
	}
	if len(migrations) < len(shipped) {
		t.Errorf("%d migrations; %d have shipped", len(migrations), len(shipped))
	}
}

// MustOpen opens the store name (a path, a DSN) with an engine's open
// function, failing t when it cannot, and closes the store when t ends.
func MustOpen[S data.Store](t testing.TB, open func(context.Context, string) (S, error), name string) S {
	t.Helper()
	s, err := open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

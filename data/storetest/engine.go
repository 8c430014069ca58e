package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
	want := map[string]int{"events": 1, "packed": 3}
	for _, tbl := range rowtable.Names {
		if n := e.Rows(t, s, tbl); n != want[tbl] {
			t.Errorf("%s holds %d rows after removing b.csv; want %d", tbl, n, want[tbl])
		}
	}
}

// testDetailsMigration takes a store back to what older versions left:
// the deliveries of its listings as rows, and no packed records (as the
// fourth migration left them) or some of them. Opening packs them as an
// import does and deletes the rows; until then, snapshots sum the
// deliveries, and reading back gives the same files.
func testDetailsMigration(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	files := []*data.File{BigFile("a.csv", 300), SampleFile("b.csv")}
	for _, f := range files {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.Exec(t, s, "DELETE FROM packed")
	for _, f := range files {
		e.Exec(t, s, deliveryRowsSQL(f.Dataset.Name, f.Deliveries, e.OrderColumn))
	}
	// Not packed: summed from the rows.
	unpacked, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s2 := e.Reopen(t, s)
	if n, rows := e.Rows(t, s2, "packed"), e.Rows(t, s2, "deliveries"); n != 6 || rows != 0 {
		t.Fatalf("%d packed records and %d rows of deliveries after opening; want 6, three per listing, and none", n, rows)
	}
	for _, f := range files {
		back, err := s2.File(ctx, f.Dataset.Name)
		if err != nil || !slices.Equal(back.Deliveries, f.Deliveries) {
			t.Fatalf("%s read back after packing: %d deliveries (%v); want the %d imported", f.Dataset.Name, len(back.Deliveries), err, len(f.Deliveries))
		}
	}
	e.Exec(t, s2, "DELETE FROM packed WHERE kind <> 'deliveries' AND dataset_id IN (SELECT id FROM datasets WHERE name = 'a.csv')")
	// Details and flows not packed: summed from the packed deliveries.
	fromRecord, err := s2.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.Reopen(t, s2).Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, snap := range []*data.Snapshot{unpacked, fromRecord, after} {
		if len(snap.FlowSets) != len(before.FlowSets) {
			t.Fatalf("%d flow sets; want %d", len(snap.FlowSets), len(before.FlowSets))
		}
		n := 0
		for i, fs := range snap.FlowSets {
			want := before.FlowSets[i]
			if !slices.Equal(fs.AllDetails(), want.AllDetails()) || !slices.Equal(fs.Flows, want.Flows) {
				t.Fatalf("%s: details %v, flows %v; want %v, %v", fs.Dataset.Name, fs.AllDetails(), fs.Flows, want.AllDetails(), want.Flows)
			}
			n += len(fs.AllDetails())
		}
		if n < 30 {
			t.Fatalf("%d details; want the 30 of a.csv and more", n)
		}
	}
	if n := e.Rows(t, s2, "packed"); n != 6 {
		t.Errorf("%d packed records after opening again; want 6", n)
	}
}

// deliveryRowsSQL is the INSERT that stores ds as rows of the deliveries
// table of the dataset called name, as versions before packed records
// stored them, numbering them in order (if not "") in column order.
func deliveryRowsSQL(name string, ds []data.Delivery, order string) string {
	var b strings.Builder
	cols := "dataset_id, "
	if order != "" {
		cols += order + ", "
	}
	b.WriteString("INSERT INTO deliveries (" + cols + rowtable.Deliveries.ColumnList() + ") VALUES ")
	for i := range ds {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "((SELECT id FROM datasets WHERE name = '%s')", name)
		if order != "" {
			fmt.Fprintf(&b, ", %d", i+1)
		}
		for _, v := range rowtable.Deliveries.Values(nil, &ds[i]) {
			switch v := v.(type) {
			case string:
				fmt.Fprintf(&b, ", '%s'", strings.ReplaceAll(v, "'", "''"))
			case float64:
				fmt.Fprintf(&b, ", %s", strconv.FormatFloat(v, 'g', -1, 64))
			default:
				fmt.Fprintf(&b, ", %v", v)
			}
		}
		b.WriteString(")")
	}
	return b.String()
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

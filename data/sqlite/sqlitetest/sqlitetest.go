// Package sqlitetest gives tests a fresh SQLite store of their own, in a
// temporary directory, and the files they import into it read as
// `armsdash import` reads them: with data.Read, named by their base name.
// Every helper fails the test on an error.
package sqlitetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite"
)

// Open opens a new, empty SQLite store in tb.TempDir(); it is closed when
// tb ends.
func Open(tb testing.TB) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "store.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// Imported opens a new store as Open does and imports the files at paths
// into it, in order, as Import does.
func Imported(tb testing.TB, paths ...string) *sqlite.Store {
	tb.Helper()
	st := Open(tb)
	Import(tb, st, paths...)
	return st
}

// Import reads each file at paths with ReadFile and imports it into st,
// in order.
func Import(tb testing.TB, st data.Store, paths ...string) {
	tb.Helper()
	for _, p := range paths {
		if _, err := st.Import(context.Background(), ReadFile(tb, p)); err != nil {
			tb.Fatalf("importing %s: %v", p, err)
		}
	}
}

// ReadFile reads the file at path with data.Read, named by its base name
// and with the default options.
func ReadFile(tb testing.TB, path string) *data.File {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := data.Read(filepath.Base(path), b, data.Options{})
	if err != nil {
		tb.Fatalf("reading %s: %v", path, err)
	}
	return f
}

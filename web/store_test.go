package web

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite"
)

// importedStore imports the files at paths (relative to this package),
// in order, each named by its base name, into a new SQLite store that is
// closed when the test ends.
func importedStore(t testing.TB, paths ...string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := data.Read(filepath.Base(p), b, data.Options{})
		if err != nil {
			t.Fatalf("reading %s: %v", p, err)
		}
		if _, err := st.Import(ctx, f); err != nil {
			t.Fatalf("importing %s: %v", p, err)
		}
	}
	return st
}

// importedServer serves the snapshot of importedStore(t, paths...), with
// the store (read-only: no admin token).
func importedServer(t testing.TB, paths ...string) *Server {
	t.Helper()
	return serveStore(t, importedStore(t, paths...))
}

// serveStore serves the snapshot of st, with st as its store (read-only:
// no admin token).
func serveStore(t testing.TB, st data.Store) *Server {
	t.Helper()
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{Snapshot: snap, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

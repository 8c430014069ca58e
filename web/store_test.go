package web

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
)

// importedServer serves a new SQLite store into which the files at paths
// (relative to this package) are imported, in order, each named by its
// base name (sqlitetest.Imported), with the store (read-only: no admin
// token).
func importedServer(t testing.TB, paths ...string) *Server {
	t.Helper()
	return serveStore(t, sqlitetest.Imported(t, paths...))
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

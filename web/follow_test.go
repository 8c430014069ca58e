package web

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/data/storetest"
)

// TestFollowSeesOtherProcessesImports runs two servers on one store, as
// two instances share one database: an import made through the store by
// "another process" reaches the server that did not make it.
func TestFollowSeesOtherProcessesImports(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlite.Store {
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	mine, other := open(), open()
	s := serveStore(t, mine)
	before := s.Snapshot().Version
	if _, err := other.Import(ctx, storetest.SampleFile("elsewhere.csv")); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.Follow(fctx, 10*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for s.Snapshot().Version == before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	got := s.Snapshot()
	if got.Version == before || got.Builtin || len(got.Datasets) != 1 || got.Datasets[0].Name != "elsewhere.csv" {
		t.Fatalf("after another process's import the server shows version %s (was %s), %d datasets", got.Version, before, len(got.Datasets))
	}
}

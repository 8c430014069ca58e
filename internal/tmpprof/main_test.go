package prof

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/web"
)

func TestStart(t *testing.T) {
	ctx := context.Background()
	t0 := time.Now()
	s, err := sqlite.Open(ctx, "/tmp/perfm/new-1000000.db")
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t2 := time.Now()
	srv, err := web.NewServer(web.Config{Snapshot: snap, Store: s, AssetsDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t3 := time.Now()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dyad", nil))
	t4 := time.Now()
	t.Logf("open %v snapshot %v newserver %v dyad %v (%d)", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), rec.Code)
}

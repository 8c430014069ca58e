package storetest_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/gdeltgen"
	"github.com/armsdash/armsdash/data/postgres"
	"github.com/armsdash/armsdash/data/postgres/postgrestest"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/data/storetest"
	"github.com/armsdash/armsdash/web"
)

// BenchmarkGDELT compares the engines at GDELT scale on SYNTHETIC files
// from gdeltgen (never data): importing 1M-row exports (PostgreSQL with
// COPY, SQLite with batched INSERTs), then counting the events by year,
// sides and type with EventCounts (GROUP BY in the database). With
// ARMSDASH_BENCH_10M=1 it also imports ten such files (10M rows) one after
// another and counts those. Then it serves the events page, cold (a new
// data version each time, so no cache helps), over each store: the first
// page of all events and page 50 of one country's, which the store lists
// with Store.Events (LIMIT and OFFSET in SQL) because a snapshot keeps no
// rows at this size; the chart counts come from the snapshot. Report the
// PostgreSQL ns/op of each as a ratio to SQLite's. Reading the files
// (data.ReadGDELT) is not timed. The PostgreSQL cases skip without ARMSDASH_TEST_POSTGRES. Run:
//
//	go test ./data/storetest -run '^$' -bench GDELT -benchtime 1x -timeout 60m
//	go test ./data/storetest -run '^$' -bench 'GDELT/.*/.*/events-page' -benchtime 20x -timeout 60m
func BenchmarkGDELT(b *testing.B) {
	files := []int{1}
	if os.Getenv("ARMSDASH_BENCH_10M") == "1" {
		files = append(files, 10)
	}
	for _, nfiles := range files {
		b.Run(fmt.Sprintf("rows=%dM", nfiles), func(b *testing.B) {
			var parsed []*data.File
			rows := 0
			for i := range nfiles {
				var buf bytes.Buffer
				if err := gdeltgen.Write(&buf, 1_000_000, uint64(i+1)); err != nil {
					b.Fatal(err)
				}
				f, err := data.ReadGDELT(fmt.Sprintf("synthetic-%02d.export.CSV", i), buf.Bytes(), data.Options{})
				if err != nil {
					b.Fatal(err)
				}
				parsed = append(parsed, f)
				rows += len(f.Events)
			}
			engines := []struct {
				name string
				open func(b *testing.B) data.Store
			}{
				{"sqlite", func(b *testing.B) data.Store {
					s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
					if err != nil {
						b.Fatal(err)
					}
					return s
				}},
				{"postgres", func(b *testing.B) data.Store {
					s, err := postgres.Open(context.Background(), postgrestest.DSN(b))
					if err != nil {
						b.Fatal(err)
					}
					return s
				}},
			}
			for _, eng := range engines {
				b.Run("engine="+eng.name, func(b *testing.B) {
					ctx := context.Background()
					parent := b // stores live until the engine's benchmarks end
					var last data.Store
					b.Run("import", func(b *testing.B) {
						for b.Loop() {
							b.StopTimer()
							if last != nil {
								last.Close()
							}
							last = eng.open(parent)
							b.StartTimer()
							for _, f := range parsed {
								if _, err := last.Import(ctx, f); err != nil {
									b.Fatal(err)
								}
							}
						}
						b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
						b.ReportMetric(float64(rows), "events/op")
					})
					if last == nil { // -bench left the import out: import untimed
						last = eng.open(b)
						for _, f := range parsed {
							if _, err := last.Import(ctx, f); err != nil {
								b.Fatal(err)
							}
						}
					}
					defer last.Close()
					b.Run("eventcounts", func(b *testing.B) {
						groups := 0
						for b.Loop() {
							cs, err := last.EventCounts(ctx, 0, 0)
							if err != nil {
								b.Fatal(err)
							}
							groups = len(cs)
							var total int64
							for _, c := range cs {
								total += c.Count
							}
							if total != int64(rows) {
								b.Fatalf("counts add up to %d; want %d", total, rows)
							}
						}
						b.ReportMetric(float64(groups), "groups")
					})
					snap, srv := benchServer(b, last)
					for _, page := range []struct{ name, target, want string }{
						{"events-page/all", "/events", "events 1–100 of " + strconv.Itoa(rows)},
						{"events-page/country-page-50", "/events?country=Pakistan&page=50", "events 4901–5000 of "},
					} {
						b.Run(page.name, func(b *testing.B) {
							for b.Loop() {
								srv.SetSnapshot(freshVersion(snap)) // as after an import: the caches start empty
								rec := httptest.NewRecorder()
								srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.target, nil))
								if rec.Code != http.StatusOK || !strings.Contains(html.UnescapeString(rec.Body.String()), page.want) {
									b.Fatalf("%s: status %d, body without %q", page.target, rec.Code, page.want)
								}
							}
						})
					}
				})
			}
		})
	}
}

// benchServer returns the snapshot of s and a server of it, its log
// discarded.
func benchServer(b *testing.B, s data.Store) (*data.Snapshot, *web.Server) {
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.NewServer(web.Config{Snapshot: snap, Store: s, AssetsDir: b.TempDir(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return snap, srv
}

// BenchmarkSnapshot times Store.Snapshot, the read every data version
// costs each armsdash process, on each engine over stores of several
// sizes, made up in code (never data): rows=N holds a per-delivery-year
// listing of N deliveries (flows summed in SQL), a trade register of N
// deals and an events file of N/10 events (all loaded: fewer than
// data.SnapshotEventLimit). store=shared holds every real file armsdash
// reads, from ../shared/data, when present. Importing is not timed.
// Compare an engine or a change by the ratio of its ns/op to a baseline's
// on the same machine. The PostgreSQL cases skip without
// ARMSDASH_TEST_POSTGRES. Run:
//
//	go test ./data/storetest -run '^$' -bench Snapshot -benchtime 20x
func BenchmarkSnapshot(b *testing.B) {
	stores := []struct {
		name  string
		files func(b *testing.B) []*data.File
	}{
		{"rows=1000", func(*testing.B) []*data.File { return snapshotFiles(1000) }},
		{"rows=10000", func(*testing.B) []*data.File { return snapshotFiles(10000) }},
		{"rows=100000", func(*testing.B) []*data.File { return snapshotFiles(100000) }},
		{"store=shared", func(b *testing.B) []*data.File { return storetest.SharedFiles(b) }},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			files := st.files(b)
			for _, eng := range []string{"sqlite", "postgres"} {
				b.Run("engine="+eng, func(b *testing.B) {
					ctx := context.Background()
					s := openEngine(b, eng)
					defer s.Close()
					for _, f := range files {
						if _, err := s.Import(ctx, f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportAllocs()
					for b.Loop() {
						snap, err := s.Snapshot(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if len(snap.Datasets) != len(files) {
							b.Fatalf("snapshot holds %d datasets; want %d", len(snap.Datasets), len(files))
						}
					}
				})
			}
		})
	}
}

// openEngine opens a fresh store of the engine named sqlite or postgres.
func openEngine(b *testing.B, engine string) data.Store {
	ctx := context.Background()
	var s data.Store
	var err error
	switch engine {
	case "sqlite":
		s, err = sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	case "postgres":
		s, err = postgres.Open(ctx, postgrestest.DSN(b))
	}
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// snapshotFiles returns a listing of n deliveries, a register of n deals
// and n/10 events, made up.
func snapshotFiles(n int) []*data.File {
	listing := storetest.BigFile("listing.csv", n)
	reg := &data.File{Dataset: data.Dataset{Name: "register.csv", Format: data.FormatSIPRIRegister, SHA256: storetest.SHA("register"), Rows: n}}
	for i := range n {
		reg.Deals = append(reg.Deals, data.Deal{Supplier: "China", Recipient: fmt.Sprint("R", i%50), OrderYear: 1990 + i%30,
			Designation: fmt.Sprint("D", i), DeliveryYears: []int{1991 + i%30, 1993 + i%30}, HasTIV: true, TIVOrder: float64(i%7) / 4})
	}
	ev := &data.File{Dataset: data.Dataset{Name: "events.csv", Format: data.FormatEvents, SHA256: storetest.SHA("events"), Rows: n / 10}}
	for i := range n / 10 {
		ev.Events = append(ev.Events, data.Event{Date: fmt.Sprintf("%d-01-02", 1990+i%30), Precision: "day",
			SideA: "China", SideB: fmt.Sprint("R", i%50), Type: "visit", Source: "s"})
	}
	return []*data.File{listing, reg, ev}
}

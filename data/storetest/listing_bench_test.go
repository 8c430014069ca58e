package storetest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/listinggen"
	"github.com/armsdash/armsdash/data/storetest"
	"github.com/armsdash/armsdash/web"
)

// versions numbers the data versions the benchmarks make up, across every
// run of the process (-count), so that no run meets a response another
// cached.
var versions atomic.Int64

// freshVersion returns a copy of snap under a data version no request has
// seen, as after an import: the server's caches and indexes start empty.
func freshVersion(snap *data.Snapshot) *data.Snapshot {
	fresh := *snap
	fresh.Version = snap.Version + "-bench" + strconv.FormatInt(versions.Add(1), 10)
	return &fresh
}

// otherFlows returns snap under a new data version whose preferred flow
// set is another dataset (a new SHA-256, the same flows), as after an
// import of another listing: nothing derived from the flow set before
// serves it.
func otherFlows(snap *data.Snapshot) *data.Snapshot {
	fresh := freshVersion(snap)
	fresh.FlowSets = slices.Clone(fresh.FlowSets)
	sum := sha256.Sum256([]byte(fresh.Version))
	fresh.FlowSets[0].Dataset.SHA256 = hex.EncodeToString(sum[:])
	return fresh
}

// listingSizes are the sizes of the synthetic listings BenchmarkListing
// reads; 1M rows only with ARMSDASH_BENCH_1M=1.
func listingSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("ARMSDASH_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// syntheticListing returns a SYNTHETIC listing of n rows made by
// listinggen (seed 1) from the real per-delivery-year listing in
// ../shared/data, skipping b when that is absent.
func syntheticListing(b *testing.B, n int) []byte {
	b.Helper()
	src := storetest.SharedListing(b)
	var buf bytes.Buffer
	if err := listinggen.Write(&buf, src.Deliveries, n, 1); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// The share every benchmark asks for: China's share of Pakistan's imports
// and Pakistan's of China's exports, 2015–2024.
const (
	shareSupplier, shareRecipient = "China", "Pakistan"
	shareFrom, shareTo            = 2015, 2024
)

// csvShare is the baseline of a share: one encoding/csv pass over the
// listing's bytes that sums the TIV delivered in the period from supplier
// to recipient, to recipient and from supplier (what a pandas script
// does). The names are compared as the file spells them.
func csvShare(b []byte, supplier, recipient string, from, to int) (pair, imports, exports float64, err error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header := false
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return pair, imports, exports, nil
		}
		if err != nil {
			return 0, 0, 0, err
		}
		if !header {
			header = rec[0] == "SIPRI AT Database ID"
			continue
		}
		if len(rec) != 17 {
			continue
		}
		y, err := strconv.Atoi(rec[10])
		if err != nil || y < from || y > to {
			continue
		}
		s, rc := rec[1] == supplier, rec[2] == recipient
		if !s && !rc {
			continue
		}
		v, err := strconv.ParseFloat(rec[15], 64)
		if err != nil {
			continue
		}
		if s {
			exports += v
		}
		if rc {
			imports += v
		}
		if s && rc {
			pair += v
		}
	}
}

// storeShare answers the share from the store as `armsdash share` does:
// a snapshot, its dashboard, ParseShares and Shares.
func storeShare(ctx context.Context, s data.Store) (*dashboard.Shares, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	p := dashboard.ParamsFrom(map[string]string{"supplier": shareSupplier, "recipient": shareRecipient,
		"from": strconv.Itoa(shareFrom), "to": strconv.Itoa(shareTo)})
	fi, q, err := dashboard.New(snap).ParseShares(p)
	if err != nil {
		return nil, err
	}
	return fi.Shares(q), nil
}

// csvPass reads b with encoding/csv and nothing else: the least any
// import must do.
func csvPass(b []byte) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		if _, err := r.Read(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// BenchmarkListing measures armsdash on SYNTHETIC per-delivery-year
// listings (listinggen, resampled from the real listing in ../shared/data;
// never data) of 10k and 100k rows, and 1M with ARMSDASH_BENCH_1M=1, on
// each engine. Each case times its baseline in the same loop and reports
// the ratio (x-baseline: armsdash's time over the baseline's, lower is
// better; for the warm page, static-ratio: its throughput over the
// static file's, higher is better):
//
//   - import: data.Read and Store.Import into a fresh store, against one
//     encoding/csv pass over the same bytes;
//   - share: Store.Snapshot and the share as `armsdash share` computes it,
//     against an encoding/csv pass that sums the same share (what a
//     pandas script does); the two answers must agree;
//   - cold pages (/dyad, /country, /network) under a new data version
//     each time, so no response cache helps, each after a version that
//     served the page once (untimed): ms/page. cold-PAGE keeps the
//     snapshot's flow sets (the same slices), as a new version that
//     changed no flow set (an events or WDI import), whose dashboard
//     reuses what the last one derived from them (dashboard.Next);
//     cold-PAGE-reread reads the snapshot from the store again each time
//     (untimed), so its flows are equal but new slices, their details
//     not decoded yet; cold-PAGE-newflows reads it again and gives its
//     flow set another SHA-256, as after an import of another listing,
//     so nothing derived from the flow set before serves it (its
//     details are decoded, its indexes, network and editions built);
//   - warm-dyad: the cached dyad page against a static body of the same
//     size, requested alternately by 50 concurrent clients over loopback
//     HTTP, 4 times each per op.
//
// The PostgreSQL cases skip without ARMSDASH_TEST_POSTGRES. Run:
//
//	go test ./data/storetest -run '^$' -bench Listing -benchtime 3x -timeout 60m
func BenchmarkListing(b *testing.B) {
	for _, n := range listingSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			in := syntheticListing(b, n)
			for _, eng := range []string{"sqlite", "postgres"} {
				b.Run("engine="+eng, func(b *testing.B) { benchListing(b, eng, in) })
			}
		})
	}
}

func benchListing(b *testing.B, engine string, in []byte) {
	ctx := context.Background()
	parent := b
	var last data.Store
	importInto := func() {
		f, err := data.Read("synthetic-listing.csv", in, data.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := last.Import(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("import", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		var base time.Duration
		for b.Loop() {
			b.StopTimer()
			t0 := time.Now()
			if err := csvPass(in); err != nil {
				b.Fatal(err)
			}
			base += time.Since(t0)
			if last != nil {
				last.Close()
			}
			last = openEngine(parent, engine)
			b.StartTimer()
			importInto()
		}
		b.ReportMetric(float64(b.Elapsed())/float64(base), "x-baseline")
	})
	if last == nil { // -bench left the import out: import untimed
		last = openEngine(b, engine)
		importInto()
	}
	defer last.Close()

	b.Run("share", func(b *testing.B) {
		var base time.Duration
		for b.Loop() {
			b.StopTimer()
			t0 := time.Now()
			pair, imports, exports, err := csvShare(in, shareSupplier, shareRecipient, shareFrom, shareTo)
			if err != nil {
				b.Fatal(err)
			}
			base += time.Since(t0)
			b.StartTimer()
			res, err := storeShare(ctx, last)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if !near(res.TIV.SupplierToRecipient, pair) || res.TIV.RecipientImportsTotal == nil || !near(*res.TIV.RecipientImportsTotal, imports) ||
				res.TIV.SupplierExportsTotal == nil || !near(*res.TIV.SupplierExportsTotal, exports) {
				b.Fatalf("store's TIV %+v; the CSV pass sums %g, %g, %g", res.TIV, pair, imports, exports)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed())/float64(base), "x-baseline")
	})

	snap, srv := benchServer(b, last)
	reread := func(b *testing.B) *data.Snapshot {
		s, err := last.Snapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	for _, page := range []struct{ name, target string }{
		{"cold-dyad", "/dyad?supplier=China&recipient=Pakistan"},
		{"cold-country", "/country?name=Pakistan"},
		{"cold-network", "/network"},
	} {
		for _, v := range []struct {
			name string
			next func(b *testing.B) *data.Snapshot
		}{
			{"", func(*testing.B) *data.Snapshot { return freshVersion(snap) }},
			{"-reread", func(b *testing.B) *data.Snapshot { return freshVersion(reread(b)) }},
			{"-newflows", func(b *testing.B) *data.Snapshot { return otherFlows(reread(b)) }},
		} {
			b.Run(page.name+v.name, func(b *testing.B) {
				serve := func() {
					rec := httptest.NewRecorder()
					srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.target, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: status %d", page.target, rec.Code)
					}
				}
				srv.SetSnapshot(v.next(b))
				serve() // the version before, which served the page once (b.Loop starts timing)
				for b.Loop() {
					b.StopTimer()
					srv.SetSnapshot(v.next(b))
					b.StartTimer()
					serve()
				}
				b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/page")
			})
		}
	}
	b.Run("warm-dyad", func(b *testing.B) { benchWarm(b, srv, "/dyad?supplier=China&recipient=Pakistan") })
}

// benchWarm serves target from srv and, as its baseline, a static body of
// the same size from the same listener, and has 50 clients request them
// alternately; it reports the page's throughput as a share of the static
// body's (the ratio of their total request times).
func benchWarm(b *testing.B, srv *web.Server, target string) {
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d", target, rec.Code)
	}
	static := bytes.Repeat([]byte("x"), rec.Body.Len())
	mux := http.NewServeMux()
	mux.HandleFunc("/bench/static", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(static)
	})
	mux.Handle("/", srv.Handler())
	hs := httptest.NewServer(mux)
	defer hs.Close()
	const clients = 50
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, DisableCompression: true}}
	defer client.CloseIdleConnections()
	get := func(url string) time.Duration {
		t0 := time.Now()
		res, err := client.Get(url)
		if err != nil {
			b.Error(err)
			return 0
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Errorf("%s: status %d", url, res.StatusCode)
		}
		return time.Since(t0)
	}
	var mu sync.Mutex
	var page, base time.Duration
	for b.Loop() { // each time, every client asks for the page and the body 4 times
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var p, s time.Duration
				for range 4 {
					p += get(hs.URL + target)
					s += get(hs.URL + "/bench/static")
				}
				mu.Lock()
				page, base = page+p, base+s
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(base)/float64(page), "static-ratio")
}

// near reports whether a and b agree to 1e-9 of their size.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

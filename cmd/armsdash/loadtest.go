package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/web"
)

// staticPath is where the load test serves its baseline: a byte slice as
// large as the dyad page, from the same process and listener.
const staticPath = "/loadtest/static"

// loadResult is what one target of the load test measured.
type loadResult struct {
	Name, Path string
	Requests   int
	Errors     int
	Bytes      int64
	Elapsed    time.Duration
	P50, P99   time.Duration
}

// Throughput is requests per second.
func (r loadResult) Throughput() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// runLoadtest serves the dashboard in this process on a loopback address
// and measures it under load: c concurrent clients request the dyad page,
// its TIV CSV and PNG, and a static byte slice of the dyad page's size
// as the baseline. Each target runs for at most n requests and duration.
func runLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("loadtest", "[flags]",
		"Serves the dashboard in this process on 127.0.0.1 and measures throughput and latency\nof the dyad page, a CSV and a PNG against a static file of the dyad page's size.", stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to serve on while testing (port 0: any free port)")
	dbPath := fs.String("db", "", "SQLite store to serve (never created); empty: the built-in dataset")
	n := fs.Int("n", 5000, "at most this many requests per target")
	c := fs.Int("c", 50, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "at most this long per target")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *n < 1 || *c < 1 || *c > 1000 || *duration <= 0 || *duration > 10*time.Minute {
		return errors.New("loadtest: give -n ≥ 1, -c from 1 to 1000 and -duration up to 10m")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", *addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: the load test only serves on a loopback address such as 127.0.0.1", *addr)
	}
	var snap *data.Snapshot
	if *dbPath == "" {
		snap, err = data.Builtin()
	} else {
		snap, err = loadSnapshot(ctx, *dbPath)
	}
	if err != nil {
		return err
	}
	srv, err := web.NewServer(web.Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: envOr("ARMSDASH_ASSETS_DIR", "node_modules")})
	if err != nil {
		return err
	}
	results, err := loadTest(ctx, srv, *addr, *n, *c, *duration)
	if err != nil {
		return err
	}
	builds, hits, entries, size := srv.CacheStats()
	printLoad(stdout, results, *c)
	fmt.Fprintf(stdout, "cache: %d responses computed, %d served from the cache; %d entries, %d KiB held\n", builds, hits, entries, size>>10)
	fmt.Fprintf(stdout, "peak memory: VmHWM %s, Go runtime peak %s (client and server share the process)\n", vmHWM(), peakGo.String())
	return nil
}

// peakGo is the largest total Go memory seen while the load test ran.
var peakGo bytesize

type bytesize struct{ v atomic.Uint64 }

func (b *bytesize) observe(v uint64) {
	for {
		old := b.v.Load()
		if v <= old || b.v.CompareAndSwap(old, v) {
			return
		}
	}
}

func (b *bytesize) String() string { return fmt.Sprintf("%.1f MiB", float64(b.v.Load())/(1<<20)) }

// loadTest serves srv (plus the static baseline) on addr and runs each
// target in turn; the static one first, so the others can be compared.
func loadTest(ctx context.Context, srv *web.Server, addr string, n, c int, duration time.Duration) ([]loadResult, error) {
	// The baseline's size is the dyad page's.
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dyad", nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("loadtest: /dyad answers %d; import SIPRI data first", rec.Code)
	}
	static := bytes.Repeat([]byte("x"), rec.Body.Len())
	mux := http.NewServeMux()
	mux.HandleFunc(staticPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(static)
	})
	mux.Handle("/", srv.Handler())

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	go hs.Serve(ln)
	defer hs.Close()

	stop := make(chan struct{})
	defer close(stop)
	go sampleMemory(stop)

	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: c, MaxIdleConnsPerHost: c, DisableCompression: true}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	var out []loadResult
	for _, t := range []struct{ name, path string }{
		{"static", staticPath},
		{"dyad page", "/dyad"},
		{"dyad CSV", "/dyad/tiv.csv"},
		{"dyad PNG", "/dyad/tiv.png"},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hammer(ctx, client, base+t.path, c, c, time.Minute) // warm up: connections and the cache
		r := hammer(ctx, client, base+t.path, n, c, duration)
		r.Name, r.Path = t.name, t.path
		out = append(out, r)
	}
	return out, nil
}

// hammer requests url with c clients until n requests were sent or
// duration passed, and measures them.
func hammer(ctx context.Context, client *http.Client, url string, n, c int, duration time.Duration) loadResult {
	var sent, errs atomic.Int64
	var bytesRead atomic.Int64
	lat := make([][]time.Duration, c)
	end := time.Now().Add(duration)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sent.Add(1) <= int64(n) && time.Now().Before(end) && ctx.Err() == nil {
				t0 := time.Now()
				res, err := client.Get(url)
				if err != nil {
					errs.Add(1)
					continue
				}
				k, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					errs.Add(1)
				}
				bytesRead.Add(k)
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	r := loadResult{Elapsed: time.Since(start), Errors: int(errs.Load()), Bytes: bytesRead.Load()}
	all := slices.Concat(lat...)
	slices.Sort(all)
	r.Requests = len(all)
	if len(all) > 0 {
		r.P50 = all[len(all)*50/100]
		r.P99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return r
}

// printLoad writes the results as a table, with ratios to the first
// (static) target.
func printLoad(w io.Writer, rs []loadResult, c int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "target\trequests\terrors\tKiB/resp\treq/s\tp50\tp99\treq/s ÷ static\tp50 ÷ static\tp99 ÷ static\t\n")
	st := rs[0]
	for _, r := range rs {
		kib := 0.0
		if r.Requests > 0 {
			kib = float64(r.Bytes) / float64(r.Requests) / 1024
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.0f\t%s\t%s\t%.2f\t%.2f\t%.2f\t\n", r.Name, r.Requests, r.Errors, kib, r.Throughput(),
			r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond),
			r.Throughput()/st.Throughput(), float64(r.P50)/float64(st.P50), float64(r.P99)/float64(st.P99))
	}
	fmt.Fprintf(w, "load test: %d concurrent clients, server and clients in this process on loopback\n", c)
	tw.Flush()
}

// sampleMemory records the Go runtime's total memory every 20 ms until
// stop is closed.
func sampleMemory(stop <-chan struct{}) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			peakGo.observe(s[0].Value.Uint64())
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// vmHWM returns the process's peak resident set size from
// /proc/self/status, or "n/a" where there is none.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "n/a"
}

package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// BenchmarkLoad requests the dyad page, its CSV and PNG, and a static
// byte slice of the dyad page's size, from a real listener on 127.0.0.1
// with about 50 concurrent clients. Compare the static case's ns/op with
// the others: once the cache is warm the dyad page should reach at least
// half the static file's throughput. `armsdash loadtest` measures the same
// with percentiles and peak memory.
func BenchmarkLoad(b *testing.B) {
	snap, err := data.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dyad?"+dyadQ, nil))
	static := bytes.Repeat([]byte("x"), rec.Body.Len())
	mux := http.NewServeMux()
	mux.HandleFunc("/static-baseline", func(w http.ResponseWriter, r *http.Request) { w.Write(static) })
	mux.Handle("/", s.Handler())
	ts := httptest.NewServer(mux)
	defer ts.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	for _, bc := range []struct{ name, path string }{
		{"static", "/static-baseline"},
		{"dyad", "/dyad?" + dyadQ},
		{"csv", "/dyad/tiv.csv?" + dyadQ},
		{"png", "/dyad/tiv.png?" + dyadQ},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetParallelism(max(1, 50/max(1, testingProcs())))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					res, err := client.Get(ts.URL + bc.path)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						b.Errorf("%s: status %d", bc.path, res.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

func testingProcs() int { return runtime.GOMAXPROCS(0) }

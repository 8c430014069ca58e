package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memoryPeak samples the process's memory every millisecond until stop:
// the resident set (VmRSS of /proc/self/status, where there is one) and
// the Go heap's live and unswept objects.
type memoryPeak struct {
	rss, heap atomic.Uint64
	done      chan struct{}
	wg        sync.WaitGroup
}

func watchMemory() *memoryPeak {
	m := &memoryPeak{done: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 {
				m.heap.Store(max(m.heap.Load(), s[0].Value.Uint64()))
			}
			m.rss.Store(max(m.rss.Load(), vmRSS()))
			select {
			case <-m.done:
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

// stop ends the sampling and returns the peaks in bytes.
func (m *memoryPeak) stop() (rss, heap uint64) {
	close(m.done)
	m.wg.Wait()
	return m.rss.Load(), m.heap.Load()
}

// vmRSS returns the process's resident set size from /proc/self/status,
// or 0 where there is none.
func vmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// TestRenderStormMemory is the render storm of the attack suite, scaled
// to a test: 60 clients at once ask a real server on 127.0.0.1 for
// 2000×2000 PNGs, each a different canonical query so that none is
// served from the cache. Renders beyond the server's few slots must wait
// briefly and then be answered 503 with Retry-After, so the server's
// memory stays under 800 MB (peak Go heap, and growth of the resident
// set where there is /proc); without a limit the 60 renders run at once
// and take well over a gigabyte.
func TestRenderStormMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("the render storm draws up to 60 images of 2000×2000 pixels")
	}
	const (
		clients = 60
		limit   = 800 << 20
	)
	s := newTestServer(t, nil, t.TempDir(), nil)
	addr := serveLoopback(t, s.Handler(), 0)
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Minute}

	// 30 periods, each as a bar and as a line chart: 60 canonical queries.
	urls := make([]string, clients)
	for i := range urls {
		chart := "bar"
		if i >= 30 {
			chart = "line"
		}
		urls[i] = fmt.Sprintf("http://%s/dyad/tiv.png?supplier=China&recipient=Pakistan&from=%d&to=2024&chart=%s&w=2000&h=2000", addr, 1995+i%30, chart)
	}

	runtime.GC()
	debug.FreeOSMemory()
	before := vmRSS()
	builds := s.cacheStats().Builds
	mem := watchMemory()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		codes = map[int]int{}
		errs  []string
	)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
			res, err := client.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err.Error())
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			codes[res.StatusCode]++
			switch {
			case res.StatusCode == http.StatusOK && !bytes.HasPrefix(body, []byte("\x89PNG")):
				errs = append(errs, u+": 200 without a PNG")
			case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "":
				errs = append(errs, u+": 503 without Retry-After")
			case res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable:
				errs = append(errs, fmt.Sprintf("%s: status %d", u, res.StatusCode))
			}
		}()
	}
	close(start)
	wg.Wait()
	rss, heap := mem.stop()
	t.Logf("render storm: %d clients, statuses %v, %d cache misses; resident %d MB before, peak %d MB; peak heap objects %d MB",
		clients, codes, s.cacheStats().Builds-builds, before>>20, rss>>20, heap>>20)
	for _, e := range errs {
		t.Error(e)
	}
	if codes[http.StatusOK] == 0 {
		t.Error("no PNG was served: the limit must queue renders, not refuse them all")
	}
	// The Go heap holds what the server allocates (the clients' part is
	// small); the resident set's growth also counts what the runtime
	// keeps mapped. Its level before the storm depends on the tests run
	// before (and on -race), so only the growth is bounded.
	if heap > limit || rss-min(rss, before) > limit {
		t.Errorf("under %d clients asking for 2000×2000 PNGs: peak heap objects %d MB, resident set %d MB → %d MB; want under %d MB of heap and of growth",
			clients, heap>>20, before>>20, rss>>20, limit>>20)
	}
}

// TestRenderSlots fills the one render slot of a server and checks that
// a chart image or ZIP not yet made waits, then gets 503 with Retry-After,
// while what needs no slot (a cached image, a page, a CSV) is served;
// once the slot is free the image is drawn.
func TestRenderSlots(t *testing.T) {
	snap := newTestServer(t, nil, "", nil).Snapshot()
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: t.TempDir(),
		MaxRenders: 1, RenderWait: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	cached := "/dyad/tiv.png?" + dyadQ
	if res, _ := get(t, h, cached); res.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", cached, res.StatusCode)
	}
	s.renders.sem <- struct{}{} // a render in progress
	for _, target := range []string{"/dyad/tiv.png?" + dyadQ + "&w=640", "/dyad/shares.svg?" + dyadQ, "/dyad/tiv.zip?" + dyadQ} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "1" || !strings.Contains(text(body), "try again") {
			t.Errorf("%s with every slot taken: status %d, Retry-After %q; want 503, 1 and a page saying to try again",
				target, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	for _, target := range []string{cached, "/dyad?" + dyadQ, "/dyad/tiv.csv?" + dyadQ, "/dyad/tiv.json?" + dyadQ} {
		if res, _ := get(t, h, target); res.StatusCode != http.StatusOK {
			t.Errorf("%s with every slot taken: status %d; want 200 (it needs no slot)", target, res.StatusCode)
		}
	}
	<-s.renders.sem
	if res, body := get(t, h, "/dyad/tiv.png?"+dyadQ+"&w=640"); res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\x89PNG") {
		t.Errorf("with the slot free: status %d", res.StatusCode)
	}
}

// TestImageCacheKeysCanonicalQuery checks that the image and ZIP forms,
// the renders the slots bound, reach one cache entry for one view: other
// parameter orders, spellings and explicit defaults render nothing new,
// and a junk parameter is refused (400) before anything is drawn.
func TestImageCacheKeysCanonicalQuery(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	h := s.Handler()
	for _, form := range []string{"png", "svg", "zip"} {
		base, size, defaults := "/dyad/tiv."+form+"?", "&w=1200", "&h=540"
		if form == "zip" { // a ZIP has no size
			size, defaults = "", ""
		}
		get(t, h, base+dyadQ+size)
		builds := s.cacheStats().Builds
		for _, q := range []string{
			"to=2024&from=1995&recipient=Pakistan&supplier=China" + size,
			"supplier=china&recipient=PAKISTAN&from=1995&to=2024&scale=linear&chart=bar&markers=on&measure=tiv" + size + defaults,
		} {
			if res, _ := get(t, h, base+q); res.StatusCode != http.StatusOK {
				t.Errorf("%s%s: status %d", base, q, res.StatusCode)
			}
		}
		for _, q := range []string{dyadQ + size + "&junk=1", dyadQ + size + "&x=" + strings.Repeat("y", 100)} {
			if res, _ := get(t, h, base+q); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s%s: status %d, want 400", base, q, res.StatusCode)
			}
		}
		if st := s.cacheStats(); st.Builds != builds {
			t.Errorf("%s: %d renders for queries of one view; want 0", form, st.Builds-builds)
		}
	}
}

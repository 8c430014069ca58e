package web

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// do sends a GET for target with the given headers.
func do(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCacheRevalidation(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	h := s.Handler()
	for _, target := range []string{"/dyad", "/dyad/tiv.csv?" + dyadQ, "/events", "/api/v1/shares?supplier=China&recipient=Pakistan&from=2020&to=2024", "/dyad/tiv.svg"} {
		t.Run(target, func(t *testing.T) {
			first := do(h, target)
			tag := first.Header().Get("ETag")
			if first.Code != http.StatusOK || !strings.HasPrefix(tag, `"`) || strings.HasPrefix(tag, "W/") {
				t.Fatalf("status %d, ETag %q; want 200 with a strong ETag", first.Code, tag)
			}
			// Pages revalidate every time; downloads may set a max-age.
			if cc := first.Header().Get("Cache-Control"); cc == "" || strings.HasPrefix(first.Header().Get("Content-Type"), "text/html") && cc != "no-cache" {
				t.Errorf("Cache-Control %q; want no-cache for pages, set for every response", cc)
			}
			again := do(h, target, "If-None-Match", tag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != tag {
				t.Errorf("revalidation: status %d, %d body bytes, ETag %q; want 304, empty, %s", again.Code, again.Body.Len(), again.Header().Get("ETag"), tag)
			}
			if c := do(h, target, "If-None-Match", `"other", `+tag).Code; c != http.StatusNotModified {
				t.Errorf("If-None-Match list holding the tag: status %d, want 304", c)
			}
			if c := do(h, target, "If-None-Match", `"other"`).Code; c != http.StatusOK {
				t.Errorf("If-None-Match of another tag: status %d, want 200", c)
			}
		})
	}
}

func TestCacheHitAvoidsRecomputation(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	h := s.Handler()
	first := do(h, "/dyad?supplier=China&recipient=Pakistan&from=2000&to=2020")
	builds := s.cacheStats().Builds
	second := do(h, "/dyad?to=2020&from=2000&recipient=Pakistan&supplier=China") // same query, reordered
	st := s.cacheStats()
	if st.Builds != builds || st.Hits != 1 {
		t.Fatalf("after a repeat: %d builds (want %d), %d hits (want 1)", st.Builds, builds, st.Hits)
	}
	if second.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Error("the reordered query has another ETag")
	}
	// The page carries no per-request value: the cached bytes are the
	// computed ones, and the CSP is the same for every request.
	if first.Body.String() != second.Body.String() {
		t.Error("the cached page differs from the computed one")
	}
	if c1, c2 := first.Header().Get("Content-Security-Policy"), second.Header().Get("Content-Security-Policy"); c1 == "" || c1 != c2 || strings.Contains(c1, "nonce") || !strings.Contains(c1, "script-src 'self'; ") {
		t.Errorf("CSPs %q and %q; want one, with no nonce", c1, c2)
	}
	if second.Header().Get("X-Request-Id") == first.Header().Get("X-Request-Id") {
		t.Error("the cached response repeats the first one's request id")
	}

	// Errors are neither cached nor tagged; admin pages are not stored.
	for i := 0; i < 2; i++ {
		rec := do(h, "/dyad/tiv.csv?supplier=Atlantis")
		if rec.Code != http.StatusBadRequest || rec.Header().Get("ETag") != "" {
			t.Errorf("unknown country: status %d, ETag %q; want 400 without an ETag", rec.Code, rec.Header().Get("ETag"))
		}
	}
	if st := s.cacheStats(); st.Hits != 1 {
		t.Errorf("an error page was served from the cache (%d hits)", st.Hits)
	}
	for _, p := range []string{"/upload", "/datasets"} {
		rec := do(h, p)
		if rec.Header().Get("ETag") != "" || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: ETag %q, Cache-Control %q; want none and no-store (it holds a CSRF token)", p, rec.Header().Get("ETag"), rec.Header().Get("Cache-Control"))
		}
	}
}

// TestCacheFollowsImports imports a file after the first requests: the
// ETag changes, the old one no longer gives a 304, and the response is
// computed afresh from the new data.
func TestCacheFollowsImports(t *testing.T) {
	st := sqlitetest.Imported(t, shareddata.Path(t, "sipri_deliveries_by_year/excerpt.csv"))
	s := serveStore(t, st)
	h := s.Handler()
	const target = "/dyad/events.csv?supplier=China&recipient=Pakistan&from=2006&to=2024"
	before := do(h, target)
	tag := before.Header().Get("ETag")

	sqlitetest.Import(t, st, "../data/builtin/events.csv")
	snap2, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.SetSnapshot(snap2)
	builds := s.cacheStats().Builds
	after := do(h, target, "If-None-Match", tag)
	if after.Code != http.StatusOK || after.Header().Get("ETag") == tag || after.Header().Get("ETag") == "" {
		t.Fatalf("after an import: status %d, ETag %q (was %q); want 200 with a new ETag", after.Code, after.Header().Get("ETag"), tag)
	}
	if s.cacheStats().Builds != builds+1 {
		t.Error("the response after the import was not computed afresh")
	}
	if after.Body.String() == before.Body.String() {
		t.Error("the events CSV did not change after importing events")
	}
}

// TestCacheKeepsHandlerCacheControl checks that a handler's own
// Cache-Control (a pinned image's long max-age) survives, also on a hit.
func TestCacheKeepsHandlerCacheControl(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	r := gin.New()
	r.Use(s.logRequests)
	r.GET("/pinned", route(s, routeOpts{policy: asFile}, parseNone, func(*rq, noQuery) (*response, error) {
		resp := &response{ctype: "image/png", body: []byte("png")}
		resp.setCacheControl("public, max-age=31536000, immutable")
		return resp, nil
	}))
	for i := 0; i < 2; i++ {
		rec := do(r, "/pinned")
		if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" || rec.Body.String() != "png" {
			t.Errorf("request %d: Cache-Control %q, body %q", i, cc, rec.Body.String())
		}
	}
	if st := s.cacheStats(); st.Builds != 1 || st.Hits != 1 {
		t.Errorf("%d builds, %d hits; want 1 and 1", st.Builds, st.Hits)
	}
}

func TestResponseCacheBounds(t *testing.T) {
	rc := newResponseCache()
	entry := func(key string, body []byte) *cachedResponse {
		return newCachedResponse(key, &response{ctype: "text/plain", body: body})
	}
	big := make([]byte, 1<<20)
	for i := 0; i < maxCacheEntries+100; i++ {
		rc.put("v1", true, entry(string(rune('a'+i%26))+strings.Repeat("k", i%7)+string(rune(i)), []byte("x")))
	}
	if n, _ := rc.len(); n > maxCacheEntries {
		t.Errorf("%d entries held, bound %d", n, maxCacheEntries)
	}
	for i := 0; i < 100; i++ {
		rc.put("v1", true, entry("big"+string(rune(i)), big))
	}
	if _, b := rc.len(); b > maxCacheBytes {
		t.Errorf("%d bytes held, bound %d", b, maxCacheBytes)
	}
	if _, ok := rc.get("v1", "big"+string(rune(99))); !ok {
		t.Error("the most recent entry was evicted")
	}
	if _, ok := rc.get("v1", "big"+string(rune(0))); ok {
		t.Error("the least recent entry was kept beyond the byte bound")
	}
	rc.put("v1", true, entry("huge", make([]byte, maxCacheEntry+1)))
	if _, ok := rc.get("v1", "huge"); ok {
		t.Error("an entry over maxCacheEntry was stored")
	}
	// A request that began before the data changed does not bring back
	// the old version; one of the new version empties the cache.
	rc.put("v2", true, entry("k", []byte("new")))
	rc.put("v1", false, entry("k", []byte("old")))
	if e, ok := rc.get("v2", "k"); !ok || string(e.body(nil)) != "new" {
		t.Error("a stale request replaced the current version's entry")
	}
	if n, _ := rc.len(); n != 1 {
		t.Errorf("%d entries after the version changed, want 1", n)
	}
}

// TestETagSharedByInstances checks that two servers running the same
// binary on the same data give a page the same ETag, as instances behind a
// load balancer must.
func TestETagSharedByInstances(t *testing.T) {
	a := newTestServer(t, nil, t.TempDir(), nil).Handler()
	b := newTestServer(t, nil, t.TempDir(), nil).Handler()
	tag := func(h http.Handler) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/dyad?"+dyadQ, nil))
		return rec.Header().Get("ETag")
	}
	if ta, tb := tag(a), tag(b); ta == "" || ta != tb {
		t.Errorf("ETags %q and %q; want one non-empty tag", ta, tb)
	}
}

// TestGzip checks compression of cached responses: CSV, JSON and SVG
// and pages (split at their notices)
// are gzip'd for clients that accept it, each representation with its
// own ETag and Vary: Accept-Encoding; PNG and ZIP are not.
func TestGzip(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, path := range []string{"/dyad/tiv.csv?" + dyadQ, "/dyad/tiv.json?" + dyadQ, "/dyad/tiv.svg?" + dyadQ, "/dyad/tiv.tidy.csv?" + dyadQ} {
		_, body := get(t, h, path)
		checkGzip(t, h, path, []byte(body))
	}
	for _, path := range []string{"/dyad/tiv.png?" + dyadQ, "/dyad/tiv.zip?" + dyadQ} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: status %d, Content-Encoding %q: already compressed", path, rec.Code, rec.Header().Get("Content-Encoding"))
		}
	}
	// A page: twice, so the second comes from the cache with its notices
	// filled in; the gzip'd body holds them. Without notices, the page is
	// compressed once and served the same.
	for i := 0; i < 2; i++ {
		req := httptest.NewRequest(http.MethodGet, "/dyad?"+dyadQ+"&junk=1", nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("Content-Encoding") != "gzip" || !strings.HasSuffix(rec.Header().Get("ETag"), `-gzip"`) || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("page: Content-Encoding %q, ETag %q, Vary %q", rec.Header().Get("Content-Encoding"), rec.Header().Get("ETag"), rec.Header().Get("Vary"))
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), "Parameter junk") {
			t.Errorf("request %d: the gzip'd page lacks its notice", i+1)
		}
	}
	_, plain := get(t, h, "/dyad?"+dyadQ)
	checkGzip(t, h, "/dyad?"+dyadQ, []byte(plain))
}

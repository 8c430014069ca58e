package web

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// Bounds of the response cache: at most this many responses and bytes are
// held, and a response larger than maxCacheEntry is never stored.
const (
	maxCacheEntries = 1024
	maxCacheBytes   = 64 << 20
	maxCacheEntry   = 4 << 20
)

// uncachedPaths are GET pages that hold a CSRF token or show the store
// itself: they are neither cached nor given an ETag, and carry
// Cache-Control: no-store.
var uncachedPaths = map[string]bool{"/upload": true, "/datasets": true, "/healthz": true}

// cachedResponse is one stored GET response: its status is always 200.
type cachedResponse struct {
	key    string
	header http.Header // what the handler set, minus per-request headers
	body   []byte
	// parts is body split around the CSP nonce it was rendered with; a
	// hit joins them with the new request's nonce, so every response
	// still has its own. A body without a nonce is one part.
	parts [][]byte
}

func newCachedResponse(key string, header http.Header, body []byte, nonce string) *cachedResponse {
	e := &cachedResponse{key: key, header: header, body: body, parts: [][]byte{body}}
	if nonce != "" {
		e.parts = bytes.Split(body, []byte(nonce))
	}
	return e
}

// write sends the body with nonce in place of the one it was rendered with.
func (e *cachedResponse) write(w http.ResponseWriter, nonce string) {
	n := len(e.body)
	if len(e.parts) > 1 {
		n = 0
		for _, p := range e.parts {
			n += len(p)
		}
		n += (len(e.parts) - 1) * len(nonce)
	}
	w.Header().Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
	for i, p := range e.parts {
		if i > 0 {
			io.WriteString(w, nonce)
		}
		w.Write(p)
	}
}

func (e *cachedResponse) size() int { return len(e.key) + len(e.body) + 512 }

// responseCache is an LRU of GET responses of one snapshot version,
// bounded in entries and bytes. It is emptied when the version changes,
// so it never serves a response computed from other data. It is safe for
// concurrent use.
type responseCache struct {
	mu      sync.Mutex
	version string
	ll      *list.List // of *cachedResponse, most recent first
	byKey   map[string]*list.Element
	bytes   int

	// builds counts the responses computed (cache misses that ran the
	// handler); hits counts those served from the cache.
	builds, hits atomic.Int64
	// salt tells this build's ETags from another build's: a new binary
	// may render the same data differently. Processes running the same
	// binary share it, so instances behind a load balancer agree on ETags.
	salt string
}

func newResponseCache() *responseCache {
	return &responseCache{ll: list.New(), byKey: map[string]*list.Element{}, salt: buildSalt()}
}

// buildSalt identifies the running binary: the first 16 hex digits of the
// SHA-256 of its executable. When the executable cannot be read it falls
// back to a random value, which only costs clients a revalidation after a
// restart.
func buildSalt() string {
	buildSaltOnce.Do(func() {
		buildSaltValue = randomHex(8)
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return
		}
		buildSaltValue = hex.EncodeToString(h.Sum(nil))[:16]
	})
	return buildSaltValue
}

var (
	buildSaltOnce  sync.Once
	buildSaltValue string
)

// get returns the response stored under key for version.
func (rc *responseCache) get(version, key string) (*cachedResponse, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if version != rc.version {
		return nil, false
	}
	el, ok := rc.byKey[key]
	if !ok {
		return nil, false
	}
	rc.ll.MoveToFront(el)
	return el.Value.(*cachedResponse), true
}

// put stores e for version when current is true (the request's snapshot
// is the one the server shows), first emptying the cache if it holds
// another version. It evicts the least recently used responses to stay
// within the bounds.
func (rc *responseCache) put(version string, current bool, e *cachedResponse) {
	if e.size() > maxCacheEntry {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if version != rc.version {
		if !current {
			return // a request that started before the data changed
		}
		rc.version, rc.ll, rc.byKey, rc.bytes = version, list.New(), map[string]*list.Element{}, 0
	}
	if el, ok := rc.byKey[e.key]; ok {
		rc.bytes -= el.Value.(*cachedResponse).size()
		rc.ll.Remove(el)
	}
	rc.byKey[e.key] = rc.ll.PushFront(e)
	rc.bytes += e.size()
	for rc.ll.Len() > maxCacheEntries || rc.bytes > maxCacheBytes {
		el := rc.ll.Back()
		old := el.Value.(*cachedResponse)
		rc.ll.Remove(el)
		delete(rc.byKey, old.key)
		rc.bytes -= old.size()
	}
}

// len returns the number of responses held and their size in bytes.
func (rc *responseCache) len() (n, bytes int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.ll.Len(), rc.bytes
}

// cacheKey returns the key of a request for path with raw query: the
// path and the query in canonical form (parameters sorted, encoded the
// same way), so "?b=1&a=2" and "?a=2&b=1" share an entry. ok is false for
// a query that does not parse; such requests are not cached.
func cacheKey(path, rawQuery string) (key string, ok bool) {
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", false
	}
	return path + "?" + v.Encode(), true
}

// etag returns the strong validator of key under version: the same data
// and the same canonical URL give the same ETag, and any import or
// removal (a new snapshot version) changes it.
func (rc *responseCache) etag(version, key string) string {
	h := sha256.Sum256([]byte(rc.salt + "\x00" + version + "\x00" + key))
	return `"` + hex.EncodeToString(h[:12]) + `"`
}

// etagMatches reports whether an If-None-Match header value lists tag
// (weak comparison, as RFC 9110 asks for If-None-Match) or is "*".
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// headersNotCached are set afresh for every request.
var headersNotCached = []string{"X-Request-Id", "Content-Security-Policy", "Content-Length", "Date", "Etag", "Set-Cookie"}

// cacheResponses is the middleware that gives every GET and HEAD response
// an ETag from the snapshot version and the canonical URL, answers a
// matching If-None-Match with 304 Not Modified without running the
// handler, and serves repeated requests from s.cache. Responses other
// than 200 are neither cached nor given an ETag. Pages that set no
// Cache-Control get "no-cache" (always revalidate, which the ETag makes
// cheap); handlers that set their own (e.g. a long max-age) keep it.
//
// A 304 carries no Content-Security-Policy: the browser keeps the one it
// stored with the page, whose nonce matches the page's scripts.
func (s *Server) cacheResponses(c *gin.Context) {
	r := c.Request
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		c.Next()
		return
	}
	if uncachedPaths[r.URL.Path] {
		c.Header("Cache-Control", "no-store")
		c.Next()
		return
	}
	snap := s.snapshot(c)
	key, ok := cacheKey(r.URL.Path, r.URL.RawQuery)
	if !ok || snap.Version == "" {
		c.Next()
		return
	}
	tag := s.cache.etag(snap.Version, key)
	hit, found := s.cache.get(snap.Version, key)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, tag) {
		h := c.Writer.Header()
		h.Del("Content-Security-Policy")
		h.Set("ETag", tag)
		if found && hit.header.Get("Cache-Control") != "" {
			h.Set("Cache-Control", hit.header.Get("Cache-Control"))
		}
		c.AbortWithStatus(http.StatusNotModified)
		return
	}
	if found {
		s.cache.hits.Add(1)
		h := c.Writer.Header()
		for k, vs := range hit.header {
			h[k] = vs
		}
		h.Set("ETag", tag)
		hit.write(c.Writer, nonce(c))
		c.Abort()
		return
	}
	s.cache.builds.Add(1)
	w := &capture{ResponseWriter: c.Writer, tag: tag}
	c.Writer = w
	c.Next()
	c.Writer = w.ResponseWriter
	if w.status != http.StatusOK || w.overflow || w.buf.Len() == 0 {
		return
	}
	e := newCachedResponse(key, c.Writer.Header().Clone(), w.buf.Bytes(), nonce(c))
	for _, k := range headersNotCached {
		e.header.Del(k)
	}
	s.cache.put(snap.Version, s.snap.Load() == snap, e)
}

// capture passes a response through while keeping a copy of its body
// (up to maxCacheEntry bytes) for the cache, and sets the caching headers
// just before the status line goes out.
type capture struct {
	gin.ResponseWriter
	tag      string
	status   int
	buf      bytes.Buffer
	overflow bool
}

func (w *capture) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *capture) WriteHeaderNow() {
	w.headers()
	w.ResponseWriter.WriteHeaderNow()
}

// headers sets ETag and a default Cache-Control on a 200, once.
func (w *capture) headers() {
	if w.ResponseWriter.Written() {
		return
	}
	if w.status == 0 {
		w.status = w.ResponseWriter.Status()
	}
	h := w.ResponseWriter.Header()
	if w.status != http.StatusOK {
		h.Del("ETag")
		return
	}
	h.Set("ETag", w.tag)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
}

func (w *capture) keep(b []byte) {
	if w.overflow {
		return
	}
	if w.buf.Len()+len(b) > maxCacheEntry {
		w.overflow, w.buf = true, bytes.Buffer{}
		return
	}
	w.buf.Write(b)
}

func (w *capture) Write(b []byte) (int, error) {
	w.headers()
	w.keep(b)
	return w.ResponseWriter.Write(b)
}

func (w *capture) WriteString(s string) (int, error) {
	w.headers()
	w.keep([]byte(s))
	return w.ResponseWriter.WriteString(s)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *capture) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// cacheStats reports the cache's counters, for tests and the load test.
type cacheStats struct {
	Builds, Hits   int64
	Entries, Bytes int
}

func (s *Server) cacheStats() cacheStats {
	n, b := s.cache.len()
	return cacheStats{Builds: s.cache.builds.Load(), Hits: s.cache.hits.Load(), Entries: n, Bytes: b}
}

// CacheStats reports how many responses the server computed (Builds) and
// served from its cache (Hits), and what the cache holds.
func (s *Server) CacheStats() (builds, hits int64, entries, bytes int) {
	st := s.cacheStats()
	return st.Builds, st.Hits, st.Entries, st.Bytes
}

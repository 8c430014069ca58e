package web

import (
	"bytes"
	"cmp"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
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

// cachedResponse is one stored 200 response. A page's body is kept split
// at its noticesMarker, so that a hit can fill in the request's own
// notices; the page carries nothing else that differs between requests
// (no CSP nonce: its scripts are static files), so the body of a request
// without notices is the same bytes every time, compressed once.
type cachedResponse struct {
	key    string
	header http.Header // Content-Type and what the handler set
	// plain is the body with no notices; before and after are its halves
	// around the marker (after is nil when the body has none).
	plain, before, after []byte
	size                 int
	status               int // 0 is 200; only responses never cached set another (upload.go)
	// gz is the gzip'd plain body, made on the first request that accepts
	// gzip and kept for the next ones.
	gzOnce sync.Once
	gz     []byte
}

// gzipped returns the body with notices gzip'd: compressed once for the
// plain body, at each request that has notices.
func (e *cachedResponse) gzipped(notices []byte) []byte {
	if len(notices) > 0 && e.after != nil {
		return gzipBytes(e.body(notices))
	}
	e.gzOnce.Do(func() { e.gz = gzipBytes(e.plain) })
	return e.gz
}

// newCachedResponse stores r under key; a page's body is split at
// noticesMarker.
func newCachedResponse(key string, r *response) *cachedResponse {
	e := &cachedResponse{key: key, header: http.Header{}, size: len(key) + len(r.body) + 512}
	for k, vs := range r.header {
		e.header[k] = vs
	}
	e.header.Set("Content-Type", r.ctype)
	e.plain = r.body
	if !strings.HasPrefix(r.ctype, "text/html") {
		return e
	}
	if i := bytes.Index(r.body, []byte(noticesMarker)); i >= 0 {
		e.before, e.after = r.body[:i], r.body[i+len(noticesMarker):]
		e.plain = append(append(make([]byte, 0, len(r.body)-len(noticesMarker)), e.before...), e.after...)
	}
	return e
}

// body returns the response with notices in place of the marker.
func (e *cachedResponse) body(notices []byte) []byte {
	if len(notices) == 0 || e.after == nil {
		return e.plain
	}
	out := make([]byte, 0, len(e.before)+len(notices)+len(e.after))
	return append(append(append(out, e.before...), notices...), e.after...)
}

func (e *cachedResponse) sizeOf() int { return e.size }

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
	if e.sizeOf() > maxCacheEntry {
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
		rc.bytes -= el.Value.(*cachedResponse).sizeOf()
		rc.ll.Remove(el)
	}
	rc.byKey[e.key] = rc.ll.PushFront(e)
	rc.bytes += e.sizeOf()
	for rc.ll.Len() > maxCacheEntries || rc.bytes > maxCacheBytes {
		el := rc.ll.Back()
		old := el.Value.(*cachedResponse)
		rc.ll.Remove(el)
		delete(rc.byKey, old.key)
		rc.bytes -= old.sizeOf()
	}
}

// len returns the number of responses held and their size in bytes.
func (rc *responseCache) len() (n, bytes int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.ll.Len(), rc.bytes
}

// etag returns the strong validator of key under version with the
// request's notices: the same data, canonical query and notices give the
// same ETag, and any import or removal (a new snapshot version) changes
// it.
func (rc *responseCache) etag(version, key string, notices []byte) string {
	h := sha256.Sum256([]byte(rc.salt + "\x00" + version + "\x00" + key + "\x00" + string(notices)))
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

// compressible reports whether the response at path is sent gzip'd to
// clients that accept it: HTML, CSV, JSON and SVG are; PNG and ZIP are
// compressed already.
func compressible(path string) bool {
	return !strings.HasSuffix(path, ".png") && !strings.HasSuffix(path, ".zip")
}

// serve answers a GET or HEAD request whose canonical key is key: with
// 304 Not Modified when If-None-Match names its ETag, from the cache when
// it holds the response, else with the response produce builds, which is
// then stored. notices fill the page's noticesMarker. Errors go through
// writeError and are never cached. Responses that set no Cache-Control get
// "no-cache" (always revalidate, which the ETag makes cheap). A noStore
// response is neither cached nor given an ETag.
//
// A client that accepts gzip gets every compressible response gzip'd,
// with an ETag of its own (the identity ETag with "-gzip" inside the
// quotes); every response varies on Accept-Encoding.
func (s *Server) serve(c *gin.Context, key string, notices []byte, noStore bool, produce func() (*response, error)) {
	snap := s.snapshot(c)
	gz := compressible(c.Request.URL.Path) && acceptsGzip(c.Request)
	if noStore || snap.Version == "" {
		r, err := produce()
		if err != nil {
			s.writeError(c, err)
			return
		}
		e := newCachedResponse(key, r)
		if noStore {
			e.header.Set("Cache-Control", "no-store")
		}
		s.write(c, e, notices, "", gz)
		return
	}
	tag := s.cache.etag(snap.Version, key, notices)
	if gz {
		tag = gzipETag(tag)
	}
	hit, found := s.cache.get(snap.Version, key)
	if inm := c.Request.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, tag) {
		h := c.Writer.Header()
		h.Del("Content-Security-Policy")
		h.Set("ETag", tag)
		h.Set("Vary", "Accept-Encoding")
		if found && hit.header.Get("Cache-Control") != "" {
			h.Set("Cache-Control", hit.header.Get("Cache-Control"))
		}
		c.AbortWithStatus(http.StatusNotModified)
		return
	}
	if found {
		s.cache.hits.Add(1)
		s.write(c, hit, notices, tag, gz)
		return
	}
	s.cache.builds.Add(1)
	r, err := produce()
	if err != nil {
		s.writeError(c, err)
		return
	}
	e := newCachedResponse(key, r)
	s.cache.put(snap.Version, s.snap.Load() == snap, e)
	s.write(c, e, notices, tag, gz)
}

// write sends e with the request's notices, in one write,
// gzip'd when gz is true.
func (s *Server) write(c *gin.Context, e *cachedResponse, notices []byte, tag string, gz bool) {
	h := c.Writer.Header()
	for k, vs := range e.header {
		h[k] = vs
	}
	if tag != "" {
		h.Set("ETag", tag)
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("Vary", "Accept-Encoding")
	var body []byte
	if gz {
		body = e.gzipped(notices)
		h.Set("Content-Encoding", "gzip")
	} else {
		body = e.body(notices)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(cmp.Or(e.status, http.StatusOK))
	c.Writer.WriteHeaderNow()
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(body)
	}
	c.Abort()
}

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

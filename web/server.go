// Package web serves the armsdash dashboard: HTML pages with ECharts
// charts, the CSV behind every chart, and the ECharts script itself.
//
// It is the only package that imports gin and go-echarts. All URLs are
// listed in Server.routes. Each route reads its query into a typed query
// of package dashboard (the domain layer) through the one validator, and
// applies the one query policy (request.go); handlers return errors, and
// writeError maps them to a status by the one table of errors.go, so no
// handler writes an error response itself.
package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/templates"
)

// Config is what NewServer needs.
type Config struct {
	// Snapshot is the data to show; it can be replaced later with
	// Server.SetSnapshot. It must not be nil.
	Snapshot *data.Snapshot
	// Logger receives one line per request and every internal error.
	// Nil means slog.Default().
	Logger *slog.Logger
	// AssetsDir is the directory npm installs packages into, usually
	// "node_modules". When AssetsDir/echarts/dist/echarts.min.js exists it
	// is served under /static/ (a name holding its hash); otherwise pages
	// show each chart as its server-drawn SVG, or load ECharts from a CDN
	// with subresource integrity when EChartsCDN is true.
	AssetsDir string
	// EChartsCDN lets pages load ECharts from a CDN when it is not
	// installed locally; the Content-Security-Policy then names the CDN.
	EChartsCDN bool
	// Store, when not nil, is where /upload imports files and from which
	// /datasets lists and removes them; after each change the server
	// shows its new snapshot. Nil serves Snapshot read-only.
	Store Store
	// AdminToken, when not empty, enables /upload and dataset removal for
	// requests that give it. Empty means the server is read-only.
	AdminToken string
	// MaxUpload is the largest /upload request body in bytes; 0 means
	// DefaultMaxUpload.
	MaxUpload int64
	// MaxRenders is how many chart images and ZIPs are computed at once
	// (renderlimit.go); 0 means runtime.GOMAXPROCS(0).
	MaxRenders int
	// RenderWait is how long a request for one waits for a free render
	// before it is answered 503 with Retry-After; 0 means
	// DefaultRenderWait.
	RenderWait time.Duration
	// PublicURL is the address the dashboard is reached at from outside,
	// e.g. "https://arms.example.org" (behind a TLS proxy, the proxy's),
	// with a path when it is served under one. The permalinks inside
	// .json and .zip downloads start with it; when empty they are
	// relative paths ("/dyad?..."). They are never built from a request's
	// Host header, which the client chooses and the cache would pass on.
	PublicURL string
}

// Server is the dashboard's HTTP server. It is safe for concurrent use.
type Server struct {
	snap    atomic.Pointer[data.Snapshot]
	log     *slog.Logger
	pages   map[string]*template.Template
	echarts echartsAsset
	static  map[string]*staticAsset // by URL path (assets.go)
	// worldMap holds the world map's shapes; nil when they are not
	// installed (worldmap.go).
	worldMap *mapAsset
	handler  http.Handler
	dash     dashPointer // the dashboard of the last snapshot a request asked about (request.go)
	admin    admin
	cache    *responseCache // GET responses of the current snapshot (cache.go)
	renders  *renderSlots   // bounds the expensive renders (renderlimit.go)
	public   string         // Config.PublicURL without its final slash: prefixes permalinks
}

// NewServer parses the templates, locates the ECharts script and builds
// the routes. It fails only when the templates do not parse or the
// snapshot is nil.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Snapshot == nil {
		return nil, errors.New("web: no snapshot")
	}
	s := &Server{log: cfg.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	public, err := publicURL(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	s.public = public
	s.snap.Store(cfg.Snapshot)
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.echarts, s.static = findAssets(cfg.AssetsDir, cfg.EChartsCDN, s.log)
	s.worldMap = loadMap(cfg.AssetsDir, s.log)
	if s.worldMap != nil {
		s.static[s.worldMap.path] = s.worldMap.asset()
	}
	s.admin = newAdmin(cfg)
	s.cache = newResponseCache()
	s.renders = newRenderSlots(cfg.MaxRenders, cfg.RenderWait)

	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.HandleMethodNotAllowed = true
	engine.Use(s.logRequests, gin.CustomRecoveryWithWriter(io.Discard, s.recovered), s.securityHeaders, s.limitRequests)
	s.routes(engine)
	s.handler = engine
	return s, nil
}

// routes lists every URL the dashboard serves. Every page answers GET
// and HEAD; each reads its query through the one validator (request.go).
func (s *Server) routes(r *gin.Engine) {
	get := func(path string, h gin.HandlerFunc) {
		r.GET(path, h)
		r.HEAD(path, h)
	}
	page, file, noStore := routeOpts{policy: asPage}, routeOpts{policy: asFile}, routeOpts{policy: asPage, noStore: true}
	get("/", route(s, page, parseNone, s.overview))
	get("/dyad", route(s, page, parseDyadPage, s.dyad))               // ?supplier=China&recipient=Pakistan&from=1995&to=2024&register=
	get("/dyad/deals.csv", route(s, file, parseDealsCSV, s.dealsCSV)) // ?supplier=&recipient=&register= (deals.go)
	get("/events", route(s, page, parseEventsPage, s.events))         // ?type=&from=&to=&country=&page=
	get("/sources", route(s, page, parseNone, s.sources))
	get("/country", route(s, page, parseCountryPage, s.country)) // ?name=Pakistan&from=2020&to=2024&dataset=
	// Every chart of chartRegistry (chartroutes.go), e.g. /dyad/tiv, in
	// every form: PATH.csv (numbers drawn), PATH.json (the same with
	// provenance), PATH.data.csv (rows behind them), PATH.svg and
	// PATH.png (?w=&h= in pixels), PATH.zip (both CSVs, metadata.json,
	// README.txt), and /embed/PATH (framable by any site). Each takes its
	// page's query plus measure=, scale=, chart=, markers=, pin=.
	s.registerCharts(get)
	get("/world", route(s, page, parseWorldPage, s.world))                                                                             // ?from=2020&to=2024&top=10|all&side=exports|imports&dataset=
	get("/network", route(s, page, stateParser(flowParser((*dashboard.Dashboard).ParseNetwork), dashboard.MeasureTIVOnly), s.network)) // ?from=2020&to=2024&dataset=
	get("/compare", route(s, page, stateParser(parseCompare, dashboard.MeasureOfPage), s.compare))                                     // ?country=India~Pakistan&measure=imports|exports&from=&to=&dataset=
	get("/api/v1/world", route(s, file, parseWorld, apiWorld))                                                                         // ?from=&to=&top=&side=&dataset=
	get("/api/v1/shares", route(s, file, parseSharesAPI, apiShares))                                                                   // ?supplier=&recipient=&from=&to=&dataset=
	get("/api/v1/rankings", route(s, file, parseRankingAPI, apiRanking))                                                               // ?recipient=|supplier=&from=&to=&top=&dataset=
	get("/search", s.search)                                                                                                           // ?q=Pakistan or ?q=China+to+Pakistan
	get("/datasets", route(s, noStore, parseNone, s.datasets))
	r.POST("/datasets/remove", s.handle(s.removeDataset))
	get("/upload", route(s, noStore, parseNone, s.uploadForm))
	r.POST("/upload", s.handle(s.upload))
	r.POST(signInPath, s.handle(s.signIn))
	r.POST(signOutPath, s.handle(s.signOut))
	get(staticPrefix+":file", s.handle(s.staticFile)) // ECharts, charts.js and the world map's shapes, by content hash (assets.go)
	get("/healthz", func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.String(http.StatusOK, "ok")
	})
	r.NoRoute(s.handle(func(c *gin.Context) error {
		return &RequestError{Status: http.StatusNotFound, Msg: "There is no page at " + dashboard.Shorten(c.Request.URL.Path) + "."}
	}))
	r.NoMethod(s.handle(func(c *gin.Context) error {
		return &RequestError{Status: http.StatusMethodNotAllowed, Msg: "This page does not accept " + c.Request.Method + " requests."}
	}))
}

// parseNone reads the query of a page that takes no parameters: any it is
// given is unknown.
func parseNone(*rq) (noQuery, error) { return noQuery{}, nil }

// Handler returns the http.Handler serving the dashboard.
func (s *Server) Handler() http.Handler { return s.handler }

// Snapshot returns the data currently shown.
func (s *Server) Snapshot() *data.Snapshot { return s.snap.Load() }

// SetSnapshot replaces the data shown, e.g. after an import. Requests in
// flight finish with the snapshot they started with. A nil snap is ignored.
func (s *Server) SetSnapshot(snap *data.Snapshot) {
	if snap != nil {
		s.snap.Store(snap)
	}
}

// handlerFunc is a handler that returns its error instead of writing it:
// the POST forms, which read no query.
type handlerFunc func(c *gin.Context) error

// handle adapts h to gin, answering a returned error with writeError.
func (s *Server) handle(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}

// recovered turns a panic into a 500 page and logs it with its stack.
func (s *Server) recovered(c *gin.Context, v any) {
	s.log.Error("panic", "request_id", requestID(c), "path", c.Request.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	if c.Writer.Written() {
		c.Abort()
		return
	}
	s.writeError(c, errPanic)
}

// Context keys set by the middleware.
const (
	ctxRequestID = "armsdash.request_id"
	ctxSnapshot  = "armsdash.snapshot"
)

// snapshot returns the snapshot the request started with, so that every
// part of a page shows the same data even if SetSnapshot runs meanwhile.
func (s *Server) snapshot(c *gin.Context) *data.Snapshot {
	if v, ok := c.Get(ctxSnapshot); ok {
		if snap, ok := v.(*data.Snapshot); ok {
			return snap
		}
	}
	return s.snap.Load()
}

// logRequests gives each request an id and the current snapshot, and logs method, path, status, duration and id once the
// request is done.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	id := randomHex(8)
	c.Set(ctxRequestID, id)
	c.Set(ctxSnapshot, s.snap.Load())
	c.Header("X-Request-Id", id)
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.String("request_id", id))
}

// securityHeaders sets headers that keep pages from being framed, sniffed
// or made to run scripts other than ECharts and the pages' own. The CSP
// names the CDN only when ECharts is loaded from it (Config.EChartsCDN).
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if !embeddable(c.Request.URL.Path) {
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'"+s.echarts.scriptOrigin()+
		"; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "+frameAncestors(c.Request.URL.Path))
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// renderPage executes page template name into a buffer: a template
// error never leaves half a page.
func (s *Server) renderPage(name string, page any) (*response, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", page); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	return htmlResponse(buf.Bytes()), nil
}

// parsePages parses base.html with each page template.
func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range []string{"overview", "dyad", "events", "sources", "error", "datasets", "upload", "country", "network", "world", "compare", "search"} {
		t, err := template.New(name).ParseFS(templates.FS, "base.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing templates: %w", err)
		}
		pages[name] = t
	}
	return pages, nil
}

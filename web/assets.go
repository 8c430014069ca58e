package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// The ECharts release the dashboard loads. package.json pins the same
// version; releases before 6.1.0 have a tooltip XSS (CVE-2026-45249).
const (
	// EChartsVersion is the pinned ECharts release.
	EChartsVersion = "6.1.0"
	// EChartsSHA384 is the subresource-integrity digest of
	// echarts@6.1.0/dist/echarts.min.js (sha384, base64), as npm installs it.
	EChartsSHA384 = "sha384-C2iskrW/uPW46KzOjrvJIQo4YkV8lkD+QS0CrDN18IIPIpT/g2USu8bTP3nvmIAD"
	// EChartsCDN is where pages load ECharts from when it is not installed
	// locally and Config.EChartsCDN asks for the CDN.
	EChartsCDN = "https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js"

	echartsCDNOrigin = "https://cdn.jsdelivr.net"
	// staticPrefix starts the URL of every static asset. Each asset's URL
	// holds the start of the SHA-256 of its content, e.g.
	// /static/echarts.0123456789ab.min.js, so it is cached as immutable.
	staticPrefix = "/static/"
	// echartsPath is the unhashed name of the local ECharts, kept for
	// pages rendered by older builds; it is cached for a day only.
	echartsPath = staticPrefix + "echarts.min.js"
	// echartsRel is where npm puts the script inside node_modules.
	echartsRel = "echarts/dist/echarts.min.js"
)

// staticFS holds the dashboard's own scripts.
//
//go:embed static/*.js
var staticFS embed.FS

// staticAsset is one file served under staticPrefix, held in memory with
// its gzip encoding.
type staticAsset struct {
	path  string // e.g. /static/charts.0123456789ab.js
	ctype string
	body  []byte
	gz    []byte // gzip of body
	etag  string // quoted hash of body
}

// newStaticAsset names body name with its hash inserted before ext
// (e.g. "charts" + ".js") and compresses it.
func newStaticAsset(name, ext, ctype string, body []byte) *staticAsset {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])[:12]
	return &staticAsset{path: staticPrefix + name + "." + h + ext, ctype: ctype, body: body, gz: gzipBytes(body), etag: `"` + h + `"`}
}

// echartsAsset says how pages draw their charts: Src and Integrity for
// the ECharts <script> (Src is "" when ECharts is neither installed nor
// allowed from the CDN: pages then show each chart as its server-drawn
// SVG), and Init, the dashboard's script that draws the charts with it.
type echartsAsset struct {
	Src       string // URL for the <script> tag, "" for none
	Integrity string // SRI digest, set for the CDN
	Init      string // URL of static/charts.js, "" when Src is ""
	Page      string // URL of static/page.js, which every page loads
	cdn       bool   // Src is the CDN
}

// Live reports whether pages draw charts with ECharts (else they show the
// server-drawn SVG).
func (a echartsAsset) Live() bool { return a.Src != "" }

// scriptOrigin is the CSP script-src entry the pages need beyond 'self':
// the CDN's origin when ECharts comes from it, else "".
func (a echartsAsset) scriptOrigin() string {
	if a.cdn {
		return " " + echartsCDNOrigin
	}
	return ""
}

// findAssets reads dir/echarts/dist/echarts.min.js when it exists, to be
// served by the dashboard, and the dashboard's own scripts. Without a
// local ECharts, pages load it from the CDN when cdn is true, and
// otherwise show each chart as its server-drawn SVG; either way one line
// says how to self-host.
func findAssets(dir string, cdn bool, log *slog.Logger) (echartsAsset, map[string]*staticAsset) {
	if dir == "" {
		dir = "node_modules"
	}
	assets := map[string]*staticAsset{}
	add := func(a *staticAsset) *staticAsset { assets[a.path] = a; return a }
	initJS, err := staticFS.ReadFile("static/charts.js")
	if err != nil {
		panic("web: static/charts.js is not embedded: " + err.Error()) // a build error
	}
	init := add(newStaticAsset("charts", ".js", "text/javascript; charset=utf-8", initJS)).path
	pageJS, err := staticFS.ReadFile("static/page.js")
	if err != nil {
		panic("web: static/page.js is not embedded: " + err.Error()) // a build error
	}
	page := add(newStaticAsset("page", ".js", "text/javascript; charset=utf-8", pageJS)).path

	path := filepath.Join(dir, filepath.FromSlash(echartsRel))
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if got := sriSHA384(b); got != EChartsSHA384 {
			log.Warn("local ECharts differs from the pinned release; run npm ci in the repository", "path", path, "want", EChartsSHA384, "got", got)
		}
		a := add(newStaticAsset("echarts", ".min.js", "text/javascript; charset=utf-8", b))
		assets[echartsPath] = &staticAsset{path: echartsPath, ctype: a.ctype, body: a.body, gz: a.gz, etag: a.etag}
		return echartsAsset{Src: a.path, Init: init, Page: page}, assets
	case cdn:
		log.Info("ECharts not found locally, pages load it from "+echartsCDNOrigin+" (-echarts-cdn); run npm ci in the repository to serve ECharts locally", "looked_for", path)
		return echartsAsset{Src: EChartsCDN, Integrity: EChartsSHA384, Init: init, Page: page, cdn: true}, assets
	}
	log.Info("ECharts not found locally: pages show each chart as its server-drawn SVG; run npm ci in the repository for interactive charts (or start with -echarts-cdn to load ECharts from "+echartsCDNOrigin+")", "looked_for", path)
	return echartsAsset{Page: page}, assets
}

// sriSHA384 returns the subresource-integrity string of b.
func sriSHA384(b []byte) string {
	sum := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// staticFile serves a static asset: immutable for a year under its hashed
// name, gzip'd when the client accepts it (with its own ETag), 304 when
// If-None-Match names the representation's ETag.
func (s *Server) staticFile(c *gin.Context) error {
	a, ok := s.static[c.Request.URL.Path]
	if !ok {
		return &RequestError{Status: http.StatusNotFound, Msg: "There is no file at " + c.Request.URL.Path + "; ECharts is served only when installed (npm ci)."}
	}
	h := c.Writer.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Vary", "Accept-Encoding")
	if a.path == echartsPath {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	body, tag := a.body, a.etag
	if acceptsGzip(c.Request) {
		body, tag = a.gz, gzipETag(a.etag)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", tag)
	if inm := c.Request.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, tag) {
		h.Del("Content-Encoding")
		c.AbortWithStatus(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.Status(http.StatusOK)
	c.Writer.WriteHeaderNow()
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(body)
	}
	return nil
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a q of 0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// gzipETag is the ETag of the gzip'd representation of the response whose
// ETag is tag: the same, with "-gzip" inside the quotes.
func gzipETag(tag string) string { return strings.TrimSuffix(tag, `"`) + `-gzip"` }

// gzipBytes compresses b at gzip's default level.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b) // writes to a bytes.Buffer do not fail
	zw.Close()
	return buf.Bytes()
}

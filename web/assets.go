package web

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

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
	// locally.
	EChartsCDN = "https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js"

	echartsCDNOrigin = "https://cdn.jsdelivr.net"
	echartsPath      = "/static/echarts.min.js"
	// echartsRel is where npm puts the script inside node_modules.
	echartsRel = "echarts/dist/echarts.min.js"
)

// echartsAsset says where pages load ECharts from.
type echartsAsset struct {
	Src       string // URL for the <script> tag
	Integrity string // SRI digest, set for the CDN
	local     []byte // the script, when served locally
	modTime   time.Time
}

// findECharts reads dir/echarts/dist/echarts.min.js when it exists, to be
// served by the dashboard; otherwise it falls back to the CDN and logs one
// line saying how to self-host.
func findECharts(dir string, log *slog.Logger) echartsAsset {
	if dir == "" {
		dir = "node_modules"
	}
	path := filepath.Join(dir, filepath.FromSlash(echartsRel))
	b, err := os.ReadFile(path)
	if err != nil {
		log.Info("ECharts not found locally, pages load it from "+echartsCDNOrigin+"; run npm ci in the repository to serve ECharts locally", "looked_for", path)
		return echartsAsset{Src: EChartsCDN, Integrity: EChartsSHA384}
	}
	if got := sriSHA384(b); got != EChartsSHA384 {
		log.Warn("local ECharts differs from the pinned release; run npm ci in the repository", "path", path, "want", EChartsSHA384, "got", got)
	}
	a := echartsAsset{Src: echartsPath, local: b, modTime: time.Now()}
	if fi, err := os.Stat(path); err == nil {
		a.modTime = fi.ModTime()
	}
	return a
}

// sriSHA384 returns the subresource-integrity string of b.
func sriSHA384(b []byte) string {
	sum := sha512.Sum384(b)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// echartsScript serves the locally installed ECharts.
func (s *Server) echartsScript(c *gin.Context) error {
	if s.echarts.local == nil {
		return &RequestError{Status: http.StatusNotFound, Msg: "ECharts is not installed on this server; pages load it from " + echartsCDNOrigin + "."}
	}
	c.Header("Content-Type", "text/javascript; charset=utf-8")
	c.Header("Cache-Control", "public, max-age=86400")
	http.ServeContent(c.Writer, c.Request, "echarts.min.js", s.echarts.modTime, bytes.NewReader(s.echarts.local))
	return nil
}

package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/templates"
)

// Embeds: each chart alone on a page that other sites may frame, with its
// title, counting rule, source and vintage and a link back to the full
// page. The page posts its height to the parent window so that a host
// page can size the frame (see embedListener).

// embedPrefix starts every embeddable URL; securityHeaders lets only
// these pages be framed by other sites.
const embedPrefix = "/embed/"

// embedTemplate is parsed once, at start-up; a broken template stops the
// program before it serves anything. base.html gives it the chart's
// server-drawn image ("chart-image").
var embedTemplate = template.Must(template.New("embed").ParseFS(templates.FS, "base.html", "embed.html"))

// embedPage is the view model of embed.html.
type embedPage struct {
	ID, Title, Rule, Source string
	Notes                   []string
	Options                 template.JS // encoding/json output only
	Page                    string      // the full page, anchored at the chart
	CSV                     string      // the chart's numbers
	TIV                     bool        // the values are SIPRI TIV
	ECharts                 echartsAsset
	// Desc, Live, SVG, Sources and Theme are as in chartView; an embed's
	// theme is "auto" unless theme= says otherwise.
	Desc    string
	Live    bool
	SVG     string
	Sources []imgSource
	Theme   string
	MapURL  string // the GeoJSON a map registers first; "" for other charts
}

// chartPath splits a chart's CSV URL into the chart's path (without
// ".csv") and its query; ok is false for a chart with no embed page.
func chartPath(csvURL string) (path, query string, ok bool) {
	path, query, _ = strings.Cut(csvURL, "?")
	path, ok = strings.CutSuffix(path, ".csv")
	_, registered := chartDefOf(path)
	return path, query, ok && registered
}

// EmbedURL returns the chart's embed page, with the same query as its
// CSV, or "" when it has none.
func (v chartView) EmbedURL() string {
	path, query, ok := chartPath(v.CSV)
	if !ok {
		return ""
	}
	return strings.TrimSuffix(embedPrefix, "/") + path + "?" + query
}

// EmbedSnippet is the <iframe> element to paste into another page; the
// chart page puts its own origin in front of the src.
func (v chartView) EmbedSnippet() string {
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="520" style="border:0" loading="lazy"></iframe>`,
		template.HTMLEscapeString(v.EmbedURL()), template.HTMLEscapeString(v.Title))
}

// EmbedListener is the script a host page adds once to resize every
// armsdash frame to the height the frame posts; ORIGIN is replaced by the
// dashboard's origin on the chart page.
func (v chartView) EmbedListener() string { return embedListener }

const embedListener = `<script>
window.addEventListener("message", function (e) {
  if (e.origin !== "ORIGIN" || !e.data || e.data.type !== "armsdash:height") return;
  document.querySelectorAll("iframe").forEach(function (f) {
    if (f.contentWindow === e.source) f.style.height = Math.ceil(e.data.height) + "px";
  });
});
</script>`

// PinnedSnippet is the <iframe> element of the chart pinned to the data
// it is drawn from, or "" when it has none.
func (v chartView) PinnedSnippet() string {
	if v.Pinned == "" {
		return ""
	}
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="520" style="border:0" loading="lazy"></iframe>`,
		template.HTMLEscapeString(v.Pinned), template.HTMLEscapeString(v.Title))
}

// renderEmbed renders the embed page of chart d built as b in state st,
// drawn with options o (encoding/json output only). In theme auto it
// follows the reader's prefers-color-scheme, its image too.
func (s *Server) renderEmbed(r *rq, b *builtChart, d chartDef, st dashboard.ChartState, o []byte) (*response, error) {
	ser := drawnSeries(st, b.Series)
	v := embedPage{
		ID: ser.ID, Title: ser.Title, Rule: ser.Rule + " · " + ser.Source, Source: ser.Source, Notes: ser.Notes,
		Options: template.JS(o), // safe: encoding/json output, HTML-escaped
		Page:    b.link(d.page, st) + "#" + ser.ID,
		CSV:     b.link(d.path+".csv", st),
		TIV:     strings.Contains(ser.Unit, "TIV"),
		ECharts: s.echarts,
		Desc:    describe(b.Series, st, b.Period), Live: s.echarts.Live(), Theme: st.Theme,
	}
	v.SVG, v.Sources = b.images(d, st, st.Theme == dashboard.ThemeAuto)
	if ser.Map != nil {
		v.MapURL = ser.Map.URL
	}
	var buf bytes.Buffer
	if err := embedTemplate.ExecuteTemplate(&buf, "embed", v); err != nil {
		return nil, fmt.Errorf("rendering embed %s: %w", ser.ID, err)
	}
	return htmlResponse(buf.Bytes()), nil
}

// embeddable reports whether the page at path may be framed by other
// sites: only embed pages may.
func embeddable(path string) bool { return strings.HasPrefix(path, embedPrefix) }

// frameAncestors is the CSP frame-ancestors source list for path: any
// site for embed pages, only the dashboard itself for every other page.
func frameAncestors(path string) string {
	if embeddable(path) {
		return "*"
	}
	return "'self'"
}

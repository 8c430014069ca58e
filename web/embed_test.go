package web

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestEmbedPages(t *testing.T) {
	h := newTestServer(t, nil, stubAssets(t), nil).Handler()
	for _, tc := range []struct {
		embed, page, id, source string
	}{
		{"/embed/dyad/tiv?" + dyadQ, "/dyad?" + dyadQ, "chart-dyad-tiv", "generated 2026-02-12"},
		{"/embed/dyad/shares?" + dyadQ, "/dyad?" + dyadQ, "chart-dyad-shares", "generated 2026-02-12"},
		{"/embed/dyad/events?" + dyadQ, "/dyad?" + dyadQ, "chart-dyad-events", "events.csv"},
		{"/embed/events/types", "/events?", "chart-events-types", "events.csv"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			res, body := getOK(t, h, tc.embed)
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
				t.Errorf("embed must be framable: CSP %q, X-Frame-Options %q", csp, res.Header.Get("X-Frame-Options"))
			}
			plain := text(body)
			for _, want := range []string{
				"Source: ", tc.source, // source with vintage
				`target="_blank" rel="noopener"`,
				`<html lang="en" data-embed`, // page.js posts the frame's height
				`<script src="/static/echarts.`, `<script src="/static/page.`,
			} {
				if !strings.Contains(plain, want) {
					t.Errorf("embed lacks %q", want)
				}
			}
			// The link back is the full page, same query, anchored at this chart.
			path, _, _ := strings.Cut(tc.page, "?")
			link := regexp.MustCompile(`href="` + regexp.QuoteMeta(path) + `(\?[^"]*)?#` + tc.id + `" target="_blank"`)
			m := link.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("embed lacks the link back to %s#%s", path, tc.id)
			}
			if path == "/dyad" && !strings.Contains(m[1], "supplier=China") {
				t.Errorf("link back %q lost the query", m[0])
			}
			// Same chart options as the full page.
			_, full := get(t, h, tc.page)
			a, _ := json.Marshal(chartOptions(t, body, tc.id))
			b, _ := json.Marshal(chartOptions(t, full, tc.id))
			if string(a) != string(b) {
				t.Errorf("embed draws other options than the page:\n%s\n%s", a, b)
			}
			if strings.Contains(body, "<table") {
				t.Error("embed shows more than the chart")
			}
		})
	}
}

func TestFrameHeaders(t *testing.T) {
	h := newTestServer(t, nil, stubAssets(t), nil).Handler()
	for _, tc := range []struct {
		path     string
		framable bool
	}{
		{"/", false},
		{"/dyad?" + dyadQ, false},
		{"/dyad/tiv.svg", false},
		{"/events", false},
		{"/embed/dyad/tiv", true},
		{"/embed/events/types", true},
		{"/embed/dyad/tiv?supplier=China&recipient=Atlantis", true}, // its error page too
		{"/embedded", false},
	} {
		res, _ := get(t, h, tc.path)
		csp := res.Header.Get("Content-Security-Policy")
		xfo := res.Header.Get("X-Frame-Options")
		if tc.framable && (!strings.Contains(csp, "frame-ancestors *") || xfo != "") {
			t.Errorf("%s: CSP %q, X-Frame-Options %q; want framable by any site", tc.path, csp, xfo)
		}
		if !tc.framable && (!strings.Contains(csp, "frame-ancestors 'self'") || xfo != "SAMEORIGIN") {
			t.Errorf("%s: CSP %q, X-Frame-Options %q; want not framable", tc.path, csp, xfo)
		}
	}
}

// TestEmbedPanel checks the Embed panel beside each chart's CSV and
// Permalink links: the iframe snippet with the same query, the listener
// snippet, and the SVG and PNG links.
func TestEmbedPanel(t *testing.T) {
	h := newTestServer(t, nil, stubAssets(t), nil).Handler()
	_, body := get(t, h, "/dyad?"+dyadQ)
	plain := text(body)
	for _, chart := range []string{"tiv", "shares", "events"} {
		for _, want := range []string{
			`<iframe src="/embed/dyad/` + chart + `?`, // the snippet, shown as text
			`href="/dyad/` + chart + `.svg?`,
			`href="/dyad/` + chart + `.png?`,
		} {
			if !strings.Contains(plain, want) {
				t.Errorf("dyad page lacks %q", want)
			}
		}
	}
	if !strings.Contains(plain, `e.data.type !== "armsdash:height"`) {
		t.Error("dyad page lacks the listener snippet")
	}
	if strings.Count(body, "<summary>Embed</summary>") != 3 {
		t.Errorf("%d Embed panels, want 3", strings.Count(body, "<summary>Embed</summary>"))
	}
	// The snippet's URL carries the page's query.
	if !strings.Contains(body, "/embed/dyad/tiv?from=1995") {
		t.Error("embed URL lost the query")
	}
}

func TestEmbedHostileNames(t *testing.T) {
	h := newTestServer(t, hostileSnapshot(), t.TempDir(), nil).Handler()
	q := "supplier=" + urlEscape(hostile) + "&recipient=Pakistan&from=2000&to=2001"
	for _, target := range []string{"/embed/dyad/tiv?" + q, "/embed/dyad/events?" + q, "/embed/events/types?country=" + urlEscape(hostile), "/dyad?" + q} {
		_, body := getOK(t, h, target)
		for _, bad := range []string{"<img src=x", "<i>", "<b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: body contains %q unescaped", target, bad)
			}
		}
		if strings.Count(body, "</script>") != strings.Count(body, "<script") {
			t.Errorf("%s: a value closed a <script> element", target)
		}
	}
}

// TestPageScript checks that the static script every page loads posts an
// embed's height and fills the Embed panel's origin, which the pages no
// longer do in inline scripts.
func TestPageScript(t *testing.T) {
	b, err := staticFS.ReadFile("static/page.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`window.parent.postMessage({type: "armsdash:height", height: `, `textarea[data-origin]`, `hasAttribute("data-embed")`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("page.js lacks %q", want)
		}
	}
}

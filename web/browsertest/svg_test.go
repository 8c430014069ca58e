package browsertest

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// echartsChart is what ECharts drew for one chart of a page: its series'
// names and types, the labels of its value axis, and the URL of the
// server-drawn SVG that stands in for it without ECharts.
type echartsChart struct {
	ID      string   `json:"id"`
	SVG     string   `json:"svg"`
	Names   []string `json:"names"`
	Types   []string `json:"types"`
	YLabels []string `json:"yLabels"`
}

const echartsChartsJS = `Array.from(document.querySelectorAll("[data-chart]")).map(function (el) {
  var inst = echarts.getInstanceByDom(el), opt = inst.getOption();
  var y = inst.getModel().getComponent("yAxis", 0);
  if (!y) return {id: el.id, svg: ""}; // a map or a flows diagram: no series over x labels
  var axis = y.axis;
  return {id: el.id, svg: document.getElementById(el.id + "-fallback").content.querySelector("img").getAttribute("src"),
    names: opt.series.map(function (s) { return s.name; }), types: opt.series.map(function (s) { return s.type; }),
    yLabels: axis.getViewLabels().map(function (l) { return l.formattedLabel; })};
})`

var (
	svgSeriesRe = regexp.MustCompile(`<g class="series" data-type="([a-z]+)">\n<title>([^<]*)</title>`)
	svgYAxisRe  = regexp.MustCompile(`(?s)<g class="y-axis">\n(.*?)</g>`)
	svgTextRe   = regexp.MustCompile(`<text [^>]*>([^<]*)</text>`)
)

// TestSVGMatchesECharts draws each chart with ECharts in the browser and
// checks that its server-drawn SVG (the image of the page without
// ECharts, and its .svg download) draws every series as the same type
// (bars stay bars, lines stay lines) and labels the value axis with the
// very labels ECharts shows, in every display state that changes them.
func TestSVGMatchesECharts(t *testing.T) {
	needECharts(t)
	bctx := newBrowser(t)
	for _, tc := range []struct {
		name string
		ts   *httptest.Server
		path string
	}{
		{"dyad", newServer(t), "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024"},
		{"dyad-log", newServer(t), "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024&scale=log"},
		{"dyad-share-line", newServer(t), "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024&measure=share&chart=line"},
		{"dyad-short", newServer(t), "/dyad?supplier=China&recipient=Pakistan&from=2019&to=2021"},
		{"country", newServer(t), "/country?name=Pakistan&from=2000&to=2024"},
		{"country-log", newServer(t), "/country?name=Pakistan&from=2000&to=2024&scale=log"},
		{"country-exports", newServer(t), "/country?name=China&from=2000&to=2024"},
		{"events", newServer(t), "/events"},
		{"wdi", newStoreServer(t, nodeModules, ownFiles...), "/country?name=Pakistan&from=2020&to=2024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			ctx, tcancel := context.WithTimeout(ctx, 45*time.Second)
			defer tcancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(tc.ts.URL+tc.path)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete"`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
				t.Fatal(err)
			}
			charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]echartsChart](echartsChartsJS))
			if err != nil {
				t.Fatal(err)
			}
			drawn := 0
			defer func() {
				if drawn == 0 {
					t.Error("no chart over x labels drawn")
				}
			}()
			for _, c := range charts {
				if c.SVG == "" {
					continue
				}
				drawn++
				res, err := http.Get(tc.ts.URL + c.SVG)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				svg := string(b)
				if res.StatusCode != 200 {
					t.Fatalf("%s: %s: status %d", c.ID, c.SVG, res.StatusCode)
				}
				types := map[string]string{}
				for _, m := range svgSeriesRe.FindAllStringSubmatch(svg, -1) {
					types[html.UnescapeString(m[2])] = m[1]
				}
				if len(types) != len(c.Names) {
					t.Errorf("%s: the SVG draws %d series, ECharts %d (%q)", c.ID, len(types), len(c.Names), c.Names)
				}
				for i, name := range c.Names {
					if types[name] != c.Types[i] {
						t.Errorf("%s: series %q is a %s in ECharts, a %q in the SVG", c.ID, name, c.Types[i], types[name])
					}
				}
				m := svgYAxisRe.FindStringSubmatch(svg)
				if m == nil {
					t.Fatalf("%s: the SVG has no value axis", c.ID)
				}
				var labels []string
				for _, l := range svgTextRe.FindAllStringSubmatch(m[1], -1) {
					labels = append(labels, html.UnescapeString(l[1]))
				}
				if !slices.Equal(labels, c.YLabels) {
					t.Errorf("%s: value-axis labels\nSVG     %q\nECharts %q", c.ID, labels, c.YLabels)
				}
				t.Logf("%s: %d series %q, value axis %s", c.ID, len(c.Types), c.Types, strings.Join(c.YLabels, " "))
			}
		})
	}
}

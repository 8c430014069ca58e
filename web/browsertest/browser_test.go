package browsertest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
	"github.com/armsdash/armsdash/web"
)

// nodeModules is where npm ci installs ECharts, relative to this package.
const nodeModules = "../../node_modules"

// need skips the test with msg, or fails it under CI=true, where
// everything the browser tests need must be present.
func need(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: the browser tests must run)")
	}
	t.Skip(msg)
}

// chromiumPath finds the browser, or skips (fails under CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "chromium is not installed: apt-get install chromium to run the browser tests")
	return ""
}

// newServer starts the dashboard on a 127.0.0.1 listener with the
// built-in dataset and the self-hosted ECharts, so pages never need the
// network.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	needECharts(t)
	return newServerAssets(t, nodeModules)
}

// needECharts skips the test (fails it under CI) when npm ci has not
// installed ECharts.
func needECharts(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(nodeModules, "echarts", "dist", "echarts.min.js")); err != nil {
		need(t, "node_modules/echarts is missing (run npm ci)")
	}
}

// newServerAssets is newServer with ECharts looked for in assets: an
// empty directory serves the pages as a machine without npm would, each
// chart its server-drawn SVG.
func newServerAssets(t *testing.T, assets string) *httptest.Server {
	t.Helper()
	snap, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.NewServer(web.Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: assets})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler()) // listens on 127.0.0.1:0
	t.Cleanup(ts.Close)
	return ts
}

// newBrowser starts a headless Chromium with a fresh profile and returns
// its context; each chromedp.NewContext(ctx) child is a new tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	profile, err := os.MkdirTemp("", "armsdash-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1280, 1600),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		bcancel()
		acancel()
		cancel()
		os.RemoveAll(profile)
	})
	if err := chromedp.Do(bctx); err != nil { // start the browser now, so a failure names it
		t.Fatalf("starting %s: %v", exe, err)
	}
	return bctx
}

// recorder collects what a tab reports: console errors, exceptions,
// failed loads and the URL of every request.
type recorder struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		r.errors = append(r.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			r.errors = append(r.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			r.errors = append(r.errors, fmt.Sprintf("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	case *network.EventRequestWillBeSent:
		r.requests = append(r.requests, ev.Request.URL)
	}
}

func (r *recorder) snapshot() (errs, reqs []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...), append([]string(nil), r.requests...)
}

// chartState is what the page reports about one chart container.
type chartState struct {
	ID       string `json:"id"`
	Instance bool   `json:"instance"` // echarts.getInstanceByDom(el) != null
	Canvas   bool   `json:"canvas"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Painted  int    `json:"painted"` // pixels that are not fully transparent or white
	DataURL  int    `json:"dataURL"` // length of canvas.toDataURL()
	// Image is the server-drawn SVG shown instead of a canvas: its URL,
	// and its size once loaded (0 when it failed to load).
	Image      string `json:"image"`
	ImageWidth int    `json:"imageWidth"`
	ShownWidth int    `json:"shownWidth"` // the image's width on the page
	Label      string `json:"label"`      // the container's aria-label
}

// chartsJS inspects every .chart-canvas of the page.
const chartsJS = `Array.from(document.querySelectorAll(".chart-canvas")).map(function (el) {
  var inst = window.echarts ? echarts.getInstanceByDom(el) : null;
  var c = el.querySelector("canvas");
  var img = el.querySelector("img.chart-image");
  var st = {id: el.id, instance: !!inst, canvas: !!c, width: 0, height: 0, painted: 0, dataURL: 0,
    image: img ? img.currentSrc : "", imageWidth: img && img.complete ? img.naturalWidth : 0,
    shownWidth: img ? Math.round(img.getBoundingClientRect().width) : 0, label: el.getAttribute("aria-label") || ""};
  if (!c) return st;
  st.width = c.width; st.height = c.height; st.dataURL = c.toDataURL().length;
  var px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  for (var i = 0; i < px.length; i += 4) {
    if (px[i+3] > 0 && !(px[i] > 250 && px[i+1] > 250 && px[i+2] > 250)) st.painted++;
  }
  return st;
})`

// csvLinksJS lists the CSV download links of the page.
const csvLinksJS = `Array.from(document.querySelectorAll("a[download]")).map(function (a) { return a.href; })`

// visit loads path in a new tab and returns what the recorder saw, the
// charts, the CSV links and a full-page screenshot.
type visit struct {
	status  int64
	errors  []string
	reqs    []string
	charts  []chartState
	csv     []string
	shot    []byte
	title   string
	heading string
	// overflow is how many pixels the page is wider than the window:
	// text that does not wrap, a table that does not scroll in its box.
	overflow int
}

// load visits path in a window width pixels wide (0: the browser's 1280).
func load(t *testing.T, bctx context.Context, base, path string, width int64) visit {
	t.Helper()
	rec := &recorder{}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithListener(rec.listen))
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 45*time.Second)
	defer tcancel()
	if width > 0 {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 844)); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	// Charts draw when the deferred scripts run (animation is off) and
	// images load before the load event; wait for it and the layout.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete"`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("%s: not loaded: %v", path, err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	var v visit
	v.status = resp.Status
	if v.overflow, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); err != nil {
		t.Fatal(err)
	}
	if v.charts, err = chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS)); err != nil {
		t.Fatalf("%s: inspecting charts: %v", path, err)
	}
	if v.csv, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](csvLinksJS)); err != nil {
		t.Fatalf("%s: listing CSV links: %v", path, err)
	}
	if v.heading, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("h1")||{}).textContent||""`)); err != nil {
		t.Fatal(err)
	}
	if v.shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		t.Fatalf("%s: screenshot: %v", path, err)
	}
	v.errors, v.reqs = rec.snapshot()
	return v
}

// screenshotDir is where screenshots go: $ARMSDASH_SCREENSHOTS, else a
// directory in os.TempDir(), never the repository.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARMSDASH_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "armsdash-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// offHost returns the requests whose host is not 127.0.0.1 (data: URLs
// never reach the network and are allowed).
func offHost(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		u, err := url.Parse(r)
		if err != nil {
			out = append(out, r)
			continue
		}
		if u.Scheme == "data" || u.Scheme == "blob" {
			continue
		}
		if host, _, _ := net.SplitHostPort(u.Host); host != "127.0.0.1" {
			out = append(out, r)
		}
	}
	return out
}

// pageCase is a page the browser tests load: its status, how many charts
// it draws and part of its h1.
type pageCase struct {
	name, path string
	status     int64
	charts     int
	heading    string
}

// pages are the pages of the built-in dataset the browser tests load.
var pages = []pageCase{
	{"overview", "/", 200, 0, ""},
	{"dyad", "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024", 200, 3, "China → Pakistan"},
	{"dyad-log-line", "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024&scale=log&chart=line&markers=off", 200, 3, "China → Pakistan"},
	{"events", "/events", 200, 1, "Events"},
	{"country", "/country?name=Pakistan&from=2020&to=2024", 200, 2, "Pakistan"},
	{"network", "/network", 200, 1, "network"},
	{"world-builtin", "/world", 200, 0, "The world's arms transfers"},
	{"sources", "/sources", 200, 0, "Sources"},
	{"datasets", "/datasets", 200, 0, "Datasets"},
	{"unknown-country", "/dyad?supplier=China&recipient=Atlantis", 200, 3, "China → Pakistan"},
	{"no-such-page", "/nope", 404, 0, "404"},
	{"embed-dyad-tiv", "/embed/dyad/tiv?supplier=China&recipient=Pakistan&from=1995&to=2024", 200, 1, "Arms deliveries to Pakistan"},
	{"embed-events-types", "/embed/events/types", 200, 1, "Events by type"},
	{"embed-dark", "/embed/country/imports?name=Pakistan&from=2000&to=2024&theme=dark", 200, 1, "Pakistan"},
}

// ownPages are the pages that only files of the user's own show: the
// deals of a trade register on the dyad page and the World Bank WDI chart
// of a country page (hand-made fixtures of web/testdata).
var ownPages = []pageCase{
	{"own-dyad-deals", "/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024#deals", 200, 4, "China → Pakistan"},
	{"own-country-wdi", "/country?name=Pakistan&from=2015&to=2024", 200, 4, "Pakistan"}, // WDI's imports are a second edition
	{"own-deals", "/deals?supplier=China&recipient=Pakistan", 200, 0, "China → Pakistan: deals in the trade register"},
	{"own-embed-country-wdi", "/embed/country/wdi?name=Pakistan", 200, 1, "World Bank"},
	{"own-datasets", "/datasets", 200, 0, "Datasets"},
}

// ownFiles are the files ownPages are served from.
var ownFiles = []string{"../../data/builtin/sipri_china_pakistan.csv", "../testdata/register_small_cp1252.csv", "../testdata/wdi_arms_imports.csv"}

// TestPages draws every page with the self-hosted ECharts, at a desktop
// and a phone width.
func TestPages(t *testing.T) {
	checkPages(t, newServer(t), pages, drawnByECharts)
}

// TestPagesWithOwnData loads ownPages with ECharts.
func TestPagesWithOwnData(t *testing.T) {
	needECharts(t)
	checkPages(t, newStoreServer(t, nodeModules, ownFiles...), ownPages, drawnByECharts)
}

// TestPagesWorld loads the world's pages on SIPRI's full listing (shared
// data): the overview's world headline with its map, /world with its
// totals, map, flows and categories, a map of imports, /compare, the
// breakdowns of a country and a pair, and their embeds.
func TestPagesWorld(t *testing.T) {
	needECharts(t)
	ts := newStoreServer(t, nodeModules, shareddata.Path(t, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"))
	checkPages(t, ts, []pageCase{
		{"world-overview", "/", 200, 1, "The world's arms transfers, 2020–2024"},
		{"world", "/world", 200, 4, "The world's arms transfers, 2020–2024"},
		{"world-imports-all", "/world?side=imports&top=all&from=2015&to=2024", 200, 4, "2015–2024"},
		{"compare", "/compare?country=India~Pakistan~China&measure=imports", 200, 1, "Compare countries"},
		{"country-listing", "/country?name=India", 200, 5, "India"},
		{"country-listing-by-status", "/country?name=Pakistan&from=2015&to=2024&by=status", 200, 5, "Pakistan"},
		{"dyad-listing-by-local-production", "/dyad?supplier=China&recipient=Pakistan&from=2015&to=2024&by=local_production", 200, 4, "China → Pakistan"},
		{"embed-dyad-breakdown", "/embed/dyad/breakdown?supplier=China&recipient=Pakistan&from=1995&to=2024", 200, 1, "by armament category"},
		{"embed-world-map", "/embed/world/map?side=imports", 200, 1, "Arms imports by country"},
		{"embed-world-flows", "/embed/world/flows", 200, 1, "largest flows"},
	}, drawnByECharts)
}

// TestPagesOrdersAndEditions loads, on the real files of shared data, the
// pages of a trade register's orders and deals and of the editions of a
// country's imports: the pair page with its orders chart, the deals of a
// pair that only the register of every supplier holds and of a state that
// no longer exists, and the country page with three editions.
func TestPagesOrdersAndEditions(t *testing.T) {
	needECharts(t)
	var files []string
	for _, rel := range []string{"sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv",
		"sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv", "sipri_trade_register/china_supplier_2000-2025_cp1252.csv",
		"sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv", "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv"} {
		files = append(files, shareddata.Path(t, rel))
	}
	checkPages(t, newStoreServer(t, nodeModules, files...), []pageCase{
		{"orders-dyad", "/dyad?supplier=France&recipient=India&from=2010&to=2024#orders", 200, 5, "France → India"}, // TIV, shares, events, breakdown, orders
		{"orders-deals-soviet", "/deals?supplier=Soviet+Union&recipient=India", 200, 0, "Soviet Union → India"},
		{"editions-country", "/country?name=Pakistan&from=2010&to=2024#editions", 200, 7, "Pakistan"}, // imports, exports, flows, WDI, editions of imports, breakdowns of imports and exports
	}, drawnByECharts)
}

// TestPagesOffline serves every page as on a machine without npm or
// network (no node_modules, no CDN): each chart must be drawn all the
// same, as its server-drawn SVG, and no request may leave 127.0.0.1.
func TestPagesOffline(t *testing.T) {
	empty := t.TempDir()
	checkPages(t, newServerAssets(t, empty), pages, drawnAsSVG)
	checkPages(t, newStoreServer(t, empty, ownFiles...), ownPages, drawnAsSVG)
}

// How a page's charts must be drawn.
const (
	drawnByECharts = "echarts" // a painted canvas
	drawnAsSVG     = "svg"     // the server-drawn SVG, loaded
)

// widths are the window widths each page is loaded at: a desktop and a
// phone (390 px, an iPhone 12 to 15).
var widths = []int64{1280, 390}

// checkPages loads each page in the browser at each width, writes its
// screenshot and checks its status, heading, console, requests, width,
// charts (drawn as want says) and CSV links.
func checkPages(t *testing.T, ts *httptest.Server, cases []pageCase, want string) {
	bctx := newBrowser(t)
	shots := screenshotDir(t)
	for _, tc := range cases {
		for _, width := range widths {
			t.Run(fmt.Sprintf("%s-%s-%d", want, tc.name, width), func(t *testing.T) {
				checkPage(t, bctx, ts, tc, want, width, filepath.Join(shots, fmt.Sprintf("page-%s-%s-%d.png", want, tc.name, width)))
			})
		}
	}
}

func checkPage(t *testing.T, bctx context.Context, ts *httptest.Server, tc pageCase, want string, width int64, file string) {
	v := load(t, bctx, ts.URL, tc.path, width)
	if err := os.WriteFile(file, v.shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
	if v.status != tc.status {
		t.Errorf("status %d, want %d", v.status, tc.status)
	}
	if !strings.Contains(v.heading, tc.heading) {
		t.Errorf("h1 %q does not contain %q", v.heading, tc.heading)
	}
	for _, e := range v.errors {
		// The error page's own 404 is the point of the page.
		if tc.status != 200 && strings.Contains(e, "status of 404") {
			continue
		}
		t.Errorf("browser error: %s", e)
	}
	if len(v.reqs) == 0 {
		t.Error("no requests recorded: the network listener is not working")
	}
	for _, r := range offHost(v.reqs) {
		t.Errorf("request left 127.0.0.1: %s", r)
	}
	if v.overflow > 0 {
		t.Errorf("the page is %d px wider than the %d px window: text or a table runs off the screen", v.overflow, width)
	}
	if len(v.charts) != tc.charts {
		t.Errorf("%d chart containers, want %d", len(v.charts), tc.charts)
	}
	for _, c := range v.charts {
		if label := strings.ToLower(c.Label); !strings.Contains(label, "highest") && !strings.Contains(label, "nothing is drawn") {
			t.Errorf("%s: aria-label %q does not describe the values", c.ID, c.Label)
		}
		switch {
		case want == drawnAsSVG && (c.Image == "" || c.Canvas):
			t.Errorf("%s: not drawn as its SVG (image %q, canvas %v)", c.ID, c.Image, c.Canvas)
		case want == drawnAsSVG && (c.ImageWidth == 0 || c.ShownWidth < int(width)/2):
			t.Errorf("%s: the SVG %s did not load or is too small (%d px wide, shown %d px)", c.ID, c.Image, c.ImageWidth, c.ShownWidth)
		case want == drawnAsSVG:
			u, err := url.Parse(c.Image)
			if err != nil || !strings.HasSuffix(u.Path, ".svg") {
				t.Errorf("%s: image %q is not the chart's SVG", c.ID, c.Image)
			}
		case !c.Instance:
			t.Errorf("%s: no ECharts instance", c.ID)
		case !c.Canvas || c.Width == 0 || c.Height == 0:
			t.Errorf("%s: no canvas drawn (%dx%d)", c.ID, c.Width, c.Height)
		case c.Painted < int(2000*width/widths[0]) || c.DataURL < 5000: // fewer pixels in a narrower canvas
			t.Errorf("%s: canvas looks blank: %d painted pixels, toDataURL %d bytes", c.ID, c.Painted, c.DataURL)
		}
	}
	if len(v.csv) < tc.charts {
		t.Errorf("%d CSV links, want at least one per chart (%d)", len(v.csv), tc.charts)
	}
	if width != widths[0] {
		return // the links are the same at every width
	}
	for _, link := range v.csv {
		res, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("%s: status %d, Content-Type %q, want 200 text/csv", link, res.StatusCode, ct)
		}
	}
}

// TestEmbedResizesFrame puts the Embed panel's two snippets, as the dyad
// page shows them, on a host page of another origin, and checks that the
// frame loads, draws its chart and is resized to the height it posts,
// also after its width changes.
func TestEmbedResizesFrame(t *testing.T) {
	ts := newServer(t)
	bctx := newBrowser(t)

	// The snippets, read from the live panel (its script fills in the origin).
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/dyad?supplier=China&recipient=Pakistan&from=1995&to=2024")); err != nil {
		t.Fatal(err)
	}
	snippets, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#chart-dyad-tiv-embed textarea")).map(function (t) { return t.value; })`))
	if err != nil {
		t.Fatal(err)
	}
	// Live snippet, resize listener, pinned snippet (dataset= and pin=).
	if len(snippets) != 3 || !strings.Contains(snippets[0], `src="`+ts.URL+`/embed/dyad/tiv?`) || !strings.Contains(snippets[1], `"`+ts.URL+`"`) ||
		!strings.Contains(snippets[2], `src="`+ts.URL+`/embed/dyad/tiv?dataset=`) || !strings.Contains(snippets[2], "pin=") {
		t.Fatalf("embed panel snippets do not name the dashboard's origin %s:\n%s", ts.URL, strings.Join(snippets, "\n"))
	}

	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><link rel="icon" href="data:,"><title>host</title></head><body>
<h1>A host page</h1>
<script>window.posted = []; window.addEventListener("message", function (e) { if (e.data && e.data.type === "armsdash:height") window.posted.push(e.data.height); });</script>
%s
%s
<p>After the frame.</p></body></html>`, snippets[0], snippets[1])
	}))
	defer host.Close()
	if host.URL == ts.URL {
		t.Fatal("host and dashboard share an origin")
	}

	rec := &recorder{}
	hctx, hcancel := chromedp.NewContext(bctx, chromedp.WithListener(rec.listen))
	defer hcancel()
	hctx, tcancel := context.WithTimeout(hctx, 45*time.Second)
	defer tcancel()
	if err := chromedp.Do(hctx, chromedp.Navigate(host.URL)); err != nil {
		t.Fatal(err)
	}
	// Wait until the frame posted a height and the listener applied it.
	const settled = `(function () {
  var f = document.querySelector("iframe");
  if (!window.posted.length) return false;
  var h = Math.ceil(window.posted[window.posted.length - 1]);
  return f.style.height === h + "px" && Math.round(f.getBoundingClientRect().height) === h ? h : false;
})()`
	first, err := chromedp.Run(hctx, chromedp.Poll[int](settled, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the frame was not resized to its posted height: %v", err)
	}
	if first < 300 || first == 520 {
		t.Errorf("frame height %d px: want the embed's own height (a chart is 340 px), not the snippet's 520", first)
	}
	// A narrower frame wraps its text and grows; it must post again.
	if err := chromedp.Do(hctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("iframe").style.width = "320px"`)); err != nil {
		t.Fatal(err)
	}
	second, err := chromedp.Run(hctx, chromedp.Poll[int](fmt.Sprintf(`(function () { var h = %s; return h && h !== %d ? h : false; })()`, settled, first),
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("after narrowing, the frame was not resized again: %v", err)
	}
	if second <= first {
		t.Errorf("narrow frame %d px, wide %d px: want taller when narrower", second, first)
	}
	shot, err := chromedp.Run(hctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(screenshotDir(t), "embed-host.png")
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("frame %d px, then %d px when 320 px wide; screenshot: %s", first, second, file)
	errs, reqs := rec.snapshot()
	for _, e := range errs {
		t.Errorf("browser error: %s", e)
	}
	for _, r := range offHost(reqs) {
		t.Errorf("request left 127.0.0.1: %s", r)
	}
}

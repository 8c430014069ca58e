package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
	"github.com/armsdash/armsdash/web"
)

// hostileNames are the names in ../../testdata/hostile (see
// web/hostile_test.go): each runs script if it reaches a page unescaped.
var hostileNames = []string{
	`</script><img src=x onerror=alert(1)>`,
	`{{.}}`,
	`=HYPERLINK("http://x")`,
	`__f__alert(1)__f__`,
	`"><svg onload=alert(1)>`,
	`javascript:alert(1)`,
}

// newHostileServer serves a store holding the hostile fixtures.
func newHostileServer(t *testing.T) *httptest.Server {
	t.Helper()
	needECharts(t)
	return newStoreServer(t, nodeModules, "../../testdata/hostile/deliveries_hostile.csv", "../../testdata/hostile/events_hostile.csv")
}

// newStoreServer serves a SQLite store into which the files at paths
// (relative to this package) are imported, in order, with ECharts looked
// for in assets.
func newStoreServer(t *testing.T, assets string, paths ...string) *httptest.Server {
	t.Helper()
	st := sqlitetest.Imported(t, paths...)
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.NewServer(web.Config{Snapshot: snap, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: assets})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// trapJS runs before any script of the page: it turns alert, confirm and
// prompt into flags and records every CSP violation.
const trapJS = `window.__xss = []; window.__csp = [];
["alert", "confirm", "prompt"].forEach(function (n) { window[n] = function (m) { window.__xss.push(n + "(" + m + ")"); }; });
document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective + " " + e.blockedURI); });`

// TestHostileNamesRunNoScript loads every page of a store whose names are
// injection payloads in Chromium and checks that no payload ran: no
// alert, confirm or prompt was called, no dialog opened, no image "x"
// was requested, and no CSP violation or console error occurred (so our
// own scripts also run within the policy). The dyad page's charts must
// still draw.
func TestHostileNamesRunNoScript(t *testing.T) {
	ts := newHostileServer(t)
	bctx := newBrowser(t)
	var paths []string
	for i, a := range hostileNames {
		b := hostileNames[(i+1)%len(hostileNames)]
		dq := url.Values{"supplier": {a}, "recipient": {b}, "from": {"2015"}, "to": {"2019"}}.Encode()
		paths = append(paths, "/dyad?"+dq)
		if i%2 == 0 {
			paths = append(paths, "/embed/dyad/shares?"+dq, "/country?"+url.Values{"name": {a}}.Encode())
		} else {
			paths = append(paths, "/events?"+url.Values{"country": {a}}.Encode(),
				"/dyad?"+url.Values{"supplier": {a}, "recipient": {"Atlantis"}}.Encode())
		}
	}
	paths = append(paths, "/", "/events", "/network", "/sources", "/embed/events/types")
	// A control: the trap must catch a payload that does run.
	paths = append([]string{"data:text/html,<script>alert(1)</script>"}, paths...)
	for _, path := range paths {
		target := ts.URL + path
		control := strings.HasPrefix(path, "data:")
		if control {
			target = path
		}
		rec := &recorder{}
		var dmu sync.Mutex
		var dialogs []string
		var ctx context.Context
		ctx, cancel := chromedp.NewContext(bctx, chromedp.WithListener(func(ev any) {
			rec.listen(ev)
			if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
				dmu.Lock()
				dialogs = append(dialogs, d.Message)
				dmu.Unlock()
				go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}
		}))
		tctx, tcancel := context.WithTimeout(ctx, 45*time.Second)
		err := chromedp.Do(tctx) // open the tab
		if err == nil {
			_, err = chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trapJS})
		}
		if err == nil {
			err = chromedp.Do(tctx, chromedp.Navigate(target), chromedp.Sleep(300*time.Millisecond))
		}
		if err != nil {
			t.Fatalf("loading %s: %v", path, err)
		}
		xss, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`window.__xss`))
		if err != nil {
			t.Fatal(err)
		}
		csp, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`window.__csp`))
		if err != nil {
			t.Fatal(err)
		}
		var charts []chartState
		if strings.HasPrefix(path, "/dyad?") && !strings.Contains(path, "Atlantis") {
			if charts, err = chromedp.Run(tctx, chromedp.Evaluate[[]chartState](chartsJS)); err != nil {
				t.Fatal(err)
			}
			if len(charts) != 4 { // TIV, shares, events and the breakdown
				t.Errorf("%s: %d charts, want 4", path, len(charts))
			}
			for _, c := range charts {
				if !c.Instance || c.Painted < 2000 {
					t.Errorf("%s: chart %s not drawn (instance %v, %d painted pixels)", path, c.ID, c.Instance, c.Painted)
				}
			}
		}
		tcancel()
		cancel()
		errs, reqs := rec.snapshot()
		if control {
			if len(xss) != 1 {
				t.Fatalf("the trap did not catch alert() in a page without CSP: %v", xss)
			}
			continue
		}
		dmu.Lock()
		if len(xss) > 0 || len(dialogs) > 0 {
			t.Errorf("%s: script ran: %v %v", path, xss, dialogs)
		}
		dmu.Unlock()
		for _, v := range csp {
			t.Errorf("%s: CSP violation: %s", path, v)
		}
		for _, e := range errs {
			if strings.Contains(path, "Atlantis") && strings.Contains(e, "status of 404") {
				continue
			}
			t.Errorf("%s: browser error: %s", path, e)
		}
		for _, r := range reqs {
			if u, err := url.Parse(r); err == nil && (u.Path == "/x" || strings.HasSuffix(u.Path, "/x")) {
				t.Errorf("%s: the injected image was requested: %s", path, r)
			}
		}
		for _, r := range offHost(reqs) {
			t.Errorf("%s: request left 127.0.0.1: %s", path, r)
		}
	}
}

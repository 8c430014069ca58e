// Package browsertest holds end-to-end tests that load the dashboard's
// pages in a real headless Chromium through chromedp: no console error or
// JavaScript exception, no request leaving 127.0.0.1, every chart drawn,
// every CSV link answering text/csv, and a screenshot of each page for
// review. The package has no code of its own; `go test ./...` runs it.
//
// The tests skip with a message when Chromium or node_modules (the
// self-hosted ECharts, installed by npm ci) is missing, except under
// CI=true, where either is a failure. Screenshots go to
// $ARMSDASH_SCREENSHOTS, or to armsdash-screenshots in os.TempDir().
package browsertest

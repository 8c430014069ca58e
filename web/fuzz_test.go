package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// fuzzQueries seed the query fuzzers: real queries, each kind of bad
// value, and the hostile names.
func fuzzQueries() []string {
	qs := []string{"", dyadQ, "from=abc", "from=2030&to=2000", "supplier=Narnia", "type=visit&country=China&from=2000",
		"%zz&to=1e9", "supplier=china&recipient=PAKISTAN", "from=1949&to=2101", "to=-1", "dataset=x&dataset=y",
		"recipient=Pakistan&top=0", "w=1&h=99999", "scale=log&measure=share&pin=2020", "from=+2000&to=0x7e0",
		"page=2", "page=-1&type=visit", "page=99999999999999999999", "register=x&supplier=China&recipient=Pakistan"}
	for _, n := range hostileNames {
		qs = append(qs, url.Values{"supplier": {n}, "recipient": {n}, "country": {n}, "name": {n}}.Encode())
	}
	return qs
}

// FuzzEventsPager checks the /events pager: whatever page is asked for,
// the page shown exists, its positions lie within the events selected,
// and a page not shown is named.
func FuzzEventsPager(f *testing.F) {
	for _, c := range []struct {
		selected int
		raw      string
	}{{0, ""}, {250, "3"}, {250, "4"}, {99, "abc"}, {100, "1"}, {101, "2"}, {5, "-7"}, {1 << 30, "10737419"}} {
		f.Add(c.selected, c.raw)
	}
	f.Fuzz(func(t *testing.T, selected int, raw string) {
		if selected < 0 || selected > 1<<40 {
			return
		}
		snap := &data.Snapshot{Version: "test", EventCounts: []data.EventCount{{Year: 2020, SideA: "China", SideB: "Pakistan", Type: "visit", Count: int64(selected)}}}
		if selected == 0 {
			snap.EventCounts = nil
		}
		params := dashboard.NewParams(url.Values{"country": {"China"}, "page": {raw}})
		if selected == 0 {
			params = dashboard.NewParams(url.Values{"page": {raw}})
		}
		q := dashboard.New(snap).ParseEvents(params)
		invalid, _ := params.Finish()
		p := newEventsPager(q)
		if p.Page < 1 || p.Page > p.Pages || p.Selected != selected {
			t.Fatalf("%d events, page %q: page %d of %d", selected, raw, p.Page, p.Pages)
		}
		if selected > 0 && (p.First < 1 || p.Last > selected || p.First > p.Last || p.Last-p.First >= dashboard.EventsPerPage) {
			t.Fatalf("%d events, page %q: events %d–%d", selected, raw, p.First, p.Last)
		}
		if n, err := strconv.Atoi(strings.TrimSpace(raw)); strings.TrimSpace(raw) != "" && (err != nil || n != p.Page) && len(invalid) == 0 {
			t.Fatalf("%d events, page %q: shows page %d without saying why", selected, raw, p.Page)
		}
		if (p.NextURL == "") != (p.Page == p.Pages) || (p.PrevURL == "") != (p.Page == 1) {
			t.Fatalf("%d events, page %q: links %+v", selected, raw, p)
		}
	})
}

// FuzzPages sends arbitrary queries (chart state included) to every kind
// of GET route: none may answer 5xx, and every answer that is cached
// must come back the same when repeated.
func FuzzPages(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	h := newTestServer(f, nil, f.TempDir(), nil).Handler()
	paths := []string{"/", "/country", "/country/imports.csv", "/network", "/embed/dyad/shares", "/dyad/events.svg",
		"/api/v1/shares", "/api/v1/rankings", "/sources", "/events", "/dyad/deals.csv", "/country/wdi.csv",
		"/api/v1/breakdown", "/dyad/breakdown.csv"}
	f.Fuzz(func(t *testing.T, q string) {
		for _, p := range paths {
			first := serveQuery(h, p, q) // rendered, unless an earlier query meant the same
			if first.Code >= 500 {
				t.Errorf("%s?%s: status %d", p, q, first.Code)
			}
			again := serveQuery(h, p, q) // from the cache
			if first.Code == http.StatusOK && (again.Code != first.Code || again.Body.String() != first.Body.String() ||
				again.Header().Get("ETag") != first.Header().Get("ETag")) {
				t.Errorf("%s?%s: asked again, status %d (was %d), ETag %q (was %q), the body the same: %v", p, q, again.Code, first.Code,
					again.Header().Get("ETag"), first.Header().Get("ETag"), again.Body.String() == first.Body.String())
			}
		}
	})
}

// serveQuery serves GET path?q from h.
func serveQuery(h http.Handler, path, q string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.URL.Path, req.URL.RawQuery = path, q
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

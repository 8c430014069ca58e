package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

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

// FuzzDyadQuery checks parseDyadQuery: it never panics, and an accepted
// query names two different known countries and a range inside the
// data's years.
func FuzzDyadQuery(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	snap, err := data.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	idx, err := newFlowIndex(snap)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, _, err := parseDyadQuery(v, idx)
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) || re.Status < 400 || re.Status > 499 {
				t.Fatalf("%q: error %v is not a 4xx RequestError", raw, err)
			}
			return
		}
		if !slices.Contains(idx.suppliers, q.Supplier) || !slices.Contains(idx.recipients, q.Recipient) || q.Supplier == q.Recipient {
			t.Fatalf("%q: accepted %q → %q", raw, q.Supplier, q.Recipient)
		}
		if q.From > q.To || q.From < idx.minYear || q.To > idx.maxYear {
			t.Fatalf("%q: accepted years %d–%d outside %d–%d", raw, q.From, q.To, idx.minYear, idx.maxYear)
		}
	})
}

// FuzzEventFilter checks parseEventFilter: accepted values are known, and
// years are in range and in order.
func FuzzEventFilter(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	types, countries := []string{"visit", "agreement"}, []string{"China", "Pakistan"}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		ef, _ := parseEventFilter(v, types, countries)
		if ef.Type != "" && !slices.Contains(types, ef.Type) || ef.Country != "" && !slices.Contains(countries, ef.Country) {
			t.Fatalf("%q: accepted %+v", raw, ef)
		}
		for _, y := range []int{ef.From, ef.To} {
			if y != 0 && (y < minQueryYear || y > maxQueryYear) {
				t.Fatalf("%q: accepted year %d", raw, y)
			}
		}
		if ef.From != 0 && ef.To != 0 && ef.From > ef.To {
			t.Fatalf("%q: accepted from %d after to %d", raw, ef.From, ef.To)
		}
	})
}

// FuzzEventsPager checks the /events page number parser: whatever page is
// asked for, the page shown exists, its positions lie within the events
// selected, and a page not shown is named.
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
		p, ignored := newEventsPager(eventFilter{Country: "China"}, selected, raw)
		if p.Page < 1 || p.Page > p.Pages || p.Selected != selected {
			t.Fatalf("%d events, page %q: page %d of %d", selected, raw, p.Page, p.Pages)
		}
		if selected > 0 && (p.First < 1 || p.Last > selected || p.First > p.Last || p.Last-p.First >= eventsPerPage) {
			t.Fatalf("%d events, page %q: events %d–%d", selected, raw, p.First, p.Last)
		}
		if n, err := strconv.Atoi(strings.TrimSpace(raw)); strings.TrimSpace(raw) != "" && (err != nil || n != p.Page) && ignored == "" {
			t.Fatalf("%d events, page %q: shows page %d without saying why", selected, raw, p.Page)
		}
		if (p.NextURL == "") != (p.Page == p.Pages) || (p.PrevURL == "") != (p.Page == 1) {
			t.Fatalf("%d events, page %q: links %+v", selected, raw, p)
		}
	})
}

// FuzzAPIParams checks the API's parsers: an error is always a
// *ParamError or *RequestError (a 4xx), and a result encodes as JSON.
func FuzzAPIParams(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	snap, err := data.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		check := func(what string, res any, err error) {
			var pe *ParamError
			var re *RequestError
			switch {
			case err == nil:
				if _, jerr := json.Marshal(res); jerr != nil {
					t.Fatalf("%s %q: result does not encode: %v", what, raw, jerr)
				}
			case errors.As(err, &pe):
			case errors.As(err, &re) && re.Status >= 400 && re.Status < 500:
			default:
				t.Fatalf("%s %q: error %v is not a 4xx", what, raw, err)
			}
		}
		sh, err := ComputeShares(snap, v)
		check("shares", sh, err)
		rk, err := ComputeRanking(snap, v)
		check("ranking", rk, err)
	})
}

// FuzzImageQuery checks that an accepted image size is within bounds.
func FuzzImageQuery(f *testing.F) {
	for _, q := range []string{"", "w=800&h=400", "w=0", "w=99999999999999999999", "h=-5", "w=1e3", "w= 640 "} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseImageQuery(v)
		if err == nil && (q.W < minImageSide || q.W > maxImageSide || q.H < minImageSide || q.H > maxImageSide) {
			t.Fatalf("%q: accepted %dx%d", raw, q.W, q.H)
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
	snap, err := data.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	paths := []string{"/", "/country", "/country/imports.csv", "/network", "/embed/dyad/shares", "/dyad/events.svg",
		"/api/v1/shares", "/api/v1/rankings", "/sources", "/events", "/dyad/deals.csv", "/country/wdi.csv"}
	f.Fuzz(func(t *testing.T, q string) {
		for _, p := range paths {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawQuery = p, q
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s?%s: status %d", p, q, rec.Code)
			}
		}
	})
}

// FuzzCacheKey checks that the cache key does not depend on the order of
// the parameters.
func FuzzCacheKey(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		k1, ok := cacheKey("/p", raw)
		if !ok {
			return
		}
		v, _ := url.ParseQuery(raw)
		k2, ok := cacheKey("/p", v.Encode())
		if !ok || k1 != k2 {
			t.Fatalf("%q: key %q, re-encoded %q", raw, k1, k2)
		}
	})
}

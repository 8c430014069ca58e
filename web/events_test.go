package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
)

// syntheticEvents returns n events between cycling pairs of countries, of
// cycling types and years, each summarised "ev-00042" by its position
// and with a source of its own (so no two are one event).
// They are test inputs only, never shown as data.
func syntheticEvents(n int) *data.File {
	f := &data.File{Dataset: data.Dataset{Name: "synthetic-events.csv", Format: data.FormatEvents, SHA256: strings.Repeat("e", 64), Rows: n}}
	pairs := [][2]string{{"China", "Pakistan"}, {"India", "Russia"}, {"Pakistan", "China"}, {"China", "India"}}
	types := []string{"visit", "agreement", "military-chiefs"}
	for i := range n {
		p := pairs[i%len(pairs)]
		date, prec := fmt.Sprintf("%d-03-01", 2000+i%25), "day"
		if i%11 == 0 {
			date, prec = "", "unknown"
		}
		f.Events = append(f.Events, data.Event{Date: date, Precision: prec, SideA: p[0], SideB: p[1],
			Type: types[(i/4)%len(types)], Summary: fmt.Sprintf("ev-%05d", i), Source: fmt.Sprintf("synthetic-%05d", i)})
	}
	return f
}

var summaryRE = regexp.MustCompile(`ev-\d{5}`)

// TestEventsPagesFromStore lists more events than a snapshot keeps: the
// list comes a page at a time from the store, equal to the same pages
// cut from the events in memory, and to what a server holding them all in
// its snapshot lists.
func TestEventsPagesFromStore(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	f := syntheticEvents(data.SnapshotEventLimit + 1234)
	if _, err := st.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.EventsTruncated || len(snap.Events) != 0 {
		t.Fatalf("snapshot of %d events: truncated %v with %d rows; want truncated, none", len(f.Events), snap.EventsTruncated, len(snap.Events))
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	fromStore, err := NewServer(Config{Snapshot: snap, Store: st, Logger: logger, AssetsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	whole := *snap
	whole.Events, whole.EventsTruncated = f.Events, false
	inMemory, err := NewServer(Config{Snapshot: &whole, Logger: logger, AssetsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		query  string
		filter data.EventFilter
		page   int
	}{
		{"", data.EventFilter{}, 1},
		{"page=2", data.EventFilter{}, 2},
		{"country=India&page=7", data.EventFilter{Country: "India"}, 7},
		{"country=Pakistan&type=visit&from=2010&to=2014&page=3", data.EventFilter{Country: "Pakistan", Type: "visit", From: 2010, To: 2014}, 3},
		{"type=agreement&page=71", data.EventFilter{Type: "agreement"}, 71}, // the last page (7,078 agreements), not full
	} {
		selected := data.FilterEvents(f.Events, tc.filter, 0, 0)
		var want []string
		for _, e := range data.FilterEvents(f.Events, tc.filter, (tc.page-1)*dashboard.EventsPerPage, dashboard.EventsPerPage) {
			want = append(want, e.Summary)
		}
		if len(want) == 0 {
			t.Fatalf("%s: the test's page %d is empty", tc.query, tc.page)
		}
		res, body := get(t, fromStore.Handler(), "/events?"+tc.query)
		if res.StatusCode != 200 {
			t.Fatalf("/events?%s: status %d", tc.query, res.StatusCode)
		}
		if got := summaryRE.FindAllString(body, -1); !slices.Equal(got, want) {
			t.Errorf("/events?%s lists %d events %.60v…; want %d %.60v…", tc.query, len(got), got, len(want), want)
		}
		first := (tc.page-1)*dashboard.EventsPerPage + 1
		pages := (len(selected) + dashboard.EventsPerPage - 1) / dashboard.EventsPerPage
		for _, w := range []string{
			fmt.Sprintf("%d of %d events.", len(selected), len(f.Events)),
			fmt.Sprintf("events %d–%d of %d, page %d of %d", first, first+len(want)-1, len(selected), tc.page, pages),
		} {
			if !strings.Contains(text(body), w) {
				t.Errorf("/events?%s lacks %q", tc.query, w)
			}
		}
		if strings.Contains(body, "this page lists") {
			t.Errorf("/events?%s says the list shows none", tc.query)
		}
		if _, mem := get(t, inMemory.Handler(), "/events?"+tc.query); !slices.Equal(summaryRE.FindAllString(mem, -1), want) {
			t.Errorf("/events?%s from a snapshot holding every event lists other events", tc.query)
		}
	}

	// The chart's full-data CSV gives the counts it is drawn from, adding
	// up to the events selected.
	res, csvBody := get(t, fromStore.Handler(), "/events/types.data.csv?country=India")
	if res.StatusCode != 200 || !strings.Contains(csvBody, "year,side A,side B,type,events,sources (weight),articles (weight)\n") {
		t.Fatalf("/events/types.data.csv: status %d, no counts table:\n%.500s", res.StatusCode, csvBody)
	}
	sum := 0
	for _, line := range strings.Split(csvBody, "\n") {
		var n int
		if parts := strings.Split(line, ","); len(parts) == 7 {
			if _, err := fmt.Sscan(parts[4], &n); err == nil && (parts[1] == "India" || parts[2] == "India") {
				sum += n
			}
		}
	}
	if want := len(data.FilterEvents(f.Events, data.EventFilter{Country: "India"}, 0, 0)); sum != want {
		t.Errorf("India's counts in the full-data CSV add up to %d; want %d", sum, want)
	}

	// Links keep the filter; the last page has no next link.
	_, body := get(t, fromStore.Handler(), "/events?country=India&page=7")
	for _, w := range []string{`href="/events?country=India&amp;page=8" rel="next"`, `href="/events?country=India&amp;page=6" rel="prev"`, `href="/events?country=India">« first`} {
		if !strings.Contains(body, w) {
			t.Errorf("page 7 of India's events lacks link %s", w)
		}
	}
	if _, body := get(t, fromStore.Handler(), "/events?type=agreement&page=71"); strings.Contains(body, `rel="next"`) || !strings.Contains(body, `rel="prev"`) {
		t.Error("the last page links to a next one, or not to the previous one")
	}
}

// TestEventsPageBadPage names a page number that is not one, or past the
// last page, and shows the first page instead.
func TestEventsPageBadPage(t *testing.T) {
	f := syntheticEvents(250)
	snap := &data.Snapshot{Version: "test"}
	snap.SetEvents(f.Events)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	for q, msg := range map[string]string{
		"page=abc":             "Parameter page: “abc” is not a page number; give 1 to 3. Showing page 1.",
		"page=0":               "Parameter page: “0” is not a page number",
		"page=4":               "page 4 is past the last page, 3.",
		"page=99999999999999":  "past the last page",
		"country=India&page=3": "page 3 is past the last page, 2.", // 125 events of India
	} {
		res, body := get(t, h, "/events?"+q)
		if res.StatusCode != 200 {
			t.Errorf("/events?%s: status %d; want 200 with a notice", q, res.StatusCode)
		}
		if !strings.Contains(text(body), msg) {
			t.Errorf("/events?%s lacks %q", q, msg)
		}
		if got := summaryRE.FindString(body); !strings.HasPrefix(q, "country") && got != "ev-00000" {
			t.Errorf("/events?%s lists from %s; want the first page", q, got)
		}
	}
}

package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// gdeltFiles are the four GDELT 2.0 exports of ../shared/data/gdelt.
var gdeltFiles = []string{"20161013151500.export.CSV", "20191024143000.export.CSV", "20260514083000.export.CSV", "20260514090000.export.CSV"}

// sharedSnapshot is the snapshot of a store holding files of
// ../shared/data, imported once per test binary.
type sharedSnapshot struct {
	once sync.Once
	snap *data.Snapshot
	err  error
}

// get imports the files rels of ../shared/data, in order, into a
// temporary SQLite store the first time it is called and returns the
// store's snapshot. It skips t when the shared data is absent.
func (s *sharedSnapshot) get(t *testing.T, rels ...string) *data.Snapshot {
	t.Helper()
	var paths []string
	for _, rel := range rels {
		paths = append(paths, shareddata.Path(t, rel))
	}
	s.once.Do(func() { s.snap, s.err = importAll(paths) })
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.snap
}

var gdeltStore sharedSnapshot

// gdeltSnapshot imports SIPRI's full listing and the four GDELT 2.0
// exports into a temporary SQLite store (once per test binary) and
// returns its snapshot. It skips when the shared data is absent.
func gdeltSnapshot(t *testing.T) *data.Snapshot {
	rels := []string{listingFile}
	for _, f := range gdeltFiles {
		rels = append(rels, "gdelt/events_v2/"+f)
	}
	return gdeltStore.get(t, rels...)
}

// importAll imports the files at paths into a new SQLite store in a
// temporary directory, removed after, and returns its snapshot.
func importAll(paths []string) (*data.Snapshot, error) {
	dir, err := os.MkdirTemp("", "armsdash-gdelt-test")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "test.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		f, err := data.Read(filepath.Base(p), b, data.Options{})
		if err != nil {
			return nil, err
		}
		if _, err := st.Import(ctx, f); err != nil {
			return nil, err
		}
	}
	return st.Snapshot(ctx)
}

// TestGDELTRussiaIndia: with GDELT loaded, Russia → India has one event,
// an agreement GDELT reported once each way round (GLOBALEVENTIDs
// 588606501 and 588607444, one article): the page shows 1 event, not 2,
// and says there are too few years with events for a rate ratio or a
// correlation. Each GDELT file's span of updates is shown on /datasets,
// under the chart, and in its CSV and JSON.
func TestGDELTRussiaIndia(t *testing.T) {
	snap := gdeltSnapshot(t)
	if snap.EventRows != 316 || snap.EventsTotal != 106 {
		t.Fatalf("%d event rows, %d events; want 316 and 106 (pandas on the raw files)", snap.EventRows, snap.EventsTotal)
	}
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	const q = "supplier=Russia&recipient=India&from=1995&to=2024"
	_, page := get(t, h, "/dyad?"+q)
	page = text(page)
	for _, want := range []string{
		"Too few years with events to correlate (1 of 30 years).",
		"1 events have a known year",
		"<th scope=\"row\">2016</th><td>2016-10-13 agreement: Sign formal agreement (CAMEO 057), reported by GDELT (one event, in 2 rows)</td>",
		"GDELT Project, GDELT 2.0 Event Database, updates 2016-10-13 15:15–15:30 UTC, one 15-minute update",
		"counted only over the updates loaded",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/dyad?%s lacks %q", q, want)
		}
	}
	if strings.Contains(page, "Pearson r") || strings.Contains(page, "Rate ratio (second ÷ first)") {
		t.Error("/dyad shows a correlation or a rate ratio on one year with events")
	}

	// The chart: 1 agreement in 2016; 3 weighted by articles (both rows
	// have NumArticles 3), 1 by sources.
	for weight, want := range map[string]string{"": "\n2016,1\n", "&weight=articles": "\n2016,3\n", "&weight=sources": "\n2016,1\n"} {
		res, csv := get(t, h, "/dyad/events.csv?"+q+weight)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(csv, "year,\"agreement (") || !strings.Contains(csv, want) {
			t.Errorf("/dyad/events.csv%s: status %d, no row %q:\n%s", weight, res.StatusCode, want, csv)
		}
		if !strings.Contains(csv, "updates 2016-10-13 15:15–15:30 UTC, one 15-minute update") {
			t.Errorf("/dyad/events.csv%s: the header does not give the updates: %.300s", weight, csv)
		}
	}
	_, rows := get(t, h, "/dyad/events.data.csv?"+q)
	if !strings.Contains(rows, ",2,588606501; 588607444,India → Russia; Russia → India,true,1,3\n") || strings.Count(rows, "\n") != 2 {
		t.Errorf("/dyad/events.data.csv: want one event of 2 rows:\n%s", rows)
	}
	var js struct {
		Datasets []struct {
			Name    string `json:"name"`
			Updates *struct {
				First string `json:"first_added"`
				Last  string `json:"last_added"`
				Count int    `json:"updates"`
				Span  string `json:"span"`
			} `json:"updates"`
		} `json:"datasets"`
		Notes []string `json:"notes"`
	}
	if res, body := get(t, h, "/dyad/events.json?"+q); res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &js) != nil {
		t.Fatalf("/dyad/events.json: status %d: %.300s", res.StatusCode, body)
	}
	spans := map[string]string{}
	for _, d := range js.Datasets {
		if d.Updates != nil {
			spans[d.Name] = d.Updates.First + " " + d.Updates.Last + " " + d.Updates.Span
		}
	}
	if got, want := spans["20260514083000.export.CSV"], "2026-05-14T08:30:00Z 2026-05-14T08:30:00Z 2026-05-14 08:30–08:45 UTC, one 15-minute update"; got != want || len(spans) != 4 {
		t.Errorf("JSON datasets' updates %q; want 4, the 08:30 file's %q", spans, want)
	}
	if !strings.Contains(strings.Join(js.Notes, " "), "counted only over the updates loaded") {
		t.Errorf("JSON notes %q do not say the counts cover only the updates loaded", js.Notes)
	}

	_, ds := get(t, h, "/datasets")
	for _, f := range []string{"2016-10-13 15:15–15:30 UTC", "2019-10-24 14:30–14:45 UTC", "2026-05-14 08:30–08:45 UTC", "2026-05-14 09:00–09:15 UTC"} {
		if !strings.Contains(text(ds), "GDELT updates: "+f+", one 15-minute update") {
			t.Errorf("/datasets does not give the updates %s", f)
		}
	}
	_, ev := get(t, h, "/events")
	if !strings.Contains(text(ev), "106 of 106 events. The files hold 316 rows") {
		t.Error("/events does not say 106 events in 316 rows")
	}
	_, ev = get(t, h, "/events?country=India&type=agreement")
	// India–Russia's event and India–Malaysia's, which GDELT reported
	// in 4 rows.
	for _, want := range []string{"2 of 106 events.", "GLOBALEVENTID 588606501, lead paragraph; 1 source(s), 3 article(s)",
		"<summary>also reported 1 more time(s)</summary><ul><li>Russia – India: RUSSIAN; HINDUSTAN; Sign formal agreement (CAMEO 057), reported by GDELT (GLOBALEVENTID 588607444)",
		"<summary>also reported 3 more time(s)</summary>"} {
		if !strings.Contains(text(ev), want) {
			t.Errorf("/events?country=India&type=agreement lacks %q", want)
		}
	}
}

// TestGDELTNoNaN walks every dyad of the full listing whose two countries
// have GDELT events, with its events chart in every data form and every
// weight, and the /events page and chart, and finds no NaN or infinity
// printed.
func TestGDELTNoNaN(t *testing.T) {
	snap := gdeltSnapshot(t)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	d := dashboard.New(snap)
	fi, err := d.Flows("")
	if err != nil {
		t.Fatal(err)
	}
	cov := fi.Coverage
	var targets []string
	seen := map[string]bool{}
	for _, c := range snap.EventCounts {
		for _, p := range [][2]string{{c.SideA, c.SideB}, {c.SideB, c.SideA}} {
			if !slices.Contains(cov.Suppliers, p[0]) || !slices.Contains(cov.Recipients, p[1]) || seen[p[0]+"|"+p[1]] {
				continue
			}
			seen[p[0]+"|"+p[1]] = true
			for _, w := range dashboard.EventWeights {
				v := url.Values{"supplier": {p[0]}, "recipient": {p[1]}, "from": {"1995"}, "to": {"2024"}, "weight": {string(w)}}
				for _, path := range []string{"/dyad", "/dyad/events.csv", "/dyad/events.json", "/dyad/events.data.csv", "/dyad/events.tidy.csv"} {
					targets = append(targets, path+"?"+v.Encode())
				}
			}
		}
	}
	for _, w := range dashboard.EventWeights {
		for _, path := range []string{"/events", "/events/types.csv", "/events/types.json", "/events/types.data.csv", "/events/types.tidy.csv"} {
			targets = append(targets, path+"?weight="+string(w))
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d dyads with events", len(seen))
	}
	for _, target := range targets {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", target, res.StatusCode)
		}
		if m := nanRE.FindString(body); m != "" {
			t.Errorf("%s prints %q", target, m)
		}
		if strings.HasSuffix(strings.SplitN(target, "?", 2)[0], ".json") && !json.Valid([]byte(body)) {
			t.Errorf("%s: invalid JSON", target)
		}
	}
	t.Logf("%d dyads, %d pages and files walked", len(seen), len(targets))
}

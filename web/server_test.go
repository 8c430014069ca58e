package web

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// nodeModules is where npm installs ECharts, relative to this package.
const nodeModules = "../node_modules"

// stubAssets returns an assets directory holding a stand-in ECharts file,
// so that tests of pages that load ECharts locally pass on a fresh clone
// without npm. TestEChartsAsset checks the real file when it is there.
func stubAssets(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(echartsRel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("// stand-in for echarts.min.js in tests\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// builtinSnapshot returns the built-in dataset (data.Builtin).
func builtinSnapshot(t testing.TB) *data.Snapshot {
	t.Helper()
	snap, err := data.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// newTestServer serves snap (the built-in dataset when nil), logging into
// logs when it is not nil. ECharts comes from assetsDir.
func newTestServer(t testing.TB, snap *data.Snapshot, assetsDir string, logs io.Writer) *Server {
	t.Helper()
	if snap == nil {
		snap = builtinSnapshot(t)
	}
	if logs == nil {
		logs = io.Discard
	}
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(logs, nil)), AssetsDir: assetsDir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// getOK requests target and fails unless the status is 200.
func getOK(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	res, body := get(t, h, target)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", target, res.StatusCode, body)
	}
	return res, body
}

// get requests target from h and returns the response and its body.
func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// checkContains fails t for each of want that body lacks and each of
// absent that it has.
func checkContains(t *testing.T, body string, want, absent []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("lacks %q", w)
		}
	}
	for _, a := range absent {
		if strings.Contains(body, a) {
			t.Errorf("has %q", a)
		}
	}
}

// text returns body with HTML entities decoded, for matching prose.
func text(body string) string { return html.UnescapeString(body) }

const dyadQ = "supplier=China&recipient=Pakistan&from=1995&to=2024"

func TestRoutes(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct {
		name, target, ctype string
		want                []string
	}{
		{"overview", "/", "text/html; charset=utf-8", []string{
			"72%", "SIPRI, as reported in 001_544cb1125bb3d864.txt", "SIPRI's 2022 release",
			"about 47%", "75%", "75.29%", "46%", "SIPRI Arms Transfers Database, generated 2026-02-12",
			"2017–2021", "3,026.63 of the 4,020.20 million TIV", "revises its whole database every year",
			"sipri_china_pakistan.csv", "JF-17", "SIPRI TIV is a volume measure, not money",
		}},
		{"dyad", "/dyad?" + dyadQ, "text/html; charset=utf-8", []string{
			"China → Pakistan, 1995–2024", `id="chart-dyad-tiv"`, `id="chart-dyad-shares"`, `id="chart-dyad-events"`,
			"deliveries by delivery year, SIPRI TIV, millions", "SIPRI Arms Transfers Database generated 2026-02-12",
			"/dyad/tiv.csv?from=1995&amp;recipient=Pakistan&amp;supplier=China&amp;to=2024",
			"/dyad/shares.csv?", "/dyad/events.csv?", "Permalink", "year not given",
			"None of the 7 events has a known year", "<td class=\"num\">81</td>", "<td class=\"num\">2001.2</td>",
		}},
		{"dyad defaults", "/dyad", "text/html; charset=utf-8", []string{"China → Pakistan, 1995–2024"}},
		{"dyad canonical names", "/dyad?supplier=china&recipient=PAKISTAN", "text/html; charset=utf-8", []string{"China → Pakistan, 1995–2024"}},
		{"dyad clipped", "/dyad?supplier=China&recipient=Pakistan&from=1980&to=2024", "text/html; charset=utf-8", []string{"narrowed to 1995–2024"}},
		{"dyad other supplier", "/dyad?supplier=France&recipient=Pakistan", "text/html; charset=utf-8", []string{"does not include all of France's exports"}},
		{"events", "/events", "text/html; charset=utf-8", []string{
			"7 of 7 events", "Li Shangfu", "Samarkand", "year not given", "(unknown)", "on Monday",
			"000_a626a127c7a36113.txt", `id="chart-events-types"`, "/events/types.csv",
		}},
		{"events filtered", "/events?type=military-chiefs&country=Pakistan", "text/html; charset=utf-8", []string{"3 of 7 events"}},
		{"events year filter", "/events?from=2000&to=2024", "text/html; charset=utf-8", []string{"0 of 7 events", "7 events whose source gives no year are left out"}},
		{"events bad filters", "/events?type=bogus&from=abc&country=Mars", "text/html; charset=utf-8", []string{
			"7 of 7 events", "Parameter type: “bogus” is not one of", "Parameter from: “abc” is not a year", "Parameter country: no events involve “Mars”",
		}},
		{"sources", "/sources", "text/html; charset=utf-8", []string{
			"SIPRI Arms Transfers Database", "Source: SIPRI Arms Transfers Database (c) SIPRI",
			"SIPRI terms of use", "2026-02-12", "724938e8a8dcf0a587ba7129100e80d4efb06f4c5aa9cea3a3443ca50da301f1",
			"000_a626a127c7a36113.txt", "001_544cb1125bb3d864.txt", "003_2a1a7ed2458459dd.txt",
			"volume measure, not money", "40%", "66%", "72 percent",
		}},
		{"healthz", "/healthz", "text/plain; charset=utf-8", []string{"ok"}},
		{"tiv csv", "/dyad/tiv.csv?" + dyadQ, "text/csv; charset=utf-8", []string{
			"year,China to Pakistan (SIPRI TIV millions; SIPRI Arms Transfers Database generated 2026-02-12)", "\n2023,2001.2,",
		}},
		{"shares csv", "/dyad/shares.csv?" + dyadQ, "text/csv; charset=utf-8", []string{"\n2020–2024,81,63\n"}},
		{"events csv", "/dyad/events.csv?" + dyadQ, "text/csv; charset=utf-8", []string{"year,defence-ministers (number of events;", "\nyear not given,1,3,1,1,1\n"}},
		{"event types csv", "/events/types.csv", "text/csv; charset=utf-8", []string{"type,events (number of events;", "\nmilitary-chiefs,3\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, body := getOK(t, h, c.target)
			if got := res.Header.Get("Content-Type"); got != c.ctype {
				t.Errorf("Content-Type %q, want %q", got, c.ctype)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) && !strings.Contains(text(body), w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

func TestCSVDownloadHeaders(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct{ target, file string }{
		{"/dyad/tiv.csv?" + dyadQ, "armsdash_china_pakistan_tiv_1995-2024.csv"},
		{"/dyad/shares.csv?" + dyadQ, "armsdash_china_pakistan_shares_1995-2024.csv"},
		{"/dyad/events.csv?" + dyadQ, "armsdash_china_pakistan_events_1995-2024.csv"},
		{"/events/types.csv?country=Pakistan", "armsdash_events_by_type_pakistan.csv"},
	} {
		res, _ := get(t, h, c.target)
		if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="`+c.file+`"`; got != want {
			t.Errorf("%s: Content-Disposition %q, want %q", c.target, got, want)
		}
	}
}

// chartOptions extracts the options JSON of chart id: the content of its
// <script type="application/json" id="ID-options">, which
// static/charts.js passes to setOption.
func chartOptions(t *testing.T, body, id string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`<script type="application/json" id="` + regexp.QuoteMeta(id) + `-options"[^>]*>([^<]*)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no options for %s", id)
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(m[1]), &o); err != nil {
		t.Fatalf("options of %s are not JSON: %v", id, err)
	}
	return o
}

// drawn is a chart's numbers as ECharts receives them.
type drawn struct {
	x      []string
	names  []string
	values [][]string // as the CSV writes them; "" for no value
}

// checkCSV checks that recs, a chart's CSV with its header, holds exactly
// what d draws: a row per x labelled x, a column per series whose header
// starts with the series name and then nameSuffix, the same values.
func (d drawn) checkCSV(t *testing.T, recs [][]string, nameSuffix string) {
	t.Helper()
	if len(recs) != len(d.x)+1 || len(recs[0]) != len(d.names)+1 {
		t.Fatalf("CSV %d×%d, chart %d x %d series", len(recs)-1, len(recs[0])-1, len(d.x), len(d.names))
	}
	for j, name := range d.names {
		if !strings.HasPrefix(recs[0][j+1], name+nameSuffix) {
			t.Errorf("CSV column %d is %q, chart series %q", j+1, recs[0][j+1], name)
		}
	}
	for i, x := range d.x {
		if recs[i+1][0] != x {
			t.Errorf("row %d: CSV %q, chart %q", i+1, recs[i+1][0], x)
		}
		for j := range d.names {
			if recs[i+1][j+1] != d.values[j][i] {
				t.Errorf("%s, %s: CSV %q, chart %q", x, d.names[j], recs[i+1][j+1], d.values[j][i])
			}
		}
	}
}

func drawnOf(t *testing.T, o map[string]any) drawn {
	t.Helper()
	var d drawn
	xa := o["xAxis"].([]any)[0].(map[string]any)
	for _, x := range xa["data"].([]any) {
		d.x = append(d.x, x.(string))
	}
	for _, s := range o["series"].([]any) {
		sm := s.(map[string]any)
		d.names = append(d.names, sm["name"].(string))
		var vs []string
		for _, p := range sm["data"].([]any) {
			switch v := p.(map[string]any)["value"].(type) {
			case float64:
				vs = append(vs, strconv.FormatFloat(v, 'f', -1, 64))
			case string:
				if v != "-" {
					t.Fatalf("value %q in chart data", v)
				}
				vs = append(vs, "")
			default:
				t.Fatalf("value %v (%T) in chart data", v, v)
			}
		}
		d.values = append(d.values, vs)
	}
	return d
}

// TestCSVEqualsChart checks that each CSV holds exactly the numbers its
// chart draws: same x labels, same series in order, same values.
func TestCSVEqualsChart(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct{ page, csv, id string }{
		{"/dyad?" + dyadQ, "/dyad/tiv.csv?" + dyadQ, "chart-dyad-tiv"},
		{"/dyad?" + dyadQ, "/dyad/shares.csv?" + dyadQ, "chart-dyad-shares"},
		{"/dyad?" + dyadQ, "/dyad/events.csv?" + dyadQ, "chart-dyad-events"},
		{"/dyad?supplier=France&recipient=Pakistan&from=2000&to=2012", "/dyad/shares.csv?supplier=France&recipient=Pakistan&from=2000&to=2012", "chart-dyad-shares"},
		{"/dyad?supplier=Russia&recipient=Pakistan&from=2001&to=2003", "/dyad/tiv.csv?supplier=Russia&recipient=Pakistan&from=2001&to=2003", "chart-dyad-tiv"},
		{"/events", "/events/types.csv", "chart-events-types"},
		{"/events?country=China&type=agreement", "/events/types.csv?country=China&type=agreement", "chart-events-types"},
	} {
		t.Run(c.csv, func(t *testing.T) {
			_, page := get(t, h, c.page)
			d := drawnOf(t, chartOptions(t, page, c.id))
			_, body := get(t, h, c.csv)
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(d.x)+1 {
				t.Fatalf("CSV has %d rows, chart %d x labels", len(recs)-1, len(d.x))
			}
			if len(recs[0]) != len(d.names)+1 {
				t.Fatalf("CSV has %d value columns, chart %d series", len(recs[0])-1, len(d.names))
			}
			for j, name := range d.names {
				if !strings.HasPrefix(recs[0][j+1], name+" (") {
					t.Errorf("CSV column %d is %q, chart series %q", j+1, recs[0][j+1], name)
				}
			}
			for i, x := range d.x {
				row := recs[i+1]
				if row[0] != x {
					t.Errorf("row %d: CSV label %q, chart %q", i+1, row[0], x)
				}
				for j := range d.names {
					if row[j+1] != d.values[j][i] {
						t.Errorf("%s, %s: CSV %q, chart %q", x, d.names[j], row[j+1], d.values[j][i])
					}
				}
			}
		})
	}
}

// TestChartNumbers checks the chart's values against SIPRI's figures
// computed independently (see analysis/sipri_test.go): 2020–2024 gives
// 81.1% and 63.0%, which the table shows as SIPRI rounds them, 81 and 63.
func TestChartNumbers(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	fi, err := dashboard.New(s.Snapshot()).Flows("")
	if err != nil {
		t.Fatal(err)
	}
	sh := dyadShareSeries(fi, dashboard.DyadQuery{Supplier: "China", Recipient: "Pakistan", From: 1995, To: 2024})
	last := len(sh.X) - 1
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"China's share of Pakistan's imports 2020–2024", sh.Series[0].Values[last], 81.1},
		{"Pakistan's share of China's exports 2020–2024", sh.Series[1].Values[last], 63.0},
	} {
		if math.Abs(c.got-c.want) > 0.05 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if row := sh.Table().Rows[last]; row[1] != "81" || row[2] != "63" {
		t.Errorf("table row %q; want 81 and 63, as SIPRI rounds them", row)
	}
	if sh.X[last] != "2020–2024" || len(sh.X) != 6 {
		t.Errorf("periods %v, want 6 ending 2020–2024", sh.X)
	}
}

// TestBadRequests checks the one query policy on the dyad page and its
// downloads: a page names each value it cannot use (with a suggestion
// where one is close) and shows the default instead, with status 200; a
// download answers 400 naming the parameter and listing the valid values
// when there are few.
func TestBadRequests(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct {
		name, target string
		status       int
		want         []string
	}{
		{"unknown supplier", "/dyad?supplier=Narnia&recipient=Pakistan", 200, []string{"Parameter supplier: no data for “Narnia” as supplier", "Showing China.", "China → Pakistan"}},
		{"misspelt recipient", "/dyad?supplier=China&recipient=Pakistn", 200, []string{"Parameter recipient: no data for “Pakistn” as recipient", "did you mean “Pakistan”?"}},
		{"recipient without full imports", "/dyad?supplier=China&recipient=France", 200, []string{"Parameter recipient: no data for “France” as recipient"}},
		{"unknown parameter", "/dyad?supplier=China&recipient=Pakistan&frm=2000", 200, []string{"Parameter frm: this page takes no such parameter", "did you mean “from”?", "It is ignored."}},
		{"unknown country in csv", "/dyad/tiv.csv?supplier=Narnia", 400, []string{"Parameter supplier: no data for “Narnia”", "Suppliers with data", "China", "France"}},
		{"unknown parameter in csv", "/dyad/tiv.csv?recipent=India", 400, []string{"Parameter recipent: this page takes no such parameter", "did you mean “recipient”?"}},
		{"from not a number", "/dyad?from=abc", 200, []string{"Parameter from: “abc” is not a year"}},
		{"to not a number", "/dyad/shares.csv?to=20x4", 400, []string{"Parameter to: “20x4” is not a year"}},
		{"from after to", "/dyad?from=2030&to=2000", 200, []string{"Parameter from: 2030 is after to (2000)", "Showing 1995–2024."}},
		{"year too early", "/dyad?from=1900", 200, []string{"Parameter from: 1900 is outside 1950–2100"}},
		{"year too late", "/dyad/events.csv?to=2101", 400, []string{"Parameter to: 2101 is outside 1950–2100"}},
		{"huge year", "/dyad?to=99999999999999999999999", 200, []string{"Parameter to:"}},
		{"same country", "/dyad?supplier=Pakistan&recipient=Pakistan", 200, []string{"supplier and recipient are both Pakistan"}},
		{"range without data", "/dyad?from=2030&to=2040", 200, []string{"Parameter from: no data for 2030–2040", "covers deliveries in 1995–2024"}},
		{"range without data in csv", "/dyad/tiv.csv?from=2030&to=2040", 400, []string{"Parameter from: no data for 2030–2040"}},
		{"no such page", "/nope", 404, []string{"There is no page at /nope"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, body := get(t, h, c.target)
			if res.StatusCode != c.status {
				t.Errorf("status %d, want %d", res.StatusCode, c.status)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range c.want {
				if !strings.Contains(text(body), w) {
					t.Errorf("body lacks %q\n%s", w, body)
				}
			}
			if c.status == 200 {
				// The bad value is left out of every link on the page.
				bad, _ := url.ParseQuery(strings.SplitN(c.target, "?", 2)[1])
				for k, vs := range bad {
					for _, l := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(body, -1) {
						if u, err := url.Parse(text(l[1])); err == nil && u.Query().Has(k) && u.Query().Get(k) == vs[0] && !isCanonical(k, vs[0]) {
							t.Errorf("link %s keeps %s=%s", l[1], k, vs[0])
						}
					}
				}
			}
		})
	}
}

// isCanonical reports whether k=v is a value a dyad link may carry as it
// is (the test's valid values).
func isCanonical(k, v string) bool {
	return k == "supplier" && v == "China" || k == "recipient" && v == "Pakistan"
}

// TestNeverServerError sends odd queries to every route; none may give a
// 5xx.
func TestNeverServerError(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	paths := []string{"/", "/dyad", "/dyad/tiv.csv", "/dyad/shares.csv", "/dyad/events.csv", "/events", "/events/types.csv", "/sources"}
	queries := []string{
		"", "supplier=&recipient=", "from=&to=", "from=-1", "from=1995&to=1995", "from=2024&to=2024", "from=1995&to=1996",
		"supplier=%00", "supplier=" + strings.Repeat("x", 5000), "from=1e3", "to=%E2%80%AE", "type=%3Cscript%3E",
		"country=%27%22%3E%3Csvg%3E", "from=2000&from=abc", "supplier=China&recipient=(other+recipients+of+China)",
		"supplier=unknown+supplier(s)&recipient=Pakistan", "%zz", "from=1950&to=2100",
	}
	for _, p := range paths {
		for _, q := range queries {
			res, body := get(t, h, p+"?"+q)
			if res.StatusCode >= 500 {
				t.Errorf("%s?%s: status %d\n%s", p, q, res.StatusCode, body)
			}
		}
	}
}

// hostile is a value an imported file could carry.
const hostile = `</script><img src=x onerror=alert(1)>__f__alert(1)__f__`

func hostileSnapshot() *data.Snapshot {
	ds := data.Dataset{Name: "evil<b>.csv", Format: data.FormatFlows, Source: "Evil <i>DB</i>", Vintage: "2026-01-01", SHA256: "00", Rows: 3}
	return &data.Snapshot{
		Version:  "test",
		Datasets: []data.Dataset{ds, {Name: "events.csv", Format: data.FormatEvents, Source: "event list <x>"}},
		FlowSets: []data.FlowSet{{Dataset: ds, Flows: []data.Flow{
			{Supplier: hostile, Recipient: "Pakistan", Year: 2000, TIV: 10},
			{Supplier: hostile, Recipient: data.OtherRecipients(hostile), Year: 2000, TIV: 5},
			{Supplier: "China", Recipient: "Pakistan", Year: 2001, TIV: 20},
		}}},
		Events: []data.Event{{
			Date: "2001-02-03", Precision: "day", SideA: hostile, SideB: "Pakistan", Actors: hostile,
			Type: "visit", Place: hostile, Summary: hostile, Source: hostile, SourceURL: "javascript:alert(1)",
		}},
		EventCounts: []data.EventCount{{Year: 2001, SideA: hostile, SideB: "Pakistan", Type: "visit", Count: 1}},
		EventsTotal: 1,
		Figures: []data.Figure{{Measure: data.MeasureSupplierShare, Supplier: hostile, Recipient: "Pakistan", From: 2000, To: 2001,
			Percent: 50, Quote: hostile, Publisher: hostile, Source: hostile}},
	}
}

// TestHostileStrings checks that names from imported files are escaped in
// HTML and stay inert strings in the chart JSON.
func TestHostileStrings(t *testing.T) {
	h := newTestServer(t, hostileSnapshot(), t.TempDir(), nil).Handler()
	q := "supplier=" + urlEscape(hostile) + "&recipient=Pakistan&from=2000&to=2001"
	for _, c := range []struct {
		target, chartID string
	}{
		{"/", ""},
		{"/dyad?" + q, "chart-dyad-tiv"},
		{"/events", "chart-events-types"},
		{"/events?country=" + urlEscape(hostile), "chart-events-types"},
		{"/sources", ""},
		{"/dyad?supplier=" + urlEscape(hostile+"x"), ""},
	} {
		t.Run(c.target, func(t *testing.T) {
			res, body := get(t, h, c.target)
			if res.StatusCode >= 500 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, bad := range []string{"<img src=x", "<i>", "<b>", "<x>", `href="javascript:`} {
				if strings.Contains(body, bad) {
					t.Errorf("body contains %q unescaped", bad)
				}
			}
			if strings.Count(body, "</script>") != strings.Count(body, "<script") {
				t.Errorf("a value closed a <script> element")
			}
			if c.chartID == "" {
				return
			}
			o := chartOptions(t, body, c.chartID)
			b, _ := json.Marshal(o)
			if c.chartID == "chart-dyad-tiv" && !bytes.Contains(b, []byte(`__f__alert(1)__f__`)) {
				t.Errorf("hostile name missing from chart options: %s", b)
			}
			if !strings.Contains(c.target, "dyad") {
				return
			}
			d := drawnOf(t, o)
			if d.names[0] != hostile+" to Pakistan" {
				t.Errorf("series name %q, want the hostile name as a plain string", d.names[0])
			}
		})
	}
	// The hostile string is still a plain string in the CSV.
	_, body := get(t, h, "/dyad/tiv.csv?"+q)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || !strings.HasPrefix(recs[0][1], hostile) {
		t.Errorf("CSV header %q (%v)", recs, err)
	}
}

func urlEscape(s string) string {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	q := r.URL.Query()
	q.Set("v", s)
	return strings.TrimPrefix(q.Encode(), "v=")
}

func TestCSVSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"China", "China"},
		{"=1+2", "'=1+2"},
		{"+cmd", "'+cmd"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"-12.5", "-12.5"},
		{"+3", "+3"},
		{"2020–2024", "2020–2024"},
	} {
		if got := csvSafe(c.in); got != c.want {
			t.Errorf("csvSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCSVEscapesFormulas(t *testing.T) {
	s := Series{XName: "year", Unit: "u", Source: "src", X: []string{"=HYPERLINK(1)", "2000"},
		Series: []Named{{Name: "@evil", Values: []float64{-1.5, math.NaN()}}}}
	b, err := s.CSV()
	if err != nil {
		t.Fatal(err)
	}
	want := "year,'@evil (u; src)\n'=HYPERLINK(1),-1.5\n2000,\n"
	if string(b) != want {
		t.Errorf("CSV\n%s\nwant\n%s", b, want)
	}
}

func TestEChartsAsset(t *testing.T) {
	local := filepath.Join(nodeModules, filepath.FromSlash(echartsRel))
	if _, err := os.Stat(local); err != nil {
		t.Skip("node_modules absent; run npm ci in the repository")
	}
	b, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	if got := sriSHA384(b); got != EChartsSHA384 {
		t.Errorf("sha384 of %s is %s; EChartsSHA384 is %s", local, got, EChartsSHA384)
	}
	h := newTestServer(t, nil, nodeModules, nil).Handler()
	_, page := get(t, h, "/dyad")
	m := regexp.MustCompile(`<script src="(/static/echarts\.[0-9a-f]{12}\.min\.js)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page does not load the local ECharts under a hashed name")
	}
	for _, path := range []string{m[1], echartsPath} {
		res, body := get(t, h, path)
		if res.StatusCode != 200 || body != string(b) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("%s: status %d, %d bytes, %s", path, res.StatusCode, len(body), res.Header.Get("Content-Type"))
		}
	}
	res, _ := get(t, h, m[1])
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("%s: Cache-Control %q, want immutable for a year", m[1], cc)
	}
	checkGzip(t, h, m[1], b)
}

// checkGzip requests path with and without Accept-Encoding: gzip and
// checks that the gzip'd body decodes to want, that each representation
// has its own ETag, both Vary on Accept-Encoding, and that each ETag
// gives a 304 for its own representation only.
func checkGzip(t *testing.T, h http.Handler, path string, want []byte) {
	t.Helper()
	do := func(enc, inm string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	plain, gz := do("", ""), do("br, gzip;q=0.8", "")
	if plain.Code != 200 || gz.Code != 200 {
		t.Fatalf("%s: status %d and %d", path, plain.Code, gz.Code)
	}
	if gz.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("%s: Content-Encoding %q with gzip, %q without", path, gz.Header().Get("Content-Encoding"), plain.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s: gzip'd body decodes to %d bytes (%v), want %d", path, len(got), err, len(want))
	}
	if plain.Body.Len() != len(want) {
		t.Errorf("%s: plain body %d bytes, want %d", path, plain.Body.Len(), len(want))
	}
	if gz.Body.Len() >= len(want) {
		t.Errorf("%s: gzip'd body %d bytes is no smaller than %d", path, gz.Body.Len(), len(want))
	}
	pt, gt := plain.Header().Get("ETag"), gz.Header().Get("ETag")
	if pt == "" || gt != strings.TrimSuffix(pt, `"`)+`-gzip"` {
		t.Errorf("%s: ETag %q plain, %q gzip'd", path, pt, gt)
	}
	for _, rec := range []*httptest.ResponseRecorder{plain, gz} {
		if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q", path, rec.Header().Get("Vary"))
		}
	}
	if c := do("gzip", gt).Code; c != http.StatusNotModified {
		t.Errorf("%s: gzip ETag with gzip: %d, want 304", path, c)
	}
	if c := do("", pt).Code; c != http.StatusNotModified {
		t.Errorf("%s: plain ETag without gzip: %d, want 304", path, c)
	}
	if c := do("", gt).Code; c != http.StatusOK {
		t.Errorf("%s: gzip ETag without gzip: %d, want 200", path, c)
	}
}

// TestEChartsMissing serves pages with no ECharts installed and no CDN
// allowed (the default): no script loads ECharts, the CSP names no CDN,
// and each chart is its server-drawn SVG, the same URL as its download.
func TestEChartsMissing(t *testing.T) {
	var logs bytes.Buffer
	h := newTestServer(t, nil, t.TempDir(), &logs).Handler()
	if n := strings.Count(logs.String(), "pages show each chart as its server-drawn SVG"); n != 1 {
		t.Errorf("%d log lines on the SVG fallback, want 1:\n%s", n, logs.String())
	}
	for _, path := range []string{"/dyad", "/country?name=Pakistan", "/events", "/embed/dyad/tiv"} {
		res, page := get(t, h, path)
		if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "jsdelivr") || strings.Contains(csp, "https:") {
			t.Errorf("%s: CSP names a CDN: %s", path, csp)
		}
		if strings.Contains(page, "echarts") && strings.Contains(page, "<script src=") {
			t.Errorf("%s: the page loads a script though ECharts is not installed", path)
		}
		imgs := regexp.MustCompile(`<img class="chart-image" src="([^"]+)" alt="([^"]+)"`).FindAllStringSubmatch(page, -1)
		ids := regexp.MustCompile(`class="chart-canvas" id="([^"]+)"`).FindAllStringSubmatch(page, -1)
		if len(imgs) == 0 || len(imgs) != len(ids) {
			t.Fatalf("%s: %d chart images for %d charts", path, len(imgs), len(ids))
		}
		for _, m := range imgs {
			src := text(m[1])
			if !strings.Contains(page, `href="`+m[1]+`"`) && !strings.HasPrefix(path, "/embed/") {
				t.Errorf("%s: the image %s is not the chart's SVG download", path, src)
			}
			res, body := get(t, h, src)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<desc") {
				t.Errorf("%s: %s: status %d, %s", path, src, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.Contains(strings.ToLower(m[2]), "highest") {
				t.Errorf("%s: alt text %q does not describe the values", path, m[2])
			}
		}
	}
	if res, _ := get(t, h, echartsPath); res.StatusCode != 404 {
		t.Errorf("%s: status %d, want 404", echartsPath, res.StatusCode)
	}
}

// TestEChartsFromCDN: with Config.EChartsCDN and no local ECharts, pages
// load it from the CDN with subresource integrity, and the CSP allows it.
func TestEChartsFromCDN(t *testing.T) {
	s, err := NewServer(Config{Snapshot: builtinSnapshot(t), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: t.TempDir(), EChartsCDN: true})
	if err != nil {
		t.Fatal(err)
	}
	res, page := get(t, s.Handler(), "/dyad")
	want := `<script src="` + EChartsCDN + `" integrity="` + EChartsSHA384 + `" crossorigin="anonymous"`
	if !strings.Contains(text(page), want) {
		t.Errorf("page lacks %s", want)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' ") || !strings.Contains(csp, echartsCDNOrigin) {
		t.Errorf("CSP %q does not allow the CDN", csp)
	}
	if !strings.Contains(page, "<noscript><picture>") {
		t.Error("without JavaScript the charts are not drawn as their SVG")
	}
}

// TestInternalErrors checks that errors and panics become a generic 500
// page with a reference, the details only in the log.
func TestInternalErrors(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, nil, t.TempDir(), &logs)
	e := s.Handler().(*gin.Engine)
	e.GET("/test-error", s.handle(func(*gin.Context) error { return errors.New("secret: /var/db/path") }))
	e.GET("/test-panic", s.handle(func(*gin.Context) error { panic("secret panic value") }))
	for _, target := range []string{"/test-error", "/test-panic"} {
		res, body := get(t, e, target)
		if res.StatusCode != 500 {
			t.Errorf("%s: status %d, want 500", target, res.StatusCode)
		}
		if strings.Contains(body, "secret") || strings.Contains(body, "goroutine") {
			t.Errorf("%s: page shows internals:\n%s", target, body)
		}
		id := res.Header.Get("X-Request-Id")
		if id == "" || !strings.Contains(body, id) || !strings.Contains(logs.String(), "request_id="+id) {
			t.Errorf("%s: request id %q not on the page and in the log", target, id)
		}
	}
	if !strings.Contains(logs.String(), "secret: /var/db/path") || !strings.Contains(logs.String(), "secret panic value") {
		t.Errorf("log lacks the errors:\n%s", logs.String())
	}
}

func TestSetSnapshot(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	s.SetSnapshot(hostileSnapshot())
	_, body := get(t, s.Handler(), "/sources")
	if !strings.Contains(body, "evil&lt;b&gt;.csv") {
		t.Error("the new snapshot is not shown")
	}
	if _, body := get(t, s.Handler(), "/dyad"); !strings.Contains(body, "Evil &lt;i&gt;DB&lt;/i&gt;") {
		t.Error("the dyad page still uses the old flow set")
	}
}

func TestNoFlows(t *testing.T) {
	h := newTestServer(t, &data.Snapshot{Version: "empty"}, t.TempDir(), nil).Handler()
	for _, c := range []struct {
		target string
		status int
	}{{"/", 200}, {"/events", 200}, {"/sources", 200}, {"/dyad", 404}, {"/dyad/tiv.csv", 404}, {"/events/types.csv", 200}} {
		if res, body := get(t, h, c.target); res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d\n%s", c.target, res.StatusCode, c.status, body)
		}
	}
}

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	h := newTestServer(t, nil, t.TempDir(), &logs).Handler()
	res, _ := get(t, h, "/healthz")
	for _, w := range []string{"method=GET", "path=/healthz", "status=200", "duration=", "request_id=" + res.Header.Get("X-Request-Id")} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, logs.String())
		}
	}
}

func TestHead(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, target := range []string{"/", "/dyad", "/events", "/sources", "/healthz", "/dyad/tiv.csv"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, target, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("HEAD %s: status %d, want 200", target, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/dyad", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /dyad: status %d, want 405", rec.Code)
	}
}

// checkNo5xx requests each of paths with the query string q: none may
// answer with a 5xx status.
func checkNo5xx(t *testing.T, h http.Handler, paths []string, q string) {
	t.Helper()
	for _, p := range paths {
		if rec := serveQuery(h, p, q); rec.Code >= 500 {
			t.Errorf("%s?%s: status %d", p, q, rec.Code)
		}
	}
}

// FuzzQuery checks that no query string makes any page fail with a 5xx.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{"", dyadQ, "from=abc", "from=2030&to=2000", "supplier=Narnia", "type=visit&country=China&from=2000", "%zz&to=1e9"} {
		f.Add(q)
	}
	h := newTestServer(f, nil, f.TempDir(), nil).Handler()
	paths := []string{"/dyad", "/dyad/tiv.csv", "/dyad/shares.csv", "/dyad/events.csv", "/events", "/events/types.csv"}
	f.Fuzz(func(t *testing.T, q string) { checkNo5xx(t, h, paths, q) })
}

package web

import (
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
)

// TestPermalinkRoundTrip follows each chart's permalink and checks that
// it carries every non-default value and draws byte-identical options.
func TestPermalinkRoundTrip(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	optionsRe := func(id string) *regexp.Regexp {
		return regexp.MustCompile(`getElementById\("` + id + `"\);\n(?:.*\n){0,6}?\s*chart\.setOption\((.*)\);`)
	}
	for _, tc := range []struct{ page, id, state string }{
		{"/dyad?" + dyadQ, "chart-dyad-tiv", "markers=off&scale=log&chart=line&measure=share"},
		{"/dyad?" + dyadQ, "chart-dyad-events", "markers=off&chart=line"},
		{"/dyad?" + dyadQ, "chart-dyad-shares", "scale=log"},
		{"/country?name=Pakistan&from=2000&to=2024", "chart-country-imports", "scale=log&chart=line"},
		{"/events?country=Pakistan", "chart-events-types", "chart=line"},
	} {
		t.Run(tc.id+"?"+tc.state, func(t *testing.T) {
			_, body := get(t, h, tc.page+"&"+tc.state)
			m := regexp.MustCompile(`<a href="([^"]*#` + tc.id + `)">Permalink</a>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no permalink")
			}
			link := text(m[1])
			u, err := url.Parse(link)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := url.ParseQuery(tc.state)
			for k := range want {
				if u.Query().Get(k) != want.Get(k) {
					t.Errorf("permalink %s lost %s=%s", link, k, want.Get(k))
				}
			}
			first := optionsRe(tc.id).FindStringSubmatch(body)
			_, again := get(t, h, strings.SplitN(link, "#", 2)[0])
			second := optionsRe(tc.id).FindStringSubmatch(again)
			if first == nil || second == nil {
				t.Fatal("no chart options")
			}
			if first[1] != second[1] {
				t.Errorf("permalink draws other options:\n%s\n%s", first[1], second[1])
			}
			if tc.state != "" && !strings.Contains(first[1], `"type":"line"`) && strings.Contains(tc.state, "chart=line") {
				t.Error("chart=line draws no line")
			}
		})
	}
}

// TestLogScale checks that on a log scale zero values are left out of
// the chart with a note, kept in the table and CSV, and that the axis
// is logarithmic in the options and the SVG.
func TestLogScale(t *testing.T) {
	s := Series{ID: "chart-x", XName: "year", YName: "TIV", Unit: "u", Source: "s", Rule: "r", X: []string{"2020", "2021", "2022"},
		Series: []Named{{Name: "a", Values: []float64{0, 5, math.NaN()}}, {Name: "b", Values: []float64{10, 0, 100}}}}
	st := dashboard.DefaultState
	st.Scale = dashboard.ScaleLog
	d := drawnSeries(st, s)
	if !math.IsNaN(d.Series[0].Values[0]) || !math.IsNaN(d.Series[1].Values[1]) || d.Series[1].Values[2] != 100 {
		t.Errorf("drawn %v", d.Series)
	}
	if s.Series[0].Values[0] != 0 {
		t.Error("drawn changed the series it was given")
	}
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "2 zero values are left out") {
		t.Errorf("notes %q", d.Notes)
	}
	b, err := stateOptions(st, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"type":"log"`) || !strings.Contains(string(b), `{"value":"-"},{"value":5}`) {
		t.Errorf("options %s", b)
	}
	ci, err := newChartImageAs(d, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ci.plot.Y.Scale.(floorLog); !ok || ci.plot.Y.Min != 1 || ci.plot.Y.Max != 100 {
		t.Errorf("image axis %T %v–%v", ci.plot.Y.Scale, ci.plot.Y.Min, ci.plot.Y.Max)
	}
	if _, err := ci.render(formatSVG, dashboard.ImageSize{W: 400, H: 300}); err != nil {
		t.Fatal(err)
	}

	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, page := get(t, h, "/dyad?"+dyadQ+"&scale=log")
	if !strings.Contains(page, "zero values are left out of the chart; the table and the CSV keep them") {
		t.Error("dyad page with scale=log has no note on zeros")
	}
	if !strings.Contains(page, `<td class="num">0</td>`) {
		t.Error("the table lost its zeros")
	}
	_, csvBody := get(t, h, "/dyad/events.csv?"+dyadQ+"&scale=log")
	if !strings.Contains(csvBody, ",0") {
		t.Error("the CSV lost its zeros")
	}
	res, svg := get(t, h, "/dyad/tiv.svg?"+dyadQ+"&scale=log&chart=line")
	if res.StatusCode != 200 || !strings.Contains(svg, "<svg") {
		t.Errorf("log line SVG: %d", res.StatusCode)
	}
}

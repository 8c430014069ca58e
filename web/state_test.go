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
		return regexp.MustCompile(`<script type="application/json" id="` + id + `-options"[^>]*>([^<]*)</script>`)
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
	if len(d.Notes) != 2 || !strings.Contains(d.Notes[1], "2 zero values are left out of the chart (a: 2020; b: 2021)") {
		t.Errorf("notes %q", d.Notes)
	}
	b, err := stateOptions(st, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"type":"log"`) || !strings.Contains(string(b), `{"value":"-"},{"value":5}`) || strings.Contains(string(b), `"type":"bar"`) {
		t.Errorf("options %s", b)
	}
	ci, err := newChartImageAs(d, st, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !ci.scale.Log || ci.scale.Min != 1 || ci.scale.Max != 100 || strings.Join(ci.yLabels, " ") != "1 10 100" {
		t.Errorf("image axis log=%v %v–%v, labels %q", ci.scale.Log, ci.scale.Min, ci.scale.Max, ci.yLabels)
	}
	for _, ser := range ci.series {
		if ser.Type != typeLine {
			t.Errorf("series %s drawn as %s on a log scale: bars would hang from the axis floor", ser.Name, ser.Type)
		}
	}
	if _, err := ci.render(formatSVG, dashboard.ImageSize{W: 400, H: 300}); err != nil {
		t.Fatal(err)
	}

	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, page := get(t, h, "/dyad?"+dyadQ+"&scale=log")
	if !strings.Contains(page, "zero values are left out of the chart (") {
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

// TestLogScaleBelowOne draws values below 1 on a log scale (SIPRI's
// France→Egypt years of 0.64 and 0.8): the axis starts at the power of
// ten below them, and they are points, not bars hanging down from 1.
func TestLogScaleBelowOne(t *testing.T) {
	s := Series{ID: "chart-x", XName: "year", YName: "TIV", Unit: "u", Source: "s", Rule: "r", X: []string{"2019", "2020", "2021"},
		Series: []Named{{Name: "France to Egypt", Values: []float64{0.64, 0.8, 12}}}}
	st := dashboard.DefaultState
	st.Scale = dashboard.ScaleLog
	ci, err := newChartImageAs(drawnSeries(st, s), st, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ci.yLabels, " "); got != "0.1 1 10 100" || ci.series[0].Type != typeLine {
		t.Errorf("labels %q, type %s; want 0.1 1 10 100 and a line", got, ci.series[0].Type)
	}
	for _, v := range []float64{0.64, 0.8} {
		if p := ci.scale.pos(v); p <= 0 || p >= ci.scale.pos(1) {
			t.Errorf("%v is drawn at %v of the axis, want above its floor and below 1", v, p)
		}
	}
}

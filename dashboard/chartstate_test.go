package dashboard

import (
	"net/url"
	"strings"
	"testing"
)

// TestParseChartState checks the display parameters: values, defaults,
// each invalid value named with what is shown instead, and that what Set
// writes reads back to the same state.
func TestParseChartState(t *testing.T) {
	for _, tc := range []struct {
		name     string
		query    string
		measures Measures
		want     ChartState
		notices  []string
	}{
		{"defaults", "", MeasureTIVOrShare, DefaultState, nil},
		{"all set", "measure=share&scale=log&chart=line&markers=off&theme=dark&pin=ABCDEF012345", MeasureTIVOrShare,
			ChartState{Measure: "share", Scale: "log", Chart: "line", Markers: false, Theme: "dark", Pin: "abcdef012345", By: ByCategory}, nil},
		{"case and spaces", "scale=%20LOG%20&chart=Line&theme=Light", MeasureTIVOnly, ChartState{Measure: "tiv", Scale: "log", Chart: "line", Markers: true, Theme: "light", By: ByCategory}, nil},
		{"explicit defaults", "measure=tiv&scale=linear&chart=bar&markers=on&theme=auto", MeasureTIVOrShare, DefaultState, nil},
		{"invalid scale", "scale=cubic&chart=line", MeasureTIVOrShare, ChartState{Measure: "tiv", Scale: "linear", Chart: "line", Markers: true, Theme: "auto", By: ByCategory},
			[]string{"Parameter scale: scale=cubic is not one of linear, log. Showing linear."}},
		{"breakdown by status", "by=Status&scale=log", MeasureTIVOnly | WithBreakdown, ChartState{Measure: "tiv", Scale: "log", Chart: "bar", Markers: true, Theme: "auto", By: ByStatus}, nil},
		{"unknown breakdown", "by=weight", MeasureTIVOrShare | WithBreakdown, DefaultState,
			[]string{"Parameter by: by=weight is not one of category, status, local_production. Showing category."}},
		{"by where no chart breaks down", "by=status", MeasureTIVOrShare, DefaultState,
			[]string{"Parameter by: this page takes no such parameter (it takes chart, markers, measure, pin, scale, theme). It is ignored."}},
		{"invalid everything", "measure=usd&scale=cubic&chart=pie&markers=maybe&theme=pink&pin=xyz", MeasureTIVOrShare, DefaultState, []string{
			"Parameter measure: measure=usd is not one of tiv, share. Showing tiv.", "Parameter scale: scale=cubic is not one of linear, log. Showing linear.",
			"Parameter chart: chart=pie is not one of bar, line. Showing bar.", "Parameter markers: markers=maybe is not one of on, off. Showing on.",
			"Parameter theme: theme=pink is not one of auto, light, dark. Showing auto.",
			"Parameter pin: pin=xyz is not 12 hexadecimal digits of a SHA-256. Showing the data loaded now."}},
		{"share where no chart offers it", "measure=share", MeasureTIVOnly, DefaultState, []string{"Parameter measure: measure=share is not one of tiv. Showing tiv."}},
		{"hostile value is truncated", "scale=" + strings.Repeat("x", 200), MeasureTIVOrShare, DefaultState, []string{"Parameter scale: scale=" + strings.Repeat("x", 80) + "… is not one of linear, log. Showing linear."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			p := NewParams(v)
			st := ParseChartState(p, tc.measures)
			if st != tc.want {
				t.Errorf("state %+v, want %+v", st, tc.want)
			}
			bad, _ := p.Finish()
			var got []string
			for _, e := range bad {
				got = append(got, e.Notice())
			}
			if strings.Join(got, "\n") != strings.Join(tc.notices, "\n") {
				t.Errorf("notices %q, want %q", got, tc.notices)
			}
			// What set writes parses back to the same state, and
			// leaves the defaults out.
			w := url.Values{}
			st.Set(w)
			p = NewParams(w)
			back := ParseChartState(p, MeasureTIVOrShare|WithBreakdown)
			if bad, _ := p.Finish(); back != st || len(bad) != 0 {
				t.Errorf("round trip of %q: %+v (%v)", w.Encode(), back, bad)
			}
			if st == DefaultState && len(w) != 0 {
				t.Errorf("default state writes %q", w.Encode())
			}
		})
	}
}

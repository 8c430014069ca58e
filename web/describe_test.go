package web

import (
	"math"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
)

// TestDescribe checks the text alternative of a chart: how it is drawn,
// its period, and each series' highest and lowest value with where they
// fall, skipping missing values; percentages keep their sign.
func TestDescribe(t *testing.T) {
	s := Series{Title: "Deliveries", XName: "year", Unit: "SIPRI TIV millions", X: []string{"2020", "2021", "2022"},
		Series: []Named{{Name: "A to B", Values: []float64{12.5, math.NaN(), 1250}}, {Name: "sum", Values: []float64{3, 2, 9}, Line: true}, {Name: "none", Values: []float64{math.NaN(), math.NaN(), math.NaN()}}}}
	got := describe(s, dashboard.DefaultState, "2020–2022")
	for _, want := range []string{"Bar and line chart: Deliveries.", "Period 2020–2022; 3 year values, in SIPRI TIV millions.",
		"A to B: highest 1,250 (2022), lowest 12.5 (2020).", "sum: highest 9 (2022), lowest 2 (2021).", "none: no value."} {
		if !strings.Contains(got, want) {
			t.Errorf("description lacks %q:\n%s", want, got)
		}
	}
	st := dashboard.DefaultState
	st.Scale = dashboard.ScaleLog
	s.Percent = true
	if got := describe(s, st, ""); !strings.HasPrefix(got, "Line chart on a logarithmic scale: ") || !strings.Contains(got, "highest 1,250% (2022)") {
		t.Errorf("log, percent: %s", got)
	}
}

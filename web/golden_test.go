package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestChartOptionsGolden compares the options of each chart of the
// built-in dataset with testdata/<chart id>.json; run with -update after
// an intended change. Fixed chart ids keep the output stable.
func TestChartOptionsGolden(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	d := dashboard.New(s.Snapshot())
	fi, err := d.Flows("")
	if err != nil {
		t.Fatal(err)
	}
	q := dashboard.DyadQuery{Supplier: "China", Recipient: "Pakistan", From: 1995, To: 2024}
	counts, _, _ := d.CountEvents(dashboard.EventFilter{})
	orders, err := dashboard.New(importedServer(t, dealsFlows, smallRegister).Snapshot()).Deals().Registers[0].Orders("China", "Pakistan")
	if err != nil {
		t.Fatal(err)
	}
	// A hand-made listing's pair: its TIV split into firm and estimated
	// parts, and its breakdown by category (breakdown_test.go).
	hand, hq := handListing(t), dashboard.DyadQuery{Supplier: "Freedonia", Recipient: "Sylvania", From: 2020, To: 2021}
	estimates := dyadTIVSeries(hand, hq)
	estimates.ID = "chart-dyad-tiv-estimates"
	for _, series := range []Series{
		dyadTIVSeries(fi, q),
		dyadShareSeries(fi, q),
		dyadEventSeries(d, q),
		eventTypeSeries(d, dashboard.EventFilter{}, dashboard.WeightEvents, counts),
		ordersSeries(fi, q, orders),
		estimates,
		breakdownSeries(hand, dashboard.BreakdownQuery{Supplier: "Freedonia", Recipient: "Sylvania", From: 2020, To: 2021, By: dashboard.ByCategory}, "chart-dyad-breakdown", "t", "f"),
	} {
		t.Run(series.ID, func(t *testing.T) {
			b, err := series.Options()
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, b, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata", series.ID+".json")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./web -run Golden -update)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("options of %s differ from %s; run go test ./web -run Golden -update and review the diff", series.ID, golden)
			}
		})
	}
}

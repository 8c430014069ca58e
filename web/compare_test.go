package web

import (
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// TestCompare checks /compare on SIPRI's full listing: one line per
// country, each the country's yearly imports as the listing sums them, an
// unknown country named with a suggestion and left out, and the same
// numbers in the CSV.
func TestCompare(t *testing.T) {
	h := worldTestHandler(t)
	_, body := getOK(t, h, "/compare?country=India~Pakistn~China~Narnia&measure=imports&from=2015&to=2024")
	page := text(body)
	for _, w := range []string{"Parameter country: no data for “Pakistn”", "did you mean “Pakistan”?", "It is left out.", "Parameter country: no data for “Narnia”"} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	o := chartOptions(t, body, "chart-compare")
	series := o["series"].([]any)
	if len(series) != 2 {
		t.Fatalf("%d lines, want India and China", len(series))
	}
	for _, s := range series {
		if s.(map[string]any)["type"] != "line" {
			t.Errorf("series %v is not a line", s.(map[string]any)["name"])
		}
	}
	// The chart's permalink keeps the two countries found, nothing else.
	if !strings.Contains(body, "/compare?country=India~China&amp;from=2015&amp;to=2024#chart-compare") {
		t.Error("the permalink is not the canonical comparison")
	}
	_, csv := get(t, h, "/compare/countries.csv?country=India~China&from=2015&to=2024")
	recs := parseCSV(t, csv)
	if len(recs) != 11 || !strings.HasPrefix(recs[0][1], "India, TIV imported") || !strings.HasPrefix(recs[0][2], "China, TIV imported") {
		t.Errorf("CSV %v", recs[:1])
	}
	sums := listingYearly(t, "", "India", 2015, 2024)
	for i, rec := range recs[1:] {
		if want := millionsCSV(sums[i]); rec[1] != want {
			t.Errorf("India %s: CSV %s, listing %s", rec[0], rec[1], want)
		}
	}
	if res, _ := get(t, h, "/compare/countries.csv?country=Narnia"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("CSV of an unknown country: %d, want 400", res.StatusCode)
	}
}

// listingYearly sums the deliveries of SIPRI's raw listing from supplier
// to recipient ("" for any) per year, read here with data.Read rather
// than through a store or the flow index.
func listingYearly(t *testing.T, supplier, recipient string, from, to int) []float64 {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, listingFile))
	if err != nil {
		t.Fatal(err)
	}
	f, err := data.Read("listing.csv", b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, to-from+1)
	for _, d := range f.Deliveries {
		if d.Year >= from && d.Year <= to && (supplier == "" || d.Supplier == supplier) && (recipient == "" || d.Recipient == recipient) {
			out[d.Year-from] += d.TIV
		}
	}
	return out
}

// millionsCSV writes v as a chart CSV does: rounded to 0.01.
func millionsCSV(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

package web

import (
	"regexp"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
)

// nanRE finds a NaN or an infinity as Go or JSON would print it.
var nanRE = regexp.MustCompile(`\bNaN\b|[+-]?Inf\b|Infinity`)

// TestNoNaNOnCountryPages walks every country page of SIPRI's full
// listing over several periods, with its imports chart as CSV and JSON,
// and finds no NaN or infinity printed anywhere.
func TestNoNaNOnCountryPages(t *testing.T) {
	snap := listingSnapshot(t)
	h := newTestServer(t, snap, t.TempDir(), nil).Handler()
	fi, err := dashboard.New(snap).Flows("")
	if err != nil {
		t.Fatal(err)
	}
	periods := [][2]int{{1995, 1999}, {2010, 2014}, {2020, 2024}}
	pages := 0
	for _, c := range fi.Coverage.Countries() {
		for _, p := range periods {
			q := dashboard.CountryQuery{Name: c, From: p[0], To: p[1]}
			for _, target := range []string{q.Link("/country"), q.Link("/country/imports.csv"), q.Link("/country/exports.json")} {
				res, body := get(t, h, target)
				if res.StatusCode >= 500 {
					t.Fatalf("%s: status %d", target, res.StatusCode)
				}
				if m := nanRE.FindString(body); m != "" {
					t.Errorf("%s prints %q", target, m)
				}
				pages++
			}
		}
	}
	if pages < 600 {
		t.Errorf("walked only %d pages", pages)
	}
	t.Logf("%d pages and files walked", pages)
}

package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/analysis"
)

// TestTidyCSV checks every chart's PATH.tidy.csv against its wide CSV:
// one row per series and x, the same values (shares unrounded, where the
// CSV rounds them as SIPRI does), the unit in a column, empty
// values flagged in no_value, and a header with no source or vintage in
// it; on the events chart, "year not given" is an empty year flagged in
// year_given, so the year column reads as numbers.
func TestTidyCSV(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, path := range []string{"/dyad/tiv?" + dyadQ, "/dyad/tiv?" + dyadQ + "&measure=share", "/dyad/shares?" + dyadQ, "/dyad/events?" + dyadQ,
		"/events/types", "/country/imports?name=Pakistan&from=2000&to=2024", "/country/exports?name=China&from=2000&to=2024"} {
		t.Run(path, func(t *testing.T) {
			p, q, _ := strings.Cut(path, "?")
			_, wideBody := getOK(t, h, p+".csv?"+q)
			wide := readCSV(t, wideBody)
			res, body := get(t, h, p+".tidy.csv?"+q)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "_tidy.csv") {
				t.Fatalf("status %d, %s, %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
			}
			tidy := readCSV(t, body)
			head := tidy[0]
			if head[0] != "series" || head[1] != wide[0][0] || head[2] != "value" || head[3] != "unit" || head[4] != "no_value" {
				t.Fatalf("header %q", head)
			}
			if strings.Contains(strings.Join(head, ","), "generated") || strings.Contains(strings.Join(head, ","), "(") {
				t.Errorf("header %q carries metadata", head)
			}
			nx, ns := len(wide)-1, len(wide[0])-1
			if len(tidy)-1 != nx*ns {
				t.Fatalf("%d rows, want %d series × %d x = %d", len(tidy)-1, ns, nx, nx*ns)
			}
			yearless := len(head) == 6 && head[5] == "year_given"
			for k := 0; k < ns; k++ {
				for i := 0; i < nx; i++ {
					row, want := tidy[1+k*nx+i], wide[1+i][1+k]
					if !strings.HasPrefix(wide[0][1+k], row[0]+" (") {
						t.Errorf("row %q: series %q is not the CSV's column %q", row, row[0], wide[0][1+k])
					}
					x := wide[1+i][0]
					if _, err := strconv.Atoi(x); err != nil && yearless {
						if row[1] != "" || row[5] != "false" {
							t.Errorf("row %q: x %q is not a year, want an empty year and year_given false", row, x)
						}
					} else if row[1] != x || yearless && row[5] != "true" {
						t.Errorf("row %q: x %q", row, x)
					}
					tidyValue := row[2]
					if v, err := strconv.ParseFloat(row[2], 64); err == nil && strings.HasPrefix(row[3], "percent") {
						// The tidy CSV is data, unrounded; the CSV rounds
						// shares as SIPRI does.
						tidyValue = strings.TrimSuffix(analysis.FormatPercent(v), "%")
					}
					if tidyValue != want || row[4] != strconv.FormatBool(want == "") || row[3] == "" {
						t.Errorf("row %q: the CSV has %q", row, want)
					}
				}
			}
			if strings.HasPrefix(path, "/dyad/events") && !yearless {
				t.Errorf("the events chart's tidy CSV has no year_given column: %q", head)
			}
		})
	}
}

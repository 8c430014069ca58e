package web

import (
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// Editions of Pakistan's imports in shared data, besides the listing.
const (
	oldImportTableRel = "sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv"
	wdiImportsRel     = "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv"
)

// editionsJSON is /api/v1/editions as the tests read it.
type editionsJSON struct {
	Country, Side string
	From, To      int
	Editions      []struct {
		Dataset string `json:"dataset"`
		Vintage string `json:"vintage"`
		Years   []struct {
			Year int     `json:"year"`
			TIV  float64 `json:"tiv"`
		} `json:"years"`
	} `json:"editions"`
}

// rawTableRow reads the cells of one row of an old TIV table with
// encoding/csv (shareddata.CSVRow), independently of data.ReadTIVTable:
// year → value, an empty cell 0 (no deliveries).
func rawTableRow(t *testing.T, path, name string) map[int]float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]float64{}
	for h, cell := range shareddata.CSVRow(t, b, func(rec []string) bool { return len(rec) > 1 && rec[0] == "" && rec[1] == "1950" }, 0, name) {
		if y, err := strconv.Atoi(h); err == nil {
			out[y], _ = strconv.ParseFloat(cell, 64)
		}
	}
	return out
}

// TestEditionsRealFiles checks Pakistan's imports in the three editions
// in shared data, through /api/v1/editions and the country page, against
// the raw files: the listing generated 2026-02-12 (deliveries summed
// here), the old TIV table generated 2023-12-11 (its cells) and World
// Bank WDI's copy (its cells / 1e6, undated), newest first; and that the
// years the page lists as most revised are those whose figures differ
// most.
func TestEditionsRealFiles(t *testing.T) {
	listingPath := shareddata.Path(t, listingFile)
	tablePath := shareddata.Path(t, oldImportTableRel)
	wdiPath := shareddata.Path(t, wdiImportsRel)
	h := importedServer(t, listingPath, tablePath, wdiPath).Handler()

	b, err := os.ReadFile(listingPath)
	if err != nil {
		t.Fatal(err)
	}
	lf, err := data.Read("listing.csv", b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	listing := map[int]float64{}
	for _, d := range lf.Deliveries {
		if d.Recipient == "Pakistan" {
			listing[d.Year] += d.TIV
		}
	}
	wdi := rawWDI(t, wdiPath, "PAK", "MS.MIL.MPRT.KD")
	for y := range wdi {
		wdi[y] /= 1e6
	}
	want := []struct {
		name, vintage string
		values        map[int]float64
		from, to      int // every year from..to; 0 for WDI's years with values
	}{
		{filepath.Base(listingPath), "2026-02-12", listing, 1995, 2024},
		{filepath.Base(tablePath), "2023-12-11", rawTableRow(t, tablePath, "Pakistan"), 1950, 2022},
		{filepath.Base(wdiPath), "", wdi, 0, 0},
	}

	_, body := getOK(t, h, "/api/v1/editions?country=pakistan&side=imports")
	var j editionsJSON
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatal(err)
	}
	if j.Country != "Pakistan" || j.Side != "imports" || len(j.Editions) != len(want) {
		t.Fatalf("%s %s, %d editions; want Pakistan imports, 3", j.Country, j.Side, len(j.Editions))
	}
	for i, w := range want {
		e := j.Editions[i]
		if e.Dataset != w.name || e.Vintage != w.vintage {
			t.Errorf("edition %d: %s (%q); want %s (%q)", i, e.Dataset, e.Vintage, w.name, w.vintage)
		}
		n := w.to - w.from + 1
		if w.from == 0 {
			n = len(w.values)
		}
		if len(e.Years) != n {
			t.Errorf("%s: %d years; want %d", e.Dataset, len(e.Years), n)
		}
		for _, y := range e.Years {
			if math.Abs(y.TIV-w.values[y.Year]) > 1e-6 {
				t.Errorf("%s, %d: %v; the raw file gives %v", e.Dataset, y.Year, y.TIV, w.values[y.Year])
			}
		}
	}

	// The page, 2010-2022: three lines, the most revised years first.
	_, page := getOK(t, h, "/country?name=Pakistan&from=2010&to=2022")
	if dr := drawnOf(t, chartOptions(t, page, "chart-country-editions-imports")); len(dr.values) != 3 || len(dr.x) != 13 {
		t.Errorf("editions chart: %d lines over %d years; want 3 over 13", len(dr.values), len(dr.x))
	}
	sec := sectionOf(t, page, "editions")
	revisions := captionedRows(t, page, "The years the editions differ most")
	if len(revisions) != revisionsShown {
		t.Fatalf("%d years of revision listed; want %d", len(revisions), revisionsShown)
	}
	spread := func(y int) float64 {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, w := range want {
			if v, ok := w.values[y]; w.from == 0 && ok || w.from != 0 && y >= w.from && y <= w.to {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		return hi - lo
	}
	listed := map[int]bool{}
	least := math.Inf(1)
	for _, r := range revisions {
		y, _ := strconv.Atoi(r[0])
		listed[y] = true
		if got := r[len(r)-2]; got != millions(spread(y)) {
			t.Errorf("%d: largest − smallest %s; the raw files give %s", y, got, millions(spread(y)))
		}
		least = min(least, spread(y))
	}
	for y := 2010; y <= 2022; y++ {
		if !listed[y] && spread(y) > least {
			t.Errorf("%d differs by %.2f, more than a year listed (%.2f), but is not listed", y, spread(y), least)
		}
	}
	if !strings.Contains(sec.Text, "Only one file held, "+filepath.Base(listingPath)) {
		t.Errorf("the exports side does not say only the listing gives them:\n%s", sec.Text)
	}

	for _, c := range []struct{ query, param, says string }{
		{"country=Pakistan&side=both", "side", "side=both is not one of imports, exports"},
		{"side=imports", "country", "missing"},
		{"country=Pakistan&from=2020&to=2010", "from", "after to"},
	} {
		res, body := get(t, h, "/api/v1/editions?"+c.query)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(body), "Parameter "+c.param) || !strings.Contains(text(body), c.says) {
			t.Errorf("%s: status %d, want 400 naming %s and saying %q", c.query, res.StatusCode, c.param, c.says)
		}
	}
}

// TestEditionsOfReportedFigure checks that the overview's "72% then, 75%
// now" is one case of the editions: its card links to the country page's
// editions, which sets the share reported from SIPRI's 2022 release
// beside the same share from the built-in extract of the listing
// generated 2026-02-12.
func TestEditionsOfReportedFigure(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, body := getOK(t, h, "/")
	const editions = "/country?from=2017&name=Pakistan&to=2021#editions-imports"
	if !strings.Contains(text(body), `href="`+editions+`"`) {
		t.Fatalf("the overview does not link the reported figure to %s", editions)
	}
	_, page := getOK(t, h, strings.TrimSuffix(editions, "#editions-imports"))
	sec := sectionOf(t, page, "editions")
	var reported, computed []string
	for _, r := range sec.Rows {
		switch {
		case strings.HasPrefix(r[0], "SIPRI's 2022 release, as reported in"):
			reported = r
		case strings.Contains(r[0], "generated 2026-02-12"):
			computed = r
		}
	}
	if reported == nil || reported[1] != "72%" || computed == nil || computed[1] != "75%" {
		t.Errorf("the editions of China's share of Pakistan's imports, 2017–2021: reported %q, computed %q; want 72%% and 75%%\n%s", reported, computed, sec.Text)
	}
}

// captionedRows returns the body rows of the first table of body whose
// caption starts with caption, each cell's text.
func captionedRows(t *testing.T, body, caption string) [][]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "caption" || !strings.HasPrefix(textOf(n), caption) {
			continue
		}
		var rows [][]string
		for d := range n.Parent.Descendants() {
			if d.Type == html.ElementNode && d.Data == "tr" && d.Parent.Data == "tbody" {
				var row []string
				for c := range d.ChildNodes() {
					row = append(row, textOf(c))
				}
				rows = append(rows, row)
			}
		}
		return rows
	}
	t.Fatalf("no table captioned %q", caption)
	return nil
}

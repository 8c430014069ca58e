package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
)

// readCSV parses a chart CSV into its header and rows.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	if len(recs) < 2 {
		t.Fatalf("CSV has %d rows", len(recs))
	}
	return recs
}

// TestImageValuesMatchCSV checks that every image draws exactly the
// numbers its CSV holds: the same x labels, one bar series per CSV
// column, and each value drawn equal to the CSV cell (an empty cell is
// nothing drawn).
func TestImageValuesMatchCSV(t *testing.T) {
	s := newTestServer(t, nil, stubAssets(t), nil)
	const query = "supplier=China&recipient=Pakistan&from=1995&to=2024"
	d := dashboard.New(s.Snapshot())
	v, _ := url.ParseQuery(query)
	fi, q, err := d.ParseDyad(dashboard.NewParams(v))
	if err != nil {
		t.Fatal(err)
	}
	counts, _, _ := d.CountEvents(dashboard.EventFilter{})
	for _, tc := range []struct {
		csv    string
		series Series
	}{
		{"/dyad/tiv.csv?" + query, dyadTIVSeries(fi, q)},
		{"/dyad/shares.csv?" + query, dyadShareSeries(fi, q)},
		{"/dyad/events.csv?" + query, dyadEventSeries(d, q)},
		{"/events/types.csv", eventTypeSeries(d, dashboard.EventFilter{}, dashboard.WeightEvents, counts)},
	} {
		t.Run(tc.series.ID, func(t *testing.T) {
			_, body := getOK(t, s.Handler(), tc.csv)
			recs := readCSV(t, body)
			ci, err := newChartImage(tc.series)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(ci.series), len(recs[0])-1; got != want {
				t.Fatalf("%d series drawn, CSV has %d value columns", got, want)
			}
			if len(ci.s.X) != len(recs)-1 {
				t.Fatalf("%d x labels, CSV has %d rows", len(ci.s.X), len(recs)-1)
			}
			nonzero := 0
			for i, row := range recs[1:] {
				if ci.s.X[i] != row[0] {
					t.Errorf("x label %d: image %q, CSV %q", i, ci.s.X[i], row[0])
				}
				for k, cell := range row[1:] {
					drawn := ci.series[k].Values[i]
					if cell == "" {
						if !math.IsNaN(drawn) {
							t.Errorf("%s, %s: CSV empty, image draws %v", row[0], recs[0][k+1], drawn)
						}
						continue
					}
					want, err := strconv.ParseFloat(cell, 64)
					if err != nil {
						t.Fatalf("cell %q: %v", cell, err)
					}
					if math.IsNaN(drawn) || math.Abs(drawn-want) > 1e-9 {
						t.Errorf("%s, %s: CSV %v, image draws %v", row[0], recs[0][k+1], want, drawn)
					}
					if drawn != 0 {
						nonzero++
					}
				}
			}
			if nonzero == 0 {
				t.Error("every value is zero or missing: the comparison tested nothing")
			}
		})
	}
}

// parseSVG tokenizes an SVG as XML and returns the names of its elements
// and its text.
func parseSVG(t *testing.T, b []byte) (elements map[string]int, chars string) {
	t.Helper()
	elements = map[string]int{}
	var text strings.Builder
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elements[tok.Name.Local]++
		case xml.CharData:
			text.Write(tok)
			text.WriteByte(' ')
		}
	}
	if elements["svg"] != 1 {
		t.Fatalf("%d <svg> elements", elements["svg"])
	}
	return elements, text.String()
}

func TestImageEndpoints(t *testing.T) {
	s := newTestServer(t, nil, stubAssets(t), nil)
	for _, path := range []string{"/dyad/tiv", "/dyad/shares", "/dyad/events", "/events/types"} {
		query := "supplier=China&recipient=Pakistan&from=1995&to=2024&w=640&h=360"
		if path == "/events/types" { // the events chart takes no countries
			query = "w=640&h=360"
		}
		t.Run(path+".svg", func(t *testing.T) {
			res, body := get(t, s.Handler(), path+".svg?"+query)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
				t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			els, chars := parseSVG(t, []byte(body))
			if els["script"] != 0 || els["foreignObject"] != 0 {
				t.Errorf("SVG holds script or foreignObject: %v", els)
			}
			for _, want := range []string{"Source:", "Counting rule:"} {
				if !strings.Contains(chars, want) {
					t.Errorf("SVG text lacks %q", want)
				}
			}
			if (path == "/dyad/tiv" || path == "/dyad/shares") && !strings.Contains(chars, "generated 2026-02-12") {
				t.Errorf("SVG text lacks the dataset vintage:\n%s", chars)
			}
		})
		t.Run(path+".png", func(t *testing.T) {
			res, body := get(t, s.Handler(), path+".png?"+query)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			img, err := png.Decode(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
				t.Errorf("PNG is %dx%d, want 640x360", b.Dx(), b.Dy())
			}
		})
	}
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/dyad/tiv.png?w=5", http.StatusBadRequest, "Parameter w: “5”"},
		{"/dyad/shares.svg?h=99999", http.StatusBadRequest, "Parameter h: “99999”"},
		{"/events/types.png?w=abc", http.StatusBadRequest, "Parameter w: “abc”"},
		{"/events/types.png?supplier=China", http.StatusBadRequest, "Parameter supplier: this page takes no such parameter"},
		{"/dyad/tiv.svg?supplier=China&recipient=Atlantis", http.StatusBadRequest, "Atlantis"},
		{"/dyad/tiv.svg?from=2030x", http.StatusBadRequest, "2030x"},
	} {
		res, body := get(t, s.Handler(), tc.path)
		if res.StatusCode != tc.status || !strings.Contains(text(body), tc.want) {
			t.Errorf("%s: status %d, want %d with a page naming %q", tc.path, res.StatusCode, tc.status, tc.want)
		}
		if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
			t.Errorf("%s: error page shows Go internals", tc.path)
		}
	}
}

// TestImageHostileNames draws names that are markup: the SVG must stay
// well-formed XML with no element the names tried to inject, and the
// names must come back as plain text.
func TestImageHostileNames(t *testing.T) {
	hostile := `</text><script>alert("x")</script><image href="x" onerror="alert(1)"/>&amp;`
	s := Series{
		ID: "chart-test", Title: "Deliveries to " + hostile, XName: "year", YName: "SIPRI TIV (millions)",
		Unit: "SIPRI TIV millions", Source: "Imported file " + hostile + " generated 2026-02-12", Rule: "test rule",
		X:      []string{"2001", hostile},
		Series: []Named{{Name: hostile, Values: []float64{1, 2}}, {Name: "b", Values: []float64{math.NaN(), 3}}},
	}
	ci, err := newChartImage(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ci.render(formatSVG, dashboard.ImageSize{W: 1200, H: 600})
	if err != nil {
		t.Fatal(err)
	}
	els, chars := parseSVG(t, b)
	for _, bad := range []string{"script", "image", "foreignObject"} {
		if els[bad] != 0 {
			t.Errorf("hostile name injected <%s>", bad)
		}
	}
	if !strings.Contains(chars, `<script>alert("x")</script>`) {
		t.Errorf("hostile name not drawn as text:\n%s", chars)
	}
	png, err := ci.render(formatPNG, dashboard.ImageSize{W: 300, H: 200})
	if err != nil || len(png) == 0 {
		t.Fatalf("PNG: %v", err)
	}
}

// TestImagePaletteIsThePages checks that the images colour each series
// as the page does: the palette is the "color" list of the options.
func TestImagePaletteIsThePages(t *testing.T) {
	var o struct {
		Color []string `json:"color"`
	}
	b, err := (Series{ID: "chart-x", X: []string{"a"}, Series: []Named{{Name: "s", Values: []float64{1}}}}).Options()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Color) != len(palette) {
		t.Fatalf("options have %d colours, the images %d", len(o.Color), len(palette))
	}
	for i, c := range o.Color {
		if cssColor(palette[i]) != c {
			t.Errorf("colour %d: page %s, image %s", i, c, cssColor(palette[i]))
		}
	}
}

// TestTextWidthBold checks that bold text is measured with the bold face:
// it is wider than the same text in the regular one, so a wrapped bold
// title fits the image.
func TestTextWidthBold(t *testing.T) {
	s := "Arms deliveries to Pakistan, 1995–2024"
	if r, b := textWidth(s, 19, false), textWidth(s, 19, true); !(b > r*1.03) || r < 200 {
		t.Errorf("width %v regular, %v bold", r, b)
	}
}

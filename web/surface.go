package web

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"strconv"
	"strings"
	"sync"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// A surface is what a chart image is drawn on: an SVG document written by
// hand (so that it can carry <title>, <desc> and groups that name each
// series and its type) or a raster canvas for the PNG. Coordinates are
// CSS pixels from the top left corner; sizes of text are in pixels too.

// surface receives the drawing operations of a chart image.
type surface interface {
	rect(x, y, w, h float64, fill color.RGBA)
	// polyline strokes the points; dash, when not nil, gives dash and gap
	// lengths.
	polyline(pts [][2]float64, stroke color.RGBA, width float64, dash []float64)
	circle(cx, cy, r float64, fill color.RGBA)
	// text draws s with its baseline at y; anchor is "start", "middle"
	// or "end"; rotate turns it by that many degrees about (x, y).
	text(x, y float64, s string, size float64, fill color.RGBA, anchor string, bold bool, rotate float64)
	// begin opens a group of the given class and data- attributes, with
	// title (when not "") as its <title>, which names it to screen
	// readers and as a tooltip; end closes it. Raster surfaces ignore
	// both.
	begin(class, title string, attrs ...string)
	end()
}

var (
	fontCacheOnce sync.Once
	fontCache     *font.Cache
)

// face returns Liberation Sans (bold or regular) at size pixels.
func face(size float64, bold bool) font.Face {
	fontCacheOnce.Do(func() { fontCache = font.NewCache(liberation.Collection()) })
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return fontCache.Lookup(f, font.Length(size*72/imageDPI))
}

// textWidth is the width in pixels of s at size pixels.
func textWidth(s string, size float64, bold bool) float64 {
	f := face(size, bold)
	return float64(f.Width(s)) * imageDPI / 72
}

// cssColor writes c as #rrggbb.
func cssColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// coord writes a coordinate with at most two decimals.
func coord(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// svgSurface writes an SVG document.
type svgSurface struct {
	buf bytes.Buffer
}

// newSVG starts an SVG of w×h pixels with its title and description (the
// text alternative of the image) and a background of bg.
func newSVG(w, h int, title, desc string, bg color.RGBA) *svgSurface {
	s := &svgSurface{}
	fmt.Fprintf(&s.buf, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="title desc" font-family="'Liberation Sans', Arial, Helvetica, sans-serif">`+"\n", w, h, w, h)
	fmt.Fprintf(&s.buf, "<title id=\"title\">%s</title>\n<desc id=\"desc\">%s</desc>\n", xmlText(title), xmlText(desc))
	s.rect(0, 0, float64(w), float64(h), bg)
	return s
}

// xmlText escapes s for XML text and attribute values.
func xmlText(s string) string { return html.EscapeString(strings.ToValidUTF8(s, "\uFFFD")) }

func (s *svgSurface) rect(x, y, w, h float64, fill color.RGBA) {
	fmt.Fprintf(&s.buf, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", coord(x), coord(y), coord(w), coord(h), cssColor(fill))
}

func (s *svgSurface) polyline(pts [][2]float64, stroke color.RGBA, width float64, dash []float64) {
	var p []string
	for _, pt := range pts {
		p = append(p, coord(pt[0])+","+coord(pt[1]))
	}
	extra := ""
	if dash != nil {
		var d []string
		for _, v := range dash {
			d = append(d, coord(v))
		}
		extra = ` stroke-dasharray="` + strings.Join(d, " ") + `"`
	}
	fmt.Fprintf(&s.buf, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"%s/>`+"\n", strings.Join(p, " "), cssColor(stroke), coord(width), extra)
}

func (s *svgSurface) circle(cx, cy, r float64, fill color.RGBA) {
	fmt.Fprintf(&s.buf, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`+"\n", coord(cx), coord(cy), coord(r), cssColor(fill))
}

func (s *svgSurface) text(x, y float64, str string, size float64, fill color.RGBA, anchor string, bold bool, rotate float64) {
	extra := ""
	if anchor != "start" {
		extra += ` text-anchor="` + anchor + `"`
	}
	if bold {
		extra += ` font-weight="bold"`
	}
	if rotate != 0 {
		extra += fmt.Sprintf(` transform="rotate(%s %s %s)"`, coord(rotate), coord(x), coord(y))
	}
	fmt.Fprintf(&s.buf, `<text x="%s" y="%s" font-size="%s" fill="%s"%s>%s</text>`+"\n", coord(x), coord(y), coord(size), cssColor(fill), extra, xmlText(str))
}

func (s *svgSurface) begin(class, title string, attrs ...string) {
	fmt.Fprintf(&s.buf, `<g class="%s"`, xmlText(class))
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(&s.buf, ` data-%s="%s"`, attrs[i], xmlText(attrs[i+1]))
	}
	s.buf.WriteString(">\n")
	if title != "" {
		fmt.Fprintf(&s.buf, "<title>%s</title>\n", xmlText(title))
	}
}

func (s *svgSurface) end() { s.buf.WriteString("</g>\n") }

// bytes closes the document and returns it.
func (s *svgSurface) bytes() []byte {
	s.buf.WriteString("</svg>\n")
	return s.buf.Bytes()
}

// rasterSurface draws on a gonum/plot raster canvas for the PNG. Its
// origin is at the bottom left and its unit the point (1 px = 0.75 pt at
// imageDPI), so every call converts.
type rasterSurface struct {
	c *vgimg.Canvas
	h float64 // height in pixels
}

func newRaster(w, h int, bg color.RGBA) *rasterSurface {
	c := vgimg.NewWith(vgimg.UseWH(px(float64(w)), px(float64(h))), vgimg.UseDPI(imageDPI), vgimg.UseBackgroundColor(bg))
	return &rasterSurface{c: c, h: float64(h)}
}

// pt converts a pixel position to the canvas's.
func (r *rasterSurface) pt(x, y float64) vg.Point { return vg.Point{X: px(x), Y: px(r.h - y)} }

func (r *rasterSurface) rect(x, y, w, h float64, fill color.RGBA) {
	var p vg.Path
	p.Move(r.pt(x, y))
	p.Line(r.pt(x+w, y))
	p.Line(r.pt(x+w, y+h))
	p.Line(r.pt(x, y+h))
	p.Close()
	r.c.SetColor(fill)
	r.c.Fill(p)
}

func (r *rasterSurface) polyline(pts [][2]float64, stroke color.RGBA, width float64, dash []float64) {
	if len(pts) < 2 {
		return
	}
	var p vg.Path
	for i, pt := range pts {
		if i == 0 {
			p.Move(r.pt(pt[0], pt[1]))
		} else {
			p.Line(r.pt(pt[0], pt[1]))
		}
	}
	var d []vg.Length
	for _, v := range dash {
		d = append(d, px(v))
	}
	r.c.SetLineDash(d, 0)
	r.c.SetLineWidth(px(width))
	r.c.SetColor(stroke)
	r.c.Stroke(p)
	r.c.SetLineDash(nil, 0)
}

func (r *rasterSurface) circle(cx, cy, rad float64, fill color.RGBA) {
	var p vg.Path
	c := r.pt(cx, cy)
	p.Move(vg.Point{X: c.X + px(rad), Y: c.Y})
	p.Arc(c, px(rad), 0, 2*math.Pi)
	p.Close()
	r.c.SetColor(fill)
	r.c.Fill(p)
}

func (r *rasterSurface) text(x, y float64, s string, size float64, fill color.RGBA, anchor string, bold bool, rotate float64) {
	f := face(size, bold)
	w := textWidth(s, size, bold)
	dx := 0.0
	switch anchor {
	case "middle":
		dx = -w / 2
	case "end":
		dx = -w
	}
	r.c.Push()
	r.c.Translate(r.pt(x, y))
	if rotate != 0 {
		r.c.Rotate(-rotate * math.Pi / 180) // y points up on the canvas
	}
	r.c.SetColor(fill)
	r.c.FillString(f, vg.Point{X: px(dx)}, s)
	r.c.Pop()
}

func (r *rasterSurface) begin(string, string, ...string) {}
func (r *rasterSurface) end()                            {}

// png encodes the canvas.
func (r *rasterSurface) png() ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: r.c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

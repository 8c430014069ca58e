package web

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/armsdash/armsdash/dashboard"
)

// plotImage is the image of a chart that is not drawn over x labels (the
// world map, worldmap.go; the flows diagram, flowchart.go): a gonum/plot
// plot with its own plotter, a legend and footer lines, laid out by draw.
// Charts over x labels are chartImages (image.go).
type plotImage struct {
	plot   *plot.Plot
	legend plot.Legend
	footer []string
	// missing has one entry per legend line, so draw leaves it room.
	missing [][]bool
}

// wrap breaks s into lines no wider than w in style sty.
func wrap(sty plottext.Style, s string, w vg.Length) []string {
	return wrapWords(s, func(line string) bool { return sty.Width(line) <= w })
}

// draw lays out the image on c: the title-wrapped plot on top, then the
// legend, then the footer lines.
func (ci *plotImage) draw(c draw.Canvas) {
	const pad = vg.Length(8)
	width := c.Max.X - c.Min.X - 2*pad
	// Title: gonum draws "\n"-separated lines.
	ci.plot.Title.Text = strings.Join(wrap(ci.plot.Title.TextStyle, ci.plot.Title.Text, width), "\n")

	foot := ci.legend.TextStyle
	foot.Font.Size = vg.Points(8)
	foot.Color = color.Gray{0x55}
	var lines []string
	for _, f := range ci.footer {
		lines = append(lines, wrap(foot, f, width)...)
	}
	lineH := foot.FontExtents().Height * 1.2
	footH := lineH*vg.Length(len(lines)) + pad
	legendH := vg.Length(len(ci.missing))*ci.legend.TextStyle.FontExtents().Height*1.3 + pad

	for i, l := range lines {
		y := c.Min.Y + pad/2 + lineH*vg.Length(len(lines)-1-i)
		c.FillText(foot, vg.Point{X: c.Min.X + pad, Y: y}, l)
	}
	lc := draw.Crop(c, pad, -pad, footH, 0)
	lc.Max.Y = lc.Min.Y + legendH
	ci.legend.Draw(lc)
	ci.plot.Draw(draw.Crop(c, 0, -pad, footH+legendH, -pad/2))
}

// render draws the image as an SVG or a PNG of q.W×q.H pixels; the SVG
// carries the chart's title and text description desc as <title> and
// <desc>.
func (ci *plotImage) render(f imageFormat, q dashboard.ImageSize, desc string) ([]byte, error) {
	w, h := px(float64(q.W)), px(float64(q.H))
	var buf bytes.Buffer
	switch f {
	case formatPNG:
		cv := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(imageDPI), vgimg.UseBackgroundColor(color.White))
		ci.draw(draw.New(cv))
		if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("encoding PNG: %w", err)
		}
		return buf.Bytes(), nil
	}
	title := ci.plot.Title.Text
	cv := vgsvg.New(w, h)
	dc := draw.New(cv)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	ci.draw(dc)
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding SVG: %w", err)
	}
	// The text alternative, right after the opening <svg ...> tag.
	b := buf.Bytes()
	i := bytes.Index(b, []byte("<svg"))
	if i < 0 {
		return b, nil
	}
	j := bytes.IndexByte(b[i:], '>')
	if j < 0 {
		return b, nil
	}
	j += i + 1
	alt := fmt.Sprintf("\n<title>%s</title>\n<desc>%s</desc>", xmlText(title), xmlText(desc))
	return append(append(append([]byte{}, b[:j]...), alt...), b[j:]...), nil
}

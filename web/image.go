package web

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/dashboard"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Static images of the charts, drawn on the server with gonum/plot from
// the same Series as the ECharts chart, its table and its CSV.

// imageDPI makes a PNG exactly w×h pixels: 1 px = 0.75 pt.
const imageDPI = 96

// imageFormat is the format of a chart image.
type imageFormat string

const (
	formatSVG imageFormat = "svg"
	formatPNG imageFormat = "png"
)

// contentType returns the Content-Type of the format.
func (f imageFormat) contentType() string {
	if f == formatPNG {
		return "image/png"
	}
	return "image/svg+xml"
}

// px converts CSS pixels to vg lengths (points).
func px(n float64) vg.Length { return vg.Length(n * 72 / imageDPI) }

// palette matches ECharts' default series colours, so the image looks
// like the chart on the page; the last three follow them in a chart of
// more series than ECharts has colours (SIPRI's eleven armament
// categories), which Series.Options then gives the whole palette.
var palette = []color.RGBA{
	{0x54, 0x70, 0xc6, 0xff}, {0x91, 0xcc, 0x75, 0xff}, {0xfa, 0xc8, 0x58, 0xff},
	{0xee, 0x66, 0x66, 0xff}, {0x73, 0xc0, 0xde, 0xff}, {0x3b, 0xa2, 0x72, 0xff},
	{0xfc, 0x84, 0x52, 0xff}, {0x9a, 0x60, 0xb4, 0xff}, {0xea, 0x7c, 0xcc, 0xff},
	{0x8d, 0x6e, 0x63, 0xff}, {0x54, 0x6e, 0x7a, 0xff}, {0xc0, 0xca, 0x33, 0xff},
}

// chartImage is a Series laid out for drawing: the plot, the bars it
// holds (one per series, in order, so tests can read the values drawn),
// the legend and the footer lines.
type chartImage struct {
	plot   *plot.Plot
	bars   []*plotter.BarChart
	legend plot.Legend
	footer []string
	// missing[k][i] is true where series k has no value at x i (NaN):
	// no bar is drawn there, as in the chart and the CSV's empty cell.
	missing [][]bool
	// markerYears are the years of the event markers drawn.
	markerYears []int
}

// newChartImage builds the plot of s: bars grouped side by side, or
// stacked when s.Stacked, over the x labels, with title, axis names with
// units, legend and a footer naming counting rule, source and vintage.
// A NaN value draws no bar.
func newChartImage(s Series) (*chartImage, error) { return newChartImageAs(s, dashboard.DefaultState) }

// newChartImageAs is newChartImage in display state st: with st.Chart
// line, each series is a line with points (broken where a value is
// missing) instead of bars; with st.Scale log, the value axis is
// logarithmic (pass st.drawn(s), which leaves out the zeros).
func newChartImageAs(s Series, st dashboard.ChartState) (*chartImage, error) {
	switch {
	case s.Map != nil:
		return newMapImage(s)
	case s.Links != nil:
		return newFlowImage(s)
	}
	ci := &chartImage{plot: plot.New(), legend: plot.NewLegend()}
	p := ci.plot
	p.Title.Text = s.Title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = s.XName
	p.Y.Label.Text = s.YName
	p.Y.Min = 0
	if s.Percent {
		p.Y.Max = 100
	}
	if len(s.X) == 0 {
		return nil, fmt.Errorf("chart %s: no x labels", s.ID)
	}
	p.NominalX(s.X...)
	p.X.Tick.Label.Font.Size = vg.Points(9)
	if len(s.X) > 12 || s.EveryLabel {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = plottext.XRight
		p.X.Tick.Label.YAlign = plottext.YCenter
	}
	if s.Counts {
		p.Y.Tick.Marker = wholeTicks{}
	}
	p.Add(plotter.NewGrid())
	group := vg.Points(24)
	if len(s.X) > 0 {
		// The widest group that leaves gaps between x positions, at the
		// default width; gonum scales nothing, so keep it modest.
		group = vg.Points(math.Min(24, 600/float64(len(s.X))))
	}
	slot, slots := s.barSlots()
	width := group
	if slots > 0 {
		width = group / vg.Length(slots)
	}
	top := map[string]*plotter.BarChart{} // the last bar of each stack
	for k, ser := range s.Series {
		if len(ser.Values) != len(s.X) {
			return nil, fmt.Errorf("chart %s: series %d has %d values for %d x labels", s.ID, k, len(ser.Values), len(s.X))
		}
		vals := make(plotter.Values, len(ser.Values))
		miss := make([]bool, len(ser.Values))
		for i, v := range ser.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				miss[i] = true
				continue // a zero-height bar with no outline draws nothing
			}
			vals[i] = v
		}
		if st.Chart == dashboard.KindLine {
			if err := ci.addLine(s, k, vals, miss); err != nil {
				return nil, err
			}
			continue
		}
		bar, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", s.ID, err)
		}
		bar.Color = palette[k%len(palette)]
		if c, ok := s.colorOf(k); ok {
			bar.Color = c
		}
		bar.LineStyle.Width = 0
		if stack := s.stackOf(k); stack != "" {
			if below := top[stack]; below != nil {
				bar.StackOn(below)
			}
			top[stack] = bar
		}
		bar.Offset = vg.Length(float64(slot[k])-float64(slots-1)/2) * width
		p.Add(bar)
		ci.bars = append(ci.bars, bar)
		ci.missing = append(ci.missing, miss)
		ci.legend.Add(ser.Name, bar)
	}
	if st.Scale == dashboard.ScaleLog {
		logAxis(p, s)
	}
	ci.legend.Top, ci.legend.Left = true, true
	ci.legend.TextStyle.Font.Size = vg.Points(9)
	ci.footer = []string{
		"Source: " + s.Source + ". Unit: " + s.Unit + ".",
		"Counting rule: " + s.Rule + ".",
	}
	return ci, nil
}

// barSlots places the series' bars side by side: slot[k] is the place of
// series k in its group of bars, from 0, and slots how many places there
// are; the series of one stack share a place.
func (s Series) barSlots() (slot []int, slots int) {
	place := map[string]int{}
	for k := range s.Series {
		stack := s.stackOf(k)
		if p, ok := place[stack]; ok && stack != "" {
			slot = append(slot, p)
			continue
		}
		place[stack] = slots
		slot = append(slot, slots)
		slots++
	}
	return slot, slots
}

// addMarkers draws a dashed vertical line at the x label of each row's
// year, labelled with its number of events, as the page's chart marks the
// dated events of a pair. Years not on the x axis are left out. It records
// the years drawn in ci.markerYears so tests can read them.
func (ci *chartImage) addMarkers(s Series, rows []dashboard.Marker) error {
	if len(rows) == 0 {
		return nil
	}
	pos := make(map[string]int, len(s.X))
	for i, x := range s.X {
		pos[x] = i
	}
	p := ci.plot
	top := p.Y.Max
	var labels plotter.XYLabels
	var line *plotter.Line
	for _, r := range rows {
		i, ok := pos[strconv.Itoa(r.Year)]
		if !ok {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: p.Y.Min}, {X: float64(i), Y: top}})
		if err != nil {
			return fmt.Errorf("chart %s: marker %d: %w", s.ID, r.Year, err)
		}
		l.LineStyle.Color = color.Gray{0x44}
		l.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(l)
		line = l
		text := "1 event"
		if r.Count != 1 {
			text = strconv.Itoa(r.Count) + " events"
		}
		labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: top})
		labels.Labels = append(labels.Labels, text)
		ci.markerYears = append(ci.markerYears, r.Year)
	}
	if line == nil {
		return nil
	}
	lbl, err := plotter.NewLabels(labels)
	if err != nil {
		return fmt.Errorf("chart %s: marker labels: %w", s.ID, err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i].Font.Size = vg.Points(8)
	}
	p.Add(lbl)
	ci.legend.Add("dated events of the pair", line)
	return nil
}

// wholeTicks puts value-axis ticks on whole numbers, for counts.
type wholeTicks struct{}

// Ticks returns ticks at a whole-number step that gives at most ten.
func (wholeTicks) Ticks(min, max float64) []plot.Tick {
	step := math.Max(1, math.Ceil((max-min)/10))
	var ticks []plot.Tick
	for v := math.Ceil(min); v <= max; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return ticks
}

// wrap breaks s into lines no wider than w in style sty.
func wrap(sty plottext.Style, s string, w vg.Length) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && sty.Width(next) > w {
			lines = append(lines, line)
			next = word
		}
		line = next
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// draw lays out the image on c: the title-wrapped plot on top, then the
// legend, then the footer lines.
func (ci *chartImage) draw(c draw.Canvas) {
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
	entries := len(ci.missing)
	if len(ci.markerYears) > 0 {
		entries++ // "dated events of the pair"
	}
	legendH := vg.Length(entries)*ci.legend.TextStyle.FontExtents().Height*1.3 + pad

	for i, l := range lines {
		y := c.Min.Y + pad/2 + lineH*vg.Length(len(lines)-1-i)
		c.FillText(foot, vg.Point{X: c.Min.X + pad, Y: y}, l)
	}
	lc := draw.Crop(c, pad, -pad, footH, 0)
	lc.Max.Y = lc.Min.Y + legendH
	ci.legend.Draw(lc)
	ci.plot.Draw(draw.Crop(c, 0, -pad, footH+legendH, -pad/2))
}

// render draws the image as an SVG or a PNG of q.W×q.H pixels.
func (ci *chartImage) render(f imageFormat, q dashboard.ImageSize) ([]byte, error) {
	w, h := px(float64(q.W)), px(float64(q.H))
	var buf bytes.Buffer
	switch f {
	case formatPNG:
		cv := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(imageDPI), vgimg.UseBackgroundColor(color.White))
		ci.draw(draw.New(cv))
		if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("encoding PNG: %w", err)
		}
	default:
		cv := vgsvg.New(w, h)
		dc := draw.New(cv)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		ci.draw(dc)
		if _, err := cv.WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("encoding SVG: %w", err)
		}
	}
	return buf.Bytes(), nil
}

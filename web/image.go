package web

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/dashboard"

	"gonum.org/v1/plot/vg"
)

// Static images of the charts, drawn on the server from the same Series as
// the ECharts chart, its table and its CSV, and drawn the way the page
// draws them: the same series types (bars, lines, points), the same value
// ticks and tick labels (ticks.go), a title, a subtitle giving unit,
// period and vintage, a legend of the series' names and a source line.
// Text grows with the image; x labels that would collide are thinned
// out, as ECharts does. The SVG carries the chart's text description as
// <title> and <desc>, and a group per series naming it and its type.

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

// palette is the series colours of the page's chart (the "color" list
// of the options: ECharts 5's defaults, then three more), so the image
// looks like the chart on the page; both themes use it.
var palette = []color.RGBA{
	{0x54, 0x70, 0xc6, 0xff}, {0x91, 0xcc, 0x75, 0xff}, {0xfa, 0xc8, 0x58, 0xff},
	{0xee, 0x66, 0x66, 0xff}, {0x73, 0xc0, 0xde, 0xff}, {0x3b, 0xa2, 0x72, 0xff},
	{0xfc, 0x84, 0x52, 0xff}, {0x9a, 0x60, 0xb4, 0xff}, {0xea, 0x7c, 0xcc, 0xff},
	// Beyond ECharts' nine, for charts of more series (SIPRI's eleven
	// armament categories); the options carry the whole palette.
	{0x8d, 0x6e, 0x63, 0xff}, {0x54, 0x6e, 0x7a, 0xff}, {0xc0, 0xca, 0x33, 0xff},
}

// imageTheme is the colours of an image other than its series'.
type imageTheme struct {
	bg, text, muted, axis, grid, marker color.RGBA
}

var (
	lightImage = imageTheme{bg: color.RGBA{0xff, 0xff, 0xff, 0xff}, text: color.RGBA{0x23, 0x23, 0x28, 0xff}, muted: color.RGBA{0x54, 0x55, 0x5a, 0xff},
		axis: color.RGBA{0x6d, 0x6e, 0x73, 0xff}, grid: color.RGBA{0xdb, 0xde, 0xe4, 0xff}, marker: color.RGBA{0x44, 0x44, 0x44, 0xff}}
	darkImage = imageTheme{bg: color.RGBA{0x18, 0x19, 0x1e, 0xff}, text: color.RGBA{0xe8, 0xeb, 0xf0, 0xff}, muted: color.RGBA{0xb7, 0xb9, 0xbe, 0xff},
		axis: color.RGBA{0x92, 0x93, 0x99, 0xff}, grid: color.RGBA{0x3c, 0x3c, 0x41, 0xff}, marker: color.RGBA{0xcf, 0xd2, 0xd7, 0xff}}
)

// Series types as ECharts names them.
const (
	typeBar  = "bar"
	typeLine = "line"
)

// imageSeries is one series as the image draws it.
type imageSeries struct {
	Name   string
	Type   string    // typeBar or typeLine
	Values []float64 // NaN where nothing is drawn
}

// chartImage is a Series laid out for drawing in one display state.
// Its fields say what is drawn, so that tests can read it.
type chartImage struct {
	s        Series
	st       dashboard.ChartState
	title    string
	subtitle string
	desc     string   // the text alternative: <title>/<desc> of the SVG
	footer   []string // source, counting rule, notes of the state
	series   []imageSeries
	scale    axisScale
	yLabels  []string // the value axis' tick labels, bottom up
	// markerYears are the years of the event markers drawn.
	markers     []dashboard.Marker
	markerYears []int
	theme       imageTheme
}

// seriesType is how series k of s is drawn in state st, as on the page:
// a line when the state asks for lines, on a log scale (a bar would have
// to start at an arbitrary floor, and values below it would hang down
// from it), or when the series is a line over bars (moving sums, trends);
// else a bar.
func seriesType(s Series, k int, st dashboard.ChartState) string {
	if st.Chart == dashboard.KindLine || st.Scale == dashboard.ScaleLog || s.Series[k].Line {
		return typeLine
	}
	return typeBar
}

// newChartImage lays out s in the default state with no subtitle.
func newChartImage(s Series) (*chartImage, error) {
	return newChartImageAs(s, dashboard.DefaultState, "", "")
}

// newChartImageAs lays out s (as drawnSeries gives it for st) in state
// st, with the given subtitle and text description. A chart with no x
// (e.g. five-year periods of a shorter range) is drawn with its axes and
// a line saying there is nothing to draw.
func newChartImageAs(s Series, st dashboard.ChartState, subtitle, desc string) (*chartImage, error) {
	ci := &chartImage{s: s, st: st, title: s.Title, subtitle: subtitle, desc: desc, theme: lightImage}
	if st.Theme == dashboard.ThemeDark {
		ci.theme = darkImage
	}
	if ci.desc == "" {
		ci.desc = s.Title
	}
	for k, ser := range s.Series {
		if len(ser.Values) != len(s.X) {
			return nil, fmt.Errorf("chart %s: series %d has %d values for %d x labels", s.ID, k, len(ser.Values), len(s.X))
		}
		vals := make([]float64, len(ser.Values))
		for i, v := range ser.Values {
			if math.IsInf(v, 0) {
				v = math.NaN()
			}
			vals[i] = s.shown(v)
		}
		ci.series = append(ci.series, imageSeries{Name: ser.Name, Type: seriesType(s, k, st), Values: vals})
	}
	ci.scale = ci.valueScale()
	for _, v := range ci.scale.Ticks {
		ci.yLabels = append(ci.yLabels, ci.scale.label(v))
	}
	ci.footer = []string{"Source: " + s.Source + ". Unit: " + s.Unit + ".", "Counting rule: " + s.Rule + "."}
	if len(s.X) == 0 {
		ci.footer = append(ci.footer, s.Notes...) // why there is nothing to draw
	}
	return ci, nil
}

// plotted returns the value drawn of series k at x i: its value, or for a
// stacked series the running total of its stack up to it; NaN for none.
func (ci *chartImage) plotted(k, i int) float64 {
	v := ci.series[k].Values[i]
	stack := ci.s.stackOf(k)
	if stack == "" || math.IsNaN(v) {
		return v
	}
	for j := 0; j < k; j++ {
		if w := ci.series[j].Values[i]; ci.s.stackOf(j) == stack && !math.IsNaN(w) {
			v += w
		}
	}
	return v
}

// barSlots places the bars side by side: slot[k] is the place of bar
// series k in its group of bars, from 0, and slots how many places there
// are; the series of one stack share a place.
func (ci *chartImage) barSlots(bars []int) (slot map[int]int, slots int) {
	slot, place := map[int]int{}, map[string]int{}
	for _, k := range bars {
		stack := ci.s.stackOf(k)
		if p, ok := place[stack]; ok && stack != "" {
			slot[k] = p
			continue
		}
		place[stack], slot[k] = slots, slots
		slots++
	}
	return slot, slots
}

// valueScale is the value axis of the page's chart for the values drawn:
// logarithmic on a log scale; 0 to 100 for percentages; whole steps for
// counts.
func (ci *chartImage) valueScale() axisScale {
	lo, hi := math.Inf(1), math.Inf(-1)
	for k := range ci.series {
		for i := range ci.s.X {
			if v := ci.plotted(k, i); !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if ci.st.Scale == dashboard.ScaleLog {
		if ci.s.Percent {
			hi = 100
		}
		sc := logScale(lo, hi)
		sc.Percent = ci.s.Percent
		return sc
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	minInterval := 0.0
	if ci.s.Counts {
		minInterval = 1
	}
	if ci.s.Percent {
		hi = 100
	}
	sc := linearScale(lo, hi, minInterval, ci.s.Percent)
	sc.Percent = ci.s.Percent
	return sc
}

// addMarkers marks the x label of each row's year with a dashed vertical
// line labelled with its number of events, as the page's chart marks the
// dated events of a pair. Years not on the x axis are left out; the years
// marked are recorded in ci.markerYears.
func (ci *chartImage) addMarkers(rows []dashboard.Marker) {
	pos := make(map[string]bool, len(ci.s.X))
	for _, x := range ci.s.X {
		pos[x] = true
	}
	for _, r := range rows {
		if pos[strconv.Itoa(r.Year)] {
			ci.markers = append(ci.markers, r)
			ci.markerYears = append(ci.markerYears, r.Year)
		}
	}
}

// wrapText breaks s into lines no wider than w pixels at size.
func wrapText(s string, size float64, bold bool, w float64) []string {
	return wrapWords(s, func(line string) bool { return textWidth(line, size, bold) <= w })
}

// wrapWords breaks s into lines at spaces, each the longest that fits
// (a word too long for a line alone is a line of its own).
func wrapWords(s string, fits func(line string) bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line != "" && !fits(next) {
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

// xLabelStep is how many x positions apart the labels drawn are: 1 when
// every label fits in its band, else the smallest step at which they do
// not collide (ECharts' automatic label interval).
func xLabelStep(labels []string, size, band, gap float64) int {
	widest := 0.0
	for _, l := range labels {
		widest = math.Max(widest, textWidth(l, size, false))
	}
	if band <= 0 {
		return len(labels)
	}
	return max(1, int(math.Ceil((widest+gap)/band)))
}

// shownXLabels returns the x labels drawn at a band width, "" where one
// is left out.
func (ci *chartImage) shownXLabels(size, band, gap float64) []string {
	step := 1
	if !ci.s.EveryLabel {
		step = xLabelStep(ci.s.X, size, band, gap)
	} else {
		// Slanted labels need only their line height of room.
		step = max(1, int(math.Ceil(size*1.3/band)))
	}
	out := make([]string, len(ci.s.X))
	for i, x := range ci.s.X {
		if i%step == 0 {
			out[i] = x
		}
	}
	// The last label is always shown (on the events chart it is "year not
	// given"): labels before it that it would collide with give way.
	last := len(out) - 1
	if last > 0 && step > 1 && out[last] == "" && !ci.s.EveryLabel {
		out[last] = ci.s.X[last]
		room := (textWidth(out[last], size, false)/2 + gap) / band
		for i := last - 1; i >= 0 && float64(last-i) < room+float64(step)/2+0.5; i-- {
			if out[i] != "" && float64(last-i)*band < (textWidth(out[i], size, false)+textWidth(out[last], size, false))/2+gap {
				out[i] = ""
			}
		}
	}
	return out
}

// legendItem is one legend entry: a series or the event markers.
type legendItem struct {
	name string
	kind string // typeBar, typeLine or "marker"
	col  color.RGBA
}

// render draws the image as an SVG or a PNG of size.W × size.H pixels.
func (ci *chartImage) render(f imageFormat, size dashboard.ImageSize) ([]byte, error) {
	if f == formatPNG {
		r := newRaster(size.W, size.H, ci.theme.bg)
		ci.draw(r, float64(size.W), float64(size.H))
		return r.png()
	}
	svg := newSVG(size.W, size.H, ci.title, ci.desc, ci.theme.bg)
	ci.draw(svg, float64(size.W), float64(size.H))
	return svg.bytes(), nil
}

// draw lays the image out on a w×h surface: title, subtitle, legend,
// value-axis name, plot with axes, x-axis name, then the footer lines.
// Every size is scaled by k = min(w/960, h/540), so text grows with the
// image, but not below 0.8, so that it stays readable in a small one.
func (ci *chartImage) draw(sf surface, w, h float64) {
	k := math.Max(0.8, math.Min(w/dashboard.DefaultImageW, h/dashboard.DefaultImageH))
	pad := 16 * k
	th := ci.theme
	titleSize, subSize, labelSize, footSize := 19*k, 13.5*k, 12.5*k, 11.5*k
	inner := w - 2*pad

	y := pad
	for _, l := range wrapText(ci.title, titleSize, true, inner) {
		y += titleSize
		sf.text(pad, y, l, titleSize, th.text, "start", true, 0)
		y += titleSize * 0.3
	}
	for _, l := range wrapText(ci.subtitle, subSize, false, inner) {
		y += subSize
		sf.text(pad, y, l, subSize, th.muted, "start", false, 0)
		y += subSize * 0.35
	}
	y += 8 * k

	// The legend: entries side by side, wrapping onto new lines.
	var items []legendItem
	for i, s := range ci.series {
		col, _ := ci.s.colorOf(i)
		items = append(items, legendItem{s.Name, s.Type, col})
	}
	if len(ci.markers) > 0 {
		items = append(items, legendItem{"dated events of the pair", "marker", th.marker})
	}
	sw, gap := 22*k, 18*k
	x := pad
	rowH := labelSize * 1.5
	sf.begin("legend", "")
	for i, it := range items {
		iw := sw + 6*k + textWidth(it.name, labelSize, false)
		if x > pad && x+iw > w-pad {
			x, y = pad, y+rowH
		}
		if i == 0 {
			y += rowH * 0.5
		}
		mid := y
		switch it.kind {
		case typeBar:
			sf.rect(x, mid-labelSize*0.4, sw, labelSize*0.8, it.col)
		case typeLine:
			sf.polyline([][2]float64{{x, mid}, {x + sw, mid}}, it.col, 2.5*k, nil)
			sf.circle(x+sw/2, mid, 3.5*k, it.col)
		default:
			sf.polyline([][2]float64{{x, mid}, {x + sw, mid}}, it.col, 1.5*k, []float64{4 * k, 3 * k})
		}
		sf.text(x+sw+6*k, mid+labelSize*0.35, it.name, labelSize, th.text, "start", false, 0)
		x += iw + gap
	}
	sf.end()
	if len(items) > 0 {
		y += rowH * 0.5
	}
	y += 10 * k

	// Footer lines, from the bottom up.
	var foot []string
	for _, f := range ci.footer {
		foot = append(foot, wrapText(f, footSize, false, inner)...)
	}
	footLine := footSize * 1.3
	bottom := h - pad - footLine*float64(len(foot))
	for i, l := range foot {
		sf.text(pad, bottom+footLine*float64(i)+footSize, l, footSize, th.muted, "start", false, 0)
	}
	bottom -= 8 * k

	// Value-axis name above the axis, as ECharts draws it.
	y += labelSize
	yNameY := y
	y += 8 * k
	top := y

	// Left: room for the widest value label.
	widest := 0.0
	for _, l := range ci.yLabels {
		widest = math.Max(widest, textWidth(l, labelSize, false))
	}
	left := pad + widest + 8*k
	right := w - pad - 8*k
	n := len(ci.s.X)
	band := (right - left) / float64(max(n, 1))
	if ci.s.EveryLabel && n > 0 {
		// A slanted first label reaches left of its tick by its width
		// times cos 30°: leave it that room.
		if reach := textWidth(ci.s.X[0], labelSize, false)*math.Cos(math.Pi/6) - band/2 + pad; reach > left {
			left = reach
			band = (right - left) / float64(n)
		}
	}

	// Bottom: the x-axis name, then the x labels.
	shown := ci.shownXLabels(labelSize, band, 10*k)
	xLabelH := labelSize * 1.4
	if ci.s.EveryLabel {
		widestX := 0.0
		for _, l := range shown {
			widestX = math.Max(widestX, textWidth(l, labelSize, false))
		}
		xLabelH = widestX*math.Sin(math.Pi/6) + labelSize*1.4
	}
	xNameY := bottom
	plotBottom := bottom - labelSize*1.6 - xLabelH
	if plotBottom-top < 40*k {
		plotBottom = top + 40*k
	}
	plotH := plotBottom - top
	yOf := func(v float64) float64 { return plotBottom - ci.scale.pos(v)*plotH }

	sf.text(pad, yNameY, ci.s.YName, labelSize, th.muted, "start", false, 0)

	// Grid lines and value labels.
	sf.begin("y-axis", "")
	for i, v := range ci.scale.Ticks {
		yy := yOf(v)
		sf.polyline([][2]float64{{left, yy}, {right, yy}}, th.grid, 1, nil)
		sf.text(left-8*k, yy+labelSize*0.35, ci.yLabels[i], labelSize, th.muted, "end", false, 0)
	}
	sf.end()

	// Bars, then lines over them.
	var bars []int
	for i, s := range ci.series {
		if s.Type == typeBar {
			bars = append(bars, i)
		}
	}
	groupW := band * 0.7
	slot, slots := ci.barSlots(bars)
	barW := groupW
	if slots > 0 {
		barW = groupW / float64(slots)
	}
	base := yOf(math.Max(ci.scale.Min, 0))
	for _, si := range bars {
		s := ci.series[si]
		col, _ := ci.s.colorOf(si)
		sf.begin("series", s.Name, "type", s.Type)
		for i := range ci.s.X {
			v := s.Values[i]
			if math.IsNaN(v) || v == 0 {
				continue
			}
			x0 := left + band*float64(i) + (band-groupW)/2 + barW*float64(slot[si])
			y0, y1 := yOf(ci.plotted(si, i)), base
			if ci.s.stackOf(si) != "" {
				y1 = yOf(ci.plotted(si, i) - v)
			}
			if y0 > y1 {
				y0, y1 = y1, y0
			}
			sf.rect(x0+0.5*k, y0, math.Max(barW-1*k, 0.5), y1-y0, col)
		}
		sf.end()
	}
	for si, s := range ci.series {
		if s.Type != typeLine {
			continue
		}
		col, _ := ci.s.colorOf(si)
		sf.begin("series", s.Name, "type", s.Type)
		var seg [][2]float64
		flush := func() {
			if len(seg) > 1 {
				sf.polyline(seg, col, 2.5*k, nil)
			}
			seg = nil
		}
		var pts [][2]float64
		for i := range ci.s.X {
			v := ci.plotted(si, i)
			if math.IsNaN(s.Values[i]) || math.IsNaN(v) {
				flush()
				continue
			}
			p := [2]float64{left + band*(float64(i)+0.5), yOf(v)}
			seg = append(seg, p)
			pts = append(pts, p)
		}
		flush()
		for _, p := range pts {
			sf.circle(p[0], p[1], 3.5*k, col)
		}
		sf.end()
	}

	// Axis line and x labels.
	sf.begin("x-axis", "")
	sf.polyline([][2]float64{{left, base}, {right, base}}, th.axis, 1.2*k, nil)
	for i, l := range shown {
		if l == "" {
			continue
		}
		cx := left + band*(float64(i)+0.5)
		sf.polyline([][2]float64{{cx, plotBottom}, {cx, plotBottom + 4*k}}, th.axis, 1, nil)
		if ci.s.EveryLabel {
			sf.text(cx, plotBottom+labelSize*1.2, l, labelSize, th.muted, "end", false, -30)
		} else {
			// A label wider than the room right of its tick ends at the edge.
			lx, anchor := cx, "middle"
			if cx+textWidth(l, labelSize, false)/2 > w-pad/2 {
				lx, anchor = w-pad/2, "end"
			}
			sf.text(lx, plotBottom+labelSize*1.3, l, labelSize, th.muted, anchor, false, 0)
		}
	}
	sf.end()
	sf.text((left+right)/2, xNameY, ci.s.XName, labelSize, th.muted, "middle", false, 0)
	if n == 0 {
		sf.text((left+right)/2, (top+plotBottom)/2, "Nothing to draw: the chart has no "+ci.s.XName+" in this range.", labelSize, th.muted, "middle", false, 0)
	}

	// Event markers.
	if len(ci.markers) > 0 {
		pos := map[string]int{}
		for i, x := range ci.s.X {
			pos[x] = i
		}
		sf.begin("markers", "")
		lastEnd := math.Inf(-1)
		for _, m := range ci.markers {
			cx := left + band*(float64(pos[strconv.Itoa(m.Year)])+0.5)
			sf.polyline([][2]float64{{cx, plotBottom}, {cx, top}}, th.marker, 1.2*k, []float64{4 * k, 3 * k})
			text := "1 event"
			if m.Count != 1 {
				text = strconv.Itoa(m.Count) + " events"
			}
			tw := textWidth(text, footSize, false)
			if cx-tw/2 > lastEnd+4*k {
				sf.text(cx, top-3*k, text, footSize, th.text, "middle", false, 0)
				lastEnd = cx + tw/2
			}
		}
		sf.end()
	}
}

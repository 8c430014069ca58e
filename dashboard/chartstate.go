package dashboard

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// The URL is the whole state of a chart. Besides what is drawn (the typed
// query of its page), a chart's address holds how it is drawn: measure,
// scale, chart and markers, and pin, which ties it to one exact file.

// Display parameter values.
const (
	MeasureTIV   = "tiv"
	MeasureShare = "share"
	ScaleLinear  = "linear"
	ScaleLog     = "log"
	KindBar      = "bar"
	KindLine     = "line"
	ThemeAuto    = "auto"
	ThemeLight   = "light"
	ThemeDark    = "dark"
)

// ChartState is how a chart is drawn, as its query gives it.
type ChartState struct {
	// Measure is MeasureTIV or MeasureShare: the dyad TIV chart draws the
	// supplier's deliveries either as TIV or as a yearly share of the
	// recipient's imports. Charts with no such choice have MeasureTIV.
	Measure string
	// Scale is ScaleLinear or ScaleLog.
	Scale string
	// Chart is KindBar or KindLine.
	Chart string
	// Markers draws the years of dated events on the dyad TIV chart
	// (markers=on, the default; markers=off hides them).
	Markers bool
	// Theme is ThemeAuto (the default: an embed follows the reader's
	// prefers-color-scheme, a page and an image are light), ThemeLight or
	// ThemeDark.
	Theme string
	// Pin is the first PinLen hex digits of the SHA-256 of the data the
	// chart was pinned to (see PinOf); "" follows whatever data is loaded.
	Pin string
	// By is the dimension the page's breakdown charts split TIV by (one
	// of BreakdownDimensions, by=), on pages whose Measures include
	// WithBreakdown; ByCategory elsewhere.
	By string
}

// DefaultState is the state of a URL with no display parameters.
var DefaultState = ChartState{Measure: MeasureTIV, Scale: ScaleLinear, Chart: KindBar, Markers: true, Theme: ThemeAuto, By: ByCategory}

// PinLen is the number of hex digits of a SHA-256 in pin=.
const PinLen = 12

// Measures says which values of measure= a page's charts take.
type Measures int

const (
	// MeasureTIVOnly: the charts draw TIV only; any measure but tiv is
	// invalid.
	MeasureTIVOnly Measures = iota
	// MeasureTIVOrShare: the dyad TIV chart draws TIV or yearly shares.
	MeasureTIVOrShare
	// MeasureOfPage: the page's own query reads measure= (e.g. /compare's
	// imports or exports), so the display state leaves it alone.
	MeasureOfPage
)

// WithBreakdown, added to a page's Measures (MeasureTIVOnly|WithBreakdown),
// says that its charts include breakdowns, so the page and every chart of
// it take by=.
const WithBreakdown Measures = 1 << 4

// ParseChartState reads measure, scale, chart, markers, theme and pin, and
// by when m includes WithBreakdown; which measures are valid is m. Invalid
// values are recorded and the defaults used.
func ParseChartState(p *Params, m Measures) ChartState {
	st := DefaultState
	if m&WithBreakdown != 0 {
		st.By = p.Choice("by", st.By, BreakdownDimensions)
	}
	switch m &^ WithBreakdown {
	case MeasureTIVOnly:
		st.Measure = p.Choice("measure", st.Measure, []string{MeasureTIV})
	case MeasureTIVOrShare:
		st.Measure = p.Choice("measure", st.Measure, []string{MeasureTIV, MeasureShare})
	}
	st.Scale = p.Choice("scale", st.Scale, []string{ScaleLinear, ScaleLog})
	st.Chart = p.Choice("chart", st.Chart, []string{KindBar, KindLine})
	st.Markers = p.Choice("markers", "on", []string{"on", "off"}) == "on"
	st.Theme = p.Choice("theme", st.Theme, []string{ThemeAuto, ThemeLight, ThemeDark})
	if raw := p.Raw("pin"); raw != "" {
		if validPin(raw) {
			st.Pin = strings.ToLower(raw)
		} else {
			p.Fail(&InvalidParamError{Param: "pin", Value: raw, Using: "showing the data loaded now",
				Msg: fmt.Sprintf("pin=%s is not %d hexadecimal digits of a SHA-256", Shorten(raw), PinLen)})
		}
	}
	return st
}

// validPin reports whether s is PinLen hex digits.
func validPin(s string) bool {
	if len(s) != PinLen {
		return false
	}
	for _, r := range strings.ToLower(s) {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// Set adds to v every value of st that differs from the default, so that
// links carry the whole state and nothing more.
func (st ChartState) Set(v url.Values) {
	if st.Measure != DefaultState.Measure {
		v.Set("measure", st.Measure)
	}
	if st.Scale != DefaultState.Scale {
		v.Set("scale", st.Scale)
	}
	if st.Chart != DefaultState.Chart {
		v.Set("chart", st.Chart)
	}
	if !st.Markers {
		v.Set("markers", "off")
	}
	if st.Theme != DefaultState.Theme {
		v.Set("theme", st.Theme)
	}
	if st.Pin != "" {
		v.Set("pin", st.Pin)
	}
	if st.By != DefaultState.By {
		v.Set("by", st.By)
	}
}

// PinOf is the pin of the data a chart is drawn from: the first PinLen hex
// digits of the dataset's SHA-256, or, for a chart drawn from several
// files, of the SHA-256 of their digests, one per line. It is "" when
// there is no dataset to pin.
func PinOf(ds []data.Dataset) string {
	switch len(ds) {
	case 0:
		return ""
	case 1:
		if len(ds[0].SHA256) < PinLen {
			return ""
		}
		return strings.ToLower(ds[0].SHA256[:PinLen])
	}
	h := sha256.New()
	for _, d := range ds {
		fmt.Fprintln(h, strings.ToLower(d.SHA256))
	}
	return hex.EncodeToString(h.Sum(nil))[:PinLen]
}

// DatasetsText names datasets with vintage and the start of their digest.
func DatasetsText(ds []data.Dataset) string {
	if len(ds) == 0 {
		return "no data of this kind"
	}
	var parts []string
	for _, d := range ds {
		p := fmt.Sprintf("“%s” (%s", d.Name, d.Label())
		if len(d.SHA256) >= PinLen {
			p += ", SHA-256 " + d.SHA256[:PinLen] + "…"
		}
		parts = append(parts, p+")")
	}
	return strings.Join(parts, "; ")
}

// Gone is the error of a view pinned to pin (and to the flow set dataset,
// when not "") whose data are not loaded; now are the data loaded instead.
func Gone(pin, dataset string, now []data.Dataset) *GoneError {
	what := "SHA-256 " + pin + "…"
	if dataset != "" {
		what = fmt.Sprintf("dataset “%s”, %s", Shorten(dataset), what)
	}
	return &GoneError{Msg: fmt.Sprintf(
		"The data this chart was pinned to (%s) is no longer loaded here, so the chart is not drawn from other data. Loaded now: %s. Remove pin= from the address to see the chart with the data loaded now.",
		what, DatasetsText(now))}
}

// Image sizes in CSS pixels: w and h must lie within
// [MinImageSide, MaxImageSide].
const (
	MinImageSide  = 200
	MaxImageSide  = 2000
	DefaultImageW = 960
	DefaultImageH = 540
)

// ImageSize is the size of a chart image.
type ImageSize struct{ W, H int }

// ParseImageSize reads w and h; a missing one takes its default, anything
// but a whole number in range is recorded.
func ParseImageSize(p *Params) ImageSize {
	return ImageSize{
		W: p.Int("w", DefaultImageW, MinImageSide, MaxImageSide, "image width in pixels"),
		H: p.Int("h", DefaultImageH, MinImageSide, MaxImageSide, "image height in pixels"),
	}
}

// Set adds the size to v when it is not the default.
func (s ImageSize) Set(v url.Values) {
	if s.W != DefaultImageW {
		v.Set("w", fmt.Sprint(s.W))
	}
	if s.H != DefaultImageH {
		v.Set("h", fmt.Sprint(s.H))
	}
}

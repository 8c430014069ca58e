package dashboard

import (
	"net/url"
	"strings"
	"testing"
)

// TestParseImageSize checks the image size: defaults, limits, and each
// kind of bad value recorded naming the parameter and the value.
func TestParseImageSize(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		want        ImageSize
		bad         string // the parameter recorded, "" when valid
	}{
		{"defaults", "", ImageSize{DefaultImageW, DefaultImageH}, ""},
		{"both", "w=640&h=360", ImageSize{640, 360}, ""},
		{"limits", "w=200&h=2000", ImageSize{200, 2000}, ""},
		{"too narrow", "w=199", ImageSize{DefaultImageW, DefaultImageH}, "w"},
		{"too tall", "h=2001", ImageSize{DefaultImageW, DefaultImageH}, "h"},
		{"not a number", "w=wide", ImageSize{DefaultImageW, DefaultImageH}, "w"},
		{"fraction", "h=300.5", ImageSize{DefaultImageW, DefaultImageH}, "h"},
		{"negative", "w=-640", ImageSize{DefaultImageW, DefaultImageH}, "w"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tc.query)
			p := NewParams(v)
			got := ParseImageSize(p)
			invalid, _ := p.Finish()
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if tc.bad == "" {
				if len(invalid) > 0 {
					t.Errorf("recorded %v", invalid[0])
				}
				return
			}
			if len(invalid) != 1 || invalid[0].Param != tc.bad || !strings.Contains(invalid[0].Error(), "“"+v.Get(tc.bad)+"”") {
				t.Fatalf("recorded %v; want parameter %s with its value", invalid, tc.bad)
			}
		})
	}
}

// TestSuggest checks the "did you mean" of unknown values and parameters.
func TestSuggest(t *testing.T) {
	known := []string{"China", "Pakistan", "India", "United States", "United Kingdom", "Iran"}
	params := []string{"from", "to", "supplier", "recipient", "dataset"}
	for _, tc := range []struct {
		raw   string
		known []string
		want  string
	}{
		{"Pakistn", known, "Pakistan"},
		{"pakistan", known, "Pakistan"},
		{"Inida", known, "India"},
		{"United St", known, "United States"},
		{"Narnia", known, ""},
		{"Iraq", known, "Iran"},
		{"frm", params, "from"},
		{"recipent", params, "recipient"},
		{"too", params, "to"},
		{"x", params, ""},
		{"", known, ""},
	} {
		if got := Suggest(tc.raw, tc.known); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// TestUnknownParams checks that Finish reports every parameter no read
// named, with a suggestion, and nothing for the ones read.
func TestUnknownParams(t *testing.T) {
	v, _ := url.ParseQuery("frm=2000&recipent=India&from=2001&zzz=1")
	p := NewParams(v)
	p.Year("from", 0)
	p.Raw("recipient")
	invalid, _ := p.Finish()
	got := map[string]string{}
	for _, e := range invalid {
		got[e.Param] = e.Suggestion
	}
	want := map[string]string{"frm": "from", "recipent": "recipient", "zzz": ""}
	if len(got) != len(want) {
		t.Fatalf("reported %v, want %v", got, want)
	}
	for k, s := range want {
		if g, ok := got[k]; !ok || g != s {
			t.Errorf("%s: suggestion %q (reported %v), want %q", k, g, ok, s)
		}
	}
	if !strings.Contains(invalid[0].Notice(), "did you mean “from”?") || !strings.Contains(invalid[0].Notice(), "It is ignored.") {
		t.Errorf("notice %q", invalid[0].Notice())
	}
}

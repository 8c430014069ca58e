package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// hrefRE finds the links of a page.
var hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestQueryPolicy checks the one query policy on every page: a bad value
// and an unknown parameter are each named in a notice (with a suggestion
// where one is close), left out of every link on the page, and the page
// renders with the defaults (200); the page is then served from the cache
// entry of its canonical query, whatever junk it is given. The API and the
// downloads answer 400 naming the parameter.
func TestQueryPolicy(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	h := s.Handler()
	for _, c := range []struct {
		page, bad string
		notices   []string
	}{
		{"/dyad?supplier=China&from=1995&to=2024", "recipient=Pakistn&frm=2000", []string{"Parameter recipient: no data for “Pakistn”", "did you mean “Pakistan”?", "Parameter frm: this page takes no such parameter", "did you mean “from”?"}},
		{"/country?name=Pakistan", "from=abc&nmae=India", []string{"Parameter from: “abc” is not a year", "Parameter nmae: this page takes no such parameter", "did you mean “name”?"}},
		{"/events?type=visit", "country=Pakistn&recipent=India", []string{"Parameter country: no events involve “Pakistn”", "did you mean “Pakistan”?", "Parameter recipent: this page takes no such parameter"}},
		{"/network?from=2020&to=2024", "dataset=nope&form=2000", []string{"Parameter dataset: no dataset “nope”", "Parameter form: this page takes no such parameter", "did you mean “from”?"}},
		{"/embed/dyad/tiv?" + dyadQ, "scale=logg&zz=1", []string{"Parameter scale: scale=logg is not one of linear, log; did you mean “log”?", "Parameter zz: this page takes no such parameter"}},
		{"/sources?", "utm_source=x", []string{"Parameter utm_source: this page takes no such parameter", "It is ignored."}},
		{"/dyad?" + dyadQ, "to=2020", []string{"Parameter to: given 2 times", "Using the first, “2024”."}},
		{"/dyad?" + dyadQ + "&by=status", "by=weight&bye=1", []string{"Parameter by: given 2 times", "Parameter bye: this page takes no such parameter"}},
		{"/country?name=Pakistan", "by=stauts", []string{"Parameter by: by=stauts is not one of category, status, local_production; did you mean “status”?", "Showing category."}},
		{"/dyad?" + dyadQ + "&weight=articles", "weight=artciles", []string{"Parameter weight: given 2 times"}},
		{"/events?weight=sources", "wieght=articles", []string{"Parameter wieght: this page takes no such parameter", "did you mean “weight”?"}},
		{"/events?type=visit", "weight=tons", []string{"Parameter weight: weight=tons is not one of events, sources, articles", "Showing events."}},
	} {
		t.Run(c.page, func(t *testing.T) {
			_, clean := getOK(t, h, c.page)
			builds := s.cacheStats().Builds
			_, body := getOK(t, h, c.page+"&"+c.bad)
			for _, n := range c.notices {
				if !strings.Contains(text(body), n) {
					t.Errorf("with %s: no notice %q", c.bad, n)
				}
			}
			bad, _ := url.ParseQuery(c.bad)
			for _, l := range hrefRE.FindAllStringSubmatch(body, -1) {
				u, err := url.Parse(text(l[1]))
				if err != nil {
					continue
				}
				for k, vs := range bad {
					if u.Query().Get(k) == vs[0] {
						t.Errorf("link %s keeps %s=%s", l[1], k, vs[0])
					}
				}
			}
			if st := s.cacheStats(); st.Builds != builds {
				t.Errorf("with %s: %d new builds; the canonical page should be served from the cache", c.bad, st.Builds-builds)
			}
			// Beyond the notices, the page is the canonical one.
			strip := regexp.MustCompile(`(?s)<div class="notice request-notices".*?</div>`)
			if strip.ReplaceAllString(body, "") != strip.ReplaceAllString(clean, "") {
				t.Errorf("with %s: the page differs from the canonical one beyond its notices", c.bad)
			}
		})
	}
	for _, c := range []struct{ target, param string }{
		{"/api/v1/shares?" + dyadQ + "&frm=2000", "frm"},
		{"/api/v1/rankings?recipient=Pakistan&from=2017&to=2021&dataset=nope", "dataset"},
		{"/dyad/tiv.csv?" + dyadQ + "&markers=maybe", "markers"},
		{"/dyad/shares.json?" + dyadQ + "&zz=1", "zz"},
		{"/dyad/tiv.svg?" + dyadQ + "&w=5", "w"},
		{"/country/imports.png?name=Pakistan&from=abc", "from"},
		{"/events/types.zip?country=Mars", "country"},
		{"/dyad/deals.csv?" + dyadQ + "&register=x", "register"},
		{"/api/v1/editions?country=Pakistan&side=both", "side"},
		{"/country/editions/imports.csv?name=Pakistan&form=2000", "form"},
		{"/dyad/breakdown.csv?" + dyadQ + "&by=weight", "by"},
		{"/dyad/tiv.csv?" + dyadQ + "&by=weight", "by"},
		{"/country/imports-breakdown.json?name=Pakistan&by=x", "by"},
		{"/network/flows.csv?from=2020&to=2024&by=status", "by"},
		{"/dyad/events.csv?" + dyadQ + "&weight=tons", "weight"},
		{"/events/types.json?weight=articels", "weight"},
		{"/api/v1/shares?" + dyadQ + "&weight=articles", "weight"},
	} {
		res, body := get(t, h, c.target)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(body), "Parameter "+c.param) {
			t.Errorf("%s: status %d, want 400 naming %s", c.target, res.StatusCode, c.param)
		}
	}
}

// TestBadValueBeforeNoData: on data that cannot give a download (the
// built-in extract has no listing to break down), a bad value is still
// answered 400 naming it, as on data that can; a good request, 404 saying
// what data is needed.
func TestBadValueBeforeNoData(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	for _, c := range []struct{ target, param string }{
		{"/api/v1/breakdown?supplier=China&recipient=Pakistan&from=2020&to=2024&by=x", "by"},
		{"/api/v1/breakdown?supplier=Narnia&from=2020&to=2024", "supplier"},
		{"/country/imports-breakdown.json?name=Pakistan&by=x", "by"},
		{"/world/categories.csv?from=2020&to=20x4", "to"},
		{"/api/v1/world?from=2020&to=2024&side=both", "side"},
	} {
		res, body := get(t, h, c.target)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(body), c.param) {
			t.Errorf("%s: status %d, %.200s; want 400 naming %s", c.target, res.StatusCode, text(body), c.param)
		}
	}
	res, body := get(t, h, "/api/v1/breakdown?supplier=China&recipient=Pakistan&from=2020&to=2024&by=status")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(text(body), "per-delivery-year listing") {
		t.Errorf("a good request on the built-in data: status %d, %.200s; want 404 naming the listing", res.StatusCode, text(body))
	}
}

// TestCacheKeysCanonicalQuery checks that requests meaning the same view
// share one cache entry: parameters in another order, a country in
// another spelling, explicit defaults, and junk parameters on a page.
func TestCacheKeysCanonicalQuery(t *testing.T) {
	s := newTestServer(t, nil, t.TempDir(), nil)
	h := s.Handler()
	get(t, h, "/dyad?"+dyadQ)
	builds := s.cacheStats().Builds
	for _, q := range []string{
		"to=2024&from=1995&recipient=Pakistan&supplier=China",
		"supplier=china&recipient=PAKISTAN&from=1995&to=2024",
		dyadQ + "&scale=linear&chart=bar&markers=on&measure=tiv",
		dyadQ + "&by=category", dyadQ + "&by=CATEGORY",
		dyadQ + "&scale=linear&chart=bar&markers=on&measure=tiv&weight=events", dyadQ + "&weight=EVENTS",
		dyadQ + "&junk=1", dyadQ + "&junk=2", dyadQ + "&x=" + strings.Repeat("y", 100),
		"supplier=Narnia&recipient=Pakistan&from=1995&to=2024",
	} {
		if res, _ := get(t, h, "/dyad?"+q); res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", q, res.StatusCode)
		}
	}
	if st := s.cacheStats(); st.Builds != builds {
		t.Errorf("%d pages built for queries of one view; want 0", st.Builds-builds)
	}
}

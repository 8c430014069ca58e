package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSearch checks the header's search: a country goes to its page, two
// countries to their pair's page whatever the separator, anything else
// lists what it matches or suggests a close name; the box offers every
// country as the user types.
func TestSearch(t *testing.T) {
	h := worldTestHandler(t)
	for q, want := range map[string]string{
		"Pakistan":                 "/country?name=Pakistan",
		"pakistan":                 "/country?name=Pakistan",
		"Timor-Leste":              "/country?name=Timor-Leste",
		"China to Pakistan":        "/dyad?recipient=Pakistan&supplier=China",
		"China → Pakistan":         "/dyad?recipient=Pakistan&supplier=China",
		"USA-India":                "/dyad?recipient=India&supplier=United+States",
		"France, Egypt":            "/dyad?recipient=Egypt&supplier=France",
		"Australia to Timor-Leste": "/dyad?recipient=Timor-Leste&supplier=Australia",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search?q="+strings.ReplaceAll(q, " ", "+"), nil))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("%q: %d to %q, want 303 to %q", q, rec.Code, rec.Header().Get("Location"), want)
		}
	}
	_, body := get(t, h, "/search?q=arab")
	if !strings.Contains(text(body), `href="/country?name=Saudi+Arabia"`) || !strings.Contains(text(body), `href="/country?name=United+Arab+Emirates"`) {
		t.Error("“arab” does not list Saudi Arabia and the United Arab Emirates")
	}
	if _, body := get(t, h, "/search?q=Pakistn"); !strings.Contains(text(body), "Did you mean") || !strings.Contains(text(body), `href="/country?name=Pakistan"`) {
		t.Error("“Pakistn” suggests nothing")
	}
	// A pair only a trade register holds goes to its deals.
	deals := dealsServer(t, dealsFlows, smallRegister)
	for q, want := range map[string]string{"Russia to India": "/deals?recipient=India&supplier=Russia", "China to Pakistan": "/dyad?recipient=Pakistan&supplier=China"} {
		rec := httptest.NewRecorder()
		deals.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search?q="+strings.ReplaceAll(q, " ", "+"), nil))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("%q: %d to %q, want 303 to %q", q, rec.Code, rec.Header().Get("Location"), want)
		}
	}
	_, page := get(t, h, "/world")
	if !strings.Contains(page, `<datalist id="search-countries">`) || !strings.Contains(page, `<option value="Pakistan">`) || strings.Count(page, "<option value=") < 150 {
		t.Error("the search box does not offer the countries")
	}
}

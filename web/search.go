package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
)

// /search: the box in every page's header. A country goes to its page,
// two countries ("China → Pakistan", "China to Pakistan", "China-Pakistan")
// to their pair's page; anything else lists the countries it matches. The
// box offers every country as the user types (a <datalist>, which needs no
// script), and the form works without JavaScript.

// pairSeparators split a query naming a supplier and a recipient, tried
// in order: a hyphen last, since some names hold one (Guinea-Bissau).
var pairSeparators = []*regexp.Regexp{
	regexp.MustCompile(`\s*(?:→|->|=>|–|—)\s*`),
	regexp.MustCompile(`(?i)\s+(?:to|and)\s+`),
	regexp.MustCompile(`\s*[/,]\s*|\s+-\s+`),
	regexp.MustCompile(`-`),
}

// searchPage is the view model of search.html.
type searchPage struct {
	basePage
	Query   string
	Matches []searchMatch
	Hint    string
}

// searchMatch is one country found.
type searchMatch struct{ Name, Link string }

// search serves /search?q=: a redirect to the country or pair page named,
// or the countries the query matches.
func (s *Server) search(c *gin.Context) {
	r := s.newRQ(c)
	q := r.p.Raw("q")
	invalid, _ := r.p.Finish()
	fi, err := r.d.Flows("")
	if err != nil {
		s.writeError(c, err)
		return
	}
	known := fi.Coverage.Countries()
	if name, ok := dashboard.MatchCountry(q, known); ok && len(invalid) == 0 {
		c.Redirect(http.StatusSeeOther, link("/country", url.Values{"name": {name}}))
		return
	}
	for _, sep := range pairSeparators {
		parts := sep.Split(q, -1)
		if len(parts) != 2 || len(invalid) > 0 {
			continue
		}
		a, okA := dashboard.MatchCountry(strings.TrimSpace(parts[0]), fi.Coverage.Suppliers)
		b, okB := dashboard.MatchCountry(strings.TrimSpace(parts[1]), fi.Coverage.Recipients)
		if okA && okB && a != b {
			c.Redirect(http.StatusSeeOther, link("/dyad", url.Values{"supplier": {a}, "recipient": {b}}))
			return
		}
	}
	page := searchPage{Query: q}
	page.basePage = s.base(c, "Search", "", link("/search", url.Values{"q": {q}}))
	lq := strings.ToLower(q)
	for _, k := range known {
		if q != "" && strings.Contains(strings.ToLower(k), lq) {
			page.Matches = append(page.Matches, searchMatch{k, link("/country", url.Values{"name": {k}})})
		}
	}
	if sug := dashboard.Suggest(q, known); len(page.Matches) == 0 && sug != "" {
		page.Hint = sug
		page.Matches = append(page.Matches, searchMatch{sug, link("/country", url.Values{"name": {sug}})})
	}
	resp, err := s.renderPage("search", page)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.write(c, newCachedResponse("", resp), noticesHTML(invalid, nil), "", acceptsGzip(c.Request))
}

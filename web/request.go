package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// The one query policy. Every route reads its query through the domain
// layer's one validator (dashboard.Params) into a typed query, then:
//
//   - HTML pages and embeds (asPage) name each value they could not use,
//     and each unknown parameter, in a notice at the top of the page, with
//     a suggestion where one is close, and render the defaults in its
//     place with status 200;
//   - downloads (.csv, .json, .data.csv, .svg, .png, .zip) and the JSON
//     API (asFile) answer 400 naming the first such parameter.
//
// Either way the response is built from the typed query alone, so every
// link and permalink on it is canonical and carries no bad value, and the
// response cache keys on the canonical query: a junk parameter reaches the
// cached page, never a new render. A page's request notices are spliced
// into the cached body at noticesMarker.

// policy is how a route answers query values it cannot use.
type policy int

const (
	asPage policy = iota // notices, defaults, 200
	asFile               // 400 naming the parameter
)

// canonical is a validated query: Values gives its parameters in
// canonical form, defaults filled in.
type canonical interface{ Values() url.Values }

// flowQuery is a validated query over a flow set: the set and the query.
type flowQuery[Q canonical] struct {
	fi *dashboard.FlowIndex
	Q  Q
}

// Values returns the query's canonical parameters.
func (q flowQuery[Q]) Values() url.Values { return q.Q.Values() }

// flowParser adapts a dashboard parser of a query over a flow set (e.g.
// (*dashboard.Dashboard).ParseDyad) to a route's or chart's parse.
func flowParser[Q canonical](parse func(*dashboard.Dashboard, *dashboard.Params) (*dashboard.FlowIndex, Q, error)) func(r *rq) (flowQuery[Q], error) {
	return func(r *rq) (flowQuery[Q], error) {
		fi, q, err := parse(r.d, r.p)
		return flowQuery[Q]{fi, q}, err
	}
}

// withState is a page query with its charts' display state.
type withState[Q canonical] struct {
	Q     Q
	State dashboard.ChartState
}

// Values returns the query's canonical parameters and the state's
// non-default values.
func (q withState[Q]) Values() url.Values {
	v := q.Q.Values()
	q.State.Set(v)
	return v
}

// stateParser reads a page's query with parse, then its display state.
func stateParser[Q canonical](parse func(r *rq) (Q, error), measures dashboard.Measures) func(r *rq) (withState[Q], error) {
	return func(r *rq) (withState[Q], error) {
		q, err := parse(r)
		return withState[Q]{q, dashboard.ParseChartState(r.p, measures)}, err
	}
}

// noQuery is the query of a page that takes no parameters.
type noQuery struct{}

// Values returns no parameters.
func (noQuery) Values() url.Values { return url.Values{} }

// rq is one request as route handlers see it: the dashboard of the
// snapshot it started with, and the validator of its query.
type rq struct {
	s *Server
	c *gin.Context
	d *dashboard.Dashboard
	p *dashboard.Params
	// stats holds the dyad statistics once computed, so a page and its
	// charts compute them once (see dyadStats).
	stats *dashboard.DyadStats
	// worlds holds the world views computed, so a page and its charts
	// compute each once (see world).
	worlds map[dashboard.WorldQuery]*dashboard.World
	// register is the trade register the query chose for a pair's
	// deals, once read (registerParser), so that the charts drawn from
	// it follow the page's choice.
	register *registerChoice
}

// world returns fi's world view of q, computing it once per request.
func (r *rq) world(fi *dashboard.FlowIndex, q dashboard.WorldQuery) *dashboard.World {
	if w, ok := r.worlds[q]; ok {
		return w
	}
	if r.worlds == nil {
		r.worlds = map[dashboard.WorldQuery]*dashboard.World{}
	}
	w := fi.World(q)
	r.worlds[q] = w
	return w
}

// snapshot returns the request's snapshot.
func (r *rq) snapshot() *data.Snapshot { return r.d.Snapshot() }

// response is a 200 response before it is sent: what the cache stores.
type response struct {
	ctype  string
	header http.Header // e.g. Content-Disposition, Cache-Control; may be nil
	body   []byte
}

// setCacheControl sets the response's Cache-Control, unless v is "".
func (r *response) setCacheControl(v string) {
	if v == "" {
		return
	}
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set("Cache-Control", v)
}

// htmlResponse is a rendered page.
func htmlResponse(body []byte) *response {
	return &response{ctype: "text/html; charset=utf-8", body: body}
}

// routeOpts are the options of one route.
type routeOpts struct {
	policy policy
	// noStore routes hold a CSRF token or show the store itself: they
	// are neither cached nor given an ETag (Cache-Control: no-store).
	noStore bool
	// expensive routes compute their response in one of a few render
	// slots (renderlimit.go); a cache hit needs none.
	expensive bool
}

// route adapts a handler to gin: parse reads the query into Q through r.p
// (it fails only for reasons other than a bad value, e.g. no data loaded),
// then the policy applies, and render builds the response from Q, unless
// the cache holds it already.
func route[Q canonical](s *Server, o routeOpts, parse func(r *rq) (Q, error), render func(r *rq, q Q) (*response, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		r := s.newRQ(c)
		q, err := parse(r)
		if err != nil {
			// A bad value comes first, even on data that cannot answer:
			// the client is told what to correct, as it would be on data
			// that can. (Not the parameters no read named: a parser that
			// stopped early has not read them all.)
			if inv := r.p.Invalid(); o.policy == asFile && len(inv) > 0 {
				err = inv[0]
			}
			s.writeError(c, err)
			return
		}
		invalid, notes := r.p.Finish()
		var notices []byte
		switch {
		case o.policy == asFile && len(invalid) > 0:
			s.writeError(c, invalid[0])
			return
		case o.policy == asPage:
			notices = noticesHTML(invalid, notes)
		}
		key := c.Request.URL.Path + "?" + q.Values().Encode()
		produce := func() (*response, error) { return render(r, q) }
		if o.expensive {
			produce = s.renders.limit(c.Request.Context(), produce)
		}
		s.serve(c, key, notices, o.noStore, produce)
	}
}

// newRQ starts a request.
func (s *Server) newRQ(c *gin.Context) *rq {
	return &rq{s: s, c: c, d: s.dashboardOf(s.snapshot(c)), p: dashboard.NewParams(c.Request.URL.Query())}
}

// dashboardOf returns the dashboard of snap, keeping the last one made so
// that its indexes serve every request of the same snapshot. A new
// snapshot's dashboard inherits what the last one derived from the flow
// sets it still holds unchanged (dashboard.Next).
func (s *Server) dashboardOf(snap *data.Snapshot) *dashboard.Dashboard {
	prev := s.dash.Load()
	if prev != nil && prev.Snapshot() == snap {
		return prev
	}
	d := dashboard.Next(prev, snap)
	s.dash.Store(d)
	return d
}

// noticesMarker stands in a rendered page where its request notices go.
const noticesMarker = "<div data-request-notices></div>"

// noticesHTML is the notice block of a request: one line per value that
// could not be used and per adjustment; nil when there are none.
func noticesHTML(invalid []*dashboard.InvalidParamError, notes []string) []byte {
	if len(invalid) == 0 && len(notes) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`<div class="notice request-notices" role="status">`)
	for _, e := range invalid {
		b.WriteString("<p>" + html.EscapeString(e.Notice()) + "</p>")
	}
	for _, n := range notes {
		b.WriteString("<p>" + html.EscapeString(n) + "</p>")
	}
	b.WriteString("</div>")
	return []byte(b.String())
}

// dashPointer holds the last dashboard made.
type dashPointer = atomic.Pointer[dashboard.Dashboard]

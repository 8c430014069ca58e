package dashboard

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// fuzzQueries seed the query fuzzers: real queries, each kind of bad
// value, unknown parameters and names that would be script, a template or
// a formula if they reached a page unescaped.
func fuzzQueries() []string {
	qs := []string{"", "supplier=China&recipient=Pakistan&from=1995&to=2024", "from=abc", "from=2030&to=2000",
		"supplier=Narnia", "type=visit&country=China&from=2000", "%zz&to=1e9", "supplier=china&recipient=PAKISTAN",
		"from=1949&to=2101", "to=-1", "dataset=x&dataset=y", "recipient=Pakistan&top=0", "w=1&h=99999",
		"scale=log&measure=share&pin=2020", "from=+2000&to=0x7e0", "page=2", "page=-1&type=visit",
		"page=99999999999999999999", "register=x&supplier=China&recipient=Pakistan", "frm=2000&recipent=India",
		"name=Pakistn", "markers=maybe&chart=pie", "country=India~Pakistn~~China&measure=exports",
		"supplier=Egypt&recipient=Algeria&from=1960&deals=ordered", "deals=evry&from=2000&to=1990",
		"by=status&supplier=Freedonia&from=2019&to=2020", "by=stat&recipient=Sylvania", "by=local_production&from=2020&to=2020",
		"weight=articles&supplier=China&recipient=Pakistan", "weight=SOURCES&type=visit", "weight=tons", "weight=events&weight=articles"}
	for _, n := range []string{`</script><img src=x onerror=alert(1)>`, `{{.}}`, `=HYPERLINK("http://x")`, `__f__alert(1)__f__`} {
		qs = append(qs, url.Values{"supplier": {n}, "recipient": {n}, "country": {n}, "name": {n}, n: {"1"}}.Encode())
	}
	return qs
}

// parsers are the page queries of the dashboard, each read from a query
// and giving its canonical parameters and its checks on what it accepted.
func parsers(d *Dashboard) map[string]func(p *Params) (url.Values, func() string) {
	return map[string]func(p *Params) (url.Values, func() string){
		"dyad": func(p *Params) (url.Values, func() string) {
			fi, q, err := d.ParseDyad(p)
			if err != nil {
				return nil, func() string { return err.Error() }
			}
			return q.Values(), func() string {
				c := fi.Coverage
				switch {
				case !slices.Contains(c.Suppliers, q.Supplier) || !slices.Contains(c.Recipients, q.Recipient) || q.Supplier == q.Recipient:
					return "accepted " + q.Supplier + " → " + q.Recipient
				case q.From > q.To || q.From < c.MinYear || q.To > c.MaxYear:
					return "accepted years " + strconv.Itoa(q.From) + "–" + strconv.Itoa(q.To)
				case !slices.Contains(EventWeights, q.Weight):
					return "accepted weight " + string(q.Weight)
				}
				return ""
			}
		},
		"country": func(p *Params) (url.Values, func() string) {
			fi, q, err := d.ParseCountry(p)
			if err != nil {
				return nil, func() string { return err.Error() }
			}
			return q.Values(), func() string {
				if !slices.Contains(fi.Coverage.Countries(), q.Name) || q.From > q.To {
					return "accepted " + q.Name
				}
				return ""
			}
		},
		"network": func(p *Params) (url.Values, func() string) {
			_, q, err := d.ParseNetwork(p)
			if err != nil {
				return nil, func() string { return err.Error() }
			}
			return q.Values(), func() string { return "" }
		},
		"events": func(p *Params) (url.Values, func() string) {
			q := d.ParseEvents(p)
			return q.Values(), func() string {
				f := q.Filter
				switch {
				case f.Type != "" && !slices.Contains(d.EventTypes(), f.Type), f.Country != "" && !slices.Contains(d.EventCountries(), f.Country):
					return "accepted a filter value with no events"
				case f.From != 0 && (f.From < MinQueryYear || f.From > MaxQueryYear), f.To != 0 && (f.To < MinQueryYear || f.To > MaxQueryYear):
					return "accepted a year out of range"
				case f.From != 0 && f.To != 0 && f.From > f.To:
					return "accepted from after to"
				case q.Page < 1 || q.Page > q.Pages:
					return "accepted page " + strconv.Itoa(q.Page)
				case !slices.Contains(EventWeights, q.Weight):
					return "accepted weight " + string(q.Weight)
				}
				return ""
			}
		},
		"compare": func(p *Params) (url.Values, func() string) {
			fi, q, err := d.ParseCompare(p)
			if err != nil {
				return nil, func() string { return err.Error() }
			}
			return q.Values(), func() string {
				if len(q.Countries) == 0 || len(q.Countries) > MaxCompared {
					return "accepted " + strconv.Itoa(len(q.Countries)) + " countries"
				}
				for _, c := range q.Countries {
					if !slices.Contains(fi.Coverage.Countries(), c) {
						return "accepted " + c
					}
				}
				return ""
			}
		},
		"deals": func(p *Params) (url.Values, func() string) {
			r, q, err := d.ParseDeals(p)
			if err != nil {
				return nil, func() string { return err.Error() }
			}
			return q.Values(), func() string {
				idx := d.Deals()
				switch {
				case !slices.Contains(idx.Suppliers, q.Supplier) || !slices.Contains(idx.Recipients, q.Recipient):
					return "accepted " + q.Supplier + " → " + q.Recipient
				case q.From != 0 && q.To != 0 && q.From > q.To:
					return "accepted from after to"
				case !slices.Contains(DealsChoices, q.In):
					return "accepted deals=" + q.In
				case r == nil || (q.Register != "" && r.Set.Dataset.Name != q.Register):
					return "no register, or not the one named"
				}
				return ""
			}
		},
		"chart state and image": func(p *Params) (url.Values, func() string) {
			st, size := ParseChartState(p, MeasureTIVOrShare|WithBreakdown), ParseImageSize(p)
			v := url.Values{}
			st.Set(v)
			size.Set(v)
			return v, func() string {
				if size.W < MinImageSide || size.W > MaxImageSide || size.H < MinImageSide || size.H > MaxImageSide {
					return "accepted an image size out of range"
				}
				if st.Pin != "" && !validPin(st.Pin) {
					return "accepted pin " + st.Pin
				}
				if !slices.Contains(BreakdownDimensions, st.By) {
					return "accepted by=" + st.By
				}
				return ""
			}
		},
	}
}

// FuzzQueries checks every page query: it never panics, what it accepts
// is valid, every unknown parameter is reported, and its canonical
// parameters read back to themselves with nothing reported — so the
// links a page builds from its query never carry a bad value.
func FuzzQueries(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	d := New(fuzzSnapshot(f))
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for name, parse := range parsers(d) {
			p := NewParams(v)
			canon, check := parse(p)
			if canon == nil {
				t.Fatalf("%s %q: %s", name, raw, check())
			}
			if msg := check(); msg != "" {
				t.Fatalf("%s %q: %s", name, raw, msg)
			}
			invalid, _ := p.Finish()
			for k := range v {
				if !p.read[k] && !slices.ContainsFunc(invalid, func(e *InvalidParamError) bool { return e.Param == Shorten(k) }) {
					t.Fatalf("%s %q: unknown parameter %q not reported", name, raw, k)
				}
			}
			again := NewParams(canon)
			canon2, _ := parse(again)
			if bad, _ := again.Finish(); len(bad) > 0 {
				t.Fatalf("%s %q: canonical %q reports %v", name, raw, canon.Encode(), bad[0])
			}
			if !reflect.DeepEqual(canon, canon2) {
				t.Fatalf("%s %q: canonical %q reads back as %q", name, raw, canon.Encode(), canon2.Encode())
			}
		}
	})
}

// fuzzSnapshot is the built-in dataset with the lines of SIPRI's trade
// register in data/testdata as its register.
func fuzzSnapshot(f *testing.F) *data.Snapshot {
	snap := builtinSnapshot(f)
	b, err := os.ReadFile("../data/testdata/register_small_cp1252.csv")
	if err != nil {
		f.Fatal(err)
	}
	reg, err := data.Read("register_small_cp1252.csv", b, data.Options{})
	if err != nil {
		f.Fatal(err)
	}
	snap.DealSets = []data.DealSet{{Dataset: reg.Dataset, Deals: reg.Deals}}
	return snap
}

// FuzzAPIParams checks the API's queries: whatever they are given, either
// something is reported or the result encodes as JSON.
func FuzzAPIParams(f *testing.F) {
	for _, q := range fuzzQueries() {
		f.Add(q)
	}
	snap := builtinSnapshot(f)
	d, dl := New(snap), handListing()
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		for name, query := range map[string]func(p *Params) (func() any, error){
			"breakdown": func(p *Params) (func() any, error) {
				fi, q, err := dl.ParseBreakdown(p)
				return func() any { return fi.Breakdown(q) }, err
			},
			"shares": func(p *Params) (func() any, error) {
				fi, q, err := d.ParseShares(p)
				return func() any { return fi.Shares(q) }, err
			},
			"ranking": func(p *Params) (func() any, error) {
				fi, q, err := d.ParseRanking(p)
				return func() any { return fi.Ranking(q) }, err
			},
		} {
			p := NewParams(v)
			answer, err := query(p)
			if err != nil {
				t.Fatal(err)
			}
			if invalid, _ := p.Finish(); len(invalid) == 0 {
				if _, err := json.Marshal(answer()); err != nil {
					t.Fatalf("%s %q: %v", name, raw, err)
				}
			}
		}
	})
}

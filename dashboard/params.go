package dashboard

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// The years a query may name at all.
const (
	MinQueryYear = 1950
	MaxQueryYear = 2100
)

// Params is the one validator of query parameters: every typed query
// (DyadQuery, CountryQuery, EventsQuery, NetworkQuery, ShareQuery,
// RankingQuery, ChartState, ImageSize …) is read from url.Values through
// it. Each read names the parameter, so Params knows which parameters the
// query takes; Finish then reports any other parameter as unknown.
//
// A value that cannot be used is never used: the read returns the default
// and records an *InvalidParamError naming the parameter, the value, what
// was expected and, where a known value is close, a suggestion. A value
// that is valid but had to be adjusted (a period narrowed to the years the
// data cover) is recorded as a notice. What a caller does with them is the
// one query policy (see package web): pages name them in notices and show
// the defaults; the API and downloads answer the first invalid one with an
// error.
type Params struct {
	v       url.Values
	read    map[string]bool
	invalid []*InvalidParamError
	notices []string
}

// NewParams reads v.
func NewParams(v url.Values) *Params { return &Params{v: v, read: map[string]bool{}} }

// ParamsFrom reads named values, as a command line gives them: an empty
// value counts as absent.
func ParamsFrom(values map[string]string) *Params {
	v := url.Values{}
	for k, x := range values {
		if x != "" {
			v.Set(k, x)
		}
	}
	return NewParams(v)
}

// Raw returns the first value of parameter name with surrounding space
// trimmed, "" when absent, and marks name as a parameter of the query.
//
// A parameter given more than once is recorded: only the first value is
// used.
func (p *Params) Raw(name string) string {
	first := strings.TrimSpace(p.v.Get(name))
	if vs := p.v[name]; len(vs) > 1 && !p.read[name] {
		p.Fail(&InvalidParamError{Param: name, Value: vs[1],
			Msg:   fmt.Sprintf("given %d times; a query names each parameter once", len(vs)),
			Using: fmt.Sprintf("using the first, “%s”", Shorten(first))})
	}
	p.read[name] = true
	return first
}

// Take marks names as parameters of the query without reading them.
func (p *Params) Take(names ...string) {
	for _, n := range names {
		p.read[n] = true
	}
}

// Fail records an invalid value.
func (p *Params) Fail(e *InvalidParamError) {
	if e.Value != "" {
		e.Value = Shorten(e.Value)
	}
	p.invalid = append(p.invalid, e)
}

// Note records a notice about a valid value that had to be adjusted.
func (p *Params) Note(format string, args ...any) {
	p.notices = append(p.notices, fmt.Sprintf(format, args...))
}

// Year reads parameter name as a year from MinQueryYear to MaxQueryYear;
// absent gives def, anything else invalid gives def and records why.
func (p *Params) Year(name string, def int) int {
	raw := p.Raw(name)
	if raw == "" {
		return def
	}
	y, ok := p.checkYear(name, raw, MinQueryYear, MaxQueryYear, "")
	if !ok {
		return def
	}
	return y
}

// OptionalPeriod reads from and to as optional years, each 0 (an open
// end) when absent or invalid. A from after to is recorded, using saying
// what is shown instead, and gives 0, 0.
func (p *Params) OptionalPeriod(using string) (from, to int) {
	from, to = p.Year("from", 0), p.Year("to", 0)
	if from != 0 && to != 0 && from > to {
		p.Fail(&InvalidParamError{Param: "from", Value: strconv.Itoa(from), Using: using,
			Msg: fmt.Sprintf("%d is after to (%d); the first year must not be after the last", from, to)})
		return 0, 0
	}
	return from, to
}

// RequiredYear reads parameter name as a year from lo to hi (the years the
// data cover, named by what); absent or invalid gives ok false and records
// why.
func (p *Params) RequiredYear(name string, lo, hi int, what string) (int, bool) {
	raw := p.Raw(name)
	if raw == "" {
		p.Fail(&InvalidParamError{Param: name, Msg: fmt.Sprintf("missing; give a year from %d to %d", lo, hi)})
		return 0, false
	}
	return p.checkYear(name, raw, lo, hi, what)
}

// checkYear parses raw as a year from lo to hi.
func (p *Params) checkYear(name, raw string, lo, hi int, what string) (int, bool) {
	y, err := strconv.Atoi(raw)
	if err != nil {
		p.Fail(&InvalidParamError{Param: name, Value: raw, Msg: fmt.Sprintf("“%s” is not a year; give a year from %d to %d, e.g. %d", Shorten(raw), lo, hi, min(hi, 2020))})
		return 0, false
	}
	if y < lo || y > hi {
		msg := fmt.Sprintf("%d is outside %d–%d", y, lo, hi)
		if what != "" {
			msg = fmt.Sprintf("%d is outside the years %s covers, %d–%d", y, what, lo, hi)
		}
		p.Fail(&InvalidParamError{Param: name, Value: raw, Msg: msg})
		return 0, false
	}
	return y, true
}

// Int reads parameter name as a whole number from lo to hi; absent gives
// def, invalid gives def and records why. noun names the quantity, e.g.
// "image width in pixels".
func (p *Params) Int(name string, def, lo, hi int, noun string) int {
	raw := p.Raw(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		p.Fail(&InvalidParamError{Param: name, Value: raw,
			Msg: fmt.Sprintf("“%s” is not a valid %s: give a whole number from %d to %d", Shorten(raw), noun, lo, hi)})
		return def
	}
	return n
}

// Choice reads parameter name as one of valid (any case); absent gives
// def, anything else gives def and records why.
func (p *Params) Choice(name, def string, valid []string) string {
	raw := p.Raw(name)
	if raw == "" {
		return def
	}
	for _, v := range valid {
		if strings.EqualFold(raw, v) {
			return v
		}
	}
	p.Fail(&InvalidParamError{Param: name, Value: raw, Known: valid, KnownLabel: "Valid values of " + name,
		Msg:        fmt.Sprintf("%s=%s is not one of %s", name, Shorten(raw), strings.Join(valid, ", ")),
		Suggestion: Suggest(raw, valid), Using: "showing " + def})
	return def
}

// CountrySpec says which countries a country parameter may name.
type CountrySpec struct {
	Known      []string // the countries with data in this role, sorted
	Role       string   // e.g. "supplier", "a recipient whose imports it holds in full"
	KnownLabel string   // heading of Known on an error page
	Dataset    string   // the dataset's label, e.g. "SIPRI …, generated 2026-02-12"
}

// Country reads parameter name as a country of spec.Known, exactly or by
// its canonical name ("china" and "PRC" find China). Absent gives def (""
// records that it is missing); an unknown country gives def and records
// it with the closest known name as a suggestion.
func (p *Params) Country(name, def string, spec CountrySpec) string {
	raw := p.Raw(name)
	if raw == "" {
		if def == "" {
			p.Fail(&InvalidParamError{Param: name, Msg: "missing; name a country, e.g. " + name + "=" + url.QueryEscape(exampleOf(spec.Known))})
		}
		return def
	}
	if c, ok := MatchCountry(raw, spec.Known); ok {
		return c
	}
	where := "in this dataset"
	if spec.Dataset != "" {
		where = "in " + spec.Dataset
	}
	e := &InvalidParamError{Param: name, Value: raw, Known: knownList(spec.Known), KnownLabel: spec.KnownLabel,
		Msg:        fmt.Sprintf("no data for “%s” as %s %s", Shorten(raw), spec.Role, where),
		Suggestion: Suggest(raw, spec.Known)}
	if def != "" {
		e.Using = "showing " + def
	}
	p.Fail(e)
	return def
}

// MatchCountry finds raw among known: exactly, then by canonical name.
func MatchCountry(raw string, known []string) (string, bool) {
	if slices.Contains(known, raw) {
		return raw, true
	}
	if c, ok := data.CanonicalCountry(raw); ok && slices.Contains(known, c) {
		return c, true
	}
	return "", false
}

func exampleOf(known []string) string {
	if slices.Contains(known, "Pakistan") || len(known) == 0 {
		return "Pakistan"
	}
	return known[0]
}

// Invalid returns the values recorded as unusable so far, without the
// parameters no read named (which Finish adds): what a parser that
// stopped early, on data that cannot answer, has found wrong.
func (p *Params) Invalid() []*InvalidParamError { return p.invalid }

// Finish records every parameter that no read named as unknown, with the
// closest parameter the query takes as a suggestion, and returns what was
// recorded: the invalid values in the order read, then unknown parameters
// by name; and the notices.
func (p *Params) Finish() (invalid []*InvalidParamError, notices []string) {
	var takes []string
	for n := range p.read {
		takes = append(takes, n)
	}
	sort.Strings(takes)
	var unknown []string
	for n := range p.v {
		if !p.read[n] {
			unknown = append(unknown, n)
		}
	}
	sort.Strings(unknown)
	for _, n := range unknown {
		msg := "this page takes no such parameter"
		if len(takes) > 0 {
			msg += " (it takes " + strings.Join(takes, ", ") + ")"
		}
		p.Fail(&InvalidParamError{Param: Shorten(n), Value: p.v.Get(n), Msg: msg, Known: takes,
			KnownLabel: "Parameters of this page", Suggestion: Suggest(n, takes), Using: "it is ignored"})
	}
	return p.invalid, p.notices
}

// Suggest returns the value of known closest to raw when it is close
// enough to be a slip: the same but for case, a known value starting with
// raw (3 or more letters), or one within a few edits (1 for up to 4
// letters, 2 for up to 8, 3 beyond; transposed letters count as one).
// "" when none is.
func Suggest(raw string, known []string) string {
	r := strings.ToLower(strings.TrimSpace(raw))
	if r == "" {
		return ""
	}
	limit := 3
	switch n := len([]rune(r)); {
	case n <= 4:
		limit = 1
	case n <= 8:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, k := range known {
		lk := strings.ToLower(k)
		d := editDistance(r, lk)
		if d > 0 && len([]rune(r)) >= 3 && strings.HasPrefix(lk, r) {
			d = 1
		}
		if d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours,
// each costing 1.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

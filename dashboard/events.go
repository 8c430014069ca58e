package dashboard

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"

	"github.com/armsdash/armsdash/data"
)

// Events are counted in one place: every view counts from the snapshot's
// EventCounts (made by the store in SQL, or by data.CountEvents for the
// built-in data), never by counting event rows, because a snapshot holds
// no rows when there are more than data.SnapshotEventLimit of them.

// EventFilter selects events; see data.EventFilter.
type EventFilter data.EventFilter

// Values returns the filter's canonical URL parameters, leaving out empty
// ones.
func (f EventFilter) Values() url.Values {
	v := url.Values{}
	if f.Type != "" {
		v.Set("type", f.Type)
	}
	if f.Country != "" {
		v.Set("country", f.Country)
	}
	setOptionalPeriod(v, f.From, f.To)
	return v
}

// Selects reports whether f selects an event; see data.EventFilter.Selects.
func (f EventFilter) Selects(typ, a, b string, year int) (ok, noYear bool) {
	return data.EventFilter(f).Selects(typ, a, b, year)
}

// Period describes the filter's years, e.g. "2015–2020", "2015–" or "all
// years held".
func (f EventFilter) Period() string {
	if f.From == 0 && f.To == 0 {
		return "all years held"
	}
	return fmt.Sprintf("%s–%s", yearText(f.From), yearText(f.To))
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// EventTypes lists data.EventTypes, then any other type the counted events
// use, alphabetically.
func (d *Dashboard) EventTypes() []string {
	types := slices.Clone(data.EventTypes)
	return append(types, otherTypes(d.snap.EventCounts)...)
}

// OrderedTypes returns the types of counts in data.EventTypes order, then
// any others alphabetically.
func OrderedTypes(counts []data.EventCount) []string {
	var out []string
	for _, t := range data.EventTypes {
		if slices.ContainsFunc(counts, func(c data.EventCount) bool { return c.Type == t }) {
			out = append(out, t)
		}
	}
	return append(out, otherTypes(counts)...)
}

// otherTypes returns the types of counts not in data.EventTypes, sorted.
func otherTypes(counts []data.EventCount) []string {
	m := map[string]bool{}
	for _, c := range counts {
		if !slices.Contains(data.EventTypes, c.Type) {
			m[c.Type] = true
		}
	}
	return slices.Sorted(maps.Keys(m))
}

// EventCountries lists every country on either side of a counted event.
func (d *Dashboard) EventCountries() []string {
	m := map[string]bool{}
	for _, c := range d.snap.EventCounts {
		m[c.SideA], m[c.SideB] = true, true
	}
	delete(m, "")
	return slices.Sorted(maps.Keys(m))
}

// ParseEventFilter reads type, country, from and to. A type or country
// with no events, a malformed year, or from after to, is recorded and
// left out of the filter.
func (d *Dashboard) ParseEventFilter(p *Params) EventFilter {
	var f EventFilter
	types, countries := d.EventTypes(), d.EventCountries()
	if raw := p.Raw("type"); raw != "" {
		if slices.Contains(types, raw) {
			f.Type = raw
		} else {
			p.Fail(&InvalidParamError{Param: "type", Value: raw, Known: types, KnownLabel: "Event types",
				Msg: fmt.Sprintf("“%s” is not one of %s", Shorten(raw), joinOr(types, "no type")), Suggestion: Suggest(raw, types), Using: "showing every type"})
		}
	}
	if raw := p.Raw("country"); raw != "" {
		if c, ok := MatchCountry(raw, countries); ok {
			f.Country = c
		} else {
			p.Fail(&InvalidParamError{Param: "country", Value: raw, Known: knownList(countries), KnownLabel: "Countries with events",
				Msg: fmt.Sprintf("no events involve “%s”", Shorten(raw)), Suggestion: Suggest(raw, countries), Using: "showing every country"})
		}
	}
	f.From, f.To = p.OptionalPeriod("both are ignored")
	return f
}

// EventsPerPage is how many events a list shows at a time.
const EventsPerPage = 100

// EventsQuery is a filter and one page of the list of the events it
// selects, and what the chart of them counts.
type EventsQuery struct {
	Filter EventFilter
	Weight EventWeight
	// Page is the page shown, from 1 to Pages.
	Page, Pages int
	// Selected counts the events the filter selects; Yearless those a
	// year filter left out because their source gives no year.
	Selected, Yearless int
	// Counts are the event counts the filter selects.
	Counts []data.EventCount
}

// Values returns the query's canonical URL parameters: the filter's, and
// page when it is not the first.
func (q EventsQuery) Values() url.Values { return q.PageValues(q.Page) }

// PageValues returns the parameters of page n of the same list.
func (q EventsQuery) PageValues(n int) url.Values {
	v := q.Filter.Values()
	q.Weight.Set(v)
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return v
}

// Offset is the position in the list of the first event of the page.
func (q EventsQuery) Offset() int { return (q.Page - 1) * EventsPerPage }

// ParseEvents reads an event filter, the weight and page (1 to the
// number of pages of EventsPerPage events; out of range is recorded and
// page 1 shown).
func (d *Dashboard) ParseEvents(p *Params) EventsQuery {
	q := EventsQuery{Filter: d.ParseEventFilter(p), Weight: ParseWeight(p), Page: 1}
	q.Counts, q.Selected, q.Yearless = d.CountEvents(q.Filter)
	q.Pages = max(1, (q.Selected+EventsPerPage-1)/EventsPerPage)
	if raw := p.Raw("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil || n < 1:
			p.Fail(&InvalidParamError{Param: "page", Value: raw, Msg: fmt.Sprintf("“%s” is not a page number; give 1 to %d", Shorten(raw), q.Pages), Using: "showing page 1"})
		case n > q.Pages:
			p.Fail(&InvalidParamError{Param: "page", Value: raw, Msg: fmt.Sprintf("page %d is past the last page, %d", n, q.Pages), Using: "showing page 1"})
		default:
			q.Page = n
		}
	}
	return q
}

// CountEvents returns the snapshot's event counts f selects, how many
// events they count, and how many events f's year bounds left out because
// their source gives no year.
func (d *Dashboard) CountEvents(f EventFilter) (counts []data.EventCount, selected, yearless int) {
	for _, c := range d.snap.EventCounts {
		ok, noYear := f.Selects(c.Type, c.SideA, c.SideB, c.Year)
		if noYear {
			yearless += int(c.Count)
		}
		if ok {
			counts = append(counts, c)
			selected += int(c.Count)
		}
	}
	return counts, selected, yearless
}

// ByType sums counts by type, weighted by w, in the order of types.
func ByType(counts []data.EventCount, types []string, w EventWeight) []float64 {
	out := make([]float64, len(types))
	for _, c := range counts {
		if i := slices.Index(types, c.Type); i >= 0 {
			out[i] += float64(w.Of(c))
		}
	}
	return out
}

// PairCounts returns the snapshot's event counts between a and b, either
// way round.
func (d *Dashboard) PairCounts(a, b string) []data.EventCount {
	return between(d.snap.EventCounts, a, b, func(c data.EventCount) (string, string) { return c.SideA, c.SideB })
}

// between returns the rows whose two sides (as sides gives them) are a
// and b, either way round, in order.
func between[T any](rows []T, a, b string, sides func(T) (string, string)) []T {
	var out []T
	for _, r := range rows {
		if x, y := sides(r); x == a && y == b || x == b && y == a {
			out = append(out, r)
		}
	}
	return out
}

// PairEvents counts the events between a and b, either way round, and
// their weights by w.
func (d *Dashboard) PairEvents(a, b string, w EventWeight) PairEvents {
	e := PairEvents{PerYear: map[int]int{}, Weight: w, Weighted: map[int]int64{}}
	for _, c := range d.PairCounts(a, b) {
		if c.Year != 0 {
			e.PerYear[c.Year] += int(c.Count)
			e.Weighted[c.Year] += w.Of(c)
			e.Dated += int(c.Count)
		} else {
			e.Undated += int(c.Count)
		}
	}
	return e
}

// EventsBetween returns the snapshot's event rows between a and b, either
// way round, in order; none when the snapshot holds no rows
// (EventsTruncated).
func (d *Dashboard) EventsBetween(a, b string) []data.Event {
	return between(d.snap.Events, a, b, func(e data.Event) (string, string) { return e.SideA, e.SideB })
}

// EventDatasets returns the datasets events come from.
func (d *Dashboard) EventDatasets() []data.Dataset {
	var out []data.Dataset
	for _, ds := range d.snap.Datasets {
		if ds.Format == data.FormatEvents || ds.Format == data.FormatGDELT {
			out = append(out, ds)
		}
	}
	return out
}

package dashboard

import (
	"net/url"

	"github.com/armsdash/armsdash/data"
)

// EventWeight says what an event chart counts: each event once
// (WeightEvents, the default), or each event weighted by the sources or
// the articles that reported it (GDELT's NumSources and NumArticles, the
// most of its rows; 1 for an event without them: see data.Event.Sources).
// Weighting by coverage shows how much an interaction was reported, not
// how many there were.
type EventWeight string

// The weights of weight=.
const (
	WeightEvents   EventWeight = "events"
	WeightSources  EventWeight = "sources"
	WeightArticles EventWeight = "articles"
)

// EventWeights lists the weights, the default first.
var EventWeights = []EventWeight{WeightEvents, WeightSources, WeightArticles}

// ParseWeight reads weight (events, sources or articles; by default
// events).
func ParseWeight(p *Params) EventWeight {
	valid := make([]string, len(EventWeights))
	for i, w := range EventWeights {
		valid[i] = string(w)
	}
	return EventWeight(p.Choice("weight", string(WeightEvents), valid))
}

// Set adds weight= to v unless w is the default.
func (w EventWeight) Set(v url.Values) {
	if w != WeightEvents && w != "" {
		v.Set("weight", string(w))
	}
}

// Of returns the weighted count of c: its events, sources or articles.
func (w EventWeight) Of(c data.EventCount) int64 {
	switch w {
	case WeightSources:
		return c.Sources
	case WeightArticles:
		return c.Articles
	}
	return c.Count
}

// OrDefault returns w, or WeightEvents when w is "".
func (w EventWeight) OrDefault() EventWeight {
	if w == "" {
		return WeightEvents
	}
	return w
}

// Noun is what the weighted counts count: "events", "sources reporting
// them" or "articles reporting them".
func (w EventWeight) Noun() string {
	switch w {
	case WeightSources:
		return "sources reporting them"
	case WeightArticles:
		return "articles reporting them"
	}
	return "events"
}

// Rule words how the weighted counts count, for a chart's counting rule:
// "each event once" or "each event weighted by the most sources (GDELT's
// NumSources) of its rows, 1 when it has none".
func (w EventWeight) Rule() string {
	switch w {
	case WeightSources:
		return "each event weighted by the sources that reported it (GDELT's NumSources, the most of its rows; 1 for an event without it)"
	case WeightArticles:
		return "each event weighted by the articles that reported it (GDELT's NumArticles, the most of its rows; 1 for an event without it)"
	}
	return "each event once, however many rows and files report it"
}

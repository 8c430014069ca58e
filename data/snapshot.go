package data

import "sync"

// Flow is the TIV that one supplier delivered to one recipient in one year,
// in millions of SIPRI trend-indicator values (a volume measure, not money).
type Flow struct {
	Supplier  string
	Recipient string
	Year      int
	TIV       float64
}

// FlowDetail is the TIV one supplier delivered to one recipient in one
// year of one armament category, status and local production, as SIPRI's
// per-delivery-year listing gives them, in millions of SIPRI TIV: the rows
// of the listing summed by those six columns. EstimatedTIV is the part of
// TIV in rows whose "Numbers delivered is estimate" or "Delivery year is
// estimate" is Yes (an empty flag is not Yes), so 0 <= EstimatedTIV <= TIV.
type FlowDetail struct {
	Supplier        string
	Recipient       string
	Year            int
	Category        string // "Armament category", e.g. "Aircraft"
	Status          string // "New", "Second hand" or "Second hand but modernized"
	LocalProduction bool
	TIV             float64
	EstimatedTIV    float64
}

// FlowSet is the yearly flows of one dataset.
type FlowSet struct {
	Dataset Dataset
	Flows   []Flow
	// Details splits the flows of a per-delivery-year listing by armament
	// category, status and local production (see SumDetails); nil for the
	// other formats, which give only yearly totals. The details of a
	// supplier, recipient and year add up to its Flow. A store's snapshot
	// may leave it nil and the details to be read on first need instead
	// (DetailsLater): read them with AllDetails.
	Details []FlowDetail
	// Estimated is, when not nil, the part of each flow's TIV resting on
	// SIPRI's estimates, Estimated[i] of Flows[i]: the EstimatedTIV of its
	// details summed, known without reading them.
	Estimated []float64
	// later reads the details on first need (DetailsLater); shared by
	// the copies of the set.
	later *laterDetails
}

// laterDetails is details read on first need, once.
type laterDetails struct {
	once    sync.Once
	read    func() []FlowDetail
	details []FlowDetail
}

// DetailsLater makes read give the set's details, on the first call of
// AllDetails, instead of Details: for a store whose details cost more to
// read than the pages that need them are worth at start. read must not
// fail (a store checks what it will read when it makes the snapshot) and
// must not return none.
func (fs *FlowSet) DetailsLater(read func() []FlowDetail) {
	fs.later = &laterDetails{read: read}
}

// AllDetails returns the set's details: Details, or those DetailsLater
// reads, read once by whichever call comes first.
func (fs FlowSet) AllDetails() []FlowDetail {
	if fs.later == nil {
		return fs.Details
	}
	fs.later.once.Do(func() { fs.later.details = fs.later.read() })
	return fs.later.details
}

// WithDetails returns fs with its details in Details (AllDetails) and
// none left to read later: a plain value, to compare or print.
func (fs FlowSet) WithDetails() FlowSet {
	fs.Details, fs.later = fs.AllDetails(), nil
	return fs
}

// HasDetails reports whether the set has details (see Details), without
// reading those DetailsLater would.
func (fs FlowSet) HasDetails() bool { return len(fs.Details) > 0 || fs.later != nil }

// DealSet is the trade register deals of one dataset, in file order.
type DealSet struct {
	Dataset Dataset
	Deals   []Deal
}

// IndicatorSet is the World Bank WDI values of one dataset, in file order.
type IndicatorSet struct {
	Dataset Dataset
	Values  []IndicatorValue
}

// Snapshot is everything the dashboard shows, as of one version of the
// store. It is never modified after it is built, so readers may share it.
type Snapshot struct {
	// Version changes whenever the data changes; pages and caches key on it.
	Version  string
	Datasets []Dataset
	// FlowSets holds the yearly flows of each dataset that has them, the
	// preferred one first (most detailed, then most recent vintage).
	FlowSets []FlowSet
	// Events holds the events of every dataset, one per key with its
	// other rows in Also (DedupEvents), when there are at most
	// SnapshotEventLimit rows; otherwise none, and EventsTruncated is
	// true. Count events with EventCounts, never by counting Events.
	Events []Event
	// EventCounts counts all EventsTotal events by year, sides and type,
	// as Store.EventCounts(ctx, 0, 0) does (undated events under Year 0).
	EventCounts []EventCount
	// EventsTotal is how many events the datasets hold; EventRows how
	// many rows they take (an event may be several: see Event.Key).
	EventsTotal, EventRows int
	// EventsTruncated is true when Events holds none of the EventsTotal
	// events because there are more than SnapshotEventLimit rows.
	EventsTruncated bool
	Figures         []Figure
	Equipment       []Equipment
	// DealSets holds the deals of each trade register, the preferred one
	// first (current format before legacy, then most recent vintage); see
	// DealEntries.
	DealSets []DealSet
	// IndicatorSets holds the values of each WDI file, most recent vintage
	// first; see IndicatorEntries.
	IndicatorSets []IndicatorSet
	// TotalSets holds, for each TIV table that gives countries' yearly
	// totals against all countries on the other side (the old world table
	// of imports by country), those totals as flows with the other side
	// "": Flow{Supplier: "", Recipient: X} is X's imports from all
	// suppliers in a year, Flow{Supplier: X, Recipient: ""} X's exports to
	// all recipients. A table's empty cells give no flow; its "0" cells
	// give TIV 0. Sets are ordered as FlowSets orders their datasets.
	TotalSets []FlowSet
	// Builtin is true when the snapshot is armsdash's built-in dataset.
	Builtin bool
}

// FlowSet returns the flow set of the named dataset, or the preferred one
// when name is "". ok is false when there is no such set.
func (s *Snapshot) FlowSet(name string) (FlowSet, bool) {
	for _, fs := range s.FlowSets {
		if name == "" || fs.Dataset.Name == name {
			return fs, true
		}
	}
	return FlowSet{}, false
}

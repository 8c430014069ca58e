package dashboard

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// The trade register's deals (orders) of a pair, from a per-pair index of
// every register of the snapshot.

// dealPair is a supplier and a recipient, by canonical name.
type dealPair struct{ supplier, recipient string }

// Register is the deals of one trade register grouped by pair.
type Register struct {
	Set data.DealSet
	// pairs lists, for each pair, the positions in Set.Deals of its deals,
	// sorted by DealOrder.
	pairs map[dealPair][]int
}

// HasTIV reports whether the register gives TIV figures: the current
// export does, the legacy report does not.
func (r *Register) HasTIV() bool { return r.Set.Dataset.Format != data.FormatSIPRIRegisterLegacy }

// Deals returns the pair's deals, sorted by DealOrder; none when the
// register holds none.
func (r *Register) Deals(supplier, recipient string) []*data.Deal {
	list := r.pairs[dealPair{supplier, recipient}]
	out := make([]*data.Deal, len(list))
	for i, j := range list {
		out[i] = &r.Set.Deals[j]
	}
	return out
}

// Holds reports whether the register holds a deal of the pair.
func (r *Register) Holds(supplier, recipient string) bool {
	return len(r.pairs[dealPair{supplier, recipient}]) > 0
}

// Count returns how many deals of the pair the register holds.
func (r *Register) Count(supplier, recipient string) int {
	return len(r.pairs[dealPair{supplier, recipient}])
}

// DealIndex indexes every trade register of one snapshot, in the order of
// Snapshot.DealSets (the preferred register first).
type DealIndex struct {
	Registers []*Register
	// Suppliers and Recipients are every supplier and recipient of a
	// deal in any register, sorted.
	Suppliers, Recipients []string
}

// Deals returns the deal index of the snapshot, building it on first use:
// one pass over every deal of every register plus a sort within each pair.
func (d *Dashboard) Deals() *DealIndex {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.deals != nil {
		return d.deals
	}
	idx := &DealIndex{}
	sup, rec := map[string]bool{}, map[string]bool{}
	for _, set := range d.snap.DealSets {
		r := &Register{Set: set, pairs: map[dealPair][]int{}}
		for i, deal := range set.Deals {
			p := dealPair{deal.Supplier, deal.Recipient}
			r.pairs[p] = append(r.pairs[p], i)
			sup[deal.Supplier], rec[deal.Recipient] = true, true
		}
		for _, list := range r.pairs {
			slices.SortStableFunc(list, func(a, b int) int { return DealOrder(&set.Deals[a], &set.Deals[b]) })
		}
		idx.Registers = append(idx.Registers, r)
	}
	idx.Suppliers, idx.Recipients = slices.Sorted(maps.Keys(sup)), slices.Sorted(maps.Keys(rec))
	d.deals = idx
	return idx
}

// DealOrder orders deals by year of order (a deal with no year last), then
// by weapon designation ignoring case, then byte for byte; deals equal in
// both keep file order when sorted stably.
func DealOrder(a, b *data.Deal) int {
	ya, yb := a.OrderYear, b.OrderYear
	if (ya == 0) != (yb == 0) {
		return cmp.Compare(yb, ya) // 0 (no year) after any year
	}
	if c := cmp.Compare(ya, yb); c != 0 {
		return c
	}
	if c := cmp.Compare(strings.ToLower(a.Designation), strings.ToLower(b.Designation)); c != 0 {
		return c
	}
	return cmp.Compare(a.Designation, b.Designation)
}

// Names returns the names of the loaded registers, preferred first.
func (idx *DealIndex) Names() []string {
	var out []string
	for _, r := range idx.Registers {
		out = append(out, r.Set.Dataset.Name)
	}
	return out
}

// ErrNoRegister says that no trade register is loaded.
var ErrNoRegister = &NotDrawableError{Msg: "No SIPRI trade register is loaded, so there are no deals to show. Add one with: armsdash import -db FILE register.csv"}

// RegisterFor returns the register a pair's deals are shown from when
// none is named: the first, in the order of Snapshot.DealSets (current
// format before legacy, then newest vintage), that holds a deal of the
// pair, so that a newer register of one supplier's exports does not hide
// the pairs an older register of every supplier holds; the preferred
// register when none does; nil when none is loaded.
func (idx *DealIndex) RegisterFor(supplier, recipient string) *Register {
	if len(idx.Registers) == 0 {
		return nil
	}
	for _, r := range idx.Registers {
		if r.Holds(supplier, recipient) {
			return r
		}
	}
	return idx.Registers[0]
}

// ParseRegister reads parameter register and returns the register it
// names for the pair, or RegisterFor's choice when it is absent or names
// none loaded (recording why). chosen is the register's name when it is
// not RegisterFor's choice, else "", so that canonical links leave out a
// parameter that changes nothing. It is nil, with no error recorded for
// an absent parameter, when no register is loaded.
func (idx *DealIndex) ParseRegister(p *Params, supplier, recipient string) (r *Register, chosen string) {
	raw := p.Raw("register")
	if len(idx.Registers) == 0 {
		if raw != "" {
			p.Fail(&InvalidParamError{Param: "register", Value: raw, Msg: fmt.Sprintf("no trade register “%s” is loaded; none is", Shorten(raw)), Using: "it is ignored"})
		}
		return nil, ""
	}
	def := idx.RegisterFor(supplier, recipient)
	if raw == "" {
		return def, ""
	}
	for _, r := range idx.Registers {
		if r.Set.Dataset.Name == raw {
			if r == def {
				return r, ""
			}
			return r, raw
		}
	}
	names := idx.Names()
	p.Fail(&InvalidParamError{Param: "register", Value: raw, Known: names, KnownLabel: "Trade registers loaded",
		Msg:        fmt.Sprintf("no trade register “%s” is loaded (loaded: %s)", Shorten(raw), strings.Join(names, ", ")),
		Suggestion: Suggest(raw, names), Using: "showing " + def.Set.Dataset.Name})
	return def, ""
}

// The values of parameter deals: which deals of a pair a table over a
// period lists.
const (
	DealsEither    = "either"    // ordered or delivered in the period (the default)
	DealsOrdered   = "ordered"   // ordered in the period
	DealsDelivered = "delivered" // with a delivery in the period
	DealsAll       = "all"       // every deal, whatever its years
)

// DealsChoices are the values of parameter deals, the default first.
var DealsChoices = []string{DealsEither, DealsOrdered, DealsDelivered, DealsAll}

// ParseDealsIn reads parameter deals, one of DealsChoices; absent gives
// DealsEither, anything else DealsEither and records why.
func ParseDealsIn(p *Params) string { return p.Choice("deals", DealsEither, DealsChoices) }

// DealListed reports whether d is listed under in (one of DealsChoices)
// for the years from..to. A deal is ordered in them when its year of
// order is; delivered in them when one of its years of delivery is (the
// legacy report gives only a range, DeliveryFrom..DeliveryTo: then when
// the range overlaps them). A deal without a year of order is never
// "ordered" in a period, one without deliveries never "delivered"; under
// DealsAll every deal is listed.
func DealListed(d *data.Deal, in string, from, to int) bool {
	ordered := d.OrderYear != 0 && d.OrderYear >= from && d.OrderYear <= to
	delivered := false
	switch {
	case len(d.DeliveryYears) > 0:
		delivered = slices.ContainsFunc(d.DeliveryYears, func(y int) bool { return y >= from && y <= to })
	case d.DeliveryFrom != 0:
		delivered = d.DeliveryFrom <= to && d.DeliveryTo >= from
	}
	switch in {
	case DealsOrdered:
		return ordered
	case DealsDelivered:
		return delivered
	case DealsAll:
		return true
	}
	return ordered || delivered
}

// DealsIn returns the pair's deals listed under in for from..to (see
// DealListed), sorted by DealOrder.
func (r *Register) DealsIn(supplier, recipient, in string, from, to int) []*data.Deal {
	return slices.DeleteFunc(r.Deals(supplier, recipient), func(d *data.Deal) bool { return !DealListed(d, in, from, to) })
}

// HistoricPartners returns the pairs of the register's deals, other than
// supplier → recipient, in which a state that no longer exists
// (data.KindHistoric: Soviet Union, Czechoslovakia …) supplied recipient
// or received from supplier, sorted by supplier then recipient, with how
// many deals each holds. A flow set that starts in 1995 names none of
// them, so pages link to their deals from here.
func (r *Register) HistoricPartners(supplier, recipient string) []PairCount {
	var out []PairCount
	for p, list := range r.pairs {
		if p == (dealPair{supplier, recipient}) {
			continue
		}
		if p.recipient == recipient && historic(p.supplier) || p.supplier == supplier && historic(p.recipient) {
			out = append(out, PairCount{Supplier: p.supplier, Recipient: p.recipient, Deals: len(list)})
		}
	}
	slices.SortFunc(out, func(a, b PairCount) int {
		return cmp.Or(cmp.Compare(a.Supplier, b.Supplier), cmp.Compare(a.Recipient, b.Recipient))
	})
	return out
}

// PairCount is a supplier, a recipient and how many deals of theirs a
// register holds.
type PairCount struct {
	Supplier, Recipient string
	Deals               int
}

// historic reports whether name is a state that no longer exists.
func historic(name string) bool {
	c, ok := data.LookupCountry(name)
	return ok && c.Kind == data.KindHistoric
}

// DealsQuery asks for the deals of one supplier to one recipient in a
// trade register: every deal, or those a period lists. Unlike a
// DyadQuery it needs no flow set, so it reaches every pair a register
// holds, the deals of states that no longer exist included.
type DealsQuery struct {
	Supplier, Recipient string
	// From and To bound the period, each 0 when open; with both 0 every
	// deal is listed. In says which deals a period lists (DealsChoices).
	From, To int
	In       string
	// Register names the register when it is not RegisterFor's choice.
	Register string
}

// Values returns the query's canonical URL parameters.
func (q DealsQuery) Values() url.Values {
	v := url.Values{"supplier": {q.Supplier}, "recipient": {q.Recipient}}
	setOptionalPeriod(v, q.From, q.To)
	if q.In != DealsEither {
		v.Set("deals", q.In)
	}
	if q.Register != "" {
		v.Set("register", q.Register)
	}
	return v
}

// Link returns path with the query, e.g.
// "/deals?recipient=India&supplier=Soviet+Union".
func (q DealsQuery) Link(path string) string { return path + "?" + q.Values().Encode() }

// Open reports whether the query has no period: every deal is listed.
func (q DealsQuery) Open() bool { return q.From == 0 && q.To == 0 }

// Bounds returns the period with an open end as the first or last year a
// query may name.
func (q DealsQuery) Bounds() (from, to int) {
	from, to = q.From, q.To
	if from == 0 {
		from = MinQueryYear
	}
	if to == 0 {
		to = MaxQueryYear
	}
	return from, to
}

// Listed returns the deals of r the query lists, sorted by DealOrder.
func (q DealsQuery) Listed(r *Register) []*data.Deal {
	if q.Open() {
		return r.Deals(q.Supplier, q.Recipient)
	}
	from, to := q.Bounds()
	return r.DealsIn(q.Supplier, q.Recipient, q.In, from, to)
}

// ParseDeals reads a deals query: supplier, recipient and register as
// ParsePairDeals reads them; from and to, optional years (from after to
// is recorded and both dropped); and deals, one of DealsChoices. It fails
// only when no register is loaded (ErrNoRegister).
func (d *Dashboard) ParseDeals(p *Params) (*Register, DealsQuery, error) {
	r, q, err := d.ParsePairDeals(p)
	if err != nil {
		p.Take("from", "to", "deals")
		return nil, q, err
	}
	q.From, q.To = p.OptionalPeriod("showing every year")
	q.In = ParseDealsIn(p)
	return r, q, nil
}

// ParsePairDeals reads the pair of a deals query and its register:
// supplier and recipient, any party of a deal in a loaded register (by
// default China → Pakistan when a register holds it, else the first deal
// of the first register), and register (see ParseRegister). The query's
// period is open and In is DealsEither. It fails only when no register
// is loaded (ErrNoRegister).
func (d *Dashboard) ParsePairDeals(p *Params) (*Register, DealsQuery, error) {
	idx := d.Deals()
	q := DealsQuery{In: DealsEither}
	if len(idx.Registers) == 0 {
		p.Take("supplier", "recipient", "register")
		return nil, q, ErrNoRegister
	}
	def := dealPair{defaultSupplier, defaultRecipient}
	if !idx.RegisterFor(def.supplier, def.recipient).Holds(def.supplier, def.recipient) {
		for _, r := range idx.Registers {
			if len(r.Set.Deals) > 0 {
				def = dealPair{r.Set.Deals[0].Supplier, r.Set.Deals[0].Recipient}
				break
			}
		}
	}
	q.Supplier = p.Country("supplier", def.supplier, CountrySpec{Known: idx.Suppliers, Role: "supplier", KnownLabel: "Suppliers in the trade registers", Dataset: "the trade registers loaded"})
	q.Recipient = p.Country("recipient", def.recipient, CountrySpec{Known: idx.Recipients, Role: "recipient", KnownLabel: "Recipients in the trade registers", Dataset: "the trade registers loaded"})
	r, chosen := idx.ParseRegister(p, q.Supplier, q.Recipient)
	q.Register = chosen
	return r, q, nil
}

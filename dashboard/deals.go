package dashboard

import (
	"cmp"
	"fmt"
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

// DealIndex indexes every trade register of one snapshot, in the order of
// Snapshot.DealSets (the preferred register first).
type DealIndex struct {
	Registers []*Register
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
	for _, set := range d.snap.DealSets {
		r := &Register{Set: set, pairs: map[dealPair][]int{}}
		for i, deal := range set.Deals {
			p := dealPair{deal.Supplier, deal.Recipient}
			r.pairs[p] = append(r.pairs[p], i)
		}
		for _, list := range r.pairs {
			slices.SortStableFunc(list, func(a, b int) int { return DealOrder(&set.Deals[a], &set.Deals[b]) })
		}
		idx.Registers = append(idx.Registers, r)
	}
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

// ParseRegister reads parameter register and returns the register it
// names, or the preferred one when it is absent or names none loaded
// (recording why). chosen is the register's name when it is not the
// preferred one, else "". It is nil, with no error recorded for an
// absent parameter, when no register is loaded.
func (idx *DealIndex) ParseRegister(p *Params) (r *Register, chosen string) {
	raw := p.Raw("register")
	if len(idx.Registers) == 0 {
		if raw != "" {
			p.Fail(&InvalidParamError{Param: "register", Value: raw, Msg: fmt.Sprintf("no trade register “%s” is loaded; none is", Shorten(raw)), Using: "it is ignored"})
		}
		return nil, ""
	}
	if raw == "" {
		return idx.Registers[0], ""
	}
	for i, r := range idx.Registers {
		if r.Set.Dataset.Name == raw {
			if i == 0 {
				return r, ""
			}
			return r, raw
		}
	}
	names := idx.Names()
	p.Fail(&InvalidParamError{Param: "register", Value: raw, Known: names, KnownLabel: "Trade registers loaded",
		Msg:        fmt.Sprintf("no trade register “%s” is loaded (loaded: %s)", Shorten(raw), strings.Join(names, ", ")),
		Suggestion: Suggest(raw, names), Using: "showing " + names[0]})
	return idx.Registers[0], ""
}

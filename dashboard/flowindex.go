package dashboard

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// The pair a dyad view shows when the data name no other: the one
// armsdash was started for.
const (
	defaultSupplier  = "China"
	defaultRecipient = "Pakistan"
)

// FlowIndex is one flow set of a snapshot made ready for queries: its rows
// as analysis transfers, what it covers, and the pair and period a dyad
// view shows when none is asked for.
type FlowIndex struct {
	Set      data.FlowSet
	Coverage data.Coverage
	// Preferred is true for the snapshot's preferred flow set.
	Preferred bool
	// Default is the pair and range a dyad view shows when none is given:
	// the pair the reported figures are about, else China–Pakistan, else
	// the largest flow of the last five years between a supplier whose
	// exports the set holds in full and a recipient of it; all years.
	Default   DyadQuery
	transfers []analysis.Transfer
	// details is what detailsOf needs of the set's details, made on
	// first use (the pages that draw no breakdown never need it).
	details struct {
		once sync.Once
		// estimated holds the TIV resting on SIPRI's estimates, one
		// transfer per flow of a listing (see EstimatedYearly); nil for
		// other sets.
		estimated []analysis.Transfer
		// bySupplier, when the details are sorted by supplier (as a
		// store's are, see data.SumDetails), gives each supplier's run
		// of them, [from, to).
		bySupplier map[string][2]int
	}
}

// newFlowIndex indexes set, one of the flow sets of snap.
func newFlowIndex(snap *data.Snapshot, set data.FlowSet) *FlowIndex {
	fi := &FlowIndex{Set: set, Coverage: set.Coverage(), transfers: make([]analysis.Transfer, len(set.Flows))}
	for i, f := range set.Flows {
		fi.transfers[i] = analysis.Transfer{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV}
	}
	fi.Default = DyadQuery{From: fi.Coverage.MinYear, To: fi.Coverage.MaxYear}
	fi.Default.Supplier, fi.Default.Recipient = fi.defaultPair(snap.Figures)
	return fi
}

// indexDetails makes fi.details, once.
func (fi *FlowIndex) indexDetails() {
	fi.details.once.Do(func() {
		ds := fi.Set.Details
		fi.details.estimated = estimatedTransfers(ds, len(fi.Set.Flows))
		if !slices.IsSortedFunc(ds, func(a, b data.FlowDetail) int { return strings.Compare(a.Supplier, b.Supplier) }) {
			return
		}
		fi.details.bySupplier = map[string][2]int{}
		for i := 0; i < len(ds); {
			j := i + 1
			for j < len(ds) && ds[j].Supplier == ds[i].Supplier {
				j++
			}
			fi.details.bySupplier[ds[i].Supplier] = [2]int{i, j}
			i = j
		}
	})
}

// detailsOf returns the details of the set a query of supplier (""
// for any) may need: that supplier's run of them when they are sorted by
// supplier, else all of them.
func (fi *FlowIndex) detailsOf(supplier string) []data.FlowDetail {
	fi.indexDetails()
	if supplier == "" || fi.details.bySupplier == nil {
		return fi.Set.Details
	}
	r := fi.details.bySupplier[supplier]
	return fi.Set.Details[r[0]:r[1]]
}

// defaultPair chooses FlowIndex.Default's pair.
func (fi *FlowIndex) defaultPair(figures []data.Figure) (supplier, recipient string) {
	c := fi.Coverage
	isSupplier, isRecipient := map[string]bool{}, map[string]bool{}
	for _, s := range c.Suppliers {
		isSupplier[s] = true
	}
	for _, r := range c.Recipients {
		isRecipient[r] = true
	}
	usable := func(s, r string) bool { return isSupplier[s] && isRecipient[r] && s != r }
	for _, fig := range figures {
		if usable(fig.Supplier, fig.Recipient) {
			return fig.Supplier, fig.Recipient
		}
	}
	if usable(defaultSupplier, defaultRecipient) {
		return defaultSupplier, defaultRecipient
	}
	type pair struct{ s, r string }
	recent := map[pair]float64{}
	var best pair
	for _, f := range fi.Set.Flows {
		if f.Year <= c.MaxYear-5 || !c.ExportsComplete(f.Supplier) || !usable(f.Supplier, f.Recipient) {
			continue
		}
		p := pair{f.Supplier, f.Recipient}
		recent[p] += f.TIV
		if recent[p] > recent[best] || (recent[p] == recent[best] && (p.s+p.r) < (best.s+best.r)) {
			best = p
		}
	}
	if best.s != "" {
		return best.s, best.r
	}
	f := fi.Set.Flows[0]
	return f.Supplier, f.Recipient
}

// Label is the set's source and vintage, e.g. "SIPRI Arms Transfers
// Database, generated 2026-02-12".
func (fi *FlowIndex) Label() string { return fi.Set.Dataset.Label() }

// Years is the range of delivery years the set covers.
func (fi *FlowIndex) Years() analysis.Period {
	return analysis.Period{From: fi.Coverage.MinYear, To: fi.Coverage.MaxYear}
}

// Transfers returns the set's flows as analysis transfers; callers must
// not modify them.
func (fi *FlowIndex) Transfers() []analysis.Transfer { return fi.transfers }

// Yearly returns the TIV supplier delivered to recipient in each year from
// from to to (see analysis.YearlyTIV; "" on a side means any country).
func (fi *FlowIndex) Yearly(supplier, recipient string, from, to int) []float64 {
	return analysis.YearlyTIV(fi.transfers, supplier, recipient, from, to)
}

// Total is the TIV supplier delivered to recipient over p ("" on a side
// means any country).
func (fi *FlowIndex) Total(supplier, recipient string, p analysis.Period) float64 {
	var sum float64
	for _, v := range fi.Yearly(supplier, recipient, p.From, p.To) {
		sum += v
	}
	return sum
}

// SupplierShare is supplier's share of recipient's imports over p.
func (fi *FlowIndex) SupplierShare(supplier, recipient string, p analysis.Period) analysis.Share {
	return analysis.SupplierShare(fi.transfers, supplier, recipient, p)
}

// RecipientShare is recipient's share of supplier's exports over p.
func (fi *FlowIndex) RecipientShare(supplier, recipient string, p analysis.Period) analysis.Share {
	return analysis.RecipientShare(fi.transfers, supplier, recipient, p)
}

// Rows returns the set's flows in p that keep selects, by year, then
// supplier, then recipient.
func (fi *FlowIndex) Rows(p analysis.Period, keep func(data.Flow) bool) []data.Flow {
	var out []data.Flow
	for _, f := range fi.Set.Flows {
		if p.Contains(f.Year) && keep(f) {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Supplier != b.Supplier {
			return a.Supplier < b.Supplier
		}
		return a.Recipient < b.Recipient
	})
	return out
}

// recipientsLabel heads the list of recipients a dyad query may name.
func (fi *FlowIndex) recipientsLabel() string {
	if fi.Coverage.Kind == data.CoverageTable {
		return "Recipients in the table"
	}
	return "Recipients whose imports the data holds in full"
}

package dashboard

import (
	"sort"
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
	// bySupplier gives each supplier's run of transfers (see
	// supplierRuns); nil when they are not sorted by supplier.
	bySupplier map[string][2]int
	// details gives each supplier's run of the set's details (see
	// supplierRuns), made on first use (pages that draw no breakdown
	// never need the details).
	details struct {
		once       sync.Once
		bySupplier map[string][2]int
	}
	// estimated holds the TIV resting on SIPRI's estimates, one transfer
	// per flow of a listing (see EstimatedYearly), and each supplier's
	// run of them, made on first use.
	estimated struct {
		once       sync.Once
		transfers  []analysis.Transfer
		bySupplier map[string][2]int
	}
}

// newFlowIndex indexes set, one of the flow sets of snap.
func newFlowIndex(snap *data.Snapshot, set data.FlowSet) *FlowIndex {
	fi := &FlowIndex{Set: set, Coverage: set.Coverage(), transfers: make([]analysis.Transfer, len(set.Flows))}
	for i, f := range set.Flows {
		fi.transfers[i] = analysis.Transfer{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV}
	}
	fi.bySupplier = supplierRuns(len(fi.transfers), func(i int) string { return fi.transfers[i].Supplier })
	fi.Default = DyadQuery{From: fi.Coverage.MinYear, To: fi.Coverage.MaxYear}
	fi.Default.Supplier, fi.Default.Recipient = fi.defaultPair(snap.Figures)
	return fi
}

// indexDetails makes fi.details, once.
func (fi *FlowIndex) indexDetails() {
	fi.details.once.Do(func() {
		ds := fi.Set.AllDetails()
		fi.details.bySupplier = supplierRuns(len(ds), func(i int) string { return ds[i].Supplier })
	})
}

// indexEstimated makes fi.estimated, once: from the set's Estimated when
// it has them (then in the order of the transfers, whose runs serve),
// else from its details.
func (fi *FlowIndex) indexEstimated() {
	fi.estimated.once.Do(func() {
		if fi.Set.Estimated != nil {
			est := make([]analysis.Transfer, len(fi.transfers))
			for i, t := range fi.transfers {
				t.TIV = fi.Set.Estimated[i]
				est[i] = t
			}
			fi.estimated.transfers, fi.estimated.bySupplier = est, fi.bySupplier
			return
		}
		est := estimatedTransfers(fi.Set.AllDetails(), len(fi.Set.Flows))
		fi.estimated.transfers = est
		fi.estimated.bySupplier = supplierRuns(len(est), func(i int) string { return est[i].Supplier })
	})
}

// supplierRuns returns, for n rows whose supplier(i) is sorted (as a
// store's flows and details are, see data.SumDetails), each supplier's
// run of rows [from, to); nil when they are not sorted, so that a query
// then reads every row.
func supplierRuns(n int, supplier func(i int) string) map[string][2]int {
	runs := map[string][2]int{}
	for i := 0; i < n; {
		s := supplier(i)
		j := i + 1
		for j < n && supplier(j) == s {
			j++
		}
		if j < n && supplier(j) < s {
			return nil
		}
		runs[s] = [2]int{i, j}
		i = j
	}
	return runs
}

// runOf returns rows[from:to] of supplier's run in runs, all of rows
// when supplier is "" or runs is nil, none when supplier has no run.
func runOf[T any](rows []T, runs map[string][2]int, supplier string) []T {
	if supplier == "" || runs == nil {
		return rows
	}
	r := runs[supplier]
	return rows[r[0]:r[1]]
}

// detailsOf returns the details of the set a query of supplier (""
// for any) may need: that supplier's run of them when they are sorted by
// supplier, else all of them.
func (fi *FlowIndex) detailsOf(supplier string) []data.FlowDetail {
	fi.indexDetails()
	return runOf(fi.Set.AllDetails(), fi.details.bySupplier, supplier)
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
	return analysis.YearlyTIV(runOf(fi.transfers, fi.bySupplier, supplier), supplier, recipient, from, to)
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
	return analysis.RecipientShare(runOf(fi.transfers, fi.bySupplier, supplier), supplier, recipient, p)
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

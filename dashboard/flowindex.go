package dashboard

import (
	"slices"
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
	Default DyadQuery
	// setIndex is what is derived from Set alone, shared with the flow
	// indexes of later snapshots that hold the same set (see Next).
	*setIndex
}

// setIndex is what a FlowIndex derives from its flow set alone, never
// from the rest of the snapshot, so that the dashboard of a later
// snapshot holding the same set (an import of an events list or a WDI
// file leaves the flow sets as they were) reuses it instead of building
// it again: see Next and holds. It is read by several dashboards at once:
// what newSetIndex fills is never changed, and the rest is built once, on
// first use.
type setIndex struct {
	set       data.FlowSet
	coverage  data.Coverage
	transfers []analysis.Transfer
	runs      *rowRuns // of transfers
	// details locates each supplier's and recipient's rows of the set's
	// details, made on first use (pages that draw no breakdown never
	// need the details).
	details struct {
		once sync.Once
		runs *rowRuns
	}
	// estimated holds the TIV resting on SIPRI's estimates, one transfer
	// per flow of a listing (see EstimatedYearly), and each supplier's
	// and recipient's rows of them, made on first use.
	estimated struct {
		once      sync.Once
		transfers []analysis.Transfer
		runs      *rowRuns
	}
	// editions holds the editions the set gives, by country and side
	// (see flowEditions), made on first use.
	editions struct {
		once  sync.Once
		byKey map[editionKey]Edition
	}
	// periods keeps what the set gives over the periods asked for last.
	periods periodCache
}

// newSetIndex indexes set.
func newSetIndex(set data.FlowSet) *setIndex {
	ix := &setIndex{set: set, coverage: set.Coverage(), transfers: make([]analysis.Transfer, len(set.Flows))}
	for i, f := range set.Flows {
		ix.transfers[i] = analysis.Transfer{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV}
	}
	ix.runs = transferRuns(ix.transfers)
	return ix
}

// holds reports whether set is the set ix was made from, in another
// snapshot: the same dataset (name, format, SHA-256 of its bytes, rows…)
// with equal flows, estimated parts and whether it has details. The
// flows are compared, not only the dataset, because a store may give the
// same dataset's flows summed in another order (a listing stored before
// packing, data.FlowsOf), equal only up to rounding.
func (ix *setIndex) holds(set data.FlowSet) bool {
	return ix.set.Dataset == set.Dataset && ix.set.HasDetails() == set.HasDetails() &&
		slices.Equal(ix.set.Flows, set.Flows) && slices.Equal(ix.set.Estimated, set.Estimated)
}

// newFlowIndex indexes set, one of the flow sets of snap, with ix, made
// from set (or from the same set of another snapshot: ix.holds(set)).
func newFlowIndex(snap *data.Snapshot, ix *setIndex) *FlowIndex {
	fi := &FlowIndex{Set: ix.set, Coverage: ix.coverage, setIndex: ix}
	fi.Default = DyadQuery{From: fi.Coverage.MinYear, To: fi.Coverage.MaxYear}
	fi.Default.Supplier, fi.Default.Recipient = fi.defaultPair(snap.Figures)
	if def, ok := snap.FlowSet(""); ok {
		fi.Preferred = def.Dataset.SHA256 == ix.set.Dataset.SHA256 && def.Dataset.Name == ix.set.Dataset.Name
	}
	return fi
}

// indexDetails makes ix.details, once.
func (ix *setIndex) indexDetails() {
	ix.details.once.Do(func() {
		ds := ix.set.AllDetails()
		ix.details.runs = indexRuns(len(ds), func(i int) string { return ds[i].Supplier }, func(i int) string { return ds[i].Recipient })
	})
}

// indexEstimated makes ix.estimated, once: from the set's Estimated when
// it has them (then in the order of the transfers, whose runs serve),
// else from its details.
func (ix *setIndex) indexEstimated() {
	ix.estimated.once.Do(func() {
		if ix.set.Estimated != nil {
			est := make([]analysis.Transfer, len(ix.transfers))
			for i, t := range ix.transfers {
				t.TIV = ix.set.Estimated[i]
				est[i] = t
			}
			ix.estimated.transfers, ix.estimated.runs = est, ix.runs
			return
		}
		est := estimatedTransfers(ix.set.AllDetails(), len(ix.set.Flows))
		ix.estimated.transfers = est
		ix.estimated.runs = transferRuns(est)
	})
}

// rowRuns locates the rows of each supplier and of each recipient in a
// slice of rows, so that a query about one country reads its rows only,
// in their order (sums then add the same numbers in the same order as
// over every row). It is safe for concurrent use.
type rowRuns struct {
	// bySupplier gives each supplier's run of rows [from, to); nil when
	// the rows are not sorted by supplier (as a store's flows and details
	// are, see data.SumDetails).
	bySupplier map[string][2]int
	n          int
	recipient  func(i int) string // the recipient of row i

	mu sync.Mutex
	// byRecipient gives the runs [from, to) of consecutive rows of each
	// recipient, in order (one per supplier of a recipient when the rows
	// are sorted by supplier and recipient), found on the first query
	// about the recipient: a page asks about one or two recipients, so
	// one pass that compares names costs less than hashing every run's.
	// It holds recipients of the rows only, so no more than they have.
	byRecipient map[string][][2]int
}

// indexRuns returns the runs of n rows whose sides are supplier(i) and
// recipient(i).
func indexRuns(n int, supplier, recipient func(i int) string) *rowRuns {
	r := &rowRuns{bySupplier: map[string][2]int{}, n: n, recipient: recipient, byRecipient: map[string][][2]int{}}
	if n == 0 {
		return r
	}
	from, run := 0, supplier(0) // the current supplier's run and where it started
	for i := 1; i <= n; i++ {
		var s string
		if i < n {
			if s = supplier(i); s == run {
				continue
			}
		}
		r.bySupplier[run] = [2]int{from, i}
		if i < n && s < run {
			r.bySupplier = nil
			break
		}
		from, run = i, s
	}
	return r
}

// recipientRuns returns the runs of recipient's rows (see byRecipient).
func (r *rowRuns) recipientRuns(recipient string) [][2]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if runs, ok := r.byRecipient[recipient]; ok {
		return runs
	}
	var runs [][2]int
	for i := 0; i < r.n; i++ {
		if r.recipient(i) != recipient {
			continue
		}
		if k := len(runs) - 1; k >= 0 && runs[k][1] == i {
			runs[k][1] = i + 1
		} else {
			runs = append(runs, [2]int{i, i + 1})
		}
	}
	if runs != nil {
		r.byRecipient[recipient] = runs
	}
	return runs
}

// rowsOf returns the rows a query of supplier and recipient ("" for any
// country) needs, in their order: supplier's run when the rows are sorted
// by supplier, else recipient's rows (gathered into a new slice), else
// all of them. Callers still select the rows of both sides. r indexes
// rows, or rows in the same order with the same sides.
func rowsOf[T any](rows []T, r *rowRuns, supplier, recipient string) []T {
	if supplier != "" && r.bySupplier != nil {
		run := r.bySupplier[supplier]
		return rows[run[0]:run[1]]
	}
	if recipient == "" {
		return rows
	}
	runs := r.recipientRuns(recipient)
	n := 0
	for _, run := range runs {
		n += run[1] - run[0]
	}
	out := make([]T, 0, n)
	for _, run := range runs {
		out = append(out, rows[run[0]:run[1]]...)
	}
	return out
}

// transferRuns returns the runs of ts.
func transferRuns(ts []analysis.Transfer) *rowRuns {
	return indexRuns(len(ts), func(i int) string { return ts[i].Supplier }, func(i int) string { return ts[i].Recipient })
}

// transfersOf returns the transfers a query of supplier and recipient
// ("" for any) needs; see rowsOf.
func (ix *setIndex) transfersOf(supplier, recipient string) []analysis.Transfer {
	return rowsOf(ix.transfers, ix.runs, supplier, recipient)
}

// detailsOf returns the details of the set a query of supplier and
// recipient ("" for any) needs; see rowsOf.
func (ix *setIndex) detailsOf(supplier, recipient string) []data.FlowDetail {
	ix.indexDetails()
	return rowsOf(ix.set.AllDetails(), ix.details.runs, supplier, recipient)
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
	return analysis.YearlyTIV(fi.transfersOf(supplier, recipient), supplier, recipient, from, to)
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
	return analysis.SupplierShare(fi.transfersOf("", recipient), supplier, recipient, p)
}

// RecipientShare is recipient's share of supplier's exports over p.
func (fi *FlowIndex) RecipientShare(supplier, recipient string, p analysis.Period) analysis.Share {
	return analysis.RecipientShare(fi.transfersOf(supplier, ""), supplier, recipient, p)
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

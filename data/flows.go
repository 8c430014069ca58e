package data

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// FlowColumns is the header of armsdash's yearly-flows CSV, the format of
// the built-in SIPRI extract. Lines before it that start with '#' carry the
// provenance: "# Source: …", "# Attribution: …", "# Licence: …" and
// "# Data generated: DD Mon YYYY" (the vintage of the SIPRI file the flows
// were summed from).
var FlowColumns = []string{"supplier", "recipient", "year", "tiv_millions"}

// sniffFlows reports whether text is a yearly-flows CSV.
func sniffFlows(text string) bool {
	for _, line := range strings.SplitN(text, "\n", 50) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		return strings.TrimSpace(line) == strings.Join(FlowColumns, ",")
	}
	return false
}

// ReadFlows reads a yearly-flows CSV (see FlowColumns).
func ReadFlows(name string, b []byte, opt Options) (*File, error) {
	f := &File{Dataset: Dataset{Name: name, Format: FormatFlows, SHA256: sha256Hex(b)}}
	pre := func(line string) {
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "Source":
			f.Dataset.Source = val
		case "Attribution":
			f.Dataset.Attribution = val
		case "Licence":
			f.Dataset.Licence = val
		case "Data generated":
			if v, ok := parseGenerated(line); ok {
				f.Dataset.Vintage = v
			}
		}
	}
	return readRows(f, &f.Flows, b, FlowColumns, opt, pre, func(line int, rec []string) (Flow, *ParseError) {
		bad := func(col int, msg string) *ParseError {
			return cellError(name, line, FlowColumns, col, msg)
		}
		fl := Flow{Supplier: rec[0], Recipient: rec[1]}
		if fl.Supplier == "" {
			return fl, bad(0, "is empty; expected the supplier's name")
		}
		if fl.Recipient == "" {
			return fl, bad(1, "is empty; expected the recipient's name")
		}
		y, err := strconv.Atoi(rec[2])
		if err != nil || !plausibleYear(y) {
			return fl, bad(2, fmt.Sprintf("%q is not a year", rec[2]))
		}
		fl.Year = y
		v, ok, msg := parseTIV(rec[3])
		if !ok {
			if msg == "" {
				msg = "is empty; expected a number of TIV millions"
			}
			return fl, bad(3, msg)
		}
		fl.TIV = v
		return fl, nil
	})
}

// WriteFlows writes flows in the format ReadFlows reads, with ds's
// provenance in the preamble. TIV values are written to at most six
// decimals: finer than SIPRI's own (three), so nothing of the data is
// rounded away, only the binary noise of summing (646.5799999999999).
func WriteFlows(w io.Writer, ds Dataset, note string, flows []Flow) error {
	bw := bufio.NewWriter(w)
	for _, c := range strings.Split(note, "\n") {
		fmt.Fprintf(bw, "# %s\n", c)
	}
	fmt.Fprintf(bw, "# Source: %s\n# Attribution: %s\n# Licence: %s\n", ds.Source, ds.Attribution, ds.Licence)
	if ds.Vintage != "" {
		fmt.Fprintf(bw, "# Data generated: %s\n", vintageLong(ds.Vintage))
	}
	fmt.Fprintln(bw, strings.Join(FlowColumns, ","))
	for _, fl := range flows {
		fmt.Fprintf(bw, "%s,%s,%d,%s\n", fl.Supplier, fl.Recipient, fl.Year, strconv.FormatFloat(math.Round(fl.TIV*1e6)/1e6, 'f', -1, 64))
	}
	return bw.Flush()
}

// vintageLong turns "2026-02-12" into "12 Feb 2026", the form SIPRI writes.
func vintageLong(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil || m < 1 || m > 12 {
		return iso
	}
	months := [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	return fmt.Sprintf("%d %s %d", d, months[m-1], y)
}

// SumFlows adds up deliveries by supplier, recipient and delivery year.
// The result is sorted by supplier, recipient and year; values keep full
// precision (SIPRI's own tables round only for display).
func SumFlows(ds []Delivery) []Flow {
	type key struct {
		s, r string
		y    int
	}
	sums := make(map[key]float64)
	for _, d := range ds {
		sums[key{d.Supplier, d.Recipient, d.Year}] += d.TIV
	}
	flows := make([]Flow, 0, len(sums))
	for k, v := range sums {
		flows = append(flows, Flow{Supplier: k.s, Recipient: k.r, Year: k.y, TIV: v})
	}
	sort.Slice(flows, func(i, j int) bool {
		a, b := flows[i], flows[j]
		if a.Supplier != b.Supplier {
			return a.Supplier < b.Supplier
		}
		if a.Recipient != b.Recipient {
			return a.Recipient < b.Recipient
		}
		return a.Year < b.Year
	})
	return flows
}

// SumDetails adds up deliveries by supplier, recipient, delivery year,
// armament category, status and local production, as a store's Snapshot
// does in SQL for FlowSet.Details: TIV sums TIV, and EstimatedTIV sums the
// TIV of the deliveries whose number or year SIPRI estimates
// (NumberEstimate or YearEstimate). The result is sorted by those six
// columns (bytewise, local production No before Yes).
func SumDetails(ds []Delivery) []FlowDetail {
	order, starts := detailOrder(ds)
	out := make([]FlowDetail, len(starts))
	for g, start := range starts {
		end := len(order)
		if g+1 < len(starts) {
			end = int(starts[g+1])
		}
		d := &ds[order[start]]
		fd := &out[g]
		*fd = FlowDetail{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, Category: d.Category,
			Status: d.Status, LocalProduction: d.LocalProduction}
		for _, j := range order[start:end] {
			d := &ds[j]
			fd.TIV += d.TIV
			if d.NumberEstimate || d.YearEstimate {
				fd.EstimatedTIV += d.TIV
			}
		}
	}
	return out
}

// detailOrder returns the indexes of ds sorted by supplier, recipient,
// year, category, status and local production (text bytewise, No before
// Yes), stably: the deliveries of one detail in file order, so that they
// are summed in that order; and where in that order each detail starts.
// Each text column is numbered by rank, and when the ranks, the year
// (less the first) and the flag fit in 64 bits together, as they do in
// any SIPRI file, the rows are sorted by that one integer with a radix
// sort, in a few linear passes; otherwise by comparing them.
func detailOrder(ds []Delivery) (order, starts []int32) {
	var cols [4]TextNumbers
	nums := make([][4]int32, len(ds))
	minYear, maxYear := 0, 0
	for i := range ds {
		d := &ds[i]
		nums[i] = [4]int32{cols[0].Of(d.Supplier), cols[1].Of(d.Recipient), cols[2].Of(d.Category), cols[3].Of(d.Status)}
		if i == 0 || d.Year < minYear {
			minYear = d.Year
		}
		maxYear = max(maxYear, d.Year)
	}
	var width [4]int
	for c := range cols {
		rank := cols[c].ranks()
		width[c] = bits.Len(uint(len(rank)))
		for i := range nums {
			nums[i][c] = rank[nums[i][c]]
		}
	}
	yearWidth := bits.Len(uint(maxYear - minYear))
	order = make([]int32, len(ds))
	for i := range order {
		order[i] = int32(i)
	}
	if total := width[0] + width[1] + yearWidth + width[2] + width[3] + 1; total <= 64 {
		keys := make([]uint64, len(ds))
		for i, n := range nums {
			k := uint64(n[0])<<width[1] | uint64(n[1])
			k = k<<yearWidth | uint64(ds[i].Year-minYear)
			k = k<<width[2] | uint64(n[2])
			k = k<<width[3] | uint64(n[3])
			k <<= 1
			if ds[i].LocalProduction {
				k |= 1
			}
			keys[i] = k
		}
		radixSort(keys, order, total)
		for i := range keys {
			if i == 0 || keys[i] != keys[i-1] {
				starts = append(starts, int32(i))
			}
		}
		return order, starts
	}
	compare := func(i, j int32) int {
		if c := cmp.Compare(nums[i][0], nums[j][0]); c != 0 {
			return c
		}
		if c := cmp.Compare(nums[i][1], nums[j][1]); c != 0 {
			return c
		}
		if c := cmp.Compare(ds[i].Year, ds[j].Year); c != 0 {
			return c
		}
		if c := cmp.Compare(nums[i][2], nums[j][2]); c != 0 {
			return c
		}
		if c := cmp.Compare(nums[i][3], nums[j][3]); c != 0 {
			return c
		}
		return cmpBool(ds[i].LocalProduction, ds[j].LocalProduction)
	}
	slices.SortStableFunc(order, compare)
	for i := range order {
		if i == 0 || compare(order[i-1], order[i]) != 0 {
			starts = append(starts, int32(i))
		}
	}
	return order, starts
}

// radixSort sorts keys, whose values are below 1<<width, and order with
// them, stably: a least-significant-digit radix sort, a byte a pass.
func radixSort(keys []uint64, order []int32, width int) {
	tk, to := make([]uint64, len(keys)), make([]int32, len(order))
	for shift := 0; shift < width; shift += 8 {
		var count [257]int
		for _, k := range keys {
			count[(k>>shift)&0xff+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for i, k := range keys {
			b := (k >> shift) & 0xff
			tk[count[b]], to[count[b]] = k, order[i]
			count[b]++
		}
		keys, tk = tk, keys
		order, to = to, order
	}
	if (width+7)/8%2 == 1 { // the sorted rows are in the scratch slices
		copy(tk, keys)
		copy(to, order)
	}
}

// TextNumbers numbers strings: the first distinct string 0, the next 1,
// and so on. It remembers the last string, since rows that follow each
// other often repeat it. The zero value is ready to use.
type TextNumbers struct {
	num   map[string]int32
	text  []string
	last  string
	lastN int32
}

// Of returns the number of s.
func (t *TextNumbers) Of(s string) int32 {
	if len(t.text) > 0 && s == t.last {
		return t.lastN
	}
	n, ok := t.num[s]
	if !ok {
		if t.num == nil {
			t.num = map[string]int32{}
		}
		n = int32(len(t.text))
		t.num[s] = n
		t.text = append(t.text, s)
	}
	t.last, t.lastN = s, n
	return n
}

// Text returns the strings numbered, each at its number.
func (t *TextNumbers) Text() []string { return t.text }

// ranks returns, for each number, the rank of its string among all the
// strings numbered, in bytewise order.
func (t *TextNumbers) ranks() []int32 {
	byText := make([]int32, len(t.text))
	for i := range byText {
		byText[i] = int32(i)
	}
	slices.SortFunc(byText, func(a, b int32) int { return strings.Compare(t.text[a], t.text[b]) })
	rank := make([]int32, len(t.text))
	for r, n := range byText {
		rank[n] = int32(r)
	}
	return rank
}

// FlowsOf sums details, sorted as SumDetails sorts them, by supplier,
// recipient and year: the flows SumFlows makes of the same deliveries, in
// the same order (TIV summed in another order, so equal up to rounding).
func FlowsOf(details []FlowDetail) []Flow {
	n := 0
	for i, d := range details {
		if i == 0 || !d.sameFlow(details[i-1]) {
			n++
		}
	}
	flows := make([]Flow, 0, n)
	for _, d := range details {
		if i := len(flows) - 1; i >= 0 && flows[i].Supplier == d.Supplier && flows[i].Recipient == d.Recipient && flows[i].Year == d.Year {
			flows[i].TIV += d.TIV
			continue
		}
		flows = append(flows, Flow{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, TIV: d.TIV})
	}
	return flows
}

// EstimatedOf sums the EstimatedTIV of details, sorted as SumDetails
// sorts them, by supplier, recipient and year: FlowSet.Estimated of the
// flows FlowsOf makes of the same details, index for index.
func EstimatedOf(details []FlowDetail) []float64 {
	var out []float64
	for i, d := range details {
		if i == 0 || !d.sameFlow(details[i-1]) {
			out = append(out, 0)
		}
		out[len(out)-1] += d.EstimatedTIV
	}
	return out
}

// sameFlow reports whether d and e are of one supplier, recipient and
// year.
func (d FlowDetail) sameFlow(e FlowDetail) bool {
	return d.Supplier == e.Supplier && d.Recipient == e.Recipient && d.Year == e.Year
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

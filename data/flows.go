package data

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
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
	type key struct {
		s, r, c, st string
		y           int
		local       bool
	}
	sums := make(map[key]*FlowDetail)
	for _, d := range ds {
		k := key{d.Supplier, d.Recipient, d.Category, d.Status, d.Year, d.LocalProduction}
		fd := sums[k]
		if fd == nil {
			fd = &FlowDetail{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, Category: d.Category, Status: d.Status, LocalProduction: d.LocalProduction}
			sums[k] = fd
		}
		fd.TIV += d.TIV
		if d.NumberEstimate || d.YearEstimate {
			fd.EstimatedTIV += d.TIV
		}
	}
	out := make([]FlowDetail, 0, len(sums))
	for _, fd := range sums {
		out = append(out, *fd)
	}
	slices.SortFunc(out, func(a, b FlowDetail) int {
		return cmp.Or(cmp.Compare(a.Supplier, b.Supplier), cmp.Compare(a.Recipient, b.Recipient), cmp.Compare(a.Year, b.Year),
			cmp.Compare(a.Category, b.Category), cmp.Compare(a.Status, b.Status), cmpBool(a.LocalProduction, b.LocalProduction))
	})
	return out
}

// FlowsOf sums details, sorted as SumDetails sorts them, by supplier,
// recipient and year: the flows SumFlows makes of the same deliveries, in
// the same order (TIV summed in another order, so equal up to rounding).
func FlowsOf(details []FlowDetail) []Flow {
	var flows []Flow
	for _, d := range details {
		if n := len(flows); n > 0 && flows[n-1].Supplier == d.Supplier && flows[n-1].Recipient == d.Recipient && flows[n-1].Year == d.Year {
			flows[n-1].TIV += d.TIV
			continue
		}
		flows = append(flows, Flow{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, TIV: d.TIV})
	}
	return flows
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

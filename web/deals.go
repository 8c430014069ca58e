package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/data"
)

// The dyad page's "Deals in the trade register" section and its CSV: the
// deals (orders) of one SIPRI trade register from the page's supplier to
// its recipient, one row per deal, built from a per-pair index of every
// register of the snapshot.

// dealPair is a supplier and a recipient, by canonical name.
type dealPair struct{ supplier, recipient string }

// registerIndex is the deals of one trade register grouped by pair.
type registerIndex struct {
	set data.DealSet
	// pairs lists, for each pair, the positions in set.Deals of its deals,
	// sorted by dealOrder.
	pairs map[dealPair][]int
}

// dealIndex indexes every trade register of one snapshot, in the order of
// snap.DealSets (the preferred register first).
type dealIndex struct {
	snap      *data.Snapshot
	registers []*registerIndex
}

// dealIndexOf returns the deal index of snap, building it when snap is not
// the snapshot last indexed (Server.deals holds it; like indexCache for
// flows, a snapshot is never modified, so the index never goes stale).
// Building is one pass over every deal of every register plus a sort
// within each pair.
func (s *Server) dealIndexOf(snap *data.Snapshot) *dealIndex {
	if idx := s.deals.Load(); idx != nil && idx.snap == snap {
		return idx
	}
	idx := &dealIndex{snap: snap}
	for _, set := range snap.DealSets {
		ri := &registerIndex{set: set, pairs: map[dealPair][]int{}}
		for i, d := range set.Deals {
			p := dealPair{d.Supplier, d.Recipient}
			ri.pairs[p] = append(ri.pairs[p], i)
		}
		for _, list := range ri.pairs {
			slices.SortStableFunc(list, func(a, b int) int { return dealOrder(&set.Deals[a], &set.Deals[b]) })
		}
		idx.registers = append(idx.registers, ri)
	}
	s.deals.Store(idx)
	return idx
}

// dealOrder orders deals by year of order (a deal with no year last), then
// by weapon designation ignoring case, then byte for byte; deals equal in
// both keep file order when sorted stably.
func dealOrder(a, b *data.Deal) int {
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

// register returns the register named name, or the preferred one when
// name is "". ok is false when no register of that name is loaded (or none
// at all). When several registers share a name, the preferred one wins.
func (idx *dealIndex) register(name string) (*registerIndex, bool) {
	for _, ri := range idx.registers {
		if name == "" || ri.set.Dataset.Name == name {
			return ri, true
		}
	}
	return nil, false
}

// names returns the names of the loaded registers, preferred first.
func (idx *dealIndex) names() []string {
	var out []string
	for _, ri := range idx.registers {
		out = append(out, ri.set.Dataset.Name)
	}
	return out
}

// deals returns the pair's deals in ri, sorted by dealOrder; nil when the
// register holds none.
func (ri *registerIndex) deals(supplier, recipient string) []*data.Deal {
	list := ri.pairs[dealPair{supplier, recipient}]
	out := make([]*data.Deal, len(list))
	for i, j := range list {
		out[i] = &ri.set.Deals[j]
	}
	return out
}

// hasTIV reports whether the register gives TIV figures: the current
// export does, the legacy report does not.
func (ri *registerIndex) hasTIV() bool {
	return ri.set.Dataset.Format != data.FormatSIPRIRegisterLegacy
}

// dealColumn is one column of the deals table.
type dealColumn struct {
	Name string
	// Unit, when not "", is the unit of the column's figures; the CSV
	// header gives it with the register's source and vintage.
	Unit string
	Num  bool // right-aligned in HTML
}

// dealUnit is the unit of every TIV column. TIV is a volume measure, not
// money.
const dealUnit = "SIPRI TIV (millions)"

// dealColumns returns the columns of the deals table; the three TIV
// columns only when withTIV.
func dealColumns(withTIV bool) []dealColumn {
	cols := []dealColumn{
		{Name: "Year of order", Num: true},
		{Name: "Number ordered", Num: true},
		{Name: "Weapon designation"},
		{Name: "Weapon description"},
		{Name: "Number delivered", Num: true},
		{Name: "Year(s) of delivery"},
		{Name: "Status"},
	}
	if withTIV {
		cols = append(cols,
			dealColumn{Name: "TIV per unit", Unit: dealUnit, Num: true},
			dealColumn{Name: "TIV of the order", Unit: dealUnit, Num: true},
			dealColumn{Name: "TIV delivered", Unit: dealUnit, Num: true})
	}
	return append(cols, dealColumn{Name: "Comments"})
}

// withQuery writes a number as the table shows it, with "?" after it when
// SIPRI marks it uncertain: "12", "12?", or "?" alone when there is no
// number but the mark. has false and not uncertain gives "".
func withQuery(n int, has, uncertain bool) string {
	s := ""
	if has {
		s = strconv.Itoa(n)
	}
	if uncertain {
		s += "?"
	}
	return s
}

// deliveryYears writes the delivery years as SIPRI lists them: "2010;
// 2011" in the current export; the legacy report's range "2007 - 2011";
// "" when there were no deliveries.
func deliveryYears(d *data.Deal) string {
	if len(d.DeliveryYears) > 0 {
		ys := make([]string, len(d.DeliveryYears))
		for i, y := range d.DeliveryYears {
			ys[i] = strconv.Itoa(y)
		}
		return strings.Join(ys, "; ")
	}
	if d.DeliveryFrom != 0 {
		return fmt.Sprintf("%d - %d", d.DeliveryFrom, d.DeliveryTo)
	}
	return ""
}

// dealRow returns the cells of d in the order of dealColumns(withTIV).
// Uncertain values carry "?"; an empty number cell stays empty. A TIV of
// the order SIPRI does not give is empty; the other TIV figures are as the
// reader gives them (an empty cell read as 0).
func dealRow(d *data.Deal, withTIV bool) []string {
	status := d.Status
	if d.StatusUncertain {
		status += "?"
	}
	row := []string{
		withQuery(d.OrderYear, d.OrderYear != 0, d.OrderYearUncertain),
		withQuery(d.NumberOrdered, d.HasNumberOrdered, d.NumberOrderedUncertain),
		d.Designation,
		d.Description,
		withQuery(d.NumberDelivered, d.HasNumberDelivered, d.NumberDeliveredUncertain),
		deliveryYears(d),
		status,
	}
	if withTIV {
		order := formatValue(d.TIVOrder)
		if d.TIVOrderUnknown {
			order = ""
		}
		row = append(row, formatValue(d.TIVPerUnit), order, formatValue(d.TIVDelivered))
	}
	return append(row, d.Comments)
}

// dealsView is the view model of the "deals" template and the source of
// the deals CSV: the two are made from the same rows.
type dealsView struct {
	Supplier, Recipient string
	// Register is the register shown; zero when none is loaded.
	Register data.Dataset
	Loaded   bool // a register is loaded
	HasTIV   bool // the register gives TIV figures
	Columns  []dealColumn
	Rows     [][]string
	// Chosen is the register parameter that shows this register: its
	// name, or "" for the preferred one.
	Chosen string
	// Notice names a register asked for that is not loaded, "" for none.
	Notice string
	// Others links to the other registers loaded.
	Others []dealsLink
	CSV    string // URL of the CSV of Rows
}

// dealsLink is a link to the table from another register.
type dealsLink struct{ Name, Label, URL string }

// Num reports whether column i is numeric, for the template.
func (v *dealsView) Num(i int) bool { return i < len(v.Columns) && v.Columns[i].Num }

// RegisterLabel is the register's name, source and vintage, e.g.
// "all.csv (SIPRI Arms Transfers Database, generated 2025-03-13)".
func (v *dealsView) RegisterLabel() string {
	return v.Register.Name + " (" + v.Register.Label() + ")"
}

// Legacy reports whether the register is SIPRI's legacy report.
func (v *dealsView) Legacy() bool { return v.Register.Format == data.FormatSIPRIRegisterLegacy }

// dealsLinkOf returns the URL of page (the dyad page or its deals CSV) for
// the pair, the dyad query's other parameters and register name, ""
// meaning the preferred register.
func dealsLinkOf(page string, q dyadQuery, register string) string {
	v := q.values()
	if page != "/dyad" {
		v = url.Values{"supplier": {q.Supplier}, "recipient": {q.Recipient}}
		if q.Dataset != "" {
			v.Set("dataset", q.Dataset)
		}
	}
	if register != "" {
		v.Set("register", register)
	}
	return page + "?" + v.Encode()
}

// dealsViewOf builds the deals section for the pair of q from the register
// named by the query's register parameter (the preferred one when it is
// absent or empty). An unknown register name is ignored: the preferred
// register is shown and Notice names the one asked for.
func (s *Server) dealsViewOf(snap *data.Snapshot, q dyadQuery, register string) *dealsView {
	v := &dealsView{Supplier: q.Supplier, Recipient: q.Recipient}
	idx := s.dealIndexOf(snap)
	register = strings.TrimSpace(register)
	ri, ok := idx.register(register)
	if !ok && register != "" {
		v.Notice = fmt.Sprintf("Parameter register: no trade register “%s” is loaded, so it is ignored.", truncate(register))
		if names := idx.names(); len(names) > 0 {
			v.Notice += " Registers loaded: " + strings.Join(names, ", ") + "."
		}
		ri, ok = idx.register("")
	}
	if !ok {
		return v
	}
	v.Loaded, v.Register, v.HasTIV = true, ri.set.Dataset, ri.hasTIV()
	v.Columns = dealColumns(v.HasTIV)
	for _, d := range ri.deals(q.Supplier, q.Recipient) {
		v.Rows = append(v.Rows, dealRow(d, v.HasTIV))
	}
	if ri != idx.registers[0] {
		v.Chosen = ri.set.Dataset.Name
	}
	v.CSV = dealsLinkOf("/dyad/deals.csv", q, v.Chosen)
	for i, other := range idx.registers {
		if other == ri {
			continue
		}
		name := other.set.Dataset.Name
		if i == 0 {
			name = "" // the preferred register needs no parameter
		}
		v.Others = append(v.Others, dealsLink{Name: other.set.Dataset.Name, Label: other.set.Dataset.Label(),
			URL: dealsLinkOf("/dyad", q, name) + "#deals"})
	}
	return v
}

// addDeals fills page.Deals from the request's register parameter.
func (s *Server) addDeals(c *gin.Context, q dyadQuery, page *dyadPage) {
	page.Deals = s.dealsViewOf(s.snapshot(c), q, c.Query("register"))
}

// dealsTable is the CSV form of v: a supplier and a recipient column, the
// table's columns (TIV ones naming unit, source and vintage), and the
// register's name, row for row as the page shows them.
func (v *dealsView) dealsTable() dataTable {
	src := sourceLabel(v.Register)
	t := dataTable{Head: []string{"supplier", "recipient"}}
	for _, col := range v.Columns {
		h := col.Name
		if col.Unit != "" {
			h = fmt.Sprintf("%s (%s; %s)", col.Name, col.Unit, src)
		}
		t.Head = append(t.Head, h)
	}
	t.Head = append(t.Head, "register dataset ("+src+")")
	for _, row := range v.Rows {
		rec := append([]string{v.Supplier, v.Recipient}, row...)
		t.Rows = append(t.Rows, append(rec, v.Register.Name))
	}
	return t
}

// dealsFile is the CSV's file name, e.g.
// "armsdash_china_pakistan_deals_2025-03-13.csv".
func (v *dealsView) dealsFile() string {
	vintage := v.Register.Vintage
	if vintage == "" {
		vintage = "undated"
	}
	return slugFile(fmt.Sprintf("armsdash_%s_%s_deals_%s", slug(v.Supplier), slug(v.Recipient), slug(vintage))) + ".csv"
}

// dyadDealsCSV serves /dyad/deals.csv: the rows of the dyad page's deals
// table as CSV. Unlike the page it cannot carry a notice, so an unknown
// register is a 404 listing the loaded ones, and no register at all is a
// 404 saying how to add one.
func (s *Server) dyadDealsCSV(c *gin.Context) error {
	_, q, _, err := s.dyadQueryOf(c)
	if err != nil {
		return err
	}
	v := s.dealsViewOf(s.snapshot(c), q, c.Query("register"))
	switch {
	case v.Notice != "":
		return &RequestError{Status: http.StatusNotFound,
			Msg:   fmt.Sprintf("Parameter register: no trade register “%s” is loaded.", truncate(strings.TrimSpace(c.Query("register")))),
			Known: s.dealIndexOf(s.snapshot(c)).names(), KnownLabel: "Trade registers loaded"}
	case !v.Loaded:
		return errNoRegister
	}
	body, err := v.dealsTable().CSV()
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+v.dealsFile()+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", body)
	return nil
}

// errNoRegister is the deals CSV's answer when no register is loaded.
var errNoRegister = &RequestError{Status: http.StatusNotFound,
	Msg: "No SIPRI trade register is loaded, so there are no deals to download. Add one with: armsdash import -db FILE register.csv"}

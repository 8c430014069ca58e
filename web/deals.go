package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// The dyad page's "Deals in the trade register" section and its CSV: the
// deals (orders) of one SIPRI trade register from the page's supplier to
// its recipient, one row per deal, built from a per-pair index of every
// register of the snapshot.

// dealColumn is one column of the deals table.
type dealColumn struct {
	Name string
	// Unit, when not "", is the unit of the column's figures; the CSV
	// header gives it with the register's source and vintage.
	Unit string
	Num  bool // right-aligned in HTML
	// Mark is true for a column whose cells SIPRI may mark uncertain
	// with "?": the CSV gives the mark as a boolean column of its own.
	Mark bool
}

// dealUnit is the unit of every TIV column. TIV is a volume measure, not
// money.
const dealUnit = "SIPRI TIV (millions)"

// dealColumns returns the columns of the deals table; the three TIV
// columns only when withTIV.
func dealColumns(withTIV bool) []dealColumn {
	cols := []dealColumn{
		{Name: "Year of order", Num: true, Mark: true},
		{Name: "Number ordered", Num: true, Mark: true},
		{Name: "Weapon designation"},
		{Name: "Weapon description"},
		{Name: "Number delivered", Num: true, Mark: true},
		{Name: "Year(s) of delivery"},
		{Name: "Status", Mark: true},
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
func dealsLinkOf(page string, q dashboard.DyadQuery, register string) string {
	v := q.Values()
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

// dealsViewOf builds the deals section for the pair of q from register r
// of idx (nil when none is loaded); chosen is its register= value, "" for
// the preferred one.
func dealsViewOf(idx *dashboard.DealIndex, q dashboard.DyadQuery, r *dashboard.Register, chosen string) *dealsView {
	v := &dealsView{Supplier: q.Supplier, Recipient: q.Recipient}
	if r == nil {
		return v
	}
	v.Loaded, v.Register, v.HasTIV, v.Chosen = true, r.Set.Dataset, r.HasTIV(), chosen
	v.Columns = dealColumns(v.HasTIV)
	for _, d := range r.Deals(q.Supplier, q.Recipient) {
		v.Rows = append(v.Rows, dealRow(d, v.HasTIV))
	}
	v.CSV = dealsLinkOf("/dyad/deals.csv", q, v.Chosen)
	for i, other := range idx.Registers {
		if other == r {
			continue
		}
		name := other.Set.Dataset.Name
		if i == 0 {
			name = "" // the preferred register needs no parameter
		}
		v.Others = append(v.Others, dealsLink{Name: other.Set.Dataset.Name, Label: other.Set.Dataset.Label(),
			URL: dealsLinkOf("/dyad", q, name) + "#deals"})
	}
	return v
}

// dealsTable is the CSV form of v: a supplier and a recipient column, the
// table's columns (TIV ones naming unit, source and vintage), and the
// register's name, row for row as the page shows them, save that SIPRI's
// "?" is not left in a cell: each column that can carry it (Mark) is
// followed by "NAME uncertain", true where the page shows "?", and the
// cell holds the figure alone (empty for a bare "?"), so that numbers
// read as numbers.
func (v *dealsView) dealsTable() dataTable {
	src := sourceLabel(v.Register)
	t := dataTable{Head: []string{"supplier", "recipient"}}
	for _, col := range v.Columns {
		h := col.Name
		if col.Unit != "" {
			h = fmt.Sprintf("%s (%s; %s)", col.Name, col.Unit, src)
		}
		t.Head = append(t.Head, h)
		if col.Mark {
			t.Head = append(t.Head, col.Name+" uncertain")
		}
	}
	t.Head = append(t.Head, "register dataset ("+src+")")
	for _, row := range v.Rows {
		rec := []string{v.Supplier, v.Recipient}
		for i, cell := range row {
			if i < len(v.Columns) && v.Columns[i].Mark {
				figure, uncertain := strings.CutSuffix(cell, "?")
				rec = append(rec, figure, strconv.FormatBool(uncertain))
				continue
			}
			rec = append(rec, cell)
		}
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

// dealsCSVQuery is a validated /dyad/deals.csv query: the pair and the
// register.
type dealsCSVQuery = withRegister[dyadChartQuery]

// parseDealsCSV reads a /dyad/deals.csv query.
var parseDealsCSV = registerParser(parseDyad)

// dealsCSV serves /dyad/deals.csv: the rows of the dyad page's deals table
// as CSV; with no register loaded, dashboard.ErrNoRegister.
func (s *Server) dealsCSV(r *rq, dq dealsCSVQuery) (*response, error) {
	if dq.Register == nil {
		return nil, dashboard.ErrNoRegister
	}
	v := dealsViewOf(r.d.Deals(), dq.Q.Q, dq.Register, dq.Chosen)
	body, err := v.dealsTable().CSV()
	if err != nil {
		return nil, err
	}
	return &response{ctype: "text/csv; charset=utf-8", body: body,
		header: http.Header{"Content-Disposition": {`attachment; filename="` + v.dealsFile() + `"`}}}, nil
}

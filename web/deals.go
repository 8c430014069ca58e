package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/analysis"
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
	// name, or "" for the one the pair's deals come from by default
	// (dashboard.DealIndex.RegisterFor).
	Chosen string
	// In is the deals parameter (dashboard.DealsChoices), Period the
	// years it applies to, "" when the table lists every deal.
	In, Period string
	Total      int // deals of the pair in the register, listed or not
	// Choices link to the table listing the other deals of the period.
	Choices []dealsChoice
	// AllDeals is the deals page of the pair, every year; "" on it.
	AllDeals string
	// Historic links to the deals of states that no longer exist with
	// the pair's countries.
	Historic []dealsLink
	// Others links to the other registers loaded.
	Others []dealsLink
	CSV    string // URL of the CSV of Rows
}

// dealsLink is a link to the table from another register, or of another
// pair.
type dealsLink struct{ Name, Label, URL string }

// dealsChoice is one value of the deals parameter, as a link (URL) or
// an option (Value).
type dealsChoice struct {
	Value, Label, URL string
	Current           bool
}

// Num reports whether column i is numeric, for the template.
func (v *dealsView) Num(i int) bool { return i < len(v.Columns) && v.Columns[i].Num }

// RegisterLabel is the register's name, source and vintage, e.g.
// "all.csv (SIPRI Arms Transfers Database, generated 2025-03-13)".
func (v *dealsView) RegisterLabel() string {
	return v.Register.Name + " (" + v.Register.Label() + ")"
}

// Legacy reports whether the register is SIPRI's legacy report.
func (v *dealsView) Legacy() bool { return v.Register.Format == data.FormatSIPRIRegisterLegacy }

// Listing says which deals the table lists, e.g. "ordered or delivered
// in 1995–2024" or "all years".
func (v *dealsView) Listing() string { return dealsListing(v.In, v.Period) }

// dealsListing words which deals a table lists.
func dealsListing(in, period string) string {
	switch {
	case period == "" || in == dashboard.DealsAll:
		return "all years"
	case in == dashboard.DealsOrdered:
		return "ordered in " + period
	case in == dashboard.DealsDelivered:
		return "with deliveries in " + period
	}
	return "ordered or delivered in " + period
}

// dealsPaths says where the links of a deals section go: the page showing
// it and the CSV of its rows, for a deals query.
type dealsPaths struct {
	page, csv func(dashboard.DealsQuery) string
}

// dyadDealsPaths are the deals links of the dyad page of q: its own
// parameters with register= and deals=.
func dyadDealsPaths(q dashboard.DyadQuery) dealsPaths {
	with := func(path string, dq dashboard.DealsQuery) string {
		v := q.Values()
		if dq.Register != "" {
			v.Set("register", dq.Register)
		}
		if dq.In != dashboard.DealsEither {
			v.Set("deals", dq.In)
		}
		return path + "?" + v.Encode()
	}
	return dealsPaths{
		page: func(dq dashboard.DealsQuery) string { return with("/dyad", dq) + "#deals" },
		csv:  func(dq dashboard.DealsQuery) string { return with("/dyad/deals.csv", dq) },
	}
}

// pageDealsPaths are the deals links of the deals page.
var pageDealsPaths = dealsPaths{
	page: func(dq dashboard.DealsQuery) string { return dq.Link("/deals") + "#deals" },
	csv:  func(dq dashboard.DealsQuery) string { return dq.Link("/deals.csv") },
}

// dealsViewOf builds the deals section of dq's pair from register r of
// idx (nil when none is loaded): the deals dq lists, links to the other
// deals of the period, to every deal of the pair (unless paths are the
// deals page's own), to the deals of historic states with the pair's
// countries, and to the other registers.
func dealsViewOf(idx *dashboard.DealIndex, dq dashboard.DealsQuery, r *dashboard.Register, paths dealsPaths) *dealsView {
	v := &dealsView{Supplier: dq.Supplier, Recipient: dq.Recipient, In: dq.In}
	if r == nil {
		return v
	}
	v.Loaded, v.Register, v.HasTIV, v.Chosen = true, r.Set.Dataset, r.HasTIV(), dq.Register
	v.Columns = dealColumns(v.HasTIV)
	for _, d := range dq.Listed(r) {
		v.Rows = append(v.Rows, dealRow(d, v.HasTIV))
	}
	v.Total = r.Count(dq.Supplier, dq.Recipient)
	v.CSV = paths.csv(dq)
	if !dq.Open() {
		from, to := dq.Bounds()
		v.Period = analysis.Period{From: from, To: to}.String()
		for _, in := range dashboard.DealsChoices {
			other := dq
			other.In = in
			v.Choices = append(v.Choices, dealsChoice{Label: dealsListing(in, v.Period), URL: paths.page(other), Current: in == dq.In})
		}
	}
	all := dashboard.DealsQuery{Supplier: dq.Supplier, Recipient: dq.Recipient, In: dashboard.DealsEither, Register: dq.Register}
	if paths.page(all) != paths.page(dq) || !dq.Open() {
		v.AllDeals = all.Link("/deals")
	}
	for _, pc := range r.HistoricPartners(dq.Supplier, dq.Recipient) {
		h := dashboard.DealsQuery{Supplier: pc.Supplier, Recipient: pc.Recipient, In: dashboard.DealsEither}
		if idx.RegisterFor(pc.Supplier, pc.Recipient) != r {
			h.Register = r.Set.Dataset.Name
		}
		v.Historic = append(v.Historic, dealsLink{Name: pc.Supplier + " → " + pc.Recipient, Label: plural(pc.Deals, "deal", "deals"), URL: h.Link("/deals")})
	}
	def := idx.RegisterFor(dq.Supplier, dq.Recipient)
	for _, other := range idx.Registers {
		if other == r {
			continue
		}
		o := dq
		o.Register = other.Set.Dataset.Name
		if other == def {
			o.Register = "" // the pair's default register needs no parameter
		}
		v.Others = append(v.Others, dealsLink{Name: other.Set.Dataset.Name, Label: other.Set.Dataset.Label(), URL: paths.page(o)})
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

// dealsCSVQuery is a validated /dyad/deals.csv query: the pair and
// period, the register and which deals to list.
type dealsCSVQuery = withRegister[dyadChartQuery]

// parseDealsCSV reads a /dyad/deals.csv query.
var parseDealsCSV = registerParser(parseDyad, func(q dyadChartQuery) dashboard.DyadQuery { return q.Q }, true)

// dealsCSV serves /dyad/deals.csv: the rows of the dyad page's deals table
// as CSV; with no register loaded, dashboard.ErrNoRegister.
func (s *Server) dealsCSV(r *rq, dq dealsCSVQuery) (*response, error) {
	return dealsCSVOf(r, dq.dealsQuery(dq.Q.Q), dq.Register, dyadDealsPaths(dq.Q.Q))
}

// dealsCSVOf is the CSV of the deals dq lists from register r.
func dealsCSVOf(r *rq, dq dashboard.DealsQuery, reg *dashboard.Register, paths dealsPaths) (*response, error) {
	if reg == nil {
		return nil, dashboard.ErrNoRegister
	}
	v := dealsViewOf(r.d.Deals(), dq, reg, paths)
	body, err := v.dealsTable().CSV()
	if err != nil {
		return nil, err
	}
	return &response{ctype: "text/csv; charset=utf-8", body: body,
		header: http.Header{"Content-Disposition": {`attachment; filename="` + v.dealsFile() + `"`}}}, nil
}

// dealsPage is the view model of deals.html: a pair's orders and deals
// in a trade register, for any pair a register holds.
type dealsPage struct {
	basePage
	Q                     dashboard.DealsQuery
	Suppliers, Recipients []string // every party of a deal in a register
	Choices               []dealsChoice
	Orders                *ordersView
	Deals                 *dealsView
	// PairLink is the pair's dyad page when the flow set holds the pair,
	// else "".
	PairLink   string
	MarkerNote string
}

// parseDealsPage reads a /deals or /deals.csv query.
func parseDealsPage(r *rq) (registerQuery, error) {
	reg, q, err := r.d.ParseDeals(r.p)
	return registerQuery{reg, q}, err
}

// dealsPageCSV serves /deals.csv: the rows of the deals page's table.
func (s *Server) dealsPageCSV(r *rq, q registerQuery) (*response, error) {
	return dealsCSVOf(r, q.Q, q.reg, pageDealsPaths)
}

// deals serves /deals: the orders and deals of one supplier to one
// recipient in a trade register, every year or those a period lists.
// It needs no flow set, so the deals of states that no longer exist and
// of years before a listing starts are reachable.
func (s *Server) deals(r *rq, q registerQuery) (*response, error) {
	idx := r.d.Deals()
	page := dealsPage{Q: q.Q, Suppliers: idx.Suppliers, Recipients: idx.Recipients}
	page.basePage = s.base(r.c, fmt.Sprintf("%s → %s: deals in the trade register", q.Q.Supplier, q.Q.Recipient), "dyad", q.Q.Link("/deals"))
	page.DataLabel = q.reg.Set.Dataset.Name + " (" + q.reg.Set.Dataset.Label() + ")"
	for _, in := range dashboard.DealsChoices {
		page.Choices = append(page.Choices, dealsChoice{Value: in, Label: dealsListing(in, "it"), Current: in == q.Q.In})
	}
	page.Orders = ordersViewOf(q.reg, q.Q)
	page.Deals = dealsViewOf(idx, q.Q, q.reg, pageDealsPaths)
	if fi, err := r.d.Flows(""); err == nil && slices.Contains(fi.Coverage.Suppliers, q.Q.Supplier) && slices.Contains(fi.Coverage.Recipients, q.Q.Recipient) {
		dq := fi.Default
		dq.Supplier, dq.Recipient = q.Q.Supplier, q.Q.Recipient
		page.PairLink = dq.Link("/dyad")
	}
	page.MarkerNote = markerNote(q.Q.Supplier, q.Q.Recipient)
	return s.renderPage("deals", page)
}

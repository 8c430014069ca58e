package web

import (
	"fmt"
	"net/url"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Orders and backlog from a trade register: the "orders" section of the
// dyad and deals pages, the dyad page's chart of the TIV ordered by year
// of order beside the deliveries, and /api/v1/orders. The numbers come
// from dashboard.Register.Orders.

// ordersRule is the counting rule of the ordered TIV and the backlog.
const ordersRule = "SIPRI TIV for total order, summed by year of order; backlog per deal = max(0, TIV for total order − TIV of delivered weapons); SIPRI TIV, millions (a volume measure, not money)"

// ordersView is the view model of the "orders" template.
type ordersView struct {
	Supplier, Recipient string
	Register            data.Dataset
	// Reason says why there are no orders to show (a register without
	// order columns, no deal of the pair), as the orders chart says it;
	// "" when there are.
	Reason           string
	Deals            int    // deals of the pair in the register
	Ordered, Backlog string // million TIV, formatted
	UnknownOrder     int    // deals without a TIV for the total order
	Columns          []dealColumn
	Rows             [][]string // the deals with a backlog
	API              string     // the same as JSON
	Rule             string
}

// Num reports whether column i is numeric, for the template.
func (v *ordersView) Num(i int) bool { return i < len(v.Columns) && v.Columns[i].Num }

// RegisterLabel is the register's name, source and vintage.
func (v *ordersView) RegisterLabel() string { return v.Register.Name + " (" + v.Register.Label() + ")" }

// backlogColumns are the columns of the table of deals with a backlog.
var backlogColumns = []dealColumn{
	{Name: "Year of order", Num: true},
	{Name: "Weapon designation"},
	{Name: "Weapon description"},
	{Name: "Number ordered", Num: true},
	{Name: "Number delivered", Num: true},
	{Name: "TIV of the order", Unit: dealUnit, Num: true},
	{Name: "TIV delivered", Unit: dealUnit, Num: true},
	{Name: "Backlog", Unit: dealUnit, Num: true},
}

// ordersViewOf builds the orders section of dq's pair from register r
// (every year: a backlog is what is still owed at the register's date);
// nil when no register is loaded.
func ordersViewOf(r *dashboard.Register, dq dashboard.DealsQuery) *ordersView {
	if r == nil {
		return nil
	}
	v := &ordersView{Supplier: dq.Supplier, Recipient: dq.Recipient, Register: r.Set.Dataset, Rule: ordersRule,
		API: ordersAPILink(dq)}
	o, err := ordersOf(r, dq.Supplier, dq.Recipient)
	if err != nil {
		v.Reason = err.Error()
		return v
	}
	v.Deals, v.UnknownOrder = o.Deals, o.UnknownOrder
	v.Ordered, v.Backlog = millions(o.OrderedTIV), millions(o.BacklogTIV)
	v.Columns = backlogColumns
	for _, b := range o.Backlog {
		d := b.Deal
		v.Rows = append(v.Rows, []string{
			withQuery(d.OrderYear, d.OrderYear != 0, d.OrderYearUncertain), d.Designation, d.Description,
			withQuery(d.NumberOrdered, d.HasNumberOrdered, d.NumberOrderedUncertain),
			withQuery(d.NumberDelivered, d.HasNumberDelivered, d.NumberDeliveredUncertain),
			formatValue(d.TIVOrder), formatValue(d.TIVDelivered), formatValue(dashboard.Clean(b.Backlog)),
		})
	}
	return v
}

// ordersOf returns the pair's orders in register r, or why there are
// none to chart: no register loaded (dashboard.ErrNoRegister), a register
// without order columns (dashboard.NoOrderColumns), or no deal of the
// pair in it, each a *dashboard.NotDrawableError.
func ordersOf(r *dashboard.Register, supplier, recipient string) (*dashboard.Orders, error) {
	if r == nil {
		return nil, dashboard.ErrNoRegister
	}
	o, err := r.Orders(supplier, recipient)
	if err != nil {
		return nil, err
	}
	if o.Deals == 0 {
		reg := r.Set.Dataset
		return nil, &dashboard.NotDrawableError{Msg: fmt.Sprintf("The trade register %s (%s) holds no deal from %s to %s, so there are no orders to sum.", reg.Name, reg.Label(), supplier, recipient)}
	}
	return o, nil
}

// ordersAPILink is the /api/v1/orders URL of dq's pair and register.
func ordersAPILink(dq dashboard.DealsQuery) string {
	v := url.Values{"supplier": {dq.Supplier}, "recipient": {dq.Recipient}}
	if dq.Register != "" {
		v.Set("register", dq.Register)
	}
	return "/api/v1/orders?" + v.Encode()
}

// ordersChartQuery is the validated query of the orders chart's forms:
// the dyad query and the register (register=).
type ordersChartQuery = withRegister[dyadChartQuery]

// parseOrdersChart reads the query of the orders chart's forms.
var parseOrdersChart = registerParser(parseDyad, func(q dyadChartQuery) dashboard.DyadQuery { return q.Q }, false)

// dyadOrdersChart builds /dyad/orders: the TIV the recipient ordered from
// the supplier in each year of the period, by year of order, from the
// trade register the page shows (registerOf), beside the TIV delivered by
// delivery year from the page's flow set; see ordersOf for when it cannot
// be drawn.
func dyadOrdersChart(r *rq, cq chartQuery, _ dashboard.ChartState) (*builtChart, error) {
	q, ok := cq.(dyadChartQuery)
	if wr, isWR := cq.(ordersChartQuery); isWR {
		q, ok = wr.Q, true
	}
	if !ok {
		return nil, fmt.Errorf("orders chart: query %T", cq)
	}
	rc := r.registerOf(q.Q)
	o, err := ordersOf(rc.reg, q.Q.Supplier, q.Q.Recipient)
	if err != nil {
		return nil, err
	}
	ser := ordersSeries(q.fi, q.Q, o)
	wr := withRegister[dyadChartQuery]{Q: q, Register: rc.reg, Chosen: rc.chosen}
	b := &builtChart{Series: ser, Query: wr.Values(), Datasets: []data.Dataset{o.Register, q.fi.Set.Dataset},
		FlowSet: q.fi.Set.Dataset.Name, Period: q.Q.Period().String()}
	b.rows = func() dataTable {
		dq := wr.dealsQuery(q.Q)
		dq.From, dq.To = 0, 0 // every deal: the orders of every year are summed
		return dealsViewOf(r.d.Deals(), dq, rc.reg, dyadDealsPaths(q.Q)).dealsTable()
	}
	return b, nil
}

// ordersSeries is the orders chart's numbers: the TIV ordered by year of
// order and the TIV delivered by year of delivery, each year of q.
func ordersSeries(fi *dashboard.FlowIndex, q dashboard.DyadQuery, o *dashboard.Orders) Series {
	ordered := o.OrderedIn(q.From, q.To)
	delivered := fi.Yearly(q.Supplier, q.Recipient, q.From, q.To)
	var inPeriod float64
	for i := range ordered {
		inPeriod += ordered[i]
		ordered[i], delivered[i] = round(ordered[i], 2), round(delivered[i], 2)
	}
	notes := []string{fmt.Sprintf("Ordered in %s: %s million TIV of the %s million TIV of all %d deals of the pair in the register; a deal counts in its year of order, whole, however many years its deliveries take. Delivered: the flow set's deliveries by delivery year. Values are rounded to 0.01 million TIV.",
		q.Period(), millions(inPeriod), millions(o.OrderedTIV), o.Deals)}
	if o.UnknownOrder > 0 {
		notes = append(notes, fmt.Sprintf("%s give no TIV for the total order (SIPRI lacks the number ordered or the TIV per unit) and add nothing.", plural(o.UnknownOrder, "deal", "deals")))
	}
	if o.NoOrderYearTIV > 0 {
		notes = append(notes, fmt.Sprintf("%s million TIV was ordered in deals without a year of order, which no year shows.", millions(o.NoOrderYearTIV)))
	}
	notes = append(notes, fmt.Sprintf("Backlog at the register's date: %s million TIV in %s (see Orders and backlog below). The full-data CSV holds the deals.", millions(o.BacklogTIV), plural(len(o.Backlog), "deal", "deals")))
	return Series{
		ID:     "chart-dyad-orders",
		Title:  fmt.Sprintf("Arms %s ordered from %s by year of order, beside deliveries, %s", q.Recipient, q.Supplier, q.Period()),
		XName:  "year",
		YName:  "SIPRI TIV (millions)",
		Unit:   "SIPRI TIV millions",
		Source: sourceLabel(o.Register) + " (orders); " + sourceLabel(fi.Set.Dataset) + " (deliveries)",
		Rule:   "orders: SIPRI TIV for total order by year of order, from the trade register; deliveries: " + tivRule + ", " + q.Period().String(),
		X:      years(q.From, q.To),
		Series: []Named{
			{Name: fmt.Sprintf("ordered by %s from %s (TIV for total order, by year of order)", q.Recipient, q.Supplier), Values: ordered},
			{Name: fmt.Sprintf("delivered by %s to %s (by delivery year)", q.Supplier, q.Recipient), Values: delivered, Line: true},
		},
		Notes: notes,
		File:  dyadFile(q, "orders"),
	}
}

// registerQuery is a validated deals query and the register it names:
// the query of /deals, /deals.csv and /api/v1/orders.
type registerQuery struct {
	reg *dashboard.Register
	Q   dashboard.DealsQuery
}

// Values returns the canonical parameters.
func (q registerQuery) Values() url.Values { return q.Q.Values() }

// parseOrdersAPI reads an /api/v1/orders query: supplier, recipient and
// register.
func parseOrdersAPI(r *rq) (registerQuery, error) {
	reg, q, err := r.d.ParsePairDeals(r.p)
	return registerQuery{reg, q}, err
}

// ordersAPI is the body of /api/v1/orders: the pair's orders unrounded
// (save binary noise, dashboard.Clean).
type ordersAPI struct {
	Supplier         string              `json:"supplier"`
	Recipient        string              `json:"recipient"`
	OrderedTIV       float64             `json:"ordered_tiv"`
	BacklogTIV       float64             `json:"backlog_tiv"`
	DealsWithBacklog []backlogDealJSON   `json:"deals_with_backlog"`
	ByOrderYear      []dashboard.YearTIV `json:"by_order_year"`
	// Deals counts the pair's deals; DealsWithoutOrderTIV those without
	// a TIV for the total order, which add 0; NoOrderYearTIV is ordered
	// in deals without a year of order, in no by_order_year entry.
	Deals                int                     `json:"deals"`
	DealsWithoutOrderTIV int                     `json:"deals_without_order_tiv"`
	NoOrderYearTIV       float64                 `json:"no_order_year_tiv"`
	Unit                 string                  `json:"unit"`
	CountingRule         string                  `json:"counting_rule"`
	Datasets             []dashboard.DatasetInfo `json:"datasets"`
}

// backlogDealJSON is one deal with a backlog.
type backlogDealJSON struct {
	OrderYear          *int    `json:"order_year"` // null when SIPRI gives none
	OrderYearUncertain bool    `json:"order_year_uncertain"`
	Designation        string  `json:"designation"`
	Description        string  `json:"description"`
	NumberOrdered      *int    `json:"number_ordered"` // null when SIPRI gives none
	NumberDelivered    *int    `json:"number_delivered"`
	DeliveryYears      []int   `json:"delivery_years"`
	Status             string  `json:"status"`
	TIVOrder           float64 `json:"tiv_order"`
	TIVDelivered       float64 `json:"tiv_delivered"`
	BacklogTIV         float64 `json:"backlog_tiv"`
}

// apiOrders serves /api/v1/orders: a register without order columns is
// dashboard.NoOrderColumns, which names them.
func apiOrders(_ *rq, q registerQuery) (*response, error) {
	o, err := q.reg.Orders(q.Q.Supplier, q.Q.Recipient)
	if err != nil {
		return nil, err
	}
	out := ordersAPI{Supplier: o.Supplier, Recipient: o.Recipient, OrderedTIV: dashboard.Clean(o.OrderedTIV), BacklogTIV: dashboard.Clean(o.BacklogTIV),
		DealsWithBacklog: []backlogDealJSON{}, ByOrderYear: []dashboard.YearTIV{}, Deals: o.Deals, DealsWithoutOrderTIV: o.UnknownOrder,
		NoOrderYearTIV: dashboard.Clean(o.NoOrderYearTIV), Unit: dashboard.Unit, CountingRule: ordersRule,
		Datasets: []dashboard.DatasetInfo{dashboard.InfoOf(o.Register)}}
	for _, y := range o.ByOrderYear {
		out.ByOrderYear = append(out.ByOrderYear, dashboard.YearTIV{Year: y.Year, TIV: dashboard.Clean(y.TIV)})
	}
	some := func(n int, ok bool) *int {
		if !ok {
			return nil
		}
		return &n
	}
	for _, b := range o.Backlog {
		d := b.Deal
		out.DealsWithBacklog = append(out.DealsWithBacklog, backlogDealJSON{
			OrderYear: some(d.OrderYear, d.OrderYear != 0), OrderYearUncertain: d.OrderYearUncertain,
			Designation: d.Designation, Description: d.Description,
			NumberOrdered: some(d.NumberOrdered, d.HasNumberOrdered), NumberDelivered: some(d.NumberDelivered, d.HasNumberDelivered),
			DeliveryYears: d.DeliveryYears, Status: d.Status,
			TIVOrder: d.TIVOrder, TIVDelivered: d.TIVDelivered, BacklogTIV: dashboard.Clean(b.Backlog),
		})
	}
	return jsonResponse(out)
}

// Headline is the orders section's summary sentence.
func (v *ordersView) Headline() string {
	ordered := fmt.Sprintf("%s ordered %s million TIV of arms from %s in %s", v.Recipient, v.Ordered, v.Supplier, plural(v.Deals, "deal", "deals"))
	if len(v.Rows) == 0 {
		return ordered + "; there is no backlog: by the register's date every deal was delivered in full."
	}
	return fmt.Sprintf("%s; the backlog, ordered but not delivered by the register's date, is %s million TIV in %s.", ordered, v.Backlog, plural(len(v.Rows), "deal", "deals"))
}

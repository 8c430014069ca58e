package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
)

// table describes how one kind of row is stored: its table, its columns
// (after dataset_id and n), how a row becomes values and how a result row
// is scanned back.
type table[T any] struct {
	name string
	cols []string
	// args writes the column values of r into a, which has len(cols).
	args func(r *T, a []any)
	// scan reads one result row (the columns in order) into r.
	scan func(rows pgx.Rows, r *T) error
}

// copyHookEvery is how often (in rows) a COPY checks ctx and calls
// Store.afterCopy.
const copyHookEvery = 1000

// source feeds rows to COPY: dataset_id, the row number n (from 1) and the
// columns, reusing one slice of values.
type source[T any] struct {
	ctx   context.Context
	s     *Store
	t     *table[T]
	id    int64
	rows  []T
	i     int
	vals  []any
	err   error
	table string
}

func (src *source[T]) Next() bool {
	if src.i >= len(src.rows) || src.err != nil {
		return false
	}
	if src.i > 0 && src.i%copyHookEvery == 0 {
		if src.s.afterCopy != nil {
			src.s.afterCopy(src.table, src.i)
		}
		if err := src.ctx.Err(); err != nil {
			src.err = err
			return false
		}
	}
	src.vals[0], src.vals[1] = src.id, int32(src.i+1)
	src.t.args(&src.rows[src.i], src.vals[2:])
	src.i++
	return true
}

func (src *source[T]) Values() ([]any, error) { return src.vals, nil }
func (src *source[T]) Err() error             { return src.err }

// copy stores rows under dataset id with one COPY.
func (t *table[T]) copy(ctx context.Context, s *Store, tx pgx.Tx, id int64, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	cols := append([]string{"dataset_id", "n"}, t.cols...)
	src := &source[T]{ctx: ctx, s: s, t: t, id: id, rows: rows, vals: make([]any, len(cols)), table: t.name}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, cols, src)
	if err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", len(rows), t.name, err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("copy into %s: %d of %d rows stored", t.name, n, len(rows))
	}
	return nil
}

func (t *table[T]) selectSQL() string {
	quoted := make([]string, len(t.cols))
	for i, c := range t.cols {
		quoted[i] = `"` + c + `"`
	}
	return fmt.Sprintf("SELECT %s FROM %s WHERE dataset_id = $1 ORDER BY n", strings.Join(quoted, ", "), t.name)
}

// load reads the rows of dataset id in file order.
func (t *table[T]) load(ctx context.Context, q pgx.Tx, id int64) ([]T, error) {
	rows, err := q.Query(ctx, t.selectSQL(), id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var r T
		if err := t.scan(rows, &r); err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	return out, nil
}

var deliveriesTable = table[data.Delivery]{
	name: "deliveries",
	cols: []string{"deal_id", "supplier", "recipient", "designation", "description", "category",
		"order_year", "order_year_estimate", "number", "number_estimate", "year", "year_estimate",
		"status", "tiv_unit_new", "tiv_unit", "tiv", "local_production"},
	args: func(d *data.Delivery, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5] = d.DealID, d.Supplier, d.Recipient, d.Designation, d.Description, d.Category
		a[6], a[7], a[8], a[9], a[10], a[11] = d.OrderYear, d.OrderYearEstimate, d.Number, d.NumberEstimate, d.Year, d.YearEstimate
		a[12], a[13], a[14], a[15], a[16] = d.Status, d.TIVUnitNew, d.TIVUnit, d.TIV, d.LocalProduction
	},
	scan: func(rows pgx.Rows, d *data.Delivery) error {
		return rows.Scan(&d.DealID, &d.Supplier, &d.Recipient, &d.Designation, &d.Description, &d.Category,
			&d.OrderYear, &d.OrderYearEstimate, &d.Number, &d.NumberEstimate, &d.Year, &d.YearEstimate,
			&d.Status, &d.TIVUnitNew, &d.TIVUnit, &d.TIV, &d.LocalProduction)
	},
}

var flowsTable = table[data.Flow]{
	name: "flows",
	cols: []string{"supplier", "recipient", "year", "tiv"},
	args: func(f *data.Flow, a []any) {
		a[0], a[1], a[2], a[3] = f.Supplier, f.Recipient, f.Year, f.TIV
	},
	scan: func(rows pgx.Rows, f *data.Flow) error {
		return rows.Scan(&f.Supplier, &f.Recipient, &f.Year, &f.TIV)
	},
}

var dealsTable = table[data.Deal]{
	name: "deals",
	cols: []string{"legacy_id", "supplier", "supplier_kind", "recipient", "recipient_kind",
		"order_year", "order_year_uncertain", "number_ordered", "has_number_ordered", "number_ordered_uncertain",
		"designation", "description", "number_delivered", "has_number_delivered", "number_delivered_uncertain",
		"delivery_years", "delivery_from", "delivery_to", "status", "status_uncertain",
		"recipient_involvement", "comments", "has_tiv", "tiv_per_unit", "tiv_order", "tiv_delivered", "tiv_order_unknown"},
	args: func(d *data.Deal, a []any) {
		a[0], a[1], a[2], a[3], a[4] = d.LegacyID, d.Supplier, string(d.SupplierKind), d.Recipient, string(d.RecipientKind)
		a[5], a[6], a[7], a[8], a[9] = d.OrderYear, d.OrderYearUncertain, d.NumberOrdered, d.HasNumberOrdered, d.NumberOrderedUncertain
		a[10], a[11], a[12], a[13], a[14] = d.Designation, d.Description, d.NumberDelivered, d.HasNumberDelivered, d.NumberDeliveredUncertain
		a[15], a[16], a[17], a[18], a[19] = joinYears(d.DeliveryYears), d.DeliveryFrom, d.DeliveryTo, d.Status, d.StatusUncertain
		a[20], a[21], a[22], a[23], a[24], a[25], a[26] = d.RecipientInvolvement, d.Comments, d.HasTIV, d.TIVPerUnit, d.TIVOrder, d.TIVDelivered, d.TIVOrderUnknown
	},
	scan: func(rows pgx.Rows, d *data.Deal) error {
		var years, supplierKind, recipientKind string
		err := rows.Scan(&d.LegacyID, &d.Supplier, &supplierKind, &d.Recipient, &recipientKind,
			&d.OrderYear, &d.OrderYearUncertain, &d.NumberOrdered, &d.HasNumberOrdered, &d.NumberOrderedUncertain,
			&d.Designation, &d.Description, &d.NumberDelivered, &d.HasNumberDelivered, &d.NumberDeliveredUncertain,
			&years, &d.DeliveryFrom, &d.DeliveryTo, &d.Status, &d.StatusUncertain,
			&d.RecipientInvolvement, &d.Comments, &d.HasTIV, &d.TIVPerUnit, &d.TIVOrder, &d.TIVDelivered, &d.TIVOrderUnknown)
		if err != nil {
			return err
		}
		d.SupplierKind, d.RecipientKind = data.PartyKind(supplierKind), data.PartyKind(recipientKind)
		d.DeliveryYears, err = splitYears(years)
		return err
	},
}

var tivValuesTable = table[data.TIVValue]{
	name: "tiv_values",
	cols: []string{"supplier", "recipient", "category", "year", "tiv", "small"},
	args: func(v *data.TIVValue, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5] = v.Supplier, v.Recipient, v.Category, v.Year, v.TIV, v.Small
	},
	scan: func(rows pgx.Rows, v *data.TIVValue) error {
		return rows.Scan(&v.Supplier, &v.Recipient, &v.Category, &v.Year, &v.TIV, &v.Small)
	},
}

var indicatorsTable = table[data.IndicatorValue]{
	name: "indicators",
	cols: []string{"country_name", "country_code", "indicator", "indicator_name", "year", "value", "aggregate"},
	args: func(v *data.IndicatorValue, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5], a[6] = v.CountryName, v.CountryCode, v.Indicator, v.IndicatorName, v.Year, v.Value, v.Aggregate
	},
	scan: func(rows pgx.Rows, v *data.IndicatorValue) error {
		return rows.Scan(&v.CountryName, &v.CountryCode, &v.Indicator, &v.IndicatorName, &v.Year, &v.Value, &v.Aggregate)
	},
}

var eventsTable = table[data.Event]{
	name: "events",
	cols: []string{"date", "precision", "date_note", "side_a", "side_b", "actors", "type", "place", "summary",
		"source", "source_id", "code", "source_url"},
	args: func(e *data.Event, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5], a[6] = e.Date, e.Precision, e.DateNote, e.SideA, e.SideB, e.Actors, e.Type
		a[7], a[8], a[9], a[10], a[11], a[12] = e.Place, e.Summary, e.Source, e.SourceID, e.Code, e.SourceURL
	},
	scan: func(rows pgx.Rows, e *data.Event) error {
		return rows.Scan(&e.Date, &e.Precision, &e.DateNote, &e.SideA, &e.SideB, &e.Actors, &e.Type,
			&e.Place, &e.Summary, &e.Source, &e.SourceID, &e.Code, &e.SourceURL)
	},
}

var figuresTable = table[data.Figure]{
	name: "figures",
	cols: []string{"measure", "supplier", "recipient", "year_from", "year_to", "percent", "approximate",
		"quote", "publisher", "vintage", "vintage_note", "source"},
	args: func(f *data.Figure, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5] = f.Measure, f.Supplier, f.Recipient, f.From, f.To, f.Percent
		a[6], a[7], a[8], a[9], a[10], a[11] = f.Approximate, f.Quote, f.Publisher, f.Vintage, f.VintageNote, f.Source
	},
	scan: func(rows pgx.Rows, f *data.Figure) error {
		return rows.Scan(&f.Measure, &f.Supplier, &f.Recipient, &f.From, &f.To, &f.Percent,
			&f.Approximate, &f.Quote, &f.Publisher, &f.Vintage, &f.VintageNote, &f.Source)
	},
}

var equipmentTable = table[data.Equipment]{
	name: "equipment",
	cols: []string{"name", "kind", "supplier", "user", "service", "relation", "quote", "source"},
	args: func(e *data.Equipment, a []any) {
		a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7] = e.Name, e.Kind, e.Supplier, e.User, e.Service, e.Relation, e.Quote, e.Source
	},
	scan: func(rows pgx.Rows, e *data.Equipment) error {
		return rows.Scan(&e.Name, &e.Kind, &e.Supplier, &e.User, &e.Service, &e.Relation, &e.Quote, &e.Source)
	},
}

var skippedTable = table[data.ParseError]{
	name: "skipped",
	cols: []string{"file", "line", "column", "msg"},
	args: func(e *data.ParseError, a []any) {
		a[0], a[1], a[2], a[3] = e.File, e.Line, e.Column, e.Msg
	},
	scan: func(rows pgx.Rows, e *data.ParseError) error {
		return rows.Scan(&e.File, &e.Line, &e.Column, &e.Msg)
	},
}

// dataTables lists every table holding a dataset's rows.
var dataTables = []string{"deliveries", "flows", "deals", "tiv_values", "indicators", "events", "figures", "equipment", "skipped"}

// joinYears writes years as "2010;2012"; nil gives "".
func joinYears(ys []int) string {
	var b strings.Builder
	for i, y := range ys {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(y))
	}
	return b.String()
}

// splitYears reverses joinYears; "" gives nil.
func splitYears(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	ys := make([]int, len(parts))
	for i, p := range parts {
		y, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("delivery_years %q: %w", s, err)
		}
		ys[i] = y
	}
	return ys, nil
}

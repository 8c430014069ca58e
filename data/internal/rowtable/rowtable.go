// Package rowtable describes, once for both store engines (data/sqlite and
// data/postgres), the tables that hold a dataset's rows: each table's name,
// its columns after dataset_id, and which field of the row type each
// column holds. The engines add what differs between them (placeholders,
// the order column, batching or COPY).
package rowtable

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/armsdash/armsdash/data"
)

// Table is one kind of row as the stores hold it.
type Table[T any] struct {
	Name string   // the SQL table
	Cols []string // its columns after dataset_id, in the order Fields gives them
	// Fields appends to dst pointers to the fields of r, one per column in
	// Cols order, and returns the extended slice. The pointers serve as
	// Scan destinations and, through Values, as query arguments; a field
	// stored in another form is wrapped in a type implementing
	// sql.Scanner and driver.Valuer (see Years). The type of each field
	// gives its column's SQL type (see Types).
	Fields func(dst []any, r *T) []any
	// Checks gives, by column, the condition every stored value meets, in
	// SQL that both engines read: a CHECK constraint.
	Checks map[string]string
	// Wide lists the integer columns that hold identifiers, 64 bits wide;
	// the other integers (years, counts) take 32.
	Wide []string
	// Added gives, by column, the migration that added it to the table
	// (see AddColumns); the other columns came with the first
	// (CreateTables).
	Added map[string]int
}

// ColumnList returns Cols quoted and joined by ", ", for a SELECT or an
// INSERT.
func (t *Table[T]) ColumnList() string { return columnList(t.Cols) }

// ColumnList returns Cols quoted and joined by ", ", for an INSERT.
func (b Batch) ColumnList() string { return columnList(b.Cols) }

func columnList(cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + c + `"`)
	}
	return b.String()
}

// Rows is the part of a query result (*sql.Rows, pgx.Rows) that ScanAll
// reads.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanAll reads every remaining row of rows, whose columns are t's Cols in
// order, into a T each; nil when there are none. It does not close rows.
func (t *Table[T]) ScanAll(rows Rows) ([]T, error) {
	var out []T
	var dst []any
	for rows.Next() {
		var r T
		dst = t.Fields(dst[:0], &r)
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Values appends to dst the column values of r in Cols order: the fields
// themselves rather than pointers to them, and Years as its text, so that
// neither driver has to dereference or convert them by reflection.
func (t *Table[T]) Values(dst []any, r *T) []any {
	n := len(dst)
	dst = t.Fields(dst, r)
	for i, p := range dst[n:] {
		switch p := p.(type) {
		case *string:
			dst[n+i] = *p
		case *int:
			dst[n+i] = *p
		case *float64:
			dst[n+i] = *p
		case *bool:
			dst[n+i] = *p
		case *data.PartyKind:
			dst[n+i] = string(*p)
		case *Years:
			dst[n+i] = p.String()
		case *[]byte:
			dst[n+i] = *p
		}
	}
	return dst
}

// Deliveries held data.File.Deliveries, a row each, before they were
// packed (PackedDeliveries); stores made before keep their rows here
// until they are opened, when they are packed too.
var Deliveries = &Table[data.Delivery]{
	Name: "deliveries",
	Cols: []string{"deal_id", "supplier", "recipient", "designation", "description", "category",
		"order_year", "order_year_estimate", "number", "number_estimate", "year", "year_estimate",
		"status", "tiv_unit_new", "tiv_unit", "tiv", "local_production"},
	Fields: func(a []any, d *data.Delivery) []any {
		return append(a, &d.DealID, &d.Supplier, &d.Recipient, &d.Designation, &d.Description, &d.Category,
			&d.OrderYear, &d.OrderYearEstimate, &d.Number, &d.NumberEstimate, &d.Year, &d.YearEstimate,
			&d.Status, &d.TIVUnitNew, &d.TIVUnit, &d.TIV, &d.LocalProduction)
	},
	Checks: flowChecks,
	Wide:   []string{"deal_id"},
}

// flowChecks are the checks of a table of flows: both sides named, a
// plausible year.
var flowChecks = map[string]string{"supplier": "supplier <> ''", "recipient": "recipient <> ''", "year": yearCheck}

const yearCheck = "year BETWEEN 1900 AND 2100"

// Flows holds data.File.Flows.
var Flows = &Table[data.Flow]{
	Name: "flows",
	Cols: []string{"supplier", "recipient", "year", "tiv"},
	Fields: func(a []any, f *data.Flow) []any {
		return append(a, &f.Supplier, &f.Recipient, &f.Year, &f.TIV)
	},
	Checks: flowChecks,
}

// Deals holds data.File.Deals; DeliveryYears is stored as text (see Years).
var Deals = &Table[data.Deal]{
	Name: "deals",
	Cols: []string{"legacy_id", "supplier", "supplier_kind", "recipient", "recipient_kind",
		"order_year", "order_year_uncertain", "number_ordered", "has_number_ordered", "number_ordered_uncertain",
		"designation", "description", "number_delivered", "has_number_delivered", "number_delivered_uncertain",
		"delivery_years", "delivery_from", "delivery_to", "status", "status_uncertain",
		"recipient_involvement", "comments", "has_tiv", "tiv_per_unit", "tiv_order", "tiv_delivered", "tiv_order_unknown"},
	Fields: func(a []any, d *data.Deal) []any {
		return append(a, &d.LegacyID, &d.Supplier, &d.SupplierKind, &d.Recipient, &d.RecipientKind,
			&d.OrderYear, &d.OrderYearUncertain, &d.NumberOrdered, &d.HasNumberOrdered, &d.NumberOrderedUncertain,
			&d.Designation, &d.Description, &d.NumberDelivered, &d.HasNumberDelivered, &d.NumberDeliveredUncertain,
			(*Years)(&d.DeliveryYears), &d.DeliveryFrom, &d.DeliveryTo, &d.Status, &d.StatusUncertain,
			&d.RecipientInvolvement, &d.Comments, &d.HasTIV, &d.TIVPerUnit, &d.TIVOrder, &d.TIVDelivered, &d.TIVOrderUnknown)
	},
	Wide: []string{"legacy_id"},
}

// TIVValues holds data.File.TIVValues; an empty supplier, recipient or
// category stands for all of them.
var TIVValues = &Table[data.TIVValue]{
	Name: "tiv_values",
	Cols: []string{"supplier", "recipient", "category", "year", "tiv", "small"},
	Fields: func(a []any, v *data.TIVValue) []any {
		return append(a, &v.Supplier, &v.Recipient, &v.Category, &v.Year, &v.TIV, &v.Small)
	},
	Checks: map[string]string{"year": yearCheck},
}

// Indicators holds data.File.Indicators.
var Indicators = &Table[data.IndicatorValue]{
	Name: "indicators",
	Cols: []string{"country_name", "country_code", "indicator", "indicator_name", "year", "value", "aggregate"},
	Fields: func(a []any, v *data.IndicatorValue) []any {
		return append(a, &v.CountryName, &v.CountryCode, &v.Indicator, &v.IndicatorName, &v.Year, &v.Value, &v.Aggregate)
	},
}

// Events holds data.File.Events (not Event.Also, which only lists of
// events fill).
var Events = &Table[data.Event]{
	Name: "events",
	Cols: []string{"date", "precision", "date_note", "side_a", "side_b", "actors", "type", "place", "summary",
		"source", "source_id", "code", "source_url", "num_sources", "num_articles", "is_root"},
	Fields: func(a []any, e *data.Event) []any {
		return append(a, &e.Date, &e.Precision, &e.DateNote, &e.SideA, &e.SideB, &e.Actors, &e.Type,
			&e.Place, &e.Summary, &e.Source, &e.SourceID, &e.Code, &e.SourceURL, &e.NumSources, &e.NumArticles, &e.Root)
	},
	Checks: map[string]string{"num_sources": "num_sources >= 0", "num_articles": "num_articles >= 0"},
	// 0 and FALSE, "not known", for the rows stored before.
	Added: map[string]int{"num_sources": 3, "num_articles": 3, "is_root": 3},
}

// EventKeyCols are the columns of the events table that no field of
// data.Event fills: derived from the rows, so that the stores count and
// list each event once (data.Event.Key) without grouping every row at
// every count.
//
//	event_key    data.Event.Key().ID(): rows with equal keys are one event
//	is_first     the event's first row in stored order (oldest import
//	             first, then file order); counts and lists read these
//	ev_sources   the row's weight, at least 1: its NumSources (NumArticles);
//	ev_articles  on an event's first row, the most of all its rows, the
//	             event's data.Event.Sources (Articles)
//
// Batches fills them from the rows of one file; the stores correct the
// first rows and their weights where one event's rows are in several
// datasets (data/internal/sqlstore), whose migration 5 adds the columns.
var EventKeyCols = []string{"event_key", "is_first", "ev_sources", "ev_articles"}

// eventBatch is the Batch of events: the columns of Events, then
// EventKeyCols, first rows and weights taken within rows.
func eventBatch(rows []data.Event) Batch {
	keys := make([]string, len(rows))
	first := make([]bool, len(rows))
	sources, articles := make([]int, len(rows)), make([]int, len(rows))
	at := map[string]int{}
	for i, r := range rows {
		keys[i] = r.Key().ID()
		sources[i], articles[i] = max(1, r.NumSources), max(1, r.NumArticles)
		j, seen := at[keys[i]]
		if !seen {
			at[keys[i]], first[i] = i, true
			continue
		}
		sources[j], articles[j] = max(sources[j], sources[i]), max(articles[j], articles[i])
	}
	b := batch(Events, rows)
	b.Cols = append(append([]string(nil), Events.Cols...), EventKeyCols...)
	values := b.Values
	b.Values = func(dst []any, i int) []any {
		return append(values(dst, i), keys[i], first[i], sources[i], articles[i])
	}
	return b
}

// Figures holds data.File.Figures.
var Figures = &Table[data.Figure]{
	Name: "figures",
	Cols: []string{"measure", "supplier", "recipient", "year_from", "year_to", "percent", "approximate",
		"quote", "publisher", "vintage", "vintage_note", "source"},
	Fields: func(a []any, f *data.Figure) []any {
		return append(a, &f.Measure, &f.Supplier, &f.Recipient, &f.From, &f.To, &f.Percent,
			&f.Approximate, &f.Quote, &f.Publisher, &f.Vintage, &f.VintageNote, &f.Source)
	},
}

// Equipment holds data.File.Equipment.
var Equipment = &Table[data.Equipment]{
	Name: "equipment",
	Cols: []string{"name", "kind", "supplier", "user", "service", "relation", "quote", "source"},
	Fields: func(a []any, e *data.Equipment) []any {
		return append(a, &e.Name, &e.Kind, &e.Supplier, &e.User, &e.Service, &e.Relation, &e.Quote, &e.Source)
	},
}

// Skipped holds data.File.Skipped, by value (see Batches).
var Skipped = &Table[data.ParseError]{
	Name: "skipped",
	Cols: []string{"file", "line", "column", "column_number", "msg"},
	Fields: func(a []any, e *data.ParseError) []any {
		return append(a, &e.File, &e.Line, &e.Column, &e.ColumnNumber, &e.Msg)
	},
	Checks: map[string]string{"column_number": "column_number >= 0"},
	// 0, "not known", for the rows stored before.
	Added: map[string]int{"column_number": 2},
}

// Create returns the CREATE TABLE statement of t, made as CreateTables
// makes those of the first migration, for a table a later migration adds
// (PackedRows).
func (t *Table[T]) Create(ddl DDL) string { return t.create(ddl) }

// table is a Table of any row type, for what does not touch rows.
type table interface {
	name() string
	create(ddl DDL) string
	addColumns(ddl DDL, migration int) string
}

func (t *Table[T]) name() string { return t.Name }

// tables lists every table holding a dataset's rows, in the order the
// stores create, fill and read them. Deliveries is read only to pack the
// rows stores kept before deliveries were packed (PackedDeliveries).
var tables = []table{Deliveries, Flows, Deals, TIVValues, Indicators, Events, Figures, Equipment, Skipped}

// derived lists the tables holding rows derived from a dataset's at
// import, each created by a later migration.
var derived = []table{PackedRows}

// Names lists every table holding a dataset's rows, in the order of
// tables, then the derived ones.
var Names = func() []string {
	var out []string
	for _, t := range append(tables[:len(tables):len(tables)], derived...) {
		out = append(out, t.name())
	}
	return out
}()

// Batch is the rows of one table from one file, whatever their Go type:
// what an engine's Import writes.
type Batch struct {
	Table string   // the SQL table
	Cols  []string // its columns after dataset_id
	Len   int      // how many rows
	// Values appends to dst the column values of row i, as Table.Values
	// gives them, and returns the extended slice.
	Values func(dst []any, i int) []any
}

// batch returns rows of t as a Batch.
func batch[T any](t *Table[T], rows []T) Batch {
	return Batch{Table: t.Name, Cols: t.Cols, Len: len(rows),
		Values: func(dst []any, i int) []any { return t.Values(dst, &rows[i]) }}
}

// Batches returns the rows of f by table (events with EventKeyCols), then
// the records packed from them, in the order of Names, leaving out the
// tables f has no rows for. Deliveries are not rows but packed records
// (Packed): the deliveries themselves (PackDeliveries) and, for a
// listing, their details (data.SumDetails) and flows (PackListing), packed
// at once on two processors. Skipped rows are stored by value, nil entries
// left out. It fails only on deliveries PackDeliveries refuses.
func Batches(f *data.File) ([]Batch, error) {
	var skipped []data.ParseError
	for _, pe := range f.Skipped {
		if pe != nil {
			skipped = append(skipped, *pe)
		}
	}
	packed, err := PackedRecords(f)
	if err != nil {
		return nil, err
	}
	all := []Batch{batch(Flows, f.Flows), batch(Deals, f.Deals),
		batch(TIVValues, f.TIVValues), batch(Indicators, f.Indicators), eventBatch(f.Events),
		batch(Figures, f.Figures), batch(Equipment, f.Equipment), batch(Skipped, skipped), batch(PackedRows, packed)}
	out := all[:0]
	for _, b := range all {
		if b.Len > 0 {
			out = append(out, b)
		}
	}
	return out, nil
}

// PackedRecords returns the records packed from the deliveries of f:
// none when it has none; the deliveries (PackedDeliveries); and for a
// listing also their details and flows (PackListing).
func PackedRecords(f *data.File) ([]Packed, error) {
	if len(f.Deliveries) == 0 {
		return nil, nil
	}
	var (
		wg      sync.WaitGroup
		listing []Packed
	)
	if data.FlowSourceOf(f.Dataset.Format) == data.FlowsFromDeliveries {
		wg.Go(func() { listing = PackListing(data.SumDetails(f.Deliveries)) })
	}
	b, err := PackDeliveries(f.Deliveries)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	return append([]Packed{{Kind: PackedDeliveries, Body: b}}, listing...), nil
}

// RowCounts returns, by table, how many rows of f an import writes to
// it, without packing anything: packed records are not counted.
func RowCounts(f *data.File) map[string]int {
	return map[string]int{Flows.Name: len(f.Flows), Deals.Name: len(f.Deals), TIVValues.Name: len(f.TIVValues),
		Indicators.Name: len(f.Indicators), Events.Name: len(f.Events), Figures.Name: len(f.Figures),
		Equipment.Name: len(f.Equipment), Skipped.Name: len(f.Skipped)}
}

// Years is data.Deal.DeliveryYears as stored: text such as "2010;2012",
// "" for none.
type Years []int

// Value returns ys.String().
func (ys Years) Value() (driver.Value, error) { return ys.String(), nil }

// String writes ys as "2010;2012"; nil gives "".
func (ys Years) String() string {
	var b strings.Builder
	for i, y := range ys {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(y))
	}
	return b.String()
}

// Scan reads text written by Value (a string or bytes); "" gives nil.
func (ys *Years) Scan(src any) error {
	var s string
	switch src := src.(type) {
	case string:
		s = src
	case []byte:
		s = string(src)
	default:
		return fmt.Errorf("delivery_years: cannot scan %T", src)
	}
	*ys = nil
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := make(Years, len(parts))
	for i, p := range parts {
		y, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("delivery_years %q: %w", s, err)
		}
		out[i] = y
	}
	*ys = out
	return nil
}

// EventRowLimit is the most event rows an engine's Snapshot loads:
// data.SnapshotEventLimit. It is a variable only so that data/storetest can
// lower it to test a truncated snapshot without importing that many rows.
var EventRowLimit = data.SnapshotEventLimit

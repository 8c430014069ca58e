package rowtable

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// checkFields reports a table whose Fields do not give one distinct,
// non-nil pointer per column.
func checkFields[T any](t *testing.T, tbl *Table[T]) {
	t.Helper()
	var r T
	fs := tbl.Fields(nil, &r)
	if len(fs) != len(tbl.Cols) {
		t.Errorf("%s: %d fields for %d columns", tbl.Name, len(fs), len(tbl.Cols))
	}
	if got := len(tbl.Values(nil, &r)); got != len(tbl.Cols) {
		t.Errorf("%s: %d values for %d columns", tbl.Name, got, len(tbl.Cols))
	}
	for i, f := range fs {
		if f == nil || slices.Index(fs, f) != i {
			t.Errorf("%s: field %d (%s) is nil or repeated", tbl.Name, i, tbl.Cols[i])
		}
	}
	for col := range tbl.Checks {
		if !slices.Contains(tbl.Cols, col) {
			t.Errorf("%s: check on %s, not a column", tbl.Name, col)
		}
	}
	for col, m := range tbl.Added {
		if !slices.Contains(tbl.Cols, col) || m < 2 {
			t.Errorf("%s: %s added by migration %d: not a column, or not a later migration", tbl.Name, col, m)
		}
	}
	for _, col := range tbl.Wide {
		if i := slices.Index(tbl.Cols, col); i < 0 {
			t.Errorf("%s: wide column %s is not a column", tbl.Name, col)
		} else if _, ok := fs[i].(*int); !ok {
			t.Errorf("%s: wide column %s holds a %T, not an int", tbl.Name, col, fs[i])
		}
	}
}

func TestFields(t *testing.T) {
	checkFields(t, Deliveries)
	checkFields(t, Flows)
	checkFields(t, Deals)
	checkFields(t, TIVValues)
	checkFields(t, Indicators)
	checkFields(t, Events)
	checkFields(t, Figures)
	checkFields(t, Equipment)
	checkFields(t, Skipped)
	checkFields(t, PackedRows)
	if len(Names) != 10 {
		t.Errorf("Names has %d tables, want 10", len(Names))
	}
}

func TestYears(t *testing.T) {
	for _, tt := range []struct {
		name string
		ys   Years
		text string
	}{
		{"none", nil, ""},
		{"one", Years{2010}, "2010"},
		{"several", Years{2010, 2012, 2013}, "2010;2012;2013"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v driver.Valuer = tt.ys
			got, err := v.Value()
			if err != nil || got != tt.text {
				t.Fatalf("Value() = %v, %v; want %q", got, err, tt.text)
			}
			for _, src := range []any{tt.text, []byte(tt.text)} {
				back := Years{1}
				if err := back.Scan(src); err != nil {
					t.Fatalf("Scan(%#v): %v", src, err)
				}
				if !slices.Equal(back, tt.ys) || (back == nil) != (tt.ys == nil) {
					t.Errorf("Scan(%#v) = %#v, want %#v", src, back, tt.ys)
				}
			}
		})
	}
	for _, bad := range []any{"2010;x", nil, int64(2010)} {
		var ys Years
		if err := ys.Scan(bad); err == nil {
			t.Errorf("Scan(%#v) = %v, want an error", bad, ys)
		}
	}
}

func TestCreateTables(t *testing.T) {
	ddl := DDL{
		Types: Types{Text: "T", Int: "I32", Int64: "I64", Float: "F", Bool: "B", Bytes: "Y"},
		Head:  []string{"head H"},
		Tail:  []string{"tail X"},
		Extra: map[string][]string{"events": {"extra E"}},
	}
	sql := CreateTables(ddl) + PackedRows.Create(ddl) // the derived tables come later
	stmts := strings.SplitAfter(strings.TrimSpace(sql), ");")
	if len(stmts) != len(Names)+1 || strings.TrimSpace(stmts[len(Names)]) != "" {
		t.Fatalf("%d statements; want one per table:\n%s", len(stmts)-1, sql)
	}
	for i, name := range Names {
		stmt := strings.TrimSpace(stmts[i])
		if !strings.HasPrefix(stmt, "CREATE TABLE "+name+" (\n\tdataset_id I64 NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n\thead H,") ||
			!strings.HasSuffix(stmt, ",\n\ttail X\n);") {
			t.Errorf("table %s:\n%s\nwant dataset_id, the head first and the tail last", name, stmt)
		}
		if strings.Contains(stmt, "extra E") != (name == "events") {
			t.Errorf("table %s:\n%s\nwant the extra column in events only", name, stmt)
		}
	}
	for _, want := range []string{
		`"deal_id" I64 NOT NULL,`,                                 // wide
		`"supplier" T NOT NULL CHECK (supplier <> ''),`,           // string, checked
		`"order_year_estimate" B NOT NULL,`,                       // bool
		`"tiv" F NOT NULL,`,                                       // float64
		`"supplier_kind" T NOT NULL,`,                             // data.PartyKind
		`"delivery_years" T NOT NULL,`,                            // Years
		`"year" I32 NOT NULL CHECK (year BETWEEN 1900 AND 2100),`, // int, checked
		`"column" T NOT NULL,`,                                    // a keyword, quoted
	} {
		if !strings.Contains(sql, want) {
			t.Errorf("no column defined as %s in\n%s", want, sql)
		}
	}
}

// TestAddColumns: a column added by a later migration is left out of the
// first and added, with a default, by its own.
func TestAddColumns(t *testing.T) {
	ddl := DDL{Types: Types{Text: "T", Int: "I32", Int64: "I64", Float: "F", Bool: "B"}}
	if sql := CreateTables(ddl); strings.Contains(sql, "column_number") {
		t.Errorf("the first migration creates skipped.column_number, added by the second:\n%s", sql)
	}
	want := "ALTER TABLE skipped ADD COLUMN \"column_number\" I32 NOT NULL DEFAULT 0 CHECK (column_number >= 0);\n"
	if got := AddColumns(ddl, 2); got != want {
		t.Errorf("AddColumns(2) = %q; want %q", got, want)
	}
	want = "ALTER TABLE events ADD COLUMN \"num_sources\" I32 NOT NULL DEFAULT 0 CHECK (num_sources >= 0);\n" +
		"ALTER TABLE events ADD COLUMN \"num_articles\" I32 NOT NULL DEFAULT 0 CHECK (num_articles >= 0);\n" +
		"ALTER TABLE events ADD COLUMN \"is_root\" B NOT NULL DEFAULT FALSE;\n"
	if got := AddColumns(ddl, 3); got != want {
		t.Errorf("AddColumns(3) = %q; want %q", got, want)
	}
	for _, m := range []int{0, 1, 4} {
		if got := AddColumns(ddl, m); got != "" {
			t.Errorf("AddColumns(%d) = %q; want nothing", m, got)
		}
	}
	for _, tt := range []struct {
		field any
		want  string
	}{{new(string), "''"}, {new(Years), "''"}, {new(int), "0"}, {new(float64), "0"}, {new(bool), "FALSE"}} {
		if got := zeroLiteral(tt.field); got != tt.want {
			t.Errorf("default of a %T = %s; want %s", tt.field, got, tt.want)
		}
	}
}

func TestBatches(t *testing.T) {
	f := &data.File{
		Dataset:    data.Dataset{Format: data.FormatSIPRIDeliveries},
		Deliveries: []data.Delivery{{DealID: 1, Supplier: "A", Recipient: "B", Year: 2001, TIV: 2}, {DealID: 2, Supplier: "A", Recipient: "B", Year: 2001, TIV: 3, YearEstimate: true}}, Flows: []data.Flow{{Year: 2000}}, Deals: []data.Deal{{LegacyID: 3}},
		TIVValues: []data.TIVValue{{TIV: 1}}, Indicators: []data.IndicatorValue{{Value: 2}}, Events: []data.Event{{Date: "2020"}},
		Figures: []data.Figure{{Percent: 3}}, Equipment: []data.Equipment{{Name: "x"}},
		Skipped: []*data.ParseError{nil, {Line: 4}, nil},
	}
	bs, err := Batches(f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range bs {
		names = append(names, b.Table)
	}
	if want := slices.DeleteFunc(slices.Clone(Names), func(n string) bool { return n == Deliveries.Name }); !slices.Equal(names, want) {
		t.Fatalf("Batches give tables %v; want %v (deliveries packed)", names, want)
	}
	packed, skipped := bs[8], bs[7]
	if skipped.Len != 1 {
		t.Errorf("%d skipped rows; want 1 (nil entries left out)", skipped.Len)
	}
	if got := skipped.Values(nil, 0); got[1] != 4 {
		t.Errorf("skipped row values = %v; want line 4", got)
	}
	// The deliveries, packed; the listing's deliveries summed as
	// SumDetails sums them, packed.
	kinds := []string{PackedDeliveries, PackedDetails, PackedFlows}
	body := func(i int) []byte { return packed.Values(nil, i)[1].([]byte) }
	if packed.Len != 3 || packed.Values(nil, 0)[0] != kinds[0] || packed.Values(nil, 1)[0] != kinds[1] || packed.Values(nil, 2)[0] != kinds[2] {
		t.Fatalf("%d packed records; want %v", packed.Len, kinds)
	}
	if got, err := UnpackDeliveries(body(0)); err != nil || !slices.Equal(got, f.Deliveries) {
		t.Errorf("packed deliveries %+v, %v; want %+v", got, err, f.Deliveries)
	}
	want := []data.FlowDetail{{Supplier: "A", Recipient: "B", Year: 2001, TIV: 5, EstimatedTIV: 3}}
	if got, err := UnpackDetails(body(1)); err != nil || !slices.Equal(got, want) {
		t.Errorf("packed details %+v, %v; want %+v", got, err, want)
	}
	flows, est, err := UnpackFlows(body(2))
	if wantFlows := []data.Flow{{Supplier: "A", Recipient: "B", Year: 2001, TIV: 5}}; err != nil || !slices.Equal(flows, wantFlows) || !slices.Equal(est, []float64{3}) {
		t.Errorf("packed flows %+v, estimated %v, %v; want %+v, [3]", flows, est, err, wantFlows)
	}
	if bs, err := Batches(&data.File{Dataset: data.Dataset{Format: data.FormatFlows}, Flows: f.Flows}); err != nil || len(bs) != 1 || bs[0].Table != "flows" {
		t.Errorf("Batches of a flows file = %+v, %v; want flows only", bs, err)
	}
	f.Deliveries[1].Recipient = ""
	if _, err := Batches(f); err == nil || err.Error() != "delivery 2 of 2: no recipient" {
		t.Errorf("a delivery without recipient: err = %v; want it named", err)
	}
}

func TestPackDetails(t *testing.T) {
	details := []data.FlowDetail{
		{Supplier: "China", Recipient: "Pakistan", Year: 2015, Category: "Aircraft", Status: "New", TIV: 0.1 + 0.2, EstimatedTIV: 0.1},
		{Supplier: "China", Recipient: "Pakistan", Year: 2015, Category: "Ships", Status: "Second hand", LocalProduction: true, TIV: 1e300},
		{Supplier: "Côte d'Ivoire", Recipient: "", Year: -3, TIV: math.Inf(1), EstimatedTIV: -0.0},
		{Supplier: "Pakistan", Recipient: "China", Year: 2100, Category: "Aircraft", Status: "New", TIV: 5},
		{Supplier: "Pakistan", Recipient: "China", Year: 2101, Category: "Aircraft", Status: "New", TIV: 12.345, EstimatedTIV: 12.345},
		{Supplier: "Pakistan", Recipient: "China", Year: 2102, Category: "Aircraft", Status: "New", TIV: 12.345, EstimatedTIV: 0.5},
		{Supplier: "Pakistan", Recipient: "China", Year: 2103, TIV: math.NaN(), EstimatedTIV: 1.0 / 3},
	}
	b := PackDetails(details)
	// NaN is not equal to itself: compare its bits.
	nan := func(ds []data.FlowDetail) []data.FlowDetail {
		ds = slices.Clone(ds)
		for i := range ds {
			if math.IsNaN(ds[i].TIV) {
				ds[i].TIV = 42
			}
		}
		return ds
	}
	if got, err := UnpackDetails(b); err != nil || !math.IsNaN(got[len(got)-1].TIV) || !slices.Equal(nan(got), nan(details)) {
		t.Fatalf("UnpackDetails(PackDetails(d)) = %+v, %v; want %+v", got, err, details)
	}
	details = details[:len(details)-1]
	b = PackDetails(details)
	got, err := UnpackDetails(b)
	if err != nil || !slices.Equal(got, details) {
		t.Fatalf("UnpackDetails(PackDetails(d)) = %+v, %v; want %+v", got, err, details)
	}
	if got, err := UnpackDetails(PackDetails(nil)); err != nil || got != nil {
		t.Errorf("no details: %+v, %v; want none, no error", got, err)
	}
	// Every cut, and a byte more, is an error, never a panic or fewer rows.
	for n := range len(b) {
		if got, err := UnpackDetails(b[:n]); err == nil {
			t.Fatalf("cut at %d of %d bytes: %d details, no error", n, len(b), len(got))
		}
	}
	if _, err := UnpackDetails(append(b[:len(b):len(b)], 0)); err == nil {
		t.Error("a byte after the checksum: no error")
	}
	flipped := slices.Clone(b)
	flipped[len(packMagic)+3] ^= 1
	if err := CheckPacked(flipped); err == nil {
		t.Error("a bit changed: the checksum holds")
	}
}

// TestPackDeliveries: deliveries read back exactly, whatever their text
// and numbers, the unit TIVs of a row before left out; every cut is an
// error; refused deliveries are named.
func TestPackDeliveries(t *testing.T) {
	ds := []data.Delivery{
		{DealID: 7, Supplier: "China", Recipient: "Pakistan", Designation: "JF-17", Description: "FGA aircraft", Category: "Aircraft",
			OrderYear: 1999, OrderYearEstimate: true, Number: 6, NumberEstimate: true, Year: 2007, YearEstimate: true, Status: "New",
			TIVUnitNew: 15, TIVUnit: 15, TIV: 90, LocalProduction: true},
		{DealID: 7, Supplier: "China", Recipient: "Pakistan", Designation: "JF-17", Description: "FGA aircraft", Category: "Aircraft",
			OrderYear: 1999, Number: 8, Year: 2008, Status: "New", TIVUnitNew: 15, TIVUnit: 15, TIV: 0.1 + 0.2},
		{DealID: 1 << 40, Supplier: "Côte d'Ivoire", Recipient: "unknown recipient(s)", Year: 2100, Status: "Second hand",
			TIVUnitNew: 15, TIVUnit: 6, TIV: 1e300, Number: -1, OrderYear: -5},
		{DealID: -2, Supplier: "A", Recipient: "B", Year: 1900, TIVUnitNew: math.Copysign(0, -1), TIVUnit: math.NaN()},
	}
	b, err := PackDeliveries(ds)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnpackDeliveries(b)
	if err != nil || len(got) != len(ds) {
		t.Fatalf("UnpackDeliveries(PackDeliveries(ds)) = %d deliveries, %v; want %d", len(got), err, len(ds))
	}
	for i := range ds {
		g, w := got[i], ds[i]
		if math.Float64bits(g.TIVUnit) != math.Float64bits(w.TIVUnit) || math.Float64bits(g.TIVUnitNew) != math.Float64bits(w.TIVUnitNew) {
			t.Errorf("delivery %d: unit TIVs %v, %v; want %v, %v", i+1, g.TIVUnitNew, g.TIVUnit, w.TIVUnitNew, w.TIVUnit)
		}
		g.TIVUnit, w.TIVUnit = 0, 0
		if g != w {
			t.Errorf("delivery %d = %+v; want %+v", i+1, g, w)
		}
	}
	if again, _ := PackDeliveries(ds[1:2]); len(again) >= len(b) {
		t.Errorf("one delivery packs to %d bytes, four to %d", len(again), len(b))
	}
	if got, err := UnpackDeliveries(mustPack(t, nil)); err != nil || got != nil {
		t.Errorf("no deliveries: %+v, %v; want none, no error", got, err)
	}
	for n := range len(b) {
		if got, err := UnpackDeliveries(b[:n]); err == nil {
			t.Fatalf("cut at %d of %d bytes: %d deliveries, no error", n, len(b), len(got))
		}
	}
	if _, err := UnpackDetails(b); err == nil {
		t.Error("deliveries read as details: no error")
	}
	for _, c := range []struct {
		edit func(*data.Delivery)
		want string
	}{
		{func(d *data.Delivery) { d.Supplier = "" }, "delivery 3 of 4: no supplier"},
		{func(d *data.Delivery) { d.Year = 1899 }, "delivery 3 of 4: year 1899 is not between 1900 and 2100"},
	} {
		bad := slices.Clone(ds)
		c.edit(&bad[2])
		if _, err := PackDeliveries(bad); err == nil || err.Error() != c.want {
			t.Errorf("err = %v; want %q", err, c.want)
		}
	}
}

func mustPack(t *testing.T, ds []data.Delivery) []byte {
	t.Helper()
	b, err := PackDeliveries(ds)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzUnpackDeliveries decodes what follows the header, checksummed, so
// that the decoder, not the checksum, meets the input.
func FuzzUnpackDeliveries(f *testing.F) {
	b, err := PackDeliveries([]data.Delivery{{DealID: 1, Supplier: "A", Recipient: "B", Year: 2000, TIV: 1}, {DealID: 1, Supplier: "A", Recipient: "B", Year: 2001, TIV: 2}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[len(packDeliveriesMagic) : len(b)-4])
	f.Fuzz(func(t *testing.T, body []byte) {
		b := append([]byte(packDeliveriesMagic), body...)
		b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
		ds, err := UnpackDeliveries(b)
		if err != nil {
			return
		}
		for i := range ds { // PackDeliveries refuses what no reader makes
			ds[i].Supplier, ds[i].Recipient, ds[i].Year = "A", "B", 2000
		}
		if again, err := UnpackDeliveries(mustPack(t, ds)); err != nil || len(again) != len(ds) {
			t.Fatalf("repacked: %d deliveries, %v; want %d", len(again), err, len(ds))
		}
	})
}

// TestUnpackDetailsV1: a record of the first layout, which stores made
// before keep, reads as it was written.
func TestUnpackDetailsV1(t *testing.T) {
	details := []data.FlowDetail{
		{Supplier: "China", Recipient: "Pakistan", Year: 2015, Category: "Aircraft", Status: "New", TIV: 0.1 + 0.2, EstimatedTIV: 0.1},
		{Supplier: "China", Recipient: "Pakistan", Year: 2016, Category: "Ships", Status: "New", LocalProduction: true, TIV: 7},
	}
	w := recordWriter{}
	for _, d := range details { // the first layout: flags, then both TIVs' bits
		w.str(0, d.Supplier)
		w.str(1, d.Recipient)
		w.str(2, d.Category)
		w.str(3, d.Status)
		w.rows = binary.AppendVarint(w.rows, int64(d.Year))
		w.rows = append(w.rows, flags(d.LocalProduction))
		w.float(d.TIV)
		w.float(d.EstimatedTIV)
	}
	b := w.finish(packMagicV1, len(details))
	if got, err := UnpackDetails(b); err != nil || !slices.Equal(got, details) || CheckPacked(b) != nil {
		t.Errorf("first layout: %+v, %v (check %v); want %+v", got, err, CheckPacked(b), details)
	}
	if len(PackDetails(details)) >= len(b) {
		t.Errorf("the second layout is %d bytes, the first %d; want fewer", len(PackDetails(details)), len(b))
	}
}

// FuzzUnpackDetails decodes what follows the header, checksummed, so
// that the decoder, not the checksum, meets the input.
func FuzzUnpackDetails(f *testing.F) {
	b := PackDetails([]data.FlowDetail{{Supplier: "A", Recipient: "B", Year: 2000, TIV: 1}})
	f.Add(b[len(packMagic) : len(b)-4])
	f.Fuzz(func(t *testing.T, body []byte) {
		b := append([]byte(packMagic), body...)
		b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
		ds, err := UnpackDetails(b)
		if err != nil {
			return
		}
		if again, err := UnpackDetails(PackDetails(ds)); err != nil || len(again) != len(ds) {
			t.Fatalf("repacked: %d details, %v; want %d", len(again), err, len(ds))
		}
	})
}

// TestEventBatch: the events batch carries each row's key, whether it is
// the first of its event in the file, and its weights, the event's on its
// first row.
func TestEventBatch(t *testing.T) {
	g := func(id, a, b string, sources, articles int) data.Event {
		return data.Event{Date: "2016-10-13", SideA: a, SideB: b, Type: "agreement", SourceID: id, Code: "057", SourceURL: "u",
			NumSources: sources, NumArticles: articles}
	}
	rows := []data.Event{g("1", "India", "Russia", 1, 3), g("2", "China", "Pakistan", 0, 0), g("3", "Russia", "India", 2, 1)}
	var b Batch
	bs, err := Batches(&data.File{Events: rows})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range bs {
		if x.Table == "events" {
			b = x
		}
	}
	if n := len(Events.Cols); b.Len != 3 || !slices.Equal(b.Cols[n:], EventKeyCols) {
		t.Fatalf("batch of %d rows, columns %q", b.Len, b.Cols)
	}
	var got []string
	for i := range b.Len {
		v := b.Values(nil, i)[len(Events.Cols):]
		got = append(got, fmt.Sprint(v[0] == rows[i].Key().ID(), v[1:]))
	}
	want := []string{"true [true 2 3]", "true [true 1 1]", "true [false 2 1]"}
	if !slices.Equal(got, want) {
		t.Errorf("key, first, weights: %q; want %q", got, want)
	}
}

package rowtable

import (
	"database/sql/driver"
	"slices"
	"testing"
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
	if len(Names) != 9 {
		t.Errorf("Names has %d tables, want 9", len(Names))
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

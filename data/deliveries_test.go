package data

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestReadDeliveriesInParts: a listing read in many parts at once gives
// what one pass gives: the rows in file order, and the bad lines, blank
// lines and Windows-1252 text across the cuts, with their line numbers.
func TestReadDeliveriesInParts(t *testing.T) {
	var b strings.Builder
	b.WriteString("Data generated: 12 Feb 2026 12:26:12 PM;\r\n" + strings.Join(deliveriesHeader, ",") + ";\r\n")
	for i := range 400 {
		switch {
		case i%97 == 5:
			b.WriteString(";\r\n")
		case i%61 == 7:
			fmt.Fprintf(&b, "%d,China,Pakistan,X,y,Aircraft,2001,No,1,No,20x%d,No,New,1,1,1,No;\r\n", i+1, i%10)
		default:
			fmt.Fprintf(&b, "%d,China,Pakistan,JF-17 \xe9%d,FGA aircraft,Aircraft,%d,Yes,%d,No,%d,Yes,New,15,15,%d.25,No;\r\n",
				i/3+1, i%7, 1990+i%9, i%5, 2000+i%20, i)
		}
	}
	in := []byte(b.String())
	defer func(parts func() (int, int)) { deliveryParts = parts }(deliveryParts)
	for _, skip := range []bool{false, true} {
		deliveryParts = func() (int, int) { return 1, 1 << 20 }
		one, oneErr := ReadDeliveries("x.csv", in, Options{SkipBad: skip})
		deliveryParts = func() (int, int) { return 7, 64 }
		parts, partsErr := ReadDeliveries("x.csv", in, Options{SkipBad: skip})
		if fmt.Sprint(oneErr) != fmt.Sprint(partsErr) {
			t.Fatalf("skip %v: in parts, err = %v; in one pass, %v", skip, partsErr, oneErr)
		}
		if !skip {
			if oneErr == nil || !strings.Contains(oneErr.Error(), `x.csv:10: column 11 "Delivery year": "20x7" is not a year`) {
				t.Errorf("err = %v; want line 10 named", oneErr)
			}
			continue
		}
		if !reflect.DeepEqual(one, parts) || len(one.Deliveries) != 388 || len(one.Skipped) != 7 {
			t.Fatalf("in parts: %d rows, %d skipped; in one pass: %d, %d; want 388 and 7, equal", len(parts.Deliveries), len(parts.Skipped),
				len(one.Deliveries), len(one.Skipped))
		}
		if d := one.Deliveries[387]; d.Designation != "JF-17 é0" || d.DealID != 134 || d.TIV != 399.25 {
			t.Errorf("last row %+v; want deal 134, JF-17 é0, TIV 399.25", d)
		}
	}
}

const listingPath = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"

func TestReadDeliveriesFullListing(t *testing.T) {
	f, err := ReadDeliveries("all.csv", readShared(t, listingPath), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(f.Deliveries), 25024; got != want {
		t.Errorf("rows = %d, want %d", got, want)
	}
	if f.Dataset.Vintage != "2026-02-12" {
		t.Errorf("vintage = %q, want 2026-02-12", f.Dataset.Vintage)
	}
	// First data row: 55238,Albania,Burkina Faso,PM-43 120mm,mortar,Artillery,2011,Yes,12,No,2011,No,Second hand,0.25,0.1,1.2,No;
	first := f.Deliveries[0]
	want := Delivery{DealID: 55238, Supplier: "Albania", Recipient: "Burkina Faso", Designation: "PM-43 120mm",
		Description: "mortar", Category: "Artillery", OrderYear: 2011, OrderYearEstimate: true, Number: 12,
		Year: 2011, Status: "Second hand", TIVUnitNew: 0.25, TIVUnit: 0.1, TIV: 1.2}
	if first != want {
		t.Errorf("first row = %+v, want %+v", first, want)
	}
	// Sums by delivery year, 2017–2021 (checked with awk on the file).
	var chinaPak, pakAll, chinaAll float64
	maxYear := 0
	for _, d := range f.Deliveries {
		maxYear = max(maxYear, d.Year)
		if d.Year < 2017 || d.Year > 2021 {
			continue
		}
		if d.Supplier == "China" {
			chinaAll += d.TIV
		}
		if d.Recipient == "Pakistan" {
			pakAll += d.TIV
		}
		if d.Supplier == "China" && d.Recipient == "Pakistan" {
			chinaPak += d.TIV
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"China→Pakistan", chinaPak, 3026.63}, {"Pakistan imports", pakAll, 4020.2}, {"China exports", chinaAll, 6586.76}} {
		if math.Abs(c.got-c.want) > 1e-6 {
			t.Errorf("%s 2017–2021 = %.4f, want %.2f", c.name, c.got, c.want)
		}
	}
	// The preamble says 1995–2025 but deliveries end in 2024.
	if maxYear != 2024 {
		t.Errorf("last delivery year = %d, want 2024", maxYear)
	}
}

func TestReadDeliveriesExcerpt(t *testing.T) {
	f, err := ReadDeliveries("excerpt.csv", readShared(t, "sipri_deliveries_by_year/excerpt.csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Deliveries) != 60 {
		t.Errorf("rows = %d, want 60", len(f.Deliveries))
	}
	if f.Dataset.Vintage != "" {
		t.Errorf("excerpt has no preamble, vintage = %q", f.Dataset.Vintage)
	}
	n := 0
	for _, d := range f.Deliveries {
		if d.Supplier == "China" && d.Recipient == "Pakistan" {
			n++
		}
	}
	if n != 23 {
		t.Errorf("China→Pakistan rows = %d, want 23 (README)", n)
	}
}

const deliveriesHead = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;\r\n"

func TestReadDeliveriesErrors(t *testing.T) {
	good := "1,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,New,15,15,75,Yes;\r\n"
	for _, c := range []struct {
		name, body string
		want       []string // substrings of the error, in order
	}{
		{"bad number", good + "2,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,New,15,15,12.5x,Yes;\r\n",
			[]string{`x.csv:3: column 16 "TIV delivery values": "12.5x" is not a non-negative number`}},
		{"bad year", good + "2,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,20x2,No,New,15,15,7,Yes;\r\n",
			[]string{`x.csv:3: column 11 "Delivery year": "20x2" is not a year`}},
		{"truncated record", good + "2,China,Pakistan,JF-17\r\n", []string{"x.csv:3: has 4 fields; expected 17"}},
		{"truncated file", good + "2,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,New,15,15,7,No", []string{"x.csv:3: does not end with ';'"}},
		{"bad status", good + "2,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,Used,15,15,7,Yes;\r\n",
			[]string{`x.csv:3: column 13 "Status": "Used" is not New`}},
		{"every bad row reported", "2,China,Pakistan,a,b,c,2010,No,5,No,2012,No,New,15,15,x,No;\r\n" + good + "3,China,Pakistan,a,b,c,2010,Maybe,5,No,2012,No,New,15,15,1,No;\r\n",
			[]string{`x.csv:2: column 16 "TIV delivery values"`, `x.csv:4: column 8 "Order date is estimate": "Maybe" is not Yes, No or empty`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadDeliveries("x.csv", []byte(deliveriesHead+c.body), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range c.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q does not contain %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

func TestReadDeliveriesSkipBad(t *testing.T) {
	body := deliveriesHead + "1,China,Pakistan,a,b,c,2010,No,5,No,2012,No,New,15,15,75,No;\r\n2,China,Pakistan,a,b,c,2010,No,5,No,2012,No,New,15,15,x,No;\r\n"
	f, err := ReadDeliveries("x.csv", []byte(body), Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Deliveries) != 1 || len(f.Skipped) != 1 || f.Skipped[0].Line != 3 {
		t.Errorf("got %d rows, skipped %+v; want 1 row and line 3 skipped", len(f.Deliveries), f.Skipped)
	}
}

func TestReadDeliveriesNotAListing(t *testing.T) {
	for _, body := range []string{"", "hello\n", "SIPRI AT Database ID,Supplier\n"} {
		_, err := ReadDeliveries("x.csv", []byte(body), Options{})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line < 1 || pe.File != "x.csv" {
			t.Errorf("%q: error %v, want a *ParseError with file and line", body, err)
		}
	}
}

func TestDecodeTextMixedEncodings(t *testing.T) {
	// Line 1 is UTF-8 ("ü" as C3 BC), line 2 Windows-1252 ("ü" as FC).
	_, err := decodeText("x.csv", []byte("M\xc3\xbcnchen\nM\xfcnchen\n"))
	if err == nil || !strings.Contains(err.Error(), "x.csv:1: mixed text encodings") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("error = %v, want mixed encodings naming lines 1 and 2", err)
	}
	s, err := decodeText("x.csv", []byte("Guaiquer\xed\n"))
	if err != nil || s != "Guaiquerí\n" {
		t.Fatalf("Windows-1252 text decoded as %q, %v", s, err)
	}
}

func FuzzReadDeliveries(f *testing.F) {
	f.Add([]byte(deliveriesHead + "1,China,Pakistan,JF-17,fighter,Aircraft,2010,No,5,No,2012,No,New,15,15,75,Yes;\r\n"))
	f.Add([]byte("Data generated: 12 Feb 2026 12:26:12 PM;\r\n" + deliveriesHead + "x,,,,\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ReadDeliveries("fuzz.csv", b, Options{})
		checkParseError(t, err)
	})
}

func BenchmarkReadDeliveries(b *testing.B) {
	raw := readShared(b, listingPath)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDeliveries("all.csv", raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

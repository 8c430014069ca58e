package dashboard

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// The trade registers in shared data.
const (
	allRegister   = "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv"
	chinaRegister = "sipri_trade_register/china_supplier_2000-2025_cp1252.csv"
	legacyReport  = "sipri_register_legacy/trade_register_report_c2013.csv"
)

// readShared reads a shared file with data.Read (skipping bad rows, as
// the legacy report has one), skipping the test when it is absent.
func readShared(t *testing.T, rel string) (*data.File, []byte) {
	t.Helper()
	path := shareddata.Path(t, rel)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := data.Read(filepath.Base(path), b, data.Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	return f, b
}

// registersDashboard is the dashboard of a snapshot holding files as trade
// registers, ordered as data.DealEntries orders them.
func registersDashboard(files ...*data.File) *Dashboard {
	var es []data.Entry
	for i, f := range files {
		es = append(es, data.Entry{Dataset: f.Dataset, ID: int64(i + 1)})
	}
	snap := &data.Snapshot{}
	for _, e := range data.DealEntries(es) {
		snap.DealSets = append(snap.DealSets, data.DealSet{Dataset: e.Dataset, Deals: files[e.ID-1].Deals})
	}
	return New(snap)
}

// TestOrdersRealRegister checks the orders and backlog of pairs in
// SIPRI's whole trade register (generated 13 Mar 2025) against sums of
// the raw file, and China → Pakistan against the figures of the issue:
// 27,231.58 million TIV ordered, a backlog of 6,338.60 over 15 deals.
func TestOrdersRealRegister(t *testing.T) {
	f, raw := readShared(t, allRegister)
	r := registersDashboard(f).Deals().Registers[0]
	for _, c := range []struct{ supplier, recipient string }{{"China", "Pakistan"}, {"France", "India"}, {"Soviet Union", "India"}, {"United States", "Israel"}} {
		t.Run(c.supplier+" to "+c.recipient, func(t *testing.T) {
			ordered, backlog, n, byYear := shareddata.PairOrders(t, raw, c.supplier, c.recipient)
			o, err := r.Orders(c.supplier, c.recipient)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(o.OrderedTIV-ordered) > 1e-6 || math.Abs(o.BacklogTIV-backlog) > 1e-6 || len(o.Backlog) != n {
				t.Errorf("ordered %.2f, backlog %.2f over %d deals; the raw file gives %.2f, %.2f over %d", o.OrderedTIV, o.BacklogTIV, len(o.Backlog), ordered, backlog, n)
			}
			if o.Deals != r.Count(c.supplier, c.recipient) || o.Deals == 0 {
				t.Errorf("%d deals; the register holds %d", o.Deals, r.Count(c.supplier, c.recipient))
			}
			sum := o.NoOrderYearTIV
			for _, y := range o.ByOrderYear {
				sum += y.TIV
				if math.Abs(y.TIV-byYear[y.Year]) > 1e-6 {
					t.Errorf("ordered in %d: %.2f; the raw file gives %.2f", y.Year, y.TIV, byYear[y.Year])
				}
			}
			if math.Abs(sum-o.OrderedTIV) > 1e-6 {
				t.Errorf("the years add up to %.2f, not the %.2f ordered", sum, o.OrderedTIV)
			}
			for _, b := range o.Backlog {
				if b.Backlog <= 0 || math.Abs(b.Backlog-(b.Deal.TIVOrder-b.Deal.TIVDelivered)) > 1e-9 {
					t.Errorf("deal %s (%d): backlog %v", b.Deal.Designation, b.Deal.OrderYear, b.Backlog)
				}
			}
			if c.supplier == "China" {
				if got := [3]string{strconv.FormatFloat(o.OrderedTIV, 'f', 2, 64), strconv.FormatFloat(o.BacklogTIV, 'f', 2, 64), strconv.Itoa(len(o.Backlog))}; got != [3]string{"27231.58", "6338.60", "15"} {
					t.Errorf("China → Pakistan: %q; the issue gives 27231.58 ordered, 6338.60 backlog over 15 deals", got)
				}
				if got := [3]string{strconv.FormatFloat(ordered, 'f', 2, 64), strconv.FormatFloat(backlog, 'f', 2, 64), strconv.Itoa(n)}; got != [3]string{"27231.58", "6338.60", "15"} {
					t.Errorf("the raw file's China → Pakistan sums %q differ from the issue's", got)
				}
			}
		})
	}
}

// TestOrdersLegacy checks that a register without order columns says
// which columns are missing.
func TestOrdersLegacy(t *testing.T) {
	f, _ := readShared(t, legacyReport)
	_, err := registersDashboard(f).Deals().Registers[0].Orders("China", "Pakistan")
	var nd *NotDrawableError
	if !errors.As(err, &nd) || !strings.Contains(nd.Msg, "“SIPRI TIV for total order” and “SIPRI TIV of delivered weapons”") || !strings.Contains(nd.Msg, "trade_register_report_c2013.csv") {
		t.Errorf("err %v; want a NotDrawableError naming the register and the missing columns", err)
	}
}

// TestRegisterFor checks which register a pair's deals come from: the
// newest that holds the pair, so that SIPRI's register of China's exports
// (generated 2026) does not hide France → India, which only the register
// of all suppliers (generated 2025) holds; then the legacy report.
func TestRegisterFor(t *testing.T) {
	all, _ := readShared(t, allRegister)
	china, _ := readShared(t, chinaRegister)
	legacy, _ := readShared(t, legacyReport)
	idx := registersDashboard(legacy, all, china).Deals()
	if got := idx.Names(); !slices.Equal(got, []string{china.Dataset.Name, all.Dataset.Name, legacy.Dataset.Name}) {
		t.Fatalf("registers %q; want the China register, the whole one, the legacy report", got)
	}
	for _, c := range []struct {
		supplier, recipient, want string
	}{
		{"China", "Pakistan", china.Dataset.Name},
		{"France", "India", all.Dataset.Name},
		{"Soviet Union", "India", all.Dataset.Name},
		{"Atlantis", "India", china.Dataset.Name}, // none holds it: the preferred one
	} {
		if got := idx.RegisterFor(c.supplier, c.recipient).Set.Dataset.Name; got != c.want {
			t.Errorf("%s → %s: %s; want %s", c.supplier, c.recipient, got, c.want)
		}
	}
	for _, c := range []struct {
		raw, want, chosen string
		invalid           bool
	}{
		{"", all.Dataset.Name, "", false},
		{all.Dataset.Name, all.Dataset.Name, "", false}, // the default for the pair: no parameter
		{china.Dataset.Name, china.Dataset.Name, china.Dataset.Name, false},
		{"nosuch.csv", all.Dataset.Name, "", true},
	} {
		p := ParamsFrom(map[string]string{"register": c.raw})
		r, chosen := idx.ParseRegister(p, "France", "India")
		invalid, _ := p.Finish()
		if r.Set.Dataset.Name != c.want || chosen != c.chosen || (len(invalid) > 0) != c.invalid {
			t.Errorf("register=%s: %s, chosen %q, %v; want %s, %q", c.raw, r.Set.Dataset.Name, chosen, invalid, c.want, c.chosen)
		}
	}
	// France → India's deals of the whole register, by an independent scan.
	_, raw := readShared(t, allRegister)
	n := bytes.Count(raw, []byte("\nIndia,France,"))
	if got := len(idx.RegisterFor("France", "India").Deals("France", "India")); got != n || n == 0 {
		t.Errorf("France → India: %d deals; the file has %d lines", got, n)
	}
	// The deals of states that no longer exist with India.
	var soviet PairCount
	for _, pc := range idx.RegisterFor("Soviet Union", "India").HistoricPartners("Russia", "India") {
		if pc.Supplier == "Soviet Union" {
			soviet = pc
		}
		if !historic(pc.Supplier) && !historic(pc.Recipient) {
			t.Errorf("%+v names no historic state", pc)
		}
	}
	if want := bytes.Count(raw, []byte("\nIndia,Soviet Union,")); soviet.Deals != want || want == 0 {
		t.Errorf("Soviet Union → India: %d deals listed; the file has %d", soviet.Deals, want)
	}
}

// TestDealListed checks which deals a period lists under each value of
// parameter deals.
func TestDealListed(t *testing.T) {
	ordered2000 := &data.Deal{OrderYear: 2000, DeliveryYears: []int{2003, 2006}, DeliveryFrom: 2003, DeliveryTo: 2006}
	legacy := &data.Deal{OrderYear: 1999, DeliveryFrom: 2001, DeliveryTo: 2007}
	pending := &data.Deal{OrderYear: 2021}
	undated := &data.Deal{}
	cases := []struct {
		d        *data.Deal
		from, to int
		want     map[string]bool // by value of deals
	}{
		{ordered2000, 2000, 2002, map[string]bool{DealsEither: true, DealsOrdered: true, DealsDelivered: false, DealsAll: true}},
		{ordered2000, 2004, 2005, map[string]bool{DealsEither: false, DealsOrdered: false, DealsDelivered: false, DealsAll: true}}, // between two deliveries
		{ordered2000, 2006, 2010, map[string]bool{DealsEither: true, DealsOrdered: false, DealsDelivered: true, DealsAll: true}},
		{legacy, 2004, 2005, map[string]bool{DealsEither: true, DealsOrdered: false, DealsDelivered: true, DealsAll: true}}, // inside the range
		{legacy, 2008, 2010, map[string]bool{DealsEither: false, DealsOrdered: false, DealsDelivered: false, DealsAll: true}},
		{pending, 2020, 2024, map[string]bool{DealsEither: true, DealsOrdered: true, DealsDelivered: false, DealsAll: true}},
		{undated, 1950, 2100, map[string]bool{DealsEither: false, DealsOrdered: false, DealsDelivered: false, DealsAll: true}},
	}
	for i, c := range cases {
		for in, want := range c.want {
			if got := DealListed(c.d, in, c.from, c.to); got != want {
				t.Errorf("case %d, deals=%s, %d–%d: %v; want %v", i, in, c.from, c.to, got, want)
			}
		}
	}
}

// TestParseDeals checks the deals query: any pair a register holds, the
// deals of historic states included; an open period by default; bad
// values named.
func TestParseDeals(t *testing.T) {
	all, _ := readShared(t, allRegister)
	d := registersDashboard(all)
	for _, c := range []struct {
		raw     map[string]string
		want    DealsQuery
		invalid []string // parameters named
	}{
		{nil, DealsQuery{Supplier: "China", Recipient: "Pakistan", In: DealsEither}, nil},
		{map[string]string{"supplier": "USSR", "recipient": "india"}, DealsQuery{Supplier: "Soviet Union", Recipient: "India", In: DealsEither}, nil},
		{map[string]string{"supplier": "Czechoslovakia", "recipient": "India", "from": "1960", "to": "1969", "deals": "ordered"},
			DealsQuery{Supplier: "Czechoslovakia", Recipient: "India", From: 1960, To: 1969, In: DealsOrdered}, nil},
		{map[string]string{"supplier": "Narnia", "from": "1990", "to": "1980", "deals": "some"},
			DealsQuery{Supplier: "China", Recipient: "Pakistan", In: DealsEither}, []string{"supplier", "from", "deals"}},
	} {
		p := ParamsFrom(c.raw)
		r, q, err := d.ParseDeals(p)
		if err != nil || r == nil {
			t.Fatal(err)
		}
		invalid, _ := p.Finish()
		if named := paramsOf(invalid); q != c.want || !slices.Equal(named, c.invalid) {
			t.Errorf("%v: %+v, invalid %q; want %+v, %q", c.raw, q, named, c.want, c.invalid)
		}
	}
	p := ParamsFrom(map[string]string{"deals": "evry"})
	if _, _, err := d.ParseDeals(p); err != nil {
		t.Fatal(err)
	}
	invalid, _ := p.Finish()
	if len(invalid) != 1 || !strings.Contains(invalid[0].Error(), "deals=evry is not one of either, ordered, delivered, all") || !slices.Equal(invalid[0].Known, DealsChoices) {
		t.Errorf("deals=evry: %v; want the known values named", invalid)
	}
	if _, _, err := New(&data.Snapshot{}).ParseDeals(NewParams(nil)); err != ErrNoRegister {
		t.Errorf("no register loaded: %v; want ErrNoRegister", err)
	}
}

// paramsOf names the parameters of invalid, in order.
func paramsOf(invalid []*InvalidParamError) []string {
	var out []string
	for _, e := range invalid {
		out = append(out, e.Param)
	}
	return out
}

package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

// The trade registers in shared data.
const (
	allRegisterRel   = "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv"
	chinaRegisterRel = "sipri_trade_register/china_supplier_2000-2025_cp1252.csv"
)

// sharedRegister returns the path and bytes of a register in shared data.
func sharedRegister(t *testing.T, rel string) (string, []byte) {
	t.Helper()
	path := shareddata.Path(t, rel)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, raw
}

// ordersJSON is the part of /api/v1/orders the tests read.
type ordersJSON struct {
	Supplier         string  `json:"supplier"`
	Recipient        string  `json:"recipient"`
	OrderedTIV       float64 `json:"ordered_tiv"`
	BacklogTIV       float64 `json:"backlog_tiv"`
	DealsWithBacklog []struct {
		OrderYear   *int    `json:"order_year"`
		Designation string  `json:"designation"`
		TIVOrder    float64 `json:"tiv_order"`
		Delivered   float64 `json:"tiv_delivered"`
		Backlog     float64 `json:"backlog_tiv"`
	} `json:"deals_with_backlog"`
	ByOrderYear []struct {
		Year int     `json:"year"`
		TIV  float64 `json:"tiv"`
	} `json:"by_order_year"`
	Datasets []struct {
		Name    string `json:"name"`
		Vintage string `json:"vintage"`
	} `json:"datasets"`
}

// getOrders requests /api/v1/orders?query and decodes it.
func getOrders(t *testing.T, h http.Handler, query string) ordersJSON {
	t.Helper()
	_, body := getOK(t, h, "/api/v1/orders?"+query)
	var o ordersJSON
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		t.Fatalf("JSON: %v\n%s", err, body)
	}
	return o
}

// TestOrdersAPIRealRegisters checks /api/v1/orders against sums of the
// raw registers (shareddata.PairOrders): the register of a pair is the
// newest that holds it, so China → Pakistan comes from the register of
// China's exports (generated 2026-07-14) and France → India from the
// register of every supplier (generated 2025-03-13); register= names the
// latter for China → Pakistan, whose figures the issue gives: 27,231.58
// million TIV ordered and a backlog of 6,338.60 over 15 deals.
func TestOrdersAPIRealRegisters(t *testing.T) {
	allPath, allRaw := sharedRegister(t, allRegisterRel)
	chinaPath, chinaRaw := sharedRegister(t, chinaRegisterRel)
	h := dealsServer(t, dealsFlows, allPath, chinaPath)
	all := filepath.Base(allPath)
	for _, c := range []struct {
		query               string
		raw                 []byte
		supplier, recipient string
		register, vintage   string
	}{
		{"supplier=China&recipient=Pakistan", chinaRaw, "China", "Pakistan", filepath.Base(chinaPath), "2026-07-14"},
		{"supplier=China&recipient=Pakistan&register=" + url.QueryEscape(all), allRaw, "China", "Pakistan", all, "2025-03-13"},
		{"supplier=France&recipient=India", allRaw, "France", "India", all, "2025-03-13"},
		{"supplier=USSR&recipient=india", allRaw, "Soviet Union", "India", all, "2025-03-13"},
	} {
		t.Run(c.query, func(t *testing.T) {
			ordered, backlog, n, byYear := shareddata.PairOrders(t, c.raw, c.supplier, c.recipient)
			o := getOrders(t, h, c.query)
			if o.Supplier != c.supplier || o.Recipient != c.recipient || len(o.Datasets) != 1 || o.Datasets[0].Name != c.register || o.Datasets[0].Vintage != c.vintage {
				t.Fatalf("%s → %s from %+v; want %s → %s from %s (%s)", o.Supplier, o.Recipient, o.Datasets, c.supplier, c.recipient, c.register, c.vintage)
			}
			if math.Abs(o.OrderedTIV-ordered) > 1e-6 || math.Abs(o.BacklogTIV-backlog) > 1e-6 || len(o.DealsWithBacklog) != n {
				t.Errorf("ordered %.2f, backlog %.2f over %d deals; the raw file gives %.2f, %.2f over %d", o.OrderedTIV, o.BacklogTIV, len(o.DealsWithBacklog), ordered, backlog, n)
			}
			if len(o.ByOrderYear) != len(byYear) {
				t.Errorf("%d years of order; the raw file has %d", len(o.ByOrderYear), len(byYear))
			}
			for _, y := range o.ByOrderYear {
				if math.Abs(y.TIV-byYear[y.Year]) > 1e-6 {
					t.Errorf("ordered in %d: %.2f; the raw file gives %.2f", y.Year, y.TIV, byYear[y.Year])
				}
			}
			sum := 0.0
			for _, d := range o.DealsWithBacklog {
				sum += d.Backlog
				if d.Backlog <= 0 || math.Abs(d.Backlog-(d.TIVOrder-d.Delivered)) > 1e-6 {
					t.Errorf("deal %s: backlog %v of %v ordered, %v delivered", d.Designation, d.Backlog, d.TIVOrder, d.Delivered)
				}
			}
			if math.Abs(sum-o.BacklogTIV) > 1e-6 {
				t.Errorf("the deals' backlogs add up to %.2f, not %.2f", sum, o.BacklogTIV)
			}
			if c.register == all && c.supplier == "China" {
				got := fmt.Sprintf("%.2f %.2f %d", o.OrderedTIV, o.BacklogTIV, len(o.DealsWithBacklog))
				if want := fmt.Sprintf("%.2f %.2f %d", ordered, backlog, n); got != "27231.58 6338.60 15" || want != got {
					t.Errorf("China → Pakistan: %s; the issue gives 27231.58 6338.60 15, the raw file %s", got, want)
				}
			}
		})
	}
	for _, c := range []struct{ query, param, says string }{
		{"supplier=China&recipient=Pakistan&register=nosuch.csv", "register", "loaded: " + filepath.Base(chinaPath) + ", " + all},
		{"supplier=Chna&recipient=Pakistan", "supplier", "did you mean “China”"},
		{"supplier=China&recipient=Pakistan&from=2000", "from", "takes no such parameter"},
	} {
		res, body := get(t, h, "/api/v1/orders?"+c.query)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(text(body), "Parameter "+c.param) || !strings.Contains(text(body), c.says) {
			t.Errorf("%s: status %d, want 400 naming %s and saying %q\n%s", c.query, res.StatusCode, c.param, c.says, body)
		}
	}
}

// TestOrdersOnDyadPage checks the orders section and chart of the pair
// page against the raw register: the section's totals and deals with a
// backlog, and the chart's orders by year of order in the page's period.
func TestOrdersOnDyadPage(t *testing.T) {
	allPath, allRaw := sharedRegister(t, allRegisterRel)
	h := dealsServer(t, dealsFlows, allPath)
	ordered, backlog, n, byYear := shareddata.PairOrders(t, allRaw, "China", "Pakistan")
	_, body := getOK(t, h, "/dyad?"+dyadQ)
	sec := sectionOf(t, body, "orders")
	for _, want := range []string{fmt.Sprintf("Pakistan ordered %s million TIV of arms from China in", millions(ordered)),
		fmt.Sprintf("the backlog, ordered but not delivered by the register's date, is %s million TIV in %d deals", millions(backlog), n),
		"SIPRI Arms Transfers Database, generated 2025-03-13", "not money"} {
		if !strings.Contains(sec.Text, want) {
			t.Errorf("the orders section does not say %q:\n%s", want, sec.Text)
		}
	}
	if !strings.Contains(sec.Text, "27,231.58") || !strings.Contains(sec.Text, "6,338.60") || len(sec.Rows) != 15 {
		t.Errorf("the orders section lists %d deals with a backlog; want 27,231.58 ordered, 6,338.60 backlog over 15:\n%s", len(sec.Rows), sec.Text)
	}
	o := chartOptions(t, body, "chart-dyad-orders")
	dr := drawnOf(t, o)
	if len(dr.x) != 2024-1995+1 || len(dr.values) != 2 {
		t.Fatalf("orders chart: %d years, %d series; want 30 and 2", len(dr.x), len(dr.values))
	}
	for i, x := range dr.x {
		y, _ := strconv.Atoi(x)
		if v, want := dr.values[0][i], strconv.FormatFloat(round(byYear[y], 2), 'f', -1, 64); v != want {
			t.Errorf("ordered in %d drawn as %s; the raw file gives %s", y, v, want)
		}
	}
	if strings.Contains(text(body), "holds no deal") || strings.Contains(text(body), "No SIPRI trade register is loaded") {
		t.Error("the page says a register is missing or holds no deal")
	}
}

// TestOrdersNoOrderColumns checks that a register without order columns
// (SIPRI's legacy report) makes the orders section, the chart and the
// API say which columns are missing.
func TestOrdersNoOrderColumns(t *testing.T) {
	h := dealsServer(t, dealsFlows, legacyRegister)
	const missing = "has no order columns: it is SIPRI's legacy register report, without “SIPRI TIV for total order” and “SIPRI TIV of delivered weapons”"
	_, body := getOK(t, h, "/dyad?"+dyadQ)
	if sec := sectionOf(t, body, "orders"); !strings.Contains(sec.Text, "register_legacy_small.csv (SIPRI Arms Transfers Database, undated) "+missing) {
		t.Errorf("the orders section does not name what is missing:\n%s", sec.Text)
	}
	if strings.Count(text(body), missing) != 1 {
		t.Errorf("the page says %d times what is missing; want once, in the orders section", strings.Count(text(body), missing))
	}
	for _, target := range []string{"/api/v1/orders?supplier=China&recipient=Pakistan", "/dyad/orders.csv?" + dyadQ} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(text(body), missing) {
			t.Errorf("%s: status %d, want 404 naming the missing columns\n%s", target, res.StatusCode, body)
		}
	}
}

// section is one h2 section of a page as a browser reads it.
type section struct {
	Text string
	Rows [][]string // the rows of its tables' bodies
}

// sectionOf returns the section of body headed by the h2 with the given
// id, up to the next h2.
func sectionOf(t *testing.T, body, id string) section {
	t.Helper()
	d := dealsOfID(t, body, id)
	return section{Text: d.Text, Rows: d.Rows}
}

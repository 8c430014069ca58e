package web

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/armsdash/armsdash/internal/shareddata"
)

// dealsFlows is the built-in extract of SIPRI's per-delivery-year listing
// (Pakistan's imports from every supplier): the flows the dyad page
// needs before it shows any deal.
const dealsFlows = "../data/builtin/sipri_china_pakistan.csv"

// Fixtures in web/testdata: hand-made deals in the layouts of SIPRI's
// current trade register export (Windows-1252, with its preamble) and of
// the legacy register report.
const (
	smallRegister   = "testdata/register_small_cp1252.csv"
	legacyRegister  = "testdata/register_legacy_small.csv"
	hostileRegister = "testdata/register_hostile.csv"
)

// dealsServer imports files (paths relative to this package) into a new
// SQLite store, in order, and serves its snapshot.
func dealsServer(t testing.TB, files ...string) http.Handler {
	t.Helper()
	return importedServer(t, files...).Handler()
}

// dealsSection is the "Deals in the trade register" section of a dyad
// page as a browser reads it.
type dealsSection struct {
	Text string     // all text of the section, entities decoded
	Head []string   // the table's column headings; nil without a table
	Rows [][]string // the table's cells
	CSV  string     // href of the CSV link, "" for none
}

// dealsOf parses body and returns its deals section: everything after the
// h2 with id "deals" up to the next h2.
func dealsOf(t *testing.T, body string) dealsSection {
	t.Helper()
	return dealsOfID(t, body, "deals")
}

// dealsOfID parses body and returns the section after the h2 with the
// given id, up to the next h2; CSV is its link to a deals CSV.
func dealsOfID(t *testing.T, body, id string) dealsSection {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var h2 *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "h2" && nodeAttr(n, "id") == id {
			h2 = n
			break
		}
	}
	if h2 == nil {
		t.Fatalf("the page has no section h2#%s", id)
	}
	var sec dealsSection
	var text strings.Builder
	for n := h2.NextSibling; n != nil && !(n.Type == html.ElementNode && n.Data == "h2"); n = n.NextSibling {
		for d := range n.Descendants() {
			switch {
			case d.Type == html.TextNode:
				text.WriteString(d.Data)
			case d.Type == html.ElementNode && d.Data == "th" && d.Parent.Parent.Data == "thead":
				sec.Head = append(sec.Head, textOf(d))
			case d.Type == html.ElementNode && d.Data == "tr" && d.Parent.Data == "tbody":
				var row []string
				for td := range d.ChildNodes() {
					row = append(row, textOf(td))
				}
				sec.Rows = append(sec.Rows, row)
			case d.Type == html.ElementNode && d.Data == "a" && (strings.HasPrefix(nodeAttr(d, "href"), "/dyad/deals.csv") || strings.HasPrefix(nodeAttr(d, "href"), "/deals.csv")):
				sec.CSV = nodeAttr(d, "href")
			}
		}
		text.WriteString(" ")
	}
	sec.Text = text.String()
	return sec
}

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// checkCSVMatchesTable checks that the CSV at sec.CSV holds the table's
// rows: supplier and recipient, each row's cells, then the register's
// name; and that its header names every column, with unit, source and
// vintage on the TIV ones.
func checkCSVMatchesTable(t *testing.T, h http.Handler, sec dealsSection, supplier, recipient, register, vintage string) [][]string {
	t.Helper()
	if sec.CSV == "" {
		t.Fatal("no CSV link beside the table")
	}
	res, body := getOK(t, h, sec.CSV)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	recs := parseCSV(t, body)
	if len(recs) != len(sec.Rows)+1 {
		t.Fatalf("CSV has %d records, want a header and the table's %d rows", len(recs), len(sec.Rows))
	}
	head := recs[0]
	if head[0] != "supplier" || head[1] != "recipient" || !strings.HasPrefix(head[len(head)-1], "register dataset (SIPRI Arms Transfers Database") {
		t.Fatalf("CSV header %q does not match the table's %q", head, sec.Head)
	}
	// Where each table column is in the CSV, and whether a column
	// "NAME uncertain" follows it.
	col, marked := make([]int, len(sec.Head)), make([]bool, len(sec.Head))
	j := 2
	for i, h := range sec.Head {
		name, _, _ := strings.Cut(h, " (")
		if j >= len(head) || !strings.HasPrefix(head[j], name) {
			t.Fatalf("CSV header %q does not follow the table's %q at %q", head, sec.Head, h)
		}
		if strings.HasPrefix(name, "TIV") && !strings.Contains(head[j], "SIPRI TIV (millions); SIPRI Arms Transfers Database generated "+vintage) {
			t.Errorf("CSV column %q names no unit, source and vintage", head[j])
		}
		col[i] = j
		j++
		if j < len(head) && head[j] == name+" uncertain" {
			marked[i] = true
			j++
		}
	}
	if j != len(head)-1 {
		t.Errorf("CSV header %q has columns the table %q lacks", head, sec.Head)
	}
	if strings.Contains(strings.Join(head, ","), "$") {
		t.Errorf("the CSV header mentions $ (TIV is not money): %q", head)
	}
	marks := 0
	for i, rec := range recs[1:] {
		if len(rec) != len(head) || rec[0] != supplier || rec[1] != recipient || rec[len(rec)-1] != register {
			t.Errorf("CSV row %d = %q", i+1, rec)
			continue
		}
		for k, cell := range sec.Rows[i] {
			got := rec[col[k]]
			if !marked[k] {
				if got != cell {
					t.Errorf("CSV row %d, %s = %q, the table's is %q", i+1, sec.Head[k], got, cell)
				}
				continue
			}
			figure, uncertain := strings.CutSuffix(cell, "?")
			if got != figure || rec[col[k]+1] != strconv.FormatBool(uncertain) || strings.Contains(got, "?") {
				t.Errorf("CSV row %d, %s = %q, uncertain %q; the table shows %q", i+1, sec.Head[k], got, rec[col[k]+1], cell)
			}
			if uncertain {
				marks++
			}
		}
	}
	if len(recs) > 1 && marks == 0 && strings.Contains(fmt.Sprint(sec.Rows), "?") {
		t.Error("no uncertain figure reached the CSV's flag columns")
	}
	return recs
}

func TestDyadDealsTable(t *testing.T) {
	h := dealsServer(t, dealsFlows, smallRegister)
	_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan")
	sec := dealsOf(t, body)
	wantHead := []string{"Year of order", "Number ordered", "Weapon designation", "Weapon description",
		"Number delivered", "Year(s) of delivery", "Status", "TIV per unit (SIPRI TIV (millions))",
		"TIV of the order (SIPRI TIV (millions))", "TIV delivered (SIPRI TIV (millions))", "Comments"}
	if !slices.Equal(sec.Head, wantHead) {
		t.Errorf("columns %q\nwant %q", sec.Head, wantHead)
	}
	// The fixture's China→Pakistan rows, by year of order, then
	// designation ignoring case ("air…" before "C-802"); the rows of
	// other pairs, the reverse direction included, are left out.
	want := [][]string{
		{"1999?", "4", "F-22P", "frigate", "4", "2009; 2010; 2013", "New", "200", "800", "800", "Zulfiquar class"},
		{"1999", "50?", "JF-17 Thunder", "FGA aircraft", "50?", "2007; 2008; 2009", "New", "17.5", "875", "875", "Block-1 version; developed for Pakistan"},
		{"2015", "4", "air refuel system", "air refuel system", "4", "2017", "Second hand", "1", "4", "4", "For 4 Il-78 tankers from Ukraine"},
		{"2015?", "80?", "C-802", "anti-ship missile", "0", "", "New", "0.9", "72", "0", "For Type-041 submarines"},
		{"2015?", "8", "Type-041", "submarine", "0", "", "New", "300", "2400", "0", "Hangor class; 4 to be produced in Pakistan"},
		{"2019?", "1?", "HQ-9", "SAM system", "1", "2021", "New", "47", "47", "47", "HQ-9/P version"},
		{"2021", "", "Wing Loong-2", "armed UAV", "3?", "2022; 2023", "Second hand but modernized", "4", "", "12", "Number ordered not yet known; Müller test of cp1252"},
	}
	if len(sec.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(sec.Rows), len(want), sec.Rows)
	}
	for i := range want {
		if !slices.Equal(sec.Rows[i], want[i]) {
			t.Errorf("row %d = %q\nwant %q", i+1, sec.Rows[i], want[i])
		}
	}
	for _, s := range []string{"register_small_cp1252.csv", "SIPRI Arms Transfers Database, generated 2025-03-13",
		"Source: SIPRI Arms Transfers Database (c) SIPRI", "not money"} {
		if !strings.Contains(sec.Text, s) {
			t.Errorf("the section does not say %q:\n%s", s, sec.Text)
		}
	}
	if strings.Contains(sec.Text, "$") {
		t.Errorf("the section mentions $ (TIV is not money):\n%s", sec.Text)
	}
	checkCSVMatchesTable(t, h, sec, "China", "Pakistan", "register_small_cp1252.csv", "2025-03-13")
	res, _ := getOK(t, h, sec.CSV)
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="armsdash_china_pakistan_deals_2025-03-13.csv"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	// Names are matched as the rest of the page matches them.
	_, lower := getOK(t, h, "/dyad?supplier=china&recipient=pakistan")
	if got := dealsOf(t, lower).Rows; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("supplier=china&recipient=pakistan shows %d rows, want the same %d", len(got), len(want))
	}
}

func TestDyadDealsLegacy(t *testing.T) {
	wantRows := [][]string{
		{"1999", "150?", "JF-17 Thunder/FC-1", "FGA aircraft", "61?", "2007 - 2012", "New", "Developed for Pakistan; incl assembly in Pakistan"},
		{"2001?", "2", "Type-021", "missile boat", "2", "2002 - 2002", "Second hand?", "Ex-Chinese, modernized before delivery"},
		{"2005", "6?", "AS-565SA Panther", "ASW helicopter", "6?", "2009 - 2010", "New", "Z-9EC version"},
		{"2008", "4", "ZDK-03", "AEW&C aircraft", "2?", "2011 - 2012", "New", "Hand-made legacy row"},
	}
	wantHead := []string{"Year of order", "Number ordered", "Weapon designation", "Weapon description",
		"Number delivered", "Year(s) of delivery", "Status", "Comments"}
	for _, c := range []struct {
		name   string
		files  []string
		target string
	}{
		{"only register loaded", []string{dealsFlows, legacyRegister}, "/dyad?supplier=China&recipient=Pakistan"},
		{"chosen over the current one", []string{dealsFlows, smallRegister, legacyRegister},
			"/dyad?supplier=China&recipient=Pakistan&register=register_legacy_small.csv"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := dealsServer(t, c.files...)
			_, body := getOK(t, h, c.target)
			sec := dealsOf(t, body)
			if !slices.Equal(sec.Head, wantHead) {
				t.Errorf("columns %q\nwant %q (no TIV columns)", sec.Head, wantHead)
			}
			if !slices.EqualFunc(sec.Rows, wantRows, slices.Equal) {
				t.Errorf("rows %q\nwant %q", sec.Rows, wantRows)
			}
			for _, s := range []string{"register_legacy_small.csv (SIPRI Arms Transfers Database, undated)", "gives no TIV figures"} {
				if !strings.Contains(sec.Text, s) {
					t.Errorf("the section does not say %q:\n%s", s, sec.Text)
				}
			}
			recs := checkCSVMatchesTable(t, h, sec, "China", "Pakistan", "register_legacy_small.csv", "")
			if strings.Contains(strings.Join(recs[0], ","), "TIV") {
				t.Errorf("legacy CSV header names TIV: %q", recs[0])
			}
			if len(c.files) == 3 {
				if !strings.Contains(sec.CSV, "register=register_legacy_small.csv") {
					t.Errorf("CSV link %q does not keep the register chosen", sec.CSV)
				}
				if !strings.Contains(sec.Text, "Also loaded: register_small_cp1252.csv") {
					t.Errorf("no link to the other register:\n%s", sec.Text)
				}
			}
		})
	}
}

func TestDyadDealsUnknownRegister(t *testing.T) {
	h := dealsServer(t, dealsFlows, smallRegister, legacyRegister)
	_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan&register=nosuch.csv")
	sec := dealsOf(t, body)
	if !strings.Contains(text(body), "Parameter register: no trade register “nosuch.csv” is loaded") {
		t.Errorf("the page does not name the unknown register:\n%s", body)
	}
	if len(sec.Rows) != 7 || !strings.Contains(sec.Text, "register_small_cp1252.csv (SIPRI") {
		t.Errorf("the preferred register's 7 deals are not shown instead (%d rows):\n%s", len(sec.Rows), sec.Text)
	}
	for _, c := range []struct {
		target string
		status int
	}{
		{"/dyad/deals.csv?supplier=China&recipient=Pakistan&register=nosuch.csv", http.StatusBadRequest},
		{"/dyad/deals.csv?supplier=Atlantis&recipient=Pakistan", http.StatusBadRequest},
		{"/dyad/deals.csv?supplier=China&recipient=Pakistan&from=soon", http.StatusBadRequest},
		{"/dyad/deals.csv?supplier=China&recipient=China", http.StatusBadRequest},
		{"/dyad?supplier=China&recipient=Pakistan&register=" + url.QueryEscape("</script><img src=x onerror=alert(1)>"), http.StatusOK},
	} {
		res, body := get(t, h, c.target)
		if res.StatusCode != c.status {
			t.Errorf("GET %s: status %d, want %d", c.target, res.StatusCode, c.status)
		}
		if err := checkHTMLIfHTML(res, body); err != nil {
			t.Errorf("GET %s: %v", c.target, err)
		}
	}
}

// checkHTMLIfHTML runs checkHTML on an HTML response.
func checkHTMLIfHTML(res *http.Response, body string) error {
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return nil
	}
	return checkHTML(body, res.Header.Get("Content-Security-Policy"))
}

func TestDyadDealsNone(t *testing.T) {
	t.Run("pair without deals", func(t *testing.T) {
		h := dealsServer(t, dealsFlows, smallRegister)
		_, body := getOK(t, h, "/dyad?supplier=United+States&recipient=Pakistan")
		sec := dealsOf(t, body)
		if sec.Rows != nil || sec.CSV != "" {
			t.Errorf("a table or CSV link for a pair without deals: %q %q", sec.Rows, sec.CSV)
		}
		if !strings.Contains(sec.Text, "holds no deal from United States to Pakistan") {
			t.Errorf("the section does not say there are no deals:\n%s", sec.Text)
		}
		res, csvBody := getOK(t, h, "/dyad/deals.csv?supplier=United+States&recipient=Pakistan")
		if recs := parseCSV(t, csvBody); len(recs) != 1 || res.Header.Get("Content-Disposition") == "" {
			t.Errorf("CSV for a pair without deals: %d records, want the header only", len(recs))
		}
	})
	t.Run("no register loaded", func(t *testing.T) {
		h := dealsServer(t, dealsFlows)
		_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan")
		sec := dealsOf(t, body)
		if !strings.Contains(sec.Text, "armsdash import -db FILE register.csv") {
			t.Errorf("the section does not say how to add a register:\n%s", sec.Text)
		}
		if res, _ := get(t, h, "/dyad/deals.csv?supplier=China&recipient=Pakistan"); res.StatusCode != http.StatusNotFound {
			t.Errorf("deals CSV without a register: status %d, want 404", res.StatusCode)
		}
	})
}

func TestDyadDealsHostile(t *testing.T) {
	h := dealsServer(t, dealsFlows, hostileRegister)
	res, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan")
	if err := checkHTML(body, res.Header.Get("Content-Security-Policy")); err != nil {
		t.Fatal(err)
	}
	sec := dealsOf(t, body)
	if len(sec.Rows) != 2 {
		t.Fatalf("%d rows, want the fixture's 2", len(sec.Rows))
	}
	// Shown as text, exactly as written.
	for i, want := range [][2]string{{`</script><img src=x onerror=alert(1)>`, `"><svg onload=alert(1)>`}, {`=HYPERLINK("http://x")`, "@SUM(A1)"}} {
		if sec.Rows[i][2] != want[0] || sec.Rows[i][3] != want[1] {
			t.Errorf("row %d shows %q, %q; want %q, %q as text", i+1, sec.Rows[i][2], sec.Rows[i][3], want[0], want[1])
		}
	}
	_, csvBody := getOK(t, h, sec.CSV)
	if err := checkCSV(csvBody); err != nil {
		t.Error(err)
	}
	recs := parseCSV(t, csvBody)
	for _, c := range []struct {
		row  int
		name string
	}{{1, "Weapon designation"}, {2, "Weapon designation"}, {2, "Weapon description"}, {2, "Comments"}, {1, "Comments"}} {
		raw := sec.Rows[c.row-1][slices.Index(sec.Head, c.name)]
		if got, want := recs[c.row][slices.Index(recs[0], c.name)], csvSafe(raw); got != want {
			t.Errorf("CSV row %d, %s = %q, want %q (csvSafe of %q)", c.row, c.name, got, want, raw)
		}
	}
	if got := recs[2][slices.Index(recs[0], "Weapon designation")]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("formula cell written as %q", got)
	}
}

// TestDyadDealsRealRegister checks the China→Pakistan deals of SIPRI's
// whole trade register (generated 13 Mar 2025) against a plain scan of
// the file: the same number of deals, the same years of order and
// designations, the same total TIV delivered, and JF-17 among them.
func TestDyadDealsRealRegister(t *testing.T) {
	path := shareddata.Path(t, "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Independent scan: the file is unquoted with Recipient first and
	// Supplier second; every China→Pakistan record is on one line.
	var want []string // "year of order|designation", sorted
	wantTIV, jf17 := 0.0, 0
	// Deals ordered, and with a delivery, in 2010-2015.
	var ordered, delivered, either int
	for line := range bytes.SplitSeq(raw, []byte("\n")) {
		s := strings.TrimRight(string(line), "\r")
		if !strings.HasPrefix(s, "Pakistan,China,") {
			continue
		}
		f := strings.Split(s, ",")
		if len(f) != 16 {
			t.Fatalf("China→Pakistan line with %d fields: %q", len(f), s)
		}
		want = append(want, f[2]+"|"+f[6])
		if f[15] != "" {
			v, err := strconv.ParseFloat(f[15], 64)
			if err != nil {
				t.Fatalf("TIV delivered %q: %v", f[15], err)
			}
			wantTIV += v
		}
		if strings.HasPrefix(f[6], "JF-17") {
			jf17++
		}
		o := f[2] >= "2010" && f[2] <= "2015"
		d := slices.ContainsFunc(strings.Split(f[10], "; "), func(y string) bool { return y >= "2010" && y <= "2015" })
		for _, c := range []struct {
			n  *int
			in bool
		}{{&ordered, o}, {&delivered, d}, {&either, o || d}} {
			if c.in {
				*c.n++
			}
		}
	}
	if len(want) < 100 || jf17 == 0 {
		t.Fatalf("the scan found %d deals, %d JF-17: is this the whole register?", len(want), jf17)
	}
	slices.Sort(want)

	h := dealsServer(t, dealsFlows, path)
	// The table follows the page's period, listing the deals ordered or
	// delivered in it, ordered in it or delivered in it as asked.
	for _, c := range []struct {
		in   string
		want int
	}{{"", either}, {"&deals=ordered", ordered}, {"&deals=delivered", delivered}} {
		_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan&from=2010&to=2015"+c.in)
		if got := dealsOf(t, body); len(got.Rows) != c.want || c.want == 0 || !strings.Contains(got.Text, fmt.Sprintf("%d of the %d deal(s)", c.want, len(want))) {
			t.Errorf("2010-2015%s: %d deals listed; the file holds %d of %d", c.in, len(got.Rows), c.want, len(want))
		}
	}
	_, body := getOK(t, h, "/dyad?supplier=China&recipient=Pakistan&deals=all")
	sec := dealsOf(t, body)
	if len(sec.Rows) != len(want) {
		t.Fatalf("the page shows %d China→Pakistan deals; the file holds %d", len(sec.Rows), len(want))
	}
	var got []string
	gotTIV, gotJF17, lastYear := 0.0, 0, ""
	for _, r := range sec.Rows {
		year := strings.TrimSuffix(r[0], "?")
		if year < lastYear {
			t.Errorf("row %q is out of order: year of order %s after %s", r, year, lastYear)
		}
		lastYear = year
		got = append(got, year+"|"+r[2])
		if r[9] != "" {
			v, err := strconv.ParseFloat(r[9], 64)
			if err != nil {
				t.Fatalf("TIV delivered cell %q: %v", r[9], err)
			}
			gotTIV += v
		}
		if strings.HasPrefix(r[2], "JF-17") {
			gotJF17++
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("years of order and designations differ from the file's")
	}
	if math.Abs(gotTIV-wantTIV) > 1e-6 {
		t.Errorf("total TIV delivered %g, the file's is %g", gotTIV, wantTIV)
	}
	if gotJF17 != jf17 {
		t.Errorf("%d JF-17 deals shown, the file holds %d", gotJF17, jf17)
	}
	if !strings.Contains(sec.Text, "SIPRI Arms Transfers Database, generated 2025-03-13") {
		t.Errorf("the heading does not give the register's vintage")
	}
	t.Logf("China→Pakistan: %d deals, %d JF-17, %.2f million TIV delivered", len(want), jf17, wantTIV)
	checkCSVMatchesTable(t, h, sec, "China", "Pakistan", filepath.Base(path), "2025-03-13")
}

// TestDealsOfRegisterForPair checks that a pair's deals come from the
// newest register that holds the pair: SIPRI's register of China's
// exports (generated 2026-07-14) for China → Pakistan, and for France →
// India, which it does not hold, the register of every supplier
// (generated 2025-03-13), with as many deals as the raw file has lines.
func TestDealsOfRegisterForPair(t *testing.T) {
	allPath, allRaw := sharedRegister(t, allRegisterRel)
	chinaPath, _ := sharedRegister(t, chinaRegisterRel)
	h := dealsServer(t, dealsFlows, allPath, chinaPath)
	all, china := filepath.Base(allPath), filepath.Base(chinaPath)

	_, body := getOK(t, h, "/dyad?"+dyadQ+"&deals=all")
	sec := dealsOf(t, body)
	if !strings.Contains(sec.Text, china+" (SIPRI Arms Transfers Database, generated 2026-07-14)") || !strings.Contains(sec.Text, "Also loaded: "+all) {
		t.Errorf("China → Pakistan is not shown from the newer register, with a link to the other:\n%s", sec.Text)
	}
	if !strings.Contains(body, "register="+url.QueryEscape(all)) {
		t.Error("the link to the other register does not name it")
	}

	want := 0
	for _, f := range shareddata.RegisterRecords(t, allRaw) {
		if f[1] == "France" && f[0] == "India" {
			want++
		}
	}
	_, body = getOK(t, h, "/deals?supplier=France&recipient=India")
	sec = dealsOf(t, body)
	if len(sec.Rows) != want || want == 0 || !strings.Contains(sec.Text, all+" (SIPRI Arms Transfers Database, generated 2025-03-13)") {
		t.Errorf("France → India: %d deals shown; the register of every supplier holds %d:\n%s", len(sec.Rows), want, sec.Text)
	}
	checkCSVMatchesTable(t, h, sec, "France", "India", all, "2025-03-13")
}

// TestDealsPageHistoricStates checks that the deals of states that no
// longer exist are reachable though the listing starts in 1995: the pair
// page of Pakistan links to the Soviet Union's deals with it, and the
// deals page lists every one of them, or those of a period, as the raw
// file holds them.
func TestDealsPageHistoricStates(t *testing.T) {
	allPath, allRaw := sharedRegister(t, allRegisterRel)
	h := dealsServer(t, dealsFlows, allPath)
	var every, in1960s int // Soviet Union → India: every deal, those ordered in 1960-1969
	soviet := map[string]int{}
	for _, f := range shareddata.RegisterRecords(t, allRaw) {
		if f[1] == "Soviet Union" {
			soviet[f[0]]++
		}
		if f[1] == "Soviet Union" && f[0] == "India" {
			every++
			if f[2] >= "1960" && f[2] <= "1969" {
				in1960s++
			}
		}
	}
	_, body := getOK(t, h, "/dyad?"+dyadQ)
	sec := dealsOf(t, body)
	if link := fmt.Sprintf("Soviet Union → Pakistan (%d deals)", soviet["Pakistan"]); soviet["Pakistan"] == 0 || !strings.Contains(sec.Text, link) {
		t.Errorf("the pair page does not link to %q:\n%s", link, sec.Text)
	}
	if !strings.Contains(text(body), `href="/deals?recipient=Pakistan&supplier=Soviet+Union"`) {
		t.Error("no link to the deals page of Soviet Union → Pakistan")
	}
	for _, c := range []struct {
		query string
		want  int
	}{
		{"supplier=Soviet+Union&recipient=India", every},
		{"supplier=USSR&recipient=india", every},
		{"supplier=Soviet+Union&recipient=India&from=1960&to=1969&deals=ordered", in1960s},
	} {
		_, body := getOK(t, h, "/deals?"+c.query)
		sec := dealsOf(t, body)
		if len(sec.Rows) != c.want || c.want == 0 {
			t.Errorf("%s: %d deals; the raw file holds %d", c.query, len(sec.Rows), c.want)
		}
		if !strings.Contains(text(body), "Soviet Union → India: deals in the trade register") || !strings.Contains(sectionOf(t, body, "orders").Text, "India ordered") {
			t.Errorf("%s: no heading or orders section", c.query)
		}
	}
	_, body = getOK(t, h, "/deals?supplier=Soviet+Union&recipient=India")
	checkCSVMatchesTable(t, h, dealsOf(t, body), "Soviet Union", "India", filepath.Base(allPath), "2025-03-13")

	// Bad values: the page names them with the known values, the CSV
	// answers 400.
	res, body := get(t, h, "/deals?supplier=Soviet+Union&recipient=India&deals=evry&from=1990&to=1980")
	for _, want := range []string{"Parameter deals: deals=evry is not one of either, ordered, delivered, all", "Parameter from: 1990 is after to (1980)"} {
		if res.StatusCode != http.StatusOK || !strings.Contains(text(body), want) {
			t.Errorf("status %d; no notice %q", res.StatusCode, want)
		}
	}
	if res, _ := get(t, h, "/deals.csv?supplier=Soviet+Union&recipient=India&deals=evry"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("/deals.csv with deals=evry: status %d, want 400", res.StatusCode)
	}
	if res, _ := get(t, dealsServer(t, dealsFlows), "/deals"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/deals without a register: status %d, want 404", res.StatusCode)
	}
}

package data

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

const (
	regAllFile   = "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv"
	regChinaFile = "sipri_trade_register/china_supplier_2000-2025_cp1252.csv"
	regSmallFile = "testdata/register_small_cp1252.csv"
)

// regFind returns the only deal matching keep, failing otherwise.
func regFind(t *testing.T, deals []Deal, what string, keep func(Deal) bool) Deal {
	t.Helper()
	var found []Deal
	for _, d := range deals {
		if keep(d) {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: found %d deals, want 1", what, len(found))
	}
	return found[0]
}

// regWantError checks that err is, or lists, a *ParseError for file, line
// and column whose message contains msg, and that its text names them.
func regWantError(t *testing.T, err error, file string, line int, column, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error; want %s:%d column %q: %s", file, line, column, msg)
	}
	var list []*ParseError
	var pes *ParseErrors
	var pe *ParseError
	switch {
	case errors.As(err, &pes):
		list = pes.Errs
	case errors.As(err, &pe):
		list = []*ParseError{pe}
	default:
		t.Fatalf("error %T %v is not a *ParseError or *ParseErrors", err, err)
	}
	for _, p := range list {
		if p.File == file && p.Line == line && p.Column == column && strings.Contains(p.Msg, msg) {
			text := p.Error()
			prefix := file + ":" + strconv.Itoa(line) + ": "
			if !strings.HasPrefix(text, prefix) {
				t.Errorf("error text %q does not start with %q", text, prefix)
			}
			if want := fmt.Sprintf("column %d %q: ", p.ColumnNumber, column); column != "" && (p.ColumnNumber < 1 || !strings.Contains(text, want)) {
				t.Errorf("error text %q does not name column %q by number and name", text, column)
			}
			if len(text) > 400 {
				t.Errorf("error text is %d bytes long; want a short message", len(text))
			}
			return
		}
	}
	t.Fatalf("no error for %s:%d column %q containing %q in:\n%v", file, line, column, msg, err)
}

func TestReadRegisterAllRealFile(t *testing.T) {
	b := readShared(t, regAllFile)
	f, err := ReadRegister("all.csv", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds := f.Dataset
	// README: 29,519 data lines holding 29,515 records; generated 13 Mar 2025.
	if len(f.Deals) != 29515 || ds.Rows != 29515 || len(f.Skipped) != 0 {
		t.Fatalf("got %d deals (Rows %d, %d skipped); want 29515, 0 skipped", len(f.Deals), ds.Rows, len(f.Skipped))
	}
	if ds.Vintage != "2025-03-13" || ds.Format != FormatSIPRIRegister || ds.Source != "SIPRI Arms Transfers Database" ||
		ds.Attribution != "Source: SIPRI Arms Transfers Database (c) SIPRI" || ds.Name != "all.csv" || len(ds.SHA256) != 64 {
		t.Errorf("dataset = %+v", ds)
	}

	// Figures counted from the file with awk/python (records joined as README says).
	status := map[string]int{}
	kinds := map[PartyKind]int{}
	var noOrdered, noYears, cnPk int
	var tivDelivered, cnPkTIV float64
	minYear, maxYear := 9999, 0
	for _, d := range f.Deals {
		status[d.Status]++
		kinds["s-"+d.SupplierKind]++
		kinds["r-"+d.RecipientKind]++
		if !d.HasNumberOrdered {
			noOrdered++
		}
		if len(d.DeliveryYears) == 0 {
			noYears++
		} else {
			minYear, maxYear = min(minYear, d.DeliveryFrom), max(maxYear, d.DeliveryTo)
		}
		if !d.HasTIV || d.LegacyID != 0 {
			t.Fatalf("deal %+v: HasTIV false or LegacyID set", d)
		}
		tivDelivered += d.TIVDelivered
		if d.Supplier == "China" && d.Recipient == "Pakistan" {
			cnPk++
			cnPkTIV += d.TIVDelivered
		}
	}
	wantStatus := map[string]int{"New": 22014, "Second hand": 6991, "Second hand but modernized": 510}
	for k, v := range wantStatus {
		if status[k] != v {
			t.Errorf("status %q: %d deals, want %d", k, status[k], v)
		}
	}
	wantKinds := map[PartyKind]int{
		"s-state": 29218, "s-unknown": 290, "s-non-state": 5, "s-organisation": 2,
		"r-state": 29145, "r-non-state": 223, "r-unknown": 80, "r-organisation": 67,
	}
	for k, v := range wantKinds {
		if kinds[k] != v {
			t.Errorf("kind %q: %d, want %d", k, kinds[k], v)
		}
	}
	if noOrdered != 280 || noYears != 1166 || minYear != 1950 || maxYear != 2024 {
		t.Errorf("no number ordered %d (want 280), no delivery years %d (want 1166), years %d-%d (want 1950-2024)",
			noOrdered, noYears, minYear, maxYear)
	}
	if cnPk != 127 || math.Abs(cnPkTIV-21369.48) > 1e-6 || math.Abs(tivDelivered-2092211.45) > 1e-4 {
		t.Errorf("China->Pakistan %d deals, %.2f TIV delivered (want 127, 21369.48); all %.2f (want 2092211.45)", cnPk, cnPkTIV, tivDelivered)
	}

	// Line 18580: Pakistan,China,1999,,50,?,JF-17 Thunder,FGA aircraft,50,?,2007; …; 2013,New,JF-17 Block-1 version; …,17.5,875,875
	jf := regFind(t, f.Deals, "JF-17 1999", func(d Deal) bool { return d.Designation == "JF-17 Thunder" && d.OrderYear == 1999 })
	want := Deal{
		Supplier: "China", SupplierKind: PartyState, Recipient: "Pakistan", RecipientKind: PartyState,
		OrderYear: 1999, NumberOrdered: 50, HasNumberOrdered: true, NumberOrderedUncertain: true,
		Designation: "JF-17 Thunder", Description: "FGA aircraft",
		NumberDelivered: 50, HasNumberDelivered: true, NumberDeliveredUncertain: true,
		DeliveryYears: []int{2007, 2008, 2009, 2010, 2011, 2012, 2013}, DeliveryFrom: 2007, DeliveryTo: 2013,
		Status:   "New",
		Comments: "JF-17 Block-1 version; developed for Pakistan; incl production of components and assembly in Pakistan; incl 8 mainly for testing and first 42 production version ordered 2009 for $800 m",
		HasTIV:   true, TIVPerUnit: 17.5, TIVOrder: 875, TIVDelivered: 875,
	}
	regEqualDeal(t, jf, want)

	// The four records split over two lines (5432, 21488 with \n; 25178, 27955 with \r\n).
	split := []struct {
		recipient, supplier, designation string
		comments                         string
		years                            []int
		unit, order, delivered           float64
	}{
		{"Cote d'Ivoire", "United States", "vehicle engine", "Cummins (275hp) diesel engine for 12 Puma M-36 APC from South Africa", nil, 0.03, 0.36, 0},
		{"Saudi Arabia", "Germany", "ship engine", "MTU-12V-1163 (5950hp) diesel engine for 3 Avante-2000 frigate from Spain", nil, 1.5, 18, 0},
		{"Thailand", "Ukraine", "BTR-3", "Part of THB4b ($120 m) deal (for 96 BTR-3 in several versions; additional 5 given for free); delivery delayed after Germany refusal to export engines and redesign for other engines", []int{2010, 2012}, 0.25, 3.5, 3.25},
		{"United Nations", "Israel", "Hermes-900", "3-year lease; for use with UN peacekeeping forces in Mali", []int{2016}, 3, 9, 9},
	}
	for _, s := range split {
		d := regFind(t, f.Deals, s.recipient+" split", func(d Deal) bool {
			return d.Recipient == s.recipient && d.Supplier == s.supplier && d.Comments == s.comments && d.TIVOrder == s.order
		})
		if d.Designation != s.designation || !slices.Equal(d.DeliveryYears, s.years) ||
			d.TIVPerUnit != s.unit || d.TIVOrder != s.order || d.TIVDelivered != s.delivered {
			t.Errorf("split record %s: got %+v", s.recipient, d)
		}
	}
	un := regFind(t, f.Deals, "UN Hermes", func(d Deal) bool { return d.Designation == "Hermes-900" && d.Recipient == "United Nations" })
	if un.RecipientKind != PartyOrganisation {
		t.Errorf("United Nations** kind = %q, want organisation", un.RecipientKind)
	}

	// Windows-1252 bytes decoded: 0xFC ü (line 446), 0xE4 ä (line 568), 0xB1 ± (line 1613).
	regFind(t, f.Deals, "Bü-181", func(d Deal) bool { return d.Designation == "Bü-181 Bestmann" && d.Recipient == "Algeria" })
	regFind(t, f.Deals, "Wärtsilä", func(d Deal) bool {
		return d.Recipient == "Algeria" && d.Supplier == "Finland" &&
			strings.HasPrefix(d.Comments, "Wärtsilä 12V32 (8000hp) diesel engine for 1 BDSL")
	})
	regFind(t, f.Deals, "±7200hp", func(d Deal) bool { return strings.HasPrefix(d.Comments, "Jeumont (±7200hp) electric motor") })
}

func regEqualDeal(t *testing.T, got, want Deal) {
	t.Helper()
	gy, wy := got.DeliveryYears, want.DeliveryYears
	got.DeliveryYears, want.DeliveryYears = nil, nil
	if !reflect.DeepEqual(got, want) || !slices.Equal(gy, wy) {
		t.Errorf("deal:\n got %+v %v\nwant %+v %v", got, gy, want, wy)
	}
}

func TestReadRegisterChinaRealFile(t *testing.T) {
	b := readShared(t, regChinaFile)
	f, err := ReadRegister("china.csv", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// README: 692 deals, generated 14 Jul 2026, one non-ASCII byte 0xED (í).
	if len(f.Deals) != 692 || f.Dataset.Rows != 692 || f.Dataset.Vintage != "2026-07-14" {
		t.Fatalf("got %d deals, vintage %q; want 692, 2026-07-14", len(f.Deals), f.Dataset.Vintage)
	}
	g := regFind(t, f.Deals, "Guaiquerí", func(d Deal) bool { return strings.Contains(d.Comments, "Guaiquerí") })
	if g.Recipient != "Venezuela" || g.Designation != "C-802A" || g.NumberOrdered != 30 || g.TIVOrder != 30 {
		t.Errorf("Guaiquerí deal = %+v", g)
	}
	var noOrdered, noDelivered, noYears int
	var tiv, cnPk float64
	for _, d := range f.Deals {
		if !d.HasNumberOrdered {
			noOrdered++
		}
		if !d.HasNumberDelivered {
			noDelivered++
		}
		if d.DeliveryYears == nil {
			noYears++
		}
		tiv += d.TIVDelivered
		if d.Recipient == "Pakistan" && d.Supplier == "China" {
			cnPk += d.TIVDelivered
		}
	}
	// Counted with awk: 13 empty "Number ordered", 17 empty "Deliveries in the Year Range".
	if noOrdered != 13 || noDelivered != 17 || noYears != 17 {
		t.Errorf("empty number ordered %d (want 13), delivered %d (want 17), no years %d (want 17)", noOrdered, noDelivered, noYears)
	}
	if math.Abs(tiv-31794.58) > 1e-6 || math.Abs(cnPk-14103.46) > 1e-6 {
		t.Errorf("TIV delivered %.2f (want 31794.58), China->Pakistan %.2f (want 14103.46)", tiv, cnPk)
	}
	// Line 434: Pakistan,China,2012,?,50,?,JF-17 Thunder Block-3,…,25,?,2023; 2024; 2025,New,…,26.3,1315,657.5
	jf := regFind(t, f.Deals, "JF-17 Block-3", func(d Deal) bool { return d.Designation == "JF-17 Thunder Block-3" })
	if jf.NumberDelivered != 25 || !slices.Equal(jf.DeliveryYears, []int{2023, 2024, 2025}) || jf.TIVPerUnit != 26.3 ||
		jf.TIVOrder != 1315 || jf.TIVDelivered != 657.5 || !jf.OrderYearUncertain {
		t.Errorf("JF-17 Block-3 = %+v", jf)
	}
	au := regFind(t, f.Deals, "African Union", func(d Deal) bool { return d.Designation == "CSK-141" && d.Recipient == "African Union" })
	if au.RecipientKind != PartyOrganisation {
		t.Errorf("African Union** kind %q", au.RecipientKind)
	}
}

func TestReadRegisterSmall(t *testing.T) {
	b, err := os.ReadFile(regSmallFile)
	if err != nil {
		t.Fatal(err)
	}
	if !sniffRegister(string(b)) || sniffRegisterLegacy(string(b)) || sniffDeliveries(string(b)) {
		t.Error("sniffers disagree on the register test file")
	}
	f, err := ReadRegister("small.csv", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(f.Deals))
	for i, d := range f.Deals {
		got[i] = d.Supplier + "/" + string(d.SupplierKind) + ">" + d.Recipient + "/" + string(d.RecipientKind)
	}
	want := []string{
		"unknown supplier(s)/unknown>Afghanistan/state",
		"Egypt/state>Algeria/state",
		"United States/state>Cote d'Ivoire/state",
		"Iran/state>Hezbollah (Lebanon)/non-state",
		"United Kingdom/state>NATO/organisation",
		"China/state>Pakistan/state",
		"Ukraine/state>Thailand/state",
	}
	if !slices.Equal(got, want) {
		t.Errorf("parties:\n got %q\nwant %q", got, want)
	}
	if f.Dataset.Vintage != "2025-03-13" || f.Deals[0].Status != "Second hand" || f.Deals[1].Designation != "Bü-181 Bestmann" {
		t.Errorf("vintage %q, deals %+v", f.Dataset.Vintage, f.Deals[:2])
	}
	// The same file re-saved as UTF-8 with CRLF reads the same.
	text, err := decodeText("small.csv", b)
	if err != nil {
		t.Fatal(err)
	}
	crlf := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	f2, err := ReadRegister("small.csv", []byte("\ufeff"+crlf), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f2.Deals) != len(f.Deals) {
		t.Fatalf("UTF-8 CRLF copy: %d deals, want %d", len(f2.Deals), len(f.Deals))
	}
	for i := range f.Deals {
		regEqualDeal(t, f2.Deals[i], f.Deals[i])
	}
}

// regHeaderText is the real header of the all_1950-2024 export.
const regHeaderText = "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"

// A real record (line 18472 of all_1950-2024).
const regRowText = "Pakistan,China,2019,?,1,?,HQ-9,SAM system,1,,2021,New,HQ-9/P version,47,47,47"

func TestReadRegisterErrors(t *testing.T) {
	h := regHeaderText + "\n"
	cases := []struct {
		name, text string
		line       int
		column     string
		msg        string
	}{
		{"empty", "", 1, "", "file is empty"},
		{"blank lines", "\n\r\n\n", 1, "", "file is empty"},
		{"not a register", "a,b,c\n1,2,3\n", 1, "", "no header line"},
		{"header missing status", strings.Replace(h, ",status", "", 1) + regRowText, 1, "status", `header has 15 columns; expected 16: this one is missing`},
		{"header renamed", strings.Replace(h, "Number delivered", "Delivered", 1), 1, "Number delivered", `"Delivered"; expected "Number delivered" or "Deliveries in the Year Range"`},
		{"header extra column", strings.Replace(h, "weapons", "weapons,Extra", 1), 1, "", `unexpected column "Extra"`},
		{"bad TIV", h + strings.Replace(regRowText, ",47,47,47", ",12.5x,47,47", 1), 2, "SIPRI TIV per unit", `"12.5x" is not a number`},
		{"negative TIV", h + regRowText + "\n" + strings.Replace(regRowText, ",47,47,47", ",47,-47,47", 1), 3, "SIPRI TIV for total order", `"-47" is not a number`},
		{"bad year", h + strings.Replace(regRowText, ",2019,", ",2O19,", 1), 2, "Year of order", `"2O19" is not a year`},
		{"bad year list", h + strings.Replace(regRowText, ",2021,", ",2021/2022,", 1), 2, "Year(s) of delivery", `"2021/2022" is not a list of years`},
		{"bad uncertainty", h + strings.Replace(regRowText, "2019,?,", "2019,x,", 1), 2, "? for Year of order", `"x" is not "?" or empty`},
		{"bad count", h + strings.Replace(regRowText, "SAM system,1,", "SAM system,one,", 1), 2, "Number delivered", `"one" is not a count`},
		{"bad status", h + strings.Replace(regRowText, ",New,", ",Used,", 1), 2, "status", `"Used" is not New`},
		{"empty supplier", h + strings.Replace(regRowText, ",China,", ",,", 1), 2, "Supplier", "is empty"},
		{"comma in cell", h + strings.Replace(regRowText, "HQ-9/P version", "HQ-9/P, version", 1), 2, "", "has 17 fields"},
		{"truncated last record", h + regRowText + "\n" + regRowText[:40], 3, "", "has 8 fields"},
		{"truncated in comments at end", h + regRowText[:len(regRowText)-9], 2, "", "has 13 fields"},
		{"short line before a full one", h + regRowText[:len(regRowText)-9] + "\n" + regRowText, 2, "", "has 13 fields"},
		{"split record cut short", h + regRowText[:len(regRowText)-9] + "\n\n,47", 2, "", "record on lines 2-4 has 14 fields"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := readErr(t, ReadRegister, "trade_register.csv", []byte(c.text))
			regWantError(t, err, "trade_register.csv", c.line, c.column, c.msg)
		})
	}
}

func TestReadRegisterCorruptedRealFile(t *testing.T) {
	b := readShared(t, regChinaFile)
	s := string(b)
	cases := []struct {
		name   string
		b      []byte
		line   int
		column string
		msg    string
	}{
		// The last line (704) "Zimbabwe,China,2004,?,5,?,Type-89/ZSD-89,…,Recovery version,0.3,1.5,1.5" loses "3,1.5,1.5\n".
		{"truncated", b[:len(b)-10], 704, "", "has 14 fields"},
		// Line 468 (the first with these TIVs): Pakistan,China,2011,?,50,?,JF-17 Thunder,…,17.5,875,875
		{"bad number", []byte(strings.Replace(s, ",17.5,875,875", ",17.5x,875,875", 1)), 468, "SIPRI TIV per unit", `"17.5x" is not a number`},
		{"header lacks column", []byte(strings.Replace(s, ",Weapon description,", ",", 1)), 12, "Weapon description", `header has 15 columns; expected 16: this one is missing`},
		{"empty", nil, 1, "", "file is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadRegister("china.csv", c.b, Options{})
			regWantError(t, err, "china.csv", c.line, c.column, c.msg)
		})
	}
	// With SkipBad the bad number costs one deal.
	f, err := ReadRegister("china.csv", []byte(strings.Replace(s, ",17.5,875,875", ",17.5x,875,875", 1)), Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Deals) != 691 || len(f.Skipped) != 1 || f.Skipped[0].Line != 468 || f.Skipped[0].Column != "SIPRI TIV per unit" {
		t.Errorf("SkipBad: %d deals, skipped %v; want 691 and line 468", len(f.Deals), f.Skipped)
	}
	// The China export names column 9 "Deliveries in the Year Range", and errors say so.
	_, err = ReadRegister("china.csv", []byte(strings.Replace(s, "JF-17 Block-3 version", "JF-17, Block-3 version", 1)), Options{})
	regWantError(t, err, "china.csv", 434, "", "has 17 fields")
	_, err = ReadRegister("china.csv", []byte(strings.Replace(s, "aircraft,25,?,2023", "aircraft,25x,?,2023", 1)), Options{})
	regWantError(t, err, "china.csv", 434, "Deliveries in the Year Range", `"25x" is not a count`)
}

func TestReadRegisterManyErrors(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(regHeaderText + "\n")
	for range MaxParseErrors + 5 {
		sb.WriteString(strings.Replace(regRowText, ",New,", ",Old,", 1) + "\n")
	}
	sb.WriteString(regRowText + "\n")
	_, err := ReadRegister("r.csv", []byte(sb.String()), Options{})
	var pes *ParseErrors
	if !errors.As(err, &pes) || len(pes.Errs) != MaxParseErrors || !pes.Truncated {
		t.Fatalf("want %d listed errors and Truncated; got %v", MaxParseErrors, err)
	}
	f, err := ReadRegister("r.csv", []byte(sb.String()), Options{SkipBad: true})
	if err != nil || len(f.Deals) != 1 || len(f.Skipped) != MaxParseErrors+5 {
		t.Fatalf("SkipBad: err %v", err)
	}
}

func TestReadRegisterHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100 MB")
	}
	pre := regHeaderText + "\n" + regRowText + "\n"
	b := make([]byte, 0, len(pre)+100<<20+1)
	b = append(b, pre...)
	b = append(b, bytes.Repeat([]byte("A,"), 50<<20)...)
	b = append(b, '\n')
	_, err := ReadRegister("huge.csv", b, Options{SkipBad: true})
	regWantError(t, err, "huge.csv", 3, "", "line is 104857600 bytes long")
}

func TestSplitParty(t *testing.T) {
	cases := []struct {
		in, name string
		kind     PartyKind
		ok       bool
	}{
		{"China", "China", PartyState, true},
		{" Hezbollah (Lebanon)* ", "Hezbollah (Lebanon)", PartyNonState, true},
		{"NATO**", "NATO", PartyOrganisation, true},
		{"unknown supplier(s)", "unknown supplier(s)", PartyUnknown, true},
		{"unknown recipient(s)", "unknown recipient(s)", PartyUnknown, true},
		{"Unknown country", "Unknown country", PartyUnknown, true},
		{"unknown rebel group*", "unknown rebel group", PartyNonState, true},
		{"", "", PartyState, false},
		{"**", "", PartyOrganisation, false},
	}
	for _, c := range cases {
		name, kind, ok := splitParty(c.in)
		if name != c.name || kind != c.kind || ok != c.ok {
			t.Errorf("splitParty(%q) = %q, %q, %v; want %q, %q, %v", c.in, name, kind, ok, c.name, c.kind, c.ok)
		}
	}
}

func FuzzReadRegister(f *testing.F) {
	f.Add(regHeaderText + "\n" + regRowText + "\n")
	f.Add("Data generated: 13 Mar 2025 10:02:49 AM\n" + regHeaderText + "\r\n" + regRowText[:len(regRowText)-9] + "\r\n,47,47,47\r\n")
	f.Add(regHeaderText + "\nX,Y,,,,,,,,,,New,,,,\n,,\n")
	f.Add("Recipient,Supplier,\n\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		file, err := ReadRegister("fuzz.csv", []byte(s), Options{})
		if readFailed(t, file, err) {
			return
		}
		if file.Dataset.Rows != len(file.Deals) {
			t.Fatalf("Rows %d, %d deals", file.Dataset.Rows, len(file.Deals))
		}
		file, err = ReadRegister("fuzz.csv", []byte(s), Options{SkipBad: true})
		if err != nil {
			checkParseError(t, err)
		}
		checkLeanSame(t, "fuzz.csv", []byte(s), Options{SkipBad: true})
	})
}

func BenchmarkReadRegisterAll(b *testing.B) {
	data := readShared(b, regAllFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := ReadRegister("all.csv", data, Options{})
		if err != nil || len(f.Deals) != 29515 {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingCSVBaseline reads the same bytes with encoding/csv as
// loosely as it goes, to show what ReadRegister costs over bare splitting.
func BenchmarkEncodingCSVBaseline(b *testing.B) {
	shareddata.CSVBaseline(b, readShared(b, regAllFile), 29515)
}

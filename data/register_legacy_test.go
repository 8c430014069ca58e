package data

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

const (
	regLegacyFile  = "sipri_register_legacy/trade_register_report_c2013.csv"
	regLegacySmall = "testdata/register_legacy_small.csv"
)

func TestReadRegisterLegacyRealFile(t *testing.T) {
	b := readShared(t, regLegacyFile)
	if !sniffRegisterLegacy(string(b)) || sniffRegister(string(b)) {
		t.Error("sniffers disagree on the legacy report")
	}
	// Without SkipBad the one malformed range (Id 33801, line 1758) refuses the file.
	_, err := ReadRegisterLegacy("legacy.csv", b, Options{})
	regWantError(t, err, "legacy.csv", 1758, "Year(s) of deliveries", `"194 - 2008" is not a year range`)
	var pes *ParseErrors
	if !errors.As(err, &pes) || len(pes.Errs) != 1 {
		t.Fatalf("want exactly 1 error, got %v", err)
	}

	f, err := ReadRegisterLegacy("legacy.csv", b, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	// README: 2,757 rows after the header; one is malformed.
	if len(f.Deals) != 2756 || f.Dataset.Rows != 2756 || len(f.Skipped) != 1 {
		t.Fatalf("got %d deals, %d skipped; want 2756 and 1", len(f.Deals), len(f.Skipped))
	}
	sk := f.Skipped[0]
	if sk.Line != 1758 || sk.Column != "Year(s) of deliveries" ||
		sk.Error() != `legacy.csv:1758: column 12 "Year(s) of deliveries": "194 - 2008" is not a year range such as "2007 - 2011"` {
		t.Errorf("skipped = %v", sk)
	}
	ds := f.Dataset
	if ds.Format != FormatSIPRIRegisterLegacy || ds.Vintage != "" || ds.Label() != "SIPRI Arms Transfers Database, undated" || len(ds.SHA256) != 64 {
		t.Errorf("dataset = %+v", ds)
	}

	// Counted with Python's csv module over the 2,756 good rows.
	status := map[string]int{}
	var unknownSup, unknownRec, noOrdered, delivered, involved, cnPk int
	from, to := 9999, 0
	for _, d := range f.Deals {
		status[d.Status]++
		if d.SupplierKind == PartyUnknown {
			unknownSup++
		}
		if d.RecipientKind == PartyUnknown {
			unknownRec++
		}
		if !d.HasNumberOrdered {
			noOrdered++
		}
		if d.RecipientInvolvement {
			involved++
		}
		if d.Supplier == "China" && d.Recipient == "Pakistan" {
			cnPk++
		}
		delivered += d.NumberDelivered
		from, to = min(from, d.DeliveryFrom), max(to, d.DeliveryTo)
		if d.HasTIV || d.DeliveryYears != nil || d.LegacyID <= 0 {
			t.Fatalf("deal %+v: HasTIV, DeliveryYears or no LegacyID", d)
		}
	}
	if status["New"] != 2293 || status["Second hand"] != 394 || status["Second hand but modernized"] != 69 {
		t.Errorf("status counts %v; want New 2293, Second hand 394 (SecondHand), modernized 69 (Refurbished)", status)
	}
	if unknownSup != 11 || unknownRec != 4 || noOrdered != 8 || delivered != 363199 || involved != 327 || cnPk != 23 {
		t.Errorf("unknown supplier %d (11), recipient %d (4), empty no. ordered %d (8), delivered %d (363199), involvement %d (327), China->Pakistan %d (23)",
			unknownSup, unknownRec, noOrdered, delivered, involved, cnPk)
	}
	if from != 1977 || to != 2012 {
		t.Errorf("deliveries %d-%d; want 1977-2012", from, to)
	}
	// Line 1680 (UTF-8 ä; Refurbished).
	v := regFind(t, f.Deals, "Västergotland", func(d Deal) bool { return d.Designation == "Västergotland" })
	if v.LegacyID != 20825 || v.Supplier != "Sweden" || v.Recipient != "Singapore" || v.Status != "Second hand but modernized" ||
		v.DeliveryFrom != 2011 || v.DeliveryTo != 2012 || v.NumberOrdered != 2 || v.OrderYear != 2005 {
		t.Errorf("Västergotland = %+v", v)
	}
	regFind(t, f.Deals, "Kiliç", func(d Deal) bool { return d.Designation == "Kiliç" && d.LegacyID == 12272 })
}

func TestReadRegisterLegacySmall(t *testing.T) {
	b, err := os.ReadFile(regLegacySmall)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadRegisterLegacy("small.csv", b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Deal{
		{LegacyID: 4327, Supplier: "Albania", SupplierKind: PartyState, Recipient: "Burkina Faso", RecipientKind: PartyState,
			NumberOrdered: 12, HasNumberOrdered: true, NumberOrderedUncertain: true, Designation: "M-43 120mm", Description: "Mortar",
			Status: "Second hand", OrderYear: 2011, OrderYearUncertain: true, DeliveryFrom: 2011, DeliveryTo: 2011,
			NumberDelivered: 12, HasNumberDelivered: true, Comments: "Probably ex-Albanian"},
		{LegacyID: 32360, Supplier: "Austria", SupplierKind: PartyState, Recipient: "Czech Republic", RecipientKind: PartyState,
			NumberOrdered: 107, HasNumberOrdered: true, Designation: "Pandur-2", Description: "APC", Status: "New",
			OrderYear: 2009, DeliveryFrom: 2009, DeliveryTo: 2012, NumberDelivered: 107, HasNumberDelivered: true,
			NumberDeliveredUncertain: true,
			Comments:                 "CZK14.4 b ($650 m; offsets 150% incl assembly of 90 in Czech Republic) deal; incl 11 command post, 4 ARV and 4 ambulance version"},
	}
	if len(f.Deals) != 3 {
		t.Fatalf("%d deals, want 3", len(f.Deals))
	}
	for i, w := range want {
		regEqualDeal(t, f.Deals[i], w)
	}
}

func TestReadRegisterLegacyErrors(t *testing.T) {
	small, err := os.ReadFile(regLegacySmall)
	if err != nil {
		t.Fatal(err)
	}
	s := string(small)
	row2 := "4327,Albania,Burkina Faso,12,Yes,M-43 120mm,Mortar,SecondHand,,2011,Yes,2011 - 2011,12,,,Probably ex-Albanian"
	if !strings.Contains(s, row2) {
		t.Fatal("test file changed")
	}
	with := func(old, new string) string { return strings.Replace(s, old, new, 1) }
	cases := []struct {
		name, text string
		line       int
		column     string
		msg        string
	}{
		{"empty", "", 1, "", "file is empty"},
		{"not legacy", "a,b\n", 1, "", `first line starts "a,b"; expected the legacy register header "Id,Supplier,`},
		{"header lacks column", with(",Recipient Involvement", ""), 1, "Recipient Involvement", `header has 15 columns; expected 16: this one is missing`},
		{"header renamed", with(",Description,", ",Desc,"), 1, "Description", `header cell is "Desc"; expected "Description"`},
		{"header extra", with("Comment\n", "Comment,TIV\n"), 1, "", `header has 17 columns`},
		{"bare quote", with("M-43 120mm", `M-43 "120mm`), 2, "Designation", `bare " in non-quoted-field`},
		{"unclosed quote", with(`4 ambulance version"`, `4 ambulance version`), 4, "Comment", "extraneous or missing \" in quoted-field (a quoted cell is not closed, or its closing quote is followed by more text) in the record starting on line 3"},
		{"field count", with(",Probably ex-Albanian", ""), 2, "", "has 15 fields; expected 16"},
		{"bad count", with("Burkina Faso,12,", "Burkina Faso,1x2,"), 2, "No. ordered", `"1x2" is not a count`},
		{"bad id", with("4327,", "-4327,"), 2, "Id", `"-4327" is not a deal number`},
		{"bad status", with("SecondHand", "Used"), 2, "Status", `"Used" is not New, SecondHand or Refurbished`},
		{"bad flag", with("12,Yes,M-43", "12,Maybe,M-43"), 2, "No. ordered data uncertain", `"Maybe" is not Yes`},
		{"range reversed", with("2009 - 2012", "2012 - 2009"), 3, "Year(s) of deliveries", `"2012 - 2009" is not a year range`},
		{"range single", with("2009 - 2012", "2009"), 3, "Year(s) of deliveries", `"2009" is not a year range`},
		{"bad order year", with(",2011,Yes,", ",20111,Yes,"), 2, "Year of order", `"20111" is not a year`},
		{"empty recipient", with("Burkina Faso", ""), 2, "Recipient", "is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := readErr(t, ReadRegisterLegacy, "legacy.csv", []byte(c.text))
			regWantError(t, err, "legacy.csv", c.line, c.column, c.msg)
		})
	}
}

func TestReadRegisterLegacyCorruptedRealFile(t *testing.T) {
	b := readShared(t, regLegacyFile)
	s := string(b)
	// The last line, 2758 (Id 34066), cut after "Venezuela,Guatemala,1,".
	i := strings.LastIndex(s, "34066,Venezuela,Guatemala,1,")
	cut := b[:i+len("34066,Venezuela,Guatemala,1,")]
	_, err := ReadRegisterLegacy("legacy.csv", cut, Options{})
	regWantError(t, err, "legacy.csv", 2758, "", "has 5 fields; expected 16")
	f, err := ReadRegisterLegacy("legacy.csv", cut, Options{SkipBad: true})
	if err != nil || len(f.Deals) != 2755 || len(f.Skipped) != 2 || f.Skipped[1].Line != 2758 {
		t.Errorf("truncated, SkipBad: err %v, %d deals, skipped %v; want 2755 and lines 1758, 2758", err, len(f.Deals), f.Skipped)
	}
	// A bad number on line 2 (Id 4327).
	_, err = ReadRegisterLegacy("legacy.csv", []byte(strings.Replace(s, "Burkina Faso,12,", "Burkina Faso,12.5x,", 1)), Options{})
	regWantError(t, err, "legacy.csv", 2, "No. ordered", `"12.5x" is not a count`)
	// A header without "Description".
	_, err = ReadRegisterLegacy("legacy.csv", []byte(strings.Replace(s, ",Description,", ",", 1)), Options{})
	regWantError(t, err, "legacy.csv", 1, "Description", `header has 15 columns; expected 16: this one is missing`)
	// A quote opened in line 20's Comment is closed by line 30's opening
	// quote; the error names the line where encoding/csv gave up and the
	// record's first line.
	_, err = ReadRegisterLegacy("legacy.csv", []byte(strings.Replace(s, `4 ambulance version"`, `4 ambulance version`, 1)), Options{})
	regWantError(t, err, "legacy.csv", 30, "Comment", `extraneous or missing " in quoted-field (a quoted cell is not closed, or its closing quote is followed by more text) in the record starting on line 20`)
	var pe *ParseErrors
	if !errors.As(err, &pe) || len(pe.Errs) != 2 {
		t.Errorf("unclosed quote: want 2 errors (lines 30 and 1758), got %v", err)
	}
}

func TestReadRegisterLegacyHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100 MB")
	}
	small, err := os.ReadFile(regLegacySmall)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 0, len(small)+100<<20+1)
	b = append(b, small...)
	b = append(b, '"')
	b = append(b, bytes.Repeat([]byte("x"), 100<<20)...)
	_, err = ReadRegisterLegacy("huge.csv", b, Options{})
	regWantError(t, err, "huge.csv", 5, "", "line is 104857601 bytes long")
}

func TestParseYearRange(t *testing.T) {
	cases := []struct {
		in       string
		from, to int
		ok       bool
	}{
		{"2011 - 2011", 2011, 2011, true},
		{"2007 - 2011", 2007, 2011, true},
		{" 2007-2011 ", 2007, 2011, true},
		{"", 0, 0, true},
		{"194 - 2008", 0, 0, false},
		{"2011 - 2007", 0, 0, false},
		{"2011", 0, 0, false},
		{"2011 - ", 0, 0, false},
		{"a - b", 0, 0, false},
	}
	for _, c := range cases {
		from, to, msg := parseYearRange(c.in)
		if from != c.from || to != c.to || (msg == "") != c.ok {
			t.Errorf("parseYearRange(%q) = %d, %d, %q; want %d, %d, ok=%v", c.in, from, to, msg, c.from, c.to, c.ok)
		}
	}
}

func FuzzReadRegisterLegacy(f *testing.F) {
	h := strings.Join(legacyHeader[:], ",") + "\n"
	f.Add(h + "4327,Albania,Burkina Faso,12,Yes,M-43 120mm,Mortar,SecondHand,,2011,Yes,2011 - 2011,12,,,Probably ex-Albanian\n")
	f.Add(h + `1,A*,B**,,,"x""y",d,New,,,,,,,,"a,` + "\n" + `b"` + "\n")
	f.Add(h + "1,2,3\n\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		file, err := ReadRegisterLegacy("fuzz.csv", []byte(s), Options{})
		if readFailed(t, file, err) {
			return
		}
		if file.Dataset.Rows != len(file.Deals) {
			t.Fatalf("Rows %d, %d deals", file.Dataset.Rows, len(file.Deals))
		}
		if _, err := ReadRegisterLegacy("fuzz.csv", []byte(s), Options{SkipBad: true}); err != nil {
			checkParseError(t, err)
		}
	})
}

func BenchmarkReadRegisterLegacy(b *testing.B) {
	data := readShared(b, regLegacyFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := ReadRegisterLegacy("legacy.csv", data, Options{SkipBad: true})
		if err != nil || len(f.Deals) != 2756 {
			b.Fatal(err)
		}
	}
}

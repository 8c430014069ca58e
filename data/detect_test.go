package data

import (
	"strings"
	"testing"
)

// TestDetectRealFiles checks that every file in ../shared/data is
// recognised from its content, whatever its name.
func TestDetectRealFiles(t *testing.T) {
	for _, c := range []struct {
		rel  string
		want Format
	}{
		{"sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv", FormatSIPRIDeliveries},
		{"sipri_deliveries_by_year/excerpt.csv", FormatSIPRIDeliveries},
		{"sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv", FormatSIPRIRegister},
		{"sipri_trade_register/china_supplier_2000-2025_cp1252.csv", FormatSIPRIRegister},
		{"sipri_register_legacy/trade_register_report_c2013.csv", FormatSIPRIRegisterLegacy},
		{"sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv", FormatSIPRITIVTable},
		{"sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv", FormatSIPRITIVTableOld},
		{"sipri_tiv_tables_old/TIV-Export-All-1950-2022.csv", FormatSIPRITIVTableOld},
		{"worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv", FormatWDI},
		{"gdelt/events_v2/20161013151500.export.CSV", FormatGDELT},
		{"gdelt/events_v2/20260514083000.export.CSV.zip", FormatGDELT},
		{"gdelt/events_v1/every10th_20160728daily_1982historical.csv", FormatGDELT},
	} {
		t.Run(c.rel, func(t *testing.T) {
			// The name given says nothing: detection reads the content.
			b := readShared(t, c.rel)
			got, err := Detect("upload.bin", b)
			if err != nil || got != c.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, c.want)
			}
			// Every country name in the real files maps to the country
			// table (the legacy register's one malformed row is skipped).
			f, err := Read("upload.bin", b, Options{SkipBad: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Unmapped) > 0 {
				t.Errorf("unmapped country names: %q", f.Unmapped)
			}
		})
	}
}

func TestDetectBuiltinAndUnknown(t *testing.T) {
	for path, want := range map[string]Format{BuiltinEvents: FormatEvents, BuiltinExtract: FormatFlows} {
		b, _ := builtinFS.ReadFile(path)
		if got, err := Detect(path, b); got != want || err != nil {
			t.Errorf("%s: Detect = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, body := range []string{"", "just some text\n", "\x00\x01\x02"} {
		_, err := Read("mystery.csv", []byte(body), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), "mystery.csv:1: ") {
			t.Errorf("%q: error %v, want one naming mystery.csv:1", body, err)
		}
	}
	_, err := Read("mystery.csv", []byte("a,b\n1,2\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "sipri-deliveries") {
		t.Errorf("error %v must list the formats armsdash reads", err)
	}
}

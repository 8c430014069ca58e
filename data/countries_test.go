package data

import (
	"encoding/csv"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

func TestCanonicalCountry(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"SIPRI current spelling", "Turkiye", "Turkiye", true},
		{"accented", "Türkiye", "Turkiye", true},
		{"old name", "Turkey", "Turkiye", true},
		{"upper case", "TURKEY", "Turkiye", true},
		{"Viet Nam", "Viet Nam", "Viet Nam", true},
		{"Vietnam (WDI)", "Vietnam", "Viet Nam", true},
		{"Cote d'Ivoire", "Cote d'Ivoire", "Cote d'Ivoire", true},
		{"Côte d'Ivoire", "Côte d'Ivoire", "Cote d'Ivoire", true},
		{"curly apostrophe", "Côte d’Ivoire", "Cote d'Ivoire", true},
		{"Ivory Coast (CAMEO)", "Ivory Coast", "Cote d'Ivoire", true},
		{"Korea, South (legacy)", "Korea, South", "South Korea", true},
		{"Korea, Rep. (WDI)", "Korea, Rep.", "South Korea", true},
		{"Korea, Dem. People’s Rep. (WDI)", "Korea, Dem. People\u2019s Rep.", "North Korea", true},
		{"extra spaces", "  South   Korea ", "South Korea", true},
		{"Russian Federation", "Russian Federation", "Russia", true},
		{"Egypt, Arab Rep.", "Egypt, Arab Rep.", "Egypt", true},
		{"Iran, Islamic Rep.", "Iran, Islamic Rep.", "Iran", true},
		{"Yemen, Rep.", "Yemen, Rep.", "Yemen", true},
		{"Venezuela, RB", "Venezuela, RB", "Venezuela", true},
		{"Congo, Dem. Rep.", "Congo, Dem. Rep.", "DR Congo", true},
		{"legacy typo", "Congo, Democratic Repubic of", "DR Congo", true},
		{"West Bank and Gaza", "West Bank and Gaza", "Palestine", true},
		{"historic", "Soviet Union", "Soviet Union", true},
		{"historic alias", "East Germany", "East Germany (GDR)", true},
		{"North Yemen alias", "Yemen Arab Republic (North Yemen)", "North Yemen", true},
		{"organisation", "NATO**", "NATO**", true},
		{"organisation without marker", "NATO", "NATO**", true},
		{"organisation long name", "North Atlantic Treaty Organization", "NATO**", true},
		{"organisation marker spaced", "United Nations **", "United Nations**", true},
		{"listed non-state actor", "Hamas", "Hamas (Palestine)*", true},
		{"non-state without marker (legacy)", "Hezbollah (Lebanon)", "Hezbollah (Lebanon)*", true},
		{"non-state alias", "Libya HoR*", "HoR (Libya)*", true},
		{"unlisted non-state", "Syria rebels*", "Syria rebels*", true},
		{"unlisted non-state, spaces", " Some  group (Chad) * ", "Some group (Chad)*", true},
		{"unlisted organisation", "Foo Pact**", "Foo Pact**", true},
		{"unknown supplier", "unknown supplier(s)", "unknown supplier(s)", true},
		{"unknown, unmarked", "Atlantis", "Atlantis", false},
		{"empty", "", "", false},
		{"only a marker", "*", "*", false},
		{"WDI aggregate", "World", "World", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CanonicalCountry(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("CanonicalCountry(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLookupCountryKind(t *testing.T) {
	tests := []struct {
		in   string
		want CountryKind
	}{
		{"China", KindState},
		{"Bermuda", KindTerritory},
		{"Czechoslovakia", KindHistoric},
		{"Houthi rebels (Yemen)*", KindNonState},
		{"European Union**", KindOrganisation},
		{"unknown recipient(s)", KindUnknown},
	}
	for _, tt := range tests {
		c, ok := LookupCountry(tt.in)
		if !ok || c.Kind != tt.want {
			t.Errorf("LookupCountry(%q) = %+v, %v; want kind %s", tt.in, c, ok, tt.want)
		}
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		by, code, want string
		ok             bool
	}{
		{"CAMEO", "PAK", "Pakistan", true},
		{"CAMEO", "CHN", "China", true},
		{"CAMEO", "IND", "India", true},
		{"CAMEO", "USA", "United States", true},
		{"CAMEO", "RUS", "Russia", true},
		{"CAMEO", "TUR", "Turkiye", true},
		{"CAMEO", "KOR", "South Korea", true},
		{"CAMEO", "PRK", "North Korea", true},
		{"CAMEO", "ROM", "Romania", true},
		{"CAMEO", "MTN", "Montenegro", true},
		{"CAMEO", "TMP", "Timor-Leste", true},
		{"CAMEO", "SSD", "South Sudan", true},
		{"CAMEO", "WSB", "Palestine", true},
		{"CAMEO", "BAG", "Iraq", true},
		{"CAMEO", "AFR", "Africa", true},
		{"CAMEO", "pak", "Pakistan", true},
		{"CAMEO", "ROU", "", false},
		{"CAMEO", "", "", false},
		{"ISO3", "ROU", "Romania", true},
		{"ISO3", "TUR", "Turkiye", true},
		{"ISO3", "CIV", "Cote d'Ivoire", true},
		{"ISO3", "XKX", "Kosovo", true},
		{"ISO3", "SUN", "Soviet Union", true},
		{"ISO3", "WLD", "", false},
		{"ISO3", "EUU", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.by+" "+tt.code, func(t *testing.T) {
			f := CountryByCAMEO
			if tt.by == "ISO3" {
				f = CountryByISO3
			}
			c, ok := f(tt.code)
			if c.Name != tt.want || ok != tt.ok {
				t.Errorf("CountryBy%s(%q) = %q, %v; want %q, %v", tt.by, tt.code, c.Name, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLookupCountryReturnsCopy(t *testing.T) {
	c, _ := LookupCountry("Turkiye")
	c.Aliases[0] = "changed"
	if c2, _ := LookupCountry("Turkey"); c2.Name != "Turkiye" || c2.Aliases[0] != "Turkey" {
		t.Fatalf("table was changed through a returned entry: %+v", c2)
	}
}

func TestMapNames(t *testing.T) {
	mapped, unmapped := MapNames([]string{"Turkey", "Atlantis", "", "Viet Nam", "Atlantis", " Narnia "})
	want := map[string]string{"Turkey": "Turkiye", "Viet Nam": "Viet Nam"}
	if len(mapped) != len(want) || mapped["Turkey"] != want["Turkey"] || mapped["Viet Nam"] != want["Viet Nam"] {
		t.Errorf("mapped = %v; want %v", mapped, want)
	}
	if !slices.Equal(unmapped, []string{"Atlantis", "Narnia"}) {
		t.Errorf("unmapped = %q; want [Atlantis Narnia]", unmapped)
	}
	var u Unmapped
	if got := u.Canonical("Korea, Rep."); got != "South Korea" {
		t.Errorf("Unmapped.Canonical(Korea, Rep.) = %q", got)
	}
	u.Canonical("Narnia")
	u.Canonical("Atlantis")
	u.Canonical("Narnia")
	if !slices.Equal(u.Names(), []string{"Atlantis", "Narnia"}) {
		t.Errorf("Unmapped.Names() = %q", u.Names())
	}
}

// readShared reads a shared data file as text, skipping when absent.
func readSharedText(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	text, err := decodeText(rel, b)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// distinctNames returns the sorted distinct non-empty strings of names.
func distinctNames(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// TestCountryCoverage checks that every supplier and recipient named in
// SIPRI's real exports, and every non-aggregate WDI row, maps. The counts
// of distinct names are those of the files (checked with awk/sort -u).
func TestCountryCoverage(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		names     func(t *testing.T, text string) []string
		distinct  int
		identical bool // every name is already canonical (SIPRI's current spelling), except "UAE"
	}{
		{
			name: "per-delivery-year listing 2026-02-12, Supplier and Recipient",
			file: "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv",
			names: func(t *testing.T, text string) []string {
				var out []string
				started := false
				for _, l := range splitLines(text) {
					if !started {
						started = strings.HasPrefix(l, "SIPRI AT Database ID,")
						continue
					}
					f := splitRecord(l)
					if len(f) != 17 {
						t.Fatalf("line %q has %d fields", l, len(f))
					}
					out = append(out, f[1], f[2])
				}
				return out
			},
			distinct: 210, identical: true,
		},
		{
			name: "trade register 1950-2024, Recipient and Supplier",
			file: "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv",
			names: func(t *testing.T, text string) []string {
				var out []string
				for _, l := range splitLines(text)[12:] {
					if f := strings.Split(l, ","); len(f) >= 13 { // continuation lines of split records have 4
						out = append(out, f[0], f[1])
					}
				}
				return out
			},
			distinct: 257,
		},
		{
			name: "trade register China 2000-2025",
			file: "sipri_trade_register/china_supplier_2000-2025_cp1252.csv",
			names: func(t *testing.T, text string) []string {
				var out []string
				for _, l := range splitLines(text)[12:] {
					f := strings.Split(l, ",")
					out = append(out, f[0], f[1])
				}
				return out
			},
			distinct: 85, identical: true,
		},
		{
			name: "TIV table China 2000-2025, recipients",
			file: "sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv",
			names: func(t *testing.T, text string) []string {
				var out []string
				for _, l := range splitLines(text)[10:] {
					if f := strings.Split(l, ","); f[0] != "Total imports from China" {
						out = append(out, f[0])
					}
				}
				return out
			},
			distinct: 83, identical: true,
		},
		{
			name: "old TIV import table 1950-2022, recipients",
			file: "sipri_tiv_tables_old/TIV-Import-All-Country-1950-2022.csv",
			names: func(t *testing.T, text string) []string {
				var out []string
				for _, l := range splitLines(text)[11:] {
					if f := strings.Split(l, ","); f[0] != "Total" {
						out = append(out, f[0])
					}
				}
				return out
			},
			distinct: 261,
		},
		{
			name: "legacy register c. 2013, Supplier and Recipient",
			file: "sipri_register_legacy/trade_register_report_c2013.csv",
			names: func(t *testing.T, text string) []string {
				recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, r := range recs[1:] {
					out = append(out, r[1], r[2])
				}
				return out
			},
			distinct: 163,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := distinctNames(tt.names(t, readSharedText(t, tt.file)))
			if len(names) != tt.distinct {
				t.Errorf("%d distinct names; want %d", len(names), tt.distinct)
			}
			mapped, unmapped := MapNames(names)
			if len(unmapped) != 0 {
				t.Errorf("unmapped names: %q", unmapped)
			}
			if tt.identical {
				for n, c := range mapped {
					if n != c && n != "UAE" {
						t.Errorf("%q maps to %q; SIPRI's current spelling should be canonical", n, c)
					}
				}
			}
		})
	}
}

// testWDIAggregates are the 47 aggregate rows (regions, income groups, World)
// of the WDI download; the other 217 of its 264 rows are economies.
var testWDIAggregates = strings.Fields(`ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX
	INX LAC LCN LDC LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD`)

func TestCountryCoverageWDI(t *testing.T) {
	text := readSharedText(t, "worldbank_wdi/wdi_arms_imports_MS.MIL.MPRT.KD.csv")
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 265 {
		t.Fatalf("%d records; want header + 264 rows", len(recs))
	}
	economies := 0
	for _, r := range recs[1:] {
		name, code := r[0], r[1]
		if slices.Contains(testWDIAggregates, code) {
			if c, ok := CountryByISO3(code); ok {
				t.Errorf("aggregate %s %q maps to %q", code, name, c.Name)
			}
			continue
		}
		economies++
		c, ok := LookupCountry(name)
		if !ok {
			t.Errorf("WDI %s %q does not map", code, name)
			continue
		}
		if c.ISO3 != code {
			t.Errorf("WDI %q maps to %q with ISO3 %q; the file says %s", name, c.Name, c.ISO3, code)
		}
		if byCode, _ := CountryByISO3(code); byCode.Name != c.Name {
			t.Errorf("CountryByISO3(%s) = %q; by name %q", code, byCode.Name, c.Name)
		}
	}
	if economies != 217 {
		t.Errorf("%d economies; want 217", economies)
	}
}

func TestCountryCoverageCAMEO(t *testing.T) {
	text := readSharedText(t, "gdelt/lookups/CAMEO.country.txt")
	lines := splitLines(text)[1:]
	if len(lines) != 261 {
		t.Fatalf("%d codes; want 261", len(lines))
	}
	for _, l := range lines {
		code, label, _ := strings.Cut(l, "\t")
		c, ok := CountryByCAMEO(code)
		if !ok {
			t.Errorf("CAMEO %s %q does not map", code, label)
			continue
		}
		if c.Kind != KindRegion && cameoPlaces[code] == "" {
			if byName, ok := LookupCountry(label); !ok || byName.Name != c.Name {
				t.Errorf("CAMEO label %q maps to %q; code %s maps to %q", label, byName.Name, code, c.Name)
			}
		}
	}
}

func TestCountryTableConsistent(t *testing.T) {
	for _, c := range Countries() {
		if got, ok := CanonicalCountry(c.Name); !ok || got != c.Name {
			t.Errorf("CanonicalCountry(%q) = %q, %v", c.Name, got, ok)
		}
		for _, a := range c.Aliases {
			if got, _ := CanonicalCountry(a); got != c.Name {
				t.Errorf("alias %q of %q maps to %q", a, c.Name, got)
			}
		}
		if c.ISO3 != "" {
			if got, _ := CountryByISO3(c.ISO3); got.Name != c.Name {
				t.Errorf("CountryByISO3(%s) = %q; want %q", c.ISO3, got.Name, c.Name)
			}
		}
		stars := strings.Count(c.Name, "*")
		switch {
		case stars == 2 && c.Kind != KindOrganisation, stars == 1 && c.Kind != KindNonState:
			t.Errorf("%q has kind %s", c.Name, c.Kind)
		}
	}
}

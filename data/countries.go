package data

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CountryKind says what sort of party a Country entry is.
type CountryKind string

// The kinds of party the country table knows.
const (
	KindState        CountryKind = "state"        // a current state, recognised or not (Taiwan, Kosovo, Northern Cyprus)
	KindTerritory    CountryKind = "territory"    // a dependent territory (Bermuda, Hong Kong) or Western Sahara
	KindHistoric     CountryKind = "historic"     // a state that no longer exists (Soviet Union, Yugoslavia)
	KindNonState     CountryKind = "non-state"    // a non-state actor; SIPRI marks these with "*"
	KindOrganisation CountryKind = "organisation" // an international organisation; SIPRI marks these with "**"
	KindUnknown      CountryKind = "unknown"      // SIPRI's "unknown supplier(s)" and "unknown recipient(s)"
	KindRegion       CountryKind = "region"       // a CAMEO region such as AFR "Africa"; only GDELT uses these
)

// Country is one entry of the country table: one party to arms transfers or
// events, under the names the sources use for it.
type Country struct {
	// Name is the canonical name: SIPRI's current spelling (its newest
	// exports here, generated 2026-07-14 and 2026-02-12, e.g. "Turkiye",
	// "Viet Nam", "Cote d'Ivoire", "South Korea"; where those two differ,
	// the newer: "United Arab Emirates", not "UAE"), including SIPRI's "*"
	// and "**" markers for non-state actors and organisations. Parties SIPRI
	// does not list take their common English short name.
	Name string
	// ISO3 is the ISO 3166-1 alpha-3 code; for historic states the former
	// code from ISO 3166-3 (SUN, DDR, YUG, CSK, YMD, ANT); where ISO has
	// none the World Bank's own code (XKX Kosovo, CHI Channel Islands);
	// "" when no code exists.
	ISO3 string
	// CAMEO is the CAMEO country code used by GDELT's Actor*CountryCode,
	// "" when CAMEO has none. It equals ISO3 except for Montenegro (MTN),
	// Romania (ROM), Timor-Leste (TMP) and the Isle of Man (IMY).
	CAMEO string
	Kind  CountryKind
	// Aliases are the other spellings the sources use (SIPRI's older
	// exports, the World Bank WDI, CAMEO.country.txt) and common English
	// names. Matching ignores case, accents, spacing and "*" markers, so
	// aliases list only spellings that differ in other ways.
	Aliases []string
}

// countryTable is the one mapping between SIPRI, World Bank and CAMEO
// names and codes. Names and aliases were checked against the real files:
// SIPRI's per-delivery-year listing (2026-02-12), trade registers
// (2025-03-13 and 2026-07-14), old TIV import table (2023-12-11) and legacy
// register (c. 2013); the WDI MS.MIL.MPRT.KD download (v2_1745336); and the
// CAMEO codes from GDELT's CAMEO.country.txt (261 codes, used for reference
// only; its labels, typos included, are aliases here). SSD (South Sudan) is
// not in CAMEO.country.txt but GDELT 2.0 files use it.
var countryTable = []Country{
	// States.
	{"Afghanistan", "AFG", "AFG", KindState, nil},
	{"Albania", "ALB", "ALB", KindState, nil},
	{"Algeria", "DZA", "DZA", KindState, nil},
	{"Andorra", "AND", "AND", KindState, nil},
	{"Angola", "AGO", "AGO", KindState, nil},
	{"Antigua and Barbuda", "ATG", "ATG", KindState, nil},
	{"Argentina", "ARG", "ARG", KindState, nil},
	{"Armenia", "ARM", "ARM", KindState, nil},
	{"Australia", "AUS", "AUS", KindState, nil},
	{"Austria", "AUT", "AUT", KindState, nil},
	{"Azerbaijan", "AZE", "AZE", KindState, nil},
	{"Bahamas", "BHS", "BHS", KindState, []string{"Bahamas, The", "The Bahamas"}},
	{"Bahrain", "BHR", "BHR", KindState, nil},
	{"Bangladesh", "BGD", "BGD", KindState, nil},
	{"Barbados", "BRB", "BRB", KindState, nil},
	{"Belarus", "BLR", "BLR", KindState, nil},
	{"Belgium", "BEL", "BEL", KindState, nil},
	{"Belize", "BLZ", "BLZ", KindState, nil},
	{"Benin", "BEN", "BEN", KindState, nil},
	{"Bhutan", "BTN", "BTN", KindState, nil},
	{"Bolivia", "BOL", "BOL", KindState, nil},
	{"Bosnia-Herzegovina", "BIH", "BIH", KindState, []string{"Bosnia and Herzegovina"}},
	{"Botswana", "BWA", "BWA", KindState, nil},
	{"Brazil", "BRA", "BRA", KindState, nil},
	{"Brunei", "BRN", "BRN", KindState, []string{"Brunei Darussalam"}},
	{"Bulgaria", "BGR", "BGR", KindState, nil},
	{"Burkina Faso", "BFA", "BFA", KindState, nil},
	{"Burundi", "BDI", "BDI", KindState, nil},
	{"Cabo Verde", "CPV", "CPV", KindState, []string{"Cape Verde"}},
	{"Cambodia", "KHM", "KHM", KindState, nil},
	{"Cameroon", "CMR", "CMR", KindState, nil},
	{"Canada", "CAN", "CAN", KindState, nil},
	{"Central African Republic", "CAF", "CAF", KindState, nil},
	{"Chad", "TCD", "TCD", KindState, nil},
	{"Chile", "CHL", "CHL", KindState, nil},
	{"China", "CHN", "CHN", KindState, []string{"People's Republic of China"}},
	{"Colombia", "COL", "COL", KindState, []string{"Columbia"}},
	{"Comoros", "COM", "COM", KindState, nil},
	{"Congo", "COG", "COG", KindState, []string{"Congo, Rep.", "Congo, Republic of", "Republic of the Congo", "Congo-Brazzaville", "People's Republic of the Congo"}},
	{"Costa Rica", "CRI", "CRI", KindState, nil},
	{"Cote d'Ivoire", "CIV", "CIV", KindState, []string{"Ivory Coast"}},
	{"Croatia", "HRV", "HRV", KindState, nil},
	{"Cuba", "CUB", "CUB", KindState, nil},
	{"Cyprus", "CYP", "CYP", KindState, nil},
	{"Czechia", "CZE", "CZE", KindState, []string{"Czech Republic"}},
	{"Denmark", "DNK", "DNK", KindState, nil},
	{"Djibouti", "DJI", "DJI", KindState, nil},
	{"Dominica", "DMA", "DMA", KindState, nil},
	{"Dominican Republic", "DOM", "DOM", KindState, nil},
	{"DR Congo", "COD", "COD", KindState, []string{"Congo, Dem. Rep.", "Democratic Republic of the Congo", "Congo, Democratic Republic of",
		"Congo, Democratic Repubic of", // sic, SIPRI legacy register
		"DRC", "Zaire"}},
	{"Ecuador", "ECU", "ECU", KindState, nil},
	{"Egypt", "EGY", "EGY", KindState, []string{"Egypt, Arab Rep."}},
	{"El Salvador", "SLV", "SLV", KindState, nil},
	{"Equatorial Guinea", "GNQ", "GNQ", KindState, nil},
	{"Eritrea", "ERI", "ERI", KindState, nil},
	{"Estonia", "EST", "EST", KindState, nil},
	{"eSwatini", "SWZ", "SWZ", KindState, []string{"Swaziland"}},
	{"Ethiopia", "ETH", "ETH", KindState, nil},
	{"Fiji", "FJI", "FJI", KindState, nil},
	{"Finland", "FIN", "FIN", KindState, nil},
	{"France", "FRA", "FRA", KindState, nil},
	{"Gabon", "GAB", "GAB", KindState, nil},
	{"Gambia", "GMB", "GMB", KindState, []string{"Gambia, The", "The Gambia"}},
	{"Georgia", "GEO", "GEO", KindState, nil},
	{"Germany", "DEU", "DEU", KindState, []string{"West Germany", "Germany (FRG)", "Federal Republic of Germany"}},
	{"Ghana", "GHA", "GHA", KindState, nil},
	{"Greece", "GRC", "GRC", KindState, nil},
	{"Grenada", "GRD", "GRD", KindState, nil},
	{"Guatemala", "GTM", "GTM", KindState, nil},
	{"Guinea", "GIN", "GIN", KindState, nil},
	{"Guinea-Bissau", "GNB", "GNB", KindState, nil},
	{"Guyana", "GUY", "GUY", KindState, nil},
	{"Haiti", "HTI", "HTI", KindState, nil},
	{"Holy See", "VAT", "VAT", KindState, []string{"Vatican City", "Vatican"}},
	{"Honduras", "HND", "HND", KindState, nil},
	{"Hungary", "HUN", "HUN", KindState, nil},
	{"Iceland", "ISL", "ISL", KindState, nil},
	{"India", "IND", "IND", KindState, nil},
	{"Indonesia", "IDN", "IDN", KindState, nil},
	{"Iran", "IRN", "IRN", KindState, []string{"Iran, Islamic Rep.", "Islamic Republic of Iran"}},
	{"Iraq", "IRQ", "IRQ", KindState, nil},
	{"Ireland", "IRL", "IRL", KindState, nil},
	{"Israel", "ISR", "ISR", KindState, nil},
	{"Italy", "ITA", "ITA", KindState, nil},
	{"Jamaica", "JAM", "JAM", KindState, nil},
	{"Japan", "JPN", "JPN", KindState, nil},
	{"Jordan", "JOR", "JOR", KindState, nil},
	{"Kazakhstan", "KAZ", "KAZ", KindState, nil},
	{"Kenya", "KEN", "KEN", KindState, nil},
	{"Kiribati", "KIR", "KIR", KindState, nil},
	{"Kosovo", "XKX", "", KindState, nil},
	{"Kuwait", "KWT", "KWT", KindState, nil},
	{"Kyrgyzstan", "KGZ", "KGZ", KindState, []string{"Kyrgyz Republic"}},
	{"Laos", "LAO", "LAO", KindState, []string{"Lao PDR", "Lao People's Democratic Republic"}},
	{"Latvia", "LVA", "LVA", KindState, nil},
	{"Lebanon", "LBN", "LBN", KindState, nil},
	{"Lesotho", "LSO", "LSO", KindState, nil},
	{"Liberia", "LBR", "LBR", KindState, nil},
	{"Libya", "LBY", "LBY", KindState, nil},
	{"Liechtenstein", "LIE", "LIE", KindState, nil},
	{"Lithuania", "LTU", "LTU", KindState, nil},
	{"Luxembourg", "LUX", "LUX", KindState, nil},
	{"Madagascar", "MDG", "MDG", KindState, nil},
	{"Malawi", "MWI", "MWI", KindState, nil},
	{"Malaysia", "MYS", "MYS", KindState, nil},
	{"Maldives", "MDV", "MDV", KindState, nil},
	{"Mali", "MLI", "MLI", KindState, nil},
	{"Malta", "MLT", "MLT", KindState, nil},
	{"Marshall Islands", "MHL", "MHL", KindState, nil},
	{"Mauritania", "MRT", "MRT", KindState, nil},
	{"Mauritius", "MUS", "MUS", KindState, nil},
	{"Mexico", "MEX", "MEX", KindState, nil},
	{"Micronesia", "FSM", "FSM", KindState, []string{"Micronesia, Fed. Sts.", "Federated States of Micronesia"}},
	{"Moldova", "MDA", "MDA", KindState, nil},
	{"Monaco", "MCO", "MCO", KindState, nil},
	{"Mongolia", "MNG", "MNG", KindState, nil},
	{"Montenegro", "MNE", "MTN", KindState, nil},
	{"Morocco", "MAR", "MAR", KindState, nil},
	{"Mozambique", "MOZ", "MOZ", KindState, nil},
	{"Myanmar", "MMR", "MMR", KindState, []string{"Burma"}},
	{"Namibia", "NAM", "NAM", KindState, nil},
	{"Nauru", "NRU", "NRU", KindState, nil},
	{"Nepal", "NPL", "NPL", KindState, nil},
	{"Netherlands", "NLD", "NLD", KindState, nil},
	{"New Zealand", "NZL", "NZL", KindState, nil},
	{"Nicaragua", "NIC", "NIC", KindState, nil},
	{"Niger", "NER", "NER", KindState, nil},
	{"Nigeria", "NGA", "NGA", KindState, nil},
	{"North Korea", "PRK", "PRK", KindState, []string{"Korea, North", "Korea North", "Korea, Dem. People's Rep.", "Democratic People's Republic of Korea", "DPRK"}},
	{"North Macedonia", "MKD", "MKD", KindState, []string{"Macedonia", "Macedonia, FYR", "Former Yugoslav Republic of Macedonia"}},
	{"Northern Cyprus", "", "", KindState, []string{"Turkish Republic of Northern Cyprus"}},
	{"Norway", "NOR", "NOR", KindState, nil},
	{"Oman", "OMN", "OMN", KindState, nil},
	{"Pakistan", "PAK", "PAK", KindState, nil},
	{"Palau", "PLW", "PLW", KindState, nil},
	{"Palestine", "PSE", "PSE", KindState, []string{"West Bank and Gaza", "Occupied Palestinian Territory", "State of Palestine"}},
	{"Panama", "PAN", "PAN", KindState, nil},
	{"Papua New Guinea", "PNG", "PNG", KindState, nil},
	{"Paraguay", "PRY", "PRY", KindState, nil},
	{"Peru", "PER", "PER", KindState, nil},
	{"Philippines", "PHL", "PHL", KindState, []string{"Philippines, the", "The Philippines"}},
	{"Poland", "POL", "POL", KindState, nil},
	{"Portugal", "PRT", "PRT", KindState, nil},
	{"Qatar", "QAT", "QAT", KindState, nil},
	{"Romania", "ROU", "ROM", KindState, nil},
	{"Russia", "RUS", "RUS", KindState, []string{"Russian Federation"}},
	{"Rwanda", "RWA", "RWA", KindState, nil},
	{"Saint Kitts and Nevis", "KNA", "KNA", KindState, []string{"St. Kitts and Nevis", "Saint Kitts-Nevis"}},
	{"Saint Lucia", "LCA", "LCA", KindState, []string{"St. Lucia"}},
	{"Saint Vincent", "VCT", "VCT", KindState, []string{"Saint Vincent and the Grenadines", "St. Vincent and the Grenadines"}},
	{"Samoa", "WSM", "WSM", KindState, nil},
	{"San Marino", "SMR", "SMR", KindState, nil},
	{"Sao Tome and Principe", "STP", "STP", KindState, nil},
	{"Saudi Arabia", "SAU", "SAU", KindState, nil},
	{"Senegal", "SEN", "SEN", KindState, nil},
	{"Serbia", "SRB", "SRB", KindState, nil},
	{"Seychelles", "SYC", "SYC", KindState, nil},
	{"Sierra Leone", "SLE", "SLE", KindState, nil},
	{"Singapore", "SGP", "SGP", KindState, nil},
	{"Slovakia", "SVK", "SVK", KindState, []string{"Slovak Republic"}},
	{"Slovenia", "SVN", "SVN", KindState, nil},
	{"Solomon Islands", "SLB", "SLB", KindState, nil},
	{"Somalia", "SOM", "SOM", KindState, nil},
	{"South Africa", "ZAF", "ZAF", KindState, nil},
	{"South Korea", "KOR", "KOR", KindState, []string{"Korea, South", "Korea South", "Korea, Rep.", "Republic of Korea"}},
	{"South Sudan", "SSD", "SSD", KindState, nil},
	{"Spain", "ESP", "ESP", KindState, nil},
	{"Sri Lanka", "LKA", "LKA", KindState, nil},
	{"Sudan", "SDN", "SDN", KindState, nil},
	{"Suriname", "SUR", "SUR", KindState, nil},
	{"Sweden", "SWE", "SWE", KindState, nil},
	{"Switzerland", "CHE", "CHE", KindState, nil},
	{"Syria", "SYR", "SYR", KindState, []string{"Syrian Arab Republic"}},
	{"Taiwan", "TWN", "TWN", KindState, []string{"Chinese Taipei"}},
	{"Tajikistan", "TJK", "TJK", KindState, nil},
	{"Tanzania", "TZA", "TZA", KindState, []string{"United Republic of Tanzania"}},
	{"Thailand", "THA", "THA", KindState, nil},
	{"Timor-Leste", "TLS", "TMP", KindState, []string{"East Timor"}},
	{"Togo", "TGO", "TGO", KindState, nil},
	{"Tonga", "TON", "TON", KindState, nil},
	{"Trinidad and Tobago", "TTO", "TTO", KindState, nil},
	{"Tunisia", "TUN", "TUN", KindState, nil},
	{"Turkiye", "TUR", "TUR", KindState, []string{"Turkey"}}, // "Türkiye" matches without an alias
	{"Turkmenistan", "TKM", "TKM", KindState, nil},
	{"Tuvalu", "TUV", "TUV", KindState, nil},
	{"United Arab Emirates", "ARE", "ARE", KindState, []string{"UAE"}}, // "UAE" in the 2025-03 register and 2026-02 listing
	{"Uganda", "UGA", "UGA", KindState, nil},
	{"Ukraine", "UKR", "UKR", KindState, nil},
	{"United Kingdom", "GBR", "GBR", KindState, []string{"UK", "Great Britain", "Britain"}},
	{"United States", "USA", "USA", KindState, []string{"USA", "US", "United States of America"}},
	{"Uruguay", "URY", "URY", KindState, nil},
	{"Uzbekistan", "UZB", "UZB", KindState, nil},
	{"Vanuatu", "VUT", "VUT", KindState, nil},
	{"Venezuela", "VEN", "VEN", KindState, []string{"Venezuela, RB"}},
	{"Viet Nam", "VNM", "VNM", KindState, []string{"Vietnam"}},
	{"Yemen", "YEM", "YEM", KindState, []string{"Yemen, Rep."}},
	{"Zambia", "ZMB", "ZMB", KindState, nil},
	{"Zimbabwe", "ZWE", "ZWE", KindState, nil},

	// Dependent territories, and Western Sahara, which SIPRI lists as a
	// recipient without the non-state marker.
	{"Aland Islands", "ALA", "ALA", KindTerritory, nil},
	{"American Samoa", "ASM", "ASM", KindTerritory, nil},
	{"Anguilla", "AIA", "AIA", KindTerritory, nil},
	{"Aruba", "ABW", "ABW", KindTerritory, nil},
	{"Bermuda", "BMU", "BMU", KindTerritory, nil},
	{"British Virgin Islands", "VGB", "VGB", KindTerritory, nil},
	{"Cayman Islands", "CYM", "CYM", KindTerritory, nil},
	{"Channel Islands", "CHI", "", KindTerritory, nil},
	{"Cook Islands", "COK", "COK", KindTerritory, nil},
	{"Curacao", "CUW", "", KindTerritory, nil},
	{"Falkland Islands", "FLK", "FLK", KindTerritory, nil},
	{"Faroe Islands", "FRO", "FRO", KindTerritory, []string{"Faeroe Islands"}},
	{"French Guiana", "GUF", "GUF", KindTerritory, nil},
	{"French Polynesia", "PYF", "PYF", KindTerritory, nil},
	{"Gibraltar", "GIB", "GIB", KindTerritory, nil},
	{"Greenland", "GRL", "GRL", KindTerritory, nil},
	{"Guadeloupe", "GLP", "GLP", KindTerritory, nil},
	{"Guam", "GUM", "GUM", KindTerritory, nil},
	{"Hong Kong", "HKG", "HKG", KindTerritory, []string{"Hong Kong SAR, China"}},
	{"Isle of Man", "IMN", "IMY", KindTerritory, nil},
	{"Macao", "MAC", "MAC", KindTerritory, []string{"Macao SAR, China", "Macau"}},
	{"Martinique", "MTQ", "MTQ", KindTerritory, nil},
	{"Mayotte", "MYT", "MYT", KindTerritory, nil},
	{"Montserrat", "MSR", "MSR", KindTerritory, nil},
	{"New Caledonia", "NCL", "NCL", KindTerritory, nil},
	{"Niue", "NIU", "NIU", KindTerritory, nil},
	{"Norfolk Island", "NFK", "NFK", KindTerritory, nil},
	{"Northern Mariana Islands", "MNP", "MNP", KindTerritory, nil},
	{"Pitcairn", "PCN", "PCN", KindTerritory, nil},
	{"Puerto Rico", "PRI", "PRI", KindTerritory, nil},
	{"Reunion", "REU", "REU", KindTerritory, []string{
		"Runion", // sic, CAMEO.country.txt
	}},
	{"Saint Helena", "SHN", "SHN", KindTerritory, nil},
	{"Saint Martin", "MAF", "", KindTerritory, []string{"St. Martin (French part)"}},
	{"Saint Pierre and Miquelon", "SPM", "SPM", KindTerritory, nil},
	{"Sint Maarten", "SXM", "", KindTerritory, []string{"Sint Maarten (Dutch part)"}},
	{"Svalbard and Jan Mayen", "SJM", "SJM", KindTerritory, []string{"Svalbard and Jan Mayen Islands"}},
	{"Tokelau", "TKL", "TKL", KindTerritory, nil},
	{"Turks and Caicos Islands", "TCA", "TCA", KindTerritory, nil},
	{"US Virgin Islands", "VIR", "VIR", KindTerritory, []string{"Virgin Islands (U.S.)", "United States Virgin Islands"}},
	{"Wallis and Futuna", "WLF", "WLF", KindTerritory, []string{"Wallis and Futuna Islands"}},
	{"Western Sahara", "ESH", "ESH", KindTerritory, nil},

	// Historic states, as SIPRI names them.
	{"Biafra", "", "", KindHistoric, nil},
	{"Czechoslovakia", "CSK", "", KindHistoric, nil},
	{"East Germany (GDR)", "DDR", "", KindHistoric, []string{"East Germany", "German Democratic Republic", "GDR"}},
	{"Katanga", "", "", KindHistoric, nil},
	{"Netherlands Antilles", "ANT", "ANT", KindHistoric, nil},
	{"North Yemen", "", "", KindHistoric, []string{"Yemen Arab Republic (North Yemen)", "Yemen Arab Republic"}},
	{"South Vietnam", "", "", KindHistoric, []string{"Republic of Vietnam"}},
	{"South Yemen", "YMD", "", KindHistoric, []string{"People's Democratic Republic of Yemen"}},
	{"Soviet Union", "SUN", "", KindHistoric, []string{"USSR", "Union of Soviet Socialist Republics"}},
	{"Yugoslavia", "YUG", "", KindHistoric, nil},

	// Organisations SIPRI lists as suppliers or recipients.
	{"African Union**", "", "", KindOrganisation, []string{"AU"}},
	{"European Union**", "", "", KindOrganisation, []string{"EU"}},
	{"NATO**", "", "", KindOrganisation, []string{"North Atlantic Treaty Organization"}},
	{"OSCE**", "", "", KindOrganisation, []string{"Organization for Security and Co-operation in Europe"}},
	{"Regional Security System**", "", "", KindOrganisation, nil},
	{"United Nations**", "", "", KindOrganisation, []string{"UN"}},

	// Non-state actors spelt differently across SIPRI's exports. Others
	// need no entry: any name ending in "*" is taken as a non-state actor.
	{"Hamas (Palestine)*", "", "", KindNonState, []string{"Hamas"}},
	{"Hezbollah (Lebanon)*", "", "", KindNonState, []string{"Hezbollah"}},
	{"HoR (Libya)*", "", "", KindNonState, []string{"Libya HoR"}},
	{"Libya GNC", "", "", KindNonState, nil}, // Libya's rival General National Congress; SIPRI writes no "*"
	{"NTC (Libya)*", "", "", KindNonState, []string{"NTC"}},
	{"Palestinian Islamic Jihad (Israel/Palestine)*", "", "", KindNonState, []string{"PIJ (Israel/Palestine)"}},

	// Unknown parties.
	{"unknown supplier(s)", "", "", KindUnknown, nil},
	{"unknown recipient(s)", "", "", KindUnknown, nil},
	{"Unknown country", "", "", KindUnknown, nil}, // SIPRI legacy register

	// CAMEO regions (GDELT only).
	{"Africa", "", "AFR", KindRegion, nil},
	{"Asia", "", "ASA", KindRegion, nil},
	{"Balkans", "", "BLK", KindRegion, nil},
	{"Caribbean", "", "CRB", KindRegion, nil},
	{"Caucasus", "", "CAU", KindRegion, nil},
	{"Central Africa", "", "CFR", KindRegion, nil},
	{"Central Asia", "", "CAS", KindRegion, nil},
	{"Central Europe", "", "CEU", KindRegion, nil},
	{"East Indies", "", "EIN", KindRegion, nil},
	{"Eastern Africa", "", "EAF", KindRegion, nil},
	{"Eastern Europe", "", "EEU", KindRegion, nil},
	{"Europe", "", "EUR", KindRegion, nil},
	{"Latin America", "", "LAM", KindRegion, nil},
	{"Middle East", "", "MEA", KindRegion, nil},
	{"Mediterranean", "", "MDT", KindRegion, nil},
	{"North Africa", "", "NAF", KindRegion, nil},
	{"North America", "", "NMR", KindRegion, nil},
	{"Persian Gulf", "", "PGS", KindRegion, nil},
	{"Scandinavia", "", "SCN", KindRegion, nil},
	{"South America", "", "SAM", KindRegion, nil},
	{"South Asia", "", "SAS", KindRegion, nil},
	{"Southeast Asia", "", "SEA", KindRegion, nil},
	{"Southern Africa", "", "SAF", KindRegion, nil},
	{"West Africa", "", "WAF", KindRegion, nil},
	{"The West", "", "WST", KindRegion, nil},
}

// cameoPlaces maps CAMEO codes for places inside a country to that
// country's canonical name: WSB "West Bank", GZS "Gaza Strip", BAG "Baghdad".
var cameoPlaces = map[string]string{"WSB": "Palestine", "GZS": "Palestine", "BAG": "Iraq"}

// Indexes built once from countryTable.
var (
	countryByKey   = map[string]int{}
	countryByISO3  = map[string]int{}
	countryByCAMEO = map[string]int{}
)

func init() {
	add := func(m map[string]int, k string, i int) {
		if k == "" {
			return
		}
		if j, dup := m[k]; dup && j != i {
			panic("data: country table: " + k + " is used by " + countryTable[j].Name + " and " + countryTable[i].Name)
		}
		m[k] = i
	}
	for i, c := range countryTable {
		k, _ := countryKey(c.Name)
		add(countryByKey, k, i)
		for _, a := range c.Aliases {
			k, _ := countryKey(a)
			add(countryByKey, k, i)
		}
		add(countryByISO3, c.ISO3, i)
		add(countryByCAMEO, c.CAMEO, i)
	}
	for code, name := range cameoPlaces {
		add(countryByCAMEO, code, countryByKey[countryMustKey(name)])
	}
}

func countryMustKey(name string) string { k, _ := countryKey(name); return k }

// countryKey normalises a name for matching: accents removed (NFD, marks
// dropped), lower case, curly apostrophes made straight, runs of spaces
// made one, and SIPRI's trailing "*" or "**" marker removed and counted.
func countryKey(name string) (key string, stars int) {
	s := strings.TrimSpace(name)
	for strings.HasSuffix(s, "*") {
		stars++
		s = strings.TrimSpace(strings.TrimSuffix(s, "*"))
	}
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '\u2019' || r == '\u2018' || r == '`' || r == '\u00b4':
			r = '\''
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String(), stars
}

// LookupCountry finds the table entry for name, matching the canonical
// name and aliases while ignoring case, accents, spacing and SIPRI's "*"
// markers ("Türkiye", "TURKEY" and "Turkiye" all find Turkiye). A name not
// in the table that ends in "*" is a non-state actor and one ending in "**"
// an organisation: LookupCountry returns a new entry for it with Name set
// to the name as written, spaces tidied (e.g. "Syria rebels*"), and ok
// true. Anything else unknown, and the empty name, give ok false.
func LookupCountry(name string) (Country, bool) {
	key, stars := countryKey(name)
	if key == "" {
		return Country{}, false
	}
	if i, ok := countryByKey[key]; ok {
		c := countryTable[i]
		c.Aliases = slices.Clone(c.Aliases)
		return c, true
	}
	if stars == 0 {
		return Country{}, false
	}
	tidy := strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(name), "* \t")), " ")
	if stars == 1 {
		return Country{Name: tidy + "*", Kind: KindNonState}, true
	}
	return Country{Name: tidy + "**", Kind: KindOrganisation}, true
}

// CanonicalCountry returns the canonical name for name (see LookupCountry).
// When name is unknown it returns name with surrounding spaces trimmed and
// ok false, so callers can keep the name as written.
func CanonicalCountry(name string) (canonical string, ok bool) {
	c, ok := LookupCountry(name)
	if !ok {
		return strings.TrimSpace(name), false
	}
	return c.Name, true
}

// CountryByISO3 returns the entry with ISO 3166-1 alpha-3 code code (case
// ignored; see Country.ISO3 for historic and World Bank codes). World Bank
// aggregate codes such as WLD or EUU are not countries and give ok false.
func CountryByISO3(code string) (Country, bool) {
	i, ok := countryByISO3[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	c := countryTable[i]
	c.Aliases = slices.Clone(c.Aliases)
	return c, true
}

// CountryByCAMEO returns the entry for a GDELT Actor*CountryCode (case
// ignored). Region codes (AFR, EUR, WST ...) give KindRegion entries; the
// sub-national codes WSB, GZS and BAG give Palestine, Palestine and Iraq.
// Unknown codes give ok false.
func CountryByCAMEO(code string) (Country, bool) {
	i, ok := countryByCAMEO[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Country{}, false
	}
	c := countryTable[i]
	c.Aliases = slices.Clone(c.Aliases)
	return c, true
}

// Countries returns a copy of the whole table, in table order.
func Countries() []Country {
	out := make([]Country, len(countryTable))
	for i, c := range countryTable {
		c.Aliases = slices.Clone(c.Aliases)
		out[i] = c
	}
	return out
}

// MapNames maps each distinct name to its canonical name. Names that do
// not map are left out of mapped and listed, as written and trimmed, in
// unmapped (sorted, without repeats). Empty names are ignored.
func MapNames(names []string) (mapped map[string]string, unmapped []string) {
	mapped = map[string]string{}
	var u Unmapped
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			continue
		}
		if _, done := mapped[n]; done {
			continue
		}
		if c, ok := CanonicalCountry(n); ok {
			mapped[n] = c
		} else {
			u.add(c)
		}
	}
	return mapped, u.Names()
}

// Unmapped collects the names a reader could not map, for File.Unmapped.
// The zero value is ready to use.
type Unmapped struct {
	seen  map[string]bool
	names []string
}

// Canonical returns the canonical name for name, or name trimmed when it
// does not map, in which case it is recorded. The empty name is returned
// as is and not recorded.
func (u *Unmapped) Canonical(name string) string {
	c, ok := CanonicalCountry(name)
	if !ok && c != "" {
		u.add(c)
	}
	return c
}

// Add records name as unmapped.
func (u *Unmapped) Add(name string) { u.add(name) }

func (u *Unmapped) add(name string) {
	if u.seen == nil {
		u.seen = map[string]bool{}
	}
	if !u.seen[name] {
		u.seen[name] = true
		u.names = append(u.names, name)
	}
}

// Names returns the recorded names, sorted; nil when there are none.
func (u *Unmapped) Names() []string {
	if len(u.names) == 0 {
		return nil
	}
	out := slices.Clone(u.names)
	sort.Strings(out)
	return out
}

package dashboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// World Bank WDI's republished SIPRI arms imports and exports of one
// country, found in the snapshot's WDI files.

// The WDI indicators taken from SIPRI.
const (
	WDIImports = "MS.MIL.MPRT.KD" // "Arms imports (SIPRI trend indicator values)"
	WDIExports = "MS.MIL.XPRT.KD" // "Arms exports (SIPRI trend indicator values)"
)

// WDISide is one WDI indicator of one country: the newest loaded WDI
// dataset holding the indicator, and the country's values in it.
type WDISide struct {
	Code    string       // indicator code, WDIImports or WDIExports
	Dataset data.Dataset // the newest WDI dataset holding Code
	Loaded  bool         // some WDI dataset holds Code
	Older   int          // how many older WDI datasets also hold Code (not used)
	// Values are the country's values, by year ascending; aggregates
	// (World, South Asia …) are never among them.
	Values []data.IndicatorValue
}

// WDI is what WDI holds of one country.
type WDI struct {
	Name             string // the country, as the flow set names it
	ISO3             string
	Imports, Exports WDISide
}

// WDIUnavailable says why WDI holds nothing for a country.
type WDIUnavailable struct {
	Msg string
	// NoneLoaded is true when no WDI dataset with an arms indicator is
	// loaded at all.
	NoneLoaded bool
}

// wdiSide finds indicator code in the snapshot's WDI datasets, newest
// first (the order of Snapshot.IndicatorSets), and takes the values of the
// economy with ISO 3166 alpha-3 code iso3 from the first that holds it.
// Rows are matched by WDI's country code through data.CountryByISO3, never
// by WDI's spelling of the name; aggregate rows are skipped. An empty iso3
// matches nothing.
func (d *Dashboard) wdiSide(code, iso3 string) WDISide {
	side := WDISide{Code: code}
	for _, set := range d.snap.IndicatorSets {
		if !slices.ContainsFunc(set.Values, func(v data.IndicatorValue) bool { return v.Indicator == code }) {
			continue
		}
		if side.Loaded {
			side.Older++
			continue
		}
		side.Loaded, side.Dataset = true, set.Dataset
		if iso3 == "" {
			continue
		}
		for _, v := range set.Values {
			if v.Indicator != code || v.Aggregate {
				continue
			}
			if c, ok := data.CountryByISO3(v.CountryCode); ok && c.ISO3 == iso3 {
				side.Values = append(side.Values, v)
			}
		}
		slices.SortStableFunc(side.Values, func(a, b data.IndicatorValue) int { return a.Year - b.Year })
	}
	return side
}

// WDIOf returns the WDI values of the country name, or why there are
// none: no WDI arms indicator loaded, a country without an ISO 3166 code,
// or no value for the country in the loaded files.
func (d *Dashboard) WDIOf(name string) (WDI, *WDIUnavailable) {
	w := WDI{Name: name}
	if c, ok := data.LookupCountry(name); ok {
		w.ISO3 = c.ISO3
	}
	w.Imports = d.wdiSide(WDIImports, w.ISO3)
	w.Exports = d.wdiSide(WDIExports, w.ISO3)
	switch {
	case !w.Imports.Loaded && !w.Exports.Loaded:
		msg := "No World Bank WDI file with SIPRI's arms imports (" + WDIImports + ") or exports (" + WDIExports + ") is loaded."
		if n := len(d.snap.IndicatorSets); n > 0 {
			msg = fmt.Sprintf("The %d World Bank WDI file(s) loaded hold neither SIPRI's arms imports (%s) nor exports (%s).", n, WDIImports, WDIExports)
		}
		return w, &WDIUnavailable{Msg: msg, NoneLoaded: true}
	case w.ISO3 == "":
		return w, &WDIUnavailable{Msg: fmt.Sprintf("World Bank WDI lists economies by ISO 3166 code, and %s has none, so WDI has no row for it.", name)}
	case len(w.Imports.Values) == 0 && len(w.Exports.Values) == 0:
		var in []string
		for _, s := range []WDISide{w.Imports, w.Exports} {
			if s.Loaded {
				in = append(in, fmt.Sprintf("%s in “%s” (%s)", s.Code, s.Dataset.Name, VintageText(s.Dataset.Vintage)))
			}
		}
		return w, &WDIUnavailable{Msg: fmt.Sprintf("World Bank WDI has no value for %s (code %s): no row, or only empty cells, for %s.", name, w.ISO3, strings.Join(in, " or "))}
	}
	return w, nil
}

// VintageText is a dataset's vintage as pages show it: the date, or
// "undated".
func VintageText(v string) string {
	if v == "" {
		return "undated"
	}
	return v
}

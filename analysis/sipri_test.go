package analysis_test

import (
	"math"
	"os"
	"testing"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/internal/shareddata"
)

// TestSharesFromSIPRIListing reproduces China–Pakistan shares from SIPRI's
// per-delivery-year listing generated 12 Feb 2026 (deliveries 1995–2024).
//
// The seed article 001 reports, from SIPRI's 2022 release, that China
// supplied 72% of Pakistan's arms imports in 2017–2021 and that about 47%
// of China's exports went to Pakistan. The 2026 vintage gives 75.3% and
// 46.0% for the same period: SIPRI revises its whole database every March
// as new information on past deliveries comes in, so the same period's
// shares move between releases. 2020–2024 gives 81.1% and 63.0%, the
// figures SIPRI published for that period in March 2025 (81% and 63%).
// Expected values were computed independently with awk over the same file.
func TestSharesFromSIPRIListing(t *testing.T) {
	b, err := os.ReadFile(shareddata.Path(t, "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := data.ReadDeliveries("all.csv", b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := make([]analysis.Transfer, len(f.Deliveries))
	for i, d := range f.Deliveries {
		ts[i] = analysis.Transfer{Supplier: d.Supplier, Recipient: d.Recipient, Year: d.Year, TIV: d.TIV}
	}
	for _, c := range []struct {
		p                                      analysis.Period
		chinaPak, pakImports, chinaExports     float64 // TIV millions
		shareOfPakImports, shareOfChinaExports float64 // percent
		shownOfPakImports, shownOfChinaExports string  // SIPRI rounding
	}{
		{analysis.Period{From: 2016, To: 2020}, 2834.83, 3895.46, 7678.44, 72.7727, 36.9193, "73%", "37%"},
		{analysis.Period{From: 2017, To: 2021}, 3026.63, 4020.20, 6586.76, 75.2856, 45.9502, "75%", "46%"},
		{analysis.Period{From: 2020, To: 2024}, 5284.58, 6512.63, 8385.45, 81.1436, 63.0208, "81%", "63%"},
	} {
		imp := analysis.SupplierShare(ts, "China", "Pakistan", c.p)
		exp := analysis.RecipientShare(ts, "China", "Pakistan", c.p)
		near := func(got, want, tol float64) bool { return math.Abs(got-want) <= tol }
		if !near(imp.Part, c.chinaPak, 0.005) || !near(imp.Total, c.pakImports, 0.005) || !near(exp.Total, c.chinaExports, 0.005) {
			t.Errorf("%v: TIV China→Pakistan %.2f, Pakistan %.2f, China %.2f; want %.2f, %.2f, %.2f",
				c.p, imp.Part, imp.Total, exp.Total, c.chinaPak, c.pakImports, c.chinaExports)
		}
		if !near(imp.Percent(), c.shareOfPakImports, 1e-4) || !near(exp.Percent(), c.shareOfChinaExports, 1e-4) {
			t.Errorf("%v: shares %.4f%% and %.4f%%, want %.4f%% and %.4f%%", c.p, imp.Percent(), exp.Percent(), c.shareOfPakImports, c.shareOfChinaExports)
		}
		if got := analysis.FormatPercent(imp.Percent()); got != c.shownOfPakImports {
			t.Errorf("%v: China's share shown as %s, want %s", c.p, got, c.shownOfPakImports)
		}
		if got := analysis.FormatPercent(exp.Percent()); got != c.shownOfChinaExports {
			t.Errorf("%v: Pakistan's share shown as %s, want %s", c.p, got, c.shownOfChinaExports)
		}
	}
}

package analysis_test

import (
	"fmt"
	"math"

	"github.com/armsdash/armsdash/analysis"
)

func ExampleSupplierShare() {
	ts := []analysis.Transfer{
		{Supplier: "China", Recipient: "Pakistan", Year: 2020, TIV: 720},
		{Supplier: "United States", Recipient: "Pakistan", Year: 2021, TIV: 280},
	}
	s := analysis.SupplierShare(ts, "China", "Pakistan", analysis.Period{From: 2017, To: 2021})
	fmt.Println(s.Period, analysis.FormatPercent(s.Percent()), s.Part, s.Total)
	// Output: 2017–2021 72% 720 1000
}

func ExampleFormatPercent() {
	for _, p := range []float64{75.2856, 6.44, 0.01} {
		fmt.Println(analysis.FormatPercent(p))
	}
	// Output:
	// 75%
	// 6.4%
	// 0.0%
}

func ExampleFormatChange() {
	for _, p := range []float64{-63.90181537252984, -0.5916803002859572, 5.06, 12.5, 0.01, math.NaN()} {
		fmt.Println(analysis.FormatChange(p))
	}
	// Output:
	// −64%
	// −0.6%
	// +5.1%
	// +13%
	// 0.0%
	// n/a
}

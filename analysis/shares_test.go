package analysis

import (
	"math"
	"testing"
)

// A hand-made table: A delivers to R 10 in 2020 and 30 in 2021, B delivers
// to R 60 in 2021, A delivers to Q 60 in 2021 and 5 in 2019.
var tiny = []Transfer{
	{"A", "R", 2020, 10}, {"A", "R", 2021, 30}, {"B", "R", 2021, 60},
	{"A", "Q", 2021, 60}, {"A", "Q", 2019, 5},
}

func TestShares(t *testing.T) {
	for _, c := range []struct {
		name               string
		got                Share
		part, total, wantP float64
	}{
		// A's share of R's imports 2020–2021: (10+30)/(10+30+60) = 40%.
		{"supplier share", SupplierShare(tiny, "A", "R", Period{2020, 2021}), 40, 100, 40},
		// R's share of A's exports 2020–2021: 40/(40+60) = 40%; 2019 is outside.
		{"recipient share", RecipientShare(tiny, "A", "R", Period{2020, 2021}), 40, 100, 40},
		// 2019–2021 adds A→Q 5 to A's exports: 40/105.
		{"recipient share longer", RecipientShare(tiny, "A", "R", Period{2019, 2021}), 40, 105, 100 * 40.0 / 105},
		{"one year", SupplierShare(tiny, "B", "R", Period{2021, 2021}), 60, 90, 100 * 60.0 / 90},
		{"no partner deliveries", SupplierShare(tiny, "C", "R", Period{2020, 2021}), 0, 100, 0},
	} {
		if c.got.Part != c.part || c.got.Total != c.total || math.Abs(c.got.Percent()-c.wantP) > 1e-12 {
			t.Errorf("%s: got part %v total %v = %v%%, want %v/%v = %v%%", c.name, c.got.Part, c.got.Total, c.got.Percent(), c.part, c.total, c.wantP)
		}
	}
	if p := SupplierShare(tiny, "A", "R", Period{1990, 1995}).Percent(); !math.IsNaN(p) {
		t.Errorf("share with no imports at all = %v, want NaN (undefined)", p)
	}
}

func TestYearlyTIV(t *testing.T) {
	got := YearlyTIV(tiny, "", "R", 2019, 2022)
	want := []float64{0, 10, 90, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("YearlyTIV = %v, want %v", got, want)
		}
	}
	if YearlyTIV(tiny, "A", "", 2022, 2019) != nil {
		t.Error("reversed range must give nil")
	}
}

func TestFivePeriods(t *testing.T) {
	got := FivePeriods(1995, 2024)
	if len(got) != 6 || got[0] != (Period{1995, 1999}) || got[5] != (Period{2020, 2024}) {
		t.Fatalf("FivePeriods(1995, 2024) = %v", got)
	}
	if got := FivePeriods(1997, 2024); len(got) != 5 || got[0] != (Period{2000, 2004}) {
		t.Errorf("incomplete first period must be left out: %v", got)
	}
	if got := FivePeriods(2021, 2024); len(got) != 0 {
		t.Errorf("range shorter than 5 years gives %v", got)
	}
}

func TestFormatPercent(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{75.2856, "75%"}, {72.5, "73%"}, {10, "10%"}, {9.96, "10%"}, {9.94, "9.9%"},
		{4.66, "4.7%"}, {0.04, "0.0%"}, {0, "0.0%"}, {100, "100%"}, {math.NaN(), "n/a"}, {math.Inf(1), "n/a"},
	} {
		if got := FormatPercent(c.in); got != c.want {
			t.Errorf("FormatPercent(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestRoundPercent: the number FormatPercent writes, and its decimals.
func TestRoundPercent(t *testing.T) {
	for _, c := range []struct {
		in       float64
		want     float64
		decimals int
	}{
		{81.1, 81, 0}, {72.5, 73, 0}, {9.96, 10, 0}, {9.94, 9.9, 1}, {4.66, 4.7, 1}, {0, 0, 1}, {-12.4, -12, 0}, {-0.05, -0.1, 1},
	} {
		if got, d := RoundPercent(c.in); got != c.want || d != c.decimals {
			t.Errorf("RoundPercent(%v) = %v, %d; want %v, %d", c.in, got, d, c.want, c.decimals)
		}
	}
	if got, _ := RoundPercent(math.NaN()); !math.IsNaN(got) {
		t.Errorf("RoundPercent(NaN) = %v", got)
	}
}

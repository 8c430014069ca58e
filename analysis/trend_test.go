package analysis

import (
	"errors"
	"math"
	"testing"
)

func TestMovingSum(t *testing.T) {
	got := MovingSum([]float64{1, 2, 3, 4, 5, 6}, 5)
	if len(got) != 2 || got[0] != 15 || got[1] != 20 {
		t.Fatalf("MovingSum = %v, want [15 20]", got)
	}
	if MovingSum([]float64{1, 2}, 5) != nil || MovingSum([]float64{1}, 0) != nil {
		t.Error("window longer than data or < 1 must give nil")
	}
}

// TestLinearTrend checks a fit worked out by hand: x = 1..4, y = 1, 3, 2, 5.
// x̄ = 2.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5, so b = 1.1 and a = 0.
// Residuals -0.1, 0.8, -1.3, 0.6 give SSR = 2.7, SE(b) = √(2.7/2/5) = 0.51962…,
// SST = 8.75 and R² = 1 − 2.7/8.75 = 0.69143….
func TestLinearTrend(t *testing.T) {
	tr, err := LinearTrend([]float64{1, 2, 3, 4}, []float64{1, 3, 2, 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"intercept", tr.Intercept, 0}, {"slope", tr.Slope, 1.1},
		{"slope SE", tr.SlopeSE, math.Sqrt(2.7 / 2 / 5)}, {"R²", tr.R2, 1 - 2.7/8.75},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", c.name, c.got, c.want)
		}
	}
	if _, err := LinearTrend([]float64{1, 2}, []float64{1, 2}); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("two points: err = %v, want ErrTooFewPoints", err)
	}
	if _, err := LinearTrend([]float64{3, 3, 3}, []float64{1, 2, 3}); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("constant x: err = %v, want ErrTooFewPoints", err)
	}
}

package data

import "testing"

func TestUpdatesString(t *testing.T) {
	tests := []struct {
		u    Updates
		want string
	}{
		{Updates{}, ""},
		{Updates{"2026-05-14T08:30:00Z", "2026-05-14T08:30:00Z", 1}, "2026-05-14 08:30–08:45 UTC, one 15-minute update"},
		{Updates{"2026-05-14T08:30:00Z", "2026-05-14T09:00:00Z", 2}, "2026-05-14 08:30–09:15 UTC, 2 15-minute updates"},
		{Updates{"2016-10-13T23:45:00Z", "2016-10-13T23:45:00Z", 1}, "2016-10-13 23:45 – 2016-10-14 00:00 UTC, one 15-minute update"},
		{Updates{"2016-07-28", "2016-07-28", 1}, "2016-07-28, one daily update"},
		{Updates{"2013-02-03", "2016-07-28", 3}, "2013-02-03 – 2016-07-28, 3 daily updates"},
	}
	for _, tt := range tests {
		if got := tt.u.String(); got != tt.want {
			t.Errorf("%+v: %q; want %q", tt.u, got, tt.want)
		}
	}
}

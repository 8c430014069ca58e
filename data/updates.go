package data

import (
	"fmt"
	"time"
)

// Updates is the span of GDELT updates a file holds, from the DATEADDED
// of its rows: GDELT 2.0 adds events every 15 minutes, stamping each row
// with the update's time (YYYYMMDDHHMMSS, UTC), and GDELT 1.0 once a day
// (YYYYMMDD). A file's events are only what GDELT reported in those
// updates, so counts from it cover that span and no more.
type Updates struct {
	// First and Last are the earliest and latest DATEADDED of the rows,
	// as "2026-05-14T08:30:00Z" (GDELT 2.0) or "2016-07-28" (1.0); ""
	// for a file that is not GDELT's.
	First, Last string
	// Count is how many distinct DATEADDED the rows have: the number of
	// updates.
	Count int
}

// The length of GDELT 2.0 and 1.0 update stamps as Updates holds them.
const (
	updateTimeLayout = time.RFC3339
	updateDayLayout  = time.DateOnly
)

// Every is how long one update covers: 15 minutes for GDELT 2.0, a day
// for GDELT 1.0; 0 when u is zero or malformed.
func (u Updates) Every() time.Duration {
	switch {
	case u.First == "":
		return 0
	case len(u.First) == len(updateDayLayout):
		return 24 * time.Hour
	}
	return 15 * time.Minute
}

// String words the span, e.g. "2026-05-14 08:30–08:45 UTC, one 15-minute
// update", "2016-10-13 15:15 – 2016-10-14 09:00 UTC, 3 15-minute updates",
// "2016-07-28, one daily update" or "2013-02-03 – 2016-07-28, 3 daily
// updates". The end of a 15-minute span is the last update's time plus 15
// minutes. "" when u is zero; the stamps as stored when they do not parse.
func (u Updates) String() string {
	if u.First == "" {
		return ""
	}
	n := "one"
	if u.Count != 1 {
		n = fmt.Sprint(u.Count)
	}
	every := u.Every()
	if every == 24*time.Hour {
		span := u.First
		if u.Last != u.First {
			span += " – " + u.Last
		}
		return fmt.Sprintf("%s, %s daily update%s", span, n, plural(u.Count))
	}
	first, err1 := time.Parse(updateTimeLayout, u.First)
	last, err2 := time.Parse(updateTimeLayout, u.Last)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("%s – %s, %s update%s", u.First, u.Last, n, plural(u.Count))
	}
	end := last.Add(every)
	span := first.UTC().Format("2006-01-02 15:04") + "–" + end.UTC().Format("15:04")
	if end.UTC().Format(time.DateOnly) != first.UTC().Format(time.DateOnly) {
		span = first.UTC().Format("2006-01-02 15:04") + " – " + end.UTC().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("%s UTC, %s 15-minute update%s", span, n, plural(u.Count))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

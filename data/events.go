package data

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Event is one military-diplomacy event between two sides: a meeting, a
// visit, an agreement, a joint statement.
type Event struct {
	// Date is as precise as the source allows: "2023-04-25" (day),
	// "2023-04" (month), "2023" (year), or "" when the source gives no
	// year (Precision "unknown").
	Date      string
	Precision string // "day", "month", "year" or "unknown"
	// DateNote quotes how the source dates the event when it gives no full
	// date, e.g. `"on Monday" (article gives no year)`.
	DateNote string
	SideA    string // a country, by its canonical name
	SideB    string
	Actors   string // who met whom, e.g. "Defence Minister Li Shangfu; Chief of Naval Staff Amjad Khan Niazi"
	Type     string // one of EventTypes
	Place    string
	Summary  string // one line, in the dashboard's own words
	Source   string // the article (seed file) or data file the event comes from

	// Set for events read from GDELT.
	SourceID  string // GLOBALEVENTID
	Code      string // CAMEO event code, e.g. "042"
	SourceURL string
	// NumSources and NumArticles are GDELT's counts of the sources and
	// of the articles that mentioned the event in the 15 minutes (GDELT
	// 2.0) or the day (1.0) it was first seen; 0 when not known (events
	// CSV). Root is GDELT's IsRootEvent: the event was found in the lead
	// paragraph of its article.
	NumSources, NumArticles int
	Root                    bool

	// Also lists the other rows counted as this one event (see
	// DedupEvents), in the order they were stored: the same interaction
	// reported again, e.g. with the two sides swapped. It is set only in
	// lists of events (Snapshot.Events, Store.Events), never in a File.
	Also []Event
}

// EventTypes lists the event types, in the order pages show them.
var EventTypes = []string{
	"defence-ministers", // meeting of defence ministers or a defence minister with a service chief
	"military-chiefs",   // meeting of army, navy, air or joint chiefs
	"foreign-ministers", // visit or meeting involving a foreign minister
	"agreement",         // an agreement, e.g. on co-production
	"joint-statement",   // a joint statement
	"visit",             // other official visit (GDELT CAMEO 042, 043)
	"cooperation",       // other cooperation (GDELT CAMEO 03x, 06x)
	"other",
}

// Year returns the event's year, or 0 when its date has no year.
func (e Event) Year() int {
	if len(e.Date) < 4 {
		return 0
	}
	y := 0
	for _, c := range e.Date[:4] {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

// EventColumns is the header of armsdash's events CSV, in this order.
// The file is UTF-8, comma-separated, quoted as RFC 4180 (fields holding
// commas, quotes or line breaks are wrapped in double quotes).
//
//	date       2023-04-25, 2023-04, 2023, or empty when precision is unknown
//	precision  day | month | year | unknown (must match the date's form)
//	date_note  how the source dates the event, when the date is partial
//	side_a     first country (as named by SIPRI, e.g. "China")
//	side_b     second country
//	actors     who met whom
//	type       one of EventTypes
//	place      where it happened
//	summary    one line
//	source     the article or file the event comes from (required)
var EventColumns = []string{"date", "precision", "date_note", "side_a", "side_b", "actors", "type", "place", "summary", "source"}

// sniffEvents reports whether text is an armsdash events CSV.
func sniffEvents(text string) bool {
	return strings.HasPrefix(strings.TrimPrefix(text, "\ufeff"), strings.Join(EventColumns, ","))
}

// ReadEvents reads armsdash's events CSV (see EventColumns). Every bad row
// is reported by line and column; the file is refused unless opt.SkipBad.
func ReadEvents(name string, b []byte, opt Options) (*File, error) {
	f := &File{Dataset: Dataset{
		Name:   name,
		Format: FormatEvents,
		Source: "event list " + name,
		SHA256: sha256Hex(b),
	}}
	return readRows(f, &f.Events, b, EventColumns, opt, nil, func(line int, rec []string) (Event, *ParseError) {
		return parseEvent(name, line, rec)
	})
}

// parseEvent checks one record of the events CSV.
func parseEvent(name string, line int, rec []string) (Event, *ParseError) {
	e := Event{Date: rec[0], Precision: rec[1], DateNote: rec[2], SideA: rec[3], SideB: rec[4],
		Actors: rec[5], Type: rec[6], Place: rec[7], Summary: rec[8], Source: rec[9]}
	bad := func(col int, msg string) *ParseError {
		return cellError(name, line, EventColumns, col, msg)
	}
	if col, msg := checkEventDate(e.Date, e.Precision); msg != "" {
		return e, bad(col, msg)
	}
	if e.SideA == "" {
		return e, bad(3, "is empty; expected a country")
	}
	if e.SideB == "" {
		return e, bad(4, "is empty; expected a country")
	}
	if !slices.Contains(EventTypes, e.Type) {
		return e, bad(6, fmt.Sprintf("%q is not one of %s", e.Type, strings.Join(EventTypes, ", ")))
	}
	if e.Source == "" {
		return e, bad(9, "is empty; every event must name its source")
	}
	return e, nil
}

// checkEventDate checks that date has the form its precision says. It
// returns a message and the column at fault (0 date, 1 precision), or "".
func checkEventDate(date, precision string) (int, string) {
	layouts := map[string]string{"day": time.DateOnly, "month": "2006-01", "year": "2006"}
	if precision == "unknown" {
		if date != "" {
			return 0, fmt.Sprintf("%q is given but precision is unknown; leave the date empty or set its precision", date)
		}
		return 0, ""
	}
	layout, ok := layouts[precision]
	if !ok {
		return 1, fmt.Sprintf("%q is not day, month, year or unknown", precision)
	}
	if _, err := time.Parse(layout, date); err != nil {
		return 0, fmt.Sprintf("%q is not a date of precision %s (expected the form %s)", date, precision, strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD").Replace(layout))
	}
	return 0, ""
}

// WriteEvents writes events in the format ReadEvents reads.
func WriteEvents(w io.Writer, events []Event) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(EventColumns)
	for _, e := range events {
		cw.Write([]string{e.Date, e.Precision, e.DateNote, e.SideA, e.SideB, e.Actors, e.Type, e.Place, e.Summary, e.Source})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

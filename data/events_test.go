package data

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestReadEventsRoundTrip(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteEvents(&buf, s.Events); err != nil {
		t.Fatal(err)
	}
	f, err := ReadEvents("events.csv", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Events) != len(s.Events) {
		t.Fatalf("read back %d events, wrote %d", len(f.Events), len(s.Events))
	}
	for i := range f.Events {
		if !reflect.DeepEqual(f.Events[i], s.Events[i]) {
			t.Errorf("event %d: read %+v, wrote %+v", i, f.Events[i], s.Events[i])
		}
	}
}

func TestReadEventsErrors(t *testing.T) {
	head := strings.Join(EventColumns, ",") + "\n"
	for _, c := range []struct{ name, body, want string }{
		{"empty file", "", "x.csv:1: file is empty"},
		{"wrong header", "date,side_a\n", "x.csv:1: header is"},
		{"bad day", head + "2023-02-30,day,,China,Pakistan,,visit,,,a.txt\n", `x.csv:2: column 1 "date": "2023-02-30" is not a date of precision day`},
		{"month with day precision", head + "2023-04,day,,China,Pakistan,,visit,,,a.txt\n", `x.csv:2: column 1 "date"`},
		{"unknown type", head + "2023,year,,China,Pakistan,,parade,,,a.txt\n", `x.csv:2: column 7 "type": "parade" is not one of`},
		{"no source", head + "2023,year,,China,Pakistan,,visit,,,\n", `x.csv:2: column 10 "source": is empty`},
		{"missing field", head + "2023,year,,China\n", "x.csv:2: has 4 fields; expected 10"},
		{"bad quote", head + "2023,year,\"x\"y,China,Pakistan,,visit,,,a.txt\n", "x.csv:2:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadEvents("x.csv", []byte(c.body), Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestEventYear(t *testing.T) {
	for date, want := range map[string]int{"2023-04-25": 2023, "2023-04": 2023, "2016": 2016, "": 0, "20x3": 0} {
		if got := (Event{Date: date}).Year(); got != want {
			t.Errorf("Year(%q) = %d, want %d", date, got, want)
		}
	}
}

func FuzzReadEvents(f *testing.F) {
	head := strings.Join(EventColumns, ",") + "\n"
	f.Add([]byte(head + "2023-04-25,day,,China,Pakistan,A; B,visit,Beijing,\"x, y\",a.txt\n"))
	f.Add([]byte(head + "\"unterminated\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ReadEvents("fuzz.csv", b, Options{})
		checkParseError(t, err)
	})
}

func FuzzReadFlows(f *testing.F) {
	f.Add([]byte("# Data generated: 12 Feb 2026\nsupplier,recipient,year,tiv_millions\nChina,Pakistan,2020,407.5\n"))
	f.Add([]byte("#\n#x\nsupplier,recipient,year,tiv_millions\n,,,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ReadFlows("fuzz.csv", b, Options{})
		checkParseError(t, err)
	})
}

package dashboard

import (
	"fmt"
	"strings"
)

// The errors the domain layer returns. They say what went wrong and carry
// no HTTP status: package web maps each kind to one in a single table.

// InvalidParamError is a query parameter (or command-line flag) whose value
// cannot be used: missing where required, malformed, out of range, not
// one of the known values, or not a parameter the query takes at all.
type InvalidParamError struct {
	Param string // the parameter's name, e.g. "from"
	Value string // the value given, shortened for display; "" when missing
	// Msg says what is wrong with the value and what is expected, e.g.
	// "“abc” is not a year; give a year from 1950 to 2100, e.g. 2020".
	Msg string
	// Known lists the valid values when there are few enough to list
	// (at most maxKnown); KnownLabel heads the list.
	Known      []string
	KnownLabel string
	// Suggestion is the known value closest to Value, "" when none is
	// close (see Suggest).
	Suggestion string
	// Using says what is used in its place on a page, e.g. "showing
	// 1995–2024"; "" when nothing needs saying.
	Using string
}

// Error returns "Parameter NAME: MSG", with the suggestion.
func (e *InvalidParamError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Parameter %s: %s", e.Param, e.Msg)
	switch {
	case e.Suggestion != "":
		fmt.Fprintf(&b, "; did you mean “%s”?", strings.TrimRight(e.Suggestion, "."))
	case !strings.HasSuffix(e.Msg, "."):
		b.WriteString(".")
	}
	return b.String()
}

// Notice is the sentence a page shows for e: the error, then what is
// shown instead.
func (e *InvalidParamError) Notice() string {
	if e.Using == "" {
		return e.Error()
	}
	return e.Error() + " " + upperFirst(e.Using) + "."
}

// NotFoundError is a thing asked for that does not exist, such as a
// dataset named in a form. Msg is the sentence shown.
type NotFoundError struct{ Msg string }

// Error returns Msg.
func (e *NotFoundError) Error() string { return e.Msg }

// NotDrawableError says that a view cannot be drawn from the data held,
// for example a country's imports from a TIV table of another country's
// exports, or any chart when no arms-transfer data is loaded. Msg says why
// in a sentence.
type NotDrawableError struct{ Msg string }

// Error returns Msg.
func (e *NotDrawableError) Error() string { return e.Msg }

// GoneError says that the data a view was pinned to (ChartState.Pin) is
// no longer loaded, so the view is not drawn from other data.
type GoneError struct{ Msg string }

// Error returns Msg.
func (e *GoneError) Error() string { return e.Msg }

// maxKnown is the most known values an InvalidParamError lists.
const maxKnown = 300

// knownList returns known when it is short enough to list, else nil.
func knownList(known []string) []string {
	if len(known) > maxKnown {
		return nil
	}
	return known
}

// Shorten cuts a user-supplied value to 80 characters for display, with
// "…" when cut.
func Shorten(s string) string {
	const max = 80
	r := []rune(s)
	if len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText turns a file's bytes into UTF-8 text, decoded as encodingOf
// decides.
func decodeText(name string, b []byte) (string, error) {
	t, err := encodingOf(name, b)
	if err != nil {
		return "", err
	}
	if !t.cp1252 {
		return string(t.b), nil
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(t.b)
	if err != nil {
		return "", &ParseError{File: name, Line: 1, Msg: "text is neither UTF-8 nor Windows-1252: " + err.Error()}
	}
	return string(s), nil
}

// encodedText is a file's bytes, without a UTF-8 byte order mark, and
// their encoding: what decodeText decodes, for a reader that decodes a
// line at a time.
type encodedText struct {
	b      []byte
	cp1252 bool // Windows-1252; UTF-8 when false
}

// encodingOf decides how a file's bytes are decoded. SIPRI's exports are
// Windows-1252; users also re-save them as UTF-8. A file that is valid
// UTF-8 is taken as UTF-8 (a byte order mark dropped), anything else as
// Windows-1252. A file that mixes the two (some lines valid UTF-8 with
// non-ASCII characters, others not) is refused, naming a line of each
// kind, because no single decoding reads it right; so is a UTF-16 or
// UTF-32 file (see wideTextError).
func encodingOf(name string, b []byte) (encodedText, error) {
	if perr := wideTextError(name, b); perr != nil {
		return encodedText{}, perr
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	if utf8.Valid(b) {
		return encodedText{b: b}, nil
	}
	utf8Line, cp1252Line := 0, 0
	for ln, off := 1, 0; off < len(b); ln++ {
		var line []byte
		line, off = nextLine(b, off)
		if isASCII(line) {
			continue
		}
		if utf8.Valid(line) {
			if utf8Line == 0 {
				utf8Line = ln
			}
		} else if cp1252Line == 0 {
			cp1252Line = ln
		}
		if utf8Line != 0 && cp1252Line != 0 {
			return encodedText{}, &ParseError{File: name, Line: utf8Line, Msg: fmt.Sprintf(
				"mixed text encodings: this line is UTF-8 but line %d is Windows-1252; re-export the file or convert it to one encoding", cp1252Line)}
		}
	}
	return encodedText{b: b, cp1252: true}, nil
}

// decode returns p, a part of t.b, as UTF-8 text: a copy, so that the
// text does not keep t.b alive. Decoding a line at a time gives the text
// decodeText gives: Windows-1252 maps each byte to one character, and no
// byte of a multi-byte UTF-8 character is a line feed.
func (t encodedText) decode(p []byte) string {
	if !t.cp1252 || isASCII(p) {
		return string(p)
	}
	n := len(p)
	for _, c := range p {
		if c >= utf8.RuneSelf {
			n += utf8.RuneLen(charmap.Windows1252.DecodeByte(c)) - 1
		}
	}
	var s strings.Builder
	s.Grow(n)
	for _, c := range p {
		if c < utf8.RuneSelf {
			s.WriteByte(c)
		} else {
			s.WriteRune(charmap.Windows1252.DecodeByte(c))
		}
	}
	return s.String()
}

// wideTextError refuses text in UTF-16 or UTF-32, which spreadsheet
// programs write when asked for "Unicode text": a file that starts with
// their byte order mark, or, without one, whose first KiB has a NUL in at
// least half of its odd (little-endian) or even (big-endian) bytes and
// almost none in the others, as UTF-16 writes mostly-ASCII text. It
// returns nil for anything else.
func wideTextError(name string, b []byte) *ParseError {
	enc := ""
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}):
		enc = "UTF-32 (little-endian, with a byte order mark)"
	case bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF}):
		enc = "UTF-32 (big-endian, with a byte order mark)"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		enc = "UTF-16 (little-endian, with a byte order mark)"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		enc = "UTF-16 (big-endian, with a byte order mark)"
	default:
		head := b[:min(len(b), 1024)&^1]
		pairs := len(head) / 2
		nulEven, nulOdd := 0, 0
		for i := 0; i < len(head); i += 2 {
			if head[i] == 0 {
				nulEven++
			}
			if head[i+1] == 0 {
				nulOdd++
			}
		}
		switch {
		case pairs == 0:
		case 2*nulOdd >= pairs && 16*nulEven <= pairs:
			enc = "UTF-16 (little-endian)"
		case 2*nulEven >= pairs && 16*nulOdd <= pairs:
			enc = "UTF-16 (big-endian)"
		}
	}
	if enc == "" {
		return nil
	}
	return &ParseError{File: name, Line: 1, Msg: "file is " + enc + ", which armsdash does not read: save it as UTF-8 or Windows-1252 (in Excel: \"CSV UTF-8\" or \"CSV (Comma delimited)\") and import that"}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// splitLines splits text into physical lines, dropping the line ending
// (LF or CRLF). A final line ending does not start an empty last line.
func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// nextLine returns the physical line of b that starts at offset off,
// without its line ending (LF or CRLF), and the offset of the line after
// it: len(b) after the last. Walking b from 0 while off < len(b) gives the
// lines splitLines gives (but for a lone line feed: one empty line, where
// splitLines gives none).
func nextLine(b []byte, off int) (line []byte, next int) {
	line = b[off:]
	next = len(b)
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line, next = line[:j], off+j+1
	}
	return bytes.TrimSuffix(line, []byte("\r")), next
}

// parseGenerated reads a SIPRI "Data generated: 12 Feb 2026 12:26:12 PM" or
// "Generated: 11 December 2023" line (trailing ';' and quotes allowed) and
// returns the date as YYYY-MM-DD.
func parseGenerated(line string) (string, bool) {
	line = strings.Trim(strings.TrimSpace(line), `;,"`)
	var rest string
	switch {
	case strings.HasPrefix(line, "Data generated:"):
		rest = strings.TrimPrefix(line, "Data generated:")
	case strings.HasPrefix(line, "Generated:"):
		rest = strings.TrimPrefix(line, "Generated:")
	default:
		return "", false
	}
	f := strings.Fields(rest)
	if len(f) < 3 {
		return "", false
	}
	date := strings.Join(f[:3], " ")
	for _, layout := range []string{"2 Jan 2006", "2 January 2006"} {
		if t, err := time.Parse(layout, date); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// parseTIV reads a SIPRI number cell. SIPRI writes values between 0 and 0.5
// as "0 " and leaves a cell empty for "no data"; empty gives ok=false and no
// error. A cell that is not a non-negative decimal number (see parseFinite)
// gives an error message.
func parseTIV(cell string) (v float64, ok bool, msg string) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return 0, false, ""
	}
	v, fine := parseFinite(s)
	if !fine || v < 0 {
		return 0, false, fmt.Sprintf("%q is not a non-negative number", clip(cell))
	}
	return v, true, ""
}

// parseFinite reads a decimal number such as "12", "-0.5" or "1.5e6" and
// reports whether s is one. Unlike strconv.ParseFloat it refuses "NaN",
// "Inf", "Infinity" (in any case, with any sign), hexadecimal floats and
// numbers too large for a float64, so that no reader lets a value through
// that sums, shares and stores cannot hold.
func parseFinite(s string) (float64, bool) {
	if s == "" || strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// parseFlag reads a SIPRI "Yes"/"No" estimate flag; empty is false.
func parseFlag(cell string) (bool, bool) {
	switch strings.TrimSpace(cell) {
	case "Yes":
		return true, true
	case "No", "":
		return false, true
	}
	return false, false
}

// sipriDataset is the Dataset of the file b, named name, that SIPRI's Arms
// Transfers Database exported in format: SIPRI's source, attribution and
// terms of use.
func sipriDataset(name string, format Format, b []byte) Dataset {
	return Dataset{
		Name:        name,
		Format:      format,
		Source:      "SIPRI Arms Transfers Database",
		Attribution: "Source: SIPRI Arms Transfers Database (c) SIPRI",
		Licence:     "SIPRI terms of use: free for non-commercial use with attribution",
		SHA256:      sha256Hex(b),
	}
}

// sha256Hex returns the hex SHA-256 digest of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

package data

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText turns a file's bytes into UTF-8 text. SIPRI's exports are
// Windows-1252; users also re-save them as UTF-8. A file that is valid UTF-8
// is taken as UTF-8, anything else as Windows-1252. A file that mixes the two
// (some lines valid UTF-8 with non-ASCII characters, others not) is refused,
// naming a line of each kind, because no single decoding reads it right; so
// is a UTF-16 or UTF-32 file (see wideTextError).
func decodeText(name string, b []byte) (string, error) {
	enc, body, err := detectEncoding(name, b)
	if err != nil {
		return "", err
	}
	return enc.decode(body), nil
}

// textEncoding is how a file's bytes encode its text: UTF-8 or
// Windows-1252, both of which leave ASCII bytes as they are.
type textEncoding int

const (
	encodingUTF8 textEncoding = iota
	encodingWindows1252
)

// detectEncoding returns the encoding of b, chosen as decodeText says,
// and b without its UTF-8 byte order mark, so that a reader can decode
// only the fields it keeps (textEncoding.decode) instead of the whole file.
// Only the lines with a byte outside ASCII are looked at one by one.
func detectEncoding(name string, b []byte) (textEncoding, []byte, error) {
	if perr := wideTextError(name, b); perr != nil {
		return 0, nil, perr
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	if utf8.Valid(b) {
		return encodingUTF8, b, nil
	}
	utf8Line, cp1252Line := 0, 0
	line, pos := 1, 0 // b[pos:] starts line number line
	for {
		i := indexNonASCII(b[pos:])
		if i < 0 {
			break
		}
		start := pos + bytes.LastIndexByte(b[pos:pos+i], '\n') + 1
		line += bytes.Count(b[pos:start], []byte("\n"))
		end := len(b)
		if j := bytes.IndexByte(b[pos+i:], '\n'); j >= 0 {
			end = pos + i + j
		}
		if utf8.Valid(b[start:end]) {
			if utf8Line == 0 {
				utf8Line = line
			}
		} else if cp1252Line == 0 {
			cp1252Line = line
		}
		if utf8Line != 0 && cp1252Line != 0 {
			return 0, nil, &ParseError{File: name, Line: utf8Line, Msg: fmt.Sprintf(
				"mixed text encodings: this line is UTF-8 but line %d is Windows-1252; re-export the file or convert it to one encoding", cp1252Line)}
		}
		if end == len(b) {
			break
		}
		pos, line = end+1, line+1
	}
	return encodingWindows1252, b, nil
}

// decode returns the text that b, bytes in encoding e, holds, as UTF-8.
// Windows-1252 maps each byte to one character (windows1252), so a file
// may be decoded field by field with the same result as whole.
func (e textEncoding) decode(b []byte) string {
	if e == encodingUTF8 {
		return string(b)
	}
	i := indexNonASCII(b)
	if i < 0 {
		return string(b)
	}
	out := make([]byte, i, len(b)+len(b)/2)
	copy(out, b[:i])
	for _, c := range b[i:] {
		out = utf8.AppendRune(out, windows1252[c])
	}
	return string(out)
}

// decodeString is decode for text held in a string.
func (e textEncoding) decodeString(s string) string {
	if e == encodingUTF8 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return e.decode([]byte(s))
		}
	}
	return s
}

// windows1252 maps each Windows-1252 byte to its character, as
// golang.org/x/text's charmap decodes it.
var windows1252 = func() (t [256]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
	return t
}()

// indexNonASCII returns the index of the first byte of b outside ASCII,
// or -1 when there is none; it tests eight bytes at a time.
func indexNonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return i
		}
	}
	return -1
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
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return 0, false
		}
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

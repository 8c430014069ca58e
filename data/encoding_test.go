package data

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// TestRegisterResavedAsUTF8 checks the two ways a Windows-1252 SIPRI export
// meets UTF-8: re-saved whole as UTF-8 (as the source repository of the
// China register did in its next commit), it reads exactly as the original;
// with one UTF-8 line pasted into the Windows-1252 text, no decoding can
// read it right, and it is refused with both lines named.
func TestRegisterResavedAsUTF8(t *testing.T) {
	raw := readShared(t, "sipri_trade_register/china_supplier_2000-2025_cp1252.csv")
	orig, err := ReadRegister("china.csv", raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	utf8Bytes, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	resaved, err := ReadRegister("china.csv", utf8Bytes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(orig.Deals, resaved.Deals) {
		t.Error("the UTF-8 copy reads differently from the Windows-1252 original")
	}

	// Paste a UTF-8 "ü" onto line 13 of the original (a Windows-1252 file
	// whose line with "Guaiquerí" keeps its single byte 0xED).
	lines := bytes.Split(raw, []byte("\n"))
	lines[12] = append(lines[12], []byte("\xc3\xbc")...)
	mixed := bytes.Join(lines, []byte("\n"))
	_, err = ReadRegister("china.csv", mixed, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "china.csv:13: mixed text encodings") {
		t.Fatalf("error = %v; want it to name line 13 and mixed encodings", err)
	}
}

// TestDecodeLine checks that decoding a piece of Windows-1252 text at a
// time gives what decoding it whole gives, for every byte.
func TestDecodeLine(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	want, err := charmap.Windows1252.NewDecoder().String(string(all))
	if err != nil {
		t.Fatal(err)
	}
	if got := encodingWindows1252.decode(all); got != want || !utf8.ValidString(got) {
		t.Errorf("decode of every byte = %q; want %q", got, want)
	}
	if got := encodingUTF8.decode([]byte("Bü\xff")); got != "Bü\xff" {
		t.Errorf("UTF-8 decode = %q; want the bytes as they are", got)
	}
}

// TestNextLine checks that walking text with nextLine gives the lines
// splitLines gives, but for the empty line of a lone line feed.
func TestNextLine(t *testing.T) {
	for _, s := range []string{"", "\n", "a", "a\n", "a\r\nb", "a\n\nb\r\n", "\r\n\r\n", "a\rb\n"} {
		var got []string
		for off := 0; off < len(s); {
			var line []byte
			line, off = nextLine([]byte(s), off)
			got = append(got, string(line))
		}
		want := splitLines(s)
		if s == "\n" {
			want = []string{""}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("lines of %q = %q; want %q", s, got, want)
		}
	}
}

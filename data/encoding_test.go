package data

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

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

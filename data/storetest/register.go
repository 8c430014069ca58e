package storetest

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/armsdash/armsdash/data"
)

// registerHeader is the header line of SIPRI's current trade register.
const registerHeader = "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"

// RegisterBytes returns a trade register of n made-up deals in SIPRI's
// current format (Windows-1252, a "Data generated" line, every tenth
// deal's comment split over two lines, a non-state recipient), so that
// the stores import one as the import command reads it (data.Options.Lean).
func RegisterBytes(n int) []byte {
	var b bytes.Buffer
	b.WriteString("SIPRI Arms Transfers Database - Trade Register\r\nData generated: 13 Mar 2025 10:02:49 AM\r\n\r\n" + registerHeader + "\r\n")
	for i := range n {
		recipient, comment := fmt.Sprint("R", i%50), fmt.Sprint("deal ", i)
		if i%7 == 0 {
			recipient = "Hezbollah (Lebanon)*"
		}
		if i%10 == 0 {
			comment += " with a line\r\nbreak and Bü\xfc" // 0xFC is ü in Windows-1252
		}
		fmt.Fprintf(&b, "%s,China,%d,,%d,?,D-%d,Aircraft,%d,,%d; %d,New,%s,%d,%d,%d\r\n",
			recipient, 1990+i%30, 2+i%5, i, 1+i%5, 1991+i%30, 1992+i%30, comment, 1+i%9, (1+i%9)*(2+i%5), (1+i%9)*(1+i%5))
	}
	return b.Bytes()
}

// testImportLean imports a register read as the import command reads it
// (data.Options.Lean, its deals read again from the file): the store
// holds the deals a full read gives, and reads the file back as that.
func testImportLean(t *testing.T, e Engine) {
	ctx := context.Background()
	s := e.Open(t)
	b := RegisterBytes(700)
	full, err := data.Read("register.csv", b, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := data.Read("register.csv", bytes.Clone(b), data.Options{Lean: true, From: bytes.NewReader(b)})
	if err != nil {
		t.Fatal(err)
	}
	if lean.Deals != nil || lean.NumDeals() != 700 || len(full.Deals) != 700 {
		t.Fatalf("lean read holds %d Deals, %d deals; full read %d; want none, 700 and 700", len(lean.Deals), lean.NumDeals(), len(full.Deals))
	}
	if _, err := s.Import(ctx, lean); err != nil {
		t.Fatal(err)
	}
	back, err := s.File(ctx, "register.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := *full
	want.Bytes = 0 // not stored
	if !reflect.DeepEqual(back, &want) {
		t.Errorf("lean register reads back as %d deals, dataset %+v; want those of a full read", len(back.Deals), back.Dataset)
	}
}

// changedRegister returns a register read with Lean whose file, From,
// then changed: one TIV figure of its last deal, so that every deal reads
// again but not as it was read.
func changedRegister(name string) *data.File {
	b := RegisterBytes(2000)
	changed := bytes.Clone(b)
	i := bytes.LastIndex(changed, []byte(",")) + 1 // its first digit
	if changed[i] == '9' {
		changed[i] = '8'
	} else {
		changed[i]++
	}
	f, err := data.Read(name, b, data.Options{Lean: true, From: bytes.NewReader(changed)})
	if err != nil {
		panic(err)
	}
	return f
}

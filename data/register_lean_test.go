package data

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// leanDeals returns every deal of f through File.Deal, failing t on an
// error.
func leanDeals(t testing.TB, f *File) []Deal {
	t.Helper()
	var out []Deal
	for i := range f.NumDeals() {
		d, err := f.Deal(i)
		if err != nil {
			t.Fatalf("deal %d: %v", i, err)
		}
		out = append(out, d)
	}
	return out
}

// checkLeanSame reads b with Read as it is and with Lean (from memory,
// and from a reader of b), and fails t unless the three give the same
// outcome: the same error, or files alike but for Deals, whose deals read
// through Deal equal the Deals of the first. It returns the first file.
func checkLeanSame(t testing.TB, name string, b []byte, opt Options) *File {
	t.Helper()
	full, ferr := Read(name, b, opt)
	for _, from := range []bool{false, true} {
		lopt := opt
		lopt.Lean = true
		if from {
			lopt.From = bytes.NewReader(bytes.Clone(b))
		}
		lean, lerr := Read(name, bytes.Clone(b), lopt)
		if !reflect.DeepEqual(ferr, lerr) {
			t.Fatalf("From %v: error %v; want %v as without Lean", from, lerr, ferr)
		}
		if ferr != nil {
			continue
		}
		if lean.Deals != nil || lean.NumDeals() != len(full.Deals) {
			t.Fatalf("From %v: %d Deals, NumDeals %d; want none and %d", from, len(lean.Deals), lean.NumDeals(), len(full.Deals))
		}
		if got := leanDeals(t, lean); !reflect.DeepEqual(got, full.Deals) && len(full.Deals) > 0 {
			t.Fatalf("From %v: deals read again differ from those read at once", from)
		}
		if err := lean.VerifyDeals(); err != nil {
			t.Fatalf("From %v: VerifyDeals: %v", from, err)
		}
		same := *lean
		same.Deals, same.lean = full.Deals, nil
		if !reflect.DeepEqual(&same, full) {
			t.Fatalf("From %v: file differs but for its deals:\n got %+v\nwant %+v", from, same.Dataset, full.Dataset)
		}
	}
	return full
}

// TestRegisterLeanRealFiles reads the real registers with and without
// Lean: the same dataset, skipped rows, unmapped names and deals.
func TestRegisterLeanRealFiles(t *testing.T) {
	for _, rel := range []string{regAllFile, regChinaFile} {
		f := checkLeanSame(t, rel, readShared(t, rel), Options{})
		if f.Dataset.Rows == 0 {
			t.Errorf("%s: no rows", rel)
		}
	}
}

// TestRegisterLeanSmall covers what the real files lack: a byte order
// mark, CRLF endings, a record over several lines, a blank line, bad rows
// skipped, and parties renamed and marked.
func TestRegisterLeanSmall(t *testing.T) {
	small, err := os.ReadFile(regSmallFile)
	if err != nil {
		t.Fatal(err)
	}
	text, err := decodeText("small.csv", small)
	if err != nil {
		t.Fatal(err)
	}
	crlf := "\ufeff" + strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	split := regHeaderText + "\n" + regRowText[:len(regRowText)-9] + "\r\n\r\n,47,47,47\n\n" +
		"Iran,Hezbollah (Lebanon)*,2006,,1,,X,Y,,,,New,,,,\nbad row\n" + regRowText + "\n"
	for name, b := range map[string][]byte{"small.csv": small, "crlf.csv": []byte(crlf), "split.csv": []byte(split)} {
		t.Run(name, func(t *testing.T) {
			f := checkLeanSame(t, name, b, Options{SkipBad: true})
			if name == "split.csv" && (f.Dataset.Rows != 3 || len(f.Skipped) != 1 || f.Deals[1].Supplier != "Hezbollah (Lebanon)*") {
				t.Errorf("split.csv: %d rows, %d skipped, deals %+v; want 3 rows (one over two lines), 1 skipped, a marked party", f.Dataset.Rows, len(f.Skipped), f.Deals)
			}
		})
	}
}

// TestRegisterLeanChanged changes the file a lean register reads its deals
// from: a record that no longer reads, or cannot be read, is an error of
// Deal, and any change at all one of VerifyDeals.
func TestRegisterLeanChanged(t *testing.T) {
	b := []byte(regHeaderText + "\n" + regRowText + "\n" + regRowText + "\n")
	read := func(src []byte) *File {
		t.Helper()
		f, err := Read("r.csv", b, Options{Lean: true, From: bytes.NewReader(src)})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	// One byte more at the end: every deal reads, but the file differs.
	f := read(append(bytes.Clone(b), '\n'))
	if _, err := f.Deal(1); err != nil {
		t.Errorf("Deal: %v", err)
	}
	if err := f.VerifyDeals(); !errors.Is(err, errChanged) {
		t.Errorf("VerifyDeals of a longer file = %v; want errChanged", err)
	}
	// The second record's order year made a word: Deal names its line.
	changed := regHeaderText + "\n" + regRowText + "\n" + strings.Replace(regRowText, ",2019,", ",20X9,", 1) + "\n"
	f = read([]byte(changed))
	if _, err := f.Deal(0); err != nil {
		t.Errorf("Deal(0): %v", err)
	}
	if _, err := f.Deal(1); err == nil || !strings.Contains(err.Error(), "r.csv changed after it was read: r.csv:3:") {
		t.Errorf("Deal(1) of a changed record = %v; want it to say the file changed, naming line 3", err)
	}
	if err := f.VerifyDeals(); !errors.Is(err, errChanged) {
		t.Errorf("VerifyDeals of a changed file = %v; want errChanged", err)
	}
	// Cut short: the last record cannot be read again.
	f = read(b[:len(b)-10])
	if _, err := f.Deal(1); err == nil || !strings.Contains(err.Error(), "reading deal 2 again (line 3)") {
		t.Errorf("Deal(1) of a shorter file = %v; want a read error naming deal 2 and line 3", err)
	}
}

// TestRegisterLeanSmallInMemory checks what Lean is for: the real
// register's deals, kept as where they lie in the file, take a fraction
// of what the Deals take.
func TestRegisterLeanMemory(t *testing.T) {
	b := readShared(t, regAllFile)
	full := liveBytes(func() any { return must(ReadRegister("all.csv", b, Options{})) })
	lean := liveBytes(func() any { return must(ReadRegister("all.csv", b, Options{Lean: true, From: bytes.NewReader(b)})) })
	t.Logf("live heap beside the %d-byte file: %d bytes as Deals, %d lean", len(b), full, lean)
	if lean*10 > full {
		t.Errorf("lean register keeps %d bytes; want under a tenth of the %d its Deals keep", lean, full)
	}
}

// liveBytes returns how much more heap is live once make has returned
// (and while its result is), after a garbage collection either side.
func liveBytes(make func() any) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := make()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

func must(f *File, err error) *File {
	if err != nil {
		panic(err)
	}
	return f
}

// BenchmarkReadRegisterLean reads the real register as the import does
// (Lean, from the file) and then every deal again, as a store's import
// asks for them; BenchmarkReadRegisterAll is the baseline, which keeps
// the Deals. Each reports the heap left live by the read per byte of the
// file (live-B/file-B).
func BenchmarkReadRegisterLean(b *testing.B) {
	data := readShared(b, regAllFile)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var f *File
	for b.Loop() {
		var err error
		if f, err = ReadRegister("all.csv", data, Options{Lean: true, From: bytes.NewReader(data)}); err != nil || f.NumDeals() != 29515 {
			b.Fatal(err)
		}
		for i := range f.NumDeals() {
			if _, err := f.Deal(i); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(liveBytes(func() any {
		return must(ReadRegister("all.csv", data, Options{Lean: true, From: bytes.NewReader(data)}))
	}))/float64(len(data)), "live-B/file-B")
}

package data

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"
)

// zipBomb returns a zip archive whose one file, named member, is chunk
// repeated n times, with declared (0: the true size) as the size its
// headers give. The file is never held unpacked: chunk is compressed once
// into deflate blocks that refer only to themselves, and those blocks are
// repeated, so a bomb of GiBs unpacked takes a moment and a few MB.
func zipBomb(t testing.TB, member string, chunk []byte, n int, declared uint64) []byte {
	t.Helper()
	var block bytes.Buffer
	fw, err := flate.NewWriter(&block, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(chunk)
	fw.Flush() // ends the blocks on a byte boundary, not as the last
	var raw bytes.Buffer
	var crc uint32
	for range n {
		raw.Write(block.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	raw.Write([]byte{3, 0}) // an empty last block
	if declared == 0 {
		declared = uint64(len(chunk)) * uint64(n)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: member, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// gdeltChunk returns about 1 MiB of GDELT rows, each a kept event.
func gdeltChunk() []byte {
	var b bytes.Buffer
	for i := 1; b.Len() < 1<<20; i++ {
		b.WriteString(gdeltRow(map[string]string{"GLOBALEVENTID": fmt.Sprint(i)}) + "\n")
	}
	return b.Bytes()
}

// zipEntries returns a zip archive with one GDELT export and dirs
// directories.
func zipEntries(t testing.TB, dirs int) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i := range dirs {
		if _, err := zw.Create(fmt.Sprintf("d%d/", i)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("x.export.CSV")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(gdeltRow(nil) + "\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// allocated returns how many bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestZipLimits gives Read zip archives that cross the limits, and others
// that are damaged: each must be refused on line 1 with its own message,
// and a bomb must be refused having unpacked no more than the limit.
func TestZipLimits(t *testing.T) {
	chunk := gdeltChunk()
	good := zipEntries(t, 0)
	mib := int64(1 << 20)
	tests := []struct {
		name     string
		in       []byte
		limit    int64  // Options.MaxUnpacked
		msg      string // in the error
		maxAlloc int64  // bytes Read may allocate; 0: not checked
	}{
		{"1 GiB bomb, default limit", zipBomb(t, "x.export.CSV", chunk, 1024, 0), 0,
			fmt.Sprintf("zip member x.export.CSV unpacks to more than %d bytes, the limit for unpacked data", DefaultMaxUnpacked), 2 * DefaultMaxUnpacked},
		{"bomb over a lower limit", zipBomb(t, "x.export.CSV", chunk, 4, 0), mib,
			"zip member x.export.CSV unpacks to more than 1048576 bytes, the limit for unpacked data", 3 * mib},
		{"bomb declaring a small size", zipBomb(t, "x.export.CSV", chunk, 1024, 1000), 0,
			"zip member x.export.CSV is damaged", 8 * mib},
		{"bomb declaring 1 TiB", zipBomb(t, "x.export.CSV", chunk, 1024, 1<<40), 0,
			"zip member x.export.CSV unpacks to more than", 2 * DefaultMaxUnpacked},
		{"1,001 entries", zipEntries(t, MaxZipEntries), 0,
			"zip archive lists more than 1000 entries; armsdash reads a zip holding one file, a GDELT export", 0},
		{"1,001 entries, directory size 0", zeroDirSize(zipEntries(t, MaxZipEntries)), 0,
			"zip archive lists more than 1000 entries", 0},
		{"20,001 entries", zipEntries(t, 20000), 0,
			"zip archive lists more than 1000 entries", mib},
		{"truncated", good[:len(good)-30], 0, "zip archive is truncated or damaged (its end record is missing)", 0},
		{"cut in half", good[:len(good)/2], 0, "zip archive is truncated or damaged", 0},
		{"directory cut short", cutDirectory(t, good), 0, "zip archive is truncated or damaged", 0},
		{"damaged member", damageMember(good), 0, "zip member x.export.CSV is damaged", 0},
		{"zip in a zip", gdeltZip(t, [2]string{"inner.zip", string(good)}), 0, "zip member inner.zip is itself a zip archive; unzip it first", 0},
		{"zipped deliveries listing", gdeltZip(t, [2]string{"listing.csv", string(caseOf(FormatSIPRIDeliveries).file(caseOf(FormatSIPRIDeliveries).row, true))}), 0,
			"zip member listing.csv is a sipri-deliveries file, not a GDELT export: armsdash reads zip archives only of GDELT exports; unzip it and import listing.csv itself", 0},
		{"Excel workbook", gdeltZip(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"xl/workbook.xml", "<workbook/>"}), 0,
			"file is an Excel workbook; save the sheet as CSV and import that", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *File
			var err error
			n := allocated(func() { f, err = Read("in.zip", tt.in, Options{MaxUnpacked: tt.limit}) })
			if f != nil || err == nil {
				t.Fatalf("got a file of %d rows, error %v; want an error", rowsOf(f), err)
			}
			pe := firstParseError(t, err)
			if pe.File != "in.zip" || pe.Line != 1 || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("%v; want in.zip:1 saying %q", err, tt.msg)
			}
			t.Logf("Read allocated %.1f MiB", float64(n)/(1<<20))
			if tt.maxAlloc > 0 && n > uint64(tt.maxAlloc) {
				t.Errorf("Read allocated %d MiB; want at most %d MiB", n>>20, tt.maxAlloc>>20)
			}
		})
	}
}

// TestZipWithinLimits reads zips at the limits: a file of exactly the
// limit, and MaxZipEntries entries.
func TestZipWithinLimits(t *testing.T) {
	chunk := gdeltChunk()
	for _, tt := range []struct {
		name  string
		in    []byte
		limit int64
		rows  int
	}{
		{"file at the limit", zipBomb(t, "x.export.CSV", chunk, 2, 0), int64(2 * len(chunk)), 2 * strings.Count(string(chunk), "\n")},
		{"1,000 entries", zipEntries(t, MaxZipEntries-1), 0, 1},
		{"ZIP64", zip64(t, zipEntries(t, 3)), 0, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read("in.zip", tt.in, Options{MaxUnpacked: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			if f.Dataset.Format != FormatGDELT || f.Dataset.Rows != tt.rows {
				t.Errorf("format %s, %d rows; want gdelt, %d", f.Dataset.Format, f.Dataset.Rows, tt.rows)
			}
		})
	}
}

// cutDirectory returns zip archive b with its central directory's last
// byte gone (the end record then says the directory is one byte longer
// than what is there).
func cutDirectory(t *testing.T, b []byte) []byte {
	t.Helper()
	end := bytes.LastIndex(b, zipEmptyMagic)
	out := append([]byte(nil), b[:end-1]...)
	return append(out, b[end:]...)
}

// zeroDirSize returns zip archive b with its end record saying the
// central directory is 0 bytes long; archive/zip then reads the directory
// from its offset, as if the archive had data before it.
func zeroDirSize(b []byte) []byte {
	out := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(out[bytes.LastIndex(out, zipEmptyMagic)+12:], 0)
	return out
}

// damageMember returns zip archive b with the first bytes of its first
// member's compressed data overwritten.
func damageMember(b []byte) []byte {
	out := append([]byte(nil), b...)
	data := 30 + int(binary.LittleEndian.Uint16(out[26:])) + int(binary.LittleEndian.Uint16(out[28:]))
	for i := data; i < data+8; i++ {
		out[i] = 0xFF
	}
	return out
}

// zip64 returns zip archive b rewritten with a ZIP64 end record and
// locator, and its end record's fields set to "see ZIP64", as archivers
// write an archive of more than 65,535 entries or 4 GiB.
func zip64(t testing.TB, b []byte) []byte {
	t.Helper()
	endAt := bytes.LastIndex(b, zipEmptyMagic)
	end := b[endAt:]
	entries := binary.LittleEndian.Uint16(end[10:])
	dirSize := binary.LittleEndian.Uint32(end[12:])
	dirOff := binary.LittleEndian.Uint32(end[16:])
	out := append([]byte(nil), b[:endAt]...)
	rec := make([]byte, 56)
	copy(rec, "PK\x06\x06")
	binary.LittleEndian.PutUint64(rec[4:], 44)
	binary.LittleEndian.PutUint16(rec[12:], 45)
	binary.LittleEndian.PutUint16(rec[14:], 45)
	binary.LittleEndian.PutUint64(rec[24:], uint64(entries))
	binary.LittleEndian.PutUint64(rec[32:], uint64(entries))
	binary.LittleEndian.PutUint64(rec[40:], uint64(dirSize))
	binary.LittleEndian.PutUint64(rec[48:], uint64(dirOff))
	loc := make([]byte, 20)
	copy(loc, "PK\x06\x07")
	binary.LittleEndian.PutUint64(loc[8:], uint64(endAt))
	binary.LittleEndian.PutUint32(loc[16:], 1)
	newEnd := append([]byte(nil), end...)
	binary.LittleEndian.PutUint16(newEnd[8:], 0xFFFF)
	binary.LittleEndian.PutUint16(newEnd[10:], 0xFFFF)
	binary.LittleEndian.PutUint32(newEnd[12:], 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(newEnd[16:], 0xFFFFFFFF)
	out = append(out, rec...)
	out = append(out, loc...)
	out = append(out, newEnd...)
	if _, err := zip.NewReader(bytes.NewReader(out), int64(len(out))); err != nil {
		t.Fatalf("the ZIP64 archive made for the test is not one: %v", err)
	}
	return out
}

// FuzzZipEntries checks, on any bytes, that zipEntriesOver counts at least
// the entries zip.NewReader reads, so the limit holds for what is read.
func FuzzZipEntries(f *testing.F) {
	f.Add(zipEntries(f, 2))
	f.Add(zip64(f, zipEntries(f, 3)))
	f.Add(append([]byte("junk before "), zipEntries(f, 1)...))
	f.Add(gdeltZip(f))
	f.Add(zeroDirSize(zipEntries(f, 7)))
	const limit = 5
	f.Fuzz(func(t *testing.T, b []byte) {
		over, msg := zipEntriesOver(b, limit)
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil || over || msg != "" {
			return
		}
		if len(zr.File) > limit {
			t.Fatalf("zipEntriesOver found at most %d entries; zip.NewReader read %d", limit, len(zr.File))
		}
	})
}

package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// Limits on a zip archive. A zip is the one packed form armsdash reads
// (GDELT publishes its exports zipped), and a few MB of zip can unpack to
// gigabytes or list millions of entries, so both are bounded, each while
// it is read: the central directory is walked entry by entry and the
// member unpacked byte by byte, stopping as soon as a limit is crossed.
// The sizes and the entry count an archive declares are never trusted.
const (
	// DefaultMaxUnpacked is how many bytes a zip's file may unpack to when
	// Options.MaxUnpacked is 0: the size armsdash import and /upload
	// accept for a file that is not zipped, so zipping a file lets no
	// more through.
	DefaultMaxUnpacked = 64 << 20
	// MaxZipEntries is how many entries (files and directories) a zip may
	// list. A GDELT export's zip holds one file; the rest is room for
	// directories and the stray files archivers add.
	MaxZipEntries = 1000
)

var (
	zipMagic      = []byte("PK\x03\x04") // a local file header: an archive with members
	zipEmptyMagic = []byte("PK\x05\x06") // an end-of-central-directory record: an empty archive
)

// isZip reports whether b starts like a zip archive.
func isZip(b []byte) bool {
	return bytes.HasPrefix(b, zipMagic) || bytes.HasPrefix(b, zipEmptyMagic)
}

// unzip returns the one file of the zip archive b and its base name,
// refusing, each with its own message: an archive that is truncated or
// damaged, one that lists more than MaxZipEntries entries, one that does
// not hold exactly one file (directories aside; an Excel workbook is named
// as such), a member that is itself a zip, and a member that unpacks to
// more than maxUnpacked bytes (DefaultMaxUnpacked when maxUnpacked <= 0).
// Errors are *ParseErrors on line 1 of name.
func unzip(name string, b []byte, maxUnpacked int64) ([]byte, string, error) {
	if maxUnpacked <= 0 {
		maxUnpacked = DefaultMaxUnpacked
	}
	fail := func(format string, a ...any) error {
		return &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(format, a...)}
	}
	over, msg := zipEntriesOver(b, MaxZipEntries)
	switch {
	case msg != "":
		return nil, "", fail("zip archive is truncated or damaged (%s): download or copy it again", msg)
	case over:
		return nil, "", fail("zip archive lists more than %d entries; armsdash reads a zip holding one file, a GDELT export", MaxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, "", fail("zip archive is truncated or damaged (%v): download or copy it again", err)
	}
	var files []*zip.File
	excel := false
	for _, f := range zr.File {
		excel = excel || f.Name == "xl/workbook.xml"
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	switch {
	case excel:
		return nil, "", fail("file is an Excel workbook; save the sheet as CSV and import that")
	case len(files) == 0:
		return nil, "", fail("zip archive holds no file; expected one GDELT export such as 20260514083000.export.CSV")
	case len(files) > 1:
		return nil, "", fail("zip archive holds %d files (%s, %s, ...); expected exactly one GDELT export", len(files), clip(files[0].Name), clip(files[1].Name))
	}
	f := files[0]
	rc, err := f.Open()
	if err != nil {
		return nil, "", fail("cannot unpack zip member %s: %v", clip(f.Name), err)
	}
	defer rc.Close()
	out, err := readAtMost(rc, maxUnpacked, f.UncompressedSize64)
	switch {
	case int64(len(out)) > maxUnpacked:
		return nil, "", fail("zip member %s unpacks to more than %d bytes, the limit for unpacked data", clip(f.Name), maxUnpacked)
	case err != nil:
		return nil, "", fail("zip member %s is damaged (%v): download or copy the archive again", clip(f.Name), err)
	case isZip(out):
		return nil, "", fail("zip member %s is itself a zip archive; unzip it first", clip(f.Name))
	}
	return out, path.Base(f.Name), nil
}

// readAtMost reads r to its end, or until it has read one byte more than
// limit, when it stops: a result longer than limit means r holds more.
// hint, the size r is said to have, only sizes the first allocation
// (within limit+1); the buffer then doubles, never past limit+1.
func readAtMost(r io.Reader, limit int64, hint uint64) ([]byte, error) {
	buf := make([]byte, 0, min(hint, uint64(limit))+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case int64(len(buf)) > limit:
			return buf, nil
		case len(buf) == cap(buf):
			buf = slices.Grow(buf, int(min(int64(cap(buf)), limit+1-int64(len(buf)))))
		}
	}
}

// zipEntriesOver walks the central directory of the zip archive b, header
// by header, and reports whether it lists more than limit entries,
// stopping at the first one over. It finds the directory as archive/zip
// does, and walks it as far as archive/zip would read it (to the first
// record that is not a directory header), so that zip.NewReader never
// reads more headers than were counted here; no declared count is
// trusted. msg says what is wrong when the archive is truncated or
// damaged.
func zipEntriesOver(b []byte, limit int) (over bool, msg string) {
	const (
		endLen      = 22 // end of central directory record, without its comment
		end64LocLen = 20 // ZIP64 end of central directory locator
		end64Len    = 56 // ZIP64 end of central directory record
		headerLen   = 46 // central directory header, without its name, extra and comment
	)
	le16 := func(p []byte) uint64 { return uint64(binary.LittleEndian.Uint16(p)) }
	le32 := func(p []byte) uint64 { return uint64(binary.LittleEndian.Uint32(p)) }
	size := uint64(len(b))

	// The end record is the last thing in the file but its comment (at
	// most 64 KiB), whose length it gives.
	endAt := -1
	for i := len(b) - endLen; i >= max(0, len(b)-endLen-0xFFFF); i-- {
		if bytes.HasPrefix(b[i:], zipEmptyMagic) && uint64(i+endLen)+le16(b[i+20:]) <= size {
			endAt = i
			break
		}
	}
	if endAt < 0 {
		return false, "its end record is missing"
	}
	end := b[endAt:]
	dirEnd, dirSize, dirOff := uint64(endAt), le32(end[12:]), le32(end[16:])
	if le16(end[10:]) == 0xFFFF || dirSize == 0xFFFF || dirOff == 0xFFFFFFFF {
		// Perhaps ZIP64: a locator just before the end record gives the
		// ZIP64 end record, which gives the directory.
		if loc := endAt - end64LocLen; loc >= 0 && bytes.HasPrefix(b[loc:], []byte("PK\x06\x07")) {
			at := binary.LittleEndian.Uint64(b[loc+8:])
			if at > size || size-at < end64Len || !bytes.HasPrefix(b[at:], []byte("PK\x06\x06")) {
				return false, "its ZIP64 end record is missing"
			}
			dirEnd, dirSize, dirOff = at, binary.LittleEndian.Uint64(b[at+40:]), binary.LittleEndian.Uint64(b[at+48:])
		}
	}
	if dirSize > dirEnd || dirOff > dirEnd {
		return false, "its central directory lies outside the file"
	}
	// A zip with data before it (a self-extracting archive) has offsets
	// counted from that data's start, unless they are right as they are.
	start := dirEnd - dirSize
	isHeader := func(at uint64) bool { return at+4 <= size && bytes.HasPrefix(b[at:], []byte("PK\x01\x02")) }
	if dirEnd-dirSize > dirOff && isHeader(dirOff) {
		start = dirOff
	}
	n := 0
	for at := start; isHeader(at); n++ {
		if n == limit {
			return true, ""
		}
		if size-at < headerLen {
			return false, "its central directory is cut short"
		}
		h := b[at:]
		at += headerLen + le16(h[28:]) + le16(h[30:]) + le16(h[32:])
		if at > size {
			return false, "its central directory is cut short"
		}
	}
	return false, ""
}

// zipMemberError refuses the member of a zip archive that is a file of
// another format than GDELT: armsdash reads zips only of GDELT exports.
func zipMemberError(name, member string, b []byte) error {
	r, err := detect(member, b)
	if err != nil || r.format == FormatGDELT {
		return nil
	}
	return &ParseError{File: name, Line: 1, Msg: fmt.Sprintf(
		"zip member %s is a %s file, not a GDELT export: armsdash reads zip archives only of GDELT exports; unzip it and import %s itself",
		clip(member), r.format, strings.TrimSpace(clip(member)))}
}

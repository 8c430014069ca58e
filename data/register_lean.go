package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// registerRows is the deals of a trade register read with Options.Lean:
// where each good record lies in the file, and the file's bytes (or,
// with Options.From, the file to read them from again). deal decodes a
// record as ReadRegister did the first time, so that a deal costs 12
// bytes until it is asked for, where a Deal and its text take some 500.
type registerRows struct {
	enc       textEncoding
	text      []byte // the file without a byte order mark; nil when the records are read from src
	name      string
	delivered string // the header's name of column 9, see checkRegisterHeader
	rows      []registerRow

	// src, when not nil, is the file, text as the reader had it at
	// offset bom; size and sha256 are its size and digest then (see
	// verify).
	src    io.ReaderAt
	bom    int64
	size   int64
	sha256 string
	// win is the part of src at winOff last read (see record), under mu.
	mu     sync.Mutex
	win    []byte
	winOff int64

	// parties lists the distinct suppliers and recipients, in the order
	// they first appear; canon maps each to its canonical name once
	// File.Canonicalize has run (nil before).
	parties []party
	seen    map[party]bool
	canon   map[party]string
}

// registerRow is where a good record of the register lies in
// registerRows.text (see registerRecord): offset and length, and the number
// of its first line. ReadRegister keeps Deals rather than rows for a file
// of 4 GiB or more.
type registerRow struct {
	off, len uint32
	line     int32
}

// party is a supplier or recipient as the register readers give it: the
// name without SIPRI's marker, and the kind the marker gave.
type party struct {
	name string
	kind PartyKind
}

// newRegisterRows returns the empty rows of f, a register whose bytes
// are b (text without a byte order mark, in encoding enc) and whose
// column 9 is named delivered, read again from src when it is not nil,
// else from text.
func newRegisterRows(f *File, b []byte, enc textEncoding, text []byte, delivered string, src io.ReaderAt) *registerRows {
	r := &registerRows{enc: enc, text: text, name: f.Dataset.Name, delivered: delivered, seen: map[party]bool{}}
	if src != nil {
		r.src, r.bom, r.size, r.sha256 = src, int64(len(b)-len(text)), int64(len(b)), f.Dataset.SHA256
		r.text = nil // not kept
	}
	return r
}

// keep records the good record at offset off, n bytes long, on line ln,
// whose deal is d, and its parties.
func (r *registerRows) keep(off, n, ln int, d *Deal) {
	r.rows = append(r.rows, registerRow{uint32(off), uint32(n), int32(ln)})
	for _, p := range [...]party{{d.Supplier, d.SupplierKind}, {d.Recipient, d.RecipientKind}} {
		if !r.seen[p] {
			p.name = strings.Clone(p.name) // not the record's text
			r.seen[p] = true
			r.parties = append(r.parties, p)
		}
	}
}

// deal decodes the ith good record again, its parties renamed as
// File.Canonicalize renamed them. It fails when the record cannot be
// read, or does not read as it did.
func (r *registerRows) deal(i int) (Deal, error) {
	row := r.rows[i]
	rec, err := r.record(row)
	if err != nil {
		return Deal{}, fmt.Errorf("%s: reading deal %d again (line %d): %w", r.name, i+1, row.line, err)
	}
	var fields [registerCols]string
	splitFields(rec, fields[:])
	var years []int
	d, perr := parseRegisterDeal(r.name, int(row.line), &fields, r.delivered, &years)
	if perr != nil {
		return Deal{}, fmt.Errorf("%s changed after it was read: %w", r.name, perr)
	}
	if r.canon != nil {
		d.Supplier = r.canon[party{d.Supplier, d.SupplierKind}]
		d.Recipient = r.canon[party{d.Recipient, d.RecipientKind}]
	}
	return d, nil
}

// record returns the text of the record row, joined and decoded, from
// r.text or else from r.src, read a window of readAhead bytes at a time:
// the deals are asked for in order, most records lie in the window the
// last one was read into, and a read each would cost a system call.
func (r *registerRows) record(row registerRow) (string, error) {
	if r.src == nil {
		return r.enc.decode(joinLines(r.text[row.off : row.off+row.len])), nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	off, end := r.bom+int64(row.off), r.bom+int64(row.off)+int64(row.len)
	if off < r.winOff || end > r.winOff+int64(len(r.win)) {
		if r.win == nil {
			r.win = make([]byte, readAhead)
		}
		r.win = r.win[:cap(r.win)]
		if len(r.win) < int(row.len) {
			r.win = make([]byte, row.len)
		}
		n, err := r.src.ReadAt(r.win, off)
		if n < int(row.len) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			r.win = r.win[:0]
			return "", err
		}
		r.win, r.winOff = r.win[:n], off
	}
	return r.enc.decode(joinLines(r.win[off-r.winOff : end-r.winOff])), nil
}

// readAhead is how many bytes of a lean register's file registerRows
// reads at a time.
const readAhead = 64 << 10

// errChanged is verify's error: the file read is not the file read again.
var errChanged = errors.New("changed after it was read (its SHA-256 differs): its rows are not the ones checked; read it again")

// verify reports whether src still holds the bytes the register was read
// from: their size and SHA-256. It is nil when the records are read from
// memory.
func (r *registerRows) verify() error {
	if r.src == nil {
		return nil
	}
	h := sha256.New()
	n, err := io.Copy(h, io.NewSectionReader(r.src, 0, r.size+1))
	if err != nil {
		return fmt.Errorf("%s: reading it again: %w", r.name, err)
	}
	if n != r.size || hex.EncodeToString(h.Sum(nil)) != r.sha256 {
		return fmt.Errorf("%s %w", r.name, errChanged)
	}
	return nil
}

package rowtable

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/armsdash/armsdash/data"
)

// Packed is rows derived from a dataset's at import, kept as one record
// rather than a row each, because a snapshot reads them whole and reading
// rows one by one is what costs: the details of a listing of a million
// deliveries are about half a million rows, read in 2 s from SQLite, or
// decoded in a few tens of milliseconds from one record.
type Packed struct {
	Kind string // what Body holds: PackedDetails
	Body []byte
}

// The kinds of packed records.
const (
	// PackedDetails is a listing's FlowSet.Details, packed by
	// PackDetails.
	PackedDetails = "flow_details"
	// PackedFlows is a listing's flows with their estimated parts
	// (FlowSet.Flows and Estimated), packed by PackDetails as details of
	// no category or status: what a snapshot reads at once, leaving the
	// details for the pages that need them.
	PackedFlows = "flows"
	// PackedDeliveries is a file's deliveries (data.File.Deliveries),
	// packed by PackDeliveries: what Store.File reads back, and what the
	// other two are summed from.
	PackedDeliveries = "deliveries"
)

// PackedRows holds the Packed records of each dataset, at most one of a
// kind (the engines' DDL adds UNIQUE (dataset_id, kind)). The table came
// with the engines' fourth migration (Create).
var PackedRows = &Table[Packed]{
	Name: "packed",
	Cols: []string{"kind", "body"},
	Fields: func(a []any, p *Packed) []any {
		return append(a, &p.Kind, &p.Body)
	},
	Checks: map[string]string{"kind": "kind <> ''"},
}

// PackListing returns the records packed for a listing whose details
// are details (data.SumDetails of its deliveries): the details
// (PackedDetails) and its flows with their estimated parts (PackedFlows).
func PackListing(details []data.FlowDetail) []Packed {
	flows, est := data.FlowsOf(details), data.EstimatedOf(details)
	fs := make([]data.FlowDetail, len(flows))
	for i, f := range flows {
		fs[i] = data.FlowDetail{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV, EstimatedTIV: est[i]}
	}
	return []Packed{{Kind: PackedDetails, Body: PackDetails(details)}, {Kind: PackedFlows, Body: PackDetails(fs)}}
}

// UnpackFlows reads a PackedFlows record: the flows and their estimated
// parts (see data.FlowSet.Estimated).
func UnpackFlows(b []byte) ([]data.Flow, []float64, error) {
	var flows []data.Flow
	var est []float64
	err := decodeDetails(b, func(n int) { flows, est = make([]data.Flow, n), make([]float64, n) }, func(i int, f *data.FlowDetail) {
		flows[i], est[i] = data.Flow{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV}, f.EstimatedTIV
	})
	if err != nil {
		return nil, nil, err
	}
	return flows, est, nil
}

// Each kind of packed record starts with its own line, naming its layout.
const (
	packMagicV1         = "armsdash flow details 1\n" // before TIVs were written as decimals
	packMagic           = "armsdash flow details 2\n"
	packDeliveriesMagic = "armsdash deliveries 1\n"
)

// recordWriter writes the parts every packed record shares: a magic line,
// then the number of distinct strings and each as (length, bytes), in the
// order of first use, so that rows refer to text by index; then the
// number of rows and the rows' bytes; then the CRC-32 (Castagnoli) of all
// that, little-endian.
type recordWriter struct {
	text  data.TextNumbers
	rows  []byte
	last  [6]string // by column, the last string given
	lastN [6]uint64
	seen  [6]bool
}

// str appends the index of s, the text of column col (0 to 5), to the
// rows. Rows that follow each other often repeat a column's text.
func (w *recordWriter) str(col int, s string) {
	if !w.seen[col] || s != w.last[col] {
		w.last[col], w.lastN[col], w.seen[col] = s, uint64(w.text.Of(s)), true
	}
	w.rows = binary.AppendUvarint(w.rows, w.lastN[col])
}

// float appends v's IEEE 754 bits, little-endian.
func (w *recordWriter) float(v float64) {
	w.rows = binary.LittleEndian.AppendUint64(w.rows, math.Float64bits(v))
}

// finish returns the record of n rows, headed by magic.
func (w *recordWriter) finish(magic string, n int) []byte {
	strs := w.text.Text()
	size := len(magic) + 2*binary.MaxVarintLen64 + len(w.rows) + 4
	for _, s := range strs {
		size += binary.MaxVarintLen64 + len(s)
	}
	b := append(make([]byte, 0, size), magic...)
	b = binary.AppendUvarint(b, uint64(len(strs)))
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(n))
	b = append(b, w.rows...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// PackDetails encodes details as a record (recordWriter) headed
// packMagic, each detail as the indexes of its supplier, recipient,
// category and status among the strings (uvarints), its year (varint), a
// byte of flags: local production, how TIV is written (bits 1–2:
// valueBits or valueDecimal) and how EstimatedTIV is (bits 3–4: the same,
// or estimatedZero, or estimatedAll when it is TIV, left out); then those
// written (see recordWriter.value). Order is kept. UnpackDetails reads it
// back exactly. (Records headed packMagicV1, which stores made before
// keep, write each detail's flags as local production alone, and both
// TIVs as IEEE 754 bits.)
func PackDetails(details []data.FlowDetail) []byte {
	w := recordWriter{rows: make([]byte, 0, len(details)*12)}
	for _, d := range details {
		w.str(0, d.Supplier)
		w.str(1, d.Recipient)
		w.str(2, d.Category)
		w.str(3, d.Status)
		w.rows = binary.AppendVarint(w.rows, int64(d.Year))
		tiv, est := modeOf(d.TIV, 0, false), modeOf(d.EstimatedTIV, d.TIV, true)
		switch {
		case est == valueSame:
			est = estimatedAll
		case math.Float64bits(d.EstimatedTIV) == 0:
			est = estimatedZero
		}
		w.rows = append(w.rows, flags(d.LocalProduction)|tiv<<1|est<<3)
		w.value(d.TIV, tiv)
		if est < estimatedZero {
			w.value(d.EstimatedTIV, est)
		}
	}
	return w.finish(packMagic, len(details))
}

// How PackDetails writes an EstimatedTIV besides valueBits and
// valueDecimal: 0, or the detail's TIV, both left out.
const (
	estimatedZero = 2
	estimatedAll  = 3
)

// flags packs bs into a byte, the first in its lowest bit.
func flags(bs ...bool) byte {
	var b byte
	for i, v := range bs {
		if v {
			b |= 1 << i
		}
	}
	return b
}

// How a TIV is written, in two bits of a row's flags: by PackDeliveries
// for the unit TIVs (bits 4–5 for TIVUnitNew, 6–7 for TIVUnit), by
// PackDetails for TIV and EstimatedTIV (valueSame aside).
const (
	valueBits    = 0 // IEEE 754 bits, little-endian
	valueDecimal = 1 // thousandths (decimal)
	valueSame    = 2 // the row before's, left out
)

// decimal returns v in thousandths, k with k/1000 == v to the bit, when
// there is such a k below 2^52: SIPRI's TIVs, which it writes with up to
// three decimals, take two or three bytes as a uvarint instead of eight.
func decimal(v float64) (uint64, bool) {
	if !(v >= 0 && v < 1<<42) {
		return 0, false
	}
	k := uint64(math.Round(v * 1000))
	return k, math.Float64bits(float64(k)/1000) == math.Float64bits(v)
}

// value appends v as mode says (valueBits or valueDecimal).
func (w *recordWriter) value(v float64, mode byte) {
	if mode == valueDecimal {
		k, _ := decimal(v)
		w.rows = binary.AppendUvarint(w.rows, k)
		return
	}
	w.float(v)
}

// modeOf returns how v is written (valueBits or valueDecimal), or
// valueSame when same allows and v is prev to the bit.
func modeOf(v, prev float64, same bool) byte {
	switch _, ok := decimal(v); {
	case same && math.Float64bits(v) == math.Float64bits(prev):
		return valueSame
	case ok:
		return valueDecimal
	}
	return valueBits
}

// PackDeliveries encodes a listing's deliveries as a record
// (recordWriter) headed packDeliveriesMagic, each delivery as its deal ID
// (varint); the indexes of its supplier, recipient, designation,
// description, category and status among the strings (uvarints); its
// order year, number and year (varints); a byte of flags: order year,
// number and year estimated, local production, then how TIVUnitNew and
// TIVUnit are written (two bits each: valueBits, valueDecimal, or
// valueSame, left out when it is the row before's, as on a deal's later
// years); those of the two that are written; and TIV, as a uvarint of its
// thousandths times two when it is decimal, else 1 and its bits. Order is
// kept; UnpackDeliveries reads it back exactly.
//
// The record replaces a table row per delivery, whose million INSERTs
// made most of an import's time. It holds what the table's checks held:
// a delivery without a supplier or recipient, or of a year outside 1900
// to 2100, is refused, named by its place in ds.
func PackDeliveries(ds []data.Delivery) ([]byte, error) {
	w := recordWriter{rows: make([]byte, 0, len(ds)*24)}
	for i := range ds {
		d := &ds[i]
		switch {
		case d.Supplier == "":
			return nil, fmt.Errorf("delivery %d of %d: no supplier", i+1, len(ds))
		case d.Recipient == "":
			return nil, fmt.Errorf("delivery %d of %d: no recipient", i+1, len(ds))
		case d.Year < 1900 || d.Year > 2100:
			return nil, fmt.Errorf("delivery %d of %d: year %d is not between 1900 and 2100", i+1, len(ds), d.Year)
		}
		w.rows = binary.AppendVarint(w.rows, int64(d.DealID))
		for col, s := range [...]string{d.Supplier, d.Recipient, d.Designation, d.Description, d.Category, d.Status} {
			w.str(col, s)
		}
		w.rows = binary.AppendVarint(w.rows, int64(d.OrderYear))
		w.rows = binary.AppendVarint(w.rows, int64(d.Number))
		w.rows = binary.AppendVarint(w.rows, int64(d.Year))
		var prev data.Delivery
		if i > 0 {
			prev = ds[i-1]
		}
		unitNew, unit := modeOf(d.TIVUnitNew, prev.TIVUnitNew, i > 0), modeOf(d.TIVUnit, prev.TIVUnit, i > 0)
		w.rows = append(w.rows, flags(d.OrderYearEstimate, d.NumberEstimate, d.YearEstimate, d.LocalProduction)|unitNew<<4|unit<<6)
		if unitNew != valueSame {
			w.value(d.TIVUnitNew, unitNew)
		}
		if unit != valueSame {
			w.value(d.TIVUnit, unit)
		}
		if k, ok := decimal(d.TIV); ok {
			w.rows = binary.AppendUvarint(w.rows, k<<1)
		} else {
			w.rows = append(w.rows, 1)
			w.float(d.TIV)
		}
	}
	return w.finish(packDeliveriesMagic, len(ds)), nil
}

// UnpackDeliveries decodes a record written by PackDeliveries; nil when
// it holds none. It returns an error, and no deliveries, when b is not
// such a record or is cut short.
func UnpackDeliveries(b []byte) ([]data.Delivery, error) {
	r, strs, n, err := openRecord(b, packDeliveriesMagic, 13) // 13: the fewest bytes a delivery takes
	if err != nil || n == 0 {
		return nil, err
	}
	out := make([]data.Delivery, n)
	value := func(mode byte, prev float64, i int) float64 {
		switch {
		case mode == valueBits:
			return r.float()
		case mode == valueDecimal:
			return float64(r.uvarint()) / 1000
		case mode == valueSame && i > 0:
			return prev
		}
		r.fail()
		return 0
	}
	for i := range out {
		d := &out[i]
		d.DealID = int(r.varint())
		d.Supplier, d.Recipient, d.Designation = r.str(strs), r.str(strs), r.str(strs)
		d.Description, d.Category, d.Status = r.str(strs), r.str(strs), r.str(strs)
		d.OrderYear, d.Number, d.Year = int(r.varint()), int(r.varint()), int(r.varint())
		f := r.byte()
		d.OrderYearEstimate, d.NumberEstimate, d.YearEstimate, d.LocalProduction = f&1 != 0, f&2 != 0, f&4 != 0, f&8 != 0
		var prev data.Delivery
		if i > 0 {
			prev = out[i-1]
		}
		d.TIVUnitNew = value(f>>4&3, prev.TIVUnitNew, i)
		d.TIVUnit = value(f>>6, prev.TIVUnit, i)
		if k := r.uvarint(); k&1 == 0 {
			d.TIV = float64(k>>1) / 1000
		} else if k == 1 {
			d.TIV = r.float()
		} else {
			r.fail()
		}
		if r.bad {
			return nil, fmt.Errorf("%w: delivery %d of %d", errPacked, i+1, n)
		}
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last delivery", errPacked, len(r.b))
	}
	return out, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CheckPacked checks that b is a record PackDetails wrote, whole and
// unchanged (its header and checksum), without decoding it: what
// UnpackDetails reads of it then can fail only by a bug.
func CheckPacked(b []byte) error {
	if bytes.HasPrefix(b, []byte(packMagicV1)) {
		return checkRecord(b, packMagicV1)
	}
	return checkRecord(b, packMagic)
}

// checkRecord checks that b is a record headed magic, whole and
// unchanged (its header and checksum), without decoding it.
func checkRecord(b []byte, magic string) error {
	if len(b) < len(magic)+4 || string(b[:len(magic)]) != magic {
		return fmt.Errorf("%w: no %q header", errPacked, magic[:len(magic)-1])
	}
	n := len(b) - 4
	if binary.LittleEndian.Uint32(b[n:]) != crc32.Checksum(b[:n], castagnoli) {
		return fmt.Errorf("%w: checksum differs", errPacked)
	}
	return nil
}

// errPacked is the error of a record the packing functions did not write.
var errPacked = errors.New("packed record is cut short or corrupt")

// openRecord checks b (checkRecord) and reads its strings and number of
// rows, each of which takes at least minRow bytes; r reads the rows.
func openRecord(b []byte, magic string, minRow uint64) (r reader, strs []string, n uint64, err error) {
	if err := checkRecord(b, magic); err != nil {
		return reader{}, nil, 0, err
	}
	r = reader{b: b[len(magic) : len(b)-4]}
	nstr := r.uvarint()
	if nstr > uint64(len(r.b)) {
		return reader{}, nil, 0, errPacked
	}
	strs = make([]string, nstr)
	for i := range strs {
		n := r.uvarint()
		if r.bad || n > uint64(len(r.b)) {
			return reader{}, nil, 0, errPacked
		}
		strs[i], r.b = string(r.b[:n]), r.b[n:]
	}
	n = r.uvarint()
	if r.bad || n > uint64(len(r.b))/minRow {
		return reader{}, nil, 0, errPacked
	}
	return r, strs, n, nil
}

// UnpackDetails decodes a record written by PackDetails; nil when it
// holds none. It returns an error, and no details, when b is not such a
// record or is cut short.
func UnpackDetails(b []byte) ([]data.FlowDetail, error) {
	var out []data.FlowDetail
	err := decodeDetails(b, func(n int) { out = make([]data.FlowDetail, n) }, func(i int, d *data.FlowDetail) { out[i] = *d })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decodeDetails decodes a record written by PackDetails: it calls start
// with the number of details, when there are some, then row with each in
// turn (d is reused), so that a caller fills what it keeps of them
// without a slice of details between.
func decodeDetails(b []byte, start func(n int), row func(i int, d *data.FlowDetail)) error {
	v1 := bytes.HasPrefix(b, []byte(packMagicV1))
	magic, least := packMagic, uint64(7) // the fewest bytes a detail takes
	if v1 {
		magic, least = packMagicV1, 21
	}
	r, strs, n, err := openRecord(b, magic, least)
	if err != nil || n == 0 {
		return err
	}
	start(int(n))
	value := func(mode byte) float64 {
		switch mode {
		case valueBits:
			return r.float()
		case valueDecimal:
			return float64(r.uvarint()) / 1000
		}
		r.fail()
		return 0
	}
	var d data.FlowDetail
	for i := range int(n) {
		d = data.FlowDetail{Supplier: r.str(strs), Recipient: r.str(strs), Category: r.str(strs), Status: r.str(strs)}
		d.Year = int(r.varint())
		f := r.byte()
		d.LocalProduction = f&1 == 1
		switch est := f >> 3; {
		case v1 && f > 1, f>>5 != 0:
			r.fail()
		case v1:
			d.TIV, d.EstimatedTIV = r.float(), r.float()
		case est == estimatedZero:
			d.TIV = value(f >> 1 & 3)
		case est == estimatedAll:
			d.TIV = value(f >> 1 & 3)
			d.EstimatedTIV = d.TIV
		default:
			d.TIV = value(f >> 1 & 3)
			d.EstimatedTIV = value(est)
		}
		if r.bad {
			return errPacked
		}
		row(i, &d)
	}
	if len(r.b) != 0 {
		return fmt.Errorf("%w: %d bytes after the last detail", errPacked, len(r.b))
	}
	return nil
}

// reader reads the values of a record's rows from b; bad is set, and b
// emptied, at the first that is cut short, too long or out of range.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) fail() {
	r.bad, r.b = true, nil
}

func (r *reader) uvarint() uint64 {
	if len(r.b) > 0 && r.b[0] < 0x80 { // one byte: most string indexes
		v := uint64(r.b[0])
		r.b = r.b[1:]
		return v
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// varint reads a zigzag-encoded uvarint, as binary.AppendVarint writes.
func (r *reader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// str reads a string's index and returns the string.
func (r *reader) str(strs []string) string {
	i := r.uvarint()
	if i >= uint64(len(strs)) {
		r.fail()
		return ""
	}
	return strs[i]
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) float() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

package rowtable

import (
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
	fs, err := UnpackDetails(b)
	if err != nil {
		return nil, nil, err
	}
	flows, est := make([]data.Flow, len(fs)), make([]float64, len(fs))
	for i, f := range fs {
		flows[i], est[i] = data.Flow{Supplier: f.Supplier, Recipient: f.Recipient, Year: f.Year, TIV: f.TIV}, f.EstimatedTIV
	}
	return flows, est, nil
}

// packMagic starts every packed details record, naming its layout.
const packMagic = "armsdash flow details 1\n"

// PackDetails encodes details: packMagic; the number of distinct strings,
// then each (length, bytes); the number of details, then each as the
// indexes of its supplier, recipient, category and status among the
// strings (uvarints), its year (varint), local production (one byte, 0 or
// 1), and TIV and EstimatedTIV (IEEE 754 bits, little-endian); then the
// CRC-32 (Castagnoli) of all that, little-endian. Order is kept.
// UnpackDetails reads it back exactly.
func PackDetails(details []data.FlowDetail) []byte {
	index := map[string]uint64{}
	var strs []string
	id := func(s string) uint64 {
		i, ok := index[s]
		if !ok {
			i = uint64(len(strs))
			index[s] = i
			strs = append(strs, s)
		}
		return i
	}
	rows := make([]byte, 0, len(details)*24)
	for _, d := range details {
		rows = binary.AppendUvarint(rows, id(d.Supplier))
		rows = binary.AppendUvarint(rows, id(d.Recipient))
		rows = binary.AppendUvarint(rows, id(d.Category))
		rows = binary.AppendUvarint(rows, id(d.Status))
		rows = binary.AppendVarint(rows, int64(d.Year))
		local := byte(0)
		if d.LocalProduction {
			local = 1
		}
		rows = append(rows, local)
		rows = binary.LittleEndian.AppendUint64(rows, math.Float64bits(d.TIV))
		rows = binary.LittleEndian.AppendUint64(rows, math.Float64bits(d.EstimatedTIV))
	}
	b := append([]byte(packMagic), binary.AppendUvarint(nil, uint64(len(strs)))...)
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(details)))
	b = append(b, rows...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CheckPacked checks that b is a record PackDetails wrote, whole and
// unchanged (its header and checksum), without decoding it: what
// UnpackDetails reads of it then can fail only by a bug.
func CheckPacked(b []byte) error {
	if len(b) < len(packMagic)+4 || string(b[:len(packMagic)]) != packMagic {
		return fmt.Errorf("%w: no %q header", errPacked, packMagic[:len(packMagic)-1])
	}
	n := len(b) - 4
	if binary.LittleEndian.Uint32(b[n:]) != crc32.Checksum(b[:n], castagnoli) {
		return fmt.Errorf("%w: checksum differs", errPacked)
	}
	return nil
}

// errPacked is the error of a record PackDetails did not write.
var errPacked = errors.New("packed flow details are cut short or corrupt")

// UnpackDetails decodes a record written by PackDetails; nil when it
// holds none. It returns an error, and no details, when b is not such a
// record or is cut short.
func UnpackDetails(b []byte) ([]data.FlowDetail, error) {
	if err := CheckPacked(b); err != nil {
		return nil, err
	}
	r := reader{b: b[len(packMagic) : len(b)-4]}
	nstr := r.uvarint()
	if nstr > uint64(len(r.b)) {
		return nil, errPacked
	}
	strs := make([]string, nstr)
	for i := range strs {
		n := r.uvarint()
		if r.bad || n > uint64(len(r.b)) {
			return nil, errPacked
		}
		strs[i], r.b = string(r.b[:n]), r.b[n:]
	}
	nrows := r.uvarint()
	if r.bad || nrows > uint64(len(r.b))/21 { // 21: the fewest bytes a detail takes
		return nil, errPacked
	}
	if nrows == 0 {
		return nil, nil
	}
	out := make([]data.FlowDetail, nrows)
	str := func(i uint64) string {
		if i >= uint64(len(strs)) {
			r.bad = true
			return ""
		}
		return strs[i]
	}
	for i := range out {
		d := &out[i]
		d.Supplier, d.Recipient, d.Category, d.Status = str(r.uvarint()), str(r.uvarint()), str(r.uvarint()), str(r.uvarint())
		y, n := binary.Varint(r.b)
		if r.bad || n <= 0 || len(r.b) < n+17 || r.b[n] > 1 {
			return nil, errPacked
		}
		d.Year, d.LocalProduction = int(y), r.b[n] == 1
		rest := r.b[n+1:]
		d.TIV = math.Float64frombits(binary.LittleEndian.Uint64(rest))
		d.EstimatedTIV = math.Float64frombits(binary.LittleEndian.Uint64(rest[8:]))
		r.b = rest[16:]
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last detail", errPacked, len(r.b))
	}
	return out, nil
}

// reader reads uvarints from b; bad is set, and b emptied, at the first
// that is cut short or too long.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	if len(r.b) > 0 && r.b[0] < 0x80 { // one byte: most string indexes
		v := uint64(r.b[0])
		r.b = r.b[1:]
		return v
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

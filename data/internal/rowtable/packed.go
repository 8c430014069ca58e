package rowtable

import (
	"encoding/binary"
	"errors"
	"fmt"
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

// PackedDetails is the Kind of a listing's FlowSet.Details, packed by
// PackDetails.
const PackedDetails = "flow_details"

// PackedRows holds the Packed records of each dataset, at most one of a
// kind (the engines' DDL adds UNIQUE (dataset_id, kind)). The table came
// with the engines' third migration (Create).
var PackedRows = &Table[Packed]{
	Name: "packed",
	Cols: []string{"kind", "body"},
	Fields: func(a []any, p *Packed) []any {
		return append(a, &p.Kind, &p.Body)
	},
	Checks: map[string]string{"kind": "kind <> ''"},
}

// packMagic starts every packed details record, naming its layout.
const packMagic = "armsdash flow details 1\n"

// PackDetails encodes details: packMagic; the number of distinct strings,
// then each (length, bytes); the number of details, then each as the
// indexes of its supplier, recipient, category and status among the
// strings (uvarints), its year (varint), local production (one byte, 0 or
// 1), and TIV and EstimatedTIV (IEEE 754 bits, little-endian). Order is
// kept. UnpackDetails reads it back exactly.
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
	return append(b, rows...)
}

// errPacked is the error of a record PackDetails did not write.
var errPacked = errors.New("packed flow details are cut short or corrupt")

// UnpackDetails decodes a record written by PackDetails; nil when it
// holds none. It returns an error, and no details, when b is not such a
// record or is cut short.
func UnpackDetails(b []byte) ([]data.FlowDetail, error) {
	if len(b) < len(packMagic) || string(b[:len(packMagic)]) != packMagic {
		return nil, fmt.Errorf("%w: no %q header", errPacked, packMagic[:len(packMagic)-1])
	}
	b = b[len(packMagic):]
	fail := false
	uvarint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			fail, b = true, nil
			return 0
		}
		b = b[n:]
		return v
	}
	nstr := uvarint()
	if nstr > uint64(len(b)) {
		return nil, errPacked
	}
	strs := make([]string, nstr)
	for i := range strs {
		n := uvarint()
		if n > uint64(len(b)) {
			return nil, errPacked
		}
		strs[i], b = string(b[:n]), b[n:]
	}
	str := func() string {
		i := uvarint()
		if i >= uint64(len(strs)) {
			fail = true
			return ""
		}
		return strs[i]
	}
	nrows := uvarint()
	if fail || nrows > uint64(len(b))/21 { // 21: the fewest bytes a detail takes
		return nil, errPacked
	}
	if nrows == 0 {
		return nil, nil
	}
	out := make([]data.FlowDetail, nrows)
	for i := range out {
		d := &out[i]
		d.Supplier, d.Recipient, d.Category, d.Status = str(), str(), str(), str()
		y, n := binary.Varint(b)
		if fail || n <= 0 || len(b) < n+17 || b[n] > 1 {
			return nil, errPacked
		}
		d.Year, d.LocalProduction = int(y), b[n] == 1
		b = b[n+1:]
		d.TIV = math.Float64frombits(binary.LittleEndian.Uint64(b))
		d.EstimatedTIV = math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
		b = b[16:]
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last detail", errPacked, len(b))
	}
	return out, nil
}

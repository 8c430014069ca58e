package data

//go:generate go run ./internal/genextract -in ../../shared/data/sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv -out builtin/sipri_china_pakistan.csv

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// builtinFS holds the built-in dataset: facts from the seed articles and an
// extract of SIPRI's per-delivery-year listing made by `go generate`.
//
//go:embed builtin/*.csv
var builtinFS embed.FS

// The files of the built-in dataset.
const (
	BuiltinEvents    = "builtin/events.csv"
	BuiltinFigures   = "builtin/figures.csv"
	BuiltinEquipment = "builtin/equipment.csv"
	BuiltinExtract   = "builtin/sipri_china_pakistan.csv"
)

// Builtin returns the built-in dataset, used when the store is empty.
func Builtin() (*Snapshot, error) {
	s := &Snapshot{Builtin: true}
	for _, file := range []struct {
		path string
		read func(string, []byte, Options) (*File, error)
	}{
		{BuiltinExtract, ReadFlows},
		{BuiltinEvents, ReadEvents},
		{BuiltinFigures, ReadFigures},
		{BuiltinEquipment, ReadEquipment},
	} {
		b, err := builtinFS.ReadFile(file.path)
		if err != nil {
			return nil, err
		}
		f, err := file.read(strings.TrimPrefix(file.path, "builtin/"), b, Options{})
		if err != nil {
			return nil, fmt.Errorf("built-in dataset: %w", err)
		}
		f.Canonicalize()
		s.Add(f)
	}
	s.Version = "builtin-" + VersionOf(s.Datasets)
	return s, nil
}

// BuiltinVersion returns the Version of Builtin(), the version a store
// reports while it holds no dataset. The built-in dataset is read once per
// process.
func BuiltinVersion() (string, error) { return builtinVersion() }

var builtinVersion = sync.OnceValues(func() (string, error) {
	b, err := Builtin()
	if err != nil {
		return "", err
	}
	return b.Version, nil
})

// VersionOf derives a version from the datasets' digests: the first 12 hex
// digits of the SHA-256 of their SHA-256s, in order.
func VersionOf(ds []Dataset) string {
	h := sha256.New()
	for _, d := range ds {
		h.Write([]byte(d.SHA256))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Add appends the rows of f to the snapshot, records its dataset and
// recounts the events (SetEvents).
func (s *Snapshot) Add(f *File) {
	s.Datasets = append(s.Datasets, f.Dataset)
	if len(f.Flows) > 0 {
		s.FlowSets = append(s.FlowSets, FlowSet{Dataset: f.Dataset, Flows: f.Flows})
	}
	s.SetEvents(append(slices.Clone(s.Events), f.Events...))
	s.Figures = append(s.Figures, f.Figures...)
	s.Equipment = append(s.Equipment, f.Equipment...)
}

// FigureColumns is the header of the built-in figures CSV.
var FigureColumns = []string{"measure", "supplier", "recipient", "from", "to", "percent", "approximate", "quote", "publisher", "vintage", "vintage_note", "source"}

// ReadFigures reads the built-in figures CSV (see FigureColumns): figures
// that articles attribute to SIPRI, as the articles state them.
func ReadFigures(name string, b []byte, opt Options) (*File, error) {
	f := &File{Dataset: Dataset{Name: name, Format: FormatReportedFigures, Source: "figures reported in the seed articles", SHA256: sha256Hex(b)}}
	return readRows(f, &f.Figures, b, FigureColumns, opt, nil, func(line int, rec []string) (Figure, *ParseError) {
		bad := func(col int, msg string) *ParseError {
			return cellError(name, line, FigureColumns, col, msg)
		}
		fig := Figure{Measure: rec[0], Supplier: rec[1], Recipient: rec[2], Quote: rec[7], Publisher: rec[8], Vintage: rec[9], VintageNote: rec[10], Source: rec[11]}
		if fig.Measure != MeasureSupplierShare && fig.Measure != MeasureRecipientShare {
			return fig, bad(0, fmt.Sprintf("%q is not %s or %s", rec[0], MeasureSupplierShare, MeasureRecipientShare))
		}
		var err error
		if fig.From, err = strconv.Atoi(rec[3]); err != nil {
			return fig, bad(3, fmt.Sprintf("%q is not a year", rec[3]))
		}
		if fig.To, err = strconv.Atoi(rec[4]); err != nil || fig.To < fig.From {
			return fig, bad(4, fmt.Sprintf("%q is not a year at or after %d", rec[4], fig.From))
		}
		var ok bool
		if fig.Percent, ok = parseFinite(rec[5]); !ok || fig.Percent < 0 || fig.Percent > 100 {
			return fig, bad(5, fmt.Sprintf("%q is not a percentage", rec[5]))
		}
		if fig.Approximate, err = strconv.ParseBool(rec[6]); err != nil {
			return fig, bad(6, fmt.Sprintf("%q is not true or false", rec[6]))
		}
		if fig.Source == "" || fig.Publisher == "" {
			return fig, bad(11, "every figure must name its publisher and the article reporting it")
		}
		return fig, nil
	})
}

// EquipmentColumns is the header of the built-in equipment CSV.
var EquipmentColumns = []string{"name", "kind", "supplier", "user", "service", "relation", "quote", "source"}

// equipmentRelations lists the allowed values of the relation column.
var equipmentRelations = []string{"in service", "mass production agreed", "joint production discussed"}

// ReadEquipment reads the built-in equipment CSV (see EquipmentColumns).
func ReadEquipment(name string, b []byte, opt Options) (*File, error) {
	f := &File{Dataset: Dataset{Name: name, Format: FormatEquipment, Source: "equipment named in the seed articles", SHA256: sha256Hex(b)}}
	return readRows(f, &f.Equipment, b, EquipmentColumns, opt, nil, func(line int, rec []string) (Equipment, *ParseError) {
		e := Equipment{Name: rec[0], Kind: rec[1], Supplier: rec[2], User: rec[3], Service: rec[4], Relation: rec[5], Quote: rec[6], Source: rec[7]}
		if e.Name == "" {
			return e, cellError(name, line, EquipmentColumns, 0, "is empty")
		}
		if !slices.Contains(equipmentRelations, e.Relation) {
			return e, cellError(name, line, EquipmentColumns, 5, fmt.Sprintf("%q is not one of %s", e.Relation, strings.Join(equipmentRelations, ", ")))
		}
		if e.Source == "" {
			return e, cellError(name, line, EquipmentColumns, 7, "is empty; every row must name the article it comes from")
		}
		return e, nil
	})
}

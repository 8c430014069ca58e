package rowtable

import (
	"fmt"
	"slices"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// Types names an engine's SQL column types. The Go type of a field gives
// its column's: string (also data.PartyKind and Years, stored as text)
// Text, int Int (Int64 for the table's Wide columns), float64 Float, bool
// Bool, []byte Bytes.
type Types struct {
	Text, Int, Int64, Float, Bool, Bytes string
}

// DDL is what an engine's CREATE TABLE statements for the row tables
// hold beyond the columns defined here.
type DDL struct {
	Types
	Head  []string            // column definitions after dataset_id, in every table
	Tail  []string            // column definitions and constraints ending every table
	Extra map[string][]string // column definitions before Tail, by table
}

// CreateTables returns the CREATE TABLE statements of every row table, in
// the order of Names, as the engines' first migration creates them. A
// table has dataset_id (Int64, referencing the datasets table, its rows
// deleted with their dataset), ddl.Head, its columns in Cols order but
// those Added later (NOT NULL, with their Checks), ddl.Extra of the table
// and ddl.Tail.
//
// A migration that has shipped must not change: a column added to a
// table is Added by a migration of its own (see AddColumns), so that
// CreateTables gives the tables as they were.
func CreateTables(ddl DDL) string {
	var b strings.Builder
	for _, t := range tables {
		b.WriteString(t.create(ddl))
	}
	return b.String()
}

// AddColumns returns the ALTER TABLE statements that add the columns
// Added by the given migration, in the order of Names and Cols. A
// column's rows stored before it read the zero value of its field: the
// column is NOT NULL with a default of the empty string, 0 or FALSE.
func AddColumns(ddl DDL, migration int) string {
	var b strings.Builder
	for _, t := range tables {
		b.WriteString(t.addColumns(ddl, migration))
	}
	return b.String()
}

// create returns the CREATE TABLE statement of t (see CreateTables).
func (t *Table[T]) create(ddl DDL) string {
	defs := append([]string{fmt.Sprintf("dataset_id %s NOT NULL REFERENCES datasets (id) ON DELETE CASCADE", ddl.Int64)}, ddl.Head...)
	for i, col := range t.Cols {
		if t.Added[col] <= 1 {
			defs = append(defs, t.columnDef(ddl.Types, i, false))
		}
	}
	defs = append(append(defs, ddl.Extra[t.Name]...), ddl.Tail...)
	return fmt.Sprintf("CREATE TABLE %s (\n\t%s\n);\n", t.Name, strings.Join(defs, ",\n\t"))
}

// addColumns returns the ALTER TABLE statements of t (see AddColumns).
func (t *Table[T]) addColumns(ddl DDL, migration int) string {
	var b strings.Builder
	for i, col := range t.Cols {
		if t.Added[col] == migration && migration > 1 {
			fmt.Fprintf(&b, "ALTER TABLE %s ADD COLUMN %s;\n", t.Name, t.columnDef(ddl.Types, i, true))
		}
	}
	return b.String()
}

// columnDef defines column i of t: NOT NULL, with its field's zero value
// as default when withDefault, and its check.
func (t *Table[T]) columnDef(ty Types, i int, withDefault bool) string {
	var r T
	field := t.Fields(nil, &r)[i]
	col := t.Cols[i]
	def := fmt.Sprintf("%q %s NOT NULL", col, ty.sqlType(field, slices.Contains(t.Wide, col)))
	if withDefault {
		def += " DEFAULT " + zeroLiteral(field)
	}
	if c, ok := t.Checks[col]; ok {
		def += " CHECK (" + c + ")"
	}
	return def
}

// zeroLiteral returns the SQL literal of the zero value of the field p
// points to, in either engine.
func zeroLiteral(p any) string {
	switch p.(type) {
	case *string, *data.PartyKind, *Years:
		return "''"
	case *bool:
		return "FALSE"
	}
	return "0"
}

// sqlType returns the column type of the field p points to.
func (ty Types) sqlType(p any, wide bool) string {
	switch p.(type) {
	case *string, *data.PartyKind, *Years:
		return ty.Text
	case *int:
		if wide {
			return ty.Int64
		}
		return ty.Int
	case *float64:
		return ty.Float
	case *bool:
		return ty.Bool
	case *[]byte:
		return ty.Bytes
	}
	panic(fmt.Sprintf("rowtable: no SQL type for a field of type %T", p))
}

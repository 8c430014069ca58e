package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/armsdash/armsdash/data"
)

// DuplicateError is data.DuplicateError, kept so that callers written
// against this package still compile.
type DuplicateError = data.DuplicateError

// AmbiguousError is data.AmbiguousError.
type AmbiguousError = data.AmbiguousError

// Entry is data.Entry.
type Entry = data.Entry

// Import stores f (its dataset, every row, the skipped rows and unmapped
// names) in one transaction and returns its dataset as stored. If the store
// already holds a file with the same SHA-256 it returns a *DuplicateError
// and changes nothing. On any other failure (a row the schema refuses, a
// cancelled ctx) the transaction is rolled back and the store is exactly as
// before. f must have a name, a format and a 64-digit SHA-256.
func (s *Store) Import(ctx context.Context, f *data.File) (data.Dataset, error) {
	ds := f.Dataset
	if ds.Name == "" || ds.Format == "" || len(ds.SHA256) != 64 {
		return data.Dataset{}, fmt.Errorf("sqlite: import: dataset needs a name, a format and a SHA-256 (got %q, %q, %q)", ds.Name, ds.Format, ds.SHA256)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
	}
	defer tx.Rollback()

	if e, ok, err := entryBySHA(ctx, tx, ds.SHA256); err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
	} else if ok {
		return data.Dataset{}, &DuplicateError{Existing: e.Dataset}
	}

	res, err := tx.ExecContext(ctx, `INSERT INTO datasets
		(name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ds.Name, string(ds.Format), ds.Source, ds.Attribution, ds.Licence, ds.Vintage, ds.SHA256,
		ds.Rows, len(f.Skipped), strings.Join(f.Unmapped, "\n"), s.now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
	}
	skipped := make([]data.ParseError, 0, len(f.Skipped))
	for _, pe := range f.Skipped {
		if pe != nil {
			skipped = append(skipped, *pe)
		}
	}
	for _, insert := range []func() error{
		func() error { return deliveriesTable.insert(ctx, s, tx, id, f.Deliveries) },
		func() error { return flowsTable.insert(ctx, s, tx, id, f.Flows) },
		func() error { return dealsTable.insert(ctx, s, tx, id, f.Deals) },
		func() error { return tivValuesTable.insert(ctx, s, tx, id, f.TIVValues) },
		func() error { return indicatorsTable.insert(ctx, s, tx, id, f.Indicators) },
		func() error { return eventsTable.insert(ctx, s, tx, id, f.Events) },
		func() error { return figuresTable.insert(ctx, s, tx, id, f.Figures) },
		func() error { return equipmentTable.insert(ctx, s, tx, id, f.Equipment) },
		func() error { return skippedTable.insert(ctx, s, tx, id, skipped) },
	} {
		if err := insert(); err != nil {
			return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
		}
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: %w", ds.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return data.Dataset{}, fmt.Errorf("sqlite: import %s: commit: %w", ds.Name, err)
	}
	return ds, nil
}

const entryColumns = `id, name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at`

func scanEntry(sc interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var unmapped, imported string
	err := sc.Scan(&e.ID, &e.Name, &e.Format, &e.Source, &e.Attribution, &e.Licence, &e.Vintage,
		&e.SHA256, &e.Rows, &e.Skipped, &unmapped, &imported)
	if err != nil {
		return Entry{}, err
	}
	if unmapped != "" {
		e.Unmapped = strings.Split(unmapped, "\n")
	}
	if e.ImportedAt, err = time.Parse(time.RFC3339Nano, imported); err != nil {
		return Entry{}, fmt.Errorf("dataset %d: imported_at %q: %w", e.ID, imported, err)
	}
	return e, nil
}

func entryBySHA(ctx context.Context, q querier, sha string) (Entry, bool, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM datasets WHERE sha256 = ?`, sha))
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, false, nil
	}
	return e, err == nil, err
}

// entries lists the stored datasets, newest import first.
func entries(ctx context.Context, q querier) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+` FROM datasets ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Entries lists the stored datasets with their import details, newest
// import first; nil when the store is empty.
func (s *Store) Entries(ctx context.Context) ([]Entry, error) {
	es, err := entries(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list datasets: %w", err)
	}
	return es, nil
}

// Datasets lists the stored datasets, newest import first; nil when the
// store is empty (the built-in dataset is not listed).
func (s *Store) Datasets(ctx context.Context) ([]data.Dataset, error) {
	es, err := s.Entries(ctx)
	if err != nil {
		return nil, err
	}
	var ds []data.Dataset
	for _, e := range es {
		ds = append(ds, e.Dataset)
	}
	return ds, nil
}

// Remove deletes the dataset called name, with all its rows. name may also be a prefix (8 or more hex digits) of
// the dataset's SHA-256, which tells apart datasets of the same name. It
// returns an error wrapping data.ErrNotFound when nothing matches, and an
// *AmbiguousError (removing nothing) when several datasets do.
func (s *Store) Remove(ctx context.Context, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: remove %s: %w", name, err)
	}
	defer tx.Rollback()
	es, err := entries(ctx, tx)
	if err != nil {
		return fmt.Errorf("sqlite: remove %s: %w", name, err)
	}
	m := data.MatchEntries(es, name)
	switch len(m) {
	case 0:
		return fmt.Errorf("sqlite: remove: dataset %q: %w", name, data.ErrNotFound)
	case 1:
	default:
		amb := &AmbiguousError{Name: name}
		for _, e := range m {
			amb.Matches = append(amb.Matches, e.Dataset)
		}
		return amb
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM datasets WHERE id = ?`, m[0].ID); err != nil {
		return fmt.Errorf("sqlite: remove %s: %w", name, err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return fmt.Errorf("sqlite: remove %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: remove %s: commit: %w", name, err)
	}
	return nil
}

// Version returns a string that changes whenever an import or removal
// commits: the first 12 hex digits of the SHA-256 of the stored datasets'
// SHA-256s (oldest first) and a counter every change increments, prefixed
// "db-". When the store holds no dataset it is the built-in dataset's
// version, the one its Snapshot carries.
func (s *Store) Version(ctx context.Context) (string, error) {
	es, err := entries(ctx, s.db)
	if err != nil {
		return "", fmt.Errorf("sqlite: version: %w", err)
	}
	return s.version(ctx, s.db, es)
}

func (s *Store) version(ctx context.Context, q querier, es []Entry) (string, error) {
	if len(es) == 0 {
		s.builtinOnce.Do(func() {
			b, err := data.Builtin()
			if err != nil {
				s.builtinErr = err
				return
			}
			s.builtinVersion = b.Version
		})
		return s.builtinVersion, s.builtinErr
	}
	gen, err := generation(ctx, q)
	if err != nil {
		return "", fmt.Errorf("sqlite: version: %w", err)
	}
	return data.StoreVersion(es, gen), nil
}

// File returns the stored dataset called name (or SHA-256 prefix, as for
// Remove) with all its rows, skipped rows and unmapped names, as the reader
// made it: a stored file reads back equal to the file imported.
func (s *Store) File(ctx context.Context, name string) (*data.File, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
	}
	defer tx.Rollback()
	es, err := entries(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
	}
	m := data.MatchEntries(es, name)
	switch {
	case len(m) == 0:
		return nil, fmt.Errorf("sqlite: read: dataset %q: %w", name, data.ErrNotFound)
	case len(m) > 1:
		amb := &AmbiguousError{Name: name}
		for _, e := range m {
			amb.Matches = append(amb.Matches, e.Dataset)
		}
		return nil, amb
	}
	e := m[0]
	f := &data.File{Dataset: e.Dataset, Unmapped: e.Unmapped}
	for _, load := range []func() error{
		func() (err error) { f.Deliveries, err = deliveriesTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Flows, err = flowsTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Deals, err = dealsTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.TIVValues, err = tivValuesTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Indicators, err = indicatorsTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Events, err = eventsTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Figures, err = figuresTable.load(ctx, tx, e.ID); return err },
		func() (err error) { f.Equipment, err = equipmentTable.load(ctx, tx, e.ID); return err },
	} {
		if err := load(); err != nil {
			return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
		}
	}
	skipped, err := skippedTable.load(ctx, tx, e.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
	}
	for i := range skipped {
		f.Skipped = append(f.Skipped, &skipped[i])
	}
	return f, nil
}

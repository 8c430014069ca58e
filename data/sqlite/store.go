package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
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
	for _, b := range rowtable.Batches(f) {
		if err := insert(ctx, s, tx, b, id); err != nil {
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
	return data.DatasetsOf(es), nil
}

// Remove deletes the dataset called name, with all its rows. name may also
// be a prefix (8 or more hex digits) of the dataset's SHA-256, which tells
// apart datasets of the same name. It
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
	e, err := data.MatchEntry(es, name)
	var amb *AmbiguousError
	if errors.As(err, &amb) {
		return amb
	}
	if err != nil {
		return fmt.Errorf("sqlite: remove: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM datasets WHERE id = ?`, e.ID); err != nil {
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
		return data.BuiltinVersion()
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
	e, err := data.MatchEntry(es, name)
	var amb *AmbiguousError
	if errors.As(err, &amb) {
		return nil, amb
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: read: %w", err)
	}
	f := &data.File{Dataset: e.Dataset, Unmapped: e.Unmapped}
	for _, step := range []func() error{
		func() (err error) { f.Deliveries, err = load(ctx, tx, rowtable.Deliveries, e.ID); return err },
		func() (err error) { f.Flows, err = load(ctx, tx, rowtable.Flows, e.ID); return err },
		func() (err error) { f.Deals, err = load(ctx, tx, rowtable.Deals, e.ID); return err },
		func() (err error) { f.TIVValues, err = load(ctx, tx, rowtable.TIVValues, e.ID); return err },
		func() (err error) { f.Indicators, err = load(ctx, tx, rowtable.Indicators, e.ID); return err },
		func() (err error) { f.Events, err = load(ctx, tx, rowtable.Events, e.ID); return err },
		func() (err error) { f.Figures, err = load(ctx, tx, rowtable.Figures, e.ID); return err },
		func() (err error) { f.Equipment, err = load(ctx, tx, rowtable.Equipment, e.ID); return err },
	} {
		if err := step(); err != nil {
			return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
		}
	}
	skipped, err := load(ctx, tx, rowtable.Skipped, e.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read %s: %w", name, err)
	}
	for i := range skipped {
		f.Skipped = append(f.Skipped, &skipped[i])
	}
	return f, nil
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
)

// insertDatasetSQL inserts a datasets row unless one of the same SHA-256
// is stored, returning its id (no row when there is one). A concurrent
// import of the same bytes makes it wait for the other transaction; if
// that commits, nothing is inserted.
func insertDatasetSQL(d Dialect) string {
	params := make([]string, 14)
	for i := range params {
		params[i] = d.Param(i + 1)
	}
	return `INSERT INTO datasets
		(name, format, source, attribution, licence, vintage, sha256, rows, skipped, unmapped, imported_at,
		updates_first, updates_last, updates_count)
		VALUES (` + strings.Join(params, ", ") + `)
		ON CONFLICT (sha256) DO NOTHING RETURNING id`
}

// Import stores f (its dataset, every row, the skipped rows and unmapped
// names) in one transaction, stamped importedAt, and returns its dataset
// as stored: the datasets row, then each table's rows with Tx.WriteRows.
// If the store already holds a file with the same SHA-256, or another
// process commits one while this import runs, it returns a
// *data.DuplicateError and changes nothing. On any other failure (a row
// the schema refuses, a cancelled ctx, a lost connection) the transaction
// is rolled back and the store is exactly as before. f must have a name,
// a format and a 64-digit SHA-256.
//
// Import is a function rather than a method so that an engine's Store,
// which embeds a *Store, declares its own Import (to stamp the time it
// chooses, or to do more once the import commits).
func Import(ctx context.Context, s *Store, f *data.File, importedAt time.Time) (data.Dataset, error) {
	ds := f.Dataset
	if ds.Name == "" || ds.Format == "" || len(ds.SHA256) != 64 {
		return data.Dataset{}, fmt.Errorf("%s: import: dataset needs a name, a format and a SHA-256 (got %q, %q, %q)", s.d.Name, ds.Name, ds.Format, ds.SHA256)
	}
	unmapped, at := s.d.EncodeEntry(f.Unmapped, importedAt)
	// Packing, the most work of a large listing's import, is done
	// before the write transaction, so that it does not hold the lock,
	// and only for a file the store does not hold already (the write
	// transaction checks again, for one imported meanwhile).
	var held *data.Entry
	if err := s.read(ctx, "import "+ds.Name, func(tx Tx) error {
		e, ok, err := s.entryBySHA(ctx, tx, ds.SHA256)
		if ok {
			held = &e
		}
		return err
	}); err != nil {
		return data.Dataset{}, err
	}
	if held != nil {
		return data.Dataset{}, &data.DuplicateError{Existing: held.Dataset}
	}
	batches, err := rowtable.Batches(f)
	if err != nil {
		return data.Dataset{}, fmt.Errorf("%s: import %s: %w", s.d.Name, ds.Name, err)
	}
	var dup *data.DuplicateError
	err = s.writeSized(ctx, f.Bytes, func(tx Tx) error {
		id, inserted, err := s.insertDataset(ctx, tx, f, unmapped, at)
		if err != nil {
			return err
		}
		if !inserted {
			e, ok, err := s.entryBySHA(ctx, tx, ds.SHA256)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("a file with sha256 %s was imported and removed meanwhile; try again", ds.SHA256)
			}
			dup = &data.DuplicateError{Existing: e.Dataset}
			return dup
		}
		for _, b := range batches {
			if err := tx.WriteRows(ctx, b, id); err != nil {
				return err
			}
			if b.Err != nil {
				if err := b.Err(); err != nil {
					return fmt.Errorf("%s: %w", b.Table, err)
				}
			}
		}
		if len(f.Events) > 0 {
			if err := s.imported(ctx, tx, id); err != nil {
				return fmt.Errorf("events: %w", err)
			}
		}
		return nil
	})
	switch {
	case dup != nil:
		return data.Dataset{}, dup
	case err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		// Cancelling may close the connection midway; say why.
		return data.Dataset{}, fmt.Errorf("%s: import %s: %w (%v)", s.d.Name, ds.Name, ctx.Err(), err)
	case err != nil:
		return data.Dataset{}, fmt.Errorf("%s: import %s: %w", s.d.Name, ds.Name, err)
	}
	return ds, nil
}

// insertDataset inserts the datasets row of f; inserted is false when the
// store holds one of the same SHA-256 already.
func (s *Store) insertDataset(ctx context.Context, tx Tx, f *data.File, unmapped, importedAt any) (id int64, inserted bool, err error) {
	ds := f.Dataset
	rows, err := tx.Query(ctx, s.sql.insertDataset, ds.Name, string(ds.Format), ds.Source, ds.Attribution,
		ds.Licence, ds.Vintage, ds.SHA256, ds.Rows, len(f.Skipped), unmapped, importedAt,
		ds.Updates.First, ds.Updates.Last, ds.Updates.Count)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&id)
		return id, err == nil, err
	}
	return 0, false, rows.Err()
}

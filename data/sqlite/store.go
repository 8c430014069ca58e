package sqlite

import (
	"context"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// DuplicateError is data.DuplicateError, kept so that callers written
// against this package still compile.
type DuplicateError = data.DuplicateError

// AmbiguousError is data.AmbiguousError.
type AmbiguousError = data.AmbiguousError

// Entry is data.Entry.
type Entry = data.Entry

// Import stores f (its dataset, every row, the skipped rows and unmapped
// names) in one transaction, the rows of each table with batched
// INSERTs, and returns its dataset as stored. If the store already holds
// a file with the same SHA-256 it returns a *DuplicateError and changes
// nothing. On any other failure (a row the schema refuses, a cancelled
// ctx) the transaction is rolled back and the store is exactly as before.
// f must have a name, a format and a 64-digit SHA-256.
func (s *Store) Import(ctx context.Context, f *data.File) (data.Dataset, error) {
	return sqlstore.Import(ctx, s.core, f, s.now())
}

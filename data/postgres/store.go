package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/internal/rowtable"
	"github.com/armsdash/armsdash/data/internal/sqlstore"
)

// Import stores f (its dataset, every row, the skipped rows and unmapped
// names) in one transaction, the rows of each table with one COPY, and
// returns its dataset as stored. If the store already holds a file with
// the same SHA-256, or another process commits one while this import
// runs, it returns a *data.DuplicateError and changes nothing. On any
// other failure (a row the schema refuses, a cancelled ctx, a lost
// connection) the transaction is rolled back and the store is exactly as
// before. f must have a name, a format and a 64-digit SHA-256. Once the
// import commits, the planner's statistics of the tables it filled are
// refreshed (see analyzeMinRows).
func (s *Store) Import(ctx context.Context, f *data.File) (data.Dataset, error) {
	ds, err := sqlstore.Import(ctx, s.core, f, s.now())
	if err == nil {
		s.analyzeAfterImport(ctx, f)
	}
	return ds, err
}

// analyzeMinRows is the size of import after which Import refreshes the
// planner's statistics of a table at once rather than leaving it to
// autovacuum: a million events copied into a table the planner still
// thinks small turn a filtered, ordered page of events (Store.Events) from
// an index walk into a full scan and sort, 7 times slower on 1M events.
const analyzeMinRows = 10_000

// analyzeAfterImport runs ANALYZE on the tables f filled with at least
// analyzeMinRows rows. The import has committed, so a failure only costs
// speed until autovacuum analyzes the table: it is ignored.
func (s *Store) analyzeAfterImport(ctx context.Context, f *data.File) {
	for table, n := range rowtable.RowCounts(f) {
		if n >= analyzeMinRows {
			_ = s.with(ctx, func(c *pgx.Conn) error {
				_, err := c.Exec(ctx, "ANALYZE "+pgx.Identifier{table}.Sanitize())
				return err
			})
		}
	}
}

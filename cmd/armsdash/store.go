package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/postgres"
	"github.com/armsdash/armsdash/data/sqlite"
)

// dbFlagHelp describes -db for every subcommand.
const dbFlagHelp = "store: a SQLite file (created when absent), or a postgres:// or postgresql:// URL for a PostgreSQL database several armsdash processes share; when -db is not given, $DATABASE_URL is used if set"

// openStore opens the store dsn names: PostgreSQL for a postgres:// or
// postgresql:// URL, else the SQLite file at that path (created when
// absent). SQLite is the default.
func openStore(ctx context.Context, dsn string) (data.Store, error) {
	if postgres.IsDSN(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// storeDSN returns the store a subcommand uses: -db when it was given on
// the command line, else $DATABASE_URL when set, else -db's default.
func storeDSN(fs *flag.FlagSet, db string) string {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "db" })
	if env := os.Getenv("DATABASE_URL"); !given && env != "" {
		return env
	}
	return db
}

// storeAbsent reports whether dsn is a SQLite file that does not exist, so
// that commands that only read can say so instead of creating it. A
// PostgreSQL database is never absent: Open reports one that cannot be
// reached.
func storeAbsent(dsn string) bool {
	if postgres.IsDSN(dsn) {
		return false
	}
	_, err := os.Stat(dsn)
	return errors.Is(err, fs.ErrNotExist)
}

// storeName is dsn as shown in messages and logs: without a password.
func storeName(dsn string) string {
	if postgres.IsDSN(dsn) {
		return postgres.Redact(dsn)
	}
	return dsn
}

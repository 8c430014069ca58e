package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/postgres"
	"github.com/armsdash/armsdash/data/sqlite"
)

// dbFlagHelp describes -db for every subcommand.
const dbFlagHelp = "store: a SQLite file (created when absent), or a postgres:// or postgresql:// URL for a PostgreSQL database several armsdash processes share; when -db is not given, $DATABASE_URL is used if set"

// openStore opens the store dsn names: PostgreSQL for a postgres:// or
// postgresql:// URL, else the SQLite file at that path (created when
// absent). SQLite is the default. A store that cannot be opened gives a
// *storeError: one line naming the store (without its password) and what
// is wrong.
func openStore(ctx context.Context, dsn string) (data.Store, error) {
	// Each engine's nil *Store is kept out of the interface: a non-nil
	// data.Store holding a nil pointer would pass a nil check and crash.
	if postgres.IsDSN(dsn) {
		st, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, &storeError{name: storeName(dsn), problem: postgresProblem(err), err: err}
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, &storeError{name: dsn, problem: sqliteProblem(dsn, err), err: err}
	}
	return st, nil
}

// storeError is a store that could not be opened.
type storeError struct {
	name    string // the store as storeName shows it
	problem string // what is wrong, on one line
	err     error  // the engine's error
}

func (e *storeError) Error() string {
	if e.name == "" {
		return "cannot open the store: " + e.problem
	}
	return fmt.Sprintf("cannot open the store %s: %s", e.name, e.problem)
}

func (e *storeError) Unwrap() error { return e.err }

// sqliteProblem says on one line why the SQLite file at path could not be
// opened: a missing directory, a directory given as the file, a file that
// is not a SQLite database or is damaged, else the driver's own words.
func sqliteProblem(path string, err error) string {
	if path == "" {
		return "-db is empty; give a SQLite file or a postgres:// URL"
	}
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		return "it is a directory; give a file name such as " + filepath.Join(path, "armsdash.db")
	}
	dir := filepath.Dir(path)
	if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Sprintf("directory %s does not exist", dir)
	}
	var se *sqlitedriver.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return "the file is not a SQLite database"
		case sqlite3.SQLITE_CORRUPT:
			return "the file is a damaged SQLite database"
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_AUTH:
			if f, oerr := os.OpenFile(path, os.O_RDWR, 0); oerr != nil && !errors.Is(oerr, fs.ErrNotExist) {
				return "the file cannot be opened for writing: " + oneLine(errors.Unwrap(oerr))
			} else if oerr == nil {
				f.Close()
			}
		}
	}
	return oneLine(strings.TrimPrefix(err.Error(), "sqlite: open "+path+": "))
}

// postgresProblem says on one line why a PostgreSQL store could not be
// opened: the server's own refusal (a missing database, a failed login), a
// server that cannot be reached, a URL that cannot be parsed, else pgx's
// words. pgx leaves passwords out of its errors.
func postgresProblem(err error) string {
	var pe *pgconn.PgError
	var op *net.OpError
	var ce *pgconn.ConnectError
	var parse *pgconn.ParseConfigError
	switch {
	case errors.As(err, &pe):
		return fmt.Sprintf("the server refused: %s (SQLSTATE %s)", pe.Message, pe.Code)
	case errors.As(err, &op) && op.Addr != nil:
		return fmt.Sprintf("no PostgreSQL server answers at %s (%s)", op.Addr, oneLine(op.Err))
	case errors.As(err, &parse):
		// Its text quotes the DSN, redacted, before "`: "; the store's name is given already.
		msg := parse.Error()
		if _, after, ok := strings.Cut(msg, "`: "); ok {
			msg = after
		}
		return "the DSN cannot be read: " + oneLine(msg)
	case errors.As(err, &ce):
		return oneLine(ce)
	}
	return oneLine(err)
}

// oneLine returns v's text (an error or a string) with its lines joined by
// "; ", leaving out repeated ones: pgx lists each failed connection attempt on a
// line of its own, often the same twice.
func oneLine(v any) string {
	var lines []string
	for l := range strings.SplitSeq(fmt.Sprint(v), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
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

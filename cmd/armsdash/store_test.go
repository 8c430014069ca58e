package main

import (
	"context"
	"flag"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/postgres"
	"github.com/armsdash/armsdash/data/postgres/postgrestest"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/internal/shareddata"
)

func TestStoreDSN(t *testing.T) {
	tests := []struct {
		name, env string
		args      []string
		want      string
	}{
		{"default", "", nil, "armsdash.db"},
		{"flag", "", []string{"-db", "x.db"}, "x.db"},
		{"env when no flag", "postgres://u@h/db", nil, "postgres://u@h/db"},
		{"flag beats env", "postgres://u@h/db", []string{"-db", "x.db"}, "x.db"},
		{"flag equal to the default beats env", "postgres://u@h/db", []string{"-db=armsdash.db"}, "armsdash.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DATABASE_URL", tt.env)
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			db := fs.String("db", "armsdash.db", "")
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if got := storeDSN(fs, *db); got != tt.want {
				t.Errorf("storeDSN = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestOpenStoreSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	if !storeAbsent(path) {
		t.Error("storeAbsent of a missing file = false")
	}
	st, err := openStore(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*sqlite.Store); !ok {
		t.Errorf("openStore(%s) = %T; want *sqlite.Store", path, st)
	}
	if storeAbsent(path) || storeAbsent("postgres://u@h/db") {
		t.Error("storeAbsent of an existing file or a PostgreSQL URL = true")
	}
}

// TestCommandsOnPostgres runs import, datasets and share against a
// PostgreSQL database named by $DATABASE_URL.
func TestCommandsOnPostgres(t *testing.T) {
	dsn := postgrestest.DSN(t)
	if !postgres.IsDSN(dsn) {
		t.Skipf("%s is not a postgres:// URL", postgrestest.EnvVar)
	}
	t.Setenv("DATABASE_URL", dsn)
	excerpt := shareddata.Path(t, excerptFile)
	out, errOut, err := cmdRun(t, runImport, excerpt)
	if err != nil || !strings.Contains(out, "rows imported") {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	out, _, err = cmdRun(t, runImport, excerpt)
	if err != nil || !strings.Contains(out, "not imported again") {
		t.Errorf("second import: %v\n%s", err, out)
	}
	out, _, err = cmdRun(t, runDatasets)
	if err != nil || !strings.Contains(out, "excerpt.csv") {
		t.Errorf("datasets: %v\n%s", err, out)
	}
	st, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*postgres.Store); !ok {
		t.Errorf("openStore(%s) = %T; want *postgres.Store", dsn, st)
	}
	snap, err := loadSnapshot(context.Background(), dsn)
	if err != nil || snap.Builtin || len(snap.Datasets) != 1 {
		t.Errorf("loadSnapshot: %v; want the imported excerpt", err)
	}
	if _, _, err := cmdRun(t, runDatasets, "-remove", "excerpt.csv"); err != nil {
		t.Errorf("datasets -remove: %v", err)
	}
}

// TestStoreCannotOpen gives every subcommand that opens a store one that
// cannot be opened: each must end with exit status 1 and one line on
// stderr naming the store (without its password) and what is wrong, never
// a panic or a stack trace.
func TestStoreCannotOpen(t *testing.T) {
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notSQLite, []byte("these are notes, not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "events.csv")
	if err := os.WriteFile(input, []byte(strings.Join(data.EventColumns, ",")+"\n2023,year,,China,Pakistan,,visit,,,a.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type storeCase struct {
		name, db, want string
		absent         bool // the store does not exist: only serve and import try to create it
	}
	cases := []storeCase{
		{"missing directory", filepath.Join(dir, "no-such-dir", "x.db"), "directory " + filepath.Join(dir, "no-such-dir") + " does not exist", true},
		{"directory", dir, "it is a directory", false},
		{"not SQLite", notSQLite, "the file is not a SQLite database", false},
		{"damaged SQLite", damagedSQLite(t), "damaged SQLite database", false},
		{"PostgreSQL down", "postgres://u:secret@" + freeAddr(t) + "/x?sslmode=disable", "no PostgreSQL server answers at", false},
		{"unreadable DSN", "postgres://u:secret@%zz/x", "the DSN cannot be read", false},
	}
	if admin := os.Getenv(postgrestest.EnvVar); admin != "" {
		u, err := url.Parse(admin)
		if err != nil {
			t.Fatalf("%s: %v", postgrestest.EnvVar, err)
		}
		u.Path = "/armsdash_no_such_database"
		cases = append(cases, storeCase{"missing PostgreSQL database", u.String(), `database "armsdash_no_such_database" does not exist`, false})
	} else {
		t.Logf("the missing PostgreSQL database case is skipped: set %s", postgrestest.EnvVar)
	}
	commands := []struct {
		name        string
		args        func(db string) []string
		opensAbsent bool
	}{
		{"serve", func(db string) []string { return []string{"-db", db, "-addr", "127.0.0.1:0", "-assets-dir", dir} }, true},
		{"import", func(db string) []string { return []string{"import", "-db", db, input} }, true},
		{"datasets", func(db string) []string { return []string{"datasets", "-db", db} }, false},
		{"datasets -remove", func(db string) []string { return []string{"datasets", "-db", db, "-remove", "events.csv"} }, false},
		{"share", func(db string) []string {
			return []string{"share", "-db", db, "-supplier", "China", "-recipient", "Pakistan", "-from", "2015", "-to", "2019"}
		}, false},
		{"loadtest", func(db string) []string { return []string{"loadtest", "-db", db, "-n", "1", "-duration", "1s"} }, false},
	}
	t.Setenv("DATABASE_URL", "")
	for _, sc := range cases {
		for _, cmd := range commands {
			if sc.absent && !cmd.opensAbsent {
				continue // the command says there is no store, and opens none
			}
			t.Run(sc.name+"/"+cmd.name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				var stdout, stderr syncBuffer
				status := func() (status int) {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("panic: %v", p)
							status = -1
						}
					}()
					return exitStatus(run(ctx, cmd.args(sc.db), &stdout, &stderr), &stderr)
				}()
				out := stderr.String()
				if status != 1 {
					t.Errorf("exit status %d; want 1\nstderr:\n%s", status, out)
				}
				if n := strings.Count(out, "\n"); n != 1 || !strings.HasSuffix(out, "\n") {
					t.Errorf("stderr has %d lines; want one:\n%s", n, out)
				}
				for _, bad := range []string{"goroutine", "panic", "secret"} {
					if strings.Contains(out, bad) {
						t.Errorf("stderr contains %q:\n%s", bad, out)
					}
				}
				if want := "cannot open the store " + storeName(sc.db) + ": "; !strings.HasPrefix(out, "armsdash: ") || !strings.Contains(out, want) {
					t.Errorf("stderr does not name the store (%q):\n%s", want, out)
				}
				if !strings.Contains(out, sc.want) {
					t.Errorf("stderr does not say %q:\n%s", sc.want, out)
				}
			})
		}
	}
}

// damagedSQLite returns a SQLite store whose schema page has been
// overwritten.
func damagedSQLite(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damaged.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 100; i < 4096 && i < len(b); i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		os.Remove(path + ext)
	}
	return path
}

// freeAddr returns a loopback address on which nothing listens.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

package main

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

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
	snap, err := readSnapshot(context.Background(), dsn)
	if err != nil || snap.Builtin || len(snap.Datasets) != 1 {
		t.Errorf("readSnapshot: %v; want the imported excerpt", err)
	}
	if _, _, err := cmdRun(t, runDatasets, "-remove", "excerpt.csv"); err != nil {
		t.Errorf("datasets -remove: %v", err)
	}
}

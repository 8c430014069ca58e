// Package postgrestest gives tests and benchmarks a fresh PostgreSQL
// database of their own. The server is named by the environment variable
// ARMSDASH_TEST_POSTGRES (a DSN such as
// postgres:///postgres?host=/tmp/pg&port=55432&user=postgres whose user may
// create databases); without it the test is skipped, saying how to run it.
// .ci/run starts a throwaway server and sets the variable.
package postgrestest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the variable holding the test server's DSN.
const EnvVar = "ARMSDASH_TEST_POSTGRES"

// DSN creates a database named test_<random> on the test server and returns
// a DSN for it; the database is dropped when tb ends. Without EnvVar set,
// tb is skipped.
func DSN(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			tb.Skip("PostgreSQL was not provided: " + EnvVar + " is unset (.ci/run starts a server and sets it)")
		}
		tb.Skip("PostgreSQL tests skipped: set " + EnvVar + " to the DSN of a server whose user may create databases, e.g. " +
			EnvVar + "='postgres:///postgres?host=/tmp/pgsock&port=55432&user=postgres' go test ./data/...")
	}
	var b [8]byte
	rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("connect to %s (%s): %v", EnvVar, admin, err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// withDatabase returns dsn naming database db instead.
func withDatabase(dsn, db string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			u.Path = "/" + db
			u.RawPath = ""
			q := u.Query()
			if q.Has("dbname") {
				q.Set("dbname", db)
				u.RawQuery = q.Encode()
			}
			return u.String()
		}
	}
	return dsn + " dbname=" + db
}

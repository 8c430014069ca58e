// Package shareddata locates the real SIPRI, World Bank and GDELT files that
// tests check figures against. They live in ../shared/data beside the
// repository (or in $ARMSDASH_SHARED_DATA) and are never copied into it; a
// fresh clone has none, so tests that need them skip with a message.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data directory, or "" when it cannot be found.
func Dir() string {
	if d := os.Getenv("ARMSDASH_SHARED_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of rel inside the shared data directory. It skips
// the test, saying why, when the directory or the file is absent; under CI
// (CI=true), where the data must be present, a missing directory fails it.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir := Dir()
	if dir == "" && os.Getenv("CI") == "true" {
		tb.Fatal("../shared/data is absent, but CI must check figures against it")
	}
	if dir == "" {
		tb.Skip("../shared/data is absent (a fresh clone has none; CI has it): set ARMSDASH_SHARED_DATA to run this test")
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data file %s is absent: %v", rel, err)
	}
	return p
}

package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// CheckMigrations fails t when an engine's migrations (migration i+1 is
// migrations[i]) differ from those shipped, given by their SHA-256s in
// hex: a migration that has shipped must never change, since a store that
// applied it does not apply it again. A change to rowtable's tables, from
// which the first migrations are made, needs a migration of its own. A
// new migration is reported with its SHA-256, to add once it ships.
func CheckMigrations(t *testing.T, migrations []string, shipped ...string) {
	t.Helper()
	for i, m := range migrations {
		sum := sha256.Sum256([]byte(m))
		got := hex.EncodeToString(sum[:])
		if i >= len(shipped) {
			t.Errorf("migration %d (sha256 %s) is new: once it ships, add its SHA-256 to those checked", i+1, got)
		} else if got != shipped[i] {
			t.Errorf("migration %d has shipped, yet it changed: sha256 %s, shipped %s", i+1, got, shipped[i])
		}
	}
	if len(migrations) < len(shipped) {
		t.Errorf("%d migrations; %d have shipped", len(migrations), len(shipped))
	}
}

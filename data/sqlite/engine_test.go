package sqlite

import "testing"

// TestWriteCacheKiB checks the page cache an import's transaction takes
// for its file's size: a quarter of it, between 256 KiB and 512 MiB, and
// the most when the size is not known.
func TestWriteCacheKiB(t *testing.T) {
	for _, tt := range []struct {
		bytes int64
		want  int64
	}{
		{0, 512 << 10},       // not known: a removal, keying a store's events
		{-1, 512 << 10},      // not known either
		{2596, 256},          // a small register: the least
		{3845731, 938},       // the real trade register: 3.8 MB / 4
		{121327222, 29620},   // the synthetic 1M-row listing: 29.6 MiB
		{4 << 30, 512 << 10}, // 4 GiB: the most
		{2 << 30, 512 << 10}, // 2 GiB: a quarter is the most
		{4 << 20, 1024},      // 4 MiB: 1 MiB
		{1<<20 - 1, 256},     // a quarter just under the least: the least
	} {
		if got := writeCacheKiB(tt.bytes); got != tt.want {
			t.Errorf("writeCacheKiB(%d) = %d; want %d", tt.bytes, got, tt.want)
		}
	}
}

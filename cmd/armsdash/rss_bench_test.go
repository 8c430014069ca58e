//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/armsdash/armsdash/internal/shareddata"
)

// BenchmarkImportRegisterRSS runs `armsdash import` of the real trade
// register into a new SQLite store, as a user would, and reports its
// peak resident memory (the kernel's ru_maxrss) per byte of the file:
// issue 16's goal is at most 10. As the baseline, each iteration also
// imports the small register of testdata, a few KB, into a new store:
// what the process takes before any data (its code, mapped from the
// executable, is most of it). Both are reported, and the register's
// peak less the baseline's per byte of the file.
//
// How much of an executable is resident depends on how its pages came
// into the page cache (a file's pages are mapped in whole large folios,
// and a freshly linked one's are larger), so the executable is dropped
// from the page cache before each run.
//
//	go test ./cmd/armsdash -run '^$' -bench ImportRegisterRSS -benchtime 10x
func BenchmarkImportRegisterRSS(b *testing.B) {
	reg := shareddata.Path(b, "sipri_trade_register/all_1950-2024_generated-2025-03-13_cp1252.csv")
	fi, err := os.Stat(reg)
	if err != nil {
		b.Fatal(err)
	}
	small, err := filepath.Abs("../../data/testdata/register_small_cp1252.csv")
	if err != nil {
		b.Fatal(err)
	}
	exe := buildArmsdash(b)
	dir := b.TempDir()
	run := func(file string) int64 {
		b.Helper()
		uncache(b, exe)
		db := filepath.Join(dir, "x.db")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		cmd := exec.Command(exe, "import", "-db", db, file)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("armsdash import %s: %v\n%s", file, err, out)
		}
		return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	}
	var peak, base int64
	for b.Loop() {
		peak += run(reg)
		base += run(small)
	}
	n, size := float64(b.N), float64(fi.Size())
	b.ReportMetric(float64(peak)/n/size, "peak-RSS/file-B")
	b.ReportMetric(float64(base)/n/(1<<20), "baseline-MiB")
	b.ReportMetric(float64(peak-base)/n/size, "(peak-baseline)/file-B")
}

// uncache drops the file at path from the page cache (posix_fadvise
// POSIX_FADV_DONTNEED), so that it is read again when it is next mapped.
// It writes the file's dirty pages first (those of a binary just linked),
// which would stay.
func uncache(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
	const dontNeed = 4 // POSIX_FADV_DONTNEED
	if _, _, errno := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, dontNeed, 0, 0); errno != 0 {
		tb.Fatalf("fadvise %s: %v", path, errno)
	}
}

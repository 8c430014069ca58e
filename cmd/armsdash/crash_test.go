package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

const fullListing = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"

// buildArmsdash builds this command into a temporary directory.
func buildArmsdash(t testing.TB) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	exe := filepath.Join(t.TempDir(), "armsdash")
	out, err := exec.Command(goBin, "build", "-o", exe, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// armsdash runs the binary with args and returns its standard output.
func armsdash(t *testing.T, exe string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("armsdash %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// bigListing writes the full per-delivery-year listing repeated copies
// times, each copy's deal ids shifted so that it is one larger, distinct
// file, big enough that its import can be interrupted. The file is a
// test fixture only; its figures are never shown.
func bigListing(t *testing.T, copies int) string {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, fullListing))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\r\n")
	var out strings.Builder
	head := 12 // 11 preamble lines and the header
	for _, l := range lines[:head] {
		out.WriteString(l + "\r\n")
	}
	for k := 1; k <= copies; k++ {
		for _, l := range lines[head:] {
			id, rest, ok := strings.Cut(l, ",")
			n, err := strconv.Atoi(id)
			if !ok || err != nil {
				continue
			}
			fmt.Fprintf(&out, "%d,%s\r\n", n+k*1_000_000, rest)
		}
	}
	p := filepath.Join(t.TempDir(), "big_listing.csv")
	if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// dump returns every row of every table of the SQLite file at path, and
// the schema, in a stable order.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path) // driver registered by data/sqlite
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var tables []string
	for rows.Next() {
		var typ, name string
		var ddl sql.NullString
		if err := rows.Scan(&typ, &name, &ddl); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ+" "+name+": "+ddl.String)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tab := range tables {
		r, err := db.Query(`SELECT * FROM "` + tab + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, tab+fmt.Sprintf("%v", vals))
		}
		r.Close()
		slices.Sort(lines)
		out = append(out, fmt.Sprintf("%s: %d rows", tab, len(lines)))
		out = append(out, lines...)
	}
	return strings.Join(out, "\n")
}

// TestKilledImportLosesNothing kills `armsdash import` with SIGKILL while
// it writes a large file, then checks that the store opens, lists the
// same datasets and holds exactly the rows it held before, and that the
// same file then imports in full.
func TestKilledImportLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 200,000 rows")
	}
	big := bigListing(t, 8)
	exe := buildArmsdash(t)
	db := filepath.Join(t.TempDir(), "crash.db")
	armsdash(t, exe, "import", "-db", db, shareddata.Path(t, "sipri_deliveries_by_year/excerpt.csv"), "../../data/builtin/events.csv")
	listBefore := armsdash(t, exe, "datasets", "-db", db)
	before := dump(t, db)

	cmd := exec.Command(exe, "import", "-db", db, big)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Wait until the import transaction has written over 1 MiB to the
	// write-ahead log, then kill it: it is then mid-transaction.
	deadline := time.Now().Add(60 * time.Second)
	var killedAt int64
poll:
	for {
		select {
		case err := <-exited:
			t.Fatalf("the import ended before it could be killed (err %v): make the file larger\n%s", err, stderr.String())
		default:
		}
		if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 1<<20 {
			killedAt = fi.Size()
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break poll
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the write-ahead log never grew")
		}
		time.Sleep(2 * time.Millisecond)
	}
	err := <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed by SIGKILL: %v", err)
	}
	t.Logf("killed the import with %d bytes in the write-ahead log", killedAt)

	if got := armsdash(t, exe, "datasets", "-db", db); got != listBefore {
		t.Errorf("datasets after the crash:\n%s\nwant, as before:\n%s", got, listBefore)
	}
	if after := dump(t, db); after != before {
		t.Errorf("the store changed after a killed import:\n%.2000s\nbefore:\n%.2000s", after, before)
	}
	out := armsdash(t, exe, "import", "-db", db, big)
	if !strings.Contains(out, "200192 rows imported") {
		t.Errorf("fresh import: %s", out)
	}
	if list := armsdash(t, exe, "datasets", "-db", db); !strings.Contains(list, "big_listing.csv") || strings.Count(list, "\n") != strings.Count(listBefore, "\n")+1 {
		t.Errorf("datasets after the fresh import:\n%s", list)
	}
}

// summary describes a snapshot by what an import changes: the datasets
// and the number of flows in each flow set.
func summary(snap *data.Snapshot) string {
	var b strings.Builder
	for _, d := range snap.Datasets {
		fmt.Fprintf(&b, "%s;", d.Name)
	}
	for _, fs := range snap.FlowSets {
		fmt.Fprintf(&b, " %s=%d", fs.Dataset.Name, len(fs.Flows))
	}
	fmt.Fprintf(&b, " events=%d version=%s", len(snap.Events), snap.Version)
	return b.String()
}

// TestSnapshotsDuringImport takes snapshots while an import runs: each
// must be the store before the import or after it, never a mix.
func TestSnapshotsDuringImport(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Imported(t, shareddata.Path(t, "sipri_deliveries_by_year/excerpt.csv"))
	snap, err := st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := summary(snap)
	full := sqlitetest.ReadFile(t, shareddata.Path(t, fullListing))

	done := make(chan struct{})
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				snap, err := st.Snapshot(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[summary(snap)]++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the readers start
	_, err = st.Import(ctx, full)
	time.Sleep(20 * time.Millisecond)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	snap, err = st.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := summary(snap)
	total := 0
	for s, n := range seen {
		total += n
		if s != old && s != want {
			t.Errorf("%d snapshots saw a mix:\n%s\nneither before:\n%s\nnor after:\n%s", n, s, old, want)
		}
	}
	if seen[old] == 0 || total < 3 {
		t.Errorf("only %d snapshots taken (%d before the import): the test did not overlap the import", total, seen[old])
	}
	t.Logf("%d snapshots: %d before, %d after the import", total, seen[old], seen[want])
}

// TestServerLimits runs the binary as a server and checks the limits the
// http.Server itself enforces: a header block over MaxHeaderBytes gets
// 431, an over-long query 414, and the server keeps serving.
func TestServerLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	exe := buildArmsdash(t)
	cmd := exec.Command(exe, "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "s.db"), "-assets-dir", t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	addr := ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if _, a, ok := strings.Cut(sc.Text(), "msg=listening addr="); ok {
			addr, _, _ = strings.Cut(a, " ")
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if _, _, err := net.SplitHostPort(addr); err != nil {
		t.Fatalf("no listening address logged (%q)", addr)
	}
	for _, tc := range []struct {
		name   string
		path   string
		header string
		status int
	}{
		{"huge header", "/", strings.Repeat("a", maxHeaderBytes+4096), http.StatusRequestHeaderFieldsTooLarge},
		{"long query", "/dyad?x=" + strings.Repeat("a", 5000), "", http.StatusRequestURITooLong},
		{"still serving", "/healthz", "", http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+tc.path, nil)
		if tc.header != "" {
			req.Header.Set("X-Big", tc.header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
	}
}

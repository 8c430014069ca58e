package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/internal/shareddata"
)

const (
	excerptFile = "sipri_deliveries_by_year/excerpt.csv"
	listingFile = "sipri_deliveries_by_year/all_1995-2025_generated-2026-02-12.csv"
)

// storeState is what a test compares to tell whether a store changed: its
// version (which every import and removal changes) and its datasets.
type storeState struct {
	Version string
	Entries []sqlite.Entry
}

func stateOf(t *testing.T, db string) storeState {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return storeState{v, es}
}

// cmdRun runs a subcommand, returning its stdout, stderr and error.
func cmdRun(t *testing.T, cmd func(context.Context, []string, io.Writer, io.Writer) error, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := cmd(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// corrupt writes a copy of the excerpt to dir whose data line 3 (physical
// line 3) has "1.2.3" as its "TIV delivery values".
func corrupt(t *testing.T, src, dir string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	fields := strings.Split(lines[2], ",")
	if len(fields) != 17 {
		t.Fatalf("line 3 of the excerpt has %d fields; want 17", len(fields))
	}
	fields[15] = "1.2.3"
	lines[2] = strings.Join(fields, ",")
	p := filepath.Join(dir, "excerpt_bad.csv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportCommand(t *testing.T) {
	excerpt := shareddata.Path(t, excerptFile)
	listing := shareddata.Path(t, listingFile)
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")

	out, errOut, err := cmdRun(t, runImport, "-db", db, excerpt, listing)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	for _, want := range []string{
		"excerpt.csv: format sipri-deliveries, vintage undated, 60 rows imported\n",
		"all_1995-2025_generated-2026-02-12.csv: format sipri-deliveries, vintage 2026-02-12, 25024 rows imported\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	st := stateOf(t, db)
	if len(st.Entries) != 2 || st.Entries[0].Rows != 25024 || st.Entries[1].Rows != 60 {
		t.Fatalf("store holds %+v; want the listing (25024 rows) and the excerpt (60)", st.Entries)
	}

	t.Run("same file again", func(t *testing.T) {
		out, errOut, err := cmdRun(t, runImport, "-db", db, listing)
		if err != nil {
			t.Errorf("re-import: %v (a duplicate is reported, not a failure)\n%s", err, errOut)
		}
		if want := `not imported again: the store holds the same bytes as "all_1995-2025_generated-2026-02-12.csv"`; !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
		if got := stateOf(t, db); !reflect.DeepEqual(got, st) {
			t.Errorf("store changed:\n%+v\nwant\n%+v", got, st)
		}
	})

	t.Run("corrupted copy", func(t *testing.T) {
		bad := corrupt(t, excerpt, t.TempDir())
		out, errOut, err := cmdRun(t, runImport, "-db", db, bad)
		if err == nil || !strings.Contains(err.Error(), "1 of 1 files not imported") {
			t.Errorf("err = %v; want 1 of 1 files not imported", err)
		}
		if want := `excerpt_bad.csv:3: column 16 "TIV delivery values": `; !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
		if strings.Contains(out, "imported\n") {
			t.Errorf("stdout reports an import:\n%s", out)
		}
		if got := stateOf(t, db); !reflect.DeepEqual(got, st) {
			t.Errorf("store changed:\n%+v\nwant\n%+v", got, st)
		}

		// With -skip-bad the other 59 rows are imported and the bad one listed.
		out, errOut, err = cmdRun(t, runImport, "-db", db, "-skip-bad", bad)
		if err != nil {
			t.Fatalf("import -skip-bad: %v\n%s", err, errOut)
		}
		for _, want := range []string{"excerpt_bad.csv: format sipri-deliveries, vintage undated, 59 rows imported\n",
			"  rejected rows (1):\n", `  excerpt_bad.csv:3: column 16 "TIV delivery values": `} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if _, _, err := cmdRun(t, runDatasets, "-db", db, "-remove", "excerpt_bad.csv"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("too large", func(t *testing.T) {
		_, errOut, err := cmdRun(t, runImport, "-db", db, "-max-size", "1000", excerpt)
		if err == nil || !strings.Contains(errOut, "more than the limit of 1000") {
			t.Errorf("err = %v, stderr %q; want the file refused as too large", err, errOut)
		}
	})

	t.Run("datasets lists and removes", func(t *testing.T) {
		out, errOut, err := cmdRun(t, runDatasets, "-db", db)
		if err != nil {
			t.Fatalf("datasets: %v\n%s", err, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") ||
			!strings.HasPrefix(lines[1], "all_1995-2025_generated-2026-02-12.csv") || !strings.HasPrefix(lines[2], "excerpt.csv") {
			t.Fatalf("datasets output:\n%s\nwant a header, the listing, then the excerpt", out)
		}
		for _, want := range []string{"sipri-deliveries", "2026-02-12", "25024", st.Entries[0].SHA256[:12]} {
			if !strings.Contains(lines[1], want) {
				t.Errorf("listing line %q lacks %q", lines[1], want)
			}
		}
		if _, _, err := cmdRun(t, runDatasets, "-db", db, "-remove", "nope.csv"); !errors.Is(err, data.ErrNotFound) {
			t.Errorf("remove nope.csv: %v; want ErrNotFound", err)
		}
		if out, _, err := cmdRun(t, runDatasets, "-db", db, "-remove", "excerpt.csv"); err != nil || out != "removed excerpt.csv\n" {
			t.Fatalf("remove: %q, %v", out, err)
		}
		got := stateOf(t, db)
		if len(got.Entries) != 1 || got.Entries[0].Name != st.Entries[0].Name || got.Version == st.Version {
			t.Errorf("after removal: %+v; want only the listing, and a new version", got)
		}
		// The removed file imports again.
		if out, _, err := cmdRun(t, runImport, "-db", db, excerpt); err != nil || !strings.Contains(out, "60 rows imported") {
			t.Errorf("re-import after removal: %v\n%s", err, out)
		}
	})
}

func TestCheckWritesNothing(t *testing.T) {
	excerpt := shareddata.Path(t, excerptFile)
	dir := t.TempDir()
	bad := corrupt(t, excerpt, t.TempDir())
	t.Chdir(dir) // where import would create armsdash.db

	out, _, err := cmdRun(t, runCheck, excerpt)
	if err != nil {
		t.Errorf("check of the excerpt: %v", err)
	}
	if want := "excerpt.csv: format sipri-deliveries, vintage undated, 60 rows read, 0 rejected\n"; out != want {
		t.Errorf("check output %q; want %q", out, want)
	}

	out, _, err = cmdRun(t, runCheck, excerpt, bad)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 files would not import") {
		t.Errorf("check err = %v; want 1 of 2 files would not import", err)
	}
	for _, want := range []string{"excerpt_bad.csv: format sipri-deliveries, vintage undated, 59 rows read, 1 rejected\n",
		`  excerpt_bad.csv:3: column 16 "TIV delivery values": `, "import would refuse this file"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := cmdRun(t, runCheck, "-skip-bad", bad); err != nil {
		t.Errorf("check -skip-bad: %v", err)
	}

	notCSV := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notCSV, []byte("hello\n"), 0o644)
	out, _, err = cmdRun(t, runCheck, notCSV)
	if err == nil || !strings.Contains(out, "notes.txt: cannot be imported:\n  notes.txt:1: format not recognised") {
		t.Errorf("check of a text file: %v\n%s", err, out)
	}

	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("check wrote %d files in the working directory: %v", len(ents), ents)
	}
}

func TestImportAllBadCreatesNoStore(t *testing.T) {
	excerpt := shareddata.Path(t, excerptFile)
	dir := t.TempDir()
	db := filepath.Join(dir, "store.db")
	bad := corrupt(t, excerpt, t.TempDir())
	if _, _, err := cmdRun(t, runImport, "-db", db, bad, filepath.Join(dir, "missing.csv")); err == nil ||
		!strings.Contains(err.Error(), "2 of 2 files not imported") {
		t.Errorf("err = %v; want 2 of 2 files not imported", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("store created although no file was imported (stat: %v)", err)
	}
	out, _, err := cmdRun(t, runDatasets, "-db", db)
	if err != nil || !strings.Contains(out, "no store at") {
		t.Errorf("datasets on a missing store: %q, %v", out, err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Error("datasets created the store")
	}
}

func TestImportUsage(t *testing.T) {
	for _, cmd := range []func(context.Context, []string, io.Writer, io.Writer) error{runImport, runCheck} {
		if _, _, err := cmdRun(t, cmd); err == nil {
			t.Error("no input files: want an error")
		}
	}
	if _, _, err := cmdRun(t, runDatasets, "extra"); err == nil {
		t.Error("datasets with an argument: want an error")
	}
}

// TestImportHeaderOnly gives import and check files that have a header
// and no data rows: none is imported, each is reported with the reason,
// the exit status is 1, and no store is created.
func TestImportHeaderOnly(t *testing.T) {
	dir := t.TempDir()
	files := []struct {
		name, text string
		header     int // the header's line
	}{
		{"deliveries.csv", "Data generated: 12 Feb 2026 12:26:12 PM;\r\nSIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;\r\n", 2},
		{"events.csv", strings.Join(data.EventColumns, ",") + "\n", 1},
		{"flows.csv", "# Source: SIPRI\n" + strings.Join(data.FlowColumns, ",") + "\n", 2},
		{"wdi.csv", `"Country Name","Country Code","Indicator Name","Indicator Code","2000","2001",` + "\n", 1},
		{"tiv.csv", "Volume of transfers of major arms\nData generated: 14 Jul 2026 2:55:04 PM\nRecipient,2000,2001,2000-2001,Percentage\n", 3},
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	db := filepath.Join(dir, "store.db")
	for _, c := range []struct {
		name string
		cmd  func(context.Context, []string, io.Writer, io.Writer) error
		args []string
		want string
	}{
		{"import", runImport, append([]string{"-db", db}, paths...), "import: 5 of 5 files not imported"},
		{"import -skip-bad", runImport, append([]string{"-db", db, "-skip-bad"}, paths...), "import: 5 of 5 files not imported"},
		{"check", runCheck, paths, "check: 5 of 5 files would not import"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, err := cmdRun(t, c.cmd, c.args...)
			if status := exitStatus(err, io.Discard); status != 1 || err.Error() != c.want {
				t.Errorf("status %d, error %v; want 1 and %q", status, err, c.want)
			}
			for _, f := range files {
				if want := fmt.Sprintf("  %s:%d: the header is followed by no data rows: nothing to import\n", f.name, f.header); !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
				}
			}
			if strings.Contains(out, "rows imported") || strings.Contains(out, "rows read") {
				t.Errorf("a file was imported or read:\n%s", out)
			}
		})
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("store created although no file was imported (stat: %v)", err)
	}
}

// TestImportZipLimit checks that -max-size bounds what a zip unpacks to,
// as it bounds a file that is not zipped: a zip of 2 MB of GDELT rows
// imports, and is refused with -max-size 1000000, whose zip is far
// smaller than that.
func TestImportZipLimit(t *testing.T) {
	dir := t.TempDir()
	row := "1\t20260514\t202605\t2026\t\tCHN\tCHINA\tCHN" + strings.Repeat("\t", 8) + "PAK\tPAKISTAN\tPAK" + strings.Repeat("\t", 9) +
		"042\t042\t04" + strings.Repeat("\t", 24) + "Islamabad, Pakistan" + strings.Repeat("\t", 7) + "20260514083000\thttps://example.org/a\n"
	if n := strings.Count(row, "\t"); n != 60 {
		t.Fatalf("row has %d tabs; want 60", n)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("20260514083000.export.CSV")
	if err != nil {
		t.Fatal(err)
	}
	rows := 2_000_000 / len(row)
	w.Write([]byte(strings.Repeat(row, rows)))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() >= 1_000_000 {
		t.Fatalf("zip is %d bytes; want it under the -max-size tried", buf.Len())
	}
	zipPath := filepath.Join(dir, "export.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "store.db")

	out, errOut, err := cmdRun(t, runImport, "-db", db, "-max-size", "1000000", zipPath)
	if status := exitStatus(err, io.Discard); status != 1 || !strings.Contains(errOut, "zip member 20260514083000.export.CSV unpacks to more than 1000000 bytes") {
		t.Errorf("import -max-size 1000000: status %d, %v\n%s%s", status, err, out, errOut)
	}
	out, _, err = cmdRun(t, runCheck, "-max-size", "1000000", zipPath)
	if err == nil || !strings.Contains(out, "unpacks to more than 1000000 bytes") {
		t.Errorf("check -max-size 1000000: %v\n%s", err, out)
	}
	out, errOut, err = cmdRun(t, runImport, "-db", db, zipPath)
	if want := fmt.Sprintf("export.zip: format gdelt, vintage 2026-05-14, %d rows imported", rows); err != nil || !strings.Contains(out, want) {
		t.Errorf("import: %v; want %q\n%s%s", err, want, out, errOut)
	}
}

// TestImportVintage checks -vintage: a TIV table without its preamble
// (data/testdata/tiv_old_bare.csv) is stored undated without it and with
// the date given with it; a date not written YYYY-MM-DD stops the run
// before anything is read, and a file that gives another date of its own
// is not imported.
func TestImportVintage(t *testing.T) {
	bare, err := filepath.Abs("../../data/testdata/tiv_old_bare.csv")
	if err != nil {
		t.Fatal(err)
	}
	dated, _ := filepath.Abs("../../data/testdata/tiv_old_import_excerpt.csv") // Generated: 11 December 2023
	dir := t.TempDir()

	db := filepath.Join(dir, "undated.db")
	out, _, err := cmdRun(t, runImport, "-db", db, bare)
	if err != nil || !strings.Contains(out, "tiv_old_bare.csv: format sipri-tiv-table-old, vintage undated, 22 rows imported") {
		t.Fatalf("without -vintage: %v\n%s", err, out)
	}
	if es := stateOf(t, db).Entries; len(es) != 1 || es[0].Vintage != "" {
		t.Errorf("stored %+v; want one undated dataset", es)
	}

	db = filepath.Join(dir, "dated.db")
	out, _, err = cmdRun(t, runImport, "-db", db, "-vintage", "2024-03-11", bare)
	if err != nil || !strings.Contains(out, "vintage 2024-03-11, 22 rows imported") {
		t.Fatalf("with -vintage: %v\n%s", err, out)
	}
	if es := stateOf(t, db).Entries; len(es) != 1 || es[0].Vintage != "2024-03-11" {
		t.Errorf("stored %+v; want vintage 2024-03-11", es)
	}

	out, errOut, err := cmdRun(t, runImport, "-db", db, "-vintage", "2024-03-11", dated)
	if err == nil || !strings.Contains(errOut, "tiv_old_import_excerpt.csv:1: the file gives its own date, 2023-12-11") {
		t.Errorf("a dated file with another -vintage: %v\n%s%s", err, out, errOut)
	}
	if n := len(stateOf(t, db).Entries); n != 1 {
		t.Errorf("%d datasets after the refused file; want 1", n)
	}

	db = filepath.Join(dir, "none.db")
	for _, bad := range []string{"11/12/2023", "2023-13-01"} {
		_, _, err = cmdRun(t, runImport, "-db", db, "-vintage", bad, bare)
		if err == nil || !strings.Contains(err.Error(), "-vintage: vintage \""+bad+"\" is not a date written YYYY-MM-DD") {
			t.Errorf("-vintage %s: %v", bad, err)
		}
		if _, statErr := os.Stat(db); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("-vintage %s created a store", bad)
		}
	}
	out, _, err = cmdRun(t, runCheck, "-vintage", "2024-03-11", bare)
	if err != nil || !strings.Contains(out, "vintage 2024-03-11, 22 rows read, 0 rejected") {
		t.Errorf("check -vintage: %v\n%s", err, out)
	}
}

// TestReadAtMost reads files whose size changed after it was taken, and
// files over the limit: it returns what the file holds, up to one byte
// past the limit, with a buffer the size of the file when it did not grow.
func TestReadAtMost(t *testing.T) {
	content := []byte("0123456789")
	for _, tt := range []struct {
		name        string
		size, limit int64
		want        string
	}{
		{"as sized", 10, 100, "0123456789"},
		{"shrank", 20, 100, "0123456789"},
		{"grew", 4, 100, "0123456789"},
		{"over the limit", 10, 5, "012345"},
		{"grew over the limit", 4, 6, "0123456"},
		{"empty", 0, 100, "0123456789"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := readAtMost(bytes.NewReader(content), tt.size, tt.limit)
			if err != nil || string(b) != tt.want {
				t.Fatalf("readAtMost = %q, %v; want %q", b, err, tt.want)
			}
			if tt.size >= int64(len(content)) && tt.limit > tt.size && cap(b) != int(tt.size)+1 {
				t.Errorf("buffer of %d bytes; want %d, the size and one", cap(b), tt.size+1)
			}
		})
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/armsdash/armsdash/data"
)

// defaultMaxSize is the largest input file import and check accept, and
// the most a zip's file may unpack to. SIPRI's biggest export (the full
// trade register) is under 4 MiB.
const defaultMaxSize = data.DefaultMaxUnpacked

const maxSizeHelp = "refuse input files larger than this many bytes, and zip archives whose file unpacks to more"

// runImport implements
//
//	armsdash import [-db FILE] [-skip-bad] [-max-size BYTES] [-vintage YYYY-MM-DD] IN...
//
// Each file is read (its format detected from the content) and stored in
// its own transaction. -vintage dates the files that carry no date of
// their own (a TIV table republished without its preamble); a file that
// gives another date is refused (see data.Options.Vintage). Per file it prints "name: format F, vintage V, N
// rows imported", the country names it could not map and the rows it
// skipped. A file with a bad row is not imported (unless -skip-bad): every
// error is printed as file:line: column "X": message. A file already in the
// store (same SHA-256) is reported and left alone; that is not a failure.
// The error is non-nil when any file was not imported.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "[flags] FILE...",
		"Imports SIPRI, World Bank WDI, GDELT and armsdash CSV files into the store.", stderr)
	dbPath := fs.String("db", "armsdash.db", dbFlagHelp)
	skipBad := fs.Bool("skip-bad", false, "import the good rows of a file with bad ones, listing the bad ones")
	in := newInputFlags(fs)
	opt, err := in.parse(fs, args)
	if err != nil {
		return err
	}
	opt.SkipBad = *skipBad
	*dbPath = storeDSN(fs, *dbPath)
	// The import reads each deal once, as it writes it: a register's deals
	// need not be held in memory, nor its bytes (see readInput).
	opt.Lean = true

	im := &importer{dbPath: *dbPath, maxSize: in.maxSize, opt: opt, stdout: stdout, stderr: stderr}
	defer im.close()
	failed := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, err := im.importFile(ctx, path)
		if err != nil {
			return err
		}
		if !ok {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("import: %d of %d files not imported", failed, fs.NArg())
	}
	return nil
}

// importer imports files into the store at dbPath, which it opens only
// once a file has been read, so that a run whose files are all bad
// creates no store.
type importer struct {
	dbPath         string
	maxSize        int64
	opt            data.Options
	stdout, stderr io.Writer
	store          data.Store // nil until a file has been read
}

// importFile reads the file at path and imports it, reporting how it
// went on im.stdout and im.stderr. It returns false when the file was not
// imported (a duplicate is not a failure), and an error when the store
// cannot be opened.
func (im *importer) importFile(ctx context.Context, path string) (bool, error) {
	small := false
	if fi, err := os.Stat(path); err == nil && fi.Size() < smallFile {
		small = true
		defer collectSooner()()
	}
	f, done, err := readInput(path, im.maxSize, im.opt)
	if err != nil {
		printReadError(im.stderr, path, err, "not imported")
		return false, nil
	}
	defer done()
	// The file's bytes are garbage once read (a listing's rows keep their
	// own copies of the text, a lean register reads its records again
	// from the file; see readInput): collected now, their memory serves
	// the import's packing rather than more from the system (1M listing:
	// peak RSS 593 → 473 MB, 20% fewer page faults). A small file's are
	// given back to the system as well, since its import needs less than
	// reading it did, and the pages would stay resident (the 3.8 MB
	// register: 2.5 MB less at the peak).
	if small {
		debug.FreeOSMemory()
	} else {
		runtime.GC()
	}
	if im.store == nil {
		if im.store, err = openStore(ctx, im.dbPath); err != nil {
			return false, fmt.Errorf("import: %w", err)
		}
	}
	_, err = im.store.Import(ctx, f)
	var dup *data.DuplicateError
	switch {
	case errors.As(err, &dup):
		fmt.Fprintf(im.stdout, "%s: not imported again: the store holds the same bytes as %q (format %s, sha256 %.12s)\n",
			f.Dataset.Name, dup.Existing.Name, dup.Existing.Format, dup.Existing.SHA256)
	case err != nil:
		fmt.Fprintf(im.stderr, "%s: %v\n", f.Dataset.Name, err)
		return false, nil
	default:
		printReport(im.stdout, f, "imported")
	}
	return true, nil
}

// close closes the store, if it was opened.
func (im *importer) close() {
	if im.store != nil {
		im.store.Close()
	}
}

// runCheck implements
//
//	armsdash check [-skip-bad] [-max-size BYTES] IN...
//
// a dry run of import that writes nothing: per file it prints the format,
// vintage, rows read and rows rejected, with the reason for each rejection
// (up to data.MaxParseErrors per file). The error is non-nil when a file
// could not be read, or has rejected rows and -skip-bad is not given (that
// is, when import would refuse it).
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "[flags] FILE...",
		"Reads files as import would and reports what it finds; writes nothing.", stderr)
	skipBad := fs.Bool("skip-bad", false, "accept files with bad rows, as import -skip-bad would")
	in := newInputFlags(fs)
	opt, err := in.parse(fs, args)
	if err != nil {
		return err
	}
	// Read with SkipBad to count the good rows and list every bad one,
	// and Lean, since no deal is looked at.
	opt.SkipBad, opt.Lean = true, true
	failed := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, done, err := readInput(path, in.maxSize, opt)
		if err != nil {
			printReadError(stdout, path, err, "cannot be imported")
			failed++
			continue
		}
		done()
		fmt.Fprintf(stdout, "%s: format %s, vintage %s, %d rows read, %d rejected\n",
			f.Dataset.Name, f.Dataset.Format, vintage(f.Dataset), f.Dataset.Rows, len(f.Skipped))
		printDetails(stdout, f)
		if len(f.Skipped) > 0 && !*skipBad {
			fmt.Fprintf(stdout, "%s: import would refuse this file (use -skip-bad to import its good rows)\n", f.Dataset.Name)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("check: %d of %d files would not import", failed, fs.NArg())
	}
	return nil
}

// runDatasets implements
//
//	armsdash datasets [-db FILE]               list the stored datasets
//	armsdash datasets [-db FILE] -remove NAME  remove one
//
// NAME is a dataset's name or a prefix (8+ hex digits) of its SHA-256. A
// store that does not exist is not created: listing says so, removing
// fails with an error wrapping data.ErrNotFound.
func runDatasets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("datasets", "[-db FILE] [-remove NAME]",
		"Lists the datasets in the store, or removes one.", stderr)
	dbPath := fs.String("db", "armsdash.db", dbFlagHelp)
	remove := fs.String("remove", "", "remove the dataset with this name (or SHA-256 prefix) and all its rows")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	*dbPath = storeDSN(fs, *dbPath)
	if storeAbsent(*dbPath) {
		if *remove != "" {
			return fmt.Errorf("datasets: no store at %s: %w", *dbPath, data.ErrNotFound)
		}
		fmt.Fprintf(stdout, "no store at %s: the dashboard shows the built-in dataset\n", *dbPath)
		return nil
	}
	store, err := openStore(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	defer store.Close()
	if *remove != "" {
		if err := store.Remove(ctx, *remove); err != nil {
			return fmt.Errorf("datasets: %w", err)
		}
		fmt.Fprintf(stdout, "removed %s\n", *remove)
		return nil
	}
	es, err := store.Entries(ctx)
	if err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	if len(es) == 0 {
		fmt.Fprintf(stdout, "%s holds no datasets: the dashboard shows the built-in dataset\n", storeName(*dbPath))
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tFORMAT\tVINTAGE\tROWS\tSKIPPED\tSHA256\tIMPORTED")
	for _, e := range es {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%.12s\t%s\n", e.Name, e.Format, vintage(e.Dataset), e.Rows, e.Skipped,
			e.SHA256, e.ImportedAt.Local().Format(time.DateTime))
	}
	return tw.Flush()
}

// smallFile is the size under which a file is read and imported with
// GOGC at 25 (see collectSooner).
const smallFile = 16 << 20

// collectSooner sets GOGC to 25, while a file smaller than smallFile is
// read and imported, and returns the function that sets it back. At the
// default of 100 the garbage of reading and importing (the text decoded
// from each record, each row's values, each INSERT's arguments) grows to
// as much as is live between collections, and to at least 4 MiB; at 25,
// to a quarter of it, and at least 1 MiB. Collections then come four
// times as often, but a small file leaves little live and makes little
// garbage, so they cost little: importing the real 3.8 MB trade register,
// 1.8 MB less at the peak (of 38) and no more CPU time measured. A larger
// file keeps the default, under which a listing's million deliveries are
// collected a quarter as often.
func collectSooner() (restore func()) {
	old := debug.SetGCPercent(25)
	return func() { debug.SetGCPercent(old) }
}

// readInput reads the file at path, refusing it when it is larger than
// maxSize bytes, and parses it with data.Read under its base name. With
// opt.Lean the file is the File's data.Options.From, so that its bytes
// are not kept: done closes it, once the File is no longer used.
func readInput(path string, maxSize int64, opt data.Options) (f *data.File, done func(), err error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			fh.Close()
		}
	}()
	fi, err := fh.Stat()
	switch {
	case err != nil:
		return nil, nil, err
	case fi.IsDir():
		return nil, nil, fmt.Errorf("%s is a directory", path)
	case fi.Size() > maxSize:
		return nil, nil, fmt.Errorf("%s is %d bytes, more than the limit of %d (see -max-size)", path, fi.Size(), maxSize)
	}
	b, err := readAtMost(fh, fi.Size(), maxSize)
	if err != nil {
		return nil, nil, err
	}
	if int64(len(b)) > maxSize {
		return nil, nil, fmt.Errorf("%s is more than the limit of %d bytes (see -max-size)", path, maxSize)
	}
	if opt.Lean {
		opt.From = fh
	}
	if f, err = data.Read(filepath.Base(path), b, opt); err != nil {
		return nil, nil, err
	}
	return f, func() { fh.Close() }, nil
}

// readAtMost reads r, a file of size bytes, up to one byte past limit
// (in case the file grew) into a buffer of its size: io.ReadAll, growing
// its buffer by doubling, would hold up to twice the file.
func readAtMost(r io.Reader, size, limit int64) ([]byte, error) {
	b := make([]byte, min(size, limit)+1)
	n, err := io.ReadFull(r, b)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return b[:n], nil
	case err != nil:
		return nil, err
	}
	// The file grew after it was sized: read what is left, up to the limit.
	rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(n)))
	return append(b, rest...), err
}

// printReadError prints why a file could not be read, after what
// (e.g. "not imported"): every parse error
// on its own line (file:line: column "X": message), else the error.
func printReadError(w io.Writer, path string, err error, what string) {
	var pes *data.ParseErrors
	var pe *data.ParseError
	switch {
	case errors.As(err, &pes):
		fmt.Fprintf(w, "%s: %s: %d errors\n", filepath.Base(path), what, len(pes.Errs))
		fmt.Fprintln(w, indent(pes.Error()))
	case errors.As(err, &pe):
		fmt.Fprintf(w, "%s: %s:\n%s\n", filepath.Base(path), what, indent(pe.Error()))
	default:
		fmt.Fprintf(w, "%s: %s: %v\n", filepath.Base(path), what, err)
	}
}

// printReport prints the one-line summary of a file read, then its details.
func printReport(w io.Writer, f *data.File, verb string) {
	fmt.Fprintf(w, "%s: format %s, vintage %s, %d rows %s\n", f.Dataset.Name, f.Dataset.Format, vintage(f.Dataset), f.Dataset.Rows, verb)
	printDetails(w, f)
}

// printDetails lists the unmapped country names and the skipped rows of f,
// at most data.MaxParseErrors of them.
func printDetails(w io.Writer, f *data.File) {
	if len(f.Unmapped) > 0 {
		fmt.Fprintf(w, "  %d country names not in the country table (kept as written): %s\n", len(f.Unmapped), strings.Join(f.Unmapped, "; "))
	}
	if len(f.Skipped) > 0 {
		fmt.Fprintf(w, "  rejected rows (%d):\n", len(f.Skipped))
		for i, pe := range f.Skipped {
			if i == data.MaxParseErrors {
				fmt.Fprintf(w, "  … and %d more\n", len(f.Skipped)-i)
				break
			}
			fmt.Fprintf(w, "  %s\n", pe)
		}
	}
}

const vintageHelp = "the date `YYYY-MM-DD` of files that carry none (a TIV table without its preamble); a file that gives another date is refused"

// inputFlags are the flags by which import and check read their files.
type inputFlags struct {
	maxSize int64
	vintage string
}

// newInputFlags defines -max-size and -vintage on fs.
func newInputFlags(fs *flag.FlagSet) *inputFlags {
	in := &inputFlags{}
	fs.Int64Var(&in.maxSize, "max-size", defaultMaxSize, maxSizeHelp)
	fs.StringVar(&in.vintage, "vintage", "", vintageHelp)
	return in
}

// parse parses args into fs, which must leave at least one file, and
// returns the options to read the files with (SkipBad false).
func (in *inputFlags) parse(fs *flag.FlagSet, args []string) (data.Options, error) {
	if err := fs.Parse(args); err != nil {
		return data.Options{}, err
	}
	cmd := strings.TrimPrefix(fs.Name(), "armsdash ")
	if fs.NArg() == 0 {
		fs.Usage()
		return data.Options{}, fmt.Errorf("%s: no input files", cmd)
	}
	given, err := vintageOf(in.vintage)
	if err != nil {
		return data.Options{}, fmt.Errorf("%s: %w", cmd, err)
	}
	return data.Options{MaxUnpacked: in.maxSize, Vintage: given}, nil
}

// vintageOf checks the -vintage flag: "" when not given, else a date
// written YYYY-MM-DD.
func vintageOf(flagValue string) (string, error) {
	if flagValue == "" {
		return "", nil
	}
	v, err := data.ParseVintage(flagValue)
	if err != nil {
		return "", fmt.Errorf("-vintage: %w", err)
	}
	return v, nil
}

// vintage returns the dataset's vintage, or "undated".
func vintage(d data.Dataset) string {
	if d.Vintage == "" {
		return "undated"
	}
	return d.Vintage
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

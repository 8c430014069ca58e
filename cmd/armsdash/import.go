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

	var store data.Store
	defer func() {
		if store != nil {
			store.Close()
		}
	}()
	failed := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := readInput(path, in.maxSize, opt)
		if err != nil {
			printReadError(stderr, path, err, "not imported")
			failed++
			continue
		}
		// The file's bytes are garbage once read (the rows keep their
		// own copies of the text): collected now, their memory serves
		// the import's packing rather than more from the system (1M
		// listing: peak RSS 593 → 473 MB, 20% fewer page faults).
		runtime.GC()
		if store == nil {
			// Opened only once a file has been read, so that a run whose
			// files are all bad creates no store.
			if store, err = openStore(ctx, *dbPath); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
		_, err = store.Import(ctx, f)
		var dup *data.DuplicateError
		switch {
		case errors.As(err, &dup):
			fmt.Fprintf(stdout, "%s: not imported again: the store holds the same bytes as %q (format %s, sha256 %.12s)\n",
				f.Dataset.Name, dup.Existing.Name, dup.Existing.Format, dup.Existing.SHA256)
		case err != nil:
			fmt.Fprintf(stderr, "%s: %v\n", f.Dataset.Name, err)
			failed++
		default:
			printReport(stdout, f, "imported")
		}
	}
	if failed > 0 {
		return fmt.Errorf("import: %d of %d files not imported", failed, fs.NArg())
	}
	return nil
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
	// Read with SkipBad to count the good rows and list every bad one.
	opt.SkipBad = true
	failed := 0
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := readInput(path, in.maxSize, opt)
		if err != nil {
			printReadError(stdout, path, err, "cannot be imported")
			failed++
			continue
		}
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

// readInput reads the file at path, refusing it when it is larger than
// maxSize bytes, and parses it with data.Read under its base name.
func readInput(path string, maxSize int64, opt data.Options) (*data.File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	} else if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	} else if fi.Size() > maxSize {
		return nil, fmt.Errorf("%s is %d bytes, more than the limit of %d (see -max-size)", path, fi.Size(), maxSize)
	}
	// Read into a buffer of the file's size and a byte, which io.ReadAll
	// would grow and copy as it reads; if the file has grown, read on, to
	// at most one byte past the limit.
	b := make([]byte, fi.Size()+1)
	n, err := io.ReadFull(fh, b)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		b = b[:n]
	case err != nil:
		return nil, err
	default:
		rest, err := io.ReadAll(io.LimitReader(fh, maxSize+1-int64(n)))
		if err != nil {
			return nil, err
		}
		b = append(b, rest...)
	}
	if int64(len(b)) > maxSize {
		return nil, fmt.Errorf("%s is more than the limit of %d bytes (see -max-size)", path, maxSize)
	}
	return data.Read(filepath.Base(path), b, opt)
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

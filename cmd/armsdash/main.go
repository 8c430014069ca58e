// Command armsdash serves the armsdash dashboard: SIPRI arms-transfer
// figures, the shares they imply, and military-diplomacy events.
//
// Usage:
//
//	armsdash [-addr 127.0.0.1:8080] [-db armsdash.db] [-assets-dir node_modules] [-echarts-cdn] [-admin-token TOKEN] [-max-upload BYTES] [-max-renders N] [-public-url URL]
//	armsdash import|check|datasets|share|loadtest [flags] ...
//
// It opens (or creates) the SQLite store at -db and serves the built-in
// dataset while the store is empty. It is read-only unless started with
// -admin-token (or ARMSDASH_ADMIN_TOKEN): then /upload imports files and
// /datasets removes them for requests that give the token. ECharts is served
// from -assets-dir (run `npm ci` in the repository); without it each chart
// is its server-drawn SVG, unless -echarts-cdn loads ECharts from a CDN
// with subresource integrity.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/armsdash/armsdash/data"
	"github.com/armsdash/armsdash/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := exitStatus(run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
	stop()
	os.Exit(code)
}

// exitStatus prints the error run returned, if any, as one line
// "armsdash: ..." on stderr and returns the process's exit status: 0 for
// success and for -h, 1 for any error.
func exitStatus(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintln(stderr, "armsdash:", err)
	return 1
}

// command is a subcommand: its name, what it does in one line (armsdash
// -h lists them), and how it runs.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists every subcommand. It is a function so that the runners
// may use anything in the package without an initialisation cycle.
func commands() []command {
	return []command{
		{"import", "load files into the store, each file all or nothing", runImport},
		{"check", "say what armsdash makes of files, writing nothing", runCheck},
		{"datasets", "list the datasets in the store, or remove one", runDatasets},
		{"share", "print a supplier's share of a recipient's arms imports and the reverse", runShare},
		{"loadtest", "measure the dashboard under 50 concurrent clients on 127.0.0.1", runLoadtest},
	}
}

// run dispatches to a subcommand, or serves the dashboard when args[0] is
// not one. It returns when ctx is done or the server fails.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		for _, c := range commands() {
			if args[0] == c.name {
				return c.run(ctx, args[1:], stdout, stderr)
			}
		}
	}
	return runServe(ctx, args, stdout, stderr)
}

// The server's limits.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

// runServe parses the server's flags and serves until ctx is done.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("armsdash", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "armsdash.db", dbFlagHelp+"; the built-in dataset is served while it is empty")
	adminToken := fs.String("admin-token", os.Getenv("ARMSDASH_ADMIN_TOKEN"), "token that enables /upload and dataset removal (env ARMSDASH_ADMIN_TOKEN); empty: read-only")
	maxUpload := fs.Int64("max-upload", web.DefaultMaxUpload, "largest /upload request body in bytes")
	publicURL := fs.String("public-url", "", "address the dashboard is reached at, e.g. https://arms.example.org, for the permalinks in downloads; empty: relative permalinks")
	maxRenders := fs.Int("max-renders", 0, "chart images and ZIPs computed at once; others wait briefly, then get 503 (0: one per CPU, GOMAXPROCS)")
	follow := fs.Duration("follow", 10*time.Second, "how often to check the store for data imported by other processes; 0: never")
	assetsDir := fs.String("assets-dir", envOr("ARMSDASH_ASSETS_DIR", "node_modules"), "directory holding echarts/dist/echarts.min.js (npm's node_modules; env ARMSDASH_ASSETS_DIR); without it each chart is its server-drawn SVG")
	echartsCDN := fs.Bool("echarts-cdn", false, "when ECharts is not in -assets-dir, load it from "+web.EChartsCDN+" (checked by its SRI hash; the CSP then allows that CDN)")
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintln(out, "usage: armsdash [flags]           serve the dashboard (open the URL it logs)")
		fmt.Fprintln(out, "       armsdash COMMAND [flags]   run a command; armsdash COMMAND -h for its flags")
		fmt.Fprintln(out, "\ncommands:")
		for _, c := range commands() {
			fmt.Fprintf(out, "  %-9s %s\n", c.name, c.summary)
		}
		fmt.Fprintln(out, "\nflags of the server (e.g. -addr 0.0.0.0:8080 to listen on every interface):")
		fs.PrintDefaults()
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	if *maxUpload <= 0 {
		return fmt.Errorf("-max-upload %d: give a positive number of bytes", *maxUpload)
	}
	if *maxRenders < 0 {
		return fmt.Errorf("-max-renders %d: give a positive number, or 0 for one per CPU", *maxRenders)
	}
	*dbPath = storeDSN(fs, *dbPath)
	store, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return err
	}
	if snap.Builtin {
		log.Info("no data imported: serving the built-in dataset (add data with: armsdash import -db "+storeName(*dbPath)+" FILE...)", "db", storeName(*dbPath))
	}
	log.Info("data loaded", "version", snap.Version, "builtin", snap.Builtin, "datasets", len(snap.Datasets))
	if *adminToken == "" {
		log.Info("read-only: uploads and removals are off (start with -admin-token or ARMSDASH_ADMIN_TOKEN to enable them)")
	}
	srv, err := web.NewServer(web.Config{Snapshot: snap, Logger: log, AssetsDir: *assetsDir, EChartsCDN: *echartsCDN,
		Store: store, AdminToken: *adminToken, MaxUpload: *maxUpload, MaxRenders: *maxRenders, PublicURL: *publicURL})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", "http://"+ln.Addr().String()+"/")

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	go srv.Follow(ctx, *follow)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadSnapshot returns the data to serve from the store at dbPath (see openStore):
// its snapshot when the store exists and holds data, the built-in dataset
// when it does not exist or is empty. It never creates the store.
func loadSnapshot(ctx context.Context, dbPath string) (*data.Snapshot, error) {
	if storeAbsent(dbPath) {
		return data.Builtin()
	}
	st, err := openStore(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(ctx)
}

// newFlagSet returns the flag set of the subcommand armsdash name, whose
// errors and usage go to stderr; -h prints "usage: armsdash name
// synopsis", about, and the flags.
func newFlagSet(name, synopsis, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("armsdash "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s %s\n\n%s\n\nflags:\n", fs.Name(), synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseNoArgs parses args into fs and refuses an argument left after the
// flags.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (run %s -h for usage)", fs.Arg(0), fs.Name())
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

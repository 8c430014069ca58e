package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// runShare implements
//
//	armsdash share [-db FILE] -supplier S -recipient R -from Y -to Y [-dataset NAME] [-json]
//
// It prints the supplier's share of the recipient's arms imports and the
// recipient's share of the supplier's exports over the period, as SIPRI
// rounds them and unrounded, with the TIV sums behind them, the counting
// rule and the dataset's vintage. The numbers and the validation are those
// of /api/v1/shares (dashboard.ParseShares); -json prints the same JSON. It
// reads the store at -db when it exists, else the built-in dataset.
func runShare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("armsdash share", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dbPath := fl.String("db", "armsdash.db", dbFlagHelp+"; the built-in dataset is used when the file does not exist")
	supplier := fl.String("supplier", "", "supplier country, e.g. China (required)")
	recipient := fl.String("recipient", "", "recipient country, e.g. Pakistan (required)")
	from := fl.String("from", "", "first delivery year, e.g. 2017 (required)")
	to := fl.String("to", "", "last delivery year, e.g. 2021 (required)")
	dataset := fl.String("dataset", "", "name of the flow set to use (default: the preferred one)")
	asJSON := fl.Bool("json", false, "print the result as JSON, as /api/v1/shares gives it")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: armsdash share [flags]\n\nPrints a supplier's share of a recipient's arms imports and the recipient's share of the supplier's exports.\n\nflags:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("share: unexpected argument %q (run armsdash share -h for usage)", fl.Arg(0))
	}
	*dbPath = storeDSN(fl, *dbPath)
	snap, err := readSnapshot(ctx, *dbPath)
	if err != nil {
		return err
	}
	p := dashboard.ParamsFrom(map[string]string{"supplier": *supplier, "recipient": *recipient, "from": *from, "to": *to, "dataset": *dataset})
	fi, q, err := dashboard.New(snap).ParseShares(p)
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	if invalid, _ := p.Finish(); len(invalid) > 0 {
		return fmt.Errorf("share: -%s: %s", invalid[0].Param, invalid[0].Msg)
	}
	res := fi.Shares(q)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printShares(stdout, res)
	return nil
}

// readSnapshot returns the data in the store at path (see openStore), or the
// built-in dataset when there is no file there. It never creates a store.
func readSnapshot(ctx context.Context, path string) (*data.Snapshot, error) {
	if storeAbsent(path) {
		return data.Builtin()
	}
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(ctx)
}

// printShares writes res as text.
func printShares(w io.Writer, res *dashboard.Shares) {
	p := res.Period()
	fmt.Fprintf(w, "%s's share of %s's arms imports, %s: %s\n", res.Supplier, res.Recipient, p, shareText(res.SupplierShareOfRecipientImports))
	fmt.Fprintf(w, "%s's share of %s's arms exports, %s: %s\n", res.Recipient, res.Supplier, p, shareText(res.RecipientShareOfSupplierExports))
	fmt.Fprintf(w, "TIV (millions), %s: %s to %s %s; %s's imports from all suppliers %s; %s's exports to all recipients %s\n",
		p, res.Supplier, res.Recipient, tivText(&res.TIV.SupplierToRecipient), res.Recipient, tivText(res.TIV.RecipientImportsTotal), res.Supplier, tivText(res.TIV.SupplierExportsTotal))
	if e := res.EstimatesText(); e != "" {
		fmt.Fprintln(w, e)
	}
	fmt.Fprintf(w, "Counting rule: %s; unit: %s\n", res.CountingRule, res.Unit)
	vintage := res.Dataset.Vintage
	if vintage == "" {
		vintage = "undated"
	}
	fmt.Fprintf(w, "Dataset: %s (%s), vintage %s. %s\n", res.Dataset.Name, res.Dataset.Source, vintage, res.Dataset.Attribution)
	for _, n := range res.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
}

// shareText gives a share as SIPRI rounds it, to two decimals and
// unrounded, e.g. "75% (75.29%; unrounded 75.28558…)".
func shareText(pct *float64) string {
	if pct == nil {
		return "n/a (see the notes below)"
	}
	return fmt.Sprintf("%s (%.2f%%; unrounded %s)", analysis.FormatPercent(*pct), *pct, strconv.FormatFloat(*pct, 'g', -1, 64))
}

func tivText(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

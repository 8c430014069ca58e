package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/dashboard"
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
	fl := newFlagSet("share", "[flags]",
		"Prints a supplier's share of a recipient's arms imports and the recipient's share of the supplier's exports.", stderr)
	dbPath := fl.String("db", "armsdash.db", dbFlagHelp+"; the built-in dataset is used when the file does not exist")
	supplier := fl.String("supplier", "", "supplier country, e.g. China (required)")
	recipient := fl.String("recipient", "", "recipient country, e.g. Pakistan (required)")
	from := fl.String("from", "", "first delivery year, e.g. 2017 (required)")
	to := fl.String("to", "", "last delivery year, e.g. 2021 (required)")
	dataset := fl.String("dataset", "", "name of the flow set to use (default: the preferred one)")
	asJSON := fl.Bool("json", false, "print the result as JSON, as /api/v1/shares gives it")
	if err := parseNoArgs(fl, args); err != nil {
		return err
	}
	*dbPath = storeDSN(fl, *dbPath)
	snap, err := loadSnapshot(ctx, *dbPath)
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

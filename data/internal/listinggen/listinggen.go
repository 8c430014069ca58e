// Package listinggen writes SYNTHETIC SIPRI per-delivery-year listings,
// for benchmarks only. It resamples the deals of a real listing (read by
// data.ReadDeliveries): each generated deal copies every delivery row of
// one source deal drawn at random (designation, category, years, numbers,
// status, TIV), under a new deal ID and a supplier and a recipient drawn
// independently of each other and of the deal, each with the frequency it
// has among the source rows. The rows have the shape of real ones, so
// data.Read and the stores do the work a real file of that size makes
// them do, but they record no transfer and must never be shown, imported
// into a dashboard or quoted as data. Every file says so: its preamble
// opens with SYNTHETIC, it has no "Data generated:" line (so no vintage),
// and every Designation starts with "SYNTHETIC ".
//
// The output depends only on the source rows, the row count and the seed.
package listinggen

import (
	"bufio"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/data"
)

// Designation prefixes the Designation of every generated row.
const Designation = "SYNTHETIC "

// preamble is the 11 lines before the header, as in SIPRI's export (each
// ending in ';'), saying what the file is.
var preamble = []string{
	"SYNTHETIC per-delivery-year listing written by armsdash's listinggen for benchmarks: NOT DATA;",
	"Every row resamples a deal of a real SIPRI listing under a made-up deal ID;",
	"with a supplier and a recipient drawn at random and independently;",
	"so no row records a transfer. Never show; import into a dashboard or quote these figures.;",
	"SIPRI trend-indicator values (TIVs) are in millions.;",
	";",
	";",
	";",
	";",
	"Source of the resampled rows: SIPRI Arms Transfers Database (c) SIPRI.;",
	"No generation date is given: this file has no vintage.;",
}

// header is the listing's header line, as SIPRI writes it.
const header = "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;"

// Write writes a synthetic listing of rows delivery rows to w, resampled
// from src (see the package comment), with CRLF line endings and the
// trailing ';' of SIPRI's export. The last deal is cut short to give
// exactly rows rows. src must hold at least two suppliers or recipients
// in all (a deal's supplier and recipient differ).
func Write(w io.Writer, src []data.Delivery, rows int, seed uint64) error {
	deals := groupDeals(src)
	if len(deals) == 0 {
		return errors.New("listinggen: no source rows")
	}
	suppliers := make([]string, len(src))
	recipients := make([]string, len(src))
	for i, d := range src {
		suppliers[i], recipients[i] = d.Supplier, d.Recipient
	}
	r := rand.New(rand.NewPCG(seed, 0x6c697374696e67))
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, l := range preamble {
		bw.WriteString(l + "\r\n")
	}
	bw.WriteString(header + "\r\n")
	var line []byte
	for id, n := 1, 0; n < rows; id++ {
		deal := deals[r.IntN(len(deals))]
		s := suppliers[r.IntN(len(suppliers))]
		rc := recipients[r.IntN(len(recipients))]
		for tries := 0; rc == s; tries++ {
			if tries == 100 {
				return errors.New("listinggen: the source rows name only one country")
			}
			rc = recipients[r.IntN(len(recipients))]
		}
		for _, d := range deal {
			if n == rows {
				break
			}
			line = appendRow(line[:0], id, s, rc, d)
			if _, err := bw.Write(line); err != nil {
				return err
			}
			n++
		}
	}
	return bw.Flush()
}

// groupDeals splits src into runs of rows of one deal, in order of first
// appearance.
func groupDeals(src []data.Delivery) [][]data.Delivery {
	at := make(map[int]int)
	var deals [][]data.Delivery
	for _, d := range src {
		i, ok := at[d.DealID]
		if !ok {
			i = len(deals)
			at[d.DealID] = i
			deals = append(deals, nil)
		}
		deals[i] = append(deals[i], d)
	}
	return deals
}

// appendRow appends one listing line of d under deal id, supplier s and
// recipient r.
func appendRow(b []byte, id int, s, r string, d data.Delivery) []byte {
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, ',')
	b = append(b, s...)
	b = append(b, ',')
	b = append(b, r...)
	b = append(b, ',')
	b = append(b, Designation...)
	b = append(b, cell(d.Designation)...)
	b = append(b, ',')
	b = append(b, cell(d.Description)...)
	b = append(b, ',')
	b = append(b, cell(d.Category)...)
	b = append(b, ',')
	if d.OrderYear != 0 {
		b = strconv.AppendInt(b, int64(d.OrderYear), 10)
	}
	b = appendFlag(b, d.OrderYearEstimate)
	b = append(b, ',')
	if d.Number != 0 {
		b = strconv.AppendInt(b, int64(d.Number), 10)
	}
	b = appendFlag(b, d.NumberEstimate)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(d.Year), 10)
	b = appendFlag(b, d.YearEstimate)
	b = append(b, ',')
	b = append(b, d.Status...)
	for _, v := range []float64{d.TIVUnitNew, d.TIVUnit, d.TIV} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	b = appendFlag(b, d.LocalProduction)
	return append(b, ";\r\n"...)
}

// appendFlag appends a comma and Yes or No.
func appendFlag(b []byte, v bool) []byte {
	if v {
		return append(b, ",Yes"...)
	}
	return append(b, ",No"...)
}

// cell keeps a text cell from breaking the unquoted line.
func cell(s string) string { return cellReplacer.Replace(s) }

var cellReplacer = strings.NewReplacer(",", ";", "\r", " ", "\n", " ")

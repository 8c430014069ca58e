// Package gdeltgen writes SYNTHETIC GDELT 2.0 event export files, for
// benchmarks only. The rows are made up from a seeded random number
// generator: they have GDELT's shape (61 tab-separated columns, real CAMEO
// event and country codes, valid dates) so that data.ReadGDELT and the
// stores do the work real files make them do, but they record no event
// and must never be shown, imported into a dashboard or quoted as data.
// Every row says so: Actor1Name and Actor2Name start with "SYNTHETIC" and
// SOURCEURL is synthetic://armsdash-benchmark/<id>.
//
// The output depends only on the seed and the row count.
package gdeltgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/armsdash/armsdash/data"
)

// SourceURL prefixes the SOURCEURL of every generated row.
const SourceURL = "synthetic://armsdash-benchmark/"

// country is a state with its CAMEO code, FIPS 10-4 code (GDELT's geo
// country codes) and centroid.
type country struct {
	cameo, fips string
	lat, long   float64
}

var countries = []country{
	{"CHN", "CH", 35, 105}, {"PAK", "PK", 30, 70}, {"IND", "IN", 21, 78}, {"USA", "US", 39.8, -98.5},
	{"RUS", "RS", 60, 100}, {"FRA", "FR", 46, 2}, {"GBR", "UK", 54, -2}, {"DEU", "GM", 51, 9},
	{"TUR", "TU", 39, 35}, {"IRN", "IR", 32, 53}, {"ISR", "IS", 31.5, 34.75}, {"SAU", "SA", 25, 45},
	{"EGY", "EG", 27, 30}, {"JPN", "JA", 36, 138}, {"KOR", "KS", 37, 127.5}, {"PRK", "KN", 40, 127},
	{"BGD", "BG", 24, 90}, {"UKR", "UP", 49, 32}, {"POL", "PL", 52, 20}, {"BRA", "BR", -10, -55},
	{"NGA", "NI", 10, 8}, {"IDN", "ID", -5, 120}, {"AUS", "AS", -27, 133}, {"ITA", "IT", 42.8, 12.8},
}

// kept are CAMEO codes data.DefaultGDELTCodes keeps; other are codes it
// drops. KeptShare of the rows use kept codes.
var (
	kept  = []string{"0312", "0332", "0334", "042", "043", "057", "062", "072", "074"}
	other = []string{"010", "020", "036", "040", "046", "051", "190"}
)

// KeptShare is the share of generated rows whose event code
// data.DefaultGDELTCodes keeps (the others are read and dropped).
const KeptShare = 0.9

// Write writes rows synthetic GDELT 2.0 export lines to w. Events fall
// between 2015-01-01 and 2025-12-31.
func Write(w io.Writer, rows int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x61726d7364617368))
	names := make([]string, len(countries))
	for i, c := range countries {
		cc, ok := data.CountryByCAMEO(c.cameo)
		if !ok {
			return fmt.Errorf("gdeltgen: CAMEO code %s is not in the country table", c.cameo)
		}
		names[i] = cc.Name
	}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours()/24) + 1
	bw := bufio.NewWriterSize(w, 1<<20)
	var line []byte
	for i := range rows {
		id := 1_000_000_000 + int64(i)
		day := start.AddDate(0, 0, r.IntN(days))
		a := r.IntN(len(countries))
		b := (a + 1 + r.IntN(len(countries)-1)) % len(countries) // never a
		code := other[r.IntN(len(other))]
		if r.Float64() < KeptShare {
			code = kept[r.IntN(len(kept))]
		}
		root := code[:2]
		quad := "1"
		switch root {
		case "05", "06", "07", "08":
			quad = "2"
		case "19":
			quad = "4"
		}
		ca, cb := countries[a], countries[b]
		place := countries[a]
		placeName := names[a]
		if r.IntN(2) == 1 {
			place, placeName = cb, names[b]
		}
		mentions := 1 + r.IntN(20)
		sqlDate := day.Format("20060102")
		frac := float64(day.Year()) + float64(day.YearDay()-1)/365
		geo := func(c country, name string) []byte {
			line = append(line, "1\t"...)
			line = append(line, name...)
			line = append(line, '\t')
			line = append(line, c.fips...)
			line = append(line, '\t')
			line = append(line, c.fips...)
			line = append(line, "\t\t"...)
			line = strconv.AppendFloat(line, c.lat, 'f', 4, 64)
			line = append(line, '\t')
			line = strconv.AppendFloat(line, c.long, 'f', 4, 64)
			line = append(line, '\t')
			line = append(line, c.fips...)
			return line
		}
		line = line[:0]
		line = strconv.AppendInt(line, id, 10)
		line = append(line, '\t')
		line = append(line, sqlDate...)
		line = append(line, '\t')
		line = append(line, sqlDate[:6]...)
		line = append(line, '\t')
		line = append(line, sqlDate[:4]...)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, frac, 'f', 4, 64)
		for _, act := range []struct {
			c    country
			name string
		}{{ca, names[a]}, {cb, names[b]}} {
			// ActorNCode, Name, CountryCode, KnownGroup, Ethnic, Religion1, Religion2, Type1, Type2, Type3
			line = append(line, '\t')
			line = append(line, act.c.cameo...)
			line = append(line, "GOV\tSYNTHETIC "...)
			line = append(line, act.name...)
			line = append(line, '\t')
			line = append(line, act.c.cameo...)
			line = append(line, "\t\t\t\t\tGOV\t\t"...)
		}
		line = append(line, "\t1\t"...) // IsRootEvent
		line = append(line, code...)
		line = append(line, '\t')
		line = append(line, code[:3]...)
		line = append(line, '\t')
		line = append(line, root...)
		line = append(line, '\t')
		line = append(line, quad...)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, float64(r.IntN(201)-100)/10, 'f', 1, 64) // GoldsteinScale
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(mentions), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(1+r.IntN(mentions)), 10)
		line = append(line, '\t')
		line = strconv.AppendInt(line, int64(mentions), 10)
		line = append(line, '\t')
		line = strconv.AppendFloat(line, r.Float64()*20-10, 'f', 6, 64) // AvgTone
		line = append(line, '\t')
		line = geo(ca, names[a])
		line = append(line, '\t')
		line = geo(cb, names[b])
		line = append(line, '\t')
		line = geo(place, placeName)
		line = append(line, '\t')
		line = append(line, sqlDate...)
		line = append(line, "120000\t"...) // DATEADDED
		line = append(line, SourceURL...)
		line = strconv.AppendInt(line, id, 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

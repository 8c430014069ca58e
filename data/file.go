package data

// File is what a reader makes of one input file: the dataset's description
// and its rows, in the slice that fits the format (the others stay nil).
type File struct {
	Dataset    Dataset
	Deliveries []Delivery       // SIPRI per-delivery-year listing, one row per deal and delivery year
	Flows      []Flow           // yearly TIV by supplier and recipient (armsdash's own extract format)
	Deals      []Deal           // SIPRI trade register (current or legacy), one row per deal
	TIVValues  []TIVValue       // SIPRI TIV table cells
	Indicators []IndicatorValue // World Bank WDI values
	Events     []Event          // events CSV and GDELT
	Figures    []Figure         // figures quoted in articles (built-in only)
	Equipment  []Equipment      // equipment named in articles (built-in only)

	// Unmapped lists country names found in the file that the country table
	// does not know; they are kept as written, never dropped.
	Unmapped []string
	// Skipped lists rows left out because the caller asked to skip bad rows.
	Skipped []*ParseError
}

// Options change how a reader treats its input.
type Options struct {
	// SkipBad imports the good rows of a file with bad ones, recording the
	// bad ones in File.Skipped, instead of refusing the whole file.
	SkipBad bool
	// GDELTRoots lists the CAMEO root or full event codes kept from GDELT
	// files; nil means DefaultGDELTCodes.
	GDELTRoots []string
	// MaxUnpacked is how many bytes the file of a zip archive may unpack
	// to; 0 means DefaultMaxUnpacked. Reading stops, and the file is
	// refused, as soon as it is passed.
	MaxUnpacked int64
}

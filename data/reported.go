package data

// Figure is a figure that an article attributes to a publisher, kept as the
// article states it.
type Figure struct {
	// Measure is "supplier-share-of-recipient-imports" (Supplier's share of
	// Recipient's arms imports) or "recipient-share-of-supplier-exports".
	Measure     string
	Supplier    string
	Recipient   string
	From, To    int     // the period, inclusive
	Percent     float64 // as the article gives it
	Approximate bool    // the article says "about" or "around"
	Quote       string  // the article's own words
	Publisher   string  // e.g. "SIPRI"
	Vintage     string  // year of the publisher's release the article cites
	VintageNote string  // how the vintage was established
	Source      string  // the article (seed file name)
}

// Label is the credit line shown beside the figure, for example
// "SIPRI, as reported in 001_544cb1125bb3d864.txt".
func (f Figure) Label() string { return f.Publisher + ", as reported in " + f.Source }

// The measures a Figure can hold.
const (
	MeasureSupplierShare  = "supplier-share-of-recipient-imports"
	MeasureRecipientShare = "recipient-share-of-supplier-exports"
)

// Equipment is a weapon system, or a kind of one, that an article names.
type Equipment struct {
	Name     string // e.g. "JF-17"
	Kind     string // e.g. "combat aircraft", "main battle tank", "frigate"
	Supplier string
	User     string // the country that operates or co-produces it
	Service  string // the armed service, when named
	Relation string // "in service", "mass production agreed" or "joint production discussed"
	Quote    string
	Source   string // the article (seed file name)
}

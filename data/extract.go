package data

import (
	"fmt"
	"strings"
)

// OtherRecipients names the row that sums a supplier's exports to every
// recipient but the one an extract is about.
func OtherRecipients(supplier string) string {
	return otherPrefix + supplier + ")"
}

const otherPrefix = "(other recipients of "

// IsOtherRecipients reports whether recipient is OtherRecipients(supplier),
// without making that name: the test runs once per flow.
func IsOtherRecipients(recipient, supplier string) bool {
	return len(recipient) == len(otherPrefix)+len(supplier)+1 && strings.HasPrefix(recipient, otherPrefix) &&
		recipient[len(otherPrefix):len(recipient)-1] == supplier && recipient[len(recipient)-1] == ')'
}

// ExtractDyad keeps what a dashboard about one supplier and one recipient
// needs from a per-delivery-year listing, summed by delivery year:
//   - the recipient's imports from every supplier (so shares of its imports
//     can be computed), and
//   - the supplier's exports to all other recipients, summed into one row
//     per year named OtherRecipients(supplier) (so the recipient's share of
//     the supplier's exports can be computed).
//
// The result holds far fewer rows than the listing and gives the same
// shares for the pair.
func ExtractDyad(ds []Delivery, supplier, recipient string) []Flow {
	var keep []Delivery
	other := OtherRecipients(supplier)
	for _, d := range ds {
		switch {
		case d.Recipient == recipient:
			keep = append(keep, d)
		case d.Supplier == supplier:
			d.Recipient = other
			keep = append(keep, d)
		}
	}
	return SumFlows(keep)
}

// ExtractNote is the comment at the head of an extract made by ExtractDyad,
// naming the file it was made from so it can be checked and remade.
func ExtractNote(file, sha256, supplier, recipient string) string {
	return fmt.Sprintf(`Yearly SIPRI TIV of deliveries (millions; a volume measure, not money), summed by delivery year:
%s's imports from every supplier, and %s's exports to all other recipients summed as %q.
Made by armsdash (go generate ./data) from %s (sha256 %s).`, recipient, supplier, OtherRecipients(supplier), file, sha256)
}

// Package templates holds the HTML templates of the armsdash dashboard,
// embedded in the binary. The web package parses them once at start-up.
//
// base.html defines the layout ("base") and the chart block ("chart");
// dealparts.html the trade register's sections ("deals", "orders") that
// the dyad and deals pages share; breakdown.html the breakdown section
// ("breakdown") and its by= choice ("by-choice"); every other file defines
// the "content" of one page.
package templates

import "embed"

// FS holds every *.html template.
//
//go:embed *.html
var FS embed.FS

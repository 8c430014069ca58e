package web

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// Network settings: PageRank's damping and tolerance, Louvain's
// resolution and seed (fixed so the page is the same on every load), and
// how many countries the table lists.
const (
	pageRankDamping   = 0.85
	pageRankTolerance = 1e-10
	louvainResolution = 1
	louvainSeed       = 1
	networkTop        = 25
)

// nodeRow is one country of the network table.
type nodeRow struct {
	Rank              int
	Name, Link        string
	In, Out, PageRank string
	InValue, OutValue float64
	PageRankValue     float64
}

// networkPage is the view model of network.html.
type networkPage struct {
	basePage
	From, To         int
	Dataset          string // the dataset= asked for, "" for the preferred set
	DatasetLabel     string
	MinYear, MaxYear int
	Extract          bool   // the set is a dyad extract: only one recipient's suppliers
	ExtractNote      string // what the extract holds
	Countries, Links int
	Rows             []nodeRow
	Communities      [][]string
}

// network serves /network: the supplier→recipient network of a period,
// its countries by weighted degree and PageRank, and its communities.
func (s *Server) network(c *gin.Context) error {
	v := c.Request.URL.Query()
	dataset := strings.TrimSpace(v.Get("dataset"))
	idx, err := s.flowIndexFor(s.snapshot(c), dataset)
	if err != nil {
		return err
	}
	p, err := readPeriod(v, idx, max(idx.minYear, idx.maxYear-4), idx.maxYear)
	if err != nil {
		return err
	}
	page := networkPage{
		From: p.From, To: p.To, Dataset: dataset, DatasetLabel: idx.set.Dataset.Label(),
		MinYear: idx.minYear, MaxYear: idx.maxYear, Extract: idx.set.Dataset.Format == data.FormatFlows,
	}
	// A row summing a supplier's other recipients is not a country: leave
	// it out, so on an extract the network is one recipient's suppliers.
	aggregate := map[string]bool{}
	for _, t := range idx.transfers {
		aggregate[data.OtherRecipients(t.Supplier)] = true
	}
	var ts []analysis.Transfer
	for _, t := range idx.transfers {
		if !aggregate[t.Recipient] {
			ts = append(ts, t)
		}
	}
	if page.Extract {
		page.ExtractNote = fmt.Sprintf("%s is an extract: it holds %s's imports from every supplier, and its suppliers' other exports only as totals. So the network below is only %s and its suppliers, not the world's arms trade; import SIPRI's full listing to see that.",
			idx.set.Dataset.Label(), strings.Join(completeImporters(idx), ", "), strings.Join(completeImporters(idx), ", "))
	}
	g := analysis.Network(ts, p)
	page.Countries, page.Links = len(g.Names()), len(g.Links())
	pr := map[string]float64{}
	for _, c := range g.PageRank(pageRankDamping, pageRankTolerance) {
		pr[c.Name] = c.Score
	}
	q := countryQuery{From: p.From, To: p.To, Dataset: dataset}
	for _, st := range g.WeightedDegree() {
		page.Rows = append(page.Rows, nodeRow{
			Name: st.Name, Link: q.countryLink(st.Name),
			In: millions(st.In), Out: millions(st.Out), PageRank: strconv.FormatFloat(pr[st.Name], 'f', 4, 64),
			InValue: st.In, OutValue: st.Out, PageRankValue: pr[st.Name],
		})
	}
	slices.SortFunc(page.Rows, func(a, b nodeRow) int {
		return cmp.Or(cmp.Compare(b.InValue+b.OutValue, a.InValue+a.OutValue), cmp.Compare(a.Name, b.Name))
	})
	if len(page.Rows) > networkTop {
		page.Rows = page.Rows[:networkTop]
	}
	for i := range page.Rows {
		page.Rows[i].Rank = i + 1
	}
	for _, cm := range g.Communities(louvainResolution, louvainSeed) {
		page.Communities = append(page.Communities, cm.Members)
	}
	link := "/network?" + url.Values{"from": {strconv.Itoa(p.From)}, "to": {strconv.Itoa(p.To)}}.Encode()
	if dataset != "" {
		link += "&dataset=" + url.QueryEscape(dataset)
	}
	page.basePage = s.base(c, fmt.Sprintf("Arms-trade network, %s", p), "network", link)
	page.DataLabel = idx.set.Dataset.Label()
	return s.render(c, "network", page)
}

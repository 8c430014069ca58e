package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/armsdash/armsdash/dashboard"
)

// networkTop is how many countries the network table lists.
const networkTop = 25

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
	Charts           []chartView
	Missing          []string
}

// network serves /network: the supplier→recipient network of a period,
// its countries by weighted degree and PageRank, and its communities.
func (s *Server) network(r *rq, pq withState[flowQuery[dashboard.NetworkQuery]]) (*response, error) {
	fi, q := pq.Q.fi, pq.Q.Q
	c := fi.Coverage
	n := fi.Network(q)
	page := networkPage{
		From: q.From, To: q.To, Dataset: q.Dataset, DatasetLabel: fi.Label(),
		MinYear: c.MinYear, MaxYear: c.MaxYear, Extract: n.Extract,
		Countries: n.Countries, Links: n.Links, Communities: n.Communities,
	}
	if page.Extract {
		importers := strings.Join(c.CompleteImporters(), ", ")
		page.ExtractNote = fmt.Sprintf("%s is an extract: it holds %s's imports from every supplier, and its suppliers' other exports only as totals. So the network below is only %s and its suppliers, not the world's arms trade; import SIPRI's full listing to see that.",
			fi.Label(), importers, importers)
	}
	cq := dashboard.CountryQuery{From: q.From, To: q.To, Dataset: q.Dataset}
	for i, nd := range n.Nodes {
		if i == networkTop {
			break
		}
		page.Rows = append(page.Rows, nodeRow{
			Rank: i + 1, Name: nd.Name, Link: cq.CountryLink(nd.Name),
			In: millions(nd.In), Out: millions(nd.Out), PageRank: strconv.FormatFloat(nd.PageRank, 'f', 4, 64),
			InValue: nd.In, OutValue: nd.Out, PageRankValue: nd.PageRank,
		})
	}
	page.basePage = s.base(r.c, fmt.Sprintf("Arms-trade network, %s", q.Period()), "network", link("/network", q.Values()))
	page.DataLabel = fi.Label()
	page.NeedCharts = true
	pc, err := s.pageCharts(r, "/network", pq.Q, pq.State)
	if err != nil {
		return nil, err
	}
	page.Charts, page.Missing = pc.Views, pc.Missing
	return s.renderPage("network", page)
}

package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/armsdash/armsdash/dashboard"
)

// The JSON API: the domain layer's numbers, unrounded. Its queries are
// read by the one validator; a value it cannot use is a 400 naming the
// parameter (writeError).

// sharesAPIQuery is a validated /api/v1/shares query.
type sharesAPIQuery struct {
	fi *dashboard.FlowIndex
	Q  dashboard.ShareQuery
}

// Values returns the canonical parameters.
func (q sharesAPIQuery) Values() url.Values {
	v := url.Values{"supplier": {q.Q.Supplier}, "recipient": {q.Q.Recipient},
		"from": {strconv.Itoa(q.Q.From)}, "to": {strconv.Itoa(q.Q.To)}, "dataset": {q.Q.Dataset}}
	return v
}

func parseSharesAPI(r *rq) (sharesAPIQuery, error) {
	fi, q, err := r.d.ParseShares(r.p)
	return sharesAPIQuery{fi, q}, err
}

// apiShares serves /api/v1/shares.
func apiShares(_ *rq, q sharesAPIQuery) (*response, error) {
	return jsonResponse(q.fi.Shares(q.Q))
}

// rankingAPIQuery is a validated /api/v1/rankings query.
type rankingAPIQuery struct {
	fi *dashboard.FlowIndex
	Q  dashboard.RankingQuery
}

// Values returns the canonical parameters.
func (q rankingAPIQuery) Values() url.Values {
	return url.Values{q.Q.Side: {q.Q.Country}, "from": {strconv.Itoa(q.Q.Period.From)}, "to": {strconv.Itoa(q.Q.Period.To)},
		"top": {strconv.Itoa(q.Q.Top)}, "dataset": {q.fi.Set.Dataset.Name}}
}

func parseRankingAPI(r *rq) (rankingAPIQuery, error) {
	fi, q, err := r.d.ParseRanking(r.p)
	return rankingAPIQuery{fi, q}, err
}

// apiRanking serves /api/v1/rankings.
func apiRanking(_ *rq, q rankingAPIQuery) (*response, error) {
	return jsonResponse(q.fi.Ranking(q.Q))
}

// jsonResponse encodes v, indented.
func jsonResponse(v any) (*response, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding JSON: %w", err)
	}
	return &response{ctype: "application/json; charset=utf-8", body: buf.Bytes()}, nil
}

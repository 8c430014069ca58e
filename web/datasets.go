package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Store is the part of the data store the server uses to import, list and
// remove datasets, a subset of data.Store (both *sqlite.Store and
// *postgres.Store implement it).
type Store interface {
	// Import stores f in one transaction; a file already held returns a
	// *data.DuplicateError and changes nothing.
	Import(ctx context.Context, f *data.File) (data.Dataset, error)
	// Snapshot returns everything the store holds, or the built-in
	// dataset when it is empty.
	Snapshot(ctx context.Context) (*data.Snapshot, error)
	// Entries lists the stored datasets, newest import first.
	Entries(ctx context.Context) ([]data.Entry, error)
	// Remove deletes the dataset called name (or SHA-256 prefix); no
	// match is an error wrapping data.ErrNotFound.
	Remove(ctx context.Context, name string) error
	// Version changes with every import and removal, by any process.
	Version(ctx context.Context) (string, error)
	// Events lists the stored events f selects, from offset, at most
	// limit, in snapshot order; /events reads its list from it when a
	// snapshot holds too many events to keep.
	Events(ctx context.Context, f data.EventFilter, offset, limit int) ([]data.Event, error)
}

// maxRemoveBody bounds the body of a removal request: a few form fields.
const maxRemoveBody = 64 << 10

// coverage says in a sentence what the dyad page can show from idx.
func coverage(fi *dashboard.FlowIndex) string {
	d, c := fi.Set.Dataset, fi.Coverage
	years := fmt.Sprintf("deliveries %d–%d", c.MinYear, c.MaxYear)
	switch d.Format {
	case data.FormatSIPRIDeliveries:
		return fmt.Sprintf("A whole per-delivery-year listing (%s, %d suppliers, %d recipients): complete for every pair, so any supplier and recipient can be charted, with both shares.", years, len(c.Suppliers), len(c.Recipients))
	case data.FormatFlows:
		return fmt.Sprintf("An extract (%s): only %s's imports are complete, so only %s can be the recipient; the recipient's share of a supplier's exports is shown only for %s.",
			years, strings.Join(c.Recipients, ", "), strings.Join(c.Recipients, ", "), joinOrNone(c.CompleteExporters(), "no supplier"))
	case data.FormatSIPRITIVTable, data.FormatSIPRITIVTableOld:
		if len(c.Suppliers) == 1 {
			sup := c.Suppliers[0]
			return fmt.Sprintf("A TIV table of %s's exports by recipient (%s): any of its %d recipients can be charted with %s's deliveries to it and its share of %s's exports; the recipient's imports from all suppliers, and %s's share of them, are n/a.",
				sup, years, len(c.Recipients), sup, sup, sup)
		}
		return fmt.Sprintf("A TIV table (%s) covering one side only; shares that need the other side are n/a.", years)
	}
	return years
}

// joinOrNone joins list with commas, or gives none when it is empty.
func joinOrNone(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return strings.Join(list, ", ")
}

// datasetRow is one dataset on /datasets.
type datasetRow struct {
	Name, Format, Source, Vintage string
	Rows, Skipped                 int
	HasEntry                      bool // Skipped, Unmapped and ImportedAt are known
	Unmapped                      []string
	SHA                           string // first 12 hex digits
	Key                           string // what the remove form sends: first 16 hex digits
	ImportedAt                    string
	// FlowRole says which charts use the dataset: "default for charts",
	// "alternative flow set", or "" for a dataset without yearly flows.
	FlowRole string
	Coverage string
	DyadLink string
	// Use says what else shows the dataset: the deals table of dyad pages
	// for a trade register, the WDI chart of country pages, the events
	// page for event lists; "" when nothing does.
	Use string
	// Updates is the span of GDELT updates a GDELT file holds, e.g.
	// "2026-05-14 08:30–08:45 UTC, one 15-minute update"; "" for others.
	Updates string
}

// datasetsPage is the view model of datasets.html.
type datasetsPage struct {
	basePage
	Builtin bool
	Rows    []datasetRow
	Default string // name of the default flow set, "" for none
	Notice  string
	Form    adminForm
}

// otherUse says which page shows d other than through yearly flows:
// datasetRow.Use.
func otherUse(snap *data.Snapshot, d data.Dataset) string {
	switch d.Format {
	case data.FormatSIPRIRegister, data.FormatSIPRIRegisterLegacy:
		if len(snap.DealSets) > 0 && snap.DealSets[0].Dataset.SHA256 == d.SHA256 {
			return "deals table of dyad pages"
		}
		return "deals table of dyad pages, with register=" + d.Name
	case data.FormatWDI:
		for i, is := range snap.IndicatorSets {
			switch {
			case is.Dataset.SHA256 != d.SHA256:
			case i == 0:
				return "World Bank WDI chart of country pages"
			default:
				return "World Bank WDI chart of country pages, for an indicator no newer WDI file holds"
			}
		}
	case data.FormatGDELT:
		return "events page, event timelines and markers, counting its events over its updates only"
	case data.FormatEvents:
		return "events page, event timelines and markers"
	}
	return ""
}

// datasets serves /datasets: every dataset held, the flow set each chart
// uses, and (for an admin) a button to remove each.
func (s *Server) datasets(r *rq, _ noQuery) (*response, error) {
	return s.renderDatasets(r.c, "")
}

// renderDatasets renders /datasets with notice at the top.
func (s *Server) renderDatasets(c *gin.Context, notice string) (*response, error) {
	snap := s.snapshot(c)
	d := s.dashboardOf(snap)
	page := datasetsPage{Builtin: snap.Builtin, Notice: notice, Form: s.admin.form("/datasets/remove")}
	page.basePage = s.base(c, "Datasets", "datasets", "/datasets")
	entries := map[string]data.Entry{}
	if s.admin.store != nil && !snap.Builtin {
		es, err := s.admin.store.Entries(c.Request.Context())
		if err != nil {
			return nil, fmt.Errorf("listing datasets: %w", err)
		}
		for _, e := range es {
			entries[e.SHA256] = e
		}
	}
	flowSets := map[string]int{} // SHA-256 → position in snap.FlowSets
	for i, fs := range snap.FlowSets {
		if _, ok := flowSets[fs.Dataset.SHA256]; !ok {
			flowSets[fs.Dataset.SHA256] = i
		}
	}
	if len(snap.FlowSets) > 0 {
		page.Default = snap.FlowSets[0].Dataset.Name
	}
	for _, ds := range snap.Datasets {
		r := datasetRow{
			Name: ds.Name, Format: string(ds.Format), Source: ds.Source, Vintage: vintageText(ds.Vintage), Updates: ds.Updates.String(),
			Rows: ds.Rows, SHA: ds.SHA256[:min(12, len(ds.SHA256))], Key: ds.SHA256[:min(16, len(ds.SHA256))],
		}
		if e, ok := entries[ds.SHA256]; ok {
			r.HasEntry, r.Skipped, r.Unmapped = true, e.Skipped, e.Unmapped
			r.ImportedAt = e.ImportedAt.UTC().Format(time.DateTime) + " UTC"
		}
		if i, ok := flowSets[ds.SHA256]; ok {
			r.FlowRole = "alternative flow set"
			if i == 0 {
				r.FlowRole = "default for charts"
			}
			if fi, err := d.Flows(snap.FlowSets[i].Dataset.Name); err == nil && fi.Set.Dataset.SHA256 == ds.SHA256 {
				r.Coverage = coverage(fi)
				q := fi.Default
				if i != 0 {
					q.Dataset = ds.Name
				}
				r.DyadLink = q.Link("/dyad")
			}
		}
		r.Use = otherUse(snap, ds)
		page.Rows = append(page.Rows, r)
	}
	resp, err := s.renderPage("datasets", page)
	if err != nil {
		return nil, err
	}
	resp.setCacheControl("no-store")
	return resp, nil
}

// vintageText is a vintage as pages show it: the date, or "undated".
func vintageText(v string) string { return dashboard.VintageText(v) }

// removeDataset serves POST /datasets/remove: it removes the dataset whose
// SHA-256 starts with the form field "dataset", then shows the store's
// new snapshot.
func (s *Server) removeDataset(c *gin.Context) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxRemoveBody)
	if err := c.Request.ParseForm(); err != nil {
		return &RequestError{Status: http.StatusBadRequest, Msg: "The removal request could not be read; send it again from the Datasets page."}
	}
	if err := s.admin.authorize(c.Request, "/datasets/remove"); err != nil {
		return err
	}
	key := strings.TrimSpace(c.Request.PostFormValue("dataset"))
	if len(key) < 8 || strings.Trim(key, "0123456789abcdef") != "" {
		return &dashboard.InvalidParamError{Param: "dataset", Value: dashboard.Shorten(key), Msg: fmt.Sprintf("“%s” is not a SHA-256 prefix of 8 or more hex digits", dashboard.Shorten(key))}
	}
	name := key
	for _, d := range s.snapshot(c).Datasets {
		if strings.HasPrefix(d.SHA256, key) {
			name = d.Name
		}
	}
	ctx := c.Request.Context()
	err := s.admin.store.Remove(ctx, key)
	switch {
	case errors.Is(err, data.ErrNotFound):
		return &dashboard.NotFoundError{Msg: fmt.Sprintf("No dataset with SHA-256 %s… is in the store; it may have been removed already. Nothing was changed.", key)}
	case err != nil:
		return fmt.Errorf("removing %s: %w", key, err)
	}
	if err := s.reload(ctx); err != nil {
		return err
	}
	s.log.Info("dataset removed", "request_id", requestID(c), "dataset", name, "sha256", key)
	c.Set(ctxSnapshot, s.snap.Load())
	notice := fmt.Sprintf("Removed “%s” and all its rows.", name)
	if s.snap.Load().Builtin {
		notice += " The store is now empty, so the dashboard shows the built-in dataset again."
	}
	resp, err := s.renderDatasets(c, notice)
	if err != nil {
		return err
	}
	s.write(c, newCachedResponse("", resp), nil, "", acceptsGzip(c.Request))
	return nil
}

// reload shows the store's current snapshot.
func (s *Server) reload(ctx context.Context) error {
	snap, err := s.admin.store.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("reloading the snapshot: %w", err)
	}
	s.SetSnapshot(snap)
	return nil
}

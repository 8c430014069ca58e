package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

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

// flowIndexFor returns the index of the flow set of snap named name, or of
// the preferred one when name is "". An unknown name is a 404 listing the
// flow sets there are.
func (s *Server) flowIndexFor(snap *data.Snapshot, name string) (*flowIndex, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return s.flows.get(snap)
	}
	set, ok := snap.FlowSet(name)
	if !ok || len(set.Flows) == 0 {
		var known []string
		for _, fs := range snap.FlowSets {
			known = append(known, fs.Dataset.Name)
		}
		return nil, &RequestError{
			Status:     http.StatusNotFound,
			Msg:        fmt.Sprintf("Parameter dataset: no dataset “%s” with yearly arms transfers is loaded. See /datasets for every dataset held.", truncate(name)),
			Known:      known,
			KnownLabel: "Datasets with yearly arms transfers",
		}
	}
	ic := &s.flows
	ic.mu.Lock()
	defer ic.mu.Unlock()
	if ic.snap != snap {
		ic.snap, ic.named = snap, map[string]*flowIndex{}
	}
	idx, ok := ic.named[name]
	if !ok {
		idx = newSetIndex(snap, set)
		ic.named[name] = idx
	}
	return idx, nil
}

// isDefault reports whether idx indexes its snapshot's preferred flow set.
func (idx *flowIndex) isDefault() bool {
	def, ok := idx.snap.FlowSet("")
	return ok && def.Dataset.SHA256 == idx.set.Dataset.SHA256 && def.Dataset.Name == idx.set.Dataset.Name
}

// coverage says in a sentence what the dyad page can show from idx.
func coverage(idx *flowIndex) string {
	d := idx.set.Dataset
	years := fmt.Sprintf("deliveries %d–%d", idx.minYear, idx.maxYear)
	switch d.Format {
	case data.FormatSIPRIDeliveries:
		return fmt.Sprintf("A whole per-delivery-year listing (%s, %d suppliers, %d recipients): complete for every pair, so any supplier and recipient can be charted, with both shares.", years, len(idx.suppliers), len(idx.recipients))
	case data.FormatFlows:
		return fmt.Sprintf("An extract (%s): only %s's imports are complete, so only %s can be the recipient; the recipient's share of a supplier's exports is shown only for %s.",
			years, strings.Join(idx.recipients, ", "), strings.Join(idx.recipients, ", "), strings.Join(completeKeys(idx.exportsComplete), ", "))
	case data.FormatSIPRITIVTable, data.FormatSIPRITIVTableOld:
		if len(idx.suppliers) == 1 {
			return fmt.Sprintf("A TIV table of %s's exports by recipient (%s): any of its %d recipients can be charted with %s's deliveries to it and its share of %s's exports; the recipient's imports from all suppliers, and %s's share of them, are n/a.",
				idx.suppliers[0], years, len(idx.recipients), idx.suppliers[0], idx.suppliers[0], idx.suppliers[0])
		}
		return fmt.Sprintf("A TIV table (%s) covering one side only; shares that need the other side are n/a.", years)
	}
	return years
}

func completeKeys(m map[string]bool) []string {
	keep := map[string]bool{}
	for k, ok := range m {
		if ok {
			keep[k] = true
		}
	}
	if len(keep) == 0 {
		return []string{"no supplier"}
	}
	return sortedKeys(keep)
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
	case data.FormatEvents, data.FormatGDELT:
		return "events page, event timelines and markers"
	}
	return ""
}

// datasets serves /datasets: every dataset held, the flow set each chart
// uses, and (for an admin) a button to remove each.
func (s *Server) datasets(c *gin.Context) error {
	return s.renderDatasets(c, "")
}

func (s *Server) renderDatasets(c *gin.Context, notice string) error {
	snap := s.snapshot(c)
	page := datasetsPage{Builtin: snap.Builtin, Notice: notice, Form: s.admin.form("/datasets/remove")}
	page.basePage = s.base(c, "Datasets", "datasets", "/datasets")
	entries := map[string]data.Entry{}
	if s.admin.store != nil && !snap.Builtin {
		es, err := s.admin.store.Entries(c.Request.Context())
		if err != nil {
			return fmt.Errorf("listing datasets: %w", err)
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
	for _, d := range snap.Datasets {
		r := datasetRow{
			Name: d.Name, Format: string(d.Format), Source: d.Source, Vintage: vintageText(d.Vintage),
			Rows: d.Rows, SHA: d.SHA256[:min(12, len(d.SHA256))], Key: d.SHA256[:min(16, len(d.SHA256))],
		}
		if e, ok := entries[d.SHA256]; ok {
			r.HasEntry, r.Skipped, r.Unmapped = true, e.Skipped, e.Unmapped
			r.ImportedAt = e.ImportedAt.UTC().Format(time.DateTime) + " UTC"
		}
		if i, ok := flowSets[d.SHA256]; ok {
			r.FlowRole = "alternative flow set"
			if i == 0 {
				r.FlowRole = "default for charts"
			}
			if idx, err := s.flowIndexFor(snap, snap.FlowSets[i].Dataset.Name); err == nil && idx.set.Dataset.SHA256 == d.SHA256 {
				r.Coverage = coverage(idx)
				q := idx.defaultQuery
				if i != 0 {
					q.Dataset = d.Name
				}
				r.DyadLink = q.link("/dyad")
			}
		}
		r.Use = otherUse(snap, d)
		page.Rows = append(page.Rows, r)
	}
	return s.render(c, "datasets", page)
}

func vintageText(v string) string {
	if v == "" {
		return "undated"
	}
	return v
}

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
		return &RequestError{Status: http.StatusBadRequest, Msg: fmt.Sprintf("Parameter dataset: “%s” is not a SHA-256 prefix of 8 or more hex digits.", truncate(key))}
	}
	name := key
	for _, d := range s.snapshot(c).Datasets {
		if strings.HasPrefix(d.SHA256, key) {
			name = d.Name
		}
	}
	ctx := c.Request.Context()
	err := s.admin.store.Remove(ctx, key)
	var amb *data.AmbiguousError
	switch {
	case errors.Is(err, data.ErrNotFound):
		return &RequestError{Status: http.StatusNotFound, Msg: fmt.Sprintf("No dataset with SHA-256 %s… is in the store; it may have been removed already. Nothing was changed.", key)}
	case errors.As(err, &amb):
		return &RequestError{Status: http.StatusConflict, Msg: amb.Error() + ". Nothing was changed."}
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
	return s.renderDatasets(c, notice)
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

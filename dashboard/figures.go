package dashboard

import (
	"fmt"

	"github.com/armsdash/armsdash/analysis"
	"github.com/armsdash/armsdash/data"
)

// FigureCheck sets a figure reported in an article beside the same
// measure computed from the flow set held.
type FigureCheck struct {
	Figure data.Figure
	Period analysis.Period
	// SupplierShare is true when the figure is the supplier's share of the
	// recipient's imports; false for the recipient's share of the
	// supplier's exports.
	SupplierShare bool
	// Flows is the flow set it is computed from; nil when none is loaded.
	Flows *FlowIndex
	// Computed is the share computed; nil when Reason says why not.
	Computed *analysis.Share
	Reason   string
}

// CheckFigures computes every reported figure of the snapshot from its
// preferred flow set.
func (d *Dashboard) CheckFigures() []FigureCheck {
	fi, err := d.Flows("")
	if err != nil {
		fi = nil
	}
	var out []FigureCheck
	for _, fig := range d.snap.Figures {
		out = append(out, checkFigure(fig, fi))
	}
	return out
}

func checkFigure(fig data.Figure, fi *FlowIndex) FigureCheck {
	fc := FigureCheck{Figure: fig, Period: analysis.Period{From: fig.From, To: fig.To},
		SupplierShare: fig.Measure == data.MeasureSupplierShare, Flows: fi}
	if fi == nil {
		return fc
	}
	c, p := fi.Coverage, fc.Period
	switch {
	case p.From < c.MinYear || p.To > c.MaxYear:
		fc.Reason = fmt.Sprintf("Not computed: the data covers %d–%d only.", c.MinYear, c.MaxYear)
	case fc.SupplierShare && !c.ImportsComplete(fig.Recipient):
		fc.Reason = fmt.Sprintf("Not computed: the data does not hold all of %s's imports.", fig.Recipient)
	case !fc.SupplierShare && !c.ExportsComplete(fig.Supplier):
		fc.Reason = fmt.Sprintf("Not computed: the data does not hold all of %s's exports.", fig.Supplier)
	case fc.SupplierShare:
		sh := fi.SupplierShare(fig.Supplier, fig.Recipient, p)
		fc.Computed = &sh
	default:
		sh := fi.RecipientShare(fig.Supplier, fig.Recipient, p)
		fc.Computed = &sh
	}
	return fc
}

package web

import (
	"context"
	"time"
)

// Follow checks the store every interval and shows its newest snapshot
// when the store's version has changed, so that an import or removal made
// by another process (another dashboard instance sharing the PostgreSQL
// store, or `armsdash import`) reaches this one; the response cache,
// keyed by the snapshot version, follows. It returns when ctx is done. A
// failed check is logged and tried again at the next tick. Without a store
// or with interval <= 0 it returns at once.
func (s *Server) Follow(ctx context.Context, interval time.Duration) {
	if s.admin.store == nil || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("checking the store for new data failed", "err", err)
		}
	}
}

// refresh loads the store's snapshot when its version differs from the
// one shown.
func (s *Server) refresh(ctx context.Context) error {
	v, err := s.admin.store.Version(ctx)
	if err != nil {
		return err
	}
	if v == s.Snapshot().Version {
		return nil
	}
	snap, err := s.admin.store.Snapshot(ctx)
	if err != nil {
		return err
	}
	s.SetSnapshot(snap)
	s.log.Info("new data in the store", "version", snap.Version, "datasets", len(snap.Datasets))
	return nil
}

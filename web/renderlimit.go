package web

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"
)

// Expensive responses (chart images and ZIPs: see registerCharts) are
// computed a few at a time. A 2000×2000 PNG takes some 20 MB while it is
// drawn, so without a bound a crowd of clients asking for images nobody
// asked for before (each a cache miss) takes as much memory as they like.
// A request past the limit waits for a slot at most Config.RenderWait,
// then is answered 503 with Retry-After. Cache hits and 304s take no
// slot: only the computation is bounded, never the serving of bytes
// already made.

// DefaultRenderWait is how long a request waits for a render slot when
// Config.RenderWait is 0.
const DefaultRenderWait = 2 * time.Second

// renderSlots bounds how many expensive responses are computed at once.
type renderSlots struct {
	sem  chan struct{}
	wait time.Duration
}

// newRenderSlots returns n slots (runtime.GOMAXPROCS(0) when n <= 0, as
// drawing is CPU-bound: more at once only shares the same cores) with
// waits of wait (DefaultRenderWait when wait <= 0).
func newRenderSlots(n int, wait time.Duration) *renderSlots {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if wait <= 0 {
		wait = DefaultRenderWait
	}
	return &renderSlots{sem: make(chan struct{}, n), wait: wait}
}

// limit returns produce run in a slot: it waits for one at most rs.wait,
// and fails with a 503 *RequestError saying when to retry if none came
// free, or if ctx (the request's) ended first.
func (rs *renderSlots) limit(ctx context.Context, produce func() (*response, error)) func() (*response, error) {
	return func() (*response, error) {
		timer := time.NewTimer(rs.wait)
		defer timer.Stop()
		select {
		case rs.sem <- struct{}{}:
			defer func() { <-rs.sem }()
			return produce()
		case <-timer.C:
		case <-ctx.Done():
		}
		return nil, &RequestError{Status: http.StatusServiceUnavailable, RetryAfter: rs.wait, Msg: fmt.Sprintf(
			"The server is drawing as many charts as it can at once (%d), and none finished within %s. Please try again in a few seconds.",
			cap(rs.sem), rs.wait)}
	}
}

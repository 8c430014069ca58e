package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Limits on what a request may ask for. Beyond them the server answers
// with a 4xx page saying which limit was passed; it never tries.
//
// Years are bounded by dashboard.MinQueryYear..MaxQueryYear and by the
// data's own years, image sides by dashboard.MinImageSide..MaxImageSide,
// rankings by dashboard.MaxTop, and header bytes by the http.Server's
// MaxHeaderBytes (cmd/armsdash).
const (
	// MaxQueryBytes is the longest query string accepted (414 beyond).
	// The longest real query, a dyad with two long country names and a
	// dataset, is a few hundred bytes.
	MaxQueryBytes = 4 << 10
	// MaxPathBytes is the longest URL path accepted (414 beyond).
	MaxPathBytes = 1 << 10
	// maxFormBody bounds the body of every POST but /upload: the admin
	// forms hold a few short fields.
	maxFormBody = 64 << 10
	// UploadTimeout is how long one POST /upload may take to arrive and
	// be answered. The server's ReadTimeout (10 s in cmd/armsdash) covers
	// every other request, so a client that dribbles a body cannot hold a
	// connection for long; only /upload, which may carry a 64 MiB body
	// from a slow link (64 MiB in 10 minutes is about 110 KB/s), gets
	// this longer deadline, once its headers show the admin token or an
	// upload session (admin.go); anyone else is refused at once.
	UploadTimeout = 10 * time.Minute
)

// uploadPath is the one route allowed a body of MaxUpload bytes and
// UploadTimeout to send it.
const uploadPath = "/upload"

// limitRequests refuses over-long URLs and bounds request bodies: an
// authorized POST to /upload may send Config.MaxUpload bytes within
// UploadTimeout (the handler checks both), any other request maxFormBody
// bytes within the server's ReadTimeout.
// A declared Content-Length over the limit is refused with 413 before
// anything is read.
func (s *Server) limitRequests(c *gin.Context) {
	r := c.Request
	switch {
	case len(r.URL.RawQuery) > MaxQueryBytes:
		s.refuse(c, http.StatusRequestURITooLong, fmt.Sprintf(
			"The query string is %d bytes long; this server accepts at most %d. Shorten the query (no page needs more).", len(r.URL.RawQuery), MaxQueryBytes))
		return
	case len(r.URL.Path) > MaxPathBytes:
		s.refuse(c, http.StatusRequestURITooLong, fmt.Sprintf(
			"The path is %d bytes long; this server accepts at most %d.", len(r.URL.Path), MaxPathBytes))
		return
	}
	if r.Body == nil || r.Body == http.NoBody || r.Method == http.MethodGet || r.Method == http.MethodHead {
		c.Next()
		return
	}
	if r.URL.Path == uploadPath && r.Method == http.MethodPost {
		// The upload handler checks who sends it from the headers, then
		// gives it UploadTimeout (allowUpload) and bounds the body by
		// Config.MaxUpload itself, saying so in its own words.
		c.Next()
		return
	}
	const limit = maxFormBody
	if r.ContentLength > limit {
		s.refuse(c, http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"The request body is %s; this page accepts at most %s, so nothing was read.", byteSize(r.ContentLength), byteSize(limit)))
		return
	}
	r.Body = http.MaxBytesReader(c.Writer, r.Body, limit)
	c.Next()
}

// allowUpload gives an authorized POST /upload UploadTimeout to arrive
// and be answered, in place of the server's ReadTimeout.
func allowUpload(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(UploadTimeout)
	// Both fail only when the writer cannot reach a connection (as in
	// tests with a ResponseRecorder); the server's own timeouts then
	// stand.
	_ = rc.SetReadDeadline(deadline)
	_ = rc.SetWriteDeadline(deadline)
}

// refuse answers with status and msg through writeError: a JSON error
// under /api/, else the error page.
func (s *Server) refuse(c *gin.Context, status int, msg string) {
	s.writeError(c, &RequestError{Status: status, Msg: msg})
}

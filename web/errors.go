package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Errors reach the user in one way: handlers return them, and writeError
// turns each into a status and a message by the one table in statusOf,
// then writes a JSON body under /api/ and an error page everywhere else.

// RequestError is an error about the request itself rather than its
// query, with the status it gets: a body too large, a method not allowed,
// a missing admin token, no page at the path.
type RequestError struct {
	Status int    // HTTP status, e.g. http.StatusForbidden
	Msg    string // shown to the user
	// RetryAfter, when positive, is sent as Retry-After in whole
	// seconds (with a 503: the server is busy, not broken).
	RetryAfter time.Duration
}

// Error returns Msg.
func (e *RequestError) Error() string { return e.Msg }

// errPanic is what a recovered panic becomes.
var errPanic = errors.New("panic while handling request")

// publicError is what a user is shown of an error.
type publicError struct {
	Status     int
	Msg        string
	Param      string   // the parameter at fault, for an invalid one
	Known      []string // valid values, when few enough to list
	KnownLabel string
	RetryAfter time.Duration // sent as Retry-After when positive
	// Internal is true for errors the user did not cause: the message is
	// generic and the error itself is logged with the request id.
	Internal bool
}

// statusOf is the one error→status table of the dashboard, for HTML
// pages, downloads and the API alike.
func statusOf(err error) publicError {
	var (
		invalid  *dashboard.InvalidParamError
		notFound *dashboard.NotFoundError
		drawable *dashboard.NotDrawableError
		gone     *dashboard.GoneError
		req      *RequestError
		dup      *data.DuplicateError
		amb      *data.AmbiguousError
	)
	switch {
	case errors.As(err, &invalid):
		return publicError{Status: http.StatusBadRequest, Msg: invalid.Error(), Param: invalid.Param, Known: invalid.Known, KnownLabel: invalid.KnownLabel}
	case errors.As(err, &notFound):
		return publicError{Status: http.StatusNotFound, Msg: notFound.Msg}
	case errors.As(err, &drawable):
		return publicError{Status: http.StatusNotFound, Msg: drawable.Msg}
	case errors.As(err, &gone):
		return publicError{Status: http.StatusGone, Msg: gone.Msg}
	case errors.As(err, &dup):
		return publicError{Status: http.StatusConflict, Msg: "Already imported: " + dup.Error() + "."}
	case errors.As(err, &amb):
		return publicError{Status: http.StatusConflict, Msg: amb.Error() + ". Nothing was changed."}
	case errors.As(err, &req) && req.Status >= 400 && req.Status <= 599:
		return publicError{Status: req.Status, Msg: req.Msg, RetryAfter: req.RetryAfter}
	case errors.Is(err, data.ErrNotFound):
		return publicError{Status: http.StatusNotFound, Msg: "The page asked for does not exist."}
	}
	return publicError{Status: http.StatusInternalServerError, Internal: true,
		Msg: "Something went wrong on our side, and the page could not be shown. Please try again later; if it keeps happening, report the reference below."}
}

// errorPage is the view model of error.html.
type errorPage struct {
	basePage
	Heading    string
	Message    string
	Known      []string
	KnownLabel string
	RequestID  string
}

// apiError is the body of every API error response.
type apiError struct {
	Error     string   `json:"error"`
	Param     string   `json:"param,omitempty"`
	Known     []string `json:"known,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
}

// writeError answers the request with err: its status and message from
// statusOf, as JSON under /api/ and as the error page elsewhere. Internal
// errors are logged with the request id, never shown.
func (s *Server) writeError(c *gin.Context, err error) {
	id := requestID(c)
	pub := statusOf(err)
	if pub.Internal {
		s.log.Error("internal error", "request_id", id, "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	defer c.Abort()
	if pub.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(pub.RetryAfter.Seconds()))))
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		body := apiError{Error: pub.Msg, Param: pub.Param, Known: pub.Known, RequestID: id}
		if pub.Internal {
			body.Error = "internal error; report the request id"
		}
		b, merr := json.Marshal(body)
		if merr != nil {
			b = []byte(`{"error":"internal error"}`)
		}
		c.Data(pub.Status, "application/json; charset=utf-8", b)
		return
	}
	page := errorPage{RequestID: id, Message: pub.Msg, Known: pub.Known, KnownLabel: pub.KnownLabel}
	page.Heading = fmt.Sprintf("%d %s", pub.Status, http.StatusText(pub.Status))
	page.basePage = s.base(c, page.Heading, "", "")
	var buf bytes.Buffer
	if terr := s.pages["error"].ExecuteTemplate(&buf, "base", page); terr != nil {
		s.log.Error("rendering error page", "request_id", id, "err", terr)
		c.Data(pub.Status, "text/plain; charset=utf-8", []byte(page.Heading+"\n"))
		return
	}
	// The page is rendered without request notices: drop their marker.
	c.Data(pub.Status, "text/html; charset=utf-8", bytes.Replace(buf.Bytes(), []byte(noticesMarker), nil, 1))
}

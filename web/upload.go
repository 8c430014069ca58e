package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data"
)

// Form fields of /upload.
const (
	fieldFile    = "file"
	fieldSkipBad = "skip_bad"
	fieldDryRun  = "dry_run"
	fieldVintage = "vintage"
)

// uploadMemory is how much of a multipart body is held in memory; the
// rest goes to temporary files, removed when the request ends.
const uploadMemory = 8 << 20

// fileReport is what became of one uploaded file, worded as armsdash
// import and check word it.
type fileReport struct {
	Name     string
	OK       bool   // imported, or (dry run) would import
	Summary  string // e.g. "format sipri-deliveries, vintage 2026-02-12, 59 rows imported"
	Message  string // why it was not imported, or what a dry run found
	Unmapped []string
	Rejected []string // file:line: column "X": message
	More     int      // rejected rows found but not listed
}

// uploadPage is the view model of upload.html.
type uploadPage struct {
	basePage
	Form      adminForm
	MaxUpload string // e.g. "64 MiB"
	Reports   []fileReport
	DryRun    bool
	SkipBad   bool
	Changed   bool // the store changed; the dashboard shows the new data
	// SignedIn is true when the request carries an upload session: the
	// page shows the upload form (Form posts to /upload), else the
	// sign-in form (Form posts to /upload/signin). See admin.go.
	SignedIn bool
	// Vintage is the date given for files that carry none (a TIV table
	// without its preamble), "" when none was given.
	Vintage string
}

func (s *Server) newUploadPage(c *gin.Context, title string) uploadPage {
	p := uploadPage{MaxUpload: byteSize(s.admin.maxUpload), SignedIn: s.admin.session(c.Request)}
	action := signInPath
	if p.SignedIn {
		action = "/upload"
	}
	p.Form = s.admin.form(action)
	p.basePage = s.base(c, title, "upload", "/upload")
	return p
}

// uploadForm serves GET /upload: the form, or why uploads are off.
func (s *Server) uploadForm(r *rq, _ noQuery) (*response, error) {
	return s.renderPage("upload", s.newUploadPage(r.c, "Upload data"))
}

// upload serves POST /upload (multipart/form-data): it reads each file
// sent in field "file" as armsdash import does, imports it in its own
// transaction unless dry_run is set, and shows a report per file. After
// an import the dashboard shows the store's new snapshot. Who sends it is
// checked from the headers before the body is read (authorizeUpload).
func (s *Server) upload(c *gin.Context) error {
	r := c.Request
	session, err := s.admin.authorizeUpload(r)
	if err != nil {
		c.Header("Connection", "close") // the body stays unread
		return err
	}
	allowUpload(c)
	r.Body = http.MaxBytesReader(c.Writer, r.Body, s.admin.maxUpload)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &RequestError{Status: http.StatusRequestEntityTooLarge, Msg: fmt.Sprintf(
				"The upload is larger than this server's limit of %s, so nothing was read or imported. Send fewer or smaller files, import large files with armsdash import, or restart the server with a larger -max-upload.",
				byteSize(s.admin.maxUpload))}
		}
		return &RequestError{Status: http.StatusBadRequest, Msg: "The upload could not be read: send it from the form on this page (multipart/form-data with one or more files)."}
	}
	defer r.MultipartForm.RemoveAll()
	if session && !s.admin.validCSRF("/upload", r.PostFormValue(fieldCSRF)) {
		return errNoCSRF
	}
	page := s.newUploadPage(c, "Upload report")
	if page.SkipBad, err = checkbox(r, fieldSkipBad); err != nil {
		return err
	}
	if page.DryRun, err = checkbox(r, fieldDryRun); err != nil {
		return err
	}
	if v := r.PostFormValue(fieldVintage); strings.TrimSpace(v) != "" {
		if page.Vintage, err = data.ParseVintage(v); err != nil {
			return &dashboard.InvalidParamError{Param: fieldVintage, Value: dashboard.Shorten(v), Msg: err.Error() + "; leave it empty for files that give their own date"}
		}
	}
	files := r.MultipartForm.File[fieldFile]
	if len(files) == 0 {
		return &dashboard.InvalidParamError{Param: "file", Msg: "no file was sent; choose at least one file to upload"}
	}
	for _, fh := range files {
		rep, imported := s.uploadOne(c, fh, page.SkipBad, page.DryRun, page.Vintage)
		page.Reports = append(page.Reports, rep)
		page.Changed = page.Changed || imported
	}
	if page.Changed {
		if err := s.reload(r.Context()); err != nil {
			return err
		}
		c.Set(ctxSnapshot, s.snap.Load())
		page.basePage = s.base(c, "Upload report", "upload", "/upload")
	}
	resp, err := s.renderPage("upload", page)
	if err != nil {
		return err
	}
	resp.setCacheControl("no-store")
	e := newCachedResponse("", resp)
	e.status = page.status()
	s.write(c, e, nil, "", acceptsGzip(c.Request))
	return nil
}

// status is the status of an upload report: 200 when at least one file
// was imported, 422 Unprocessable Content when every file was refused
// (a duplicate included: nothing changed). A dry run answers 200 only
// when every file would be imported, else 422, so that a script checking
// files learns of any one that would be refused.
func (p uploadPage) status() int {
	ok := p.Changed
	if p.DryRun {
		ok = !slices.ContainsFunc(p.Reports, func(r fileReport) bool { return !r.OK })
	}
	if ok {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// signInPath and signOutPath start and end an upload session (admin.go).
const (
	signInPath  = "/upload/signin"
	signOutPath = "/upload/signout"
)

// signIn serves POST /upload/signin: given the admin token in a form that
// authorize accepts, it sets the upload session cookie and sends the
// browser back to /upload, which then shows the upload form.
func (s *Server) signIn(c *gin.Context) error {
	if err := c.Request.ParseForm(); err != nil {
		return &RequestError{Status: http.StatusBadRequest, Msg: "The sign-in form could not be read; send it again from the upload page."}
	}
	if err := s.admin.authorize(c.Request, signInPath); err != nil {
		return err
	}
	s.setSession(c, s.admin.csrfToken(sessionLabel), int(csrfTTL.Seconds()))
	return nil
}

// signOut serves POST /upload/signout: it drops the session cookie,
// when asked from a page of this site.
func (s *Server) signOut(c *gin.Context) error {
	if msg := sameSite(c.Request); msg != "" {
		return &RequestError{Status: http.StatusForbidden, Msg: msg}
	}
	s.setSession(c, "", -1)
	return nil
}

// setSession sets the session cookie to value for maxAge seconds (< 0
// deletes it) and sends the browser to /upload.
func (s *Server) setSession(c *gin.Context, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: value, Path: "/upload", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil || strings.HasPrefix(s.public, "https:")})
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, "/upload")
}

// uploadOne reads, checks and (unless dryRun) imports one file, dated
// vintage when it carries no date (see data.Options.Vintage). imported
// reports whether the store changed.
func (s *Server) uploadOne(c *gin.Context, fh *multipart.FileHeader, skipBad, dryRun bool, vintage string) (rep fileReport, imported bool) {
	rep.Name = cleanFileName(fh.Filename)
	b, err := readPart(fh)
	if err != nil {
		s.log.Error("reading uploaded file", "request_id", requestID(c), "file", rep.Name, "err", err)
		rep.Message = "not imported: the file could not be read on the server. Reference: " + requestID(c)
		return rep, false
	}
	// A dry run reads with SkipBad, as armsdash check does, to count the
	// good rows and list every bad one.
	// A zip's file may unpack to as many bytes as an upload may carry.
	// Lean: the import reads each deal once, as it writes it (see
	// data.Options.Lean).
	f, err := data.Read(rep.Name, b, data.Options{SkipBad: skipBad || dryRun, MaxUnpacked: s.admin.maxUpload, Vintage: vintage, Lean: true})
	if err != nil {
		what := "not imported"
		if dryRun {
			what = "cannot be imported"
		}
		var pes *data.ParseErrors
		var pe *data.ParseError
		switch {
		case errors.As(err, &pes):
			rep.Message = fmt.Sprintf("%s: %s", what, plural(len(pes.Errs), "bad row", "bad rows"))
			for _, e := range pes.Errs {
				rep.Rejected = append(rep.Rejected, e.Error())
			}
			if pes.Truncated {
				rep.Message += fmt.Sprintf(" (only the first %d are listed)", data.MaxParseErrors)
			}
		case errors.As(err, &pe):
			rep.Message = what + ":"
			rep.Rejected = []string{pe.Error()}
		default:
			s.log.Error("reading uploaded file", "request_id", requestID(c), "file", rep.Name, "err", err)
			rep.Message = what + ": the file could not be read. Reference: " + requestID(c)
		}
		return rep, false
	}
	rep.Unmapped = f.Unmapped
	for i, pe := range f.Skipped {
		if i == data.MaxParseErrors {
			rep.More = len(f.Skipped) - i
			break
		}
		rep.Rejected = append(rep.Rejected, pe.Error())
	}
	ctx := c.Request.Context()
	if dryRun {
		rep.Summary = fmt.Sprintf("format %s, vintage %s, %d rows read, %d rejected", f.Dataset.Format, vintageText(f.Dataset.Vintage), f.Dataset.Rows, len(f.Skipped))
		rep.OK = true
		if e, ok := s.entryBySHA(c, f.Dataset.SHA256); ok {
			rep.OK, rep.Message = false, alreadyImported(e)
		} else if len(f.Skipped) > 0 && !skipBad {
			rep.OK, rep.Message = false, "import would refuse this file (tick “skip bad rows” to import its good rows)"
		} else {
			rep.Message = "check only: nothing was written"
		}
		return rep, false
	}
	_, err = s.admin.store.Import(ctx, f)
	var dup *data.DuplicateError
	switch {
	case errors.As(err, &dup):
		e, ok := s.entryBySHA(c, f.Dataset.SHA256)
		if !ok {
			e.Dataset = dup.Existing
		}
		rep.Message = alreadyImported(e)
		return rep, false
	case err != nil:
		s.log.Error("importing uploaded file", "request_id", requestID(c), "file", rep.Name, "err", err)
		rep.Message = "not imported: the store could not save it, and nothing was changed. Reference: " + requestID(c)
		return rep, false
	}
	s.log.Info("dataset imported", "request_id", requestID(c), "dataset", f.Dataset.Name, "format", f.Dataset.Format, "rows", f.Dataset.Rows, "sha256", f.Dataset.SHA256)
	rep.OK = true
	rep.Summary = fmt.Sprintf("format %s, vintage %s, %d rows imported", f.Dataset.Format, vintageText(f.Dataset.Vintage), f.Dataset.Rows)
	return rep, true
}

// entryBySHA finds the stored dataset with the given SHA-256.
func (s *Server) entryBySHA(c *gin.Context, sha string) (data.Entry, bool) {
	es, err := s.admin.store.Entries(c.Request.Context())
	if err != nil {
		s.log.Error("listing datasets", "request_id", requestID(c), "err", err)
		return data.Entry{}, false
	}
	for _, e := range es {
		if e.SHA256 == sha {
			return e, true
		}
	}
	return data.Entry{}, false
}

// alreadyImported says that a file is in the store as e.
func alreadyImported(e data.Entry) string {
	msg := fmt.Sprintf("not imported again: already imported as “%s”", e.Name)
	if !e.ImportedAt.IsZero() {
		msg += " on " + e.ImportedAt.UTC().Format(time.DateTime) + " UTC"
	}
	return msg + fmt.Sprintf(" (format %s, sha256 %.12s); nothing changed", e.Format, e.SHA256)
}

// readPart reads an uploaded file; the body limit already bounds its size.
func readPart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// checkbox reads an HTML checkbox: absent is false, "on" (what browsers
// send), "true" or "1" is true; anything else is a 400 naming it.
func checkbox(r *http.Request, name string) (bool, error) {
	switch v := r.PostFormValue(name); v {
	case "":
		return false, nil
	case "on", "true", "1":
		return true, nil
	default:
		return false, &dashboard.InvalidParamError{Param: name, Value: dashboard.Shorten(v), Msg: fmt.Sprintf("“%s” is not a checkbox value; send on or leave it out", dashboard.Shorten(v))}
	}
}

// cleanFileName keeps the base name of an uploaded file, without control
// characters, at most 120 characters; "upload" when nothing is left.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" || name == "." || name == ".." {
		return "upload"
	}
	return name
}

// byteSize formats n bytes as MiB, KiB or bytes.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// plural writes n with the singular or plural noun: "1 bad row", "2 bad rows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/armsdash/armsdash/dashboard"
)

// Form field names of the admin forms.
const (
	fieldAdminToken = "admin_token"
	fieldCSRF       = "csrf"
)

// csrfTTL is how long a form's CSRF token stays valid.
const csrfTTL = 12 * time.Hour

// readOnlyMsg is shown when a change is asked of a server without an
// admin token.
const readOnlyMsg = "This server is read-only: uploading and removing datasets are turned off. " +
	"To enable them, restart it with -admin-token TOKEN (or the environment variable ARMSDASH_ADMIN_TOKEN), " +
	"or add files from the command line with: armsdash import -db FILE IN..."

// admin guards the pages that change the store: it holds the admin token
// and the per-process secret that signs the forms' CSRF tokens.
type admin struct {
	store     Store
	tokenHash [sha256.Size]byte // SHA-256 of the admin token
	enabled   bool              // an admin token was configured
	secret    []byte            // random per process; signs CSRF tokens
	maxUpload int64
	now       func() time.Time
}

// DefaultMaxUpload is the largest /upload body accepted when
// Config.MaxUpload is 0: 64 MiB, well above SIPRI's largest export.
const DefaultMaxUpload = 64 << 20

func newAdmin(cfg Config) admin {
	a := admin{store: cfg.Store, maxUpload: cfg.MaxUpload, now: time.Now, secret: make([]byte, 32)}
	_, _ = rand.Read(a.secret) // crypto/rand.Read never fails (Go 1.24+)
	if a.maxUpload <= 0 {
		a.maxUpload = DefaultMaxUpload
	}
	if cfg.AdminToken != "" {
		a.enabled = true
		a.tokenHash = sha256.Sum256([]byte(cfg.AdminToken))
	}
	return a
}

// writable reports whether the server accepts changes at all: it has a
// store and an admin token.
func (a *admin) writable() bool { return a.enabled && a.store != nil }

// csrfToken returns a token for a form posting to action, valid for
// csrfTTL: the issue time and an HMAC-SHA256 of action and that time.
func (a *admin) csrfToken(action string) string {
	ts := strconv.FormatInt(a.now().Unix(), 10)
	return ts + "." + a.sign(action, ts)
}

func (a *admin) sign(action, ts string) string {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte(action + "\x00" + ts))
	return hex.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether tok is a token csrfToken issued for action
// less than csrfTTL ago.
func (a *admin) validCSRF(action, tok string) bool {
	ts, mac, ok := strings.Cut(tok, ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := a.now().Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > csrfTTL {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(a.sign(action, ts)))
}

// tokenOK compares token with the admin token in constant time (both are
// hashed first, so their lengths leak nothing either).
func (a *admin) tokenOK(token string) bool {
	if !a.enabled || token == "" {
		return false
	}
	h := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(h[:], a.tokenHash[:]) == 1
}

// authorize checks a POST that changes the store and returns a 403
// *RequestError saying what is wrong, or nil. The request must
//   - reach a server with a store and an admin token;
//   - give the admin token, as "Authorization: Bearer TOKEN" or in the
//     form field admin_token;
//   - when the token came in the form (that is, from a browser), also
//     carry the form's CSRF token and come from this site (Sec-Fetch-Site,
//     else Origin, else Referer naming this host).
//
// Requests with a Bearer header need no CSRF token: browsers never add
// that header by themselves, so a forged cross-site form cannot carry it.
// The multipart form must already be parsed.
func (a *admin) authorize(r *http.Request, action string) error {
	if !a.writable() {
		return &RequestError{Status: http.StatusForbidden, Msg: readOnlyMsg}
	}
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		if a.tokenOK(strings.TrimSpace(bearer)) {
			return nil
		}
		return &RequestError{Status: http.StatusForbidden, Msg: "The admin token given in the Authorization header is wrong. Nothing was changed."}
	}
	if !a.tokenOK(r.PostFormValue(fieldAdminToken)) {
		return &RequestError{Status: http.StatusForbidden, Msg: "The admin token is missing or wrong. Nothing was changed. Enter the token the server was started with (-admin-token)."}
	}
	if !a.validCSRF(action, r.PostFormValue(fieldCSRF)) {
		return errNoCSRF
	}
	if msg := sameSite(r); msg != "" {
		return &RequestError{Status: http.StatusForbidden, Msg: msg + " Nothing was changed."}
	}
	return nil
}

// The upload session. POST /upload may carry 64 MiB, so who sends it is
// settled from its headers alone, before a byte of the body is read, and
// only then does the request get the long UploadTimeout (limits.go):
//
//   - a script gives "Authorization: Bearer TOKEN";
//   - a browser cannot put the token in a header, and a token typed into
//     the upload form would travel in the very body to be guarded. So the
//     upload page first asks for the token in a small form of its own,
//     POST /upload/signin (checked by authorize like every admin form: the
//     token, a CSRF token, same site), which sets a session cookie. The
//     cookie is an HMAC of its issue time under the per-process secret,
//     valid for csrfTTL (12 hours) or until the server restarts; it is
//     HttpOnly, SameSite=Strict, limited to /upload, and Secure when the
//     request came over TLS or Config.PublicURL is https. An upload with it must also come
//     from this site (sameSite, from headers) before its body is read,
//     and carry the form's CSRF token (checked once the form is read).
//
// Anything else is refused with 403 at once, and the connection closed
// rather than the body read.

// sessionCookie is the upload session's cookie.
const sessionCookie = "armsdash_upload"

// sessionLabel is what session cookies are signed for. It is not a path,
// so no form's CSRF token (signed for its action) is a session cookie.
const sessionLabel = "\x00upload session"

// session reports whether r carries a valid upload session cookie.
func (a *admin) session(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	return err == nil && a.validCSRF(sessionLabel, c.Value)
}

// authorizeUpload checks POST /upload from its headers alone (see above)
// and returns a 403 *RequestError saying what is wrong, or nil; session
// is true when the request rests on a session cookie, whose form must
// then carry a CSRF token.
func (a *admin) authorizeUpload(r *http.Request) (session bool, err error) {
	if !a.writable() {
		return false, &RequestError{Status: http.StatusForbidden, Msg: readOnlyMsg}
	}
	if _, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return false, a.authorize(r, "/upload") // the header decides; no form is read
	}
	if !a.session(r) {
		return false, &RequestError{Status: http.StatusForbidden, Msg: "Uploads need the admin token before anything is read: sign in on the upload page, or send the token as Authorization: Bearer TOKEN. Nothing was read or changed."}
	}
	if msg := sameSite(r); msg != "" {
		return false, &RequestError{Status: http.StatusForbidden, Msg: msg + " Nothing was read or changed."}
	}
	return true, nil
}

// errNoCSRF refuses a form without a valid CSRF token.
var errNoCSRF = &RequestError{Status: http.StatusForbidden, Msg: "The form has no valid security token (CSRF): it may be older than 12 hours, come from another site, or the server was restarted since it was loaded. Nothing was changed; reload the form and send it again."}

// sameSite returns "" when r comes from a page of this host, else why it
// is refused. Sec-Fetch-Site decides when the browser sends it; otherwise
// the Origin header, else the Referer, must name the request's host.
func sameSite(r *http.Request) string {
	if sfs := r.Header.Get("Sec-Fetch-Site"); sfs != "" {
		if sfs == "same-origin" {
			return ""
		}
		return "The form was sent from another site (Sec-Fetch-Site: " + dashboard.Shorten(sfs) + ")."
	}
	from := r.Header.Get("Origin")
	if from == "" || from == "null" {
		from = r.Header.Get("Referer")
	}
	if from == "" {
		return "The request does not say which page sent it (no Origin or Referer header), so it cannot be told apart from a forged one."
	}
	u, err := url.Parse(from)
	if err != nil || !strings.EqualFold(u.Host, r.Host) {
		return "The form was sent from another site (" + dashboard.Shorten(from) + "), not from " + dashboard.Shorten(r.Host) + "."
	}
	return ""
}

// adminForm is what a template needs to draw a form that changes the
// store: whether changes are possible and the form's CSRF token.
type adminForm struct {
	Writable bool
	HasStore bool
	CSRF     string
	ReadOnly string // readOnlyMsg when not writable
}

func (a *admin) form(action string) adminForm {
	f := adminForm{Writable: a.writable(), HasStore: a.store != nil}
	if f.Writable {
		f.CSRF = a.csrfToken(action)
	} else {
		f.ReadOnly = readOnlyMsg
	}
	return f
}

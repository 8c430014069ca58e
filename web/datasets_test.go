package web

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/armsdash/armsdash/dashboard"
	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
	"github.com/armsdash/armsdash/internal/shareddata"
)

const (
	testToken  = "s3cret-admin-token"
	excerptRel = "sipri_deliveries_by_year/excerpt.csv"
	tivRel     = "sipri_tiv_tables/china_exports_by_recipient_2000-2025.csv"
	usIndia    = "/dyad?supplier=United+States&recipient=India"
)

// storeServer is a Server over a fresh SQLite store in a temp directory.
type storeServer struct {
	*Server
	store *sqlite.Store
}

func newStoreServer(t *testing.T, token string, maxUpload int64) storeServer {
	t.Helper()
	st := sqlitetest.Open(t)
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: t.TempDir(),
		Store: st, AdminToken: token, MaxUpload: maxUpload})
	if err != nil {
		t.Fatal(err)
	}
	return storeServer{s, st}
}

// do sends req and returns the status and the body with entities decoded.
func (s storeServer) do(req *http.Request) (int, string) {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec.Code, html.UnescapeString(rec.Body.String())
}

func (s storeServer) getPage(t *testing.T, target string) (int, string) {
	t.Helper()
	return s.do(httptest.NewRequest(http.MethodGet, target, nil))
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form on page.
func (s storeServer) csrf(t *testing.T, page string) string {
	t.Helper()
	_, body := s.getPage(t, page)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field on %s", page)
	}
	return m[1]
}

// signIn signs in to uploads with the admin token, as the upload page's
// sign-in form does, and returns the session cookie.
func (s storeServer) signIn(t *testing.T) *http.Cookie {
	t.Helper()
	body := url.Values{fieldAdminToken: {testToken}, fieldCSRF: {s.csrf(t, "/upload")}}
	req := httptest.NewRequest(http.MethodPost, signInPath, strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && rec.Code == http.StatusSeeOther {
			return c
		}
	}
	t.Fatalf("sign-in: status %d, no session cookie\n%s", rec.Code, rec.Body.String())
	return nil
}

// uploadCSRF signs in and returns the CSRF token of the upload form.
func (s storeServer) uploadCSRF(t *testing.T) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/upload", nil)
	req.AddCookie(s.signIn(t))
	_, body := s.do(req)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `type="file"`) {
		t.Fatalf("no upload form once signed in:\n%s", body)
	}
	return m[1]
}

// upload is one POST /upload.
type upload struct {
	files          map[string][]byte // name → content
	fields         map[string]string
	bearer, origin string
	session        *http.Cookie
}

func (u upload) request(t *testing.T) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range u.fields {
		mw.WriteField(k, v)
	}
	for name, b := range u.files {
		w, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if u.origin != "" {
		req.Header.Set("Origin", u.origin)
	}
	if u.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+u.bearer)
	}
	if u.session != nil {
		req.AddCookie(u.session)
	}
	return req
}

func readShared(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withBadTIV returns the excerpt with the TIV delivery value of its first
// data row (line 2) changed to "12.5x".
func withBadTIV(t *testing.T, b []byte) []byte {
	t.Helper()
	lines := strings.Split(string(b), "\n")
	cells := strings.Split(lines[1], ",")
	if len(cells) < 16 {
		t.Fatalf("line 2 has %d cells", len(cells))
	}
	cells[15] = "12.5x"
	lines[1] = strings.Join(cells, ",")
	return []byte(strings.Join(lines, "\n"))
}

func storedNames(t *testing.T, st *sqlite.Store) []string {
	t.Helper()
	ds, err := st.Datasets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	return names
}

func TestUploadRefused(t *testing.T) {
	excerpt := readShared(t, excerptRel)
	files := map[string][]byte{"excerpt.csv": excerpt}
	const (
		signIn = "Uploads need the admin token before anything is read"
		csrf   = "no valid security token (CSRF)"
	)
	forged := &http.Cookie{Name: sessionCookie, Value: "1.abc"}
	for _, c := range []struct {
		name    string
		token   string // the server's
		up      upload
		session bool // sign in and send the session cookie
		csrf    bool // add a valid CSRF token of the upload form
		status  int
		want    string
	}{
		{"read-only server", "", upload{files: files, fields: map[string]string{"admin_token": testToken}, origin: "http://example.com"}, false, false,
			http.StatusForbidden, "This server is read-only"},
		{"token in the form only", testToken, upload{files: files, fields: map[string]string{"admin_token": testToken}, origin: "http://example.com"}, false, true,
			http.StatusForbidden, signIn},
		{"forged session", testToken, upload{files: files, session: forged, origin: "http://example.com"}, false, true,
			http.StatusForbidden, signIn},
		{"session, no CSRF field", testToken, upload{files: files, origin: "http://example.com"}, true, false,
			http.StatusForbidden, csrf},
		{"session, forged CSRF", testToken, upload{files: files, fields: map[string]string{"csrf": "1.abc"}, origin: "http://example.com"}, true, false,
			http.StatusForbidden, csrf},
		{"session, cross-site origin", testToken, upload{files: files, origin: "http://evil.example"}, true, true,
			http.StatusForbidden, "sent from another site"},
		{"session, no origin or referer", testToken, upload{files: files}, true, true,
			http.StatusForbidden, "no Origin or Referer header"},
		{"wrong bearer", testToken, upload{files: files, bearer: "guess"}, false, false,
			http.StatusForbidden, "Authorization header is wrong"},
		{"bad checkbox", testToken, upload{files: files, bearer: testToken, fields: map[string]string{"dry_run": "maybe"}}, false, false,
			http.StatusBadRequest, "Parameter dry_run: “maybe”"},
		{"no file", testToken, upload{bearer: testToken}, false, false,
			http.StatusBadRequest, "Parameter file: no file was sent"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStoreServer(t, c.token, 0)
			if c.session {
				c.up.session = s.signIn(t)
			}
			if c.csrf {
				c.up.fields = map[string]string{"admin_token": testToken, "csrf": s.uploadCSRF(t)}
			}
			code, body := s.do(c.up.request(t))
			if code != c.status || !strings.Contains(body, c.want) {
				t.Errorf("status %d, want %d with %q; body:\n%s", code, c.status, c.want, body)
			}
			if names := storedNames(t, s.store); len(names) != 0 {
				t.Errorf("store holds %v after a refused upload", names)
			}
			if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
				t.Error("page shows Go internals")
			}
		})
	}
}

// TestUploadSignIn checks the sign-in form of the upload page, the
// session cookie it sets, the form shown with and without it, and
// signing out.
func TestUploadSignIn(t *testing.T) {
	s := newStoreServer(t, testToken, 0)
	_, page := s.getPage(t, "/upload")
	if !strings.Contains(page, `action="/upload/signin"`) || !strings.Contains(page, `name="admin_token"`) || strings.Contains(page, `type="file"`) {
		t.Errorf("/upload before signing in does not show the sign-in form alone:\n%s", page)
	}
	post := func(path string, form url.Values, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	tok := s.csrf(t, "/upload")
	for _, c := range []struct {
		name   string
		form   url.Values
		origin string
		want   string
	}{
		{"wrong token", url.Values{"admin_token": {"guess"}, "csrf": {tok}}, "http://example.com", "admin token is missing or wrong"},
		{"no CSRF", url.Values{"admin_token": {testToken}}, "http://example.com", "no valid security token (CSRF)"},
		{"upload form's CSRF", url.Values{"admin_token": {testToken}, "csrf": {s.uploadCSRF(t)}}, "http://example.com", "no valid security token (CSRF)"},
		{"cross-site", url.Values{"admin_token": {testToken}, "csrf": {tok}}, "http://evil.example", "sent from another site"},
	} {
		rec := post(signInPath, c.form, c.origin)
		if rec.Code != http.StatusForbidden || !strings.Contains(html.UnescapeString(rec.Body.String()), c.want) || len(rec.Result().Cookies()) != 0 {
			t.Errorf("sign-in, %s: status %d, cookies %v; want 403 saying %q and no cookie", c.name, rec.Code, rec.Result().Cookies(), c.want)
		}
	}
	rec := post(signInPath, url.Values{"admin_token": {testToken}, "csrf": {tok}}, "http://example.com")
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/upload" || len(cookies) != 1 {
		t.Fatalf("sign-in: status %d, Location %q, cookies %v", rec.Code, rec.Header().Get("Location"), cookies)
	}
	if c := cookies[0]; c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/upload" || c.MaxAge != int(csrfTTL.Seconds()) {
		t.Errorf("session cookie %+v; want HttpOnly, SameSite=Strict, Path=/upload, Max-Age 12 hours", c)
	}
	req := httptest.NewRequest(http.MethodGet, "/upload", nil)
	req.AddCookie(cookies[0])
	if _, page := s.do(req); !strings.Contains(page, `type="file"`) || strings.Contains(page, `name="admin_token"`) || !strings.Contains(page, "Sign out") {
		t.Errorf("/upload once signed in does not show the upload form without a token field:\n%s", page)
	}
	if rec := post(signOutPath, nil, "http://evil.example"); rec.Code != http.StatusForbidden {
		t.Errorf("sign-out from another site: status %d, want 403", rec.Code)
	}
	rec = post(signOutPath, nil, "http://example.com")
	if cs := rec.Result().Cookies(); rec.Code != http.StatusSeeOther || len(cs) != 1 || cs[0].Name != sessionCookie || cs[0].MaxAge >= 0 {
		t.Errorf("sign-out: status %d, cookies %v; want 303 deleting the session cookie", rec.Code, cs)
	}
}

func TestUploadReadOnlyPage(t *testing.T) {
	s := newStoreServer(t, "", 0)
	code, body := s.getPage(t, "/upload")
	if code != http.StatusOK || !strings.Contains(body, "This server is read-only") || !strings.Contains(body, "-admin-token") ||
		!strings.Contains(body, "armsdash import") || strings.Contains(body, `type="file"`) {
		t.Errorf("GET /upload on a read-only server: %d\n%s", code, body)
	}
	if _, body := s.getPage(t, "/datasets"); strings.Contains(body, "Remove</button>") {
		t.Error("read-only /datasets offers a Remove button")
	}
}

func TestUploadImportsAndSwapsSnapshot(t *testing.T) {
	excerpt := readShared(t, excerptRel)
	s := newStoreServer(t, testToken, 0)
	if code, body := s.getPage(t, usIndia); code != http.StatusOK || strings.Contains(body, "United States → India") || !strings.Contains(body, "no data for “India” as recipient") {
		t.Fatalf("before upload: %s is %d; want the default pair with a notice (the built-in extract holds only Pakistan's imports)", usIndia, code)
	}
	before := s.Snapshot()
	session := s.signIn(t)
	form := func(extra map[string]string) upload {
		f := map[string]string{"csrf": s.uploadCSRF(t)}
		for k, v := range extra {
			f[k] = v
		}
		return upload{files: map[string][]byte{"excerpt.csv": excerpt}, fields: f, origin: "http://example.com", session: session}
	}

	t.Run("dry run writes nothing", func(t *testing.T) {
		code, body := s.do(form(map[string]string{"dry_run": "on"}).request(t))
		for _, want := range []string{"Check only (dry run)", "excerpt.csv: format sipri-deliveries, vintage undated, 60 rows read, 0 rejected", "nothing was written"} {
			if !strings.Contains(body, want) {
				t.Errorf("dry run report lacks %q", want)
			}
		}
		if code != http.StatusOK || len(storedNames(t, s.store)) != 0 || s.Snapshot() != before {
			t.Errorf("dry run: status %d, store %v, snapshot changed %v", code, storedNames(t, s.store), s.Snapshot() != before)
		}
	})
	t.Run("import", func(t *testing.T) {
		code, body := s.do(form(nil).request(t))
		if code != http.StatusOK || !strings.Contains(body, "excerpt.csv: format sipri-deliveries, vintage undated, 60 rows imported") {
			t.Fatalf("status %d\n%s", code, body)
		}
		if s.Snapshot().Builtin || !strings.Contains(body, s.Snapshot().Version) {
			t.Error("snapshot not swapped, or the report does not name the new version")
		}
		if code, body := s.getPage(t, usIndia); code != http.StatusOK || !strings.Contains(body, "United States → India") {
			t.Errorf("after upload: %s is %d", usIndia, code)
		}
	})
	t.Run("duplicate", func(t *testing.T) {
		v := s.Snapshot()
		code, body := s.do(form(nil).request(t))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "already imported as “excerpt.csv” on ") || !strings.Contains(body, "nothing changed") {
			t.Errorf("status %d\n%s", code, body)
		}
		if s.Snapshot() != v || len(storedNames(t, s.store)) != 1 {
			t.Error("a duplicate changed the store or the snapshot")
		}
	})
	t.Run("bearer token needs no form", func(t *testing.T) {
		up := upload{files: map[string][]byte{"again.csv": excerpt}, bearer: testToken, fields: map[string]string{"dry_run": "on"}}
		if code, body := s.do(up.request(t)); code != http.StatusUnprocessableEntity || !strings.Contains(body, "already imported as “excerpt.csv”") {
			t.Errorf("status %d\n%s", code, body)
		}
	})
	t.Run("datasets page", func(t *testing.T) {
		code, body := s.getPage(t, "/datasets")
		for _, want := range []string{"excerpt.csv", "sipri-deliveries", "undated", "default for charts", "complete for every pair", "Remove</button>", `name="csrf"`} {
			if !strings.Contains(body, want) {
				t.Errorf("/datasets lacks %q", want)
			}
		}
		if code != http.StatusOK {
			t.Errorf("status %d", code)
		}
	})
	t.Run("remove reverts to built-in", func(t *testing.T) {
		sha := s.Snapshot().Datasets[0].SHA256
		tok := s.csrf(t, "/datasets")
		post := func(fields string) (int, string) {
			req := httptest.NewRequest(http.MethodPost, "/datasets/remove", strings.NewReader(fields))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Referer", "http://example.com/datasets")
			return s.do(req)
		}
		if code, _ := post("dataset=" + sha[:16] + "&admin_token=" + testToken); code != http.StatusForbidden {
			t.Errorf("remove without CSRF: %d, want 403", code)
		}
		if code, body := post("dataset=zz&csrf=" + tok + "&admin_token=" + testToken); code != http.StatusBadRequest || !strings.Contains(body, "Parameter dataset: “zz”") {
			t.Errorf("remove of a bad key: %d", code)
		}
		code, body := post("dataset=" + sha[:16] + "&csrf=" + tok + "&admin_token=" + testToken)
		if code != http.StatusOK || !strings.Contains(body, "Removed “excerpt.csv”") || !strings.Contains(body, "built-in dataset again") {
			t.Errorf("remove: %d\n%s", code, body)
		}
		if !s.Snapshot().Builtin || len(storedNames(t, s.store)) != 0 {
			t.Error("after removing the only dataset the snapshot is not the built-in one")
		}
		if code, body := s.getPage(t, usIndia); code != http.StatusOK || strings.Contains(body, "United States → India") {
			t.Errorf("after removal %s is %d; want the default pair", usIndia, code)
		}
	})
}

func TestUploadBadFile(t *testing.T) {
	bad := withBadTIV(t, readShared(t, excerptRel))
	s := newStoreServer(t, testToken, 0)
	for _, c := range []struct {
		name, skip string
		want       []string
		status     int
		stored     int
	}{
		{"refused", "", []string{"bad.csv: not imported: 1 bad row", `bad.csv:2: column 16 "TIV delivery values": `, "12.5x"}, http.StatusUnprocessableEntity, 0},
		{"skip bad rows", "on", []string{"bad.csv: format sipri-deliveries, vintage undated, 59 rows imported", "Skipped rows (1)", `bad.csv:2: column 16 "TIV delivery values"`}, http.StatusOK, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			up := upload{files: map[string][]byte{"bad.csv": bad}, bearer: testToken, fields: map[string]string{"skip_bad": c.skip}}
			code, body := s.do(up.request(t))
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if n := len(storedNames(t, s.store)); code != c.status || n != c.stored {
				t.Errorf("status %d, %d datasets stored, want %d and %d\n%s", code, n, c.status, c.stored, body)
			}
		})
	}
}

// TestUploadVintage checks the upload form's vintage field: it dates a
// TIV table without its preamble, which is otherwise stored undated, and
// a value not written YYYY-MM-DD is a 400 naming the field, with nothing
// stored.
func TestUploadVintage(t *testing.T) {
	bare, err := os.ReadFile("../data/testdata/tiv_old_bare.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, vintage, want string
		status              int
	}{
		{"none given", "", "bare.csv: format sipri-tiv-table-old, vintage undated, 22 rows imported", http.StatusOK},
		{"given", "2024-03-11", "bare.csv: format sipri-tiv-table-old, vintage 2024-03-11, 22 rows imported", http.StatusOK},
		{"not a date", "March 2024", `Parameter vintage: vintage "March 2024" is not a date written YYYY-MM-DD`, http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStoreServer(t, testToken, 0)
			up := upload{files: map[string][]byte{"bare.csv": bare}, bearer: testToken, fields: map[string]string{"vintage": c.vintage}}
			code, body := s.do(up.request(t))
			if code != c.status || !strings.Contains(body, c.want) {
				t.Fatalf("status %d, want %d with %q\n%s", code, c.status, c.want, body)
			}
			ds, err := s.store.Datasets(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if c.status != http.StatusOK {
				if len(ds) != 0 {
					t.Errorf("%d datasets stored after a bad vintage", len(ds))
				}
				return
			}
			if len(ds) != 1 || ds[0].Vintage != c.vintage {
				t.Errorf("stored %+v; want vintage %q", ds, c.vintage)
			}
			// Every page names the vintage: the datasets page lists it.
			if _, page := s.getPage(t, "/datasets"); !strings.Contains(page, dashboard.VintageText(c.vintage)) {
				t.Errorf("/datasets does not show the vintage %q", dashboard.VintageText(c.vintage))
			}
		})
	}
}

func TestUploadTooLarge(t *testing.T) {
	s := newStoreServer(t, testToken, 1024)
	up := upload{files: map[string][]byte{"excerpt.csv": readShared(t, excerptRel)}, bearer: testToken}
	code, body := s.do(up.request(t))
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "larger than this server's limit of 1 KiB") {
		t.Errorf("status %d\n%s", code, body)
	}
	if len(storedNames(t, s.store)) != 0 {
		t.Error("an oversize upload was stored")
	}
}

func TestDyadDataset(t *testing.T) {
	s := newStoreServer(t, testToken, 0)
	up := upload{files: map[string][]byte{
		"excerpt.csv":   readShared(t, excerptRel),
		"china_tiv.csv": readShared(t, tivRel),
	}, bearer: testToken}
	if code, body := s.do(up.request(t)); code != http.StatusOK || strings.Count(body, "rows imported") != 2 {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	for _, c := range []struct {
		name, target string
		status       int
		want, not    []string
	}{
		{"unknown", "/dyad?dataset=unknown", http.StatusOK,
			[]string{"Parameter dataset: no dataset “unknown”", "Showing the preferred one."}, nil},
		{"unknown csv", "/dyad/tiv.csv?dataset=%3Cb%3E", http.StatusBadRequest, []string{"no dataset “<b>”", "Datasets with yearly arms transfers", "excerpt.csv", "china_tiv.csv"}, nil},
		{"listing by name", "/dyad?dataset=excerpt.csv&supplier=Russia&recipient=India", http.StatusOK,
			[]string{"Russia → India", "dataset <code>excerpt.csv</code>", "SIPRI Arms Transfers Database (undated)"}, []string{".csv?dataset=excerpt.csv", "/dyad?dataset=excerpt.csv"}}, // only the pinned embed names the default set
		{"pair without deliveries", "/dyad?dataset=excerpt.csv&supplier=United+States&recipient=India", http.StatusOK,
			[]string{"United States → India", "SIPRI records no deliveries of major arms from United States to India in"}, []string{`id="chart-dyad-tiv"`}},
		{"TIV table", "/dyad?dataset=china_tiv.csv&supplier=China&recipient=Pakistan", http.StatusOK,
			[]string{"dataset <code>china_tiv.csv</code>", "generated 2026-07-14", "dataset=china_tiv.csv",
				"China's share of Pakistan's imports is n/a", "Pakistan's imports from all suppliers are n/a"}, nil},
		{"TIV table other recipient", "/dyad?dataset=china_tiv.csv&supplier=China&recipient=Myanmar", http.StatusOK, []string{"China → Myanmar"}, nil},
		{"TIV table CSV", "/dyad/shares.csv?dataset=china_tiv.csv&supplier=China&recipient=Pakistan", http.StatusOK, []string{"China's share of Pakistan's imports"}, nil},
		{"TIV table has one supplier", "/dyad?dataset=china_tiv.csv&supplier=Russia&recipient=India", http.StatusOK, []string{"Parameter supplier: no data for “Russia” as supplier", "Showing China."}, nil},
		{"TIV table CSV of another supplier", "/dyad/tiv.csv?dataset=china_tiv.csv&supplier=Russia&recipient=India", http.StatusBadRequest, []string{"Parameter supplier: no data for “Russia” as supplier"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body := s.getPage(t, c.target)
			if code != c.status {
				t.Errorf("status %d, want %d\n%s", code, c.status, body)
			}
			checkContains(t, body, c.want, c.not)
		})
	}
}

func TestCSRFToken(t *testing.T) {
	a := newAdmin(Config{AdminToken: testToken, Store: &sqlite.Store{}})
	tok := a.csrfToken("/upload")
	for _, c := range []struct {
		name, action, tok string
		want              bool
	}{
		{"valid", "/upload", tok, true},
		{"other form", "/datasets/remove", tok, false},
		{"tampered", "/upload", tok + "0", false},
		{"empty", "/upload", "", false},
		{"no dot", "/upload", "abc", false},
	} {
		if got := a.validCSRF(c.action, c.tok); got != c.want {
			t.Errorf("%s: validCSRF = %v, want %v", c.name, got, c.want)
		}
	}
	other := newAdmin(Config{AdminToken: testToken})
	if other.validCSRF("/upload", tok) {
		t.Error("a token from another process (secret) is accepted")
	}
	if !a.tokenOK(testToken) || a.tokenOK(testToken+"x") || a.tokenOK("") {
		t.Error("tokenOK")
	}
}

// TestDatasetsPageUses checks that /datasets says which page shows each
// dataset without yearly flows: trade registers (the preferred one and the
// others, by register=), WDI files and event lists.
func TestDatasetsPageUses(t *testing.T) {
	h := dealsServer(t, dealsFlows, smallRegister, legacyRegister, "testdata/wdi_arms_imports.csv", "../testdata/hostile/events_hostile.csv")
	_, body := getOK(t, h, "/datasets")
	rows := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr>\s*<th scope="row">([^<]*)</th>(.*?)</tr>`).FindAllStringSubmatch(body, -1) {
		rows[text(m[1])] = text(m[2])
	}
	for name, want := range map[string]string{
		"sipri_china_pakistan.csv":  "default for charts",
		"register_small_cp1252.csv": "deals table of dyad pages</td>",
		"register_legacy_small.csv": "deals table of dyad pages, with register=register_legacy_small.csv",
		"wdi_arms_imports.csv":      "World Bank WDI chart of country pages</td>",
		"events_hostile.csv":        "events page, event timelines and markers",
	} {
		if row, ok := rows[name]; !ok || !strings.Contains(row, want) {
			t.Errorf("/datasets row of %s says %q; want %q", name, row, want)
		}
	}
}

// TestUploadStatus checks the status of the upload report: 200 when at
// least one file was imported, 422 when every file was refused (a bad
// file, a duplicate); a dry run answers 200 only when every file would
// be imported, else 422.
func TestUploadStatus(t *testing.T) {
	excerpt := readShared(t, excerptRel)
	bad := withBadTIV(t, excerpt)
	for _, c := range []struct {
		name   string
		before map[string][]byte // imported first
		files  map[string][]byte
		dryRun bool
		status int
		stored int
	}{
		{"one file imported", nil, map[string][]byte{"excerpt.csv": excerpt}, false, http.StatusOK, 1},
		{"one imported, one refused", nil, map[string][]byte{"excerpt.csv": excerpt, "bad.csv": bad}, false, http.StatusOK, 1},
		{"every file refused", nil, map[string][]byte{"bad.csv": bad, "empty.csv": nil}, false, http.StatusUnprocessableEntity, 0},
		{"duplicate", map[string][]byte{"excerpt.csv": excerpt}, map[string][]byte{"again.csv": excerpt}, false, http.StatusUnprocessableEntity, 1},
		{"dry run, all good", nil, map[string][]byte{"excerpt.csv": excerpt}, true, http.StatusOK, 0},
		{"dry run, one bad", nil, map[string][]byte{"excerpt.csv": excerpt, "bad.csv": bad}, true, http.StatusUnprocessableEntity, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newStoreServer(t, testToken, 0)
			if c.before != nil {
				if code, body := s.do(upload{files: c.before, bearer: testToken}.request(t)); code != http.StatusOK {
					t.Fatalf("first upload: status %d\n%s", code, body)
				}
			}
			up := upload{files: c.files, bearer: testToken}
			if c.dryRun {
				up.fields = map[string]string{"dry_run": "on"}
			}
			code, body := s.do(up.request(t))
			if n := len(storedNames(t, s.store)); code != c.status || n != c.stored || !strings.Contains(body, "Upload report") {
				t.Errorf("status %d, %d datasets stored; want %d and %d, with the report\n%s", code, n, c.status, c.stored, body)
			}
		})
	}
}

// TestUploadZipLimitIsMaxUpload uploads zips whose one file unpacks to
// more than the server's -max-upload, and to more than the 64 MiB
// default under a larger -max-upload: the unpacked size is bounded by
// -max-upload, as armsdash import bounds it by -max-size.
func TestUploadZipLimitIsMaxUpload(t *testing.T) {
	events, err := os.ReadFile(hostileFixtures[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		maxUpload int64
		unpacked  int
		want      string
	}{
		{"over a small -max-upload", 64 << 10, 100 << 10, "unpacks to more than 65536 bytes"},
		{"over the default, within -max-upload", 80 << 20, 65 << 20, "is a events file, not a GDELT export"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if raceEnabled && c.unpacked > 1<<20 {
				t.Skip("zipping and reading 65 MiB takes half a minute under the race detector; run without -race")
			}
			// An events CSV padded with blank lines: a valid zip of one
			// file that is not a GDELT export, so the report says how far
			// reading got.
			var zbuf bytes.Buffer
			zw := zip.NewWriter(&zbuf)
			w, err := zw.Create("events.csv")
			if err != nil {
				t.Fatal(err)
			}
			w.Write(events)
			w.Write(bytes.Repeat([]byte("\n"), c.unpacked-len(events)))
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			s := newStoreServer(t, testToken, c.maxUpload)
			up := upload{files: map[string][]byte{"events.zip": zbuf.Bytes()}, bearer: testToken, fields: map[string]string{"dry_run": "on"}}
			if code, body := s.do(up.request(t)); !strings.Contains(body, c.want) {
				t.Errorf("status %d; want the report to say %q\n%s", code, c.want, body)
			}
		})
	}
}

package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/armsdash/armsdash/data/sqlite"
	"github.com/armsdash/armsdash/data/sqlite/sqlitetest"
)

// hostileNames are the country, weapon and event names of the fixtures in
// testdata/hostile: each would run script, evaluate a template, become a
// formula or code if it reached its output unescaped.
var hostileNames = []string{
	`</script><img src=x onerror=alert(1)>`,
	`{{.}}`,
	`=HYPERLINK("http://x")`,
	`__f__alert(1)__f__`,
	`"><svg onload=alert(1)>`,
	`javascript:alert(1)`,
}

// hostileFixtures are the fixture files, relative to this package.
var hostileFixtures = []string{"../testdata/hostile/deliveries_hostile.csv", "../testdata/hostile/events_hostile.csv"}

// hostileStore imports the hostile fixtures into a new SQLite store.
func hostileStore(t testing.TB) *sqlite.Store {
	t.Helper()
	return sqlitetest.Imported(t, hostileFixtures...)
}

// newHostileServer serves the hostile store read-only.
func newHostileServer(t testing.TB) *Server {
	t.Helper()
	return serveStore(t, hostileStore(t))
}

// hostileTargets lists a URL for every page and every chart form, with
// hostile names as the countries asked for.
func hostileTargets() []string {
	targets := []string{"/", "/events", "/events/types.csv", "/events/types.svg", "/events/types.png", "/embed/events/types",
		"/sources", "/network", "/network?from=2015&to=2019", "/datasets", "/upload", "/dyad"}
	n := len(hostileNames)
	for i, a := range hostileNames {
		b := hostileNames[(i+1)%n]
		dq := url.Values{"supplier": {a}, "recipient": {b}, "from": {"2015"}, "to": {"2019"}}.Encode()
		for _, p := range []string{"/dyad", "/dyad/tiv.csv", "/dyad/shares.csv", "/dyad/events.csv",
			"/dyad/tiv.svg", "/dyad/shares.svg", "/dyad/events.svg", "/dyad/tiv.png",
			"/embed/dyad/tiv", "/embed/dyad/shares", "/embed/dyad/events", "/api/v1/shares",
			"/dyad/breakdown.data.csv", "/dyad/breakdown.svg", "/api/v1/breakdown"} {
			targets = append(targets, p+"?"+dq)
		}
		cq := url.Values{"name": {a}}.Encode()
		targets = append(targets, "/country?"+cq, "/country/imports.csv?"+cq, "/country/exports.csv?"+cq,
			"/country/exports-breakdown.data.csv?"+cq, "/api/v1/breakdown?"+url.Values{"supplier": {a}, "from": {"2015"}, "to": {"2019"}, "by": {"status"}}.Encode(),
			"/events?"+url.Values{"country": {a}}.Encode(),
			"/events?"+url.Values{"country": {a}, "type": {a}, "from": {a}}.Encode(),
			"/api/v1/rankings?"+url.Values{"recipient": {a}}.Encode(),
			"/api/v1/rankings?"+url.Values{"supplier": {a}, "top": {a}}.Encode(),
			// Error pages: the name asked for and the known names listed.
			"/dyad?"+url.Values{"supplier": {a}, "recipient": {"Atlantis"}}.Encode(),
			"/dyad?"+url.Values{"supplier": {"Atlantis " + a}, "recipient": {b}}.Encode(),
			"/dyad?"+url.Values{"supplier": {a}, "recipient": {b}, "from": {a}}.Encode(),
			"/dyad/tiv.svg?"+url.Values{"supplier": {a}, "recipient": {b}, "w": {a}}.Encode(),
			"/api/v1/shares?"+url.Values{"supplier": {"Atlantis " + a}, "recipient": {b}}.Encode(),
			"/"+url.PathEscape(a),
		)
	}
	return targets
}

// TestHostileNamesInert serves a store whose every name is an injection
// payload and checks each response form: HTML (markup, attributes, inline
// scripts), CSV, JSON and SVG. A payload must only ever appear as text.
func TestHostileNamesInert(t *testing.T) {
	h := newHostileServer(t).Handler()
	seen := map[string]bool{} // content types checked
	shown := 0                // responses in which a payload appears
	for _, target := range hostileTargets() {
		res, body := get(t, h, target)
		if res.StatusCode >= 500 {
			t.Errorf("GET %s: status %d", target, res.StatusCode)
			continue
		}
		ct, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
		seen[ct] = true
		for _, p := range hostileNames {
			if strings.Contains(text(body), p) || strings.Contains(body, jsonString(p)) {
				shown++
				break
			}
		}
		var err error
		switch ct {
		case "text/html":
			err = checkHTML(body, res.Header.Get("Content-Security-Policy"))
		case "text/csv":
			err = checkCSV(body)
		case "application/json":
			err = checkJSON(body)
		case "image/svg+xml":
			err = checkSVG(body)
		case "image/png":
			if !strings.HasPrefix(body, "\x89PNG") {
				err = errors.New("not a PNG")
			}
		default:
			err = fmt.Errorf("unexpected Content-Type %q", ct)
		}
		if err != nil {
			t.Errorf("GET %s (status %d): %v", target, res.StatusCode, err)
		}
	}
	for _, ct := range []string{"text/html", "text/csv", "application/json", "image/svg+xml", "image/png"} {
		if !seen[ct] {
			t.Errorf("no %s response was checked", ct)
		}
	}
	if shown < len(hostileNames)*5 {
		t.Errorf("payloads appear in only %d responses: the fixtures do not reach the pages", shown)
	}
}

// jsonString is s as encoding/json writes it, without the quotes.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// checkHTML parses body as a browser would and reports markup that could
// run script: an element other than ours (img, svg, iframe, object,
// embed), any on* attribute, a javascript: URL, an inline script other
// than a JSON data block (the pages run only their static script files),
// a script from elsewhere than the dashboard or the pinned CDN, script
// text calling alert outside a string, or a CSP that lets inline scripts
// run.
func checkHTML(body, csp string) error {
	if src, _, _ := strings.Cut(strings.SplitN(csp, "script-src", 2)[len(strings.SplitN(csp, "script-src", 2))-1], ";"); strings.Contains(src, "'unsafe-inline'") || strings.Contains(src, "'nonce-") {
		return fmt.Errorf("the CSP lets inline scripts run: %q", csp)
	}
	z := html.NewTokenizer(strings.NewReader(body))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return nil
			}
			return z.Err()
		case html.TextToken:
			if inScript {
				if err := checkScript(string(z.Text())); err != nil {
					return err
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" {
				inScript = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "iframe": // the embed preview frames our own /embed pages only
				if src := attr(t, "src"); !strings.HasPrefix(src, "/embed/") {
					return fmt.Errorf("<iframe> of %q in the page", src)
				}
			case "img", "source":
				// A chart's server-drawn image: only from the dashboard itself.
				for _, k := range []string{"src", "srcset"} {
					if v, ok := attrOK(t, k); ok && (!strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//")) {
						return fmt.Errorf("<%s> %s=%q is not a path on the dashboard", t.Data, k, v)
					}
				}
			case "svg", "object", "embed", "base":
				return fmt.Errorf("element <%s> in the page: %s", t.Data, t.String())
			case "script":
				inScript = tt == html.StartTagToken
				src, typ := attr(t, "src"), attr(t, "type")
				switch {
				case src == "" && typ != "application/json":
					return fmt.Errorf("inline script: %s", t.String())
				case src != "" && !strings.HasPrefix(src, "/static/") && !strings.HasPrefix(src, "https://cdn.jsdelivr.net/"):
					return fmt.Errorf("script from %q", src)
				}
			}
			for _, a := range t.Attr {
				if strings.HasPrefix(a.Key, "on") {
					return fmt.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, t.Data)
				}
				if v := strings.ToLower(strings.TrimSpace(a.Val)); (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") && strings.HasPrefix(v, "javascript:") {
					return fmt.Errorf("javascript: URL in %s of <%s>", a.Key, t.Data)
				}
				if strings.Contains(a.Key, "<") || strings.Contains(a.Key, "\"") {
					return fmt.Errorf("attribute name %q: markup broke out of a value", a.Key)
				}
			}
		}
	}
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// checkScript reports a call of alert, or a "__f__" marker, outside a JS
// string literal in an inline script: the payloads must stay data.
// attrOK returns attribute k of t and whether t has it.
func attrOK(t html.Token, k string) (string, bool) {
	for _, a := range t.Attr {
		if a.Key == k {
			return a.Val, true
		}
	}
	return "", false
}

func checkScript(js string) error {
	var quote byte
	for i := 0; i < len(js); i++ {
		c := js[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case strings.HasPrefix(js[i:], "alert("), strings.HasPrefix(js[i:], "__f__"):
			return fmt.Errorf("script code outside a string: %q", js[max(0, i-40):min(len(js), i+40)])
		}
	}
	return nil
}

// checkCSV reports a CSV that does not parse, or a cell a spreadsheet
// would run as a formula.
func checkCSV(body string) error {
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(cell, 64); err != nil {
				return fmt.Errorf("cell %q would be a formula", cell)
			}
		}
	}
	return nil
}

// checkJSON reports invalid JSON, or a raw "<" that could close a script
// element if the JSON were ever inlined.
func checkJSON(body string) error {
	if !json.Valid([]byte(body)) {
		return errors.New("invalid JSON")
	}
	if strings.ContainsAny(body, "<>") {
		return errors.New("JSON holds a raw < or >")
	}
	return nil
}

// checkSVG parses body as XML and reports scripts, foreign content,
// event handlers and javascript: links.
func checkSVG(body string) error {
	d := xml.NewDecoder(strings.NewReader(body))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("SVG is not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch strings.ToLower(se.Name.Local) {
		case "script", "foreignobject", "img", "iframe", "a":
			return fmt.Errorf("element <%s> in the SVG", se.Name.Local)
		}
		for _, a := range se.Attr {
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
				return fmt.Errorf("event handler %s on <%s>", a.Name.Local, se.Name.Local)
			}
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
				return fmt.Errorf("javascript: URL in %s", a.Name.Local)
			}
		}
	}
}

// TestHostileCheckers makes sure the checkers above catch what they are
// for, so a pass of TestHostileNamesInert means something.
func TestHostileCheckers(t *testing.T) {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"foreign iframe", checkHTML(`<iframe src="https://evil.example/"></iframe>`, csp)},
		{"raw img", checkHTML(`<p></script><img src=x onerror=alert(1)></p>`, csp)},
		{"attribute breakout", checkHTML(`<input value=""><svg onload=alert(1)>">`, csp)},
		{"javascript href", checkHTML(`<a href="javascript:alert(1)">x</a>`, csp)},
		{"inline script", checkHTML(`<script>var a = 1;</script>`, csp)},
		{"code in a data block", checkHTML(`<script type="application/json">{"n": "x"}; alert(1)</script>`, csp)},
		{"__f__ turned into code", checkHTML(`<script type="application/json">{"f": __f__alert(1)__f__}</script>`, csp)},
		{"foreign script", checkHTML(`<script src="https://evil.example/x.js"></script>`, csp)},
		{"inline scripts allowed", checkHTML(`<p>x</p>`, "script-src 'self' 'unsafe-inline'")},
		{"formula cell", checkCSV("a,b\n\"=HYPERLINK(\"\"http://x\"\")\",1\n")},
		{"raw < in JSON", checkJSON(`{"a": "</script>"}`)},
		{"script in SVG", checkSVG(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		{"onload in SVG", checkSVG(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`)},
	} {
		if tc.err == nil {
			t.Errorf("%s: not caught", tc.name)
		}
	}
	for name, err := range map[string]error{
		"escaped text":     checkHTML(`<p>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p><script type="application/json">{"n": "\u003c/script\u003e alert(1) __f__"}</script>`, csp),
		"defused formula":  checkCSV("a,b\n\"'=HYPERLINK(\"\"http://x\"\")\",-1.5\n"),
		"escaped JSON":     checkJSON(`{"a": "\u003c/script\u003e"}`),
		"text in SVG":      checkSVG(`<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;script&gt;alert(1)</text></svg>`),
		"scripts with src": checkHTML(`<script src="/static/echarts.0123456789ab.min.js" defer></script><script src="https://cdn.jsdelivr.net/npm/echarts@6.1.0/dist/echarts.min.js"></script>`, csp),
	} {
		if err != nil {
			t.Errorf("%s: flagged: %v", name, err)
		}
	}
}

// TestLimits checks that over-long URLs and bodies get a clear 4xx, and
// that the bounds on years, sizes and counts hold.
func TestLimits(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	long := strings.Repeat("a", MaxQueryBytes)
	for _, tc := range []struct {
		method, target string
		body           string
		status         int
		want           string // in the body
	}{
		{"GET", "/dyad?supplier=" + long, "", http.StatusRequestURITooLong, "at most 4096"},
		{"GET", "/api/v1/shares?supplier=" + long, "", http.StatusRequestURITooLong, `"error"`},
		{"GET", "/" + strings.Repeat("p", MaxPathBytes+1), "", http.StatusRequestURITooLong, "path"},
		{"GET", "/dyad/tiv.csv?from=1949", "", http.StatusBadRequest, "Parameter from"},
		{"GET", "/dyad/shares.json?to=2101", "", http.StatusBadRequest, "Parameter to"},
		{"GET", "/dyad/tiv.zip?from=99999999999999999999", "", http.StatusBadRequest, "Parameter from"},
		{"GET", "/dyad?from=1949", "", http.StatusOK, "Parameter from: 1949 is outside 1950–2100"},
		{"GET", "/dyad/tiv.png?w=100000", "", http.StatusBadRequest, "Parameter w"},
		{"GET", "/dyad/tiv.svg?h=-1", "", http.StatusBadRequest, "Parameter h"},
		{"GET", "/api/v1/rankings?recipient=Pakistan&from=1995&to=2024&top=1000000", "", http.StatusBadRequest, "top"},
		{"POST", "/datasets/remove", "dataset=" + strings.Repeat("0", maxFormBody+1), http.StatusRequestEntityTooLarge, "at most 64 KiB"},
		{"POST", "/upload", strings.Repeat("x", 1000), http.StatusForbidden, "read-only"},
		{"POST", "/dyad", "x", http.StatusMethodNotAllowed, "POST"},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status || !strings.Contains(text(rec.Body.String()), tc.want) {
			t.Errorf("%s %.60s: status %d, want %d with %q; body:\n%.300s", tc.method, tc.target, rec.Code, tc.status, tc.want, rec.Body.String())
		}
	}
}

// serveLoopback serves h on 127.0.0.1 until the test ends and returns
// its address. readTimeout is the server's ReadTimeout and
// ReadHeaderTimeout; 0 means none, so that a busy machine cannot make the
// server drop a connection whose request it has not yet read.
func serveLoopback(t *testing.T, h http.Handler, readTimeout time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: readTimeout, ReadTimeout: readTimeout}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// TestUploadDeadline serves with a 300 ms ReadTimeout, as a short version
// of the real server's, and sends an upload that takes over a second to
// arrive: an upload with the admin token gets /upload's own deadline and
// its report, while the same slow body to another POST is cut off by the
// ReadTimeout.
func TestUploadDeadline(t *testing.T) {
	s := newStoreServer(t, testToken, 0)
	addr := serveLoopback(t, s.Handler(), 300*time.Millisecond)

	events, err := os.ReadFile(hostileFixtures[1])
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField(fieldDryRun, "on")
	fw, _ := mw.CreateFormFile(fieldFile, "events.csv")
	fw.Write(events)
	mw.Close()

	slowPost := func(path string) (int, string, error) {
		pr, pw := io.Pipe()
		go func() {
			b := body.Bytes()
			for i := 0; i < 6; i++ {
				pw.Write(b[i*len(b)/6 : (i+1)*len(b)/6])
				time.Sleep(200 * time.Millisecond)
			}
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, pr)
		req.ContentLength = int64(body.Len())
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+testToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	if code, body, err := slowPost("/upload"); err != nil || code != http.StatusOK || !strings.Contains(body, "check only: nothing was written") {
		t.Errorf("slow upload with the admin token: status %d, err %v; want the dry run's report after reading the whole body\n%.500s", code, err, body)
	}
	if code, _, err := slowPost("/datasets/remove"); err == nil && code < 400 {
		t.Errorf("slow POST /datasets/remove: status %d; want it cut off by the ReadTimeout", code)
	}
}

// TestUploadRefusedBeforeBody sends POST /upload announcing a 64 MiB body
// of which only the first part ever comes, as a slow or hostile client
// would, on a server with no ReadTimeout: every request without the admin
// token in its headers or a same-site upload session is answered 403 at
// once, with the connection closed, instead of the server waiting for
// (and reading) a body it will refuse.
func TestUploadRefusedBeforeBody(t *testing.T) {
	s := newStoreServer(t, testToken, 0)
	session := s.signIn(t)
	addr := serveLoopback(t, s.Handler(), 0)
	const boundary = "b0undary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"admin_token\"\r\n\r\n" + testToken + "\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n"
	for _, c := range []struct {
		name, header, want string
	}{
		{"anonymous, token in the body", "", "Uploads need the admin token before anything is read"},
		{"wrong bearer", "Authorization: Bearer guess\r\n", "Authorization header is wrong"},
		{"forged session", "Cookie: " + sessionCookie + "=1.abc\r\nOrigin: http://example.com\r\n", "Uploads need the admin token before anything is read"},
		{"session from another site", "Cookie: " + session.String() + "\r\nOrigin: http://evil.example\r\n", "sent from another site"},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n%s\r\n%s",
				boundary, DefaultMaxUpload, c.header, head)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second)) // only against hanging: the answer must not wait for the body
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer while the body is still to come: %v", err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden || !res.Close || !strings.Contains(text(string(b)), c.want) {
				t.Errorf("status %d, connection closed %v; want 403 and close, saying %q\n%.300s", res.StatusCode, res.Close, c.want, b)
			}
		})
	}
}

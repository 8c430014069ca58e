package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPermalinkNotFromHost sends each download that carries a permalink
// (.json, .zip) first with a forged Host header, as the attack did, then
// as another client: neither response names the forged host, and the
// permalink is the relative path, or the configured public URL's.
func TestPermalinkNotFromHost(t *testing.T) {
	const view = "/dyad?from=1995&recipient=Pakistan&supplier=China&to=2024#chart-dyad-tiv"
	snap := newTestServer(t, nil, "", nil).Snapshot()
	for _, tc := range []struct {
		name, publicURL, want string
	}{
		{"no public URL", "", view},
		{"public URL", "https://arms.example.org", "https://arms.example.org" + view},
		{"public URL with a slash", "https://arms.example.org/", "https://arms.example.org" + view},
		{"public URL with a path", "https://example.org/arms/", "https://example.org/arms" + view},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AssetsDir: t.TempDir(), PublicURL: tc.publicURL})
			if err != nil {
				t.Fatal(err)
			}
			for _, form := range []string{"json", "zip"} {
				for _, host := range []string{"evil.example", "example.com"} {
					req := httptest.NewRequest(http.MethodGet, "/dyad/tiv."+form+"?"+dyadQ, nil)
					req.Host = host
					rec := httptest.NewRecorder()
					s.Handler().ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						t.Fatalf("%s: status %d", form, rec.Code)
					}
					body := rec.Body.String()
					var permalink string
					if form == "zip" {
						files := unzip(t, rec.Body.Bytes())
						var meta chartMetadata
						if err := json.Unmarshal(files["metadata.json"], &meta); err != nil {
							t.Fatal(err)
						}
						permalink, body = meta.Permalink, string(files["metadata.json"])+string(files["README.txt"])
					} else {
						var j seriesJSON
						if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
							t.Fatal(err)
						}
						permalink = j.Permalink
					}
					if permalink != tc.want || strings.Contains(body, "evil.example") {
						t.Errorf(".%s asked for with Host %s: permalink %q, want %q; names evil.example: %v",
							form, host, permalink, tc.want, strings.Contains(body, "evil.example"))
					}
				}
			}
		})
	}
}

// TestPublicURLChecked checks that NewServer refuses a public URL that
// cannot prefix a permalink.
func TestPublicURLChecked(t *testing.T) {
	snap := newTestServer(t, nil, "", nil).Snapshot()
	for _, u := range []string{"arms.example.org", "/arms", "ftp://arms.example.org", "https://", "https://arms.example.org/?a=1",
		"https://arms.example.org/#top", "https://user:pw@arms.example.org", "https://arms.example.org/a b"} {
		if _, err := NewServer(Config{Snapshot: snap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: u}); err == nil || !strings.Contains(err.Error(), "public URL") {
			t.Errorf("public URL %q: err %v, want an error naming the public URL", u, err)
		}
	}
}

// TestZipCarriesNoAccessDate checks that a chart's ZIP, which the
// response cache, browsers and (when pinned) shared caches keep and serve
// again on later days, states no access date: the citation leaves it to
// the reader, who knows when they downloaded the file.
func TestZipCarriesNoAccessDate(t *testing.T) {
	h := newTestServer(t, nil, t.TempDir(), nil).Handler()
	_, body := get(t, h, "/dyad/tiv.zip?"+dyadQ)
	files := unzip(t, []byte(body))
	var meta map[string]any
	if err := json.Unmarshal(files["metadata.json"], &meta); err != nil {
		t.Fatal(err)
	}
	if _, ok := meta["accessed"]; ok {
		t.Errorf("metadata.json states an access date: %v", meta["accessed"])
	}
	dated := regexp.MustCompile(`accessed \d{4}-\d{2}-\d{2}`)
	for _, name := range []string{"metadata.json", "README.txt"} {
		if m := dated.Find(files[name]); m != nil {
			t.Errorf("%s says %q", name, m)
		}
	}
	if !strings.Contains(string(files["README.txt"]), "accessed YYYY-MM-DD") {
		t.Errorf("README.txt does not ask for the date the file was downloaded:\n%s", files["README.txt"])
	}
}

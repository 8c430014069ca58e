package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies checks the one-way dependencies of docs/architecture.md:
// only web and cmd/armsdash import gin and go-echarts, dashboard and
// analysis import no net/http, analysis does not import data, and nothing
// but cmd/armsdash imports web.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "github.com/armsdash/armsdash/...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	const mod = "github.com/armsdash/armsdash/"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(pkg, mod)
		for _, imp := range strings.Fields(imports) {
			web := pkg == "web" || strings.HasPrefix(pkg, "web/") || pkg == "cmd/armsdash"
			switch {
			case !web && (strings.HasPrefix(imp, "github.com/gin-gonic/") || strings.HasPrefix(imp, "github.com/go-echarts/")):
				t.Errorf("%s imports %s; only web and cmd/armsdash may", pkg, imp)
			case (pkg == "dashboard" || pkg == "analysis") && imp == "net/http":
				t.Errorf("%s imports net/http", pkg)
			case pkg == "analysis" && imp == mod+"data":
				t.Errorf("analysis imports data; it works on plain values")
			case imp == mod+"web" && pkg != "cmd/armsdash" && !strings.HasPrefix(pkg, "web/"):
				t.Errorf("%s imports web; nothing but cmd/armsdash may", pkg)
			}
		}
	}
}

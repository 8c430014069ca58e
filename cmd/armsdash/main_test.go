package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunBadArguments(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-no-such-flag"}, "flag provided but not defined"},
		{"flag without value", []string{"-addr"}, "flag needs an argument"},
		{"stray argument", []string{"-addr", "127.0.0.1:0", "extra"}, `unexpected argument "extra"`},
		{"negative render limit", []string{"-max-renders", "-1", "-assets-dir", t.TempDir()}, "-max-renders -1"},
		{"relative public URL", []string{"-public-url", "arms.example.org", "-db", t.TempDir() + "/none.db", "-assets-dir", t.TempDir()}, `public URL "arms.example.org"`},
		{"bad address", []string{"-addr", "256.0.0.1:bad", "-db", t.TempDir() + "/a.db", "-assets-dir", t.TempDir()}, "listen tcp"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stderr syncBuffer
			err := run(context.Background(), c.args, io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", c.args, err, c.want)
			}
		})
	}
}

// TestRunServes starts the server on a free port, asks /healthz, and stops
// it by cancelling the context.
func TestRunServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", t.TempDir() + "/none.db", "-assets-dir", t.TempDir()}, io.Discard, &stderr)
	}()
	addrRE := regexp.MustCompile(`msg=listening addr=(\S+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("server did not start:\n%s", stderr.String())
	}
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("/healthz: %d %q, want 200 \"ok\"", res.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
	if !strings.Contains(stderr.String(), "path=/healthz status=200") {
		t.Errorf("request not logged:\n%s", stderr.String())
	}
}

// TestHelpListsCommands checks that armsdash -h lists every subcommand
// with its one line and names -addr, and that each listed command is the
// one run: its own -h prints its own usage.
func TestHelpListsCommands(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("armsdash -h: %v", err)
	}
	help := out.String()
	if len(commands()) < 5 || !strings.Contains(help, "-addr") || !strings.Contains(help, "-echarts-cdn") {
		t.Errorf("help:\n%s", help)
	}
	for _, c := range commands() {
		line := regexp.MustCompile(`(?m)^  ` + c.name + ` +` + regexp.QuoteMeta(c.summary) + `$`)
		if c.summary == "" || !line.MatchString(help) {
			t.Errorf("armsdash -h does not list %s with its summary:\n%s", c.name, help)
		}
		var sub bytes.Buffer
		if err := run(context.Background(), []string{c.name, "-h"}, io.Discard, &sub); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("armsdash %s -h: %v", c.name, err)
		}
		if !strings.Contains(sub.String(), "usage: armsdash "+c.name) {
			t.Errorf("armsdash %s -h prints another usage:\n%s", c.name, sub.String())
		}
	}
}

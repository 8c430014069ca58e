//go:build race

package web

// raceEnabled is true when the tests run under the race detector, which
// makes reading tens of megabytes slow enough to skip.
const raceEnabled = true

//go:build !race

package web

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = false

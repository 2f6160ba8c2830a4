//go:build !race

package marketo

// raceEnabled: the race detector is off.
const raceEnabled = false

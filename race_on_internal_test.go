//go:build race

package marketo

// raceEnabled: the race detector is on, and allocation figures are its
// own, not the SDK's.
const raceEnabled = true

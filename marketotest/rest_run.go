package marketotest

import (
	"time"
)

// The REST rules for starting runs.
const (
	// MinScheduleDelay is how long a scheduled run waits at least: without
	// runAt, or with a runAt sooner than this, it runs this long after the
	// call.
	MinScheduleDelay = 5 * time.Minute
	// MaxTriggerLeads and MaxTriggerTokens bound a trigger.json body (1003).
	MaxTriggerLeads  = 100
	MaxTriggerTokens = 100
)

type scheduleBody struct {
	Input *scheduleInput `json:"input"`
}

type scheduleInput struct {
	RunAt              *string     `json:"runAt"`
	CloneToProgramName *string     `json:"cloneToProgramName"`
	Tokens             []restToken `json:"tokens"`
}

type triggerBody struct {
	Input *struct {
		Leads []struct {
			ID *int `json:"id"`
		} `json:"leads"`
		Tokens []restToken `json:"tokens"`
	} `json:"input"`
}

// runAtLayouts are the forms accepted for runAt: Adobe's sample
// ("2026-12-01T18:05:00+0000") and RFC 3339; an offset is required.
var runAtLayouts = []string{"2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.000-0700", time.RFC3339Nano}

func parseRunAt(v string) (time.Time, bool) {
	for _, l := range runAtLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

package marketo

// Marketo's daily limits reset at midnight US Central time. The client
// computes Central time from the United States daylight saving rules in force
// since 2007 (CDT, -05:00, from the second Sunday of March at 02:00 to the
// first Sunday of November at 02:00; CST, -06:00, otherwise) rather than from
// the system's time zone database, which a minimal container may lack.

import "time"

// centralZone returns Central time's zone at the instant t.
func centralZone(t time.Time) *time.Location {
	u := t.UTC()
	y := u.Year()
	start := nthSunday(y, time.March, 2).Add(8 * time.Hour)  // 02:00 CST
	end := nthSunday(y, time.November, 1).Add(7 * time.Hour) // 02:00 CDT
	if !u.Before(start) && u.Before(end) {
		return cdt
	}
	return cst
}

var (
	cst = time.FixedZone("CST", -6*3600)
	cdt = time.FixedZone("CDT", -5*3600)
)

// nthSunday returns 00:00 UTC of the nth Sunday of month in year.
func nthSunday(year int, month time.Month, n int) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	offset := (7 - int(first.Weekday())) % 7
	return first.AddDate(0, 0, offset+7*(n-1))
}

// inCentral returns t in US Central time.
func inCentral(t time.Time) time.Time { return t.In(centralZone(t)) }

// nextQuotaReset returns the next midnight in US Central time after now,
// when Marketo's daily quotas reset.
func nextQuotaReset(now time.Time) time.Time {
	y, m, d := inCentral(now).Date()
	// Midnight is 05:00 or 06:00 UTC, before any change of offset that day.
	approx := time.Date(y, m, d+1, 6, 0, 0, 0, time.UTC)
	return time.Date(y, m, d+1, 0, 0, 0, 0, centralZone(approx))
}

// quotaDay names the US Central calendar day of t, the day Marketo's daily
// limits count in.
func quotaDay(t time.Time) string {
	return inCentral(t).Format("2006-01-02")
}

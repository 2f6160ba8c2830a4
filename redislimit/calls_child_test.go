package redislimit

func runCallsChild(l *Limiter, a childArgs) int { return 2 }

package redislimit

import (
	_ "embed"

	"github.com/redis/go-redis/v9"
)

// The scripts share prelude.lua (Redis's clock, Marketo's day). Run sends
// EVALSHA and loads the script again after a Redis restart.
var (
	//go:embed lua/prelude.lua
	prelude string
	//go:embed lua/acquire.lua
	acquireLua string
	//go:embed lua/release.lua
	releaseLua string
	//go:embed lua/renew.lua
	renewLua string
	//go:embed lua/clone.lua
	cloneLua string
	//go:embed lua/usage.lua
	usageLua string

	acquireScript = redis.NewScript(prelude + acquireLua)
	releaseScript = redis.NewScript(prelude + releaseLua)
	renewScript   = redis.NewScript(prelude + renewLua)
	cloneScript   = redis.NewScript(prelude + cloneLua)
	usageScript   = redis.NewScript(prelude + usageLua)
)

// keys are one tenant's keys. The tenant is a hash tag, so a Redis Cluster
// keeps them in one slot, as a script needs.
type keys struct {
	window, leases, daily, marker, channel string
}

func tenantKeys(tenant string) keys {
	p := "marketo:{" + tenant + "}:"
	return keys{window: p + "window", leases: p + "leases", daily: p + "daily", marker: p + "epoch", channel: p + "released"}
}

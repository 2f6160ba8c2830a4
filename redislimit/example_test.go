package redislimit_test

import (
	"context"
	"log"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mktows/marketo"
	"github.com/mktows/marketo/redislimit"
)

// Every replica, cron job and tool of a tenant creates its Limiter with the
// same Tenant on the same Redis; together they stay within the tenant's
// limits.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379", ContextTimeoutEnabled: true})
	defer rdb.Close()
	lim, err := redislimit.New(rdb, redislimit.Config{
		Tenant:       "123-ABC-456",   // the Munchkin ID, or any name every process agrees on
		DailyQuota:   50_000,          // REST's; zero keeps SOAP's stricter 10,000
		ClonesPerDay: 20,              // REST's; zero keeps SOAP's 10
		LeaseTTL:     5 * time.Second, // a dead process's slots come back within 5 s
	})
	if err != nil {
		log.Fatal(err)
	}
	defer lim.Close()

	cfg, err := marketo.RESTConfigFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	client, err := marketo.NewRESTClient(cfg, marketo.WithLimiter(lim))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.ScheduleCampaign(context.Background(), marketo.ScheduleCampaignParams{
		ProgramName: "Trav-Demo-Program", CampaignName: "Batch Campaign Example",
	})
	if err != nil {
		log.Fatal(err)
	}
}

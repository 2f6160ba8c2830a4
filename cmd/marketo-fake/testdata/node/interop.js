// Drives cmd/marketo-fake with node-marketo-rest 0.7.8 the way its users
// do, and prints one JSON line with what each call returned. The endpoint,
// identity URL and credentials come from the MARKETO_REST_* variables the
// command prints; node-marketo-rest comes from NODE_PATH.
'use strict';
const Marketo = require('node-marketo-rest');

const marketo = new Marketo({
  endpoint: process.env.MARKETO_REST_ENDPOINT,
  identity: process.env.MARKETO_REST_IDENTITY_URL,
  clientId: process.env.MARKETO_REST_CLIENT_ID,
  clientSecret: process.env.MARKETO_REST_CLIENT_SECRET,
  retry: { maxRetries: 1 },
});

// refusal returns the Marketo error code of a rejected call.
function refusal(promise) {
  return promise.then(
    () => ({ refused: false }),
    (err) => {
      const errors = (err && err.errors) || (err && err.body && err.body.errors) || [];
      return { refused: true, code: errors.length ? String(errors[0].code) : String(err) };
    });
}

async function main() {
  const out = {};
  const campaigns = await marketo.campaign.getCampaigns({ isTriggerable: true });
  out.campaignIds = campaigns.result.map((c) => c.id);
  out.folderCampaignHasProgram = campaigns.result.filter((c) => c.id === 1005).map((c) => 'programName' in c)[0];

  const leads = await marketo.lead.find('email', ['JDoe@janeconsulting.com'], { fields: ['id', 'email', 'firstName'] });
  out.lead = leads.result[0];

  const trigger = await marketo.campaign.request(1002, [{ id: out.lead.id }],
    [{ name: '{{my.message}}', value: 'Sent by node-marketo-rest' }]);
  out.triggered = trigger.result;

  // 0.7.8 has no schedule method: its users post through the connection,
  // with no body when there are no parameters.
  const schedule = await marketo._connection.post('/v1/campaigns/1001/schedule.json');
  out.scheduled = schedule.result;

  out.triggerBatch = await refusal(marketo.campaign.request(1001, [{ id: out.lead.id }]));
  out.scheduleMissing = await refusal(marketo._connection.post('/v1/campaigns/4242/schedule.json'));
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  process.stderr.write('node-marketo-rest failed: ' + (err && err.stack ? err.stack : JSON.stringify(err)) + '\n');
  process.exit(1);
});

<?php
// Schedules a campaign through PHP's SoapClient driven by the fake's WSDL,
// the way existing PHP integrations call Marketo. Reads the endpoint and
// credentials from MARKETO_SOAP_* and prints the response as JSON.
$endpoint = getenv('MARKETO_SOAP_ENDPOINT');
$userId   = getenv('MARKETO_SOAP_USER_ID');
$key      = getenv('MARKETO_SOAP_ENCRYPTION_KEY');
$ns       = 'http://www.marketo.com/mktows/';

$ts  = (new DateTime('now', new DateTimeZone('America/Los_Angeles')))->format(DATE_W3C);
$sig = hash_hmac('sha1', $ts . $userId, $key);

$auth = new stdClass();
$auth->mktowsUserId     = $userId;
$auth->requestSignature = $sig;
$auth->requestTimestamp = $ts;
$header = new SoapHeader($ns, 'AuthenticationHeader', $auth);

$client = new SoapClient($endpoint . '?WSDL', array(
    'location' => $endpoint,
    'trace' => true,
    'exceptions' => true,
    'cache_wsdl' => WSDL_CACHE_NONE,
));

$params = new stdClass();
$params->programName        = 'Trav-Demo-Program';
$params->campaignName       = 'Batch Campaign Example';
$params->campaignRunAt      = (new DateTime('+1 hour'))->format(DATE_W3C);
$params->cloneToProgramName = getenv('CLONE_TO') ?: 'ClonedByPHP';
$t1 = new stdClass(); $t1->name = '{{my.message}}';     $t1->value = 'From PHP';
$t2 = new stdClass(); $t2->name = '{{my.other token}}'; $t2->value = 'Second <&> token';
$params->programTokenList = array('attrib' => array($t1, $t2));

try {
    $res = $client->__soapCall('scheduleCampaign', array('paramsScheduleCampaign' => $params), null, $header);
    echo json_encode(array('ok' => true, 'success' => $res->result->success)), "\n";
} catch (SoapFault $f) {
    echo json_encode(array('ok' => false, 'faultcode' => $f->faultcode, 'faultstring' => $f->faultstring,
        'code' => isset($f->detail->serviceException->code) ? $f->detail->serviceException->code : null)), "\n";
}
fwrite(STDERR, $client->__getLastRequest() . "\n");

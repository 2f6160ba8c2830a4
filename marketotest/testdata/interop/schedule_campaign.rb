# Schedules a campaign through soap4r's WSDL driver, built from the fake's
# WSDL, the way existing Ruby integrations call Marketo. The
# AuthenticationHeader is mapped through the WSDL's schema like the body, so
# its children come out unqualified as the schema says. Reads the endpoint
# and credentials from MARKETO_SOAP_* and prints the outcome as JSON.
require 'json'
require 'openssl'
require 'time'

require 'soap/wsdlDriver'
require 'soap/header/handler'

NS = 'http://www.marketo.com/mktows/'.freeze

endpoint = ENV.fetch('MARKETO_SOAP_ENDPOINT')
user_id = ENV.fetch('MARKETO_SOAP_USER_ID')
key = ENV.fetch('MARKETO_SOAP_ENCRYPTION_KEY')

# Signs each outgoing request with a fresh timestamp.
class MarketoAuthHeader < SOAP::Header::Handler
  def initialize(registry, user_id, key)
    super(XSD::QName.new(NS, 'AuthenticationHeader'))
    @registry = registry
    @user_id = user_id
    @key = key
  end

  def on_outbound
    # Time#xmlschema writes seconds and a numeric offset for a local time.
    ts = Time.now.getlocal('-08:00').xmlschema
    sig = OpenSSL::HMAC.hexdigest('sha1', @key, ts + @user_id)
    SOAP::Mapping.obj2soap(
      { 'mktowsUserId' => @user_id, 'requestSignature' => sig, 'requestTimestamp' => ts },
      @registry, elename
    )
  end
end

driver = SOAP::WSDLDriverFactory.new(endpoint + '?WSDL').create_rpc_driver
driver.endpoint_url = endpoint
driver.wiredump_dev = $stderr if ENV['SOAP_WIREDUMP'] == '1'
driver.headerhandler << MarketoAuthHeader.new(driver.literal_mapping_registry, user_id, key)

begin
  res = driver.scheduleCampaign(
    programName: 'Trav-Demo-Program',
    campaignName: 'Batch Campaign Example',
    campaignRunAt: (Time.now + 3600).getlocal('-08:00').xmlschema,
    cloneToProgramName: ENV['CLONE_TO'] || 'ClonedByRuby',
    programTokenList: { attrib: [
      { name: '{{my.message}}', value: 'From Ruby' },
      { name: '{{my.other token}}', value: 'Second <&> token' }
    ] }
  )
  puts JSON.generate(ok: true, success: res.result.success.to_s == 'true')
rescue SOAP::FaultError => e
  code = nil
  detail = e.detail
  if detail.respond_to?(:serviceException)
    code = detail.serviceException.code.to_s
  end
  puts JSON.generate(ok: false, faultstring: e.message, code: code)
end

"""Schedules a campaign through Python's zeep, built from the fake's WSDL,
the way existing Python integrations call Marketo. Reads the endpoint and
credentials from MARKETO_SOAP_* and prints the outcome as JSON."""
import datetime
import hashlib
import hmac
import json
import os

import zeep
from zeep.exceptions import Fault

endpoint = os.environ["MARKETO_SOAP_ENDPOINT"]
user_id = os.environ["MARKETO_SOAP_USER_ID"]
key = os.environ["MARKETO_SOAP_ENCRYPTION_KEY"]

ts = datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")
sig = hmac.new(key.encode(), (ts + user_id).encode(), hashlib.sha1).hexdigest()

client = zeep.Client(endpoint + "?WSDL")
header = client.get_element("{http://www.marketo.com/mktows/}AuthenticationHeader")(
    mktowsUserId=user_id, requestSignature=sig, requestTimestamp=ts)

try:
    res = client.service.scheduleCampaign(
        programName="Trav-Demo-Program",
        campaignName="Batch Campaign Example",
        campaignRunAt=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1),
        cloneToProgramName=os.environ.get("CLONE_TO", "ClonedByZeep"),
        programTokenList={"attrib": [
            {"name": "{{my.message}}", "value": "From zeep"},
            {"name": "{{my.other token}}", "value": "Second <&> token"},
        ]},
        _soapheaders=[header],
    )
    # zeep unwraps a result with a single child to its value.
    success = res if isinstance(res, bool) else res.success
    print(json.dumps({"ok": True, "success": bool(success)}))
except Fault as f:
    code = None
    if f.detail is not None:
        el = f.detail.find(".//code")
        code = el.text if el is not None else None
    print(json.dumps({"ok": False, "faultstring": f.message, "code": code}))

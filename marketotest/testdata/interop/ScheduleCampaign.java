// Schedules a campaign through JAX-WS, with the classes wsimport generates
// from the fake's WSDL (wsimport -XadditionalHeaders, so the
// AuthenticationHeader is a parameter of the port's methods), the way
// existing Java integrations call Marketo. Reads the endpoint and
// credentials from MARKETO_SOAP_* and prints the outcome as one JSON line.

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.GregorianCalendar;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.soap.Detail;
import javax.xml.soap.SOAPFault;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.soap.SOAPFaultException;

import org.w3c.dom.NodeList;

import com.marketo.mktows.ArrayOfAttrib;
import com.marketo.mktows.Attrib;
import com.marketo.mktows.AuthenticationHeaderInfo;
import com.marketo.mktows.MktMktowsApiService;
import com.marketo.mktows.MktowsPort;
import com.marketo.mktows.ObjectFactory;
import com.marketo.mktows.ParamsScheduleCampaign;
import com.marketo.mktows.SuccessScheduleCampaign;

public class ScheduleCampaign {
    public static void main(String[] args) throws Exception {
        String endpoint = System.getenv("MARKETO_SOAP_ENDPOINT");
        String userId = System.getenv("MARKETO_SOAP_USER_ID");
        String key = System.getenv("MARKETO_SOAP_ENCRYPTION_KEY");
        String cloneTo = System.getenv("CLONE_TO");
        if (cloneTo == null || cloneTo.isEmpty()) {
            cloneTo = "ClonedByJava";
        }

        // W3C time with seconds and a numeric offset ("xxx" writes +00:00
        // where "XXX" would write Z, which Marketo refuses).
        String ts = OffsetDateTime.now(ZoneId.of("America/Los_Angeles"))
                .truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx"));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        StringBuilder sig = new StringBuilder();
        for (byte b : mac.doFinal((ts + userId).getBytes(StandardCharsets.UTF_8))) {
            sig.append(String.format("%02x", b));
        }

        AuthenticationHeaderInfo auth = new AuthenticationHeaderInfo();
        auth.setMktowsUserId(userId);
        auth.setRequestSignature(sig.toString());
        auth.setRequestTimestamp(ts);

        MktMktowsApiService service = new MktMktowsApiService(new URL(endpoint + "?WSDL"));
        MktowsPort port = service.getMktowsApiSoapPort();
        ((BindingProvider) port).getRequestContext()
                .put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, endpoint);

        ObjectFactory of = new ObjectFactory();
        ParamsScheduleCampaign params = new ParamsScheduleCampaign();
        params.setProgramName("Trav-Demo-Program");
        params.setCampaignName("Batch Campaign Example");
        GregorianCalendar runAt = new GregorianCalendar();
        runAt.add(GregorianCalendar.HOUR_OF_DAY, 1);
        params.setCampaignRunAt(of.createParamsScheduleCampaignCampaignRunAt(
                DatatypeFactory.newInstance().newXMLGregorianCalendar(runAt)));
        params.setCloneToProgramName(cloneTo);
        ArrayOfAttrib tokens = new ArrayOfAttrib();
        tokens.getAttrib().add(attrib("{{my.message}}", "From Java"));
        tokens.getAttrib().add(attrib("{{my.other token}}", "Second <&> token"));
        params.setProgramTokenList(of.createParamsScheduleCampaignProgramTokenList(tokens));

        try {
            SuccessScheduleCampaign res = port.scheduleCampaign(params, auth);
            System.out.println("{\"ok\":true,\"success\":" + res.getResult().isSuccess() + "}");
        } catch (SOAPFaultException e) {
            SOAPFault fault = e.getFault();
            String code = null;
            Detail detail = fault.getDetail();
            if (detail != null) {
                NodeList codes = detail.getElementsByTagName("code");
                if (codes.getLength() > 0) {
                    code = codes.item(0).getTextContent();
                }
            }
            System.out.println("{\"ok\":false,\"faultstring\":" + json(fault.getFaultString())
                    + ",\"code\":" + json(code) + "}");
        }
    }

    static Attrib attrib(String name, String value) {
        Attrib a = new Attrib();
        a.setName(name);
        a.setValue(value);
        return a;
    }

    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

package org.custodian.core.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Makes tokens the way an attacker (or a careless issuer) would: any header, any payload, any key. */
final class Forge {
    private Forge() {}

    static String sign(JWSHeader header, Map<String, Object> claims, JWSSigner signer) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(claims));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs raw header and payload text, so that they can be anything, not only what nimbus would write. */
    static String signRaw(String headerJson, String payload, JWSSigner signer) {
        String input = b64(headerJson) + "." + b64(payload);
        try {
            JWSHeader header = JWSHeader.parse(Base64URL.from(b64(headerJson)));
            Base64URL signature = signer.sign(header, input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (JOSEException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String decode(String part) {
        return new Base64URL(part).decodeToString();
    }

    /** The token with its payload replaced, its header and signature kept. */
    static String withPayload(String token, String payload) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    static String withSignature(String token, String signature) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + "." + signature;
    }
}
